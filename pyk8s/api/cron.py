"""CronJob schedules: the standard five-field cron syntax and the `@hourly`-style macros, parsed
and evaluated the way Kubernetes' cron library (robfig/cron v3) does.

Its error messages reach users as `spec.schedule: Invalid value: ...`, and its notion of "the
next activation" decides when the CronJob controller creates Jobs, so both follow the library:

- `parse` gives a `Schedule`; `schedule_error` is what validation needs.
- `Schedule.next(after)` is the first activation strictly after `after`. It walks real
  instants in the schedule's zone as the library does, so daylight-saving edges behave as in
  Kubernetes: a wall time skipped by a spring-forward never fires that day, and a wall time
  repeated by a fall-back fires twice (once per offset).
- `local_zone()` is the zone of this process, which Kubernetes uses for a CronJob without
  `spec.timeZone` (the controller manager's local time).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from dataclasses import dataclass

__all__ = [
    "CronError",
    "Schedule",
    "go_duration",
    "local_zone",
    "parse",
    "schedule_error",
    "time_zone_error",
]


class CronError(ValueError):
    """A schedule the cron parser refuses; the message is the library's own."""


@dataclass(frozen=True, slots=True)
class _Bounds:
    low: int
    high: int
    names: dict[str, int] | None = None


_MINUTES = _Bounds(0, 59)
_HOURS = _Bounds(0, 23)
_DOM = _Bounds(1, 31)
_MONTHS = _Bounds(
    1,
    12,
    {
        m: i + 1
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        )
    },
)
_DOW = _Bounds(0, 6, {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])})
_STAR = 1 << 63  # the "any value" marker, as the library keeps it

_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_EVERY = "@every "
_EPOCH = dt.datetime(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Activation times: bit sets of minutes, hours, days, months and weekdays (or a period).

    `zone` is the IANA name given by a `TZ=`/`CRON_TZ=` prefix; it overrides the zone of the
    time passed to `next`.
    """

    minute: int = 0
    hour: int = 0
    dom: int = 0
    month: int = 0
    dow: int = 0
    every: float = 0.0  # seconds, for `@every <duration>`
    zone: str | None = None

    def next(self, after: dt.datetime) -> dt.datetime | None:
        """The first activation strictly after `after`, in `after`'s zone; None if there is
        none within five years (the library's "zero time").

        A naive `after` is read as UTC wall time and a naive result returned.
        """
        naive = after.tzinfo is None
        origin = dt.UTC if naive else after.tzinfo
        assert origin is not None
        instant = (after.replace(tzinfo=dt.UTC) if naive else after).timestamp()
        zone: dt.tzinfo = zoneinfo.ZoneInfo(self.zone) if self.zone else origin
        found = self.next_instant(instant, zone)
        if found is None:
            return None
        result = dt.datetime.fromtimestamp(found, origin)
        return result.replace(tzinfo=None) if naive else result

    def next_instant(self, after: float, zone: dt.tzinfo) -> int | None:
        """`next` on seconds since the epoch: the first activation after `after`, with wall
        times read in `zone` (this schedule's own zone, if it names one, wins)."""
        if self.zone:
            zone = zoneinfo.ZoneInfo(self.zone)
        if self.every:
            # The library keeps whole seconds of the period, at least one.
            return int(after // 1) + max(1, int(self.every))
        return _next_spec(self, int(after // 1) + 1, zone)

    def day_matches(self, local: dt.datetime) -> bool:
        """Day of month and day of week: both must match when either field has a `*`,
        otherwise either one is enough (cron's classic rule)."""
        dom_ok = bool(self.dom >> local.day & 1)
        dow_ok = bool(self.dow >> ((local.weekday() + 1) % 7) & 1)
        if self.dom & _STAR or self.dow & _STAR:
            return dom_ok and dow_ok
        return dom_ok or dow_ok


# Walking the calendar. Times are whole seconds since the epoch; fields are read in the zone.
# `_date` is Go's time.Date (normalising overflowing fields, and resolving a wall time that a
# zone transition skips or repeats the way Go does), because the library leans on it.


def _offset(t: int, zone: dt.tzinfo) -> int:
    offset = dt.datetime.fromtimestamp(t, zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _date(year: int, month: int, day: int, hour: int, minute: int, second: int, zone: dt.tzinfo) -> int:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    wall = dt.datetime(year, month, 1) + dt.timedelta(
        days=day - 1, hours=hour, minutes=minute, seconds=second
    )
    unix = int((wall - _EPOCH).total_seconds())
    # Go looks up the offset in force at the wall time read as UTC, then, if the instant that
    # offset gives lies outside that offset's period, the offset in force at that instant.
    offset = _offset(unix, zone)
    if offset:
        offset = _offset(unix - offset, zone)
    return unix - offset


class _Walk:
    """robfig/cron's SpecSchedule.Next as a cursor: each `find_*` moves the time forward until
    its field matches, and returns False when a field wrapped around (the library's `goto
    WRAP`: every field must then be checked again)."""

    def __init__(self, schedule: Schedule, t: int, zone: dt.tzinfo) -> None:
        self.s, self.zone = schedule, zone
        self.added = False  # once a field moved, the smaller fields start from zero
        self.set(t)

    def set(self, t: int) -> None:
        self.t = t
        self.local = dt.datetime.fromtimestamp(t, self.zone)

    def date(self, *, month: int = 0, day: int = 0) -> None:
        """Go's AddDate: calendar arithmetic on the wall fields."""
        x = self.local
        self.set(_date(x.year, x.month + month, x.day + day, x.hour, x.minute, x.second, self.zone))

    def find_month(self) -> bool:
        while not self.s.month >> self.local.month & 1:
            if not self.added:
                self.added = True
                self.set(_date(self.local.year, self.local.month, 1, 0, 0, 0, self.zone))
            self.date(month=1)
            if self.local.month == 1:
                return False
        return True

    def find_day(self) -> bool:
        while not self.s.day_matches(self.local):
            if not self.added:
                self.added = True
                x = self.local
                self.set(_date(x.year, x.month, x.day, 0, 0, 0, self.zone))
            self.date(day=1)
            # Where midnight does not exist (a transition at 00:00) step back to the day's start.
            hour = self.local.hour
            if hour:
                self.set(self.t + ((24 - hour) * 3600 if hour > 12 else -hour * 3600))
            if self.local.day == 1:
                return False
        return True

    def find_hour(self) -> bool:
        while not self.s.hour >> self.local.hour & 1:
            if not self.added:
                self.added = True
                x = self.local
                self.set(_date(x.year, x.month, x.day, x.hour, 0, 0, self.zone))
            self.set(self.t + 3600)
            if self.local.hour == 0:
                return False
        return True

    def find_minute(self) -> bool:
        while not self.s.minute >> self.local.minute & 1:
            if not self.added:
                self.added = True
                self.set(self.t - self.t % 60)
            self.set(self.t + 60)
            if self.local.minute == 0:
                return False
        return True

    def find_second(self) -> bool:
        """The standard parser allows second 0 only: jump to the next whole minute."""
        if self.local.second == 0:
            return True
        self.added = True
        self.set(self.t + 60 - self.local.second)
        return False


def _next_spec(s: Schedule, t: int, zone: dt.tzinfo) -> int | None:
    """The first activation at or after the second `t`, or None within five years."""
    walk = _Walk(s, t, zone)
    year_limit = walk.local.year + 5
    while walk.local.year <= year_limit:
        found = walk.find_month() and walk.find_day() and walk.find_hour() and walk.find_minute()
        if found and walk.find_second():
            return walk.t
    return None


def local_zone() -> dt.tzinfo:
    """The zone of this process (`TZ`, else /etc/localtime, else UTC), as Go's time.Local."""
    name = os.environ.get("TZ")
    if name is not None:
        name = name.lstrip(":")
        if name in ("", "UTC"):
            return dt.UTC
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            return dt.UTC
    try:
        with open("/etc/localtime", "rb") as f:
            return zoneinfo.ZoneInfo.from_file(f, key="Local")
    except OSError:
        return dt.UTC


def time_zone_error(zone: str) -> str | None:
    """Why Go's time.LoadLocation would refuse `zone` (an IANA name), or None."""
    if zone in ("", "UTC", "Local"):
        return None
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return f"unknown time zone {zone}"
    return None


def schedule_error(spec: str) -> str | None:
    """Why `spec` is not a valid schedule, or None."""
    try:
        parse(spec)
    except CronError as err:
        return str(err)
    return None


def parse(spec: str) -> Schedule:
    """A standard cron schedule: five fields, or a descriptor such as `@daily`, `@every 1h`.

    A leading `TZ=<zone>` or `CRON_TZ=<zone>` is accepted by the library (CronJob validation
    rejects it separately); the zone must exist.
    """
    if not spec:
        raise CronError("empty spec string")
    zone: str | None = None
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space = spec.find(" ")
        zone = spec[spec.index("=") + 1 : space if space >= 0 else len(spec)]
        problem = time_zone_error(zone)
        if problem is not None:
            raise CronError(f"provided bad location {zone}: {problem}")
        spec = spec[space:].strip() if space >= 0 else ""
        if not spec:
            raise CronError("empty spec string")
        if zone in ("", "Local"):
            zone = None  # the caller's zone, as Go's time.Local
    if spec.startswith("@"):
        return _descriptor(spec, zone)
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    return _fields(fields, zone)


def _fields(fields: list[str], zone: str | None) -> Schedule:
    return Schedule(
        minute=_field(fields[0], _MINUTES),
        hour=_field(fields[1], _HOURS),
        dom=_field(fields[2], _DOM),
        month=_field(fields[3], _MONTHS),
        dow=_field(fields[4], _DOW),
        zone=zone,
    )


def _descriptor(spec: str, zone: str | None) -> Schedule:
    macro = _MACROS.get(spec)
    if macro is not None:
        return _fields(macro.split(), zone)
    if spec.startswith(_EVERY):
        text = spec[len(_EVERY) :]
        try:
            seconds = go_duration(text)
        except ValueError as err:
            raise CronError(f"failed to parse duration {spec}: {err}") from None
        return Schedule(every=seconds, zone=zone)
    raise CronError(f"unrecognized descriptor: {spec}")


def _field(text: str, bounds: _Bounds) -> int:
    bits = 0
    for expr in (part for part in text.split(",") if part):
        bits |= _range(expr, bounds)
    return bits


def _range(expr: str, bounds: _Bounds) -> int:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    extra = 0
    if low_and_high[0] in ("*", "?"):
        start, end, extra = bounds.low, bounds.high, _STAR
    else:
        start = _int_or_name(low_and_high[0], bounds.names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], bounds.names)
        else:
            raise CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _int(range_and_step[1])
        if single:
            end = bounds.high  # "N/step" means "N-max/step"
        if step > 1:
            extra = 0
    else:
        raise CronError(f"too many slashes: {expr}")
    if start < bounds.low:
        raise CronError(f"beginning of range ({start}) below minimum ({bounds.low}): {expr}")
    if end > bounds.high:
        raise CronError(f"end of range ({end}) above maximum ({bounds.high}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")
    bits = 0
    for value in range(start, end + 1, step):
        bits |= 1 << value
    return bits | extra


def _int_or_name(text: str, names: dict[str, int] | None) -> int:
    if names is not None and text.lower() in names:
        return names[text.lower()]
    return _int(text)


_GO_INT = re.compile(r"[+-]?[0-9]+")


def _int(text: str) -> int:
    if not _GO_INT.fullmatch(text):
        raise CronError(f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax')
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise CronError(
            f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": value out of range'
        )
    if number < 0:
        raise CronError(f"negative number ({number}) not allowed: {text}")
    return number


_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]*)")


def go_duration(text: str) -> float:
    """Go's time.ParseDuration, in seconds (`1h30m`, `90s`, `1.5h`); raises ValueError with Go's
    message."""
    original = text
    quoted = '"' + original.replace("\\", "\\\\").replace('"', '\\"') + '"'
    sign = 1.0
    if text[:1] in ("+", "-"):
        sign = -1.0 if text[0] == "-" else 1.0
        text = text[1:]
    if text == "0":
        return 0.0
    if not text:
        raise ValueError(f"time: invalid duration {quoted}")
    total = 0.0
    while text:
        match = _DURATION_PART.match(text)
        number, unit = (match.group(1), match.group(2)) if match else ("", "")
        if not number or number == ".":
            raise ValueError(f"time: invalid duration {quoted}")
        if not unit:
            raise ValueError(f"time: missing unit in duration {quoted}")
        if unit not in _UNITS:
            raise ValueError(f'time: unknown unit "{unit}" in duration {quoted}')
        total += float(number) * _UNITS[unit]
        text = text[match.end() :] if match else ""
    return sign * total
