"""Objects read through their schema: the fields they set, their differences, removals.

These are structured-merge-diff's typed operations on JSON-shaped dicts:

- `to_field_set(obj, plan)`: what an object sets (SMD `ToFieldSet`): every leaf, every
  list item (`k:`/`v:`) and every map key, with `.` where an item has fields of its own;
  atomic values are one leaf; a struct field appears itself only when null or `{}`.
- `compare(old, new, plan)`: SMD `Compare`, the fields removed, modified and added.
  Containers are reported themselves only when they appear or disappear. Equal subtrees
  are skipped at C speed. `created_fields(obj, plan)` is its one-pass form for creates.
- `remove_items(obj, fields, plan)`: SMD `RemoveItems`, used to drop what an applier no
  longer applies. A container left empty becomes null, as in SMD (the caller cleans up).
- `named_fields_as_members(fields, plan)`: SMD `EnsureNamedFieldsAreMembers`.
- `value_at(obj, path)`: the value at a path, or MISSING.

Objects are never modified; results share unchanged parts with the inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from pyk8s.api.apply._types import DEDUCED, GMAP, LEAF, LMAP, LSET, Plan
from pyk8s.api.apply._values import MISSING, equal, go_quote
from pyk8s.api.apply.fieldpath import EMPTY, FieldSet, key_pe, pe_string, value_pe


class TypedError(ValueError):
    """An object that does not fit its schema the way SMD requires (path: message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        lines = [f"{path}: {message}" if path else message for path, message in errors]
        super().__init__(lines[0] if len(lines) == 1 else "errors:\n  " + "\n  ".join(lines))


# list items


# Item elements are computed for every list item of every walk; most keys are strings or
# integers, so their spellings are cached (by type too: True and 1 are different values).
_ITEM_PES: dict[tuple[Any, ...], str] = {}
_CACHE_LIMIT = 65536
_SIMPLE = (str, int)


def item_pe(item: Any, plan: Plan) -> str | None:
    """The path element of a list item, or None when it cannot have one (SMD errors)."""
    if plan.kind == LSET:
        kind = type(item)
        if kind in _SIMPLE:
            cached = _ITEM_PES.get((kind, item))
            if cached is None:
                cached = value_pe(item)
                if len(_ITEM_PES) < _CACHE_LIMIT:
                    _ITEM_PES[(kind, item)] = cached
            return cached
        if kind in (dict, list) or item is None:
            return None
        return value_pe(item)
    if type(item) is not dict:
        return None
    keys = plan.keys
    if len(keys) == 1:  # most list-maps: one key field (a name), a string or an integer
        name = keys[0]
        value = item.get(name, MISSING)
        kind = type(value)
        if kind is str or kind is int:
            found = _ITEM_PES.get((name, kind, value))
            if found is None:
                found = key_pe({name: value})
                if len(_ITEM_PES) < _CACHE_LIMIT:
                    _ITEM_PES[(name, kind, value)] = found
            return found
    parts: list[Any] = []
    fields = {}
    simple = True
    for name in plan.keys:
        value = item.get(name, MISSING)
        if value is MISSING:
            value = plan.key_defaults.get(name, MISSING)
            if value is MISSING:
                continue  # a missing key without default is left out, as SMD does
        fields[name] = value
        kind = type(value)
        simple = simple and kind in _SIMPLE
        parts += (name, kind, value)
    if not fields:
        return None
    if not simple:
        return key_pe(fields)
    key = tuple(parts)
    cached = _ITEM_PES.get(key)
    if cached is None:
        cached = key_pe(fields)
        if len(_ITEM_PES) < _CACHE_LIMIT:
            _ITEM_PES[key] = cached
    return cached


def _item_error(item: Any, plan: Plan) -> str:
    if plan.kind == LSET:
        if type(item) is dict:
            return "associative list without keys has an element that's a map type"
        if type(item) is list:
            return "not supported: associative list with lists as elements"
        return "associative list without keys has an element that's an explicit null"
    if item is None:
        return "associative list with keys may not have a null element"
    if type(item) is not dict:
        return "associative list with keys may not have non-map elements"
    names = " ".join(go_quote(k) for k in plan.keys)
    return (
        f"associative list with keys has an element that omits all key fields [{names}] "
        "(and doesn't have default values for any key fields)"
    )


# ToFieldSet


def to_field_set(obj: Any, plan: Plan, *, strict: bool = False) -> FieldSet:
    """The fields `obj` sets (see the module docstring).

    `strict` (for applied configurations) raises `TypedError` where SMD refuses the object:
    duplicate or keyless list items, unknown fields. Checked in the same walk; the
    messages are only worked out when something is wrong.
    """
    holder = FieldSet()  # the root is recorded below a pseudo-element, then unwrapped
    problems: list[str] | None = [] if strict else None
    _visit(obj, plan, holder, "", problems)
    if problems:
        validate(obj, plan)
    return holder.children.get("", EMPTY)


def _visit(value: Any, plan: Plan, parent: FieldSet, pe: str, problems: list[str] | None) -> None:
    """Record `value`, found at `pe` below `parent` (noting anything SMD would refuse)."""
    kind = plan.kind
    if kind == GMAP and type(value) is dict:
        if not value:
            return
        node = FieldSet()
        fields, elem = plan.fields, plan.elem or DEDUCED
        members = node.members
        for key, sub in value.items():
            fpe = "f:" + key
            known = fields.get(key)
            if known is None:
                if problems is not None and plan.strict:
                    problems.append(fpe)
                _visit(sub, elem, node, fpe, problems)
                members.add(fpe)
            else:
                _visit(sub, known, node, fpe, problems)
                if sub is None or (type(sub) is dict and not sub):
                    members.add(fpe)
        if node.members or node.children:
            parent.children[pe] = node
        return
    if kind in (LSET, LMAP) and type(value) is list:
        node = FieldSet()
        item_plan = plan.item
        assert item_plan is not None
        pes = [item_pe(item, plan) for item in value]
        seen: set[str] = set()
        duplicates: set[str] = set()
        for ipe in pes:
            if ipe is not None:
                (duplicates if ipe in seen else seen).add(ipe)
        if problems is not None and (duplicates or len(seen) + len(duplicates) < len(pes)):
            problems.append(pe)
        for item, ipe in zip(value, pes, strict=True):
            if ipe is None:
                continue
            if ipe in duplicates:
                node.members.add(ipe)  # a duplicated item is owned whole, not field by field
                continue
            _visit(item, item_plan, node, ipe, problems)
            node.members.add(ipe)
        if node.members or node.children:
            parent.children[pe] = node
        return
    if value is None and kind != LEAF:
        return  # a null container sets nothing below it (its parent records it)
    parent.members.add(pe)


# validation of an applied configuration (SMD's typed conversion without duplicates)


def validate(obj: Any, plan: Plan) -> None:
    """Raise `TypedError` where SMD refuses an applied object: unknown fields, bad items."""
    errors: list[tuple[str, str]] = []
    _validate(obj, plan, [], errors)
    if errors:
        raise TypedError(errors)


def _validate(value: Any, plan: Plan, path: list[str], errors: list[tuple[str, str]]) -> None:
    kind = plan.kind
    if kind == GMAP and type(value) is dict:
        for key, sub in value.items():
            known = plan.fields.get(key)
            if known is None and plan.strict:
                errors.append((_spell(path) + "." + key, "field not declared in schema"))
                return  # SMD stops at the first unknown field of a map
            path.append("f:" + key)
            _validate(sub, known or plan.elem or DEDUCED, path, errors)
            path.pop()
    elif kind in (LSET, LMAP) and type(value) is list:
        assert plan.item is not None
        seen: set[str] = set()
        for i, item in enumerate(value):
            ipe = item_pe(item, plan)
            if ipe is None:
                errors.append((_spell(path), f"element {i}: {_item_error(item, plan)}"))
                return
            if ipe in seen:
                errors.append((_spell(path), f"duplicate entries for key {pe_string(ipe)}"))
            seen.add(ipe)
            path.append(ipe)
            _validate(item, plan.item, path, errors)
            path.pop()


def _spell(path: list[str]) -> str:
    return "".join(pe_string(pe) for pe in path)


# Compare


@dataclass
class Comparison:
    """The fields `new` removed, modified and added relative to `old` (disjoint)."""

    removed: FieldSet = field(default_factory=FieldSet)
    modified: FieldSet = field(default_factory=FieldSet)
    added: FieldSet = field(default_factory=FieldSet)

    def is_same(self) -> bool:
        return self.removed.empty() and self.modified.empty() and self.added.empty()

    def changed(self) -> FieldSet:
        """Modified and added: what a writer takes ownership of."""
        return self.modified.union(self.added)

    def filtered(self, ignored: FieldSet | None) -> Comparison:
        """Without the ignored fields and everything below them (the reset fields)."""
        if ignored is None or ignored.empty():
            return self
        return Comparison(
            self.removed.recursive_difference(ignored),
            self.modified.recursive_difference(ignored),
            self.added.recursive_difference(ignored),
        )


def compare(old: Any, new: Any, plan: Plan) -> Comparison:
    """SMD `Compare` of two objects of the same type (see the module docstring)."""
    if old is new:
        return Comparison()
    holders = (FieldSet(), FieldSet(), FieldSet())  # the root is recorded below "", then unwrapped
    _compare(old, new, plan, _Cursor(None, "", list(holders)), "")
    removed, modified, added = (h.children.get("") or FieldSet() for h in holders)
    return Comparison(removed, modified, added)


_CONTAINER = (None, dict, list, list)  # the Python type of each kind's granular values
_REMOVED, _MODIFIED, _ADDED = range(3)


class _Cursor:
    """A container being compared: its node in each of the three result sets, made on the
    first path recorded below it, so recording a path never walks from the root."""

    __slots__ = ("nodes", "parent", "pe")

    def __init__(self, parent: _Cursor | None, pe: str, nodes: list[FieldSet | None] | None = None) -> None:
        self.parent, self.pe = parent, pe
        self.nodes: list[FieldSet | None] = nodes if nodes is not None else [None, None, None]

    def node(self, which: int) -> FieldSet:
        found = self.nodes[which]
        if found is None:
            assert self.parent is not None
            above = self.parent.node(which)
            found = above.children.get(self.pe)
            if found is None:
                found = above.children[self.pe] = FieldSet()
            self.nodes[which] = found
        return found

    def mark(self, which: int, pe: str) -> None:
        """Record the path of this container plus `pe` in one result set."""
        self.node(which).members.add(pe)


_CONTAINER_TYPES = (dict, list)


def _unchanged(lv: Any, rv: Any) -> bool:
    """Equal values, checked at C speed. Python's `==` also holds where SMD sees a difference
    (True == 1, or 1 == 1.0 across types): scalars must have one type, and containers equal
    encodings; otherwise the walk decides."""
    kind = type(lv)
    if kind is not type(rv) or lv != rv:
        return False
    return kind not in _CONTAINER_TYPES or orjson.dumps(lv) == orjson.dumps(rv)


def _compare(lhs: Any, rhs: Any, plan: Plan, at: _Cursor, pe: str) -> None:
    container = _CONTAINER[plan.kind]
    if container is not None:
        lt, rt = type(lhs), type(rhs)
        if (lt is container or lhs is None or lhs is MISSING) and (
            rt is container or rhs is None or rhs is MISSING
        ):
            if (lt is not container or not lhs) and (rt is not container or not rhs):
                _leaf(lhs, rhs, at, pe)  # both empty or null: a leaf, keeping {} and null apart
                return
            left = lhs if lt is container else None
            right = rhs if rt is container else None
            here = _Cursor(at, pe)
            if container is dict:
                _compare_map(left, right, plan, here)
            else:
                _compare_list(left, right, plan, here)
            if lhs is MISSING:
                at.mark(_ADDED, pe)
            elif rhs is MISSING:
                at.mark(_REMOVED, pe)
            return
    _leaf(lhs, rhs, at, pe)  # scalars, atomic values, and values of the wrong type


def _leaf(lhs: Any, rhs: Any, at: _Cursor, pe: str) -> None:
    if lhs is MISSING:
        at.mark(_ADDED, pe)
    elif rhs is MISSING:
        at.mark(_REMOVED, pe)
    elif not equal(lhs, rhs):
        at.mark(_MODIFIED, pe)


def _compare_map(lhs: dict[str, Any] | None, rhs: dict[str, Any] | None, plan: Plan, at: _Cursor) -> None:
    fields, elem = plan.fields, plan.elem or DEDUCED
    zero = plan.zero
    if lhs is None or rhs is None:
        # One side only: every key is added (or removed).
        present = lhs if lhs is not None else rhs
        assert present is not None
        keys: Any = present.keys()
        if zero:
            keys = list(keys) + [name for name, _ in zero if name not in present]
    else:
        keys = lhs.keys() | rhs.keys()
        if zero:
            keys |= {name for name, _ in zero}
    zeros = plan.zeros if zero else None
    for key in keys:
        lv = MISSING if lhs is None else lhs.get(key, MISSING)
        rv = MISSING if rhs is None else rhs.get(key, MISSING)
        if zeros is not None and key in zeros:
            # A Go object always has these fields: absent means its zero value.
            if lv is MISSING and lhs is not None:
                lv = zeros[key]
            if rv is MISSING and rhs is not None:
                rv = zeros[key]
            if lv is MISSING and rv is MISSING:
                continue
        if lv is rv or _unchanged(lv, rv):
            continue  # the same object (merges share what they do not touch), or equal
        _compare(lv, rv, fields.get(key) or elem, at, "f:" + key)


def _index(items: list[Any] | None, plan: Plan) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item in items or ():
        ipe = item_pe(item, plan)
        if ipe is not None:  # an item without a key cannot be tracked (SMD reports and skips it)
            out.setdefault(ipe, []).append(item)
    return out


def _compare_list(lhs: list[Any] | None, rhs: list[Any] | None, plan: Plan, at: _Cursor) -> None:
    item_plan = plan.item
    assert item_plan is not None
    left, right = _index(lhs, plan), _index(rhs, plan)
    for ipe in [*left, *(k for k in right if k not in left)]:
        ls, rs = left.get(ipe, ()), right.get(ipe, ())
        if len(ls) <= 1 and len(rs) <= 1:
            lv = ls[0] if ls else MISSING
            rv = rs[0] if rs else MISSING
            if lv is rv or _unchanged(lv, rv):
                continue
            _compare(lv, rv, item_plan, at, ipe)
            continue
        if len(ls) >= 2 and len(rs) >= 2:
            # Duplicates on both sides are compared as one atomic value.
            if len(ls) != len(rs) or not all(equal(a, b) for a, b in zip(ls, rs, strict=True)):
                at.mark(_MODIFIED, ipe)
        elif len(ls) >= 2:
            if rs:
                _compare(MISSING, rs[0], item_plan, at, ipe)
            at.mark(_REMOVED, ipe)
        else:
            if ls:
                _compare(ls[0], MISSING, item_plan, at, ipe)
            at.mark(_ADDED, ipe)


def created_fields(obj: dict[str, Any], plan: Plan) -> FieldSet:
    """`compare({}, obj, plan).changed()` in one pass: what a create sets.

    Creates are the hot path (every object is created once), so this walk records paths as
    it goes down instead of through the general comparison; `compare` is its reference.
    """
    node = FieldSet()
    if obj:
        _created_map(True, obj, plan, node)
    return node


def _created_map(zeroed: bool, right: dict[str, Any], plan: Plan, node: FieldSet) -> None:
    """Record the keys of `right`, compared to the zero struct (`zeroed`) or to nothing."""
    fields, elem, zero = plan.fields, plan.elem or DEDUCED, plan.zero
    if not zero:
        for key, rv in right.items():
            _created(MISSING, rv, fields.get(key) or elem, node, "f:" + key)
        return
    zeros = plan.zeros
    for key, rv in right.items():
        lv = zeros.get(key, MISSING) if zeroed else MISSING
        if lv is not rv:
            _created(lv, rv, fields.get(key) or elem, node, "f:" + key)
    for name, value in zero:
        if name not in right and not zeroed:
            _created(MISSING, value, fields.get(name) or elem, node, "f:" + name)


def _created(lv: Any, rv: Any, plan: Plan, parent: FieldSet, pe: str) -> None:
    """`_compare(lv, rv)` where `lv` is MISSING or a zero value ({} or None)."""
    container = _CONTAINER[plan.kind]
    if (
        container is not None
        and rv
        and type(rv) is container
        and (type(lv) is container or lv is None or lv is MISSING)
    ):
        node = FieldSet()
        if container is dict:
            _created_map(type(lv) is dict, rv, plan, node)
        else:
            item_plan = plan.item
            assert item_plan is not None
            for ipe, items in _index(rv, plan).items():
                if len(items) == 1:
                    _created(MISSING, items[0], item_plan, node, ipe)
                else:
                    node.members.add(ipe)  # duplicates are owned whole
        if node.members or node.children:
            parent.children[pe] = node
        if lv is MISSING:
            parent.members.add(pe)
    elif lv is MISSING or not equal(lv, rv):
        parent.members.add(pe)


def created_fields_v1(obj: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """`created_fields(obj, plan).to_fields_v1()` built directly, no set in between.

    Keys follow the object's order, not SMD's sorted order: sorting every node cost a fifth
    of this walk, and JSON objects are unordered (kubectl and the client libraries read
    FieldsV1 as maps; the sets are equal).
    """
    out: dict[str, Any] = {}
    if obj:
        _v1_created_map(True, obj, plan, out)
    return out


_LEAF: dict[str, Any] = {}  # every leaf of a FieldsV1 built here (shared: never mutated)
_SCALAR_TYPES = frozenset({str, int, float, bool})
# The FieldsV1 below a struct or map a create adds whole (a container, a volume, a probe...),
# by plan and the value's JSON: objects made from one template repeat them, so most of a
# create's walk is found here. Entries are shared and never mutated.
_ADDED_V1: dict[tuple[int, bytes], dict[str, Any]] = {}
_ADDED_V1_LIMIT = 4096


_ADDED_V1_MAX_BYTES = 2048  # larger values (a ConfigMap's data) are walked, not kept


def _added_struct(value: dict[str, Any], plan: Plan, cache: bool) -> dict[str, Any]:
    """The FieldsV1 node of a non-empty struct or map the object did not have before."""
    if cache:
        text = orjson.dumps(value)
        if len(text) <= _ADDED_V1_MAX_BYTES:
            key = (id(plan), text)
            found = _ADDED_V1.get(key)
            if found is None:
                found = _added_walk(value, plan, True)
                if len(_ADDED_V1) >= _ADDED_V1_LIMIT:
                    _ADDED_V1.clear()
                # copied to its size: orjson's result keeps a buffer of at least 4 KiB
                _ADDED_V1[(key[0], memoryview(text).tobytes())] = found
            return found
    # Too large to keep (a ConfigMap's data, a CRD's schema): walked, and nothing below it is
    # looked up either, as each level would be encoded again.
    return _added_walk(value, plan, False)


def _added_walk(value: dict[str, Any], plan: Plan, cache: bool) -> dict[str, Any]:
    below: dict[str, Any] = {".": _LEAF}
    _v1_created_map(False, value, plan, below, cache)
    return _LEAF if len(below) == 1 else below


def _v1_created_map(
    zeroed: bool, right: dict[str, Any], plan: Plan, node: dict[str, Any], cache: bool = True
) -> None:
    fields, elem, zero = plan.fields, plan.elem or DEDUCED, plan.zero
    zeros = plan.zeros if zero and zeroed else None
    for key, rv in right.items():
        kind = type(rv)
        if kind in _SCALAR_TYPES:
            node["f:" + key] = _LEAF  # a scalar differs from any zero value (null or {})
            continue
        lv = zeros.get(key, MISSING) if zeros is not None else MISSING
        if lv is rv:
            continue
        sub = fields.get(key) or elem
        if kind is dict and rv and sub.kind == GMAP:
            if lv is MISSING:
                node["f:" + key] = _added_struct(rv, sub, cache)
                continue
            if type(lv) is dict:  # a value struct: compared with its zero value
                below: dict[str, Any] = {}
                _v1_created_map(True, rv, sub, below, cache)
                if below:
                    node["f:" + key] = below
                continue
        _v1_created(lv, rv, sub, node, "f:" + key, cache)
    if zero and not zeroed:
        for name, value in zero:
            if name not in right:
                _v1_created(MISSING, value, fields.get(name) or elem, node, "f:" + name, cache)


def _v1_created(lv: Any, rv: Any, plan: Plan, parent: dict[str, Any], pe: str, cache: bool) -> None:
    """`_created`, writing FieldsV1: `{}` a member, `{".": {}, ...}` a member with more below."""
    container = _CONTAINER[plan.kind]
    if (
        container is not None
        and rv
        and type(rv) is container
        and (type(lv) is container or lv is None or lv is MISSING)
    ):
        below: dict[str, Any] = {".": _LEAF} if lv is MISSING else {}
        if container is dict:
            _v1_created_map(type(lv) is dict, rv, plan, below, cache)
        else:
            item_plan = plan.item
            assert item_plan is not None
            for item in rv:
                ipe = item_pe(item, plan)
                if ipe is None:
                    continue  # an item without a key cannot be tracked
                if ipe in below or type(item) in _SCALAR_TYPES:
                    below[ipe] = _LEAF  # duplicates are owned whole; scalars are leaves
                elif type(item) is dict and item and item_plan.kind == GMAP:
                    below[ipe] = _added_struct(item, item_plan, cache)
                else:
                    _v1_created(MISSING, item, item_plan, below, ipe, cache)
        if len(below) == 1 and lv is MISSING:
            parent[pe] = _LEAF  # a member with nothing below it
        elif below:
            parent[pe] = below
    elif lv is MISSING or not equal(lv, rv):
        parent[pe] = _LEAF


# RemoveItems


def remove_items(obj: Any, fields: FieldSet, plan: Plan) -> Any:
    """`obj` without the paths in `fields`; an emptied container becomes None (SMD)."""
    if fields.empty():
        return obj
    return _remove(obj, fields, plan)


def _remove(value: Any, fields: FieldSet, plan: Plan) -> Any:
    kind = plan.kind
    if kind == LEAF:
        return value
    if kind == GMAP:
        if type(value) is not dict or not value:
            return None
        out: dict[str, Any] = {}
        members, children = fields.members, fields.children
        known, elem = plan.fields, plan.elem or DEDUCED
        for key, sub in value.items():
            fpe = "f:" + key
            if fpe in members:
                continue
            below = children.get(fpe)
            out[key] = sub if below is None else _remove(sub, below, known.get(key) or elem)
        return out or None
    if type(value) is not list or not value:
        return None
    assert plan.item is not None
    items = []
    members, children = fields.members, fields.children
    for item in value:
        ipe = item_pe(item, plan)
        if ipe is not None:
            if ipe in members:
                continue
            below = children.get(ipe)
            if below is not None:
                item = _remove(item, below, plan.item)
        items.append(item)
    return items or None


# EnsureNamedFieldsAreMembers


def named_fields_as_members(fields: FieldSet, plan: Plan) -> FieldSet:
    """`fields` plus every struct field that has members below it."""
    if not fields.children:
        return fields
    members = set(fields.members)
    children: dict[str, FieldSet] = {}
    for pe, child in fields.children.items():
        sub: Plan | None = None
        if plan.kind == GMAP and pe[0] == "f":
            sub = plan.fields.get(pe[2:])
            if sub is not None:
                members.add(pe)
            else:
                sub = plan.elem
        elif plan.kind == LMAP and pe[0] == "k":
            sub = plan.item
        children[pe] = named_fields_as_members(child, sub) if sub is not None else child
    return FieldSet(members, children)


# lookup


def value_at(obj: Any, path: Sequence[str], plan: Plan | None = None) -> Any:
    """The value at `path`, or MISSING. List keys are matched by value (defaults need `plan`)."""
    node, current = obj, plan
    for pe in path:
        kind = pe[0]
        if kind == "f":
            if type(node) is not dict:
                return MISSING
            node = node.get(pe[2:], MISSING)
            if current is not None and current.kind == GMAP:
                current = current.fields.get(pe[2:]) or current.elem
            else:
                current = None
        elif kind == "i":
            index = int(pe[2:])
            if type(node) is not list or not 0 <= index < len(node):
                return MISSING
            node, current = node[index], None
        else:
            if type(node) is not list:
                return MISSING
            item_plan = current if current is not None and current.kind in (LSET, LMAP) else None
            node = _find_item(node, pe, item_plan)
            current = item_plan.item if item_plan is not None else None
        if node is MISSING:
            return MISSING
    return node


def _find_item(items: list[Any], pe: str, plan: Plan | None) -> Any:
    if plan is not None:
        for item in items:
            if item_pe(item, plan) == pe:
                return item
        return MISSING
    for item in items:
        if pe[0] == "v" and type(item) not in (dict, list) and value_pe(item) == pe:
            return item
        if pe[0] == "k" and type(item) is dict:
            wanted = orjson.loads(pe[2:])
            if all(k in item and equal(item[k], v) for k, v in wanted.items()):
                return item
    return MISSING
