"""RFC 7386 JSON Merge Patch (`application/merge-patch+json`), as kube-apiserver applies it.

`apply_merge_patch`: objects merge recursively, `null` removes a key, anything else replaces
the value it meets (arrays included: they are never merged). Follows evanphx/json-patch v4,
the library kube-apiserver uses, in the corners RFC 7386 leaves open:

- nulls are pruned from every value the patch introduces (a new object, or an object that
  replaces a non-object), including objects nested in arrays; an array that replaces an
  object is kept as sent;
- a patch that is an array replaces the document (with nulls pruned from the objects in it);
  a patch that is neither an object nor an array (a string, a number, `null`) is rejected
  with `MalformedPatchError("Invalid JSON Patch")`, which kube-apiserver answers with 400.

`create_merge_patch(original, modified)` computes the smallest merge patch turning
`original` into `modified` (what `kubectl label`/`annotate`/`scale` send).
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.patch._values import json_copy, json_equal
from pyk8s.api.patch.errors import MalformedPatchError


def apply_merge_patch(doc: Any, patch: Any, *, owned: bool = False) -> Any:
    """Apply the merge patch `patch` to `doc` and return the result; `doc` is not modified."""
    if isinstance(patch, list):
        return _prune(json_copy(patch))
    if not isinstance(patch, dict):
        raise MalformedPatchError("Invalid JSON Patch")
    patch = json_copy(patch)
    if not isinstance(doc, dict):
        return _prune(patch)
    result = doc if owned else json_copy(doc)
    _merge_objects(result, patch)
    return result


def _merge_objects(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if value is None:
            doc.pop(key, None)
        elif doc.get(key) is None:
            doc[key] = _prune(value)
        else:
            doc[key] = _merge(doc[key], value)


def _merge(current: Any, patch: Any) -> Any:
    if not isinstance(current, dict):
        return _prune(patch)
    if not isinstance(patch, dict):
        return patch
    _merge_objects(current, patch)
    return current


def _prune(value: Any) -> Any:
    """Drop null members from objects, recursively (through arrays too); returns `value`."""
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            del value[key]
        for v in value.values():
            _prune(v)
    elif isinstance(value, list):
        for v in value:
            _prune(v)
    return value


def create_merge_patch(original: dict[str, Any], modified: dict[str, Any]) -> dict[str, Any]:
    """The smallest merge patch that turns `original` into `modified`.

    Removed keys become `null`, changed objects are diffed recursively, and any other change
    (arrays included) sends the new value whole. A `null` inside `modified` cannot be
    expressed by a merge patch; it is sent as the deletion it means.
    """
    patch: dict[str, Any] = {}
    for key, new in modified.items():
        if key not in original:
            patch[key] = json_copy(new)
            continue
        old = original[key]
        if isinstance(old, dict) and isinstance(new, dict):
            sub = create_merge_patch(old, new)
            if sub:
                patch[key] = sub
        elif not json_equal(old, new):
            patch[key] = json_copy(new)
    for key in original:
        if key not in modified:
            patch[key] = None
    return patch
