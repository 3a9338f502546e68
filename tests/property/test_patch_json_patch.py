"""JSON patch (RFC 6902) against a model of the RFC, on random documents and operations.

The model below is the RFC read literally. Operations are drawn from the RFC's domain (every
operation has the members its kind needs, pointers are RFC 6901 with plain array indices),
where evanphx/json-patch, and so `apply_json_patch`, agrees with the RFC; the library's
documented leniencies outside it (a `replace` that adds a missing key, negative indices, a
`test` of an absent member against null) are kept out of the drawn operations.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyk8s.api.patch import PatchError, apply_json_patch


class ModelError(Exception):
    """The RFC says the operation is an error."""


# the model


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ModelError("a pointer starts with /")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _index(token: str, size: int, *, appending: bool) -> int:
    if appending and token == "-":
        return size
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise ModelError("not an array index")
    index = int(token)
    if index > size or (index == size and not appending):
        raise ModelError("index out of range")
    return index


def _resolve(doc: Any, tokens: list[str]) -> Any:
    node = doc
    for token in tokens:
        if isinstance(node, dict):
            if token not in node:
                raise ModelError("no such member")
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(token, len(node), appending=False)]
        else:
            raise ModelError("cannot descend into a scalar")
    return node


def _model_equal(a: Any, b: Any) -> bool:
    """RFC 6902 section 4.6: numbers by value, objects regardless of member order."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_model_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_model_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _add(doc: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent = _resolve(doc, tokens[:-1])
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(last, len(parent), appending=True), value)
    else:
        raise ModelError("the target's parent is a scalar")
    return doc


def _remove(doc: Any, tokens: list[str]) -> Any:
    if not tokens:
        raise ModelError("cannot remove the root")  # kube-apiserver's library refuses it too
    parent = _resolve(doc, tokens[:-1])
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise ModelError("no such member")
        del parent[last]
    elif isinstance(parent, list):
        del parent[_index(last, len(parent), appending=False)]
    else:
        raise ModelError("the target's parent is a scalar")
    return doc


def model_apply(doc: Any, ops: list[dict[str, Any]]) -> Any:
    """RFC 6902 section 4, on a copy: the result, or ModelError for the whole patch."""
    doc = copy.deepcopy(doc)
    for op in ops:
        kind, path = op["op"], _tokens(op["path"])
        if kind == "add":
            doc = _add(doc, path, copy.deepcopy(op["value"]))
        elif kind == "remove":
            doc = _remove(doc, path)
        elif kind == "replace":
            _resolve(doc, path)
            value = copy.deepcopy(op["value"])
            doc = _add(_remove(doc, path), path, value) if path else value
        elif kind == "move":
            source = _tokens(op["from"])
            if path[: len(source)] == source and path != source:
                raise ModelError("cannot move a value into itself")
            value = _resolve(doc, source)
            doc = _add(_remove(doc, source), path, value)
        elif kind == "copy":
            doc = _add(doc, path, copy.deepcopy(_resolve(doc, _tokens(op["from"]))))
        elif kind == "test" and not _model_equal(_resolve(doc, path), op["value"]):
            raise ModelError("test failed")
    return doc


# generators

_KEYS = st.sampled_from(["a", "b", "c", "x~y", "p/q", ""])
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(-2, 2, allow_nan=False),
    st.sampled_from(["", "s", "t"]),
)
JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)),
    max_leaves=10,
)
DOCS = st.dictionaries(_KEYS, JSON, max_size=4)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _paths(doc: Any, prefix: str = "") -> list[str]:
    """Every pointer into `doc` (the root included)."""
    out = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _paths(value, f"{prefix}/{_escape(key)}")
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += _paths(value, f"{prefix}/{i}")
    return out


@st.composite
def patches(draw: st.DrawFn, doc: Any) -> list[dict[str, Any]]:
    """Operations against `doc` (mostly valid, some failing), drawn from the RFC's domain."""
    ops: list[dict[str, Any]] = []
    current = doc
    for _ in range(draw(st.integers(1, 4))):
        existing = _paths(current)
        # Pointers to existing values, new members, list ends, and some that do not resolve.
        extra = [p + "/" + _escape(draw(_KEYS)) for p in existing] + [p + "/-" for p in existing]
        extra += ["/missing/x", "/0", "/a/9"]
        target = draw(st.sampled_from(existing + extra))
        kind = draw(st.sampled_from(["add", "remove", "replace", "move", "copy", "test"]))
        op: dict[str, Any] = {"op": kind, "path": target}
        if kind in ("add", "replace", "test"):
            op["value"] = draw(JSON)
        if kind == "test" and draw(st.booleans()):
            try:
                op["value"] = copy.deepcopy(_resolve(current, _tokens(target)))  # a test that holds
            except ModelError:
                pass
        if kind in ("move", "copy"):
            sources = [p for p in existing if p]  # the library cannot take the root as `from`
            if kind == "move":
                sources.append("/missing")  # (a copy from a missing member copies null there)
            if not sources:
                continue
            op["from"] = draw(st.sampled_from(sources))
        if kind == "replace" and target and not _resolvable(current, target):
            continue  # the library adds a missing member where the RFC fails
        scalar = not isinstance(op.get("value"), dict | list)
        if target == "" and (kind in ("add", "move", "copy") or (kind == "replace" and scalar)):
            continue  # the library never adds at the root, and replaces it only with a container
        if kind == "test" and op["value"] is None:
            continue  # the library passes a test of an absent member against null
        if kind in ("remove", "replace", "move") and target.endswith("/-"):
            continue  # "-" names no element outside `add`
        ops.append(op)
        try:
            current = model_apply(current, [op])
        except ModelError:
            pass
    return ops


def _resolvable(doc: Any, pointer: str) -> bool:
    try:
        _resolve(doc, _tokens(pointer))
    except (ModelError, IndexError):
        return False
    return True


# properties

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_json_patch_matches_the_rfc(data: st.DataObject) -> None:
    doc = data.draw(DOCS)
    ops = data.draw(patches(doc))
    before = copy.deepcopy(doc)
    try:
        expected = model_apply(doc, ops)
    except (ModelError, IndexError):
        expected = ModelError
    try:
        result = apply_json_patch(doc, ops)
    except PatchError:
        result = ModelError
    if expected is ModelError or result is ModelError:
        assert result is expected, (ops, expected, result)
    else:
        assert _model_equal(result, expected), (ops, expected, result)
    assert doc == before  # never modified, whatever happened


@SETTINGS
@given(st.data())
def test_a_failing_operation_changes_nothing(data: st.DataObject) -> None:
    doc = data.draw(DOCS)
    ops = data.draw(patches(doc))
    failing = [*ops, {"op": "test", "path": "", "value": "not the document"}]
    snapshot = copy.deepcopy(doc)
    try:
        apply_json_patch(doc, failing, owned=False)
    except PatchError:
        pass
    else:
        raise AssertionError("the final test must fail")
    assert doc == snapshot


@SETTINGS
@given(DOCS, st.data())
def test_testing_the_current_value_always_holds(doc: dict[str, Any], data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_paths(doc)))
    value = _resolve(doc, _tokens(path))
    assert _model_equal(apply_json_patch(doc, [{"op": "test", "path": path, "value": value}]), doc)


@SETTINGS
@given(DOCS, _KEYS, JSON)
def test_add_then_remove_restores_the_document(doc: dict[str, Any], key: str, value: Any) -> None:
    path = "/" + _escape(key) if key not in doc else "/" + _escape(key) + "-new"
    ops = [{"op": "add", "path": path, "value": value}, {"op": "remove", "path": path}]
    assert apply_json_patch(doc, ops) == doc
