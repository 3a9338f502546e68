"""PodTopologySpread: keep matching pods evenly spread over topology domains.

For a constraint (topologyKey, maxSkew, labelSelector), the *skew* of placing the pod in a
domain is (matching pods in that domain + 1 if the pod matches itself) - (matching pods in
the emptiest domain; 0 while fewer than minDomains domains exist). Only domains of nodes
that pass the constraint's node inclusion policies count (nodeAffinityPolicy Honor: the
pod's nodeSelector and required node affinity; nodeTaintsPolicy Honor: its tolerations),
and only nodes carrying every constraint's topology key.

- Filter (whenUnsatisfiable: DoNotSchedule): a node whose skew would exceed maxSkew is
  rejected, Unschedulable ("node(s) didn't match pod topology spread constraints"); a node
  without the topology key is UnschedulableAndUnresolvable ("... (missing required label)").
- Score (ScheduleAnyway): fewer matching pods in the node's domain scores higher, each
  constraint weighted by log(number of domains + 2).

Pods without constraints of their own that a ReplicaSet, ReplicationController or
StatefulSet controls get kube-scheduler's system defaults (hostname maxSkew 3, zone maxSkew
5, ScheduleAnyway; see podinfo.py), selecting their siblings by the pod's shared labels.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pyk8s.scheduler.events import NODE, POD, Action, ClusterEvent
from pyk8s.scheduler.framework import MAX_NODE_SCORE, CycleState, PreFilterResult
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.plugins.nodeaffinity import matches_node_selector_and_affinity
from pyk8s.scheduler.podinfo import PodInfo, SpreadConstraint
from pyk8s.scheduler.status import SKIP, Code, Status
from pyk8s.scheduler.terms import NO_EXECUTE, NO_SCHEDULE, first_untolerated

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pyk8s.scheduler.framework import Framework

NAME = "PodTopologySpread"
REASON = "node(s) didn't match pod topology spread constraints"
REASON_MISSING_LABEL = REASON + " (missing required label)"
REJECTED = Status(Code.UNSCHEDULABLE, REASON, plugin=NAME)
MISSING_LABEL = Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, REASON_MISSING_LABEL, plugin=NAME)
HOSTNAME = "kubernetes.io/hostname"
FILTER_KEY = "PreFilter" + NAME
SCORE_KEY = "PreScore" + NAME
DO_NOT_SCHEDULE = "DoNotSchedule"
SCHEDULE_ANYWAY = "ScheduleAnyway"
MAX_INT32 = 2**31 - 1


def has_all_keys(node: NodeInfo, constraints: Iterable[SpreadConstraint]) -> bool:
    labels = node.labels
    return all(c.topology_key in labels for c in constraints)


def included(constraint: SpreadConstraint, pod: PodInfo, node: NodeInfo) -> bool:
    """Whether the node's domain counts for the constraint (node inclusion policies)."""
    if constraint.honor_node_affinity and not matches_node_selector_and_affinity(pod, node):
        return False
    if constraint.honor_node_taints:
        hard = first_untolerated(
            node.taints, pod.tolerations, lambda t: t.effect in (NO_SCHEDULE, NO_EXECUTE)
        )
        if hard is not None:
            return False
    return True


def count_matching(constraint: SpreadConstraint, namespace: str, node: NodeInfo) -> int:
    """Pods on the node the constraint selects (terminating pods do not count)."""
    selector = constraint.selector
    if selector is None:
        return 0
    key = None if constraint.selector_key is None else (namespace, constraint.selector_key)
    if key is not None:
        count = node.match_counts.get(key)
        if count is not None:  # a scheduling cycle asks every node; most nodes did not change
            return count
    count = sum(
        1
        for p in node.pods.values()
        if p.namespace == namespace and not p.deleting and selector.matches(p.labels)
    )
    if key is not None:
        node.match_counts[key] = count
    return count


class CriticalPaths:
    """The two domains with the fewest matching pods (kube-scheduler's criticalPaths):
    enough to keep the minimum right as single pods are added or removed."""

    __slots__ = ("paths",)

    def __init__(self) -> None:
        self.paths = [["", MAX_INT32], ["", MAX_INT32]]

    def update(self, value: str, num: int) -> None:
        p = self.paths
        i = 0 if value == p[0][0] else 1 if value == p[1][0] else -1
        if i >= 0:
            p[i][1] = num
            if p[0][1] > p[1][1]:
                p[0], p[1] = p[1], p[0]
        elif num < p[0][1]:
            p[1] = p[0]
            p[0] = [value, num]
        elif num < p[1][1]:
            p[1] = [value, num]

    @property
    def minimum(self) -> int:
        return self.paths[0][1]

    def clone(self) -> CriticalPaths:
        twin = CriticalPaths()
        twin.paths = [list(self.paths[0]), list(self.paths[1])]
        return twin


class FilterState:
    """Matching pods per domain, per DoNotSchedule constraint."""

    def __init__(self, constraints: list[SpreadConstraint]) -> None:
        self.constraints = constraints
        self.counts: list[dict[str, int]] = [{} for _ in constraints]
        self.paths: list[CriticalPaths] = [CriticalPaths() for _ in constraints]

    def min_match(self, i: int) -> int:
        if len(self.counts[i]) < self.constraints[i].min_domains:
            return 0  # fewer domains than minDomains: the missing ones count as empty
        return self.paths[i].minimum

    def clone(self) -> FilterState:
        twin = FilterState.__new__(FilterState)
        twin.constraints = self.constraints
        twin.counts = [dict(c) for c in self.counts]
        twin.paths = [p.clone() for p in self.paths]
        return twin


class PodTopologySpread:
    name = NAME

    def __init__(self, fw: Framework) -> None:
        self.fw = fw

    # Filter

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status | None]:
        constraints = [c for c in pod.spread_constraints if c.when_unsatisfiable == DO_NOT_SCHEDULE]
        if not constraints:
            return None, SKIP
        fs = FilterState(constraints)
        for node in nodes:
            if not has_all_keys(node, constraints):
                continue
            for i, c in enumerate(constraints):
                if included(c, pod, node):
                    value = node.labels[c.topology_key]
                    counts = fs.counts[i]
                    counts[value] = counts.get(value, 0) + count_matching(c, pod.namespace, node)
        for i, counts in enumerate(fs.counts):
            for value, num in counts.items():
                fs.paths[i].update(value, num)
        state.write(FILTER_KEY, fs)
        return None, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        fs: FilterState = state.read(FILTER_KEY)
        labels = node.labels
        for i, c in enumerate(fs.constraints):
            value = labels.get(c.topology_key)
            if value is None:
                return MISSING_LABEL
            self_match = 1 if c.selector is not None and c.selector.matches(pod.labels) else 0
            skew = fs.counts[i].get(value, 0) + self_match - fs.min_match(i)
            if skew > c.max_skew:
                return REJECTED
        return None

    def add_pod(self, state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo) -> None:
        self._update(state, pod, added, node, 1)

    def remove_pod(self, state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo) -> None:
        self._update(state, pod, removed, node, -1)

    def _update(self, state: CycleState, pod: PodInfo, other: PodInfo, node: NodeInfo, delta: int) -> None:
        fs: FilterState | None = state.read(FILTER_KEY)
        if fs is None or not has_all_keys(node, fs.constraints):
            return
        for i, c in enumerate(fs.constraints):
            if other.namespace != pod.namespace or c.selector is None or not c.selector.matches(other.labels):
                continue
            if not included(c, pod, node):
                continue
            value = node.labels[c.topology_key]
            fs.counts[i][value] = fs.counts[i].get(value, 0) + delta
            fs.paths[i].update(value, fs.counts[i][value])

    # Score

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        constraints = [c for c in pod.spread_constraints if c.when_unsatisfiable == SCHEDULE_ANYWAY]
        if not constraints or not nodes:
            return SKIP
        # A node lacking a topology key is left out, except under the system default
        # constraints, which count only the keys a node has (kube-scheduler's
        # requireAllTopologies).
        require_all = not pod.spread_defaulted
        ignored = {n.name for n in nodes if not has_all_keys(n, constraints)} if require_all else set()
        pair_counts: dict[tuple[str, str], int] = {}
        sizes = [0] * len(constraints)
        for node in nodes:
            if node.name in ignored:
                continue
            for i, c in enumerate(constraints):
                if c.topology_key == HOSTNAME or c.topology_key not in node.labels:
                    continue  # hostname is counted per node in Score
                pair = (c.topology_key, node.labels[c.topology_key])
                if pair not in pair_counts:
                    pair_counts[pair] = 0
                    sizes[i] += 1
        weights = []
        for i, c in enumerate(constraints):
            size = len(nodes) - len(ignored) if c.topology_key == HOSTNAME else sizes[i]
            weights.append(math.log(size + 2))
        for node in self.fw.cache.node_list():
            if require_all and not has_all_keys(node, constraints):
                continue
            for c in constraints:
                if c.topology_key not in node.labels:
                    continue
                pair = (c.topology_key, node.labels[c.topology_key])
                if pair in pair_counts and included(c, pod, node):
                    pair_counts[pair] += count_matching(c, pod.namespace, node)
        state.write(SCORE_KEY, (constraints, ignored, pair_counts, weights))
        return None

    def score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        constraints, ignored, pair_counts, weights = state.read(SCORE_KEY)
        scores = []
        for node in nodes:
            if node.name in ignored:
                scores.append(0)
                continue
            total = 0.0
            for c, weight in zip(constraints, weights, strict=True):
                value = node.labels.get(c.topology_key)
                if value is None:
                    continue
                if c.topology_key == HOSTNAME:
                    count = count_matching(c, pod.namespace, node)
                else:
                    count = pair_counts.get((c.topology_key, value), 0)
                total += count * weight + (c.max_skew - 1)
            scores.append(round(total))
        state.write(SCORE_KEY + "/ignored", [node.name in ignored for node in nodes])
        return scores

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        """Fewer matching pods is better: (max + min - score) x 100 / max over the nodes
        that were scored; ignored nodes get 0."""
        ignored: list[bool] = state.read(SCORE_KEY + "/ignored")
        counted = [s for s, skip in zip(scores, ignored, strict=True) if not skip]
        if not counted:
            scores[:] = [0] * len(scores)
            return
        low, high = min(counted), max(counted)
        for i, skip in enumerate(ignored):
            if skip:
                scores[i] = 0
            elif high == 0:
                scores[i] = MAX_NODE_SCORE
            else:
                scores[i] = MAX_NODE_SCORE * (high + low - scores[i]) // high

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(POD, Action.ADD | Action.UPDATE_POD_LABEL | Action.DELETE),
            ClusterEvent(
                NODE, Action.ADD | Action.DELETE | Action.UPDATE_NODE_LABEL | Action.UPDATE_NODE_TAINT
            ),
        ]
