"""The core API group (/api/v1), and the events.k8s.io/v1 view of its Events."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order (alphabetical, as kube-apiserver lists
    them). ComponentStatus is never stored: the API server builds it when read."""
    from pyk8s.kinds.core.binding import BindingStrategy
    from pyk8s.kinds.core.componentstatus import ComponentStatusStrategy
    from pyk8s.kinds.core.configmap import ConfigMapStrategy
    from pyk8s.kinds.core.endpoints import EndpointsStrategy
    from pyk8s.kinds.core.event import EventStrategy
    from pyk8s.kinds.core.limitrange import LimitRangeStrategy
    from pyk8s.kinds.core.namespace import NamespaceStrategy
    from pyk8s.kinds.core.node import NodeStrategy
    from pyk8s.kinds.core.persistentvolume import PersistentVolumeStrategy
    from pyk8s.kinds.core.persistentvolumeclaim import PersistentVolumeClaimStrategy
    from pyk8s.kinds.core.pod import PodStrategy
    from pyk8s.kinds.core.podtemplate import PodTemplateStrategy
    from pyk8s.kinds.core.replicationcontroller import ReplicationControllerStrategy
    from pyk8s.kinds.core.resourcequota import ResourceQuotaStrategy
    from pyk8s.kinds.core.secret import SecretStrategy
    from pyk8s.kinds.core.service import ServiceStrategy
    from pyk8s.kinds.core.serviceaccount import ServiceAccountStrategy

    return [
        BindingStrategy(),
        ComponentStatusStrategy(),
        ConfigMapStrategy(),
        EndpointsStrategy(),
        EventStrategy(),
        LimitRangeStrategy(),
        NamespaceStrategy(),
        NodeStrategy(),
        PersistentVolumeClaimStrategy(),
        PersistentVolumeStrategy(),
        PodStrategy(),
        PodTemplateStrategy(),
        ReplicationControllerStrategy(),
        ResourceQuotaStrategy(),
        SecretStrategy(),
        ServiceAccountStrategy(),
        ServiceStrategy(),
    ]
