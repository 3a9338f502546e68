"""Status counts and condition transitions, on a fake clock."""

from __future__ import annotations

from pyk8s._aio.clock import FakeClock
from pyk8s.api.meta import rfc3339
from pyk8s.controllers.deployment import status as st

from .builders import deployment, replica_set


def reasons(status: dict) -> dict[str, str]:
    return {c["type"]: c["reason"] for c in status.get("conditions", [])}


def test_counts_and_available_condition() -> None:
    clock = FakeClock()
    d = deployment(4, image="nginx:2")
    old = replica_set("web-old", 2, available=2)
    new = replica_set("web-new", 3, image="nginx:2", running=3, ready=2, available=1)
    status = st.calculate_status([old, new], new, d, clock)
    assert status["replicas"] == 5
    assert status["updatedReplicas"] == 3
    assert status["readyReplicas"] == 4
    assert status["availableReplicas"] == 3
    assert status["unavailableReplicas"] == 2
    assert status["observedGeneration"] == 1
    assert reasons(status) == {"Available": "MinimumReplicasAvailable"}  # 3 >= 4 - 1


def test_minimum_replicas_unavailable() -> None:
    clock = FakeClock()
    d = deployment(4)
    rs = replica_set("web-a", 4, available=1)
    status = st.calculate_status([rs], rs, d, clock)
    assert st.get_condition(status, "Available")["status"] == "False"
    assert reasons(status)["Available"] == "MinimumReplicasUnavailable"


def test_zero_counts_are_left_out_and_equal_to_missing() -> None:
    clock = FakeClock()
    d = deployment(0)
    status = st.calculate_status([], None, d, clock)
    assert "replicas" not in status
    assert st.statuses_equal({**status, "replicas": 0}, status)


def test_set_condition_keeps_transition_time_for_the_same_status() -> None:
    clock = FakeClock()
    status: dict = {}
    st.set_condition(status, st.new_condition("Progressing", "True", "NewReplicaSetCreated", "m", clock))
    first = status["conditions"][0]["lastTransitionTime"]
    clock.advance(60)
    st.set_condition(status, st.new_condition("Progressing", "True", "ReplicaSetUpdated", "m", clock))
    cond = st.get_condition(status, "Progressing")
    assert cond["reason"] == "ReplicaSetUpdated"
    assert cond["lastTransitionTime"] == first
    assert cond["lastUpdateTime"] == rfc3339(clock.now())
    # same status and reason: nothing changes
    clock.advance(60)
    st.set_condition(status, st.new_condition("Progressing", "True", "ReplicaSetUpdated", "x", clock))
    assert st.get_condition(status, "Progressing")["message"] == "m"


def _progressing(clock: FakeClock, reason: str = "NewReplicaSetCreated", status: str = "True") -> dict:
    return st.new_condition("Progressing", status, reason, "m", clock)


def test_rollout_progress_then_completion() -> None:
    clock = FakeClock()
    d = deployment(2, image="nginx:2")
    d["status"] = {"replicas": 2, "updatedReplicas": 0, "conditions": [_progressing(clock)]}
    old = replica_set("web-old", 1)
    new = replica_set("web-new", 2, image="nginx:2", available=1)
    clock.advance(5)
    status = st.rollout_status([old, new], new, d, clock)
    cond = st.get_condition(status, "Progressing")
    assert cond["reason"] == "ReplicaSetUpdated"
    assert cond["message"] == 'ReplicaSet "web-new" is progressing.'
    assert cond["lastUpdateTime"] == rfc3339(clock.now())

    d["status"] = status
    old = replica_set("web-old", 0)
    new = replica_set("web-new", 2, image="nginx:2")
    status = st.rollout_status([old, new], new, d, clock)
    cond = st.get_condition(status, "Progressing")
    assert (cond["reason"], cond["status"]) == ("NewReplicaSetAvailable", "True")
    assert cond["message"] == 'ReplicaSet "web-new" has successfully progressed.'
    assert st.deployment_complete(d, status)


def test_deadline_exceeded_without_progress() -> None:
    clock = FakeClock()
    d = deployment(2, deadline=60)
    rs = replica_set("web-a", 2, available=0)
    d["status"] = {"replicas": 2, "updatedReplicas": 2, "conditions": [_progressing(clock)]}
    clock.advance(30)
    status = st.rollout_status([rs], rs, d, clock)
    assert reasons(status)["Progressing"] == "NewReplicaSetCreated"
    assert st.progress_check_after(d, status, clock) == 31  # 30 s left, plus a second
    clock.advance(31)
    status = st.rollout_status([rs], rs, d, clock)
    cond = st.get_condition(status, "Progressing")
    assert (cond["status"], cond["reason"]) == ("False", "ProgressDeadlineExceeded")
    assert cond["message"] == 'ReplicaSet "web-a" has timed out progressing.'
    d["status"] = status
    assert st.progress_check_after(d, status, clock) is None


def test_progress_check_a_second_after_a_close_or_passed_deadline() -> None:
    clock = FakeClock()
    d = deployment(2, deadline=10)
    d["status"] = {"conditions": [_progressing(clock)]}
    clock.advance(9.5)
    assert st.progress_check_after(d, {}, clock) == 1.5
    clock.advance(5)
    assert st.progress_check_after(d, {}, clock) == 1.0


def test_no_progressing_condition_without_deadline() -> None:
    clock = FakeClock()
    d = deployment(1, deadline=None)
    d["status"] = {"conditions": [_progressing(clock)]}
    rs = replica_set("web-a", 1)
    assert "Progressing" not in reasons(st.rollout_status([rs], rs, d, clock))


def test_complete_rollout_is_not_reevaluated() -> None:
    clock = FakeClock()
    d = deployment(1, deadline=5)
    d["status"] = {"conditions": [_progressing(clock, "NewReplicaSetAvailable")]}
    rs = replica_set("web-a", 1, available=0)
    clock.advance(100)
    assert reasons(st.rollout_status([rs], rs, d, clock))["Progressing"] == "NewReplicaSetAvailable"


def test_replica_failure_is_copied_from_the_new_replica_set() -> None:
    clock = FakeClock()
    d = deployment(1)
    rs = replica_set("web-a", 1, running=0)
    rs["status"]["conditions"] = [
        {
            "type": "ReplicaFailure",
            "status": "True",
            "reason": "FailedCreate",
            "message": "quota",
            "lastTransitionTime": "2026-01-01T00:00:00Z",
        }
    ]
    status = st.rollout_status([rs], rs, d, clock)
    cond = st.get_condition(status, "ReplicaFailure")
    assert (cond["reason"], cond["message"]) == ("FailedCreate", "quota")
    d["status"] = status
    rs["status"].pop("conditions")
    assert st.get_condition(st.rollout_status([rs], rs, d, clock), "ReplicaFailure") is None


def test_pause_and_resume_conditions() -> None:
    clock = FakeClock()
    d = deployment(1)
    d["spec"]["paused"] = True
    cond = st.paused_condition(d, clock)
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "Unknown",
        "DeploymentPaused",
        "Deployment is paused",
    )
    d["status"] = {"conditions": [cond]}
    assert st.paused_condition(d, clock) is None
    d["spec"]["paused"] = False
    cond = st.paused_condition(d, clock)
    assert (cond["reason"], cond["message"]) == ("DeploymentResumed", "Deployment is resumed")


def test_timed_out_is_not_replaced_by_paused() -> None:
    clock = FakeClock()
    d = deployment(1)
    d["spec"]["paused"] = True
    d["status"] = {"conditions": [_progressing(clock, "ProgressDeadlineExceeded", "False")]}
    assert st.paused_condition(d, clock) is None
