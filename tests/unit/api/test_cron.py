"""The cron parser and its activation times, daylight-saving edges included (the answers are
those of robfig/cron v3, which Kubernetes uses)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from pyk8s.api.cron import CronError, parse, schedule_error

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = dt.UTC


def at(text: str, zone: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def activations(spec: str, after: dt.datetime, count: int) -> list[str]:
    schedule = parse(spec)
    found = []
    for _ in range(count):
        nxt = schedule.next(after)
        assert nxt is not None
        found.append(nxt.isoformat())
        after = nxt
    return found


@pytest.mark.parametrize(
    ("spec", "after", "expected"),
    [
        pytest.param("@hourly", "2026-03-01 10:07", ["2026-03-01T11:00:00+00:00"], id="hourly"),
        pytest.param("@daily", "2026-03-01 10:07", ["2026-03-02T00:00:00+00:00"], id="daily"),
        pytest.param("@weekly", "2026-03-04 10:07", ["2026-03-08T00:00:00+00:00"], id="weekly-on-sunday"),
        pytest.param("@yearly", "2026-03-01 10:07", ["2027-01-01T00:00:00+00:00"], id="yearly"),
        pytest.param(
            "10-20/5 * * * *",
            "2026-03-01 10:12",
            ["2026-03-01T10:15:00+00:00", "2026-03-01T10:20:00+00:00", "2026-03-01T11:10:00+00:00"],
            id="range-with-step",
        ),
        pytest.param("0 9 * JAN-MAR MON", "2026-03-28 00:00", ["2026-03-30T09:00:00+00:00"], id="names"),
        pytest.param(
            "0 9 * jan-mar mon", "2026-03-31 00:00", ["2027-01-04T09:00:00+00:00"], id="names-wrap-year"
        ),
        pytest.param("5/20 * * * *", "2026-03-01 10:06", ["2026-03-01T10:25:00+00:00"], id="start-with-step"),
        pytest.param("0 0 1,15 * *", "2026-03-02 00:00", ["2026-03-15T00:00:00+00:00"], id="list"),
        pytest.param("* * * * *", "2026-03-01 10:07:59", ["2026-03-01T10:08:00+00:00"], id="strictly-after"),
        pytest.param("@every 90s", "2026-03-01 10:00:00.5", ["2026-03-01T10:01:30+00:00"], id="every"),
    ],
)
def test_activations(spec: str, after: str, expected: list[str]) -> None:
    assert activations(spec, at(after), len(expected)) == expected


def test_wall_time_skipped_by_spring_forward_does_not_fire_that_day() -> None:
    # 2026-03-08 02:00 EST jumps to 03:00 EDT in New York.
    found = activations("30 2 * * *", at("2026-03-07 12:00", NEW_YORK), 2)
    assert found == ["2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"]


def test_wall_time_repeated_by_fall_back_fires_twice() -> None:
    # 2026-11-01 02:00 EDT falls back to 01:00 EST in New York: 01:30 happens twice.
    found = activations("30 1 * * *", at("2026-10-31 12:00", NEW_YORK), 3)
    assert found == ["2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00"]


def test_hourly_counts_real_hours_across_daylight_saving() -> None:
    found = activations("0 * * * *", at("2026-03-29 00:30", LONDON), 3)
    assert found == ["2026-03-29T02:00:00+01:00", "2026-03-29T03:00:00+01:00", "2026-03-29T04:00:00+01:00"]


def test_schedule_zone_prefix_is_used_and_result_keeps_the_callers_zone() -> None:
    nxt = parse("TZ=Asia/Tokyo 0 9 * * *").next(at("2026-03-01 00:30"))  # 09:30 in Tokyo
    assert nxt is not None and nxt.isoformat() == "2026-03-02T00:00:00+00:00"


def test_next_instant_reads_wall_times_in_the_given_zone() -> None:
    instant = parse("0 12 * * *").next_instant(at("2026-07-01 00:00").timestamp(), NEW_YORK)
    assert instant == int(at("2026-07-01 16:00").timestamp())


def test_impossible_date_never_fires() -> None:
    assert parse("0 0 30 2 *").next(at("2026-01-01 00:00")) is None


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty spec string"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
        ("TZ=Mars/Olympus * * * * *", "provided bad location Mars/Olympus: unknown time zone Mars/Olympus"),
    ],
)
def test_errors_are_the_librarys(spec: str, message: str) -> None:
    assert schedule_error(spec) == message
    with pytest.raises(CronError):
        parse(spec)
