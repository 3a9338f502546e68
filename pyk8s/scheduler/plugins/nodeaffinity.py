"""NodeAffinity: `spec.nodeSelector` and required node affinity filter nodes; preferred
node affinity scores them by the summed weights of the terms they match."""

from __future__ import annotations

from pyk8s.scheduler.events import NODE, Action, ClusterEvent
from pyk8s.scheduler.framework import CycleState, PreFilterResult, filter_nodes_one_by_one
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.plugins.helpers import default_normalize_score
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import SKIP, Code, Status

NAME = "NodeAffinity"
REASON = "node(s) didn't match Pod's node affinity/selector"
REASON_CONFLICT = "pod affinity terms conflict"
REJECTED = Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, REASON, plugin=NAME)


def matches_node_selector_and_affinity(pod: PodInfo, node: NodeInfo) -> bool:
    """Whether the node satisfies the pod's nodeSelector and required node affinity."""
    labels = node.labels
    for key, value in pod.node_selector.items():
        if labels.get(key) != value:
            return False
    return pod.node_affinity is None or pod.node_affinity.matches(labels, node.name)


class NodeAffinity:
    name = NAME

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status | None]:
        if not pod.node_selector and pod.node_affinity is None:
            return None, SKIP
        if pod.node_affinity is None:
            return None, None
        names = pod.node_affinity.node_names()
        if names is None:
            return None, None
        if not names:
            return None, Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, REASON_CONFLICT, plugin=NAME)
        return PreFilterResult(names, plugins=[NAME]), None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        return None if matches_node_selector_and_affinity(pod, node) else REJECTED

    def filter_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo], rejected: dict[str, Status]
    ) -> list[NodeInfo]:
        if pod.node_affinity is not None or len(pod.node_selector) != 1:
            return filter_nodes_one_by_one(self, state, pod, nodes, rejected)
        # The common case, a single nodeSelector label, in one pass.
        ((key, value),) = pod.node_selector.items()
        passing = [n for n in nodes if n.labels.get(key) == value]
        if len(passing) != len(nodes):
            for node in nodes:
                if node.labels.get(key) != value:
                    rejected[node.name] = REJECTED
        return passing

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        return None if pod.preferred_node_terms else SKIP

    def score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        terms = pod.preferred_node_terms
        return [sum(t.weight for t in terms if t.term.matches(n.labels, n.name)) for n in nodes]

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        default_normalize_score(scores)

    def events_to_register(self) -> list[ClusterEvent]:
        return [ClusterEvent(NODE, Action.ADD | Action.UPDATE_NODE_LABEL)]
