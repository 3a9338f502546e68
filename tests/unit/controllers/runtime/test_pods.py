"""Pod predicates and the deletion ranking, one rule at a time."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.meta import rfc3339
from pyk8s.controllers.runtime.pods import (
    deletion_cost,
    is_pod_active,
    is_pod_available,
    is_pod_ready,
    is_pod_terminating,
    rank_pods_for_deletion,
    ranks_by_colocation,
)

NOW = 1_700_000_000.0


def pod(
    name: str,
    *,
    node: str = "n1",
    phase: str = "Running",
    ready: bool = True,
    ready_since: float = NOW - 3600,
    created: float = NOW - 7200,
    restarts: int = 0,
    cost: str | None = None,
    deleting: bool = False,
    uid: str | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "uid": uid or f"uid-{name}", "creationTimestamp": rfc3339(created)}
    if cost is not None:
        meta["annotations"] = {"controller.kubernetes.io/pod-deletion-cost": cost}
    if deleting:
        meta["deletionTimestamp"] = rfc3339(NOW)
    conditions = [
        {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": rfc3339(ready_since)}
    ]
    return {
        "metadata": meta,
        "spec": {"nodeName": node} if node else {},
        "status": {
            "phase": phase,
            "conditions": conditions,
            "containerStatuses": [{"restartCount": restarts}],
        },
    }


def names(pods: list[dict[str, Any]]) -> list[str]:
    return [p["metadata"]["name"] for p in pods]


def test_readiness_and_availability() -> None:
    assert is_pod_ready(pod("a"))
    assert not is_pod_ready(pod("a", ready=False))
    assert is_pod_available(pod("a", ready_since=NOW - 5), 0, NOW)
    assert not is_pod_available(pod("a", ready_since=NOW - 5), 10, NOW)
    assert is_pod_available(pod("a", ready_since=NOW - 11), 10, NOW)
    assert not is_pod_available(pod("a", ready=False), 0, NOW)


def test_active_and_terminating() -> None:
    assert is_pod_active(pod("a"))
    assert not is_pod_active(pod("a", phase="Succeeded"))
    assert not is_pod_active(pod("a", deleting=True))
    assert is_pod_terminating(pod("a", deleting=True))
    assert not is_pod_terminating(pod("a", phase="Failed", deleting=True))


@pytest.mark.parametrize(
    ("value", "cost"), [("100", 100), ("-5", -5), ("abc", 0), ("99999999999", 0), (None, 0)]
)
def test_deletion_cost_is_an_int32_annotation(value: str | None, cost: int) -> None:
    assert deletion_cost(pod("a", cost=value)) == cost


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(pod("first", node=""), pod("second"), id="unscheduled-before-scheduled"),
        pytest.param(
            pod("first", phase="Pending"), pod("second", phase="Unknown"), id="pending-before-unknown"
        ),
        pytest.param(pod("first", phase="Unknown"), pod("second"), id="unknown-before-running"),
        pytest.param(pod("first", ready=False), pod("second"), id="not-ready-before-ready"),
        pytest.param(pod("first", cost="-10"), pod("second", cost="10"), id="lower-deletion-cost-first"),
        pytest.param(
            pod("first", ready_since=NOW - 10),
            pod("second", ready_since=NOW - 10_000),
            id="ready-recently-first",
        ),
        pytest.param(pod("first", restarts=5), pod("second", restarts=1), id="more-restarts-first"),
        pytest.param(pod("first", created=NOW - 10), pod("second", created=NOW - 10_000), id="newer-first"),
    ],
)
def test_each_ranking_rule(first: dict[str, Any], second: dict[str, Any]) -> None:
    assert names(rank_pods_for_deletion([second, first], now=NOW)) == ["first", "second"]
    assert names(rank_pods_for_deletion([first, second], now=NOW)) == ["first", "second"]


def test_earlier_rules_win_over_later_ones() -> None:
    # ready beats being newer: the old not-ready pod goes before the new ready one
    old_not_ready = pod("old-not-ready", ready=False, created=NOW - 10_000)
    new_ready = pod("new-ready", created=NOW - 10)
    assert names(rank_pods_for_deletion([new_ready, old_not_ready], now=NOW)) == [
        "old-not-ready",
        "new-ready",
    ]


def test_doubled_up_pods_go_first() -> None:
    crowded = [pod("a", node="n1"), pod("b", node="n1")]
    alone = pod("c", node="n2", created=NOW - 10)  # newer, but alone on its node
    pods = [alone, *crowded]
    ranks = ranks_by_colocation(pods, pods)
    assert ranks == [1, 2, 2]
    assert names(rank_pods_for_deletion(pods, ranks, now=NOW))[:2] == ["a", "b"]


def test_similar_ages_fall_back_to_uid_order_on_the_log_scale() -> None:
    # 1200 s and 1300 s old land in the same power-of-two bucket (of nanoseconds): UID decides
    a = pod("a", created=NOW - 1200, uid="uid-9")
    b = pod("b", created=NOW - 1300, uid="uid-1")
    assert names(rank_pods_for_deletion([a, b], now=NOW)) == ["b", "a"]
    # without `now`, exact times: the newer first
    assert names(rank_pods_for_deletion([b, a])) == ["a", "b"]
