"""NodeName: a pod that names its node (`spec.nodeName`) fits only there."""

from __future__ import annotations

from pyk8s.scheduler.events import NODE, Action, ClusterEvent
from pyk8s.scheduler.framework import CycleState, PreFilterResult
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import SKIP, Code, Status

NAME = "NodeName"
REASON = "node(s) didn't match the requested node name"
REJECTED = Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, REASON, plugin=NAME)


class NodeName:
    name = NAME

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status | None]:
        # Pods that name a node are normally bound already; keep the filter out of the loop.
        return None, None if pod.node_name else SKIP

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if pod.node_name and pod.node_name != node.name:
            return REJECTED
        return None

    def events_to_register(self) -> list[ClusterEvent]:
        return [ClusterEvent(NODE, Action.ADD)]
