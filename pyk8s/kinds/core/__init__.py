"""The core API group (/api/v1)."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.core.configmap import ConfigMapStrategy
    from pyk8s.kinds.core.event import EventStrategy
    from pyk8s.kinds.core.namespace import NamespaceStrategy
    from pyk8s.kinds.core.node import NodeStrategy
    from pyk8s.kinds.core.pod import PodStrategy
    from pyk8s.kinds.core.secret import SecretStrategy
    from pyk8s.kinds.core.service import ServiceStrategy

    return [
        NamespaceStrategy(),
        ConfigMapStrategy(),
        SecretStrategy(),
        PodStrategy(),
        ServiceStrategy(),
        NodeStrategy(),
        EventStrategy(),
    ]
