"""The autoscaling API group."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order (autoscaling/v2, and v1 as a view)."""
    from pyk8s.kinds.autoscaling.horizontalpodautoscaler import HorizontalPodAutoscalerStrategy

    return [HorizontalPodAutoscalerStrategy()]
