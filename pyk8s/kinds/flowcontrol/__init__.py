"""The flowcontrol.apiserver.k8s.io API group (API Priority and Fairness)."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.flowcontrol.flowschema import FlowSchemaStrategy
    from pyk8s.kinds.flowcontrol.prioritylevelconfiguration import PriorityLevelConfigurationStrategy

    return [FlowSchemaStrategy(), PriorityLevelConfigurationStrategy()]
