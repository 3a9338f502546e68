"""The scheduling algorithm for one pod: find feasible nodes, score them, pick the best.

    PreFilter ─► nominated node first (if the pod has one and it still fits, done)
              ─► Filter nodes, from where the last cycle stopped, until enough fit
              ─► PreScore + Score the feasible ones ─► highest total, ties broken at random

"Enough" is percentageOfNodesToScore, adaptive by default as in Kubernetes: 50% minus 1%
per 125 nodes, at least 5%, and never fewer than 100 nodes; in small clusters every node.
Starting where the previous cycle stopped spreads the examined nodes over the cluster.

The whole cycle runs without awaiting, directly on the cache (see `cache.py`), so the
cache is a consistent snapshot for its duration without being copied.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyk8s.scheduler.cache import Cache
from pyk8s.scheduler.framework import CycleState, Framework
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import Code, Diagnosis, FitError, NoNodesAvailableError, Status

MIN_FEASIBLE_NODES_TO_FIND = 100
MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5


class SchedulingError(Exception):
    """A plugin failed (an error, not a rejection): the pod is retried after a backoff."""

    def __init__(self, status: Status) -> None:
        super().__init__(status.message or "scheduling failed")
        self.status = status


@dataclass
class ScheduleResult:
    node: str
    evaluated_nodes: int
    feasible_nodes: int


def num_feasible_nodes_to_find(percentage: int, num_all_nodes: int) -> int:
    """How many feasible nodes to look for before scoring (numFeasibleNodesToFind)."""
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND:
        return num_all_nodes
    if percentage <= 0:
        percentage = max(50 - num_all_nodes // 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND)
    num = num_all_nodes * percentage // 100
    return max(num, MIN_FEASIBLE_NODES_TO_FIND)


class Algorithm:
    """Runs one profile's plugins for one pod over the cache's nodes."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.next_start_node_index = 0

    def schedule_pod(self, fw: Framework, state: CycleState, pod: PodInfo) -> ScheduleResult:
        """The node for `pod`; raises FitError (with the diagnosis), NoNodesAvailableError
        or SchedulingError."""
        nodes = self.cache.node_list()
        if not nodes:
            raise NoNodesAvailableError()
        feasible, diagnosis = self.find_nodes_that_fit(fw, state, pod, nodes)
        if not feasible:
            raise FitError(pod.key, len(nodes), diagnosis)
        evaluated = len(feasible) + len(diagnosis.node_to_status)
        if len(feasible) == 1:
            return ScheduleResult(feasible[0].name, evaluated, 1)
        totals = self.prioritize(fw, state, pod, feasible)
        best = max(totals)
        if totals.count(best) == 1:
            chosen = totals.index(best)
        else:
            # Ties broken uniformly at random, as kube-scheduler's reservoir sampling does.
            chosen = fw.rng.choice([i for i, total in enumerate(totals) if total == best])
        return ScheduleResult(feasible[chosen].name, evaluated, len(feasible))

    def find_nodes_that_fit(
        self, fw: Framework, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[list[NodeInfo], Diagnosis]:
        diagnosis = Diagnosis()
        result, status = fw.run_pre_filter(state, pod, nodes)
        if status is not None:
            if not status.is_rejected():
                raise SchedulingError(status)
            # Every node is rejected for the same reason: record it once.
            diagnosis.pre_filter_msg = status.message
            diagnosis.absent_nodes_status = status
            diagnosis.unschedulable_plugins.add(status.plugin)
            return [], diagnosis
        if pod.nominated_node_name:
            node = self.cache.get(pod.nominated_node_name)
            if node is not None and self._evaluate(fw, state, pod, node, diagnosis):
                return [node], diagnosis
        candidates = nodes
        if result is not None and result.node_names is not None:
            candidates = [n for n in map(self.cache.get, sorted(result.node_names)) if n is not None]
            diagnosis.absent_nodes_status = Status(
                Code.UNSCHEDULABLE_AND_UNRESOLVABLE, result.absent_message()
            )
        return self.find_nodes_that_pass_filters(fw, state, pod, candidates, diagnosis, len(nodes)), diagnosis

    def _evaluate(
        self, fw: Framework, state: CycleState, pod: PodInfo, node: NodeInfo, diagnosis: Diagnosis
    ) -> bool:
        status = fw.run_filter_with_nominated_pods(state, pod, node)
        if status is None:
            return True
        self._record(status, node, diagnosis)
        return False

    def find_nodes_that_pass_filters(
        self,
        fw: Framework,
        state: CycleState,
        pod: PodInfo,
        nodes: list[NodeInfo],
        diagnosis: Diagnosis,
        num_all_nodes: int,
    ) -> list[NodeInfo]:
        """Filter `nodes` round robin from where the last cycle stopped, until enough fit."""
        count = len(nodes)
        if count == 0:
            return []
        wanted = num_feasible_nodes_to_find(fw.percentage_of_nodes_to_score, num_all_nodes)
        start = self.next_start_node_index % count
        ordered = nodes[start:] + nodes[:start] if start else nodes
        nominated = fw.nominator.nodes_with_nominated_pods()
        rejected = diagnosis.node_to_status
        feasible: list[NodeInfo] = []
        position = 0
        # Judge the nodes in chunks of exactly as many as are still wanted, each filter over
        # the whole chunk at once: the same nodes are examined, and the same ones fit, as
        # when going node by node and stopping at the last one wanted.
        while position < count and len(feasible) < wanted:
            chunk = ordered[position : position + wanted - len(feasible)]
            position += len(chunk)
            if nominated and any(node.name in nominated for node in chunk):
                for node in chunk:
                    status = fw.run_filter_with_nominated_pods(state, pod, node)
                    if status is None:
                        feasible.append(node)
                    else:
                        rejected[node.name] = status
                continue
            for run in state.batch_filters:
                chunk = run(state, pod, chunk, rejected)
                if not chunk:
                    break
            feasible.extend(chunk)
        self.next_start_node_index = (start + position) % count
        if not feasible:
            for status in rejected.values():
                if not status.is_rejected():
                    raise SchedulingError(status)
                diagnosis.unschedulable_plugins.add(status.plugin)
        return feasible

    @staticmethod
    def _record(status: Status, node: NodeInfo, diagnosis: Diagnosis) -> None:
        if not status.is_rejected():
            raise SchedulingError(status)
        diagnosis.node_to_status[node.name] = status
        diagnosis.unschedulable_plugins.add(status.plugin)

    @staticmethod
    def prioritize(fw: Framework, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        """The weighted total score of each node."""
        if not fw.score_plugins:
            return [1] * len(nodes)
        status = fw.run_pre_score(state, pod, nodes)
        if status is not None:
            raise SchedulingError(status)
        return fw.run_score(state, pod, nodes)
