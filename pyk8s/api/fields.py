"""Field paths and field errors, the vocabulary of validation (apimachinery's field.ErrorList).

Validation never raises: it returns a list of `FieldError`s. `InvalidError` (in `errors`)
turns a non-empty list into the 422 Status clients print, one cause per error, with the
same wording Kubernetes uses ("spec.replicas: Invalid value: -1: must be ...").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import orjson


class FieldPath:
    """An immutable path into an object: `FieldPath("spec").child("containers").index(0)`."""

    __slots__ = ("_text",)

    def __init__(self, *names: str) -> None:
        self._text = ".".join(names)

    @classmethod
    def _of(cls, text: str) -> FieldPath:
        path = cls.__new__(cls)
        path._text = text
        return path

    def child(self, *names: str) -> FieldPath:
        text = self._text
        for name in names:
            text = f"{text}.{name}" if text else name
        return FieldPath._of(text)

    def index(self, i: int) -> FieldPath:
        return FieldPath._of(f"{self._text}[{i}]")

    def key(self, k: str) -> FieldPath:
        return FieldPath._of(f"{self._text}[{k}]")

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"FieldPath({self._text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldPath) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)


class ErrorType(enum.Enum):
    """The `reason` of a Status cause, and the phrase that starts its message."""

    NOT_FOUND = ("FieldValueNotFound", "Not found")
    REQUIRED = ("FieldValueRequired", "Required value")
    DUPLICATE = ("FieldValueDuplicate", "Duplicate value")
    INVALID = ("FieldValueInvalid", "Invalid value")
    NOT_SUPPORTED = ("FieldValueNotSupported", "Unsupported value")
    FORBIDDEN = ("FieldValueForbidden", "Forbidden")
    TOO_LONG = ("FieldValueTooLong", "Too long")
    TOO_MANY = ("FieldValueTooMany", "Too many")
    INTERNAL = ("InternalError", "Internal error")
    TYPE_INVALID = ("FieldValueTypeInvalid", "Invalid value")

    @property
    def reason(self) -> str:
        return self.value[0]

    @property
    def phrase(self) -> str:
        return self.value[1]


_NO_VALUE = object()
# Types whose message shows no bad value, only the phrase and the detail.
_VALUELESS = {ErrorType.REQUIRED, ErrorType.FORBIDDEN, ErrorType.TOO_LONG, ErrorType.INTERNAL}


def _render(value: Any) -> str:
    """A bad value as apimachinery's `field.Error` prints it: strings with `%q` (control
    characters as `\x01`, not JSON's `\u0001`), simple scalars with `%v`."""
    if isinstance(value, str):
        # imported here: the apply package imports this module (through api.errors)
        from pyk8s.api.apply._values import go_quote

        return go_quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return repr(value)


@dataclass(frozen=True, slots=True)
class FieldError:
    """One validation problem at one field."""

    type: ErrorType
    field: str
    bad_value: Any = _NO_VALUE
    detail: str = ""

    def body(self) -> str:
        """The message without the field name (a Status cause's `message`)."""
        if self.type in _VALUELESS or self.bad_value is _NO_VALUE:
            text = self.type.phrase
        else:
            text = f"{self.type.phrase}: {_render(self.bad_value)}"
        return f"{text}: {self.detail}" if self.detail else text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"

    def cause(self) -> dict[str, str]:
        return {"reason": self.type.reason, "message": self.body(), "field": self.field}


FieldErrors = list[FieldError]


def required(path: FieldPath | str, detail: str = "") -> FieldError:
    return FieldError(ErrorType.REQUIRED, str(path), detail=detail)


def invalid(path: FieldPath | str, value: Any, detail: str = "") -> FieldError:
    return FieldError(ErrorType.INVALID, str(path), value, detail)


def forbidden(path: FieldPath | str, detail: str) -> FieldError:
    return FieldError(ErrorType.FORBIDDEN, str(path), detail=detail)


def duplicate(path: FieldPath | str, value: Any) -> FieldError:
    return FieldError(ErrorType.DUPLICATE, str(path), value)


def not_found(path: FieldPath | str, value: Any) -> FieldError:
    return FieldError(ErrorType.NOT_FOUND, str(path), value)


def not_supported(path: FieldPath | str, value: Any, valid: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(_render(v) for v in valid) if valid else ""
    return FieldError(ErrorType.NOT_SUPPORTED, str(path), value, detail)


def too_long(path: FieldPath | str, max_length: int) -> FieldError:
    unit = "byte" if max_length == 1 else "bytes"
    return FieldError(ErrorType.TOO_LONG, str(path), detail=f"may not be more than {max_length} {unit}")


def too_many(path: FieldPath | str, actual: int, limit: int) -> FieldError:
    """A list or map with more entries than allowed (a negative `actual` omits the count)."""
    detail = (
        f"must have at most {limit} {'item' if limit == 1 else 'items'}"
        if limit >= 0
        else "has too many items"
    )
    return FieldError(ErrorType.TOO_MANY, str(path), actual if actual >= 0 else _NO_VALUE, detail)


def type_invalid(path: FieldPath | str, value: Any, detail: str) -> FieldError:
    return FieldError(ErrorType.TYPE_INVALID, str(path), value, detail)


def aggregate(errors: FieldErrors) -> str:
    """Errors joined as Kubernetes prints them: one as is, several as `[a, b]`, duplicates once."""
    seen: list[str] = []
    for error in errors:
        text = str(error)
        if text not in seen:
            seen.append(text)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"
