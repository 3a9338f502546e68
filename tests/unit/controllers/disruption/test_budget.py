"""PodDisruptionBudget arithmetic."""

from __future__ import annotations

import pytest

from pyk8s.controllers.disruption.budget import (
    BudgetError,
    BudgetStatus,
    current_healthy,
    expected_and_desired,
    failed_status,
    live_disrupted_pods,
    needs_controller_scale,
    new_status,
    scaled_value,
    status_differs,
)

NOW = 1_700_000_000.0


def pdb(**spec: object) -> dict:
    return {"metadata": {"generation": 2}, "spec": spec}


def ready_pod(name: str, ready: bool = True, **meta: str) -> dict:
    return {
        "metadata": {"name": name, **meta},
        "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]},
    }


def test_scaled_values_round_up() -> None:
    assert scaled_value(3, 10, round_up=True) == 3
    assert scaled_value("50%", 5, round_up=True) == 3
    assert scaled_value("50%", 5, round_up=False) == 2
    with pytest.raises(BudgetError):
        scaled_value("half", 5, round_up=True)


@pytest.mark.parametrize(
    ("spec", "matching", "scale", "expected"),
    [
        pytest.param({"minAvailable": 2}, 5, 7, (5, 2), id="min-int-counts-pods"),
        pytest.param({"minAvailable": "50%"}, 5, 7, (7, 4), id="min-percent-uses-scale"),
        pytest.param({"maxUnavailable": 1}, 5, 3, (3, 2), id="max-int"),
        pytest.param({"maxUnavailable": "25%"}, 5, 10, (10, 7), id="max-percent-rounds-up"),
        pytest.param({"maxUnavailable": 5}, 5, 3, (3, 0), id="never-negative"),
    ],
)
def test_expected_and_desired(spec: dict, matching: int, scale: int, expected: tuple[int, int]) -> None:
    assert expected_and_desired(pdb(**spec), matching, scale) == expected


def test_needs_controller_scale() -> None:
    assert not needs_controller_scale(pdb(minAvailable=1))
    assert needs_controller_scale(pdb(minAvailable="10%"))
    assert needs_controller_scale(pdb(maxUnavailable=1))


def test_healthy_pods_exclude_unready_deleted_and_just_evicted() -> None:
    pods = [
        ready_pod("a"),
        ready_pod("b", ready=False),
        ready_pod("c", deletionTimestamp="x"),
        ready_pod("d"),
    ]
    assert current_healthy(pods, {}) == 2
    assert current_healthy(pods, {"d": "2023-11-14T22:13:00Z"}) == 1


def test_disrupted_pods_expire_or_disappear() -> None:
    budget = pdb(minAvailable=1)
    budget["status"] = {
        "disruptedPods": {
            "a": "2023-11-14T22:12:00Z",
            "gone": "2023-11-14T22:12:00Z",
            "old": "2023-11-14T21:00:00Z",
        }
    }
    pods = {"a": ready_pod("a"), "old": ready_pod("old")}
    kept, recheck = live_disrupted_pods(budget, pods, NOW)
    assert kept == {"a": "2023-11-14T22:12:00Z"}
    assert recheck is not None and recheck > NOW


def test_status_and_condition() -> None:
    budget = pdb(minAvailable=2)
    status = new_status(
        budget, BudgetStatus(current_healthy=3, desired_healthy=2, expected_pods=3, disrupted_pods={}), NOW
    )
    assert status["disruptionsAllowed"] == 1 and status["observedGeneration"] == 2
    condition = status["conditions"][0]
    assert (condition["type"], condition["status"], condition["reason"]) == (
        "DisruptionAllowed",
        "True",
        "SufficientPods",
    )
    budget["status"] = status
    assert not status_differs(budget, new_status(budget, BudgetStatus(3, 2, 3, {}), NOW + 10))
    none = new_status(
        budget, BudgetStatus(current_healthy=2, desired_healthy=2, expected_pods=3, disrupted_pods={}), NOW
    )
    assert none["disruptionsAllowed"] == 0 and none["conditions"][0]["reason"] == "InsufficientPods"
    assert BudgetStatus(5, 1, 0, {}).disruptions_allowed == 0  # nothing expected yet: safe
    failed = failed_status(budget, "boom", NOW)
    assert failed["disruptionsAllowed"] == 0
    assert (failed["conditions"][0]["reason"], failed["conditions"][0]["message"]) == ("SyncFailed", "boom")
