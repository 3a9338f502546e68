"""CronJob: defaults, schedules and time zones, the job template, rows; and the cron parser."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.batch.cron import go_duration, parse, schedule_error
from pyk8s.kinds.batch.cronjob import RESOURCE, CronJobStrategy

CTX = RequestContext(namespace="default")
S = CronJobStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 7200

R, INV, NS = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED
Mutation = Callable[[dict[str, Any]], None]


def cronjob(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "hello", "namespace": "default", "uid": "u1", "creationTimestamp": CREATED},
        "spec": {
            "schedule": "*/5 * * * *",
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "restartPolicy": "OnFailure",
                            "containers": [{"name": "hello", "image": "busybox:1.36"}],
                        }
                    }
                }
            },
        },
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.short_names, RESOURCE.categories) == ("cronjobs", ("cj",), ("all",))
    assert [s.name for s in RESOURCE.subresources] == ["status"]


def test_defaults() -> None:
    obj = created(cronjob())
    spec = obj["spec"]
    assert (spec["concurrencyPolicy"], spec["suspend"]) == ("Allow", False)
    assert (spec["successfulJobsHistoryLimit"], spec["failedJobsHistoryLimit"]) == (3, 1)
    job_spec = spec["jobTemplate"]["spec"]
    assert "completions" not in job_spec and "backoffLimit" not in job_spec  # a template keeps them unset
    assert job_spec["template"]["spec"]["dnsPolicy"] == "ClusterFirst"
    assert obj["status"] == {} and obj["metadata"]["generation"] == 1


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({}, id="every-five-minutes"),
        pytest.param({"schedule": "@hourly"}, id="macro"),
        pytest.param({"schedule": "@every 1h30m"}, id="every"),
        pytest.param({"schedule": "0 9 * JAN-mar mon-FRI"}, id="names"),
        pytest.param({"schedule": "5,10-20/5 */2 1 * ?"}, id="lists-ranges-steps"),
        pytest.param({"schedule": "0 0 * * *", "timeZone": "Europe/Paris"}, id="time-zone"),
        pytest.param({"schedule": "0 0 * * *", "timeZone": "Etc/GMT+5"}, id="legacy-zone"),
        pytest.param({"concurrencyPolicy": "Forbid", "startingDeadlineSeconds": 10}, id="forbid"),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, created(cronjob(**spec))) == []


def _no_schedule(o: dict[str, Any]) -> None:
    del o["spec"]["schedule"]


@pytest.mark.parametrize(
    ("mutate", "expected", "detail"),
    [
        pytest.param(_no_schedule, [(R, "spec.schedule")], "", id="schedule-required"),
        pytest.param(
            lambda o: o["spec"].update(schedule="* * * *"),
            [(INV, "spec.schedule")],
            "expected exactly 5 fields, found 4: [* * * *]",
            id="four-fields",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="0 0 * * * *"),
            [(INV, "spec.schedule")],
            "expected exactly 5 fields, found 6: [0 0 * * * *]",
            id="six-fields",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="60 * * * *"),
            [(INV, "spec.schedule")],
            "end of range (60) above maximum (59): 60",
            id="minute-60",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="0 0 0 * *"),
            [(INV, "spec.schedule")],
            "beginning of range (0) below minimum (1): 0",
            id="day-0",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="0 0 * * 7"),
            [(INV, "spec.schedule")],
            "end of range (7) above maximum (6): 7",
            id="weekday-7",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="0 5-1 * * *"),
            [(INV, "spec.schedule")],
            "beginning of range (5) beyond end of range (1): 5-1",
            id="backwards-range",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="*/0 * * * *"),
            [(INV, "spec.schedule")],
            "step of range should be a positive number: */0",
            id="zero-step",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="x * * * *"),
            [(INV, "spec.schedule")],
            'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax',
            id="not-a-number",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="1-2-3 * * * *"),
            [(INV, "spec.schedule")],
            "too many hyphens: 1-2-3",
            id="hyphens",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="@fortnightly"),
            [(INV, "spec.schedule")],
            "unrecognized descriptor: @fortnightly",
            id="unknown-macro",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="@every 5x"),
            [(INV, "spec.schedule")],
            'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"',
            id="bad-every",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="TZ=UTC 0 0 * * *"),
            [(INV, "spec.schedule")],
            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            id="tz-in-schedule",
        ),
        pytest.param(
            lambda o: o["spec"].update(schedule="CRON_TZ=Mars/Olympus 0 0 * * *"),
            [(INV, "spec.schedule"), (INV, "spec.schedule")],
            "provided bad location Mars/Olympus: unknown time zone Mars/Olympus",
            id="bad-cron-tz",
        ),
        pytest.param(
            lambda o: o["spec"].update(timeZone="Mars/Olympus"),
            [(INV, "spec.timeZone")],
            "unknown time zone Mars/Olympus",
            id="unknown-zone",
        ),
        pytest.param(
            lambda o: o["spec"].update(timeZone="America/../etc"),
            [(INV, "spec.timeZone")],
            "unknown time zone America/../etc",
            id="zone-path",
        ),
        pytest.param(
            lambda o: o["spec"].update(timeZone="Local"),
            [(INV, "spec.timeZone")],
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
            id="local-zone",
        ),
        pytest.param(
            lambda o: o["spec"].update(concurrencyPolicy="Sometimes"),
            [(NS, "spec.concurrencyPolicy")],
            'supported values: "Allow", "Forbid", "Replace"',
            id="concurrency-policy",
        ),
        pytest.param(
            lambda o: o["spec"].update(startingDeadlineSeconds=-1, successfulJobsHistoryLimit=-1),
            [(INV, "spec.startingDeadlineSeconds"), (INV, "spec.successfulJobsHistoryLimit")],
            "must be greater than or equal to 0",
            id="negative-numbers",
        ),
        pytest.param(
            lambda o: o["spec"]["jobTemplate"]["spec"].update(selector={"matchLabels": {"a": "b"}}),
            [(INV, "spec.jobTemplate.spec.selector")],
            "`selector` will be auto-generated",
            id="template-selector",
        ),
        pytest.param(
            lambda o: o["spec"]["jobTemplate"]["spec"].update(manualSelector=True),
            [(NS, "spec.jobTemplate.spec.manualSelector")],
            'supported values: "nil", "false"',
            id="template-manual-selector",
        ),
        pytest.param(
            lambda o: o["spec"]["jobTemplate"]["spec"]["template"]["spec"].update(restartPolicy="Always"),
            [(R, "spec.jobTemplate.spec.template.spec.restartPolicy")],
            'valid values: "OnFailure", "Never"',
            id="template-restart-policy",
        ),
        pytest.param(
            lambda o: o["metadata"].update(name="n" * 53),
            [(INV, "metadata.name")],
            "must be no more than 52 characters",
            id="name-too-long",
        ),
    ],
)
def test_invalid(mutate: Mutation, expected: list[tuple[ErrorType, str]], detail: str) -> None:
    obj = cronjob()
    mutate(obj)
    errs = S.validate(CTX, created(obj))
    assert problems(errs) == expected
    assert errs[0].detail == detail


def _updated(old: dict[str, Any], change: Mutation) -> dict[str, Any]:
    new = copy.deepcopy(old)
    change(new)
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    return new


def test_update_rules() -> None:
    old = created(cronjob(schedule="TZ=UTC 0 0 * * *"))  # stored before TZ was refused
    assert S.validate_update(CTX, _updated(old, lambda o: o["spec"].update(suspend=True)), old) == []
    errs = S.validate_update(CTX, _updated(old, lambda o: o["spec"].update(timeZone="UTC")), old)
    assert [e.detail for e in errs] == ["cannot use both timeZone field and TZ or CRON_TZ in schedule"]
    long = created(cronjob())
    long["metadata"]["name"] = "n" * 60
    assert S.validate_update(CTX, _updated(long, lambda o: o["spec"].update(suspend=True)), long) == []
    new = _updated(long, lambda o: o["spec"].update(schedule="@daily"))
    assert new["metadata"]["generation"] == 2


@pytest.mark.parametrize(
    ("spec", "status", "cells"),
    [
        pytest.param({}, {}, ["*/5 * * * *", "<none>", "False", 0, "<none>"], id="new"),
        pytest.param(
            {"suspend": True, "timeZone": "Asia/Tokyo"},
            {
                "active": [{"name": "hello-1"}, {"name": "hello-2"}],
                "lastScheduleTime": "2026-01-01T01:59:00Z",
            },
            ["*/5 * * * *", "Asia/Tokyo", "True", 2, "60s"],
            id="busy",
        ),
    ],
)
def test_table_row(spec: dict[str, Any], status: dict[str, Any], cells: list[Any]) -> None:
    obj = created(cronjob(**spec))
    obj["status"] = status
    assert S.table_row(obj, NOW) == ["hello", *cells, "120m", "hello", "busybox:1.36", "<none>"]
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Schedule",
        "Timezone",
        "Suspend",
        "Active",
        "Last Schedule",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ]


# the cron parser on its own


@pytest.mark.parametrize(
    ("spec", "after", "expected"),
    [
        pytest.param("*/15 * * * *", "2026-03-01 10:07", "2026-03-01 10:15", id="step"),
        pytest.param("0 0 * * *", "2026-03-01 10:07", "2026-03-02 00:00", id="daily"),
        pytest.param("@monthly", "2026-03-15 00:00", "2026-04-01 00:00", id="monthly"),
        pytest.param(
            "30 8 * * 1", "2026-03-01 09:00", "2026-03-02 08:30", id="mondays"
        ),  # 2026-03-01 is a Sunday
        pytest.param("0 12 13 * 5", "2026-03-01 00:00", "2026-03-06 12:00", id="day-or-weekday"),
        pytest.param("0 0 29 2 *", "2026-03-01 00:00", "2028-02-29 00:00", id="leap-day"),
    ],
)
def test_next_activation(spec: str, after: str, expected: str) -> None:
    when = parse(spec).next(dt.datetime.fromisoformat(after))
    assert when == dt.datetime.fromisoformat(expected)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("1h30m", 5400), ("1.5h", 5400), ("250ms", 0.25), ("-2m", -120), ("0", 0)],
)
def test_go_durations(text: str, seconds: float) -> None:
    assert go_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", 'time: invalid duration ""'),
        ("5", 'time: missing unit in duration "5"'),
        ("h", 'time: invalid duration "h"'),
    ],
)
def test_bad_go_durations(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(") + "$"):
        go_duration(text)


def test_empty_schedule_message() -> None:
    assert schedule_error("") == "empty spec string"
