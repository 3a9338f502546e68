"""One Job sync against recorded writes: creations, counting, conditions, events."""

from __future__ import annotations

import pytest

from pyk8s.api.meta import rfc3339
from pyk8s.controllers.job.pods import COMPLETION_INDEX, INDEX_FAILURE_COUNT, TRACKING_FINALIZER

from .builders import KEY, NOW, FakeActions, Harness, condition, job, pod


async def test_new_job_creates_pods_with_finalizer_owner_and_labels() -> None:
    actions, delay, status = await Harness().sync(job(parallelism=2, completions=3), [])
    assert delay is None
    assert len(actions.created) == 2
    created = actions.created[0]
    assert created["metadata"]["generateName"] == "pi-"
    assert created["metadata"]["finalizers"] == [TRACKING_FINALIZER]
    assert created["metadata"]["ownerReferences"][0]["kind"] == "Job"
    assert created["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi"
    assert status["active"] == 2
    assert status["ready"] == 0 and status["terminating"] == 0
    assert status["startTime"] == rfc3339(NOW)
    assert actions.reasons() == ["SuccessfulCreate", "SuccessfulCreate"]


async def test_creations_wait_for_expectations() -> None:
    harness = Harness()
    await harness.sync(job(parallelism=2, completions=2), [])
    actions, _, _ = await harness.sync(job(parallelism=2, completions=2), [])
    assert actions.created == []  # the cache has not shown the first two yet
    harness.expectations.creation_observed(KEY)
    harness.expectations.creation_observed(KEY)
    actions, _, _ = await harness.sync(job(parallelism=2, completions=2), [])
    assert len(actions.created) == 2


async def test_never_more_active_than_remaining_completions() -> None:
    pods = [pod("a", "Succeeded", finalizer=False), pod("b")]
    spec = job(parallelism=3, completions=3, status={"succeeded": 1, "startTime": rfc3339(NOW)})
    actions, _, status = await Harness().sync(spec, pods)
    assert len(actions.created) == 1
    assert status["active"] == 2


async def test_succeeded_pods_are_counted_through_uncounted_then_job_completes() -> None:
    pods = [pod("a", "Succeeded"), pod("b", "Succeeded")]
    spec = job(parallelism=2, completions=2, status={"active": 2, "startTime": rfc3339(NOW - 10)})
    actions, _, status = await Harness().sync(spec, pods)
    first = actions.statuses[0]
    assert sorted(first["uncountedTerminatedPods"]["succeeded"]) == ["uid-a", "uid-b"]
    assert first.get("succeeded") in (None, 0)
    assert sorted(actions.released) == ["a", "b"]
    assert status["succeeded"] == 2
    assert status["uncountedTerminatedPods"] == {}
    met, complete = condition(status, "SuccessCriteriaMet"), condition(status, "Complete")
    assert met is not None and met["reason"] == "CompletionsReached"
    assert met["message"] == "Reached expected number of succeeded pods"
    assert complete is not None and complete["reason"] == "CompletionsReached"
    assert status["completionTime"] == complete["lastTransitionTime"]
    assert "active" not in status
    assert actions.reasons()[-1] == "Completed"


async def test_pod_whose_finalizer_removal_is_in_flight_is_not_counted_again() -> None:
    harness = Harness()
    harness.finalizers.expect_removed(KEY, ["uid-a"])
    stale = [pod("a", "Succeeded")]  # the cache still shows the finalizer
    spec = job(completions=2, parallelism=1, status={"succeeded": 1, "startTime": rfc3339(NOW)})
    actions, _, status = await harness.sync(spec, stale)
    assert "uid-a" not in (status.get("uncountedTerminatedPods") or {}).get("succeeded", [])
    assert status.get("succeeded") == 1
    assert actions.released == []


async def test_uncounted_pod_without_finalizer_moves_to_the_counter() -> None:
    spec = job(
        completions=3,
        parallelism=1,
        status={
            "succeeded": 1,
            "uncountedTerminatedPods": {"succeeded": ["uid-a"]},
            "startTime": rfc3339(NOW),
        },
    )
    _, _, status = await Harness().sync(spec, [pod("a", "Succeeded", finalizer=False), pod("b")])
    assert status["succeeded"] == 2
    assert status["uncountedTerminatedPods"] == {}


async def test_completion_waits_for_terminating_pods() -> None:
    pods = [pod("a", "Succeeded"), pod("b", deleting=True)]
    spec = job(completions=1, parallelism=1, status={"startTime": rfc3339(NOW)})
    _, _, status = await Harness().sync(spec, pods)
    assert condition(status, "SuccessCriteriaMet") is not None
    assert condition(status, "Complete") is None
    assert status["terminating"] == 1


async def test_failures_beyond_backoff_limit_fail_the_job() -> None:
    pods = [pod("a", "Failed"), pod("b", "Failed"), pod("c", ready=True)]
    spec = job(completions=1, parallelism=1, backoffLimit=1, status={"startTime": rfc3339(NOW)})
    actions, _, status = await Harness().sync(spec, pods)
    assert actions.deleted == ["c"]
    target = condition(status, "FailureTarget")
    assert target is not None and target["reason"] == "BackoffLimitExceeded"
    assert target["message"] == "Job has reached the specified backoff limit"
    assert condition(status, "Failed") is None  # pod c is still terminating
    assert status["terminating"] == 1 and status["ready"] == 0
    # once c is gone every pod is counted and the Job fails
    later = dict(status)
    actions, _, status = await Harness().sync(job(completions=1, backoffLimit=1, status=later), [])
    failed = condition(status, "Failed")
    assert failed is not None and failed["reason"] == "BackoffLimitExceeded"
    assert (
        "Warning",
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit",
    ) in actions.events
    assert status["failed"] == 3  # the two failed pods and the one deleted while failing


async def test_replacement_after_a_failure_waits_for_the_backoff() -> None:
    harness = Harness()
    spec = job(completions=1, parallelism=1, status={"startTime": rfc3339(NOW)})
    failed = pod("a", "Failed", finished_at=NOW - 2)
    actions, delay, _ = await harness.sync(spec, [failed])
    assert actions.created == []
    assert delay == pytest.approx(8.0)
    actions, delay, _ = await harness.sync(spec, [pod("a", "Failed", finalizer=False)], now=NOW + 9)
    assert len(actions.created) == 1


@pytest.mark.parametrize(
    ("failures", "expected"), [(1, 10.0), (2, 20.0), (3, 40.0), (6, 320.0), (7, 360.0), (12, 360.0)]
)
def test_pod_failure_backoff_doubles_up_to_six_minutes(failures: int, expected: float) -> None:
    from pyk8s.controllers.job.backoff import remaining_time

    assert remaining_time(failures, NOW, NOW) == expected


async def test_active_deadline_fails_the_job_and_deletes_active_pods() -> None:
    spec = job(activeDeadlineSeconds=30, status={"startTime": rfc3339(NOW - 31), "active": 1})
    actions, _, status = await Harness().sync(spec, [pod("a")])
    assert actions.deleted == ["a"]
    target = condition(status, "FailureTarget")
    assert target is not None and target["reason"] == "DeadlineExceeded"
    assert target["message"] == "Job was active longer than specified deadline"


async def test_active_deadline_requeues_until_it_passes() -> None:
    spec = job(activeDeadlineSeconds=30, status={"startTime": rfc3339(NOW - 10), "active": 1})
    _, delay, _ = await Harness().sync(spec, [pod("a")])
    assert delay == pytest.approx(20.0)


async def test_suspend_deletes_pods_and_clears_start_time_then_resume_restarts_clock() -> None:
    harness = Harness()
    spec = job(
        suspend=True, parallelism=2, completions=4, status={"startTime": rfc3339(NOW - 60), "active": 2}
    )
    actions, _, status = await harness.sync(spec, [pod("a", ready=True), pod("b")])
    assert sorted(actions.deleted) == ["a", "b"]
    assert sorted(actions.released) == ["a", "b"]  # not counted: removed before deletion
    suspended = condition(status, "Suspended")
    assert suspended is not None and suspended["status"] == "True" and suspended["reason"] == "JobSuspended"
    assert "startTime" not in status
    assert "active" not in status and status["terminating"] == 2
    assert ("Normal", "Suspended", "Job suspended") in actions.events
    harness.expectations.delete(KEY)
    resumed = job(parallelism=2, completions=4, status=status)
    actions, _, status = await harness.sync(resumed, [], now=NOW + 100)
    assert len(actions.created) == 2
    cond = condition(status, "Suspended")
    assert cond is not None and cond["status"] == "False" and cond["reason"] == "JobResumed"
    assert status["startTime"] == rfc3339(NOW + 100)
    assert ("Normal", "Resumed", "Job resumed") in actions.events


async def test_job_created_suspended_has_no_start_time() -> None:
    actions, _, status = await Harness().sync(job(suspend=True), [])
    assert actions.created == []
    assert "startTime" not in status
    assert condition(status, "Suspended")["status"] == "True"  # type: ignore[index]


async def test_indexed_job_creates_one_pod_per_index() -> None:
    spec = job(completionMode="Indexed", completions=3, parallelism=3)
    actions, _, _ = await Harness().sync(spec, [])
    indexes = sorted(int(p["metadata"]["annotations"][COMPLETION_INDEX]) for p in actions.created)
    assert indexes == [0, 1, 2]
    first = next(p for p in actions.created if p["metadata"]["annotations"][COMPLETION_INDEX] == "1")
    assert first["metadata"]["labels"][COMPLETION_INDEX] == "1"
    assert first["metadata"]["generateName"] == "pi-1-"
    assert first["spec"]["hostname"] == "pi-1"
    env = first["spec"]["containers"][0]["env"]
    assert env == [
        {
            "name": "JOB_COMPLETION_INDEX",
            "valueFrom": {"fieldRef": {"fieldPath": f"metadata.labels['{COMPLETION_INDEX}']"}},
        }
    ]


async def test_indexed_job_records_completed_indexes_and_replaces_missing_ones() -> None:
    pods = [pod("p0", "Succeeded", index=0), pod("p2", "Succeeded", index=2), pod("p4", index=4)]
    spec = job(completionMode="Indexed", completions=5, parallelism=3, status={"startTime": rfc3339(NOW)})
    actions, _, status = await Harness().sync(spec, pods)
    assert status["completedIndexes"] == "0,2"
    assert status["succeeded"] == 2
    created = sorted(int(p["metadata"]["annotations"][COMPLETION_INDEX]) for p in actions.created)
    assert created == [1, 3]


async def test_indexed_job_deletes_duplicate_index() -> None:
    pods = [pod("a", index=0, ready=True), pod("b", index=0)]
    spec = job(completionMode="Indexed", completions=2, parallelism=2, status={"startTime": rfc3339(NOW)})
    actions, _, _ = await Harness().sync(spec, pods)
    assert actions.deleted == ["b"]  # the not-ready duplicate
    assert actions.created == []  # a sync either deletes or creates


async def test_backoff_limit_per_index_fails_the_index_and_carries_the_count() -> None:
    spec = job(
        completionMode="Indexed",
        completions=2,
        parallelism=2,
        backoffLimitPerIndex=1,
        backoffLimit=2**31 - 1,
        status={"startTime": rfc3339(NOW)},
    )
    first_failure = pod("a", "Failed", index=0, finished_at=NOW - 20)
    actions, _, status = await Harness().sync(spec, [first_failure, pod("b", index=1)])
    replacement = actions.created[0]
    assert replacement["metadata"]["annotations"][INDEX_FAILURE_COUNT] == "1"
    assert status.get("failedIndexes") in (None, "")
    second = pod("c", "Failed", index=0, annotations={INDEX_FAILURE_COUNT: "1"})
    actions, _, status = await Harness().sync(
        spec, [pod("a", "Failed", index=0, finalizer=False), second, pod("b", index=1)]
    )
    assert status["failedIndexes"] == "0"


async def test_pod_failure_policy_fail_job_names_the_container() -> None:
    policy = {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [42]}}]}
    spec = job(podFailurePolicy=policy, podReplacementPolicy="Failed", status={"startTime": rfc3339(NOW)})
    _, _, status = await Harness().sync(spec, [pod("a", "Failed", exit_code=42)])
    target = condition(status, "FailureTarget")
    assert target is not None and target["reason"] == "PodFailurePolicy"
    assert (
        target["message"]
        == "Container pi for pod default/a failed with exit code 42 matching FailJob rule at index 0"
    )
    assert condition(status, "Failed") is not None


async def test_pod_failure_policy_ignore_does_not_count() -> None:
    policy = {
        "rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]
    }
    disrupted = pod("a", "Failed", conditions=[{"type": "DisruptionTarget", "status": "True"}])
    spec = job(
        podFailurePolicy=policy,
        podReplacementPolicy="Failed",
        backoffLimit=0,
        status={"startTime": rfc3339(NOW)},
    )
    actions, delay, status = await Harness().sync(spec, [disrupted])
    assert condition(status, "FailureTarget") is None
    assert actions.released == ["a"]
    assert status.get("failed") in (None, 0)
    # an ignored failure still delays the replacement, as in Kubernetes
    assert actions.created == [] and delay == pytest.approx(5.0)


async def test_success_policy_ends_an_indexed_job_early() -> None:
    policy = {"rules": [{"succeededIndexes": "0"}]}
    spec = job(
        completionMode="Indexed",
        completions=3,
        parallelism=3,
        successPolicy=policy,
        status={"startTime": rfc3339(NOW)},
    )
    actions, _, status = await Harness().sync(
        spec, [pod("a", "Succeeded", index=0), pod("b", index=1), pod("c", index=2)]
    )
    met = condition(status, "SuccessCriteriaMet")
    assert (
        met is not None and met["reason"] == "SuccessPolicy" and met["message"] == "Matched rules at index 0"
    )
    assert sorted(actions.deleted) == ["b", "c"]
    assert condition(status, "Complete") is None  # b and c are terminating


async def test_without_completions_one_success_ends_the_job_once_others_stop() -> None:
    spec = job(completions=None, parallelism=2, status={"startTime": rfc3339(NOW)})
    actions, _, status = await Harness().sync(spec, [pod("a", "Succeeded"), pod("b")])
    assert actions.created == []
    assert condition(status, "SuccessCriteriaMet") is None
    _, _, status = await Harness().sync(spec, [pod("a", "Succeeded"), pod("b", "Succeeded")])
    assert condition(status, "Complete") is not None


async def test_restart_counts_with_on_failure_exceed_backoff_limit() -> None:
    spec = job(backoffLimit=2, status={"startTime": rfc3339(NOW)})
    spec["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure"
    _, _, status = await Harness().sync(spec, [pod("a", restarts=2)])
    assert condition(status, "FailureTarget")["reason"] == "BackoffLimitExceeded"  # type: ignore[index]


async def test_pods_already_gone_count_as_deleted() -> None:
    spec = job(suspend=True, status={"startTime": rfc3339(NOW), "active": 1})
    actions = FakeActions(gone={"a"})
    _, _, status = await Harness().sync(spec, [pod("a")], actions=actions)
    assert "active" not in status
