"""NodeUnschedulable: cordoned nodes (`spec.unschedulable`) take only pods that tolerate the
`node.kubernetes.io/unschedulable:NoSchedule` taint."""

from __future__ import annotations

from pyk8s.scheduler.events import NODE, Action, ClusterEvent
from pyk8s.scheduler.framework import CycleState
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import Code, Status
from pyk8s.scheduler.terms import NO_SCHEDULE, Taint, tolerates

NAME = "NodeUnschedulable"
REASON = "node(s) were unschedulable"
REJECTED = Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, REASON, plugin=NAME)
UNSCHEDULABLE_TAINT = Taint("node.kubernetes.io/unschedulable", "", NO_SCHEDULE)


class NodeUnschedulable:
    name = NAME

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if node.unschedulable and not tolerates(pod.tolerations, UNSCHEDULABLE_TAINT):
            return REJECTED
        return None

    def filter_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo], rejected: dict[str, Status]
    ) -> list[NodeInfo]:
        if pod.tolerations and tolerates(pod.tolerations, UNSCHEDULABLE_TAINT):
            return nodes
        passing = [n for n in nodes if not n.unschedulable]
        if len(passing) != len(nodes):
            for node in nodes:
                if node.unschedulable:
                    rejected[node.name] = REJECTED
        return passing

    def events_to_register(self) -> list[ClusterEvent]:
        return [ClusterEvent(NODE, Action.ADD | Action.UPDATE_NODE_TAINT)]
