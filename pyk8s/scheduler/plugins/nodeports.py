"""NodePorts: a pod's host ports must be free on the node (0.0.0.0 takes the port on
every address)."""

from __future__ import annotations

from pyk8s.scheduler.events import NODE, POD, Action, ClusterEvent
from pyk8s.scheduler.framework import CycleState, PreFilterResult
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import SKIP, Code, Status

NAME = "NodePorts"
REASON = "node(s) didn't have free ports for the requested pod ports"
REJECTED = Status(Code.UNSCHEDULABLE, REASON, plugin=NAME)


class NodePorts:
    name = NAME

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status | None]:
        return None, None if pod.host_ports else SKIP

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        if not node.used_ports:
            return None
        for port in pod.host_ports:
            if node.port_conflicts(port):
                return REJECTED
        return None

    def events_to_register(self) -> list[ClusterEvent]:
        return [ClusterEvent(POD, Action.DELETE), ClusterEvent(NODE, Action.ADD)]
