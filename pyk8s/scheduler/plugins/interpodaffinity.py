"""InterPodAffinity: place pods near (affinity) or away from (anti-affinity) other pods, per
topology domain (the value of `topologyKey` on the node).

Filter, on counts of matching pods per (topologyKey, value) made once in PreFilter:
- the pod's required affinity: every term needs a matching pod in the node's domain,
  except for the first pod of a group that matches its own terms
  (UnschedulableAndUnresolvable, "node(s) didn't match pod affinity rules");
- the pod's required anti-affinity: no matching pod in the node's domain
  (Unschedulable, "node(s) didn't match pod anti-affinity rules");
- existing pods' required anti-affinity: no pod whose anti-affinity the incoming pod
  matches in the node's domain (Unschedulable, "node(s) didn't satisfy existing pods
  anti-affinity rules").

Score: preferred terms both ways (and existing pods' required affinity, weight 1) add or
subtract their weight on every node of the domain; normalised by min-max.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pyk8s.scheduler.events import NODE, POD, Action, ClusterEvent
from pyk8s.scheduler.framework import MAX_NODE_SCORE, CycleState, PreFilterResult
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import SKIP, Code, Status
from pyk8s.scheduler.terms import AffinityTerm

if TYPE_CHECKING:
    from pyk8s.scheduler.framework import Framework

NAME = "InterPodAffinity"
REASON_AFFINITY = "node(s) didn't match pod affinity rules"
REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"
AFFINITY_REJECTED = Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, REASON_AFFINITY, plugin=NAME)
ANTI_AFFINITY_REJECTED = Status(Code.UNSCHEDULABLE, REASON_ANTI_AFFINITY, plugin=NAME)
EXISTING_ANTI_AFFINITY_REJECTED = Status(Code.UNSCHEDULABLE, REASON_EXISTING_ANTI_AFFINITY, plugin=NAME)
FILTER_KEY = "PreFilter" + NAME
SCORE_KEY = "PreScore" + NAME
HARD_POD_AFFINITY_WEIGHT = 1

Pair = tuple[str, str]


def _no_namespace_labels(_: str) -> None:
    return None


class FilterState:
    """Matching pods per topology pair: existing pods' anti-affinity to the incoming pod,
    and pods matching the incoming pod's affinity and anti-affinity terms."""

    def __init__(self, pod: PodInfo) -> None:
        self.pod = pod
        self.existing_anti: Counter[Pair] = Counter()
        self.affinity: Counter[Pair] = Counter()
        self.anti: Counter[Pair] = Counter()

    def clone(self) -> FilterState:
        twin = FilterState(self.pod)
        twin.existing_anti = Counter(self.existing_anti)
        twin.affinity = Counter(self.affinity)
        twin.anti = Counter(self.anti)
        return twin


def _bump(counts: Counter[Pair], node: NodeInfo, key: str, delta: int) -> None:
    value = node.labels.get(key)
    if value is None:
        return
    pair = (key, value)
    counts[pair] += delta
    if counts[pair] == 0:
        del counts[pair]


def matches_all(terms: tuple[AffinityTerm, ...], pod: PodInfo) -> bool:
    """Whether `pod` matches every term (namespace selectors are not consulted)."""
    return bool(terms) and all(t.matches(pod.namespace, pod.labels, _no_namespace_labels) for t in terms)


class InterPodAffinity:
    name = NAME

    def __init__(self, fw: Framework, *, hard_pod_affinity_weight: int = HARD_POD_AFFINITY_WEIGHT) -> None:
        self.fw = fw
        self.hard_pod_affinity_weight = hard_pod_affinity_weight

    # Filter

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status | None]:
        cache = self.fw.cache
        if (
            not pod.affinity_terms
            and not pod.anti_affinity_terms
            and not cache.nodes_with_required_anti_affinity_pods
        ):
            return None, SKIP
        fs = FilterState(pod)
        ns_labels = self.fw.listers.namespace_labels
        for name in cache.nodes_with_required_anti_affinity_pods:
            node = cache.get(name)
            if node is None:
                continue
            for existing in node.pods_with_required_anti_affinity.values():
                for term in existing.anti_affinity_terms:
                    if term.matches(pod.namespace, pod.labels, ns_labels):
                        _bump(fs.existing_anti, node, term.topology_key, 1)
        if pod.affinity_terms or pod.anti_affinity_terms:
            for node in nodes:
                for existing in node.pods.values():
                    self._count_incoming(fs, existing, node, 1)
        state.write(FILTER_KEY, fs)
        return None, None

    def _count_incoming(self, fs: FilterState, other: PodInfo, node: NodeInfo, delta: int) -> None:
        pod = fs.pod
        ns_labels = self.fw.listers.namespace_labels
        if pod.affinity_terms and all(
            t.matches(other.namespace, other.labels, ns_labels) for t in pod.affinity_terms
        ):
            for term in pod.affinity_terms:
                _bump(fs.affinity, node, term.topology_key, delta)
        for term in pod.anti_affinity_terms:
            if term.matches(other.namespace, other.labels, ns_labels):
                _bump(fs.anti, node, term.topology_key, delta)

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        fs: FilterState = state.read(FILTER_KEY)
        labels = node.labels
        if pod.affinity_terms and not self._satisfies_affinity(fs, labels):
            return AFFINITY_REJECTED
        if fs.anti:
            for term in pod.anti_affinity_terms:
                value = labels.get(term.topology_key)
                if value is not None and fs.anti.get((term.topology_key, value), 0) > 0:
                    return ANTI_AFFINITY_REJECTED
        for (key, value), count in fs.existing_anti.items():
            if count > 0 and labels.get(key) == value:
                return EXISTING_ANTI_AFFINITY_REJECTED
        return None

    @staticmethod
    def _satisfies_affinity(fs: FilterState, labels: dict[str, str] | object) -> bool:
        pods_exist = True
        for term in fs.pod.affinity_terms:
            value = labels.get(term.topology_key)  # type: ignore[attr-defined]
            if value is None:
                return False  # the node must have every topology key
            if fs.affinity.get((term.topology_key, value), 0) <= 0:
                pods_exist = False
        if pods_exist:
            return True
        # The first pod of a group with affinity to itself: nothing matches anywhere yet,
        # so let it start the group if it matches its own terms.
        return not fs.affinity and matches_all(fs.pod.affinity_terms, fs.pod)

    def add_pod(self, state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo) -> None:
        self._update(state, added, node, 1)

    def remove_pod(self, state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo) -> None:
        self._update(state, removed, node, -1)

    def _update(self, state: CycleState, other: PodInfo, node: NodeInfo, delta: int) -> None:
        fs: FilterState | None = state.read(FILTER_KEY)
        if fs is None:
            return
        ns_labels = self.fw.listers.namespace_labels
        for term in other.anti_affinity_terms:
            if term.matches(fs.pod.namespace, fs.pod.labels, ns_labels):
                _bump(fs.existing_anti, node, term.topology_key, delta)
        self._count_incoming(fs, other, node, delta)

    # Score

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        cache = self.fw.cache
        preferred = bool(pod.preferred_affinity_terms or pod.preferred_anti_affinity_terms)
        if not preferred and not cache.nodes_with_affinity_pods:
            return SKIP
        scores: dict[str, Counter[str]] = {}
        candidates: Iterable[NodeInfo] = (
            cache.node_list() if preferred else filter(None, map(cache.get, cache.nodes_with_affinity_pods))
        )
        for node in candidates:
            others = node.pods if preferred else node.pods_with_affinity
            for existing in others.values():
                self._score_existing(scores, pod, existing, node)
        if not scores:
            return SKIP
        state.write(SCORE_KEY, scores)
        return None

    def _score_existing(
        self, scores: dict[str, Counter[str]], pod: PodInfo, existing: PodInfo, node: NodeInfo
    ) -> None:
        ns_labels = self.fw.listers.namespace_labels
        labels = node.labels

        def add(term: AffinityTerm, weight: int, target: PodInfo, lookup: object) -> None:
            if term.matches(target.namespace, target.labels, lookup):  # type: ignore[arg-type]
                value = labels.get(term.topology_key)
                if value is not None:
                    scores.setdefault(term.topology_key, Counter())[value] += weight

        for term in pod.preferred_affinity_terms:
            add(term, term.weight, existing, ns_labels)
        for term in pod.preferred_anti_affinity_terms:
            add(term, -term.weight, existing, ns_labels)
        if self.hard_pod_affinity_weight > 0 and labels:
            for term in existing.affinity_terms:
                add(term, self.hard_pod_affinity_weight, pod, ns_labels)
        for term in existing.preferred_affinity_terms:
            add(term, term.weight, pod, ns_labels)
        for term in existing.preferred_anti_affinity_terms:
            add(term, -term.weight, pod, ns_labels)

    def score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        topology: dict[str, Counter[str]] = state.read(SCORE_KEY)
        out = []
        for node in nodes:
            labels = node.labels
            total = 0
            for key, values in topology.items():
                value = labels.get(key)
                if value is not None:
                    total += values.get(value, 0)
            out.append(total)
        return out

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        if not scores:
            return
        low, high = min(scores), max(scores)
        spread = high - low
        scores[:] = [int(MAX_NODE_SCORE * ((s - low) / spread)) if spread > 0 else 0 for s in scores]

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(POD, Action.ADD | Action.UPDATE_POD_LABEL | Action.DELETE),
            ClusterEvent(NODE, Action.ADD | Action.UPDATE_NODE_LABEL),
        ]
