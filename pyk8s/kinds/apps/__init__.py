"""The apps API group."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.apps.controllerrevision import ControllerRevisionStrategy
    from pyk8s.kinds.apps.daemonset import DaemonSetStrategy
    from pyk8s.kinds.apps.deployment import DeploymentStrategy
    from pyk8s.kinds.apps.replicaset import ReplicaSetStrategy
    from pyk8s.kinds.apps.statefulset import StatefulSetStrategy

    return [
        ControllerRevisionStrategy(),
        DaemonSetStrategy(),
        DeploymentStrategy(),
        ReplicaSetStrategy(),
        StatefulSetStrategy(),
    ]
