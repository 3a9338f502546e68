"""Sets of field paths, and their FieldsV1 form in `metadata.managedFields`.

A path is a tuple of path elements, each spelled as FieldsV1 spells it, so the spelling is
the identity (hashable, cheap, and written out without re-encoding):

    f:<name>                 a struct field or a map key
    k:{"name":"nginx"}       an item of a list-map, by its key fields (sorted, Go JSON)
    v:"example.com/x"        an item of a set-list, by its value (Go JSON)
    i:3                      a list index (only where SMD falls back to positions)

A `FieldSet` is structured-merge-diff's `fieldpath.Set`: a trie whose nodes hold the
members (paths that end here) and the children (paths that continue). A node can be both,
which FieldsV1 writes as `".": {}` inside the child. Sets are immutable once built: every
operation returns a new set and shares untouched subtrees with its inputs.

Ordering follows SMD (fields < keys < values < indexes; keys and values by SMD's value
order), because FieldsV1 is written sorted and conflicts are listed in that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import orjson

from pyk8s.api.apply._values import go_json, sort_key, to_string

Path = tuple[str, ...]


class FieldsV1Error(ValueError):
    """A FieldsV1 document that cannot be read."""


# path elements


def field_pe(name: str) -> str:
    return "f:" + name


def key_pe(fields: dict[str, Any]) -> str:
    """The element of a list-map item with these key fields (any order)."""
    if len(fields) == 1:
        ((name, value),) = fields.items()
        return 'k:{"' + name + '":' + go_json(value) + "}" if _plain(name) else "k:" + go_json(fields)
    return "k:" + go_json(fields)


def value_pe(value: Any) -> str:
    return "v:" + go_json(value)


def index_pe(index: int) -> str:
    return f"i:{index}"


def _plain(name: str) -> bool:
    return name.isascii() and name.isidentifier()


_SORT_KEYS: dict[str, tuple[Any, ...]] = {}


def pe_sort_key(pe: str) -> tuple[Any, ...]:
    """Orders elements as SMD's `PathElement.Compare`."""
    key = _SORT_KEYS.get(pe)
    if key is None:
        kind = pe[0]
        if kind == "f":
            return (0, pe[2:])  # cheap: not worth caching
        if kind == "k":
            parsed = orjson.loads(pe[2:])
            key = (1, tuple((name, sort_key(parsed[name])) for name in sorted(parsed)))
        elif kind == "v":
            key = (2, sort_key(orjson.loads(pe[2:])))
        else:
            key = (3, int(pe[2:]))
        if len(_SORT_KEYS) < 65536:
            _SORT_KEYS[pe] = key
    return key


def _sorted(pes: Iterable[str]) -> list[str]:
    """Elements in SMD's order. Most nodes hold only fields, which sort as plain strings
    (one prefix); the first and last of a plain sort tell whether that is the case."""
    out = sorted(pes)
    if out and out[0][0] == "f" and out[-1][0] == "f":
        return out
    return sorted(out, key=pe_sort_key)


def pe_string(pe: str) -> str:
    """An element as SMD prints it in paths: `.image`, `[name="nginx"]`, `[="x"]`, `[0]`."""
    kind = pe[0]
    if kind == "f":
        return "." + pe[2:]
    if kind == "k":
        parsed = orjson.loads(pe[2:])
        return "[" + ",".join(f"{name}={to_string(parsed[name])}" for name in sorted(parsed)) + "]"
    if kind == "v":
        return f"[={to_string(orjson.loads(pe[2:]))}]"
    return f"[{pe[2:]}]"


def path_string(path: Sequence[str]) -> str:
    """A path as SMD prints it: `.spec.template.spec.containers[name="nginx"].image`."""
    return "".join(pe_string(pe) for pe in path)


_CANONICAL: dict[str, str | None] = {}


def canonical_pe(key: str) -> str | None:
    """The canonical spelling of a FieldsV1 key; None for element types SMD skips."""
    if key[:2] == "f:":
        return key
    known = _CANONICAL.get(key, "")
    if known != "":
        return known
    if len(key) < 2:
        raise FieldsV1Error(f"key must be 2 characters long: {key}")
    if key[1] != ":":
        raise FieldsV1Error(f"missing colon: {key}")
    kind, body = key[0], key[2:]
    out: str | None
    if kind == "k":
        fields = _json(body, key)
        if not isinstance(fields, dict):
            raise FieldsV1Error(f"expected an object in key {key}")
        out = key_pe(fields)
    elif kind == "v":
        out = value_pe(_json(body, key))
    elif kind == "i":
        try:
            out = index_pe(int(body))
        except ValueError:
            raise FieldsV1Error(f"invalid index in key {key}") from None
    else:
        out = None  # a type a later version may know: SMD drops it
    if len(_CANONICAL) < 65536:
        _CANONICAL[key] = out
    return out


def _json(body: str, key: str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as err:
        raise FieldsV1Error(f"parsing key as path element: {key}: {err}") from None


# the set


class FieldSet:
    """A set of field paths (see the module docstring). Do not mutate a shared set."""

    __slots__ = ("children", "members")

    def __init__(self, members: set[str] | None = None, children: dict[str, FieldSet] | None = None) -> None:
        self.members: set[str] = members if members is not None else set()
        # Never holds an empty set: an empty child is dropped where it would appear.
        self.children: dict[str, FieldSet] = children if children is not None else {}

    @classmethod
    def of(cls, *paths: Sequence[str]) -> FieldSet:
        out = cls()
        for path in paths:
            out.insert(path)
        return out

    def insert(self, path: Sequence[str]) -> None:
        """Add `path` (builders only: sets are shared once built). The empty path is ignored."""
        if not path:
            return
        node = self
        for pe in path[:-1]:
            child = node.children.get(pe)
            if child is None:
                child = node.children[pe] = FieldSet()
            node = child
        node.members.add(path[-1])

    # queries

    def empty(self) -> bool:
        return not self.members and not self.children

    def __bool__(self) -> bool:
        return bool(self.members or self.children)

    def has(self, path: Sequence[str]) -> bool:
        if not path:
            return False
        node: FieldSet | None = self
        for pe in path[:-1]:
            node = node.children.get(pe)  # type: ignore[union-attr]
            if node is None:
                return False
        return path[-1] in node.members  # type: ignore[union-attr]

    def with_prefix(self, pe: str) -> FieldSet:
        """The paths below `pe`, without it."""
        return self.children.get(pe, EMPTY)

    def size(self) -> int:
        return len(self.members) + sum(child.size() for child in self.children.values())

    def __len__(self) -> int:
        return self.size()

    def __iter__(self) -> Iterator[Path]:
        """Every path, in SMD's order: this node's members, then each child's (sorted)."""
        yield from self._iter(())

    def _iter(self, prefix: Path) -> Iterator[Path]:
        for pe in sorted(self.members, key=pe_sort_key):
            yield (*prefix, pe)
        for pe in sorted(self.children, key=pe_sort_key):
            yield from self.children[pe]._iter((*prefix, pe))

    def paths(self) -> list[Path]:
        return list(self)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self.has(path)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldSet):
            return NotImplemented
        return self is other or (self.members == other.members and self.children == other.children)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "FieldSet(" + ", ".join(path_string(p) for p in self) + ")"

    # algebra

    def union(self, other: FieldSet) -> FieldSet:
        if not other.members and not other.children:
            return self
        if not self.members and not self.children:
            return other
        children = dict(self.children)
        for pe, theirs in other.children.items():
            mine = children.get(pe)
            children[pe] = theirs if mine is None else mine.union(theirs)
        return FieldSet(self.members | other.members, children)

    def intersection(self, other: FieldSet) -> FieldSet:
        children: dict[str, FieldSet] = {}
        small, large = (
            (self.children, other.children)
            if len(self.children) <= len(other.children)
            else (other.children, self.children)
        )
        for pe, child in small.items():
            match = large.get(pe)
            if match is not None:
                both = child.intersection(match) if small is self.children else match.intersection(child)
                if both.members or both.children:
                    children[pe] = both
        return FieldSet(self.members & other.members, children)

    def difference(self, other: FieldSet) -> FieldSet:
        """Paths of self not in other; a removed parent leaves its children (SMD's Difference).

        Returns `self` when nothing is removed, so unchanged sets keep their identity.
        """
        if not other.members and not other.children:
            return self
        members = self.members - other.members if other.members else self.members
        changed = len(members) != len(self.members)
        children = self.children
        theirs_children = other.children
        if theirs_children:
            children = {}
            for pe, child in self.children.items():
                theirs = theirs_children.get(pe)
                if theirs is None:
                    children[pe] = child
                    continue
                rest = child.difference(theirs)
                if rest is not child:
                    changed = True
                if rest.members or rest.children:
                    children[pe] = rest
        return FieldSet(members, children) if changed else self

    def recursive_difference(self, other: FieldSet) -> FieldSet:
        """Like `difference`, but a member of other also removes everything below it."""
        if not other.members and not other.children:
            return self
        members = self.members - other.members if other.members else self.members
        changed = len(members) != len(self.members)
        children: dict[str, FieldSet] = {}
        for pe, child in self.children.items():
            if pe in other.members:
                changed = True
                continue
            theirs = other.children.get(pe)
            if theirs is None:
                children[pe] = child
                continue
            rest = child.recursive_difference(theirs)
            if rest is not child:
                changed = True
            if rest.members or rest.children:
                children[pe] = rest
        return FieldSet(members, children) if changed else self

    def difference_v1(self, raw: dict[str, Any]) -> FieldSet:
        """`difference` with a set given as FieldsV1 (canonical spelling): what a create
        takes away from entries sent with the object, without decoding what it set."""
        members = {pe for pe in self.members if not _is_member(raw.get(pe))} if raw else self.members
        changed = len(members) != len(self.members)
        children = self.children
        if raw and children:
            children = {}
            for pe, child in self.children.items():
                sub = raw.get(pe)
                rest = child.difference_v1(sub) if sub else child
                if rest is not child:
                    changed = True
                if rest.members or rest.children:
                    children[pe] = rest
        return FieldSet(members, children) if changed else self

    def leaves(self) -> FieldSet:
        """Only the members that have nothing below them."""
        return FieldSet(
            {pe for pe in self.members if pe not in self.children},
            {pe: child.leaves() for pe, child in self.children.items()},
        )

    __or__ = union
    __and__ = intersection
    __sub__ = difference

    # FieldsV1

    def to_fields_v1(self) -> dict[str, Any]:
        """The FieldsV1 trie, keys in the order Kubernetes writes them."""
        return self._emit(False)

    def _emit(self, include_self: bool) -> dict[str, Any]:
        out: dict[str, Any] = {".": {}} if include_self else {}
        members, children = self.members, self.children
        keys: Iterable[str] = members | children.keys() if children else members
        for pe in _sorted(keys):
            child = children.get(pe)
            out[pe] = {} if child is None else child._emit(pe in members)
        return out

    @classmethod
    def from_fields_v1(cls, fields: Any) -> FieldSet:
        """Read a FieldsV1 trie (keys canonicalised, unknown element types dropped)."""
        if fields is None:
            return EMPTY
        if not isinstance(fields, dict):
            raise FieldsV1Error(f"expected an object, got {type(fields).__name__}")
        node, _ = _read(fields)
        return node if node is not None else EMPTY


def _read(fields: dict[str, Any]) -> tuple[FieldSet | None, bool]:
    """The set below a FieldsV1 node, and whether the node is itself a member."""
    node: FieldSet | None = None
    is_member = False
    for key, sub in fields.items():
        if key == ".":
            is_member = True
            continue
        pe = canonical_pe(key)
        if pe is None:
            continue
        if not isinstance(sub, dict):
            raise FieldsV1Error(f"expected an object at {key}, got {type(sub).__name__}")
        grandchildren, child_is_member = _read(sub) if sub else (None, True)
        if node is None:
            node = FieldSet()
        if child_is_member:
            node.members.add(pe)
        if grandchildren is not None:
            existing = node.children.get(pe)
            node.children[pe] = grandchildren if existing is None else existing.union(grandchildren)
    return node, is_member or node is None


EMPTY = FieldSet()


# FieldsV1 tries read in place (stored entries, whose spelling is canonical)


def _is_member(node: dict[str, Any] | None) -> bool:
    return node is not None and (not node or "." in node)


def v1_shares_member(raw: dict[str, Any], fields: FieldSet) -> bool:
    """Whether a path is a member of both the FieldsV1 `raw` and `fields` (then
    `difference` would change the set `raw` encodes)."""
    for pe in fields.members:
        if _is_member(raw.get(pe)):
            return True
    for pe, child in fields.children.items():
        sub = raw.get(pe)
        if sub and v1_shares_member(sub, child):
            return True
    return False


def v1_covers(raw: dict[str, Any], fields: FieldSet) -> bool:
    """Whether every member of `fields` is a member of the FieldsV1 `raw` (a union changes nothing)."""
    for pe in fields.members:
        if not _is_member(raw.get(pe)):
            return False
    for pe, child in fields.children.items():
        sub = raw.get(pe)
        if not sub or not v1_covers(sub, child):
            return False
    return True


def v1_remove(raw: dict[str, Any], fields: FieldSet, *, recursive: bool) -> None:
    """Take `fields` out of the FieldsV1 `raw`, in place: `difference` (a removed member
    keeps what is below it), or with `recursive` `recursive_difference`. Only `raw` itself is
    modified: nodes below it may be shared, so changed ones are replaced by copies."""
    for pe in fields.members:
        sub = raw.get(pe)
        if sub is None:
            continue
        if recursive or not sub:
            del raw[pe]
        elif "." in sub:
            raw[pe] = {k: v for k, v in sub.items() if k != "."}
    for pe, child in fields.children.items():
        sub = raw.get(pe)
        if not sub:
            continue
        sub = dict(sub)
        v1_remove(sub, child, recursive=recursive)
        if not sub:
            del raw[pe]
        elif len(sub) == 1 and "." in sub:
            raw[pe] = {}  # a member with nothing below it is written `{}`
        else:
            raw[pe] = sub


def v1_sorted(node: dict[str, Any]) -> dict[str, Any]:
    """A FieldsV1 node with its keys in SMD's order (`.` first)."""
    keys = _sorted(k for k in node if k != ".")
    out: dict[str, Any] = {".": {}} if "." in node else {}
    for key in keys:
        out[key] = node[key]
    return out


def v1_union(raw: dict[str, Any], fields: FieldSet) -> dict[str, Any]:
    """The FieldsV1 of `raw` plus `fields`: a new trie sharing what `fields` does not touch
    (touched nodes are copied and their keys put back in order)."""
    out = dict(raw)
    for pe in fields.members:
        node = out.get(pe)
        if node is None:
            out[pe] = {}
        elif node and "." not in node:
            out[pe] = v1_sorted({**node, ".": {}})
    for pe, child in fields.children.items():
        node = out.get(pe)
        if not node:  # absent, or a member with nothing below it yet
            below = child.to_fields_v1()
            if node is not None:
                below = v1_sorted({**below, ".": {}})
            out[pe] = below
        else:
            out[pe] = v1_union(node, child)
    return v1_sorted(out) if len(out) != len(raw) else out


def v1_is_canonical(raw: dict[str, Any]) -> bool:
    """Whether the FieldsV1 `raw` is spelled as this package writes it (canonical keys, a
    member with nothing below written `{}`), so that it can be worked on as it is. Raises
    `FieldsV1Error` where `from_fields_v1` would."""
    if len(raw) == 1 and "." in raw:
        return False
    for key, sub in raw.items():
        if key == ".":
            if sub != {}:
                return False
            continue
        if not isinstance(sub, dict):
            raise FieldsV1Error(f"expected an object at {key}, got {type(sub).__name__}")
        if (key[:2] != "f:" and canonical_pe(key) != key) or (sub and not v1_is_canonical(sub)):
            return False
    return True


def v1_difference(raw: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`difference` on canonical FieldsV1: the paths of `raw` that are not members of
    `other` (a removed member keeps what is below it); `raw` itself when none goes."""
    out: dict[str, Any] | None = None
    for key, sub in raw.items():
        theirs = other.get(key) if key != "." else None
        if theirs is None:
            continue
        new = _v1_node_difference(sub, theirs)
        if new is sub:
            continue
        if out is None:
            out = dict(raw)
        if new is None:
            del out[key]
        else:
            out[key] = new
    return raw if out is None else out


def _v1_node_difference(sub: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any] | None:
    both_members = (not sub or "." in sub) and (not theirs or "." in theirs)
    below = v1_difference(sub, theirs) if sub and theirs else sub
    if below is sub and not both_members:
        return sub
    member = (not sub or "." in sub) and not both_members
    rest = {k: v for k, v in below.items() if k != "."}
    if not rest:
        return {} if member else None
    return {".": {}, **rest} if member else rest
