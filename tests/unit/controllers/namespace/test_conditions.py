"""Conditions of a terminating namespace, with Kubernetes' reasons and messages."""

from __future__ import annotations

from pyk8s.controllers.namespace.conditions import (
    CONDITION_TYPES,
    CONTENT_FAILURE,
    CONTENT_REMAINING,
    DISCOVERY_FAILURE,
    FINALIZERS_REMAINING,
    DeletionReport,
    updated_conditions,
)

T0 = 1_700_000_000.0


def by_type(conditions: list[dict]) -> dict[str, dict]:
    return {c["type"]: c for c in conditions}


def test_a_clean_pass_sets_every_condition_to_its_ok_variant() -> None:
    conditions, changed = updated_conditions([], DeletionReport(), T0)
    assert changed
    assert [c["type"] for c in conditions] == list(CONDITION_TYPES)
    assert all(c["status"] == "False" for c in conditions)
    got = by_type(conditions)
    assert got[DISCOVERY_FAILURE]["reason"] == "ResourcesDiscovered"
    assert got[CONTENT_REMAINING]["message"] == "All content successfully removed"
    assert got[FINALIZERS_REMAINING]["reason"] == "ContentHasNoFinalizers"
    again, changed = updated_conditions(conditions, DeletionReport(), T0 + 5)
    assert not changed and again == conditions


def test_remaining_content_and_finalizers_are_reported_sorted() -> None:
    report = DeletionReport()
    report.add_remaining("pods", "", [{"metadata": {}}, {"metadata": {"finalizers": ["a/b"]}}])
    report.add_remaining("widgets", "example.com", [{"metadata": {"finalizers": ["a/b", "c/d"]}}])
    conditions, _ = updated_conditions([], report, T0)
    got = by_type(conditions)
    assert got[CONTENT_REMAINING] | {"lastTransitionTime": ""} == {
        "type": CONTENT_REMAINING,
        "status": "True",
        "reason": "SomeResourcesRemain",
        "message": "Some resources are remaining: pods. has 2 resource instances, "
        "widgets.example.com has 1 resource instances",
        "lastTransitionTime": "",
    }
    assert got[FINALIZERS_REMAINING]["reason"] == "SomeFinalizersRemain"
    assert got[FINALIZERS_REMAINING]["message"] == (
        "Some content in the namespace has finalizers remaining: a/b in 2 resource instances, "
        "c/d in 1 resource instances"
    )


def test_failures_and_transition_times() -> None:
    report = DeletionReport(discovery_error="boom", failed_groups=1, content_errors=["b failed", "a failed"])
    first, _ = updated_conditions([], report, T0)
    got = by_type(first)
    assert got[DISCOVERY_FAILURE]["message"] == "Discovery failed for some groups, 1 failing: boom"
    assert got[CONTENT_FAILURE]["reason"] == "ContentDeletionFailed"
    assert (
        got[CONTENT_FAILURE]["message"]
        == "Failed to delete all resource types, 2 remaining: a failed, b failed"
    )
    stamp = got[CONTENT_FAILURE]["lastTransitionTime"]
    later, changed = updated_conditions(first, DeletionReport(), T0 + 60)
    assert changed
    assert by_type(later)[CONTENT_FAILURE]["status"] == "False"
    assert by_type(later)[CONTENT_FAILURE]["lastTransitionTime"] != stamp
