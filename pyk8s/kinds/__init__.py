"""The built-in API: one module per kind with its ResourceInfo, strategy, validation and columns.

`BUILTIN` lists the strategies the API server serves; adding a kind adds one line here.
"""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy
from pyk8s.kinds.apps.deployment import DeploymentStrategy
from pyk8s.kinds.coordination.lease import LeaseStrategy
from pyk8s.kinds.core.configmap import ConfigMapStrategy
from pyk8s.kinds.core.event import EventStrategy
from pyk8s.kinds.core.namespace import NamespaceStrategy
from pyk8s.kinds.core.node import NodeStrategy
from pyk8s.kinds.core.pod import PodStrategy
from pyk8s.kinds.core.secret import SecretStrategy
from pyk8s.kinds.core.service import ServiceStrategy


def builtin_strategies() -> list[ResourceStrategy]:
    """One strategy instance per built-in resource, in discovery order."""
    return [
        NamespaceStrategy(),
        ConfigMapStrategy(),
        SecretStrategy(),
        PodStrategy(),
        ServiceStrategy(),
        NodeStrategy(),
        EventStrategy(),
        DeploymentStrategy(),
        LeaseStrategy(),
    ]
