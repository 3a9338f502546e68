"""The ReplicaSet controller's pure decisions: batches, diffs, deletion choice, status."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.meta import rfc3339
from pyk8s.controllers.replicaset import logic
from pyk8s.controllers.replicaset.flavor import replicaset_selector, replicationcontroller_selector

NOW = 1_700_000_000.0


def rs(
    replicas: int = 3, *, min_ready: int = 0, generation: int = 2, status: dict[str, Any] | None = None
) -> dict:
    return {
        "metadata": {"name": "web", "namespace": "ns", "uid": "u-rs", "generation": generation},
        "spec": {
            "replicas": replicas,
            "minReadySeconds": min_ready,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web", "tier": "front"}}},
        },
        "status": status if status is not None else {"replicas": 0},
    }


def pod(
    name: str,
    *,
    labels: dict[str, str] | None = None,
    ready: bool = True,
    ready_for: float = 60,
    node: str = "n1",
):
    return {
        "metadata": {
            "name": name,
            "uid": f"u-{name}",
            "labels": labels if labels is not None else {"app": "web", "tier": "front"},
            "creationTimestamp": rfc3339(NOW - 3600),
        },
        "spec": {"nodeName": node},
        "status": {
            "phase": "Running",
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True" if ready else "False",
                    "lastTransitionTime": rfc3339(NOW - ready_for),
                }
            ],
        },
    }


@pytest.mark.parametrize(
    ("count", "batches"),
    [
        (0, []),
        (1, [1]),
        (2, [1, 1]),
        (3, [1, 2]),
        (10, [1, 2, 4, 3]),
        (15, [1, 2, 4, 8]),
        (500, [1, 2, 4, 8, 16, 32, 64, 128, 245]),
    ],
)
def test_slow_start_batches_double(count: int, batches: list[int]) -> None:
    assert logic.slow_start_batches(count) == batches
    assert sum(batches) == count


def test_replica_diff_is_capped_by_the_burst() -> None:
    assert logic.replica_diff(0, rs(3), 500) == 3
    assert logic.replica_diff(5, rs(3), 500) == -2
    assert logic.replica_diff(0, rs(1000), 500) == 500
    assert logic.replica_diff(1000, rs(0), 500) == -500
    assert logic.replica_diff(3, rs(3), 500) == 0


def test_pods_to_delete_prefers_not_ready_and_doubled_up_pods() -> None:
    pods = [
        pod("ready-alone", node="n2"),
        pod("ready-crowded", node="n1"),
        pod("other", node="n1"),
        pod("not-ready", ready=False),
    ]
    chosen = logic.pods_to_delete(pods, pods, 2, now=NOW)
    assert chosen[0]["metadata"]["name"] == "not-ready"
    assert chosen[1]["spec"]["nodeName"] == "n1"
    assert logic.pods_to_delete(pods, pods, 10, now=NOW) == pods  # everything: no ranking needed


def test_status_counts_fully_labeled_ready_and_available() -> None:
    pods = [
        pod("a"),
        pod("b", labels={"app": "web"}),  # matches the selector, not the whole template
        pod("c", ready=False),
        pod("d", ready_for=5),  # ready, not yet available with minReadySeconds=10
    ]
    status = logic.calculate_status(rs(4, min_ready=10), pods, [pod("gone")], manage_error=None, now=NOW)
    assert status == {
        "replicas": 4,
        "fullyLabeledReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 2,
        "terminatingReplicas": 1,
        "observedGeneration": 2,
    }


def test_replication_controllers_have_no_terminating_count() -> None:
    status = logic.calculate_status(rs(1), [pod("a")], None, manage_error=None, now=NOW)
    assert "terminatingReplicas" not in status


def test_a_create_failure_sets_replica_failure_once_and_success_removes_it() -> None:
    failed = logic.calculate_status(
        rs(3), [], [], manage_error='pods "web-x" is forbidden: exceeded quota', now=NOW
    )
    assert failed["conditions"] == [
        {
            "type": "ReplicaFailure",
            "status": "True",
            "lastTransitionTime": rfc3339(NOW),
            "reason": "FailedCreate",
            "message": 'pods "web-x" is forbidden: exceeded quota',
        }
    ]
    again = logic.calculate_status(rs(3, status=failed), [], [], manage_error="another message", now=NOW + 60)
    assert again["conditions"] == failed["conditions"]  # kept as first set
    healed = logic.calculate_status(rs(3, status=failed), [pod("a")], [], manage_error=None, now=NOW + 120)
    assert "conditions" not in healed


def test_a_delete_failure_is_reported_as_failed_delete() -> None:
    status = logic.calculate_status(rs(0), [pod("a")], [], manage_error="boom", now=NOW)
    assert status["conditions"][0]["reason"] == "FailedDelete"


def test_status_changed_compares_counts_generation_and_conditions() -> None:
    current = rs(1, generation=1, status={"replicas": 1, "readyReplicas": 1, "observedGeneration": 1})
    same = {
        "replicas": 1,
        "readyReplicas": 1,
        "fullyLabeledReplicas": 0,
        "availableReplicas": 0,
        "observedGeneration": 1,
    }
    assert not logic.status_changed(current, same)
    assert logic.status_changed(current, {**same, "availableReplicas": 1})
    assert logic.status_changed(current, {**same, "observedGeneration": 2})
    assert logic.status_changed(current, {**same, "conditions": [{"type": "ReplicaFailure"}]})


def test_selectors_of_both_kinds() -> None:
    assert replicaset_selector(
        {"spec": {"selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]}}}
    ).matches({"app": "web"})
    assert not replicaset_selector({"spec": {}}).matches({"app": "web"})  # no selector selects nothing
    rc = replicationcontroller_selector({"spec": {"selector": {"app": "web", "v": "1"}}})
    assert rc.matches({"app": "web", "v": "1", "x": "y"})
    assert not rc.matches({"app": "web"})
