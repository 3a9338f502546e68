"""Which pods the pod garbage collector removes."""

from __future__ import annotations

from pyk8s.controllers.podgc.selection import (
    failed_with_disruption,
    orphaned,
    terminated_to_delete,
    unscheduled_terminating,
)


def pod(
    name: str, phase: str = "Running", node: str = "", created: str = "2026-01-01T00:00:00Z", **meta: str
) -> dict:
    return {
        "metadata": {"name": name, "namespace": "ns", "creationTimestamp": created, **meta},
        "spec": {"nodeName": node} if node else {},
        "status": {"phase": phase},
    }


def test_oldest_terminated_pods_beyond_the_threshold() -> None:
    pods = [
        pod("new", "Succeeded", created="2026-01-03T00:00:00Z"),
        pod("old", "Failed", created="2026-01-01T00:00:00Z"),
        pod("mid", "Succeeded", created="2026-01-02T00:00:00Z"),
        pod("running", "Running", created="2025-01-01T00:00:00Z"),
    ]
    assert [p["metadata"]["name"] for p in terminated_to_delete(pods, 1)] == ["old", "mid"]
    assert terminated_to_delete(pods, 3) == []
    assert terminated_to_delete(pods, 0) == []


def test_orphans_and_unscheduled_terminating() -> None:
    pods = [
        pod("a", node="gone"),
        pod("b", node="here"),
        pod("c"),
        pod("d", deletionTimestamp="2026-01-01T00:00:00Z"),
    ]
    assert [p["metadata"]["name"] for p in orphaned(pods, {"here"})] == ["a"]
    assert [p["metadata"]["name"] for p in unscheduled_terminating(pods)] == ["d"]


def test_orphan_is_marked_failed_with_a_disruption_target() -> None:
    marked = failed_with_disruption(pod("a", node="gone"), 1_700_000_000.0)
    assert marked is not None
    assert marked["status"]["phase"] == "Failed"
    condition = marked["status"]["conditions"][0]
    assert (condition["type"], condition["status"], condition["reason"], condition["message"]) == (
        "DisruptionTarget",
        "True",
        "DeletionByPodGC",
        "PodGC: node no longer exists",
    )
    assert failed_with_disruption(marked, 1_700_000_001.0) is None
    succeeded = failed_with_disruption(pod("s", "Succeeded", node="gone"), 1_700_000_000.0)
    assert succeeded is not None and succeeded["status"]["phase"] == "Succeeded"
