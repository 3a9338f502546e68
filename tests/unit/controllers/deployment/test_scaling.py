"""Rolling-update steps and proportional scaling."""

from __future__ import annotations

from pyk8s.controllers.deployment import replicasets as rsutil
from pyk8s.controllers.deployment.scaling import (
    cleanup_unhealthy_plan,
    new_rs_new_replicas,
    old_scale_down_budget,
    proportional_sizes,
    scale_down_old_plan,
    with_sizes,
)

from .builders import deployment, replica_set


def sizes(plan: list) -> dict[str, int]:
    return {rsutil.name(rs): size for rs, size in plan}


def test_new_replica_set_grows_up_to_the_surge() -> None:
    d = deployment(10, surge=3, unavailable=2, image="nginx:2")
    old = replica_set("web-old", 10)
    new = replica_set("web-new", 0, image="nginx:2")
    assert new_rs_new_replicas(d, [old, new], new) == 3


def test_new_replica_set_never_exceeds_replicas() -> None:
    d = deployment(10, surge="100%", unavailable=0, image="nginx:2")
    old = replica_set("web-old", 2)
    new = replica_set("web-new", 8, image="nginx:2")
    assert new_rs_new_replicas(d, [old, new], new) == 10


def test_no_growth_at_the_surge_ceiling() -> None:
    d = deployment(10, surge=3, unavailable=2, image="nginx:2")
    old = replica_set("web-old", 10)
    new = replica_set("web-new", 3, image="nginx:2")
    assert new_rs_new_replicas(d, [old, new], new) == 3


def test_recreate_grows_to_replicas_at_once() -> None:
    d = deployment(5, strategy="Recreate")
    new = replica_set("web-new", 0)
    assert new_rs_new_replicas(d, [new], new) == 5


def test_old_scale_down_keeps_minimum_availability() -> None:
    d = deployment(10, surge=3, unavailable=2, image="nginx:2")
    old = replica_set("web-old", 10)
    new = replica_set("web-new", 3, image="nginx:2", available=0)
    all_rss = [old, new]
    # 13 asked, at least 8 must stay available, the 3 new ones are not yet: 2 may go.
    assert old_scale_down_budget(d, all_rss, new) == 2
    assert sizes(scale_down_old_plan(d, all_rss, [old])) == {"web-old": 8}


def test_unhealthy_old_pods_go_first_and_oldest_first() -> None:
    older = replica_set("web-a", 3, available=1, created="2026-01-01T00:00:00Z")
    old = replica_set("web-b", 3, available=0, created="2026-01-02T00:00:00Z")
    assert sizes(cleanup_unhealthy_plan([old, older], 3)) == {"web-a": 1, "web-b": 2}
    assert sizes(cleanup_unhealthy_plan([old, older], 10)) == {"web-a": 1, "web-b": 0}


def test_scale_down_spans_old_replica_sets_oldest_first() -> None:
    d = deployment(4, surge=0, unavailable=2, image="nginx:3")
    older = replica_set("web-a", 2, created="2026-01-01T00:00:00Z")
    old = replica_set("web-b", 2, created="2026-01-02T00:00:00Z")
    new = replica_set("web-c", 0, image="nginx:3", created="2026-01-03T00:00:00Z")
    plan = scale_down_old_plan(d, [older, old, new], [old, older])
    assert sizes(plan) == {"web-a": 0}
    after = with_sizes([older, old, new], plan)
    assert [rsutil.rs_replicas(rs) for rs in after] == [0, 2, 0]
    assert rsutil.rs_replicas(older) == 2  # the originals are untouched


def test_proportional_scale_up_during_a_rollout() -> None:
    # Kubernetes' documented example: 10 replicas, surge 3, stuck mid-rollout at 8 old + 5
    # new, then scaled to 15: the 5 extra pods split 3 to the old, 2 to the new.
    d = deployment(15, surge=3, unavailable=2, image="nginx:2")
    old = replica_set("web-old", 8, max_replicas=13, created="2026-01-01T00:00:00Z")
    new = replica_set("web-new", 5, image="nginx:2", max_replicas=13, created="2026-01-02T00:00:00Z")
    plan, direction = proportional_sizes(d, new, [old])
    assert direction == "up"
    assert sizes(plan) == {"web-old": 11, "web-new": 7}


def test_proportional_scale_down() -> None:
    d = deployment(5, surge=3, unavailable=2, image="nginx:2")
    old = replica_set("web-old", 8, max_replicas=13, created="2026-01-01T00:00:00Z")
    new = replica_set("web-new", 5, image="nginx:2", max_replicas=13, created="2026-01-02T00:00:00Z")
    plan, direction = proportional_sizes(d, new, [old])
    assert direction == "down"
    assert sum(sizes(plan).values()) == 8  # 5 + surge 3
    assert sizes(plan) == {"web-old": 5, "web-new": 3}


def test_proportional_scale_to_zero() -> None:
    d = deployment(0, image="nginx:2")
    old = replica_set("web-old", 8, max_replicas=13)
    new = replica_set("web-new", 5, image="nginx:2", max_replicas=13)
    plan, _ = proportional_sizes(d, new, [old])
    assert sizes(plan) == {"web-old": 0, "web-new": 0}


def test_proportional_without_annotation_uses_status_replicas() -> None:
    d = deployment(20, surge=0, unavailable=1, image="nginx:2", status={"replicas": 10})
    old = replica_set("web-old", 5)
    new = replica_set("web-new", 5, image="nginx:2")
    plan, _ = proportional_sizes(d, new, [old])
    assert sizes(plan) == {"web-old": 10, "web-new": 10}


def test_scale_down_ignores_available_pods_above_a_replica_sets_spec() -> None:
    # The old ReplicaSet was just scaled to 2; its status still shows the 3 pods it had.
    d = deployment(6, surge=2, unavailable=1, image="nginx:2")
    old = replica_set("web-old", 2, running=3, available=3)
    new = replica_set("web-new", 6, image="nginx:2", available=4)
    assert sizes(scale_down_old_plan(d, [old, new], [old])) == {"web-old": 1}
