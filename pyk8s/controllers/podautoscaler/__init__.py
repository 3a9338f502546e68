"""The HorizontalPodAutoscaler controller (resource metrics from metrics.k8s.io).
`replicas.py` holds the replica arithmetic."""

from pyk8s.controllers.podautoscaler.controller import (
    HorizontalPodAutoscalerReconciler,
    new_horizontal_pod_autoscaler_controller,
)
from pyk8s.controllers.runtime.registry import ControllerDescriptor

HORIZONTALPODAUTOSCALING_CONTROLLER = ControllerDescriptor(
    "horizontalpodautoscaling",
    new_horizontal_pod_autoscaler_controller,
    aliases=("horizontal-pod-autoscaler-controller",),
    description="scales targets of HorizontalPodAutoscalers from resource metrics",
)

__all__ = [
    "HORIZONTALPODAUTOSCALING_CONTROLLER",
    "HorizontalPodAutoscalerReconciler",
    "new_horizontal_pod_autoscaler_controller",
]
