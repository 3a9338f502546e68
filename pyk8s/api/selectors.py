"""Label and field selectors: parse the query-string forms, build from `LabelSelector`
objects, and match.

Label selectors (`labelSelector=`): comma-separated requirements, all of which must hold:
`k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists), `!k` (does not exist),
`k>3`, `k<3` (integer comparison). Field selectors (`fieldSelector=`): `f=v`, `f==v`,
`f!=v`, comma-separated, with `\\,` `\\=` `\\\\` escapes in values. Parse errors raise
`SelectorError` (the API server answers 400 BadRequest).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pyk8s.api.validation import label_value, qualified_name


class SelectorError(ValueError):
    """A selector string or object that cannot be parsed."""


class Op(enum.Enum):
    EQUALS = "="
    DOUBLE_EQUALS = "=="
    NOT_EQUALS = "!="
    IN = "in"
    NOT_IN = "notin"
    EXISTS = "exists"
    DOES_NOT_EXIST = "!"
    GREATER_THAN = ">"
    LESS_THAN = "<"


@dataclass(frozen=True, slots=True)
class Requirement:
    """One label requirement."""

    key: str
    op: Op
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        op = self.op
        if op in (Op.EQUALS, Op.DOUBLE_EQUALS, Op.IN):
            return self.key in labels and labels[self.key] in self.values
        if op in (Op.NOT_EQUALS, Op.NOT_IN):
            return self.key not in labels or labels[self.key] not in self.values
        if op is Op.EXISTS:
            return self.key in labels
        if op is Op.DOES_NOT_EXIST:
            return self.key not in labels
        if self.key not in labels:
            return False
        try:
            have, want = int(labels[self.key]), int(self.values[0])
        except ValueError:
            return False
        return have > want if op is Op.GREATER_THAN else have < want

    def __str__(self) -> str:
        op = self.op
        if op is Op.EXISTS:
            return self.key
        if op is Op.DOES_NOT_EXIST:
            return "!" + self.key
        if op in (Op.IN, Op.NOT_IN):
            return f"{self.key} {op.value} ({','.join(self.values)})"
        return f"{self.key}{op.value}{self.values[0]}"


class LabelSelector:
    """A conjunction of label requirements. The empty selector matches everything."""

    __slots__ = ("requirements",)

    def __init__(self, requirements: list[Requirement] | None = None) -> None:
        self.requirements = requirements or []

    @property
    def empty(self) -> bool:
        return not self.requirements

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def equality_terms(self) -> dict[str, str]:
        """`k=v` requirements as a dict (used to narrow lookups by index)."""
        return {r.key: r.values[0] for r in self.requirements if r.op in (Op.EQUALS, Op.DOUBLE_EQUALS)}

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return f"LabelSelector({str(self)!r})"

    @classmethod
    def parse(cls, text: str) -> LabelSelector:
        """Parse the `labelSelector` query-string form."""
        return cls(_LabelParser(text).parse())

    @classmethod
    def from_object(cls, selector: Mapping[str, Any] | None) -> LabelSelector:
        """Build from a `metav1.LabelSelector` (matchLabels and matchExpressions)."""
        if selector is None:
            return cls()
        reqs: list[Requirement] = []
        for key, value in sorted((selector.get("matchLabels") or {}).items()):
            reqs.append(_checked(key, Op.EQUALS, (str(value),)))
        for expr in selector.get("matchExpressions") or []:
            key, operator = expr.get("key", ""), expr.get("operator", "")
            values = tuple(str(v) for v in expr.get("values") or ())
            op = _EXPRESSION_OPS.get(operator)
            if op is None:
                raise SelectorError(f'"{operator}" is not a valid label selector operator')
            if op in (Op.IN, Op.NOT_IN) and not values:
                raise SelectorError("for 'in', 'notin' operators, values set can't be empty")
            if op in (Op.EXISTS, Op.DOES_NOT_EXIST) and values:
                raise SelectorError("values set must be empty for exists and does not exist")
            reqs.append(_checked(key, op, tuple(sorted(set(values)))))
        reqs.sort(key=lambda req: req.key)  # apimachinery orders requirements by key (stable)
        return cls(reqs)


def format_labels(labels: Mapping[str, Any] | None) -> str:
    """labels.FormatLabels: `k=v,k2=v2` sorted by key, `<none>` when there are none."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


_EXPRESSION_OPS = {"In": Op.IN, "NotIn": Op.NOT_IN, "Exists": Op.EXISTS, "DoesNotExist": Op.DOES_NOT_EXIST}


def _checked(key: str, op: Op, values: tuple[str, ...]) -> Requirement:
    problems = qualified_name(key)
    if problems:
        raise SelectorError(f"key: Invalid value: {key!r}: {'; '.join(problems)}")
    if op in (Op.GREATER_THAN, Op.LESS_THAN):
        if len(values) != 1 or not re.fullmatch(r"-?\d+", values[0]):
            raise SelectorError(f"for 'Gt', 'Lt' operators, the value must be an integer, not {values!r}")
    else:
        for value in values:
            problems = label_value(value)
            if problems:
                raise SelectorError(f"values[0]: Invalid value: {value!r}: {'; '.join(problems)}")
    return Requirement(key, op, values)


_TOKEN_RE = re.compile(r"\s*(?:(==|!=|=|>|<|\(|\)|,|!)|([^\s=!<>(),]+))")


class _LabelParser:
    """Recursive descent over the label selector grammar."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[str] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN_RE.match(text, pos)
            if m is None or m.end() == pos:
                raise SelectorError(f"unable to parse requirement: unexpected character in {text!r}")
            self.tokens.append(m.group(1) or m.group(2))
            pos = m.end()
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str | None:
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self) -> list[Requirement]:
        reqs: list[Requirement] = []
        if self.peek() is None:
            return reqs
        while True:
            reqs.append(self.requirement())
            tok = self.take()
            if tok is None:
                return reqs
            if tok != ",":
                raise SelectorError(f"found '{tok}', expected: ',' or 'end of string'")
            if self.peek() is None:
                raise SelectorError("found '', expected: identifier after ','")

    def requirement(self) -> Requirement:
        tok = self.take()
        if tok == "!":
            key = self.take()
            if key is None or key in _SYMBOLS:
                raise SelectorError(f"unable to parse requirement: found '{key or ''}', expected: identifier")
            return _checked(key, Op.DOES_NOT_EXIST, ())
        if tok is None or tok in _SYMBOLS:
            raise SelectorError(f"found '{tok or ''}', expected: !, identifier, or 'end of string'")
        key = tok
        nxt = self.peek()
        if nxt is None or nxt == ",":
            return _checked(key, Op.EXISTS, ())
        op_tok = self.take()
        if op_tok in ("in", "notin"):
            return _checked(key, Op.IN if op_tok == "in" else Op.NOT_IN, self.value_set())
        op = {
            "=": Op.EQUALS,
            "==": Op.DOUBLE_EQUALS,
            "!=": Op.NOT_EQUALS,
            ">": Op.GREATER_THAN,
            "<": Op.LESS_THAN,
        }.get(op_tok or "")
        if op is None:
            raise SelectorError(
                f"unable to parse requirement: found '{op_tok}', expected: in, notin, =, ==, !=, gt, lt"
            )
        value = self.peek()
        if value is None or value in _SYMBOLS:
            value = ""  # `k=` means the empty value
        else:
            self.take()
        return _checked(key, op, (value,))

    def value_set(self) -> tuple[str, ...]:
        if self.take() != "(":
            raise SelectorError("unable to parse requirement: expected: '('")
        values: list[str] = []
        expect_value = True
        while True:
            tok = self.take()
            if tok is None:
                raise SelectorError("unable to parse requirement: found '', expected: ')'")
            if tok == ")":
                if expect_value and values:
                    values.append("")
                break
            if tok == ",":
                if expect_value:
                    values.append("")
                expect_value = True
                continue
            if tok in _SYMBOLS or not expect_value:
                raise SelectorError(f"unable to parse requirement: found '{tok}', expected: ',' or ')'")
            values.append(tok)
            expect_value = False
        return tuple(sorted(set(values)))


_SYMBOLS = {"==", "!=", "=", ">", "<", "(", ")", ",", "!"}


# field selectors


@dataclass(frozen=True, slots=True)
class FieldRequirement:
    field: str
    value: str
    negated: bool = False

    def matches(self, fields: Mapping[str, str]) -> bool:
        return (fields.get(self.field, "") == self.value) != self.negated

    def __str__(self) -> str:
        return f"{self.field}{'!=' if self.negated else '='}{self.value}"


class FieldSelector:
    """A conjunction of field requirements over a kind's selectable fields."""

    __slots__ = ("requirements",)

    def __init__(self, requirements: list[FieldRequirement] | None = None) -> None:
        self.requirements = requirements or []

    @property
    def empty(self) -> bool:
        return not self.requirements

    @property
    def fields(self) -> set[str]:
        return {r.field for r in self.requirements}

    def matches(self, fields: Mapping[str, str]) -> bool:
        return all(r.matches(fields) for r in self.requirements)

    def exact(self, field: str) -> str | None:
        """The value `field` must equal, if the selector pins it."""
        for r in self.requirements:
            if r.field == field and not r.negated:
                return r.value
        return None

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    @classmethod
    def parse(cls, text: str) -> FieldSelector:
        reqs = []
        for part in _split_unescaped(text, ","):
            if not part:
                continue
            for op in ("!=", "==", "="):
                idx = _find_unescaped(part, op)
                if idx >= 0:
                    field, value = part[:idx], _unescape(part[idx + len(op) :])
                    if not field:
                        raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
                    reqs.append(FieldRequirement(field, value, negated=op == "!="))
                    break
            else:
                raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        return cls(reqs)


def _split_unescaped(text: str, sep: str) -> list[str]:
    parts, cur, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            cur.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


def _find_unescaped(text: str, needle: str) -> int:
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(needle, i):
            # `!=` must not be read as `=` preceded by a field ending in `!`
            return i
        i += 1
    return -1


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] in "\\,=":
            out.append(value[i + 1])
            i += 2
            continue
        out.append(value[i])
        i += 1
    return "".join(out)
