"""TaintToleration: a pod fits a node only if it tolerates every NoSchedule and NoExecute
taint; among the nodes that fit, fewer untolerated PreferNoSchedule taints score higher."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyk8s.scheduler.events import NODE, Action, ClusterEvent
from pyk8s.scheduler.framework import CycleState, filter_nodes_one_by_one
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.plugins.helpers import default_normalize_score
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import SKIP, Code, Status
from pyk8s.scheduler.terms import PREFER_NO_SCHEDULE, Toleration, tolerates

if TYPE_CHECKING:
    from pyk8s.scheduler.framework import Framework

NAME = "TaintToleration"
# Kubernetes 1.35 stopped naming the taint: taint keys and values may be confidential.
REASON = "node(s) had untolerated taint(s)"
REJECTED = Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, REASON, plugin=NAME)
STATE_KEY = "PreScore" + NAME


class TaintToleration:
    name = NAME

    def __init__(self, fw: Framework) -> None:
        self.fw = fw

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        taints = node.hard_taints
        if not taints:
            return None
        tolerations = pod.tolerations
        for taint in taints:
            if not tolerations or not tolerates(tolerations, taint):
                return REJECTED
        return None

    def filter_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo], rejected: dict[str, Status]
    ) -> list[NodeInfo]:
        passing = [n for n in nodes if not n.hard_taints]
        if len(passing) == len(nodes):
            return nodes
        return filter_nodes_one_by_one(self, state, pod, nodes, rejected)

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        if not self.fw.cache.nodes_with_prefer_taints:
            return SKIP  # every node would score the same
        prefer: tuple[Toleration, ...] = tuple(
            t for t in pod.tolerations if not t.effect or t.effect == PREFER_NO_SCHEDULE
        )
        state.write(STATE_KEY, prefer)
        return None

    def score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        prefer = state.read(STATE_KEY) or ()
        return [sum(1 for t in node.prefer_taints if not tolerates(prefer, t)) for node in nodes]

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        default_normalize_score(scores, reverse=True)

    def events_to_register(self) -> list[ClusterEvent]:
        return [ClusterEvent(NODE, Action.ADD | Action.UPDATE_NODE_TAINT)]
