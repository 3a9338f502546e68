"""RFC 6902 JSON Patch (`application/json-patch+json`), as kube-apiserver applies it.

kube-apiserver applies JSON patches with evanphx/json-patch v4, and this module follows that
library, including where it is more lenient than the RFC, so that a patch behaves here as it
does against a real cluster:

- Operations: add, remove, replace, move, copy, test. Pointers are RFC 6901 (`~1` is `/`,
  `~0` is `~`); `-` appends to an array in `add`; negative array indices count from the end
  (`/a/-1` is the last element); indices are parsed like Go's `strconv.Atoi` (`01`, `+1`).
- `replace` of a missing object key adds it; `add`/`replace` without a `value` store null;
  `copy` from a missing object key copies null; `test` of a missing key passes when the
  value is null or absent; the whole document can be replaced (path "") but not added to or
  removed. Only the segments after the first `/` are followed, so a path without a leading
  slash loses its first segment (as in the library).
- `test` compares values structurally. Numbers compare by value, so 1 equals 1.0: that is what
  kubectl users see, since kubectl re-encodes every patch through Go's JSON encoder (80.0 is
  sent as 80) before the server compares the bytes.
- The patch is atomic: operations run on a copy of the document, and the first failing one
  raises, leaving the caller's document untouched.

Errors carry the library's messages (`testing value /spec/replicas failed: test failed`,
`error in remove for path: '/metadata/labels/x': Unable to remove nonexistent key: x: missing
value`). A body that is not a list of objects raises `MalformedPatchError`, which the handler
answers with 400 BadRequest and that message; an operation that fails raises
`PatchConflictError`, which kube-apiserver answers with 422 Invalid whose message is the generic
"the server rejected our request due to an error in our request" (see `errors.to_status_error`).
More than `MAX_OPERATIONS` operations raise a `PatchError` with code 413.
"""

from __future__ import annotations

import re
from typing import Any

from pyk8s.api.patch._values import json_copy, json_equal, json_kind
from pyk8s.api.patch.errors import MalformedPatchError, PatchConflictError, PatchError

# kube-apiserver's limit on the operations of one JSON patch (maxJSONPatchOperations).
MAX_OPERATIONS = 10000

_MISSING = "missing value"
_INVALID_INDEX = "invalid index referenced"
_ATOI = re.compile(r"[+-]?[0-9]+")
_ESCAPE = re.compile(r"~[01]")
_ABSENT = object()  # an object key that is not there


class _OpError(Exception):
    """A container operation failed; the message is the library's (wrapped by the caller)."""


def apply_json_patch(doc: Any, patch: Any, *, owned: bool = False) -> Any:
    """Apply the JSON patch `patch` (a list of operations) to `doc` and return the result.

    `doc` is not modified. Raises `MalformedPatchError` when `patch` is not a list of objects,
    `PatchConflictError` when an operation fails.
    """
    if patch is None:
        return doc if owned else json_copy(doc)  # a `null` body decodes as an empty patch
    if not isinstance(patch, list):
        raise MalformedPatchError(
            f"json: cannot unmarshal {json_kind(patch)} into Go value of type jsonpatch.Patch"
        )
    for op in patch:
        if op is not None and not isinstance(op, dict):
            raise MalformedPatchError(
                f"json: cannot unmarshal {json_kind(op)} into Go value of type jsonpatch.Operation"
            )
    if len(patch) > MAX_OPERATIONS:
        raise PatchError(
            f"The allowed maximum operations in a JSON patch is {MAX_OPERATIONS}, got {len(patch)}", code=413
        )
    root = [doc if owned else json_copy(doc)]  # a box, so that `replace ""` can swap the document
    for op in patch:
        _apply_op(root, op or {})
    return root[0]


def _apply_op(root: list[Any], op: dict[str, Any]) -> None:
    kind = op.get("op")
    kind = kind if isinstance(kind, str) else "unknown"
    handler = _OPS.get(kind)
    if handler is None:
        raise PatchConflictError(f"Unexpected kind: {kind}")
    handler(root, op)


# fields of an operation


def _string_field(op: dict[str, Any], name: str) -> str:
    """The `path` or `from` of `op`; raises `_OpError` with the library's reason."""
    value = op.get(name)
    if value is None:
        if name == "path":
            raise _OpError(f"operation missing path field: {_MISSING}")
        raise _OpError(f"operation, missing from field: {_MISSING}")
    if not isinstance(value, str):
        raise _OpError(f"json: cannot unmarshal {json_kind(value)} into Go value of type string")
    return value


def _path(op: dict[str, Any], kind: str, *, field: str = "path", detail: bool = True) -> str:
    try:
        return _string_field(op, field)
    except _OpError as e:
        reason = str(e) if detail else _MISSING
        raise PatchConflictError(f"{kind} operation failed to decode {field}: {reason}") from None


def _value(op: dict[str, Any]) -> Any:
    """The operation's value; an absent value behaves as null (as in the library)."""
    return json_copy(op.get("value"))


# JSON pointers and containers


def _unescape(token: str) -> str:
    return _ESCAPE.sub(lambda m: "/" if m.group(0) == "~1" else "~", token)


def _find(root: list[Any], path: str) -> tuple[Any, str] | None:
    """The container holding the pointer's last token, and that token; None when unreachable."""
    tokens = path.split("/")
    if len(tokens) < 2:
        return None
    node = root[0]
    for token in tokens[1:-1]:
        try:
            node = _get(node, _unescape(token))
        except _OpError:
            return None
        if not isinstance(node, dict | list):
            return None
    if not isinstance(node, dict | list):
        return None
    return node, _unescape(tokens[-1])


def _atoi(key: str) -> int:
    if not _ATOI.fullmatch(key):
        raise _OpError(f'strconv.Atoi: parsing "{key}": invalid syntax')
    return int(key)


def _get(container: Any, key: str) -> Any:
    """The value at `key` (None when an object has no such key, as the library does)."""
    if isinstance(container, dict):
        return container.get(key)
    if not isinstance(container, list):
        raise _OpError(f"unable to traverse a {json_kind(container)}")
    idx = _atoi(key)
    if idx < 0:
        if idx < -len(container):
            raise _OpError(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
        idx += len(container)
    if idx >= len(container):
        raise _OpError(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
    return container[idx]


def _get_raw(container: Any, key: str) -> Any:
    """Like `_get`, but tells a missing object key (`_ABSENT`) from a null one."""
    if isinstance(container, dict):
        return container.get(key, _ABSENT)
    return _get(container, key)


def _add(container: Any, key: str, value: Any) -> None:
    if isinstance(container, dict):
        container[key] = value
        return
    if key == "-":
        container.append(value)
        return
    try:
        idx = _atoi(key)
    except _OpError as e:
        raise _OpError(f"value was not a proper array index: '{key}': {e}") from None
    size = len(container) + 1
    if idx >= size:
        raise _OpError(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
    if idx < 0:
        if idx < -size:
            raise _OpError(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
        idx += size
    container.insert(idx, value)


def _set(container: Any, key: str, value: Any) -> None:
    if isinstance(container, dict):
        container[key] = value
        return
    idx = _atoi(key)
    if idx < 0:
        idx += len(container)
    container[idx] = value


def _remove(container: Any, key: str) -> None:
    if isinstance(container, dict):
        if key not in container:
            raise _OpError(f"Unable to remove nonexistent key: {key}: {_MISSING}")
        del container[key]
        return
    idx = _atoi(key)
    if idx >= len(container):
        raise _OpError(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
    if idx < 0:
        if idx < -len(container):
            raise _OpError(f"Unable to access invalid index: {idx}: {_INVALID_INDEX}")
        idx += len(container)
    del container[idx]


# operations


def _op_add(root: list[Any], op: dict[str, Any]) -> None:
    path = _path(op, "add", detail=False)
    found = _find(root, path)
    if found is None:
        raise PatchConflictError(f'add operation does not apply: doc is missing path: "{path}": {_MISSING}')
    try:
        _add(*found, _value(op))
    except _OpError as e:
        raise PatchConflictError(f"error in add for path: '{path}': {e}") from None


def _op_remove(root: list[Any], op: dict[str, Any]) -> None:
    path = _path(op, "remove", detail=False)
    found = _find(root, path)
    if found is None:
        raise PatchConflictError(
            f'remove operation does not apply: doc is missing path: "{path}": {_MISSING}'
        )
    try:
        _remove(*found)
    except _OpError as e:
        raise PatchConflictError(f"error in remove for path: '{path}': {e}") from None


def _op_replace(root: list[Any], op: dict[str, Any]) -> None:
    path = _path(op, "replace")
    if path == "":
        value = _value(op)
        if not isinstance(value, dict | list):
            raise PatchConflictError("replace operation value must be object or array")
        root[0] = value
        return
    found = _find(root, path)
    if found is None:
        raise PatchConflictError(f"replace operation does not apply: doc is missing path: {path}: {_MISSING}")
    container, key = found
    try:
        _get(container, key)
    except _OpError:
        raise PatchConflictError(
            f"replace operation does not apply: doc is missing key: {path}: {_MISSING}"
        ) from None
    _set(container, key, _value(op))


def _op_move(root: list[Any], op: dict[str, Any]) -> None:
    source = _path(op, "move", field="from")
    found = _find(root, source)
    if found is None:
        raise PatchConflictError(
            f"move operation does not apply: doc is missing from path: {source}: {_MISSING}"
        )
    container, key = found
    try:
        value = _get(container, key)
        _remove(container, key)
    except _OpError as e:
        raise PatchConflictError(f"error in move for path: '{key}': {e}") from None
    path = _path(op, "move")
    found = _find(root, path)
    if found is None:
        raise PatchConflictError(
            f"move operation does not apply: doc is missing destination path: {path}: {_MISSING}"
        )
    try:
        _add(*found, value)
    except _OpError as e:
        raise PatchConflictError(f"error in move for path: '{path}': {e}") from None


def _op_copy(root: list[Any], op: dict[str, Any]) -> None:
    source = _path(op, "copy", field="from")
    found = _find(root, source)
    if found is None:
        raise PatchConflictError(
            f"copy operation does not apply: doc is missing from path: {source}: {_MISSING}"
        )
    try:
        value = _get(*found)
    except _OpError as e:
        raise PatchConflictError(f"error in copy for from: '{source}': {e}") from None
    path = _path(op, "copy", detail=False)
    found = _find(root, path)
    if found is None:
        raise PatchConflictError(
            f"copy operation does not apply: doc is missing destination path: {path}: {_MISSING}"
        )
    try:
        _add(*found, json_copy(value))
    except _OpError as e:
        raise PatchConflictError(f"error while adding value during copy: {e}") from None


def _op_test(root: list[Any], op: dict[str, Any]) -> None:
    path = _path(op, "test")
    failed = PatchConflictError(f"testing value {path} failed: test failed")
    if path == "":
        if "value" not in op or not json_equal(root[0], op["value"]):
            raise failed
        return
    found = _find(root, path)
    if found is None:
        raise PatchConflictError(f"test operation does not apply: is missing path: {path}: {_MISSING}")
    try:
        current = _get_raw(*found)
    except _OpError as e:
        raise PatchConflictError(f"error in test for path: '{path}': {e}") from None
    expected = op.get("value", _ABSENT)
    if current is _ABSENT or current is None:
        if expected is _ABSENT or expected is None:
            return  # a missing or null value matches a null or absent one
        raise failed
    if expected is _ABSENT or not json_equal(current, expected):
        raise failed


_OPS = {
    "add": _op_add,
    "remove": _op_remove,
    "replace": _op_replace,
    "move": _op_move,
    "copy": _op_copy,
    "test": _op_test,
}
