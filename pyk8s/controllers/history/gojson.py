"""JSON bytes exactly as Go's `encoding/json` writes a decoded `map[string]interface{}`.

A ControllerRevision's name is a hash of its `data` bytes, and kube-controller-manager (and
kubectl's `rollout undo`, which compares bytes to find the matching revision) produce those
bytes by decoding an object into generic maps and marshalling it again. So the same template
gives the same revision name here and there only if the bytes agree: keys sorted at every
level, no spaces, Go's string escaping (HTML-safe: `<`, `>` and `&` become `\\u003c`...,
and U+2028/U+2029 are escaped) and Go's float formatting (every JSON number went through a
float64).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
# What Go escapes as \u00XX on top of the control characters (HTML safety) and the two
# line separators JavaScript would not accept inside a string literal.
_UNICODE_ESCAPES = {"<", ">", "&", "\u2028", "\u2029"}


def _string(text: str, out: list[str]) -> None:
    out.append('"')
    start = 0
    for i, ch in enumerate(text):
        short = _SHORT_ESCAPES.get(ch)
        if short is None and ch >= " " and ch not in _UNICODE_ESCAPES:
            continue
        out.append(text[start:i])
        out.append(short if short is not None else f"\\u{ord(ch):04x}")
        start = i + 1
    out.append(text[start:])
    out.append('"')


def _number(value: float) -> str:
    """strconv.FormatFloat as encoding/json calls it for a float64."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {value}")
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-6 <= magnitude < 1e21:
        if value == int(value):
            return str(int(value))
        text = repr(value)
        if "e" not in text:
            return text
        # repr chose an exponent where Go writes plain digits ('f' format, shortest).
        return format(Decimal(text), "f")
    mantissa, exponent = repr(value).replace("E", "e").split("e")
    sign = "-" if exponent.startswith("-") else "+"
    digits = exponent.lstrip("+-").lstrip("0") or "0"
    # Go writes at least two exponent digits only when needed: 1e-07 becomes 1e-7.
    return f"{mantissa.removesuffix('.0')}e{sign}{digits}"


def _encode(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        _string(value, out)
    elif isinstance(value, int):
        out.append(_number(float(value)) if abs(value) >= 1e21 else str(value))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for n, key in enumerate(sorted(value)):
            if n:
                out.append(",")
            _string(str(key), out)
            out.append(":")
            _encode(value[key], out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for n, item in enumerate(value):
            if n:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        raise TypeError(f"json: unsupported type: {type(value).__name__}")


def go_json(value: Any) -> bytes:
    """`value` (JSON-like data) encoded as Go's json.Marshal encodes the same decoded data."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out).encode()
