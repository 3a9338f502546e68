"""Score plugins and their normalisation, number by number against kube-scheduler's formulas."""

from __future__ import annotations

from pyk8s.scheduler.framework import CycleState, Framework
from pyk8s.scheduler.plugins.balancedallocation import BalancedAllocation
from pyk8s.scheduler.plugins.helpers import default_normalize_score
from pyk8s.scheduler.plugins.imagelocality import MB, calculate_priority
from pyk8s.scheduler.plugins.noderesources import MOST_ALLOCATED, NodeResourcesFit, ResourceSpec
from pyk8s.scheduler.scheduler import Scheduler

from .conftest import node, node_obj, pod

GI = "Gi"


def _scores(plugin: object, p: object, nodes: list, state: CycleState | None = None) -> list[int]:
    state = state or CycleState()
    if hasattr(plugin, "pre_score"):
        assert plugin.pre_score(state, p, nodes) is None  # type: ignore[attr-defined]
    scores = plugin.score(state, p, nodes)  # type: ignore[attr-defined]
    plugin.normalize_score(state, p, scores)  # type: ignore[attr-defined]
    return scores


def test_least_allocated_prefers_the_emptier_node() -> None:
    empty = node("empty", cpu="4", memory="8Gi")
    half = node("half", pod("a", cpu="2", memory="4Gi"), cpu="4", memory="8Gi")
    incoming = pod("p", cpu="1", memory="2Gi")
    # empty: cpu (4000-1000)*100/4000 = 75, memory 75; half: cpu 25, memory 25
    assert _scores(NodeResourcesFit(), incoming, [empty, half]) == [75, 25]
    assert _scores(NodeResourcesFit(strategy=MOST_ALLOCATED), incoming, [empty, half]) == [25, 75]


def test_pods_without_requests_count_as_100m_and_200mi_for_scoring() -> None:
    empty = node("empty", cpu="1", memory="1Gi")
    incoming = pod("p", cpu=None, memory=None)
    # cpu (1000-100)*100/1000 = 90; memory (1024-200)*100/1024 = 80 (integer division)
    assert _scores(NodeResourcesFit(), incoming, [empty]) == [(90 + 80) // 2]


def test_resource_weights_and_extended_resources() -> None:
    fit = NodeResourcesFit(resources=(ResourceSpec("cpu", 1), ResourceSpec("example.com/gpu", 3)))
    gpu = node("gpu", cpu="4", **{"example.com/gpu": "4"})
    p = pod("p", cpu="2")
    p.requests["example.com/gpu"] = 1
    # cpu: non-zero 2000 of 4000 -> 50; gpu 1 of 4 -> 75; (50*1 + 75*3) / 4 = 68
    assert _scores(fit, p, [gpu]) == [68]
    # a pod not asking for the gpu leaves it out: only cpu counts
    assert _scores(fit, pod("q", cpu="2"), [gpu]) == [50]


def test_balanced_allocation_scores_even_usage_higher() -> None:
    even = node("even", cpu="4", memory="8Gi")
    skewed = node("skewed", pod("a", cpu="2", memory="0"), cpu="4", memory="8Gi")
    incoming = pod("p", cpu="2", memory="4Gi")
    # even: cpu 0.5, memory 0.5 -> 100; skewed: cpu 1.0, memory 0.5 -> (1 - 0.25) * 100 = 75
    assert _scores(BalancedAllocation(), incoming, [even, skewed]) == [100, 75]


def test_balanced_allocation_skips_best_effort_pods() -> None:
    from pyk8s.scheduler.status import Code

    state = CycleState()
    status = BalancedAllocation().pre_score(state, pod("p", cpu=None, memory=None), [node("n")])
    assert status is not None and status.code is Code.SKIP


def test_default_normalize_score() -> None:
    scores = [0, 5, 10]
    default_normalize_score(scores)
    assert scores == [0, 50, 100]
    scores = [0, 1, 2]
    default_normalize_score(scores, reverse=True)
    assert scores == [100, 50, 0]
    scores = [0, 0]
    default_normalize_score(scores, reverse=True)
    assert scores == [100, 100]


def test_taint_toleration_prefers_fewer_untolerated_prefer_no_schedule_taints(
    scheduler: Scheduler, fw: Framework
) -> None:
    soft = {"effect": "PreferNoSchedule"}
    for name, taints in (
        ("clean", []),
        ("one", [{"key": "a", **soft}]),
        ("two", [{"key": "a", **soft}, {"key": "b", **soft}]),
    ):
        scheduler.cache.add_node(node_obj(name, taints=taints))
    nodes = scheduler.cache.node_list()
    plugin = fw.plugin("TaintToleration")
    assert _scores(plugin, pod("p"), nodes) == [100, 50, 0]
    tolerant = pod("q", tolerations=[{"key": "b", "operator": "Exists", "effect": "PreferNoSchedule"}])
    assert _scores(plugin, tolerant, nodes) == [100, 0, 0]


def test_preferred_node_affinity_sums_matching_weights(fw: Framework) -> None:
    preferred = [
        {
            "weight": 10,
            "preference": {"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]},
        },
        {
            "weight": 30,
            "preference": {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]},
        },
    ]
    affinity = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": preferred}}
    nodes = [
        node("both", labels={"disk": "ssd", "zone": "a"}),
        node("zone", labels={"zone": "a"}),
        node("disk", labels={"disk": "ssd"}),
        node("none"),
    ]
    assert _scores(fw.plugin("NodeAffinity"), pod("p", affinity=affinity), nodes) == [100, 75, 25, 0]


def test_image_locality(scheduler: Scheduler, fw: Framework) -> None:
    image = {"names": ["registry.local/big:1"], "sizeBytes": 500 * MB}
    scheduler.cache.add_node(node_obj("has", images=[image]))
    scheduler.cache.add_node(node_obj("lacks"))
    nodes = scheduler.cache.node_list()
    # half the nodes have it: 500 MB x 0.5 = 250 MB; (250 - 23) * 100 / (1000 - 23) = 23
    assert _scores(fw.plugin("ImageLocality"), pod("p", image="registry.local/big:1"), nodes) == [23, 0]
    assert calculate_priority(0, 1) == 0
    assert calculate_priority(5000 * MB, 1) == 100


def test_topology_spread_schedule_anyway_prefers_the_emptier_zone(
    scheduler: Scheduler, fw: Framework
) -> None:
    zone = "topology.kubernetes.io/zone"
    scheduler.cache.add_node(node_obj("a", labels={zone: "z1"}))
    scheduler.cache.add_node(node_obj("b", labels={zone: "z2"}))
    scheduler.cache.add_node(node_obj("bare"))
    for i in range(2):
        scheduler.cache.add_pod(pod(f"w{i}", node="a", labels={"app": "web"}))
    constraint = {
        "maxSkew": 1,
        "topologyKey": zone,
        "whenUnsatisfiable": "ScheduleAnyway",
        "labelSelector": {"matchLabels": {"app": "web"}},
    }
    incoming = pod("w", labels={"app": "web"}, topologySpreadConstraints=[constraint])
    # a: 2 x log(2 + 2) = 2.77 -> 3; b: 0; normalised (max + min - s) x 100 / max; bare is ignored
    assert _scores(fw.plugin("PodTopologySpread"), incoming, scheduler.cache.node_list()) == [0, 100, 0]


def test_preferred_pod_affinity_is_min_max_normalised(scheduler: Scheduler, fw: Framework) -> None:
    for name in ("a", "b", "c"):
        scheduler.cache.add_node(node_obj(name))
    scheduler.cache.add_pod(pod("cache", node="a", labels={"app": "cache"}))
    scheduler.cache.add_pod(pod("noisy", node="c", labels={"app": "noisy"}))
    term = lambda app, w: {  # noqa: E731
        "weight": w,
        "podAffinityTerm": {
            "labelSelector": {"matchLabels": {"app": app}},
            "topologyKey": "kubernetes.io/hostname",
        },
    }
    affinity = {
        "podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [term("cache", 50)]},
        "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [term("noisy", 50)]},
    }
    # raw: a +50, b 0, c -50 -> (s - min) x 100 / (max - min)
    assert _scores(
        fw.plugin("InterPodAffinity"), pod("p", affinity=affinity), scheduler.cache.node_list()
    ) == [100, 50, 0]


def test_weighted_totals_pick_the_preferred_node(scheduler: Scheduler, fw: Framework) -> None:
    for name in ("a", "b", "c"):
        scheduler.cache.add_node(node_obj(name, labels={"tier": "gold" if name == "c" else "std"}))
    preferred = [
        {
            "weight": 1,
            "preference": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["gold"]}]},
        }
    ]
    incoming = pod(
        "p", affinity={"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": preferred}}
    )
    result = scheduler.algorithm.schedule_pod(fw, CycleState(), incoming)
    assert result.node == "c"
    assert (result.evaluated_nodes, result.feasible_nodes) == (3, 3)
