"""Node health: probe times on the controller's clock, Unknown conditions, taints."""

from __future__ import annotations

from typing import Any

from pyk8s.controllers.nodelifecycle.health import (
    NOT_READY_TAINT,
    UNREACHABLE_TAINT,
    HealthTracker,
    desired_taints,
    pod_not_ready,
    with_unknown_conditions,
)

T0 = 1_700_000_000.0


def node(
    ready: str | None = "True",
    heartbeat: str = "2026-01-01T00:00:00Z",
    taints: list | None = None,
    **spec: Any,
) -> dict:
    conditions = []
    if ready is not None:
        conditions.append(
            {
                "type": "Ready",
                "status": ready,
                "lastHeartbeatTime": heartbeat,
                "lastTransitionTime": heartbeat,
            }
        )
    return {
        "metadata": {"name": "n1", "creationTimestamp": "2023-11-14T22:13:20Z"},
        "spec": {"taints": taints or [], **spec},
        "status": {"conditions": conditions},
    }


def lease(renew: str) -> dict:
    return {"spec": {"renewTime": renew}}


def test_probe_time_moves_only_when_heartbeat_or_lease_moves() -> None:
    tracker = HealthTracker()
    assert tracker.observe(node(), lease("r1"), T0) == T0
    assert tracker.observe(node(), lease("r1"), T0 + 30) == T0  # nothing new seen
    assert tracker.observe(node(), lease("r2"), T0 + 35) == T0 + 35  # lease renewed
    assert tracker.observe(node(heartbeat="2026-01-01T00:01:00Z"), lease("r2"), T0 + 50) == T0 + 50
    tracker.forget("n1")
    assert tracker.observe(node(), None, T0 + 100) == T0 + 100


def test_a_node_that_never_posted_status_counts_from_its_creation() -> None:
    tracker = HealthTracker()
    assert tracker.observe(node(ready=None), None, T0 + 500) == T0


def test_silent_node_conditions_become_unknown() -> None:
    updated = with_unknown_conditions(node(), T0)
    assert updated is not None
    conditions = {c["type"]: c for c in updated["status"]["conditions"]}
    assert conditions["Ready"]["status"] == "Unknown"
    assert conditions["Ready"]["reason"] == "NodeStatusUnknown"
    assert conditions["Ready"]["message"] == "Kubelet stopped posting node status."
    assert conditions["MemoryPressure"]["reason"] == "NodeStatusNeverUpdated"
    assert conditions["MemoryPressure"]["message"] == "Kubelet never posted node status."
    assert with_unknown_conditions(updated, T0 + 10) is None


def keys(taints: list[dict]) -> set[tuple[str, str]]:
    return {(t["key"], t["effect"]) for t in taints}


def test_taints_follow_the_ready_condition() -> None:
    unknown = desired_taints(node(ready="Unknown"), T0)
    assert unknown is not None
    assert keys(unknown) == {(UNREACHABLE_TAINT, "NoSchedule"), (UNREACHABLE_TAINT, "NoExecute")}
    assert all(t["timeAdded"] == "2023-11-14T22:13:20Z" for t in unknown)
    swapped = desired_taints(node(ready="False", taints=unknown), T0)
    assert swapped is not None
    assert keys(swapped) == {(NOT_READY_TAINT, "NoSchedule"), (NOT_READY_TAINT, "NoExecute")}
    healed = desired_taints(
        node(ready="True", taints=[*swapped, {"key": "user", "effect": "NoSchedule"}]), T0
    )
    assert healed is not None and keys(healed) == {("user", "NoSchedule")}
    assert desired_taints(node(ready="True"), T0) is None


def test_pressure_and_unschedulable_taints() -> None:
    n = node(unschedulable=True)
    n["status"]["conditions"].append({"type": "DiskPressure", "status": "True"})
    taints = desired_taints(n, T0)
    assert taints is not None
    assert keys(taints) == {
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    }


def test_pods_on_a_lost_node_are_marked_not_ready() -> None:
    pod = {
        "status": {
            "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}]
        }
    }
    updated = pod_not_ready(pod, T0)
    assert updated is not None
    assert updated["status"]["conditions"][0]["status"] == "False"
    assert updated["status"]["conditions"][1]["status"] == "True"
    assert pod_not_ready(updated, T0) is None
