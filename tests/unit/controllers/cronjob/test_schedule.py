"""The CronJob controller's pure parts: missed activations, requeue delays, Job names and
templates, history limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pyk8s.api.cron import parse
from pyk8s.api.meta import parse_time, rfc3339
from pyk8s.controllers.cronjob.jobs import (
    SCHEDULED_TIMESTAMP,
    history_to_delete,
    job_from_template,
    remove_from_active_list,
)
from pyk8s.controllers.cronjob.schedule import (
    InvalidScheduleError,
    Missed,
    formatted_schedule,
    job_name,
    most_recent_schedule_time,
    next_schedule_delay,
)

Obj = dict[str, Any]
UTC = dt.UTC
T0 = parse_time("2026-03-01T10:00:00Z")  # a whole hour


def cronjob(
    schedule: str = "*/10 * * * *", *, created: float = T0, last: float | None = None, **spec: Any
) -> Obj:
    status = {"lastScheduleTime": rfc3339(last)} if last is not None else {}
    return {
        "metadata": {
            "name": "backup",
            "namespace": "ops",
            "uid": "cj-uid",
            "creationTimestamp": rfc3339(created),
        },
        "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {}}}, **spec},
        "status": status,
    }


def recent(cj: Obj, now: float, *, deadline: bool = True) -> tuple[float | None, Missed]:
    schedule = parse(formatted_schedule(cj)[0])
    found = most_recent_schedule_time(cj, now, schedule, UTC, include_deadline=deadline)
    return found.most_recent, found.missed


def test_nothing_due_before_the_first_activation() -> None:
    assert recent(cronjob(), T0 + 300) == (None, Missed.NONE)


def test_the_activation_just_passed_is_due() -> None:
    assert recent(cronjob(), T0 + 605) == (T0 + 600, Missed.NONE)


def test_only_the_most_recent_of_several_missed_activations_is_due() -> None:
    assert recent(cronjob(), T0 + 3605) == (T0 + 3600, Missed.FEW)


def test_last_schedule_time_moves_the_start() -> None:
    assert recent(cronjob(last=T0 + 3600), T0 + 3605) == (None, Missed.NONE)


def test_more_than_a_hundred_missed_is_many_but_still_started() -> None:
    now = T0 + 101 * 600 + 5
    most_recent, missed = recent(cronjob(), now)
    assert missed is Missed.MANY
    assert most_recent == T0 + 101 * 600


def test_starting_deadline_limits_how_far_back_to_look() -> None:
    cj = cronjob(startingDeadlineSeconds=200)
    assert recent(cj, T0 + 101 * 600 + 5) == (T0 + 101 * 600, Missed.NONE)
    # outside the deadline window: nothing is due any more
    assert recent(cj, T0 + 101 * 600 + 300) == (None, Missed.NONE)


def test_irregular_schedule_finds_the_exact_most_recent_activation() -> None:
    # weekdays at 06:30, 10:30 and 14:30: uneven gaps, the estimate must not skip one
    cj = cronjob("30 6-16/4 * * 1-5", created=parse_time("2026-03-02T00:00:00Z"))  # a Monday
    most_recent, missed = recent(cj, parse_time("2026-03-05T12:00:00Z"))
    assert most_recent == parse_time("2026-03-05T10:30:00Z")
    assert missed is Missed.FEW


def test_schedule_that_never_fires_is_invalid() -> None:
    with pytest.raises(InvalidScheduleError, match="less than 1 second"):
        recent(cronjob("0 0 30 2 *"), T0)


def test_time_zone_shifts_the_activations() -> None:
    cj = cronjob("0 12 * * *", timeZone="America/New_York", created=parse_time("2026-07-01T00:00:00Z"))
    assert formatted_schedule(cj) == ("TZ=America/New_York 0 12 * * *", False)
    assert recent(cj, parse_time("2026-07-01T16:00:05Z"))[0] == parse_time("2026-07-01T16:00:00Z")


def test_tz_in_the_schedule_itself_is_reported() -> None:
    assert formatted_schedule(cronjob("CRON_TZ=UTC 0 * * * *")) == ("CRON_TZ=UTC 0 * * * *", True)


@pytest.mark.parametrize(
    ("last", "now", "delay"),
    [
        pytest.param(None, T0 + 300, 300.1, id="first-activation"),
        pytest.param(T0 + 600, T0 + 605, 595.1, id="after-a-start"),
        pytest.param(None, T0 + 3605, 595.1, id="after-missed-ones"),
    ],
)
def test_next_look_is_just_after_the_next_activation(last: float | None, now: float, delay: float) -> None:
    cj = cronjob(last=last)
    assert next_schedule_delay(cj, now, parse(cj["spec"]["schedule"]), UTC) == pytest.approx(delay)


def test_job_from_template() -> None:
    cj = cronjob(timeZone="Europe/Paris")
    cj["spec"]["jobTemplate"]["metadata"] = {"labels": {"app": "b"}, "annotations": {"note": "x"}}
    job = job_from_template(cj, T0 + 600, UTC)
    meta = job["metadata"]
    assert meta["name"] == job_name("backup", T0 + 600) == f"backup-{int(T0 + 600) // 60}"
    assert meta["namespace"] == "ops" and meta["labels"] == {"app": "b"}
    assert meta["annotations"] == {"note": "x", SCHEDULED_TIMESTAMP: "2026-03-01T11:10:00+01:00"}
    assert meta["ownerReferences"] == [
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": "backup",
            "uid": "cj-uid",
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert job_from_template(cronjob(), T0, UTC)["metadata"]["annotations"][SCHEDULED_TIMESTAMP] == (
        "2026-03-01T10:00:00Z"
    )


def finished(name: str, kind: str, start: float | None) -> Obj:
    status: Obj = {"conditions": [{"type": kind, "status": "True"}]}
    if start is not None:
        status["startTime"] = rfc3339(start)
    return {"metadata": {"name": name, "uid": name}, "status": status}


def test_history_limits_delete_the_oldest_first() -> None:
    jobs = [
        finished("c", "Complete", T0 + 20),
        finished("a", "Complete", T0),
        finished("never-started", "Complete", None),
        finished("b", "Complete", T0 + 10),
        finished("f1", "Failed", T0),
        finished("f2", "Failed", T0 + 5),
        {"metadata": {"name": "running"}, "status": {}},
    ]
    cj = cronjob(successfulJobsHistoryLimit=2, failedJobsHistoryLimit=1)
    doomed = [j["metadata"]["name"] for j in history_to_delete(cj, jobs)]
    assert doomed == ["a", "b", "f1"]
    assert history_to_delete(cronjob(), jobs) == []  # no limits, nothing deleted


def test_remove_from_active_list() -> None:
    status = {"active": [{"uid": "1"}, {"uid": "2"}]}
    remove_from_active_list(status, "1")
    assert status == {"active": [{"uid": "2"}]}
    remove_from_active_list(status, "2")
    assert status == {}
