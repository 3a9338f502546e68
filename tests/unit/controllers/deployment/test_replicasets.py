"""Finding the new and old ReplicaSets, counting, building, cleaning up history."""

from __future__ import annotations

from pyk8s.controllers.deployment import replicasets as rsutil
from pyk8s.controllers.deployment.revisions import DESIRED_REPLICAS
from pyk8s.controllers.deployment.templatehash import LABEL, compute_hash

from .builders import deployment, replica_set


def test_new_replica_set_is_found_by_template_ignoring_the_hash() -> None:
    d = deployment(image="nginx:2")
    old = replica_set("web-aaa", 3, image="nginx:1")
    new = replica_set("web-bbb", 1, image="nginx:2", created="2026-01-02T00:00:00Z")
    assert rsutil.find_new(d, [old, new]) is new
    active, every = rsutil.find_old(d, [old, new])
    assert active == [old] and every == [old]


def test_oldest_matching_replica_set_wins() -> None:
    d = deployment()
    a = replica_set("web-aaa", 1, created="2026-01-02T00:00:00Z")
    b = replica_set("web-bbb", 1, created="2026-01-01T00:00:00Z")
    assert rsutil.find_new(d, [a, b]) is b


def test_no_new_replica_set() -> None:
    d = deployment(image="nginx:3")
    assert rsutil.find_new(d, [replica_set("web-aaa", 1)]) is None


def test_counts() -> None:
    rss = [replica_set("a", 3, available=1, ready=2), replica_set("b", 2, running=1), None]
    assert rsutil.total_replicas(rss) == 5
    assert rsutil.actual_replicas(rss) == 4
    assert rsutil.ready_replicas(rss) == 3
    assert rsutil.available_replicas(rss) == 2
    assert rsutil.terminating_replicas(rss) is None
    rss[0]["status"]["terminatingReplicas"] = 2  # type: ignore[index]
    assert rsutil.terminating_replicas(rss) == 2


def test_active_or_latest() -> None:
    old = replica_set("web-old", 0, created="2026-01-01T00:00:00Z")
    older = replica_set("web-older", 0, created="2025-01-01T00:00:00Z")
    assert rsutil.find_active_or_latest(None, [older, old]) is old
    running = replica_set("web-run", 2)
    assert rsutil.find_active_or_latest(None, [old, running]) is running
    assert rsutil.find_active_or_latest(replica_set("web-new", 1), [running]) is None


def test_saturated_needs_size_annotation_and_availability() -> None:
    d = deployment(3)
    rs = replica_set("web-new", 3, desired=3)
    assert rsutil.is_saturated(d, rs)
    assert not rsutil.is_saturated(d, replica_set("web-new", 3))
    assert not rsutil.is_saturated(d, replica_set("web-new", 3, desired=3, available=2))
    rs["metadata"]["annotations"][DESIRED_REPLICAS] = "4"
    assert not rsutil.is_saturated(d, rs)


def test_new_replica_set_object() -> None:
    d = deployment(4)
    d["status"]["collisionCount"] = 2
    rs = rsutil.new_replica_set(d, 1)
    pod_hash = compute_hash(d["spec"]["template"], 2)
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert rs["metadata"]["labels"] == {"app": "web", LABEL: pod_hash}
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "web", LABEL: pod_hash}}
    assert rs["spec"]["template"]["metadata"]["labels"][LABEL] == pod_hash
    assert rs["metadata"]["ownerReferences"][0]["uid"] == "d-uid"
    assert rs["spec"]["replicas"] == 1
    assert LABEL not in d["spec"]["template"]["metadata"]["labels"]  # the Deployment is untouched
    assert rsutil.equal_ignore_hash(rs["spec"]["template"], d["spec"]["template"])


def test_sort_by_size_breaks_ties_by_age() -> None:
    a = replica_set("a", 2, created="2026-01-01T00:00:00Z")
    b = replica_set("b", 2, created="2026-01-02T00:00:00Z")
    c = replica_set("c", 5, created="2026-01-03T00:00:00Z")
    assert [rsutil.name(r) for r in rsutil.sorted_by_size_newer([a, b, c])] == ["c", "b", "a"]
    assert [rsutil.name(r) for r in rsutil.sorted_by_size_older([a, b, c])] == ["c", "a", "b"]


def test_history_cleanup_removes_oldest_idle_revisions_beyond_the_limit() -> None:
    d = deployment(history=1)
    r1 = replica_set("r1", 0, revision=1)
    r2 = replica_set("r2", 0, revision=2)
    r3 = replica_set("r3", 0, revision=3)
    assert rsutil.history_to_delete(d, [r3, r1, r2]) == [r1, r2]


def test_history_cleanup_spares_busy_and_unobserved_replica_sets() -> None:
    d = deployment(history=0)
    busy = replica_set("busy", 0, running=1, revision=1)
    unobserved = replica_set("unobserved", 0, revision=2, generation=3, observed=2)
    deleting = replica_set("deleting", 0, revision=3)
    deleting["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    assert rsutil.history_to_delete(d, [busy, unobserved, deleting]) == []
    assert rsutil.history_to_delete(deployment(history=None), [replica_set("x", 0)]) == []
