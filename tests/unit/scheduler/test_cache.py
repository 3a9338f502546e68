"""The cache: assumed pods, node order, and what it counts for the plugins."""

from __future__ import annotations

import pytest

from pyk8s.scheduler.cache import Cache

from .conftest import node_obj, pod, pod_obj


def test_an_assumed_pod_counts_at_once_and_is_confirmed_or_forgotten() -> None:
    cache = Cache()
    cache.add_node(node_obj("a", cpu="2"))
    p = pod("p", cpu="1500m")
    cache.assume_pod(p.assumed_on("a"))
    assert cache.is_assumed("default/p")
    assert cache.get("a").req_cpu == 1500
    with pytest.raises(ValueError):
        cache.assume_pod(p.assumed_on("a"))
    cache.forget_pod("default/p")
    assert cache.get("a").req_cpu == 0 and not cache.is_assumed("default/p")

    cache.assume_pod(p.assumed_on("a"))
    cache.add_pod(pod("p", cpu="1500m", node="a"))  # the watch reports the binding
    assert not cache.is_assumed("default/p")
    assert cache.get("a").req_cpu == 1500
    cache.forget_pod("default/p")  # no longer assumed: nothing happens
    assert cache.get("a").req_cpu == 1500
    cache.remove_pod("default/p")
    assert cache.get("a").req_cpu == 0 and len(cache.get("a").pods) == 0


def test_pods_may_arrive_before_their_node() -> None:
    cache = Cache()
    cache.add_pod(pod("early", node="late", cpu="1"))
    assert cache.get("late") is None and cache.node_list() == []
    cache.add_node(node_obj("late"))
    assert cache.get("late").req_cpu == 1000
    cache.remove_node("late")
    assert cache.get("late") is None and "late" in cache.nodes  # kept for its pod
    cache.remove_pod("default/early")
    assert "late" not in cache.nodes


def test_nodes_are_listed_round_robin_over_zones() -> None:
    cache = Cache()
    zone = "topology.kubernetes.io/zone"
    for name, z in (("a1", "a"), ("a2", "a"), ("a3", "a"), ("b1", "b"), ("c1", "c"), ("c2", "c")):
        cache.add_node(node_obj(name, labels={zone: z}))
    assert [n.name for n in cache.node_list()] == ["a1", "b1", "c1", "a2", "c2", "a3"]


def test_image_and_taint_counts_follow_node_updates() -> None:
    cache = Cache()
    image = {"names": ["app:1"], "sizeBytes": 10}
    cache.add_node(node_obj("a", images=[image], taints=[{"key": "k", "effect": "PreferNoSchedule"}]))
    cache.add_node(node_obj("b", images=[image]))
    assert cache.image_nodes["app:1"] == 2 and cache.nodes_with_prefer_taints == 1
    cache.update_node(node_obj("a"))
    assert cache.image_nodes["app:1"] == 1 and cache.nodes_with_prefer_taints == 0
    cache.remove_node("b")
    assert "app:1" not in cache.image_nodes


def test_pods_with_affinity_are_tracked_per_node() -> None:
    cache = Cache()
    cache.add_node(node_obj("a"))
    term = {"labelSelector": {"matchLabels": {"app": "x"}}, "topologyKey": "kubernetes.io/hostname"}
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    cache.add_pod(pod("p", node="a", affinity=anti))
    assert cache.nodes_with_required_anti_affinity_pods == {"a"} == cache.nodes_with_affinity_pods
    cache.remove_pod("default/p")
    assert not cache.nodes_with_required_anti_affinity_pods and not cache.nodes_with_affinity_pods


def test_a_binding_seen_by_the_watch_reuses_the_assumed_pod_info() -> None:
    import random

    from pyk8s.scheduler.eventhandlers import AssignedPodHandler
    from pyk8s.scheduler.scheduler import Scheduler

    scheduler = Scheduler(None, rng=random.Random(1))
    scheduler.cache.add_node(node_obj("a"))
    pending = pod("p", cpu="1")
    assumed = pending.assumed_on("a")
    scheduler.cache.assume_pod(assumed)
    handler = AssignedPodHandler(scheduler)
    bound = pod_obj("p", cpu="1", node="a")
    handler.on_add(bound, False)
    confirmed = scheduler.cache.get_pod("default/p")
    assert confirmed is not None and confirmed.obj is bound and confirmed.requests is assumed.requests
    assert not scheduler.cache.is_assumed("default/p")
    # a binding that changed something else is parsed afresh
    scheduler.cache.remove_pod("default/p")
    scheduler.cache.assume_pod(pending.assumed_on("a"))
    changed = pod_obj("p", cpu="2", node="a")
    handler.on_add(changed, False)
    assert scheduler.cache.get("a").req_cpu == 2000
