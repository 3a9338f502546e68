"""When a CronJob should create a Job: the missed-schedule arithmetic of Kubernetes' CronJob
controller, as pure functions over the CronJob dict and times in seconds since the epoch.

The controller looks at the schedule's activations since the later of the last scheduled
time (or, before the first one, the CronJob's creation) and `now - startingDeadlineSeconds`:

    earliest ──── t1 ──── t2 ──── ... ──── tn ──── now ──── next
                  └──── missed activations ────┘

Only the most recent missed activation `tn` is ever started; older ones are skipped. To stay
cheap when the controller was down for years (or clocks are wrong), the number of missed
activations is estimated from the spacing of the first two, and more than 100 of them is
reported ("too many missed start times") but `tn` is still started.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from dataclasses import dataclass
from typing import Any

from pyk8s.api.cron import CronError, Schedule, parse
from pyk8s.api.meta import parse_time

Obj = dict[str, Any]

# Requeue a little after the activation, so that a clock a bit behind still finds it due.
NEXT_SCHEDULE_DELTA = 0.1
TOO_MANY_MISSED = 100


class Missed(enum.Enum):
    """How many activations were missed since the earliest time considered."""

    NONE = "none"
    FEW = "few"
    MANY = "many"


class InvalidScheduleError(Exception):
    """A schedule that parses but cannot be evaluated (February 30th: it never fires)."""


@dataclass(frozen=True, slots=True)
class RecentSchedule:
    """The answer of `most_recent_schedule_time`."""

    earliest: float  # where the search started
    most_recent: float | None  # the latest activation at or before now, if any
    missed: Missed


def _spec(cronjob: Obj) -> Obj:
    spec = cronjob.get("spec")
    return spec if isinstance(spec, dict) else {}


def _status(cronjob: Obj) -> Obj:
    status = cronjob.get("status")
    return status if isinstance(status, dict) else {}


def formatted_schedule(cronjob: Obj) -> tuple[str, bool]:
    """The schedule as the controller parses it, and whether it carries its own `TZ=` (which
    Kubernetes warns about: not officially supported). `spec.timeZone` becomes a `TZ=` prefix."""
    spec = _spec(cronjob)
    schedule = str(spec.get("schedule") or "")
    if "TZ" in schedule:
        return schedule, True
    zone = spec.get("timeZone")
    if zone is not None and time_zone_problem(zone) is None:
        return f"TZ={zone} {schedule}", False
    return schedule, False


def time_zone_problem(zone: str) -> str | None:
    """Why `spec.timeZone` cannot be loaded (Go's LoadLocation wording), or None."""
    if zone in ("", "UTC", "Local"):
        return None
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone {zone}"
    return None


def parse_schedule(cronjob: Obj) -> Schedule:
    """The CronJob's schedule (with its time zone); raises CronError."""
    text, _ = formatted_schedule(cronjob)
    return parse(text)


def _next(schedule: Schedule, after: float, zone: dt.tzinfo) -> float | None:
    found = schedule.next_instant(after, zone)
    return None if found is None else float(found)


def most_recent_schedule_time(
    cronjob: Obj, now: float, schedule: Schedule, zone: dt.tzinfo, *, include_deadline: bool
) -> RecentSchedule:
    """The latest activation in (earliest, now], with the missed-count estimate; raises
    InvalidScheduleError for schedules that never fire twice."""
    meta = cronjob.get("metadata") or {}
    last = _status(cronjob).get("lastScheduleTime")
    created = meta.get("creationTimestamp")
    earliest = parse_time(last) if last else (parse_time(created) if created else now)
    deadline = _spec(cronjob).get("startingDeadlineSeconds")
    if include_deadline and deadline is not None:
        earliest = max(earliest, now - float(deadline))
    t1 = _next(schedule, earliest, zone)
    if t1 is None:
        raise InvalidScheduleError("time difference between two schedules is less than 1 second")
    if now < t1:
        return RecentSchedule(earliest, None, Missed.NONE)
    t2 = _next(schedule, t1, zone)
    if t2 is not None and now < t2:
        return RecentSchedule(earliest, t1, Missed.NONE)
    between = round(t2 - t1) if t2 is not None else 0
    if between < 1:
        raise InvalidScheduleError("time difference between two schedules is less than 1 second")
    missed = int(now - t1) // between + 1
    # Step back to just before the estimated last activations and let the schedule find the
    # exact one: the spacing of irregular schedules ("30 6-16/4 * * 1-5") is only a guess.
    most_recent: float | None = None
    t = _next(schedule, t1 + (missed - 2) * between, zone)
    while t is not None and t <= now:
        most_recent = t
        t = _next(schedule, t, zone)
    kind = Missed.MANY if missed > TOO_MANY_MISSED else Missed.FEW
    return RecentSchedule(earliest, most_recent, kind)


def next_schedule_delay(cronjob: Obj, now: float, schedule: Schedule, zone: dt.tzinfo) -> float | None:
    """Seconds until the controller should look at the CronJob again (the next activation
    after the last one due, plus a small margin); None if the schedule never fires."""
    try:
        recent = most_recent_schedule_time(cronjob, now, schedule, zone, include_deadline=False)
    except InvalidScheduleError:
        base = now
    else:
        if recent.most_recent is not None:
            base = recent.most_recent
        else:
            base = recent.earliest if recent.missed is Missed.NONE else now
    following = _next(schedule, base, zone)
    if following is None:
        return None
    return following + NEXT_SCHEDULE_DELTA - now


def job_name(cronjob_name: str, scheduled: float) -> str:
    """`<cronjob>-<minutes since the epoch>`: one name per activation, so that a Job is never
    created twice for the same time."""
    return f"{cronjob_name}-{int(scheduled) // 60}"


def scheduled_timestamp(scheduled: float, time_zone: str | None, local: dt.tzinfo) -> str:
    """RFC 3339 in the CronJob's `spec.timeZone` (UTC when unset, as Kubernetes writes it), for
    the `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation."""
    if time_zone is None or time_zone in ("", "UTC"):
        zone: dt.tzinfo = dt.UTC
    elif time_zone == "Local":
        zone = local
    else:
        zone = zoneinfo.ZoneInfo(time_zone)
    text = dt.datetime.fromtimestamp(int(scheduled), zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


__all__ = [
    "NEXT_SCHEDULE_DELTA",
    "CronError",
    "InvalidScheduleError",
    "Missed",
    "RecentSchedule",
    "formatted_schedule",
    "job_name",
    "most_recent_schedule_time",
    "next_schedule_delay",
    "parse_schedule",
    "scheduled_timestamp",
    "time_zone_problem",
]
