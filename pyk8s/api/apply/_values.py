"""JSON values as structured-merge-diff sees them: equality, total order, Go spellings.

Server-side apply compares values with SMD's rules, which are not Python's: `True == 1` is
false there, an integer equals the same float, and values of different types are ordered
(numbers < strings < booleans < lists < maps < null) so sets can be sorted. Path elements
are spelled as Go writes them: JSON the way `encoding/json` does (HTML characters escaped,
floats in `strconv` form) and strings in paths the way `%q` quotes them.
"""

from __future__ import annotations

import decimal
import math
from typing import Any, Final

import orjson


class _Missing:
    """No value at all (Go's nil Value), as opposed to JSON null (Python None)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

_SCALARS = (str, int, float, bool)


def equal(a: Any, b: Any) -> bool:
    """SMD `value.Equals`: deep equality where booleans are not numbers and 1 == 1.0."""
    if a is b:
        return True
    ta, tb = type(a), type(b)
    if ta is tb:
        if ta is dict:
            if len(a) != len(b):
                return False
            for key, value in a.items():
                other = b.get(key, MISSING)
                if other is MISSING or not equal(value, other):
                    return False
            return True
        if ta is list:
            return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
        return bool(a == b)
    if (ta is int and tb is float) or (ta is float and tb is int):
        return bool(a == b)  # SMD compares numbers numerically
    return False


def sort_key(value: Any) -> tuple[Any, ...]:
    """A key that orders values as SMD's `value.Compare` does."""
    t = type(value)
    if t is int or t is float:
        return (0, value)
    if t is str:
        return (1, value)
    if t is bool:
        return (2, value)
    if t is list:
        return (3, tuple(sort_key(v) for v in value))
    if t is dict:
        return (4, tuple((k, sort_key(value[k])) for k in sorted(value)))
    return (5,)  # null


def _digits(value: float) -> tuple[str, int]:
    """The shortest round-trip digits of `value` (no sign) and its decimal exponent."""
    _, digits, exponent = decimal.Decimal(repr(abs(value))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    return text, exponent + len(digits) - 1


def _exponent_form(value: float, digits: str, exponent: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exponent < 0 else "+"
    return f"{'-' if value < 0 else ''}{mantissa}e{sign}{abs(exponent):02d}"


def go_float(value: float) -> str:
    """A float64 as Go's encoding/json writes it (`80`, `1.5`, `1e-7`, `1e+21`)."""
    if not math.isfinite(value):
        return "null"  # Go refuses these; decoded JSON never holds them
    magnitude = abs(value)
    if value == int(value) and magnitude < 1e21:
        return str(int(value))
    if magnitude < 1e-6 or magnitude >= 1e21:
        digits, exponent = _digits(value)
        text = _exponent_form(value, digits, exponent)
        return text.replace("e-0", "e-")  # Go trims one leading zero of a negative exponent
    return format(decimal.Decimal(repr(value)), "f")


_HTML = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def go_json(value: Any) -> str:
    """Compact JSON as Go writes it: map keys sorted, `<>&` escaped, Go float spelling."""
    t = type(value)
    if t is str:
        text = orjson.dumps(value).decode()
        if "<" in text or ">" in text or "&" in text or "\u2028" in text or "\u2029" in text:
            text = text.translate(_HTML)
        return text
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return str(value)
    if t is float:
        return go_float(value)
    if value is None:
        return "null"
    if t is list:
        return "[" + ",".join(go_json(v) for v in value) + "]"
    if t is dict:
        return "{" + ",".join(go_json(k) + ":" + go_json(value[k]) for k in sorted(value)) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


_SHORT_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quote(text: str) -> str:
    """A string as Go's `%q` prints it (printable Unicode kept, the rest escaped)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    out = ['"']
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        elif char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)


def _go_general_float(value: float) -> str:
    """Go's `%v` for a float64 (`%g`, shortest): exponent form below 1e-4 and from 1e6."""
    if value == 0:
        return "0"
    digits, exponent = _digits(value)
    if exponent < -4 or exponent >= 6:
        return _exponent_form(value, digits, exponent)
    return format(decimal.Decimal(repr(value)).normalize(), "f")


def to_string(value: Any) -> str:
    """SMD `value.ToString`, used in path strings: `"nginx"`, `80`, `true`, `null`."""
    t = type(value)
    if value is None:
        return "null"
    if t is str:
        return go_quote(value)
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return str(value)
    if t is float:
        return _go_general_float(value)
    if t is list:
        return "[" + ",".join(to_string(v) for v in value) + "]"
    if t is dict:
        return "".join(f"{k}={to_string(v)}" for k, v in value.items())
    return "{{undefined}}"
