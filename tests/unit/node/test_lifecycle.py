"""The next step for a pod on a simulated node, as a pure decision."""

from __future__ import annotations

from typing import Any

from pyk8s.api.meta import rfc3339
from pyk8s.node.simulated.lifecycle import (
    EXIT_CODE_ANNOTATION,
    RUN_SECONDS_ANNOTATION,
    PodRecord,
    Step,
    Timing,
    completion,
    plan,
)
from pyk8s.node.simulated.podstatus import Placement, pending_status, running_status, terminated_status

T0 = 1_700_000_000.0
WHERE = Placement("sim-0", "10.240.0.1", "10.244.128.2")
TIMING = Timing(start_delay=2.0, max_shutdown_delay=5.0)


def make_pod(*, restart: str = "Always", annotations: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "metadata": {"name": "p", "namespace": "default", "uid": "u", "annotations": annotations or {}},
        "spec": {
            "nodeName": "sim-0",
            "restartPolicy": restart,
            "containers": [{"name": "c", "image": "busybox"}],
        },
        "status": {"phase": "Pending"},
    }


def test_a_bound_pod_is_created_then_runs_after_the_start_delay() -> None:
    pod, record = make_pod(), PodRecord("u", first_seen=100.0)
    step = plan(pod, record, WHERE, TIMING, now=T0, mono=100.0)
    assert step.status is not None and step.status["phase"] == "Pending"
    assert step.wake_at == 102.0
    pod["status"] = step.status
    assert plan(pod, record, WHERE, TIMING, now=T0 + 1, mono=101.0).status is None  # already written
    step = plan(pod, record, WHERE, TIMING, now=T0 + 2, mono=102.0)
    assert step.status is not None and step.status["phase"] == "Running"
    assert step.status["containerStatuses"][0]["state"]["running"]["startedAt"] == rfc3339(T0 + 2)


def test_without_a_start_delay_the_first_write_is_running() -> None:
    step = plan(make_pod(), PodRecord("u", 5.0), WHERE, Timing(0.0, 1.0), now=T0, mono=5.0)
    assert step.status is not None and step.status["phase"] == "Running"


def test_a_running_pod_is_left_alone_and_keeps_its_start_time() -> None:
    pod = make_pod()
    pod["status"] = running_status(pod, WHERE, now=T0, started=T0)
    record = PodRecord("u", first_seen=900.0)  # a restarted node sees it for the first time
    step = plan(pod, record, WHERE, TIMING, now=T0 + 500, mono=900.0)
    assert step.status is None and not step.delete and step.wake_at is None


def test_completion_annotations_apply_to_never_and_onfailure_pods_only() -> None:
    assert completion(make_pod(restart="Never", annotations={EXIT_CODE_ANNOTATION: "0"})) == (0, 0.0)
    assert completion(make_pod(restart="OnFailure", annotations={EXIT_CODE_ANNOTATION: "3"})) == (3, 0.0)
    assert completion(make_pod(restart="Always", annotations={EXIT_CODE_ANNOTATION: "0"})) is None
    assert completion(make_pod(restart="Never", annotations={EXIT_CODE_ANNOTATION: "x"})) is None
    assert completion(make_pod(restart="Never")) is None
    timed = {EXIT_CODE_ANNOTATION: "1", RUN_SECONDS_ANNOTATION: "30"}
    assert completion(make_pod(restart="Never", annotations=timed)) == (1, 30.0)


def test_a_pod_asked_to_exit_completes_after_its_run_time() -> None:
    pod = make_pod(restart="Never", annotations={EXIT_CODE_ANNOTATION: "4", RUN_SECONDS_ANNOTATION: "10"})
    pod["status"] = running_status(pod, WHERE, now=T0, started=T0)
    record = PodRecord("u", first_seen=0.0)
    step = plan(pod, record, WHERE, TIMING, now=T0 + 4, mono=50.0)
    assert step.status is None and step.wake_at == 56.0
    step = plan(pod, record, WHERE, TIMING, now=T0 + 10, mono=56.0)
    assert step.status is not None and step.status["phase"] == "Failed"
    assert step.status["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 4
    pod["status"] = step.status
    assert plan(pod, record, WHERE, TIMING, now=T0 + 11, mono=57.0).status is None


def test_a_deleted_running_pod_stops_within_the_capped_grace_period_then_is_removed() -> None:
    pod = make_pod()
    pod["status"] = running_status(pod, WHERE, now=T0, started=T0)
    pod["metadata"] |= {"deletionTimestamp": rfc3339(T0 + 30), "deletionGracePeriodSeconds": 30}
    record = PodRecord("u", first_seen=0.0, deletion_seen=10.0)
    step = plan(pod, record, WHERE, TIMING, now=T0 + 1, mono=11.0)
    assert step == Step(wake_at=15.0)  # min(30 s grace, 5 s cap)
    step = plan(pod, record, WHERE, TIMING, now=T0 + 5, mono=15.0)
    assert step.status is not None and step.status["phase"] == "Succeeded"
    pod["status"] = step.status
    assert plan(pod, record, WHERE, TIMING, now=T0 + 5, mono=15.0).delete


def test_a_deleted_pod_that_never_started_is_removed_without_a_status() -> None:
    pod = make_pod()
    pod["status"] = pending_status(pod, WHERE, now=T0)
    pod["metadata"] |= {"deletionTimestamp": rfc3339(T0), "deletionGracePeriodSeconds": 0}
    step = plan(pod, PodRecord("u", 0.0, deletion_seen=3.0), WHERE, TIMING, now=T0, mono=3.0)
    assert step.delete and step.status is None


def test_a_finished_pod_needs_nothing_until_it_is_deleted() -> None:
    pod = make_pod(restart="Never")
    pod["status"] = terminated_status(pod, WHERE, now=T0, started=T0, exit_code=0)
    assert plan(pod, PodRecord("u", 0.0), WHERE, TIMING, now=T0, mono=1.0) == Step()
    pod["metadata"] |= {"deletionTimestamp": rfc3339(T0), "deletionGracePeriodSeconds": 0}
    assert plan(pod, PodRecord("u", 0.0, deletion_seen=1.0), WHERE, TIMING, now=T0, mono=1.0).delete
