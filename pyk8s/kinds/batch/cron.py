"""CronJob schedules: the standard five-field cron syntax and the `@hourly`-style macros, parsed
and reported the way kube-apiserver's cron library does (its error messages reach users as
`spec.schedule: Invalid value: ...`).

`parse` returns a `Schedule` whose `next(after)` gives the next activation, for the CronJob
controller; validation only needs `schedule_error`.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

__all__ = ["CronError", "Schedule", "parse", "schedule_error", "time_zone_error"]


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


@dataclass(frozen=True, slots=True)
class Schedule:
    """Activation times: bit sets of minutes, hours, days, months and weekdays (or a period)."""

    minute: int = 0
    hour: int = 0
    dom: int = 0
    month: int = 0
    dow: int = 0
    every: float = 0.0  # seconds, for `@every <duration>`

    def next(self, after: dt.datetime) -> dt.datetime | None:
        """The first activation strictly after `after` (naive or aware; kept in its zone)."""
        if self.every:
            step = max(1.0, float(int(self.every)))
            return after.replace(microsecond=0) + dt.timedelta(seconds=step)
        t = after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        limit = t.year + 5
        while t.year <= limit:
            if not self.month >> t.month & 1:
                year, month = (t.year + 1, 1) if t.month == 12 else (t.year, t.month + 1)
                t = t.replace(year=year, month=month, day=1, hour=0, minute=0)
                continue
            if not self._day_matches(t):
                t = t.replace(hour=0, minute=0) + dt.timedelta(days=1)
                continue
            if not self.hour >> t.hour & 1:
                t = t.replace(minute=0) + dt.timedelta(hours=1)
                continue
            if not self.minute >> t.minute & 1:
                t += dt.timedelta(minutes=1)
                continue
            return t
        return None

    def _day_matches(self, t: dt.datetime) -> bool:
        dom_ok = bool(self.dom >> t.day & 1)
        dow_ok = bool(self.dow >> ((t.weekday() + 1) % 7) & 1)
        if self.dom & _STAR or self.dow & _STAR:
            return dom_ok and dow_ok
        return dom_ok or dow_ok


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
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space = spec.find(" ")
        zone = spec[spec.index("=") + 1 : space if space >= 0 else len(spec)]
        problem = time_zone_error(zone)
        if problem is not None:
            raise CronError(f"provided bad location {zone}: {problem}")
        spec = spec[space:].strip() if space >= 0 else ""
        if not spec:
            raise CronError("empty spec string")
    if spec.startswith("@"):
        return _descriptor(spec)
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    return Schedule(
        minute=_field(fields[0], _MINUTES),
        hour=_field(fields[1], _HOURS),
        dom=_field(fields[2], _DOM),
        month=_field(fields[3], _MONTHS),
        dow=_field(fields[4], _DOW),
    )


def _descriptor(spec: str) -> Schedule:
    macro = _MACROS.get(spec)
    if macro is not None:
        fields = macro.split()
        return Schedule(
            minute=_field(fields[0], _MINUTES),
            hour=_field(fields[1], _HOURS),
            dom=_field(fields[2], _DOM),
            month=_field(fields[3], _MONTHS),
            dow=_field(fields[4], _DOW),
        )
    if spec.startswith(_EVERY):
        text = spec[len(_EVERY) :]
        try:
            seconds = go_duration(text)
        except ValueError as err:
            raise CronError(f"failed to parse duration {spec}: {err}") from None
        return Schedule(every=seconds)
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
