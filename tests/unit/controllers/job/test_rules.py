"""The Job controller's rules on their own: index intervals, failure and success policies,
the failure backoff record."""

from __future__ import annotations

import pytest

from pyk8s.controllers.job.backoff import BackoffRecord, next_record
from pyk8s.controllers.job.indexes import (
    Intervals,
    duplicate_index_pods,
    first_pending_indexes,
    pod_generate_name,
)
from pyk8s.controllers.job.policy import match_failure_policy, match_success_policy

from .builders import NOW, pod


@pytest.mark.parametrize(
    ("text", "completions", "expected", "total"),
    [
        pytest.param("", 5, "", 0, id="empty"),
        pytest.param("0,1,2,4", 5, "0-2,4", 3 + 1, id="merges-adjacent"),
        pytest.param("1,3-5,7", 10, "1,3-5,7", 5, id="round-trip"),
        pytest.param("1,3-9", 6, "1,3-5", 4, id="cut-at-completions"),
        pytest.param("x,2,y-3", 5, "2", 1, id="corrupt-parts-skipped"),
        pytest.param("0-1", 5, "0,1", 2, id="pair-written-with-comma"),
    ],
)
def test_intervals_parse_and_format(text: str, completions: int, expected: str, total: int) -> None:
    parsed = Intervals.parse(text, completions)
    assert str(parsed) == expected
    assert parsed.total() == total


def test_intervals_membership_and_merge() -> None:
    merged = Intervals.parse("1,5-7", 10).with_indexes([2, 9, 4])
    assert str(merged) == "1,2,4-7,9"
    assert [i for i in range(10) if i in merged] == [1, 2, 4, 5, 6, 7, 9]
    assert str(merged.merge(Intervals.parse("3,8", 10))) == "1-9"


def test_first_pending_indexes_skip_the_non_pending() -> None:
    assert first_pending_indexes(Intervals.parse("0,2-3", 10), 3, 10) == [1, 4, 5]
    assert first_pending_indexes(Intervals.parse("0-8", 10), 3, 10) == [9]
    assert first_pending_indexes(Intervals(), 2, 1) == [0]


def test_duplicate_and_out_of_range_indexes_are_removed() -> None:
    keep_me = pod("a", index=1, ready=True)
    pods = [pod("b", index=1), keep_me, pod("c", index=7), pod("d")]
    remove, keep = duplicate_index_pods(pods, completions=3)
    assert sorted(p["metadata"]["name"] for p in remove) == ["b", "c", "d"]
    assert keep == [keep_me]


def test_generate_name_with_index_fits_the_random_suffix() -> None:
    assert pod_generate_name("pi", 3) == "pi-3-"
    long = pod_generate_name("x" * 70, 12)
    assert len(long) == 58 and long.endswith("-12-")


EXIT_RULES = {
    "rules": [
        {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [3]}},
        {"action": "FailJob", "onExitCodes": {"containerName": "pi", "operator": "NotIn", "values": [1, 2]}},
        {"action": "Count", "onPodConditions": [{"type": "ConfigIssue", "status": "True"}]},
    ]
}


@pytest.mark.parametrize(
    ("exit_code", "conditions", "counts", "action"),
    [
        pytest.param(3, [], False, "Ignore", id="ignore"),
        pytest.param(7, [], True, "FailJob", id="fail-job-not-in"),
        pytest.param(1, [], True, None, id="no-rule"),
        pytest.param(2, [{"type": "ConfigIssue", "status": "True"}], True, "Count", id="count-on-condition"),
        pytest.param(
            2, [{"type": "ConfigIssue", "status": "False"}], True, None, id="condition-status-differs"
        ),
    ],
)
def test_failure_policy_rules_in_order(
    exit_code: int, conditions: list, counts: bool, action: str | None
) -> None:
    verdict = match_failure_policy(EXIT_RULES, pod("p", "Failed", exit_code=exit_code, conditions=conditions))
    assert (verdict.counts, verdict.action) == (counts, action)


def test_failure_policy_condition_message() -> None:
    policy = {
        "rules": [{"action": "FailJob", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]
    }
    failed = pod("p", "Failed", conditions=[{"type": "DisruptionTarget", "status": "True"}])
    message = match_failure_policy(policy, failed).message
    assert message == "Pod default/p has condition DisruptionTarget matching FailJob rule at index 0"


def test_exit_code_zero_never_matches() -> None:
    policy = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [1]}}]}
    assert match_failure_policy(policy, pod("p", "Failed", exit_code=0)).action is None


@pytest.mark.parametrize(
    ("rules", "succeeded", "expected"),
    [
        pytest.param([{"succeededIndexes": "0-2"}], "0-1", None, id="indexes-missing"),
        pytest.param([{"succeededIndexes": "0-2"}], "0-3", "Matched rules at index 0", id="all-indexes"),
        pytest.param(
            [{"succeededIndexes": "0-4", "succeededCount": 2}],
            "1,3",
            "Matched rules at index 0",
            id="count-of",
        ),
        pytest.param(
            [{"succeededIndexes": "9"}, {"succeededCount": 2}], "4,7", "Matched rules at index 1", id="count"
        ),
    ],
)
def test_success_policy(rules: list, succeeded: str, expected: str | None) -> None:
    assert match_success_policy({"rules": rules}, 10, Intervals.parse(succeeded, 10)) == expected


def test_backoff_record_counts_failures_after_the_last_success() -> None:
    record = BackoffRecord(2, NOW - 100)
    failed = [pod("f1", "Failed", finished_at=NOW - 30), pod("f2", "Failed", finished_at=NOW - 10)]
    assert next_record(record, [], failed) == BackoffRecord(4, NOW - 10)
    success = [pod("s", "Succeeded", finished_at=NOW - 20)]
    assert next_record(record, success, failed) == BackoffRecord(1, NOW - 10)
    assert next_record(record, success, []) == BackoffRecord(0, None)
