"""JSON values as the Go patch libraries see them: equality, set keys, and `%v` printing."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import orjson


def json_equal(a: Any, b: Any) -> bool:
    """Structural JSON equality; numbers compare by value (1 == 1.0), booleans never equal numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and len(a) == len(b)
            and all(k in b and json_equal(v, b[k]) for k, v in a.items())
        )
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(json_equal, a, b))
    return type(a) is type(b) and a == b


def hash_key(value: Any) -> Any:
    """A hashable stand-in for `value`: equal keys exactly when `json_equal` holds."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if value is None:
        return ("z",)
    if isinstance(value, dict):
        return ("d", frozenset((k, hash_key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("l", tuple(hash_key(v) for v in value))
    return ("o", repr(value))


def json_kind(value: Any) -> str:
    """The JSON type name Go's decoder uses in "cannot unmarshal X into ..." messages."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "null")


def go_type(value: Any) -> str:
    """The Go type a JSON-decoded value has in the libraries (`reflect.TypeOf`)."""
    if value is None:
        return "<nil>"
    return {
        dict: "map[string]interface {}",
        list: "[]interface {}",
        str: "string",
        bool: "bool",
        int: "int64",
        float: "float64",
    }.get(type(value), type(value).__name__)


def go_fmt(value: Any) -> str:
    """How Go's `%v` prints a JSON-decoded value (maps with sorted keys, `<nil>` for null)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_fmt(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_fmt(v) for v in value) + "]"
    return str(value)


def _go_float(value: float) -> str:
    """`strconv.FormatFloat(v, 'g', -1, 64)` as `%v` uses it: shortest digits, exponent from 1e6."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if str(value).startswith("-") else "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    text = "".join(map(str, digits))
    point = int(exponent) + len(text)  # digits before the decimal point
    exp = point - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{text}"
    if point >= len(text):
        return prefix + text + "0" * (point - len(text))
    return f"{prefix}{text[:point]}.{text[point:]}"


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value: an encode-decode round trip is several times faster than
    `copy.deepcopy` on API objects (falls back to it for what JSON cannot carry)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    try:
        return orjson.loads(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):
        return copy.deepcopy(value)
