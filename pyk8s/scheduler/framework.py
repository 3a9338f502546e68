"""The scheduling framework: plugin extension points and the `Framework` that runs them.

A profile (one `schedulerName`) is a `Framework`: an ordered list of plugins, each
implementing some of the extension points below, and a weight per Score plugin.

    scheduling cycle (synchronous, one pod at a time)
        PreFilter ─► Filter (per node) ─► PostFilter (only when no node fits: preemption)
                 ─► PreScore ─► Score (+ normalize, x weight) ─► Reserve
    binding cycle (asynchronous, many pods at once)
        PreBind ─► Bind ─► PostBind           (failure: Unreserve, forget the assumed pod)

Where pyk8s differs from kube-scheduler, for speed in one Python thread:
- Plugins are synchronous and must not await, except PreBind and Bind (the API writes).
- A Score plugin scores the whole list of feasible nodes in one call and normalises the
  list in place; kube-scheduler calls Score once per node.
- A PreFilter or PreScore answering SKIP removes that plugin's Filter or Score from the
  cycle, as in kube-scheduler; plugins use it to stay out of the hot loop for pods they
  have nothing to say about (no host ports, no affinity, no PVCs...).
- The Framework is also the plugins' Handle: the cache, the nominator, listers, the client.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.client.informers import Indexer
from pyk8s.scheduler.events import ClusterEvent
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import Code, Diagnosis, Status

if TYPE_CHECKING:
    from pyk8s.client import Client
    from pyk8s.scheduler.cache import Cache
    from pyk8s.scheduler.queue import Nominator

Obj = dict[str, Any]
MAX_NODE_SCORE = 100
BatchFilter = Callable[["CycleState", PodInfo, list[NodeInfo], dict[str, Status]], list[NodeInfo]]


class CycleState:
    """What plugins compute once per cycle (PreFilter, PreScore) and read per node."""

    __slots__ = ("batch_filters", "data", "filters", "scorers", "skip_filter", "skip_score")

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.skip_filter: set[str] = set()
        self.skip_score: set[str] = set()
        self.filters: list[FilterPlugin] = []
        self.batch_filters: list[BatchFilter] = []
        self.scorers: list[tuple[ScorePlugin, int]] = []

    def read(self, key: str) -> Any:
        return self.data.get(key)

    def write(self, key: str, value: Any) -> None:
        self.data[key] = value

    def clone(self) -> CycleState:
        """A copy for what-if evaluation: values with a `clone()` are copied, others shared."""
        twin = CycleState()
        twin.data = {k: (v.clone() if hasattr(v, "clone") else v) for k, v in self.data.items()}
        twin.skip_filter = set(self.skip_filter)
        twin.skip_score = set(self.skip_score)
        twin.filters = list(self.filters)
        twin.batch_filters = list(self.batch_filters)
        twin.scorers = list(self.scorers)
        return twin


@dataclass
class PreFilterResult:
    """A PreFilter's narrowing of the candidate nodes (None: all nodes)."""

    node_names: set[str] | None = None
    plugins: list[str] = field(default_factory=list)  # the PreFilters that narrowed them

    def merge(self, other: PreFilterResult | None) -> PreFilterResult:
        if other is None or other.node_names is None:
            return self
        plugins = self.plugins + other.plugins
        if self.node_names is None:
            return PreFilterResult(set(other.node_names), plugins)
        return PreFilterResult(self.node_names & other.node_names, plugins)

    def absent_message(self) -> str:
        """The reason given for every node the result left out."""
        return f"node(s) didn't satisfy plugin(s) [{' '.join(sorted(self.plugins))}]"


@dataclass
class PostFilterResult:
    """What PostFilter (preemption) decided: the node the pod is nominated to."""

    nominated_node_name: str = ""


# extension points


class Plugin(Protocol):
    name: str


@runtime_checkable
class PreFilterPlugin(Protocol):
    name: str

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status | None]: ...


@runtime_checkable
class PreFilterExtensions(Protocol):
    """PreFilter state that depends on the pods of a node (used for nominated pods and
    preemption's what-ifs): keep it right when a pod is added to or removed from `node`."""

    name: str

    def add_pod(self, state: CycleState, pod: PodInfo, added: PodInfo, node: NodeInfo) -> None: ...

    def remove_pod(self, state: CycleState, pod: PodInfo, removed: PodInfo, node: NodeInfo) -> None: ...


@runtime_checkable
class FilterPlugin(Protocol):
    name: str

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None: ...


@runtime_checkable
class BatchFilterPlugin(Protocol):
    """A Filter that can also judge many nodes in one call (the scheduling loop's fast
    path). It must agree with `filter` node by node: return the nodes `filter` passes, in
    order, and put `filter`'s status for every other node into `rejected`."""

    name: str

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None: ...

    def filter_nodes(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo], rejected: dict[str, Status]
    ) -> list[NodeInfo]: ...


def filter_nodes_one_by_one(
    plugin: FilterPlugin, state: CycleState, pod: PodInfo, nodes: list[NodeInfo], rejected: dict[str, Status]
) -> list[NodeInfo]:
    """`filter_nodes` for a plugin that only has `filter`."""
    passing = []
    judge = plugin.filter
    for node in nodes:
        status = judge(state, pod, node)
        if status is None:
            passing.append(node)
        else:
            rejected[node.name] = status
    return passing


def record_rejections(
    plugin: FilterPlugin,
    state: CycleState,
    pod: PodInfo,
    nodes: list[NodeInfo],
    passing: list[NodeInfo],
    rejected: dict[str, Status],
) -> list[NodeInfo]:
    """For batch filters: ask `filter` why each node missing from `passing` failed."""
    if len(passing) != len(nodes):
        passed = {id(n) for n in passing}
        for node in nodes:
            if id(node) not in passed:
                status = plugin.filter(state, pod, node)
                if status is not None:
                    rejected[node.name] = status
    return passing


@runtime_checkable
class PostFilterPlugin(Protocol):
    name: str

    def post_filter(
        self, state: CycleState, pod: PodInfo, diagnosis: Diagnosis
    ) -> tuple[PostFilterResult | None, Status | None]: ...


@runtime_checkable
class PreScorePlugin(Protocol):
    name: str

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None: ...


@runtime_checkable
class ScorePlugin(Protocol):
    """Scores every node in `nodes` (raw), then `normalize_score` maps them onto 0..100."""

    name: str

    def score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]: ...

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None: ...


@runtime_checkable
class ReservePlugin(Protocol):
    name: str

    def reserve(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None: ...

    def unreserve(self, state: CycleState, pod: PodInfo, node_name: str) -> None: ...


@runtime_checkable
class PreBindPlugin(Protocol):
    name: str

    async def pre_bind(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None: ...


@runtime_checkable
class BindPlugin(Protocol):
    """Binds the pod; SKIP hands it to the next Bind plugin."""

    name: str

    async def bind(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None: ...


@runtime_checkable
class EnqueueExtensions(Protocol):
    name: str

    def events_to_register(self) -> list[ClusterEvent]: ...


# the handle's data sources


@dataclass
class Listers:
    """Read-only caches of the objects plugins look up (the informers' indexers)."""

    namespaces: Indexer = field(default_factory=Indexer)
    persistent_volume_claims: Indexer = field(default_factory=Indexer)
    persistent_volumes: Indexer = field(default_factory=Indexer)
    storage_classes: Indexer = field(default_factory=Indexer)
    pod_disruption_budgets: Indexer = field(default_factory=Indexer)

    def namespace_labels(self, name: str) -> Mapping[str, str] | None:
        ns = self.namespaces.get(name)
        if ns is None:
            return None
        return (ns.get("metadata") or {}).get("labels") or {}


class Recorder(Protocol):
    """Records events about objects (an EventRecorder)."""

    def event(self, obj: Obj, type: str, reason: str, message: str, *, field_path: str = "") -> None: ...


class Framework:
    """One profile: its plugins by extension point, run in order, and the plugins' Handle."""

    def __init__(
        self,
        *,
        profile_name: str,
        cache: Cache,
        nominator: Nominator,
        listers: Listers | None = None,
        client: Client | None = None,
        recorder: Recorder | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        percentage_of_nodes_to_score: int = 0,
    ) -> None:
        self.profile_name = profile_name
        self.cache = cache
        self.nominator = nominator
        self.listers = listers or Listers()
        self.client = client
        self.recorder = recorder
        self.clock = clock or RealClock()
        self.rng = rng or random.Random()
        self.percentage_of_nodes_to_score = percentage_of_nodes_to_score
        self.plugins: list[Any] = []
        self.weights: dict[str, int] = {}
        self.pre_filter_plugins: list[PreFilterPlugin] = []
        self.filter_plugins: list[FilterPlugin] = []
        self._batch: dict[str, BatchFilter] = {}
        self.extensions: list[PreFilterExtensions] = []
        self.post_filter_plugins: list[PostFilterPlugin] = []
        self.pre_score_plugins: list[PreScorePlugin] = []
        self.score_plugins: list[ScorePlugin] = []
        self.reserve_plugins: list[ReservePlugin] = []
        self.pre_bind_plugins: list[PreBindPlugin] = []
        self.bind_plugins: list[BindPlugin] = []

    def add_plugin(self, plugin: Any, *, weight: int = 1) -> None:
        """Register a plugin at every extension point it implements (in call order)."""
        self.plugins.append(plugin)
        points = (
            (PreFilterPlugin, self.pre_filter_plugins),
            (FilterPlugin, self.filter_plugins),
            (PreFilterExtensions, self.extensions),
            (PostFilterPlugin, self.post_filter_plugins),
            (PreScorePlugin, self.pre_score_plugins),
            (ScorePlugin, self.score_plugins),
            (ReservePlugin, self.reserve_plugins),
            (PreBindPlugin, self.pre_bind_plugins),
            (BindPlugin, self.bind_plugins),
        )
        for protocol, plugins in points:
            if isinstance(plugin, protocol):
                plugins.append(plugin)  # type: ignore[arg-type]
        if isinstance(plugin, ScorePlugin):
            self.weights[plugin.name] = weight
        if isinstance(plugin, BatchFilterPlugin):
            self._batch[plugin.name] = plugin.filter_nodes
        elif isinstance(plugin, FilterPlugin):
            self._batch[plugin.name] = functools.partial(filter_nodes_one_by_one, plugin)

    def plugin(self, name: str) -> Any:
        return next((p for p in self.plugins if p.name == name), None)

    def events_to_register(self) -> dict[str, list[ClusterEvent]]:
        return {p.name: p.events_to_register() for p in self.plugins if isinstance(p, EnqueueExtensions)}

    # scheduling cycle

    def run_pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status | None]:
        """Every PreFilter in order; the first rejection ends it. Fills `state.filters`."""
        result: PreFilterResult | None = None
        for plugin in self.pre_filter_plugins:
            got, status = plugin.pre_filter(state, pod, nodes)
            if status is not None:
                if status.code is Code.SKIP:
                    state.skip_filter.add(plugin.name)
                    continue
                return None, status.with_plugin(plugin.name)
            if got is not None and got.node_names is not None:
                result = got if result is None else result.merge(got)
                if not result.node_names:
                    if len(result.plugins) == 1:
                        reason = f"node(s) didn't satisfy plugin {result.plugins[0]}"
                    else:
                        reason = (
                            f"node(s) didn't satisfy plugin(s) [{' '.join(result.plugins)}] simultaneously"
                        )
                    return result, Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reason, plugin=plugin.name)
        state.filters = [p for p in self.filter_plugins if p.name not in state.skip_filter]
        state.batch_filters = [self._batch[p.name] for p in state.filters]
        return result, None

    def run_filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        """The cycle's Filters in order, stopping at the first that rejects the node."""
        for plugin in state.filters:
            status = plugin.filter(state, pod, node)
            if status is not None:
                return status
        return None

    def run_filter_with_nominated_pods(
        self, state: CycleState, pod: PodInfo, node: NodeInfo
    ) -> Status | None:
        """Filter, counting pods nominated to `node` with at least `pod`'s priority as if
        they were running there; a node must fit both with and without them (so that
        neither the nominated pods nor anti-affinity to them can be ignored)."""
        nominated = self.nominator.nominated_pods_for_node(node.name)
        if not nominated:
            return self.run_filter(state, pod, node)
        added = [p for p in nominated if p.priority >= pod.priority and p.key != pod.key]
        if not added:
            return self.run_filter(state, pod, node)
        with_nominated = node.clone()
        state_with = state.clone()
        for other in added:
            with_nominated.add_pod(other)
            for ext in self.extensions:
                if ext.name not in state.skip_filter:
                    ext.add_pod(state_with, pod, other, with_nominated)
        status = self.run_filter(state_with, pod, with_nominated)
        if status is not None:
            return status
        return self.run_filter(state, pod, node)

    def run_post_filter(
        self, state: CycleState, pod: PodInfo, diagnosis: Diagnosis
    ) -> tuple[PostFilterResult | None, Status | None]:
        """PostFilters in order until one succeeds (preemption); messages of failures kept."""
        last: Status | None = None
        for plugin in self.post_filter_plugins:
            result, status = plugin.post_filter(state, pod, diagnosis)
            if status is None or status.code is Code.SUCCESS:
                return result, None
            if not status.is_rejected():
                return None, status.with_plugin(plugin.name)
            last = status.with_plugin(plugin.name)
        return None, last

    def run_pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        for plugin in self.pre_score_plugins:
            status = plugin.pre_score(state, pod, nodes)
            if status is not None:
                if status.code is Code.SKIP:
                    state.skip_score.add(plugin.name)
                    continue
                return status.with_plugin(plugin.name)
        state.scorers = [
            (p, self.weights[p.name]) for p in self.score_plugins if p.name not in state.skip_score
        ]
        return None

    def run_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        """The weighted sum of every Score plugin's normalised score, per node."""
        totals: list[int] | None = None
        for plugin, weight in state.scorers:
            scores = plugin.score(state, pod, nodes)
            plugin.normalize_score(state, pod, scores)
            if totals is None:
                totals = scores if weight == 1 else [s * weight for s in scores]
            elif weight == 1:
                totals = [t + s for t, s in zip(totals, scores, strict=True)]
            else:
                totals = [t + s * weight for t, s in zip(totals, scores, strict=True)]
        return totals if totals is not None else [0] * len(nodes)

    def run_reserve(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        for plugin in self.reserve_plugins:
            status = plugin.reserve(state, pod, node_name)
            if status is not None:
                return status.with_plugin(plugin.name)
        return None

    def run_unreserve(self, state: CycleState, pod: PodInfo, node_name: str) -> None:
        for plugin in reversed(self.reserve_plugins):
            plugin.unreserve(state, pod, node_name)

    # binding cycle

    async def run_pre_bind(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        for plugin in self.pre_bind_plugins:
            status = await plugin.pre_bind(state, pod, node_name)
            if status is not None and status.code is not Code.SKIP:
                return status.with_plugin(plugin.name)
        return None

    async def run_bind(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        for plugin in self.bind_plugins:
            status = await plugin.bind(state, pod, node_name)
            if status is not None and status.code is Code.SKIP:
                continue
            return status.with_plugin(plugin.name) if status is not None else None
        return Status(Code.ERROR, "no bind plugin bound the pod")
