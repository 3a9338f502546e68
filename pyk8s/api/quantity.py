"""Kubernetes resource quantities (`resource.Quantity` of k8s.io/apimachinery), exactly as
kube-apiserver parses, writes back and compares them. Pure standard library, no floats.

A quantity is a signed decimal number and a suffix: `500m`, `1.5`, `0.5Gi`, `1e3`, `100M`.
The suffix picks the *format* the value is written back in: decimal SI (`n u m "" k M G T P E`),
binary SI (`Ki Mi Gi Ti Pi Ei`) or a decimal exponent (`e3`, `E-6`). Parsing keeps the value
exactly, rounding only what lies below one nano up (away from zero) and capping binary-SI values
at 2^63-1 (decimal values are not capped). The canonical form keeps the format, moves every
factor it can into the suffix and never writes a fraction: `0.5` -> `500m`, `0.5Gi` -> `512Mi`,
`1.5Gi` -> `1536Mi`, `1000m` -> `1`, `1e3` -> `1e3`.

Kubernetes' quirks are kept on purpose, as the apiserver writes them back:

* a string that its fast parser finds "already canonical" is written back verbatim, even when it
  is not quite: `+1`, `01`, `1.500`, `1E3`, `1e+21` come back unchanged;
* `-`, `+`, `.`, `m`, `Ki` (no digits at all) parse as zero;
* a decimal-SI value whose exponent lies past `E` (10^18) has no suffix to write, and the suffix is
  then silently dropped: `1000E` and `1000000000000000000000000000000` are written back as `1`;
* a binary-SI value that is not a whole number, or lies strictly between -1024 and 1024, is
  written in decimal SI: `1.1Ki` -> `1126400m`, `0.5Ki` -> `512`;
* exponents are Go `int32`s and wrap (`1e4294967296` is 1). (Only canonical exponents within a few
  steps of +-2^31, which Go overflows in ways that depend on its internal representation, are
  written here as the plain arithmetic says.)

`Quantity.parse` is Go's `ParseQuantity` (no surrounding whitespace allowed); `canonical` is
what the apiserver writes back for a JSON value (strings are trimmed as `UnmarshalJSON` does, and
JSON numbers are read from their text: `1` -> `1`, `0.5` -> `500m`).
"""

from __future__ import annotations

import functools
import math
import re
from decimal import ROUND_UP, Context, Decimal, Inexact, InvalidOperation
from fractions import Fraction
from typing import Any

__all__ = [
    "BINARY_SI",
    "DECIMAL_EXPONENT",
    "DECIMAL_SI",
    "Quantity",
    "QuantityError",
    "canonical",
    "parse_quantity",
]

DECIMAL_EXPONENT = "DecimalExponent"  # 12e6
BINARY_SI = "BinarySI"  # 12Mi (12 * 2^20)
DECIMAL_SI = "DecimalSI"  # 12M (12 * 10^6)
_FORMATS = frozenset((DECIMAL_EXPONENT, BINARY_SI, DECIMAL_SI))

_SPLIT_RE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT = f"quantities must match the regular expression '{_SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"


class QuantityError(ValueError):
    """A string (or JSON value) that is not a quantity; the message is Kubernetes' own."""


_INT64_MAX = (1 << 63) - 1

# suffix -> (base, exponent, format)
_SUFFIXES: dict[str, tuple[int, int, str]] = {
    "": (10, 0, DECIMAL_SI),
    "n": (10, -9, DECIMAL_SI),
    "u": (10, -6, DECIMAL_SI),
    "m": (10, -3, DECIMAL_SI),
    "k": (10, 3, DECIMAL_SI),
    "M": (10, 6, DECIMAL_SI),
    "G": (10, 9, DECIMAL_SI),
    "T": (10, 12, DECIMAL_SI),
    "P": (10, 15, DECIMAL_SI),
    "E": (10, 18, DECIMAL_SI),
    "Ki": (2, 10, BINARY_SI),
    "Mi": (2, 20, BINARY_SI),
    "Gi": (2, 30, BINARY_SI),
    "Ti": (2, 40, BINARY_SI),
    "Pi": (2, 50, BINARY_SI),
    "Ei": (2, 60, BINARY_SI),
}
# decimal exponent -> SI suffix; a missing exponent is written with no suffix at all (Kubernetes does so)
_DECIMAL_SUFFIX = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}
# power of 1024 -> binary suffix (likewise)
_BINARY_SUFFIX = {1: "Ki", 2: "Mi", 3: "Gi", 4: "Ti", 5: "Pi", 6: "Ei"}

# Go's parseQuantityString, a hand-written scanner: sign, leading zeros (dropped), whole digits,
# optional '.' and fraction digits, then suffix letters, an optional sign and digits, to the end.
_SCAN = re.compile(r"([+-]?)(0*)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[+-]?[0-9]*)")
_INT = re.compile(r"[+-]?[0-9]+")
# Go's strings.TrimSpace (unicode.IsSpace), which is not quite str.strip()
_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)

# exact decimal arithmetic: every result is exact, or InvalidOperation/Inexact is raised
_EXACT = Context(prec=999_999_999_999_999_999, Emax=999_999_999_999_999_999, Emin=-999_999_999_999_999_999)
_EXACT.traps[Inexact] = True
_EXACT.traps[InvalidOperation] = True

# rounding (to nano) without trapping Inexact
_LOOSE = Context(prec=999_999_999_999_999_999, Emax=999_999_999_999_999_999, Emin=-999_999_999_999_999_999)
_NANO = Decimal("1E-9")
_DMAX = Decimal(_INT64_MAX)
_D1024 = Decimal(1024)
_DM1024 = Decimal(-1024)


def _i32(value: int) -> int:
    """`value` wrapped to a Go int32."""
    return (value + 0x8000_0000) % 0x1_0000_0000 - 0x8000_0000


def _parse_int64(text: str) -> int:
    """Go's `strconv.ParseInt(text, 10, 64)` for `[+-]?[0-9]+`."""
    body = text.lstrip("+-").lstrip("0")
    if len(body) > 19:
        raise QuantityError(ERR_SUFFIX)
    value = -int(body or "0") if text[0] == "-" else int(body or "0")
    if not -(1 << 63) <= value <= _INT64_MAX:
        raise QuantityError(ERR_SUFFIX)
    return value


def _make(number: Decimal, fmt: str, text: str | None = None) -> Quantity:
    q = object.__new__(Quantity)
    object.__setattr__(q, "_d", number)
    object.__setattr__(q, "_format", fmt)
    object.__setattr__(q, "_s", text)
    return q


def _from_int(n: int, e: int, fmt: str, text: str | None = None) -> Quantity:
    """The quantity n * 10^e (n has at most 19 digits)."""
    return _make(Decimal(f"{n}E{e}"), fmt, text)


def _int_str(n: int) -> str:
    """str(n), also past Python's limit on int-to-str digits."""
    return str(n) if -(10**300) < n < 10**300 else str(Decimal(n))


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> Quantity:
    """Go's `ParseQuantity`. Quantities are immutable and manifests repeat a few values
    ("100m", "128Mi"), so parses are cached (errors are raised, never cached)."""
    if not text:
        raise QuantityError(ERR_FORMAT)
    if text == "0":
        return _make(Decimal(0), DECIMAL_SI, "0")
    match = _SCAN.fullmatch(text)
    if match is None:
        raise QuantityError(ERR_FORMAT)
    sign, zeros, whole, denom, suffix = match.groups()
    denom = denom or ""
    num = whole or "0"  # no whole digits (after the leading zeros) reads as 0
    negative = sign == "-"

    found = _SUFFIXES.get(suffix)
    if found is not None:
        base, exponent, fmt = found
    elif len(suffix) > 1 and suffix[0] in "eE" and _INT.fullmatch(suffix, 1):
        exponent = _parse_int64(suffix[1:])
        base, exponent, fmt = 10, _i32(exponent), DECIMAL_EXPONENT
    else:
        raise QuantityError(ERR_SUFFIX)

    # The fast path: the value fits an int64 with a scale of at least nano.
    mantissa = 1
    if fmt == BINARY_SI:
        scale = 0
        if not denom:
            mantissa = 1 << exponent
            precision = 15 - len(num) - exponent * 3 // 10 - 1
        else:
            precision = -1
    else:
        scale = exponent
        precision = 18 - (len(num) + len(denom))
    if precision >= 0:
        scale = _i32(scale - len(denom))
        if scale >= -9:
            shifted = num + denom
            value = int(shifted)
            result = value * mantissa
            if result <= _INT64_MAX:
                cached = None
                # a string already in canonical form (as Go judges it) is written back as given
                if fmt == BINARY_SI:
                    if exponent % 10 == 0 and value & 7:
                        cached = text
                elif scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0":
                    cached = text
                return _from_int(-result if negative else result, scale, fmt, cached)

    # The general path: arbitrary precision, rounded up to nano, binary SI capped to int64.
    if not (zeros or whole or denom):
        raise QuantityError(ERR_NUMERIC)  # no digit at all
    if base == 10:
        point = _i32(len(denom) + _i32(-exponent))  # digits after the decimal point (inf.Dec's scale)
        number = Decimal(f"{num}{denom}E{-point}")
    else:
        number = _EXACT.multiply(Decimal(f"{num}{denom}E-{len(denom)}"), Decimal(1 << exponent))
    if number and number.as_tuple().exponent < -9:  # type: ignore[operator]
        number = number.quantize(_NANO, rounding=ROUND_UP, context=_LOOSE)  # away from zero
    if fmt == BINARY_SI:
        if number > _DMAX:
            number = _DMAX
        elif number and number < 1:
            fmt = DECIMAL_SI  # between 0 and 1: keep it from being rounded to a whole number
    return _make(number.copy_negate() if negative else number, fmt)


def _canonical(number: Decimal, fmt: str) -> str:
    """Go's `Quantity.CanonicalizeBytes`."""
    if not number:
        return "0"
    if fmt == BINARY_SI:
        if _DM1024 < number < _D1024:
            fmt = DECIMAL_SI
        else:
            whole = number.to_integral_value(rounding=ROUND_UP)
            if whole != number:
                fmt = DECIMAL_SI  # do not lose precision
            else:
                value = int(whole)
                magnitude, power = abs(value), 0
                while magnitude >= 1024 and not magnitude % 1024:
                    magnitude //= 1024
                    power += 1
                sign = "-" if value < 0 else ""
                return f"{sign}{_int_str(magnitude)}{_BINARY_SUFFIX.get(power, '')}"
    negative, digit_tuple, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple))
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    pad = exponent % 3  # down to a multiple of three, never a fraction
    exponent -= pad
    mantissa = ("-" if negative else "") + stripped + "0" * pad
    if fmt == DECIMAL_EXPONENT:
        return f"{mantissa}e{exponent}" if exponent else mantissa
    return mantissa + _DECIMAL_SUFFIX.get(exponent, "")


def _json_number_text(value: Any) -> str:
    """The JSON text a number was most likely sent as (Go's and JavaScript's encoders: shortest
    round-trip digits, an exponent below 1e-6 and from 1e21 on); Kubernetes parses that text."""
    if type(value) is bool:
        raise QuantityError(ERR_FORMAT)
    if isinstance(value, int):
        return _int_str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QuantityError(ERR_FORMAT)
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise QuantityError(ERR_FORMAT)
        number = value
    else:
        raise QuantityError(ERR_FORMAT)
    negative, digit_tuple, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    sign = "-" if negative else ""
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    if not digits:
        return sign + "0"
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    digits = stripped
    adjusted = exponent + len(digits) - 1  # the value is d.ddd * 10^adjusted
    if adjusted < -6 or adjusted >= 21:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        power = f"-{-adjusted}" if adjusted < 0 else f"+{adjusted:02d}"
        return f"{sign}{mantissa}e{power}"
    if exponent >= 0:
        return sign + digits + "0" * exponent
    point = len(digits) + exponent
    if point > 0:
        return f"{sign}{digits[:point]}.{digits[point:]}"
    return f"{sign}0.{'0' * -point}{digits}"


_Exact = int | Decimal | Fraction


class Quantity:
    """An immutable, hashable, totally ordered quantity: `Quantity("1Gi") > Quantity("1G")`.

    `Quantity(x)` reads a string as `Quantity.parse` does and a number as `Quantity.from_number`.
    Equality and order are by value only (`Quantity("1k") == Quantity("1e3") == 1000`);
    `str()` is the canonical form. `+` and `-` are exact, like Go's `Add`/`Sub`: the result keeps
    the left operand's format, or takes the right one's when the left is zero.
    """

    __slots__ = ("_d", "_format", "_s")
    _d: Decimal
    _format: str
    _s: str | None

    def __init__(self, value: str | int | float | Decimal | Quantity = 0) -> None:
        if isinstance(value, Quantity):
            q = value
        elif isinstance(value, str):
            q = _parse(value)
        else:
            q = Quantity.from_number(value)
        object.__setattr__(self, "_d", q._d)
        object.__setattr__(self, "_format", q._format)
        object.__setattr__(self, "_s", q._s)

    @classmethod
    def parse(cls, text: str | int | float | Decimal) -> Quantity:
        """Go's `resource.ParseQuantity` for a string (no whitespace around it); numbers as
        `from_number`. Raises `QuantityError`."""
        if isinstance(text, str):
            return _parse(text)
        return cls.from_number(text)

    @classmethod
    def from_number(cls, number: int | float | Decimal) -> Quantity:
        """A JSON number as Kubernetes reads it (from its text): 1 -> `1`, 0.5 -> `500m`,
        1000 -> `1k`, 1e-7 -> `100e-9`."""
        return _parse(_json_number_text(number))

    @classmethod
    def from_decimal(cls, number: Decimal | int, fmt: str = DECIMAL_SI) -> Quantity:
        """The exact value in `fmt` (like Go's `NewDecimalQuantity`: no rounding, no cap)."""
        if fmt not in _FORMATS:
            raise ValueError(f"unknown quantity format {fmt!r}")
        if type(number) is bool or not isinstance(number, int | Decimal):
            raise TypeError(f"expected an int or a Decimal, not {type(number).__name__}")
        number = Decimal(number)
        if not number.is_finite():
            raise ValueError(f"{number} is not a finite number")
        return _make(number, fmt)

    # accessors

    @property
    def format(self) -> str:
        """`DecimalSI`, `BinarySI` or `DecimalExponent`."""
        return self._format

    def canonical(self) -> str:
        """The string Kubernetes writes back for this quantity."""
        s = self._s
        if s is None:
            s = _canonical(self._d, self._format)
            object.__setattr__(self, "_s", s)
        return s

    def value(self) -> int:
        """The value rounded up, away from zero, to a whole number (Go's `Value()` as documented,
        without its int64 overflow; Go's arbitrary-precision branch rounds negative fractions
        towards zero instead, e.g. for `-1.0000000001`)."""
        return int(self._d.to_integral_value(rounding=ROUND_UP))

    def milli_value(self) -> int:
        """The value in thousandths, rounded up away from zero (Go's `MilliValue()`)."""
        return int(_EXACT.scaleb(self._d, 3).to_integral_value(rounding=ROUND_UP))

    def as_decimal(self) -> Decimal:
        return self._d

    def as_fraction(self) -> Fraction:
        return Fraction(self._d)

    def is_zero(self) -> bool:
        return not self._d

    def sign(self) -> int:
        return (self._d > 0) - (self._d < 0)

    # arithmetic

    def __add__(self, other: object) -> Quantity:
        y = _operand(other)
        if y is None:
            return NotImplemented
        return _make(_EXACT.add(self._d, y._d), y._format if not self._d else self._format)

    def __radd__(self, other: object) -> Quantity:
        x = _operand(other)
        if x is None:
            return NotImplemented
        return x.__add__(self)

    def __sub__(self, other: object) -> Quantity:
        y = _operand(other)
        if y is None:
            return NotImplemented
        return _make(_EXACT.subtract(self._d, y._d), y._format if not self._d else self._format)

    def __rsub__(self, other: object) -> Quantity:
        x = _operand(other)
        if x is None:
            return NotImplemented
        return x.__sub__(self)

    def __mul__(self, other: object) -> Quantity:
        """Multiplied by a whole number (Go's `Mul(int64)`)."""
        if type(other) is not int:
            return NotImplemented
        return _make(_EXACT.multiply(self._d, Decimal(other)), self._format)

    __rmul__ = __mul__

    def __neg__(self) -> Quantity:
        return _make(_EXACT.minus(self._d), self._format)

    def __pos__(self) -> Quantity:
        return self

    def __abs__(self) -> Quantity:
        return self if self._d >= 0 else -self

    def __bool__(self) -> bool:
        return bool(self._d)

    # comparison: by value, with quantities and exact numbers (int, Decimal, Fraction)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return self._d == other._d
        if isinstance(other, _Exact) and type(other) is not bool:
            return self._d == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._d)  # numeric: equal to hash(1000) for 1k

    def __lt__(self, other: object) -> bool:
        y = _comparable(other)
        return NotImplemented if y is None else self._d < y

    def __le__(self, other: object) -> bool:
        y = _comparable(other)
        return NotImplemented if y is None else self._d <= y

    def __gt__(self, other: object) -> bool:
        y = _comparable(other)
        return NotImplemented if y is None else self._d > y

    def __ge__(self, other: object) -> bool:
        y = _comparable(other)
        return NotImplemented if y is None else self._d >= y

    # the rest

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Quantity is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Quantity is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_make, (self._d, self._format, self._s))

    def __copy__(self) -> Quantity:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Quantity:
        return self

    def __str__(self) -> str:
        return self.canonical()

    def __repr__(self) -> str:
        return f"Quantity({self.canonical()!r})"


def _operand(other: object) -> Quantity | None:
    if isinstance(other, Quantity):
        return other
    if isinstance(other, str | int | Decimal) and type(other) is not bool:
        return Quantity(other)
    return None


def _comparable(other: object) -> Decimal | int | Fraction | None:
    if isinstance(other, Quantity):
        return other._d
    if isinstance(other, _Exact) and type(other) is not bool:
        return other
    return None


# module-level helpers

_CACHE: dict[str, str] = {}
_CACHE_SIZE = 2048


def canonical(value: str | int | float | Decimal) -> str:
    """What kube-apiserver writes back for the JSON value `value` of a quantity field: a string is
    trimmed (as `UnmarshalJSON` does), parsed and canonicalised, a number is read from its JSON text.
    Raises `QuantityError`. Recently seen strings are answered from a small cache."""
    if type(value) is str:
        out = _CACHE.get(value)
        if out is not None:
            return out
        out = _parse(value.strip(_GO_SPACE)).canonical()
    else:
        text = _json_number_text(value)
        out = _CACHE.get(text)
        if out is not None:
            return out
        out = _parse(text).canonical()
        value = text
    if len(value) <= 64:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[value] = out
    return out


def parse_quantity(value: str | int | float | Decimal | Quantity) -> Quantity:
    """`value` as a `Quantity`: strings as Go's `ParseQuantity`, numbers from their JSON text."""
    if isinstance(value, Quantity):
        return value
    return Quantity.parse(value)
