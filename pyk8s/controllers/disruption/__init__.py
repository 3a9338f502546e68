"""The disruption controller: PodDisruptionBudget status (currentHealthy, desiredHealthy,
disruptionsAllowed, expectedPods, the DisruptionAllowed condition). `budget.py` holds the
arithmetic."""

from pyk8s.controllers.disruption.controller import DisruptionReconciler, new_disruption_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

DISRUPTION_CONTROLLER = ControllerDescriptor(
    "disruption",
    new_disruption_controller,
    aliases=("disruption-controller",),
    description="keeps PodDisruptionBudget status, which pods/eviction reads",
)

__all__ = ["DISRUPTION_CONTROLLER", "DisruptionReconciler", "new_disruption_controller"]
