"""InterPodAffinity and PodTopologySpread filters on hand-built nodes."""

from __future__ import annotations

from pyk8s.scheduler.framework import CycleState, Framework
from pyk8s.scheduler.scheduler import Scheduler
from pyk8s.scheduler.status import Code

from .conftest import node_obj, pod, run_filters

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


def _cluster(scheduler: Scheduler, zones: dict[str, str]) -> None:
    for name, zone in zones.items():
        scheduler.cache.add_node(node_obj(name, labels={ZONE: zone}))


def _place(scheduler: Scheduler, name: str, node_name: str, **kwargs: object) -> None:
    scheduler.cache.add_pod(pod(name, node=node_name, **kwargs))


def _anti(labels: dict[str, str], key: str = HOST) -> dict:
    term = {"labelSelector": {"matchLabels": labels}, "topologyKey": key}
    return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}


def _affinity(labels: dict[str, str], key: str = ZONE) -> dict:
    term = {"labelSelector": {"matchLabels": labels}, "topologyKey": key}
    return {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}


def test_required_anti_affinity_keeps_pods_apart(scheduler: Scheduler, fw: Framework) -> None:
    _cluster(scheduler, {"a": "z1", "b": "z1", "c": "z2"})
    _place(scheduler, "db-0", "a", labels={"app": "db"})
    _, result = run_filters(
        fw, pod("db-1", labels={"app": "db"}, affinity=_anti({"app": "db"})), scheduler.cache.node_list()
    )
    assert result["a"].reasons == ("node(s) didn't match pod anti-affinity rules",)
    assert result["a"].code is Code.UNSCHEDULABLE
    assert result["b"] is None and result["c"] is None
    _, result = run_filters(fw, pod("db-2", affinity=_anti({"app": "db"}, ZONE)), scheduler.cache.node_list())
    assert [n for n, s in result.items() if s is None] == ["c"]


def test_existing_pods_anti_affinity_is_respected(scheduler: Scheduler, fw: Framework) -> None:
    _cluster(scheduler, {"a": "z1", "b": "z2"})
    _place(scheduler, "loner", "a", affinity=_anti({"app": "web"}))
    _, result = run_filters(fw, pod("web", labels={"app": "web"}), scheduler.cache.node_list())
    assert result["a"].reasons == ("node(s) didn't satisfy existing pods anti-affinity rules",)
    assert result["b"] is None


def test_required_affinity_needs_a_matching_pod_in_the_domain(scheduler: Scheduler, fw: Framework) -> None:
    _cluster(scheduler, {"a": "z1", "b": "z1", "c": "z2"})
    _place(scheduler, "cache", "a", labels={"app": "cache"})
    _, result = run_filters(fw, pod("web", affinity=_affinity({"app": "cache"})), scheduler.cache.node_list())
    assert result["a"] is None and result["b"] is None  # same zone as the cache pod
    assert result["c"].reasons == ("node(s) didn't match pod affinity rules",)
    assert result["c"].code is Code.UNSCHEDULABLE_AND_UNRESOLVABLE


def test_the_first_pod_of_a_self_affine_group_may_start_it(scheduler: Scheduler, fw: Framework) -> None:
    _cluster(scheduler, {"a": "z1", "b": "z2"})
    first = pod("g-0", labels={"group": "g"}, affinity=_affinity({"group": "g"}))
    _, result = run_filters(fw, first, scheduler.cache.node_list())
    assert all(s is None for s in result.values())
    stranger = pod("other", affinity=_affinity({"group": "g"}))
    _, result = run_filters(fw, stranger, scheduler.cache.node_list())
    assert all(s is not None for s in result.values())


def _spread(max_skew: int, key: str = ZONE, when: str = "DoNotSchedule", **extra: object) -> list[dict]:
    return [
        {
            "maxSkew": max_skew,
            "topologyKey": key,
            "whenUnsatisfiable": when,
            "labelSelector": {"matchLabels": {"app": "web"}},
            **extra,
        }
    ]


def test_topology_spread_rejects_nodes_that_would_skew_too_much(scheduler: Scheduler, fw: Framework) -> None:
    _cluster(scheduler, {"a": "z1", "b": "z2", "c": "z2"})
    _place(scheduler, "w0", "a", labels={"app": "web"})
    _place(scheduler, "w1", "a", labels={"app": "web"})
    _place(scheduler, "w2", "b", labels={"app": "web"})
    incoming = pod("w3", labels={"app": "web"}, topologySpreadConstraints=_spread(1))
    _, result = run_filters(fw, incoming, scheduler.cache.node_list())
    assert result["a"].reasons == ("node(s) didn't match pod topology spread constraints",)
    assert result["a"].code is Code.UNSCHEDULABLE
    assert result["b"] is None and result["c"] is None


def test_topology_spread_needs_the_topology_label(scheduler: Scheduler, fw: Framework) -> None:
    scheduler.cache.add_node(node_obj("zoned", labels={ZONE: "z1"}))
    scheduler.cache.add_node(node_obj("bare"))
    incoming = pod("w", labels={"app": "web"}, topologySpreadConstraints=_spread(1))
    _, result = run_filters(fw, incoming, scheduler.cache.node_list())
    assert result["bare"].reasons == (
        "node(s) didn't match pod topology spread constraints (missing required label)",
    )
    assert result["bare"].code is Code.UNSCHEDULABLE_AND_UNRESOLVABLE
    assert result["zoned"] is None


def test_min_domains_counts_missing_domains_as_empty(scheduler: Scheduler, fw: Framework) -> None:
    _cluster(scheduler, {"a": "z1", "b": "z2"})
    _place(scheduler, "w0", "a", labels={"app": "web"})
    _place(scheduler, "w1", "b", labels={"app": "web"})
    incoming = pod("w2", labels={"app": "web"}, topologySpreadConstraints=_spread(1, minDomains=3))
    _, result = run_filters(fw, incoming, scheduler.cache.node_list())
    assert all(s is not None for s in result.values())  # a third zone would be needed


def test_spread_ignores_pods_of_other_namespaces_and_terminating_ones(
    scheduler: Scheduler, fw: Framework
) -> None:
    _cluster(scheduler, {"a": "z1", "b": "z2"})
    _place(scheduler, "elsewhere", "a", labels={"app": "web"}, namespace="other")
    gone = pod("gone", node="a", labels={"app": "web"})
    gone.obj["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    scheduler.cache.add_pod(type(gone)(gone.obj))
    incoming = pod("w", labels={"app": "web"}, topologySpreadConstraints=_spread(1))
    _, result = run_filters(fw, incoming, scheduler.cache.node_list())
    assert all(s is None for s in result.values())


def test_prefilter_extensions_follow_added_and_removed_pods(scheduler: Scheduler, fw: Framework) -> None:
    _cluster(scheduler, {"a": "z1", "b": "z2"})
    _place(scheduler, "w0", "a", labels={"app": "web"})
    incoming = pod(
        "w1", labels={"app": "web"}, topologySpreadConstraints=_spread(1), affinity=_anti({"app": "web"})
    )
    nodes = scheduler.cache.node_list()
    state, result = run_filters(fw, incoming, nodes)
    assert result["a"] is not None and result["b"] is None
    what_if: CycleState = state.clone()
    a = scheduler.cache.get("a").clone()
    victim = a.remove_pod("default/w0")
    for ext in fw.extensions:
        ext.remove_pod(what_if, incoming, victim, a)
    assert fw.run_filter(what_if, incoming, a) is None
    assert fw.run_filter(state, incoming, scheduler.cache.get("a")) is not None  # the original is untouched
