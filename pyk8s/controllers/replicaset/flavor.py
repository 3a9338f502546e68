"""ReplicaSets and ReplicationControllers through one controller.

Kubernetes runs the ReplicationController manager as the ReplicaSet manager with the RC
converted on the way in and out. Here the difference is a `Flavor`: which resource, which
kind in owner references, which event source, and how the selector is read (a
`metav1.LabelSelector` for ReplicaSets, a plain label map for ReplicationControllers).
Everything else — spec.replicas, spec.template, spec.minReadySeconds, the status fields and
the ReplicaFailure condition — has the same shape in both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pyk8s.api.selectors import LabelSelector
from pyk8s.client.resources import REPLICASETS, REPLICATIONCONTROLLERS, Resource


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, Mapping) else {}


class _SelectsNothing(LabelSelector):
    """What a missing metav1.LabelSelector means (labels.Nothing())."""

    __slots__ = ()

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        return False


def replicaset_selector(obj: Mapping[str, Any]) -> LabelSelector:
    """`spec.selector` as a metav1.LabelSelector; a missing one selects nothing. Raises
    `SelectorError` if it is malformed."""
    raw = _spec(obj).get("selector")
    if raw is None:
        return _SelectsNothing()
    return LabelSelector.from_object(raw)


def replicationcontroller_selector(obj: Mapping[str, Any]) -> LabelSelector:
    """`spec.selector` as a label map (every pair must match)."""
    labels = _spec(obj).get("selector") or {}
    return LabelSelector.from_object({"matchLabels": dict(labels)})


@dataclass(frozen=True)
class Flavor:
    """What differs between the ReplicaSet and ReplicationController controllers."""

    name: str  # the controller's name in --controllers
    resource: Resource
    component: str  # the event source
    selector: Callable[[Mapping[str, Any]], LabelSelector]
    counts_terminating: bool  # the status has terminatingReplicas

    @property
    def kind(self) -> str:
        return self.resource.kind

    @property
    def api_version(self) -> str:
        return self.resource.api_version

    @property
    def group(self) -> str:
        return self.resource.group


REPLICASET = Flavor(
    "replicaset", REPLICASETS, "replicaset-controller", replicaset_selector, counts_terminating=True
)
REPLICATIONCONTROLLER = Flavor(
    "replicationcontroller",
    REPLICATIONCONTROLLERS,
    "replication-controller",
    replicationcontroller_selector,
    counts_terminating=False,
)
