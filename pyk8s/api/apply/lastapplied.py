"""kubectl's move from client-side to server-side apply, handled by the field manager.

Only for the manager `kubectl` (what `kubectl apply --server-side` sends), as in
apimachinery's lastAppliedManager and lastAppliedUpdater:

- conflicts on fields that the object's `kubectl.kubernetes.io/last-applied-configuration`
  annotation says kubectl set (and that still hold that value) are not conflicts: the
  apply is forced, so users can switch without `--force-conflicts`;
- after a successful apply, an object that has the annotation gets it rewritten to the
  applied configuration, so a later client-side apply computes the right patch.
"""

from __future__ import annotations

from typing import Any

import orjson

from pyk8s.api.apply._types import Plan
from pyk8s.api.apply._values import go_json
from pyk8s.api.apply.fieldpath import FieldSet
from pyk8s.api.apply.typed import TypedError, compare, to_field_set, validate

KUBECTL_MANAGER = "kubectl"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024  # ValidateAnnotationsSize, in bytes


def allowed_conflicts(live: dict[str, Any], api_version: str, plan: Plan) -> FieldSet | None:
    """The fields the annotation shows kubectl set and that still hold that value; None
    when there is no usable annotation."""
    annotations = (live.get("metadata") or {}).get("annotations") or {}
    text = annotations.get(LAST_APPLIED)
    if not text:
        return None
    try:
        last = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(last, dict) or last.get("apiVersion") != api_version:
        return None
    try:
        validate(last, plan)
    except TypedError:
        return None
    comparison = compare(last, live, plan)
    return (
        to_field_set(last, plan)
        .difference(comparison.modified)
        .difference(comparison.added)
        .difference(comparison.removed)
    )


def updated(obj: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """`obj` with its annotation set to `config` (when it has one), as kubectl writes it."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if not annotations.get(LAST_APPLIED):
        return obj
    text = _encode(config)
    if annotations[LAST_APPLIED] == text:
        return obj
    new = {**annotations, LAST_APPLIED: text}
    if sum(len(k.encode()) + len(v.encode()) for k, v in new.items()) > TOTAL_ANNOTATION_SIZE_LIMIT:
        new.pop(LAST_APPLIED)  # too big to keep: dropped, as SetLastApplied does
    return {**obj, "metadata": {**obj["metadata"], "annotations": new}}


def _encode(config: dict[str, Any]) -> str:
    """The configuration without the annotation, as Go's JSON encoder writes it (+ newline)."""
    meta = config.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict):
        rest = {k: v for k, v in meta["annotations"].items() if k != LAST_APPLIED}
        config = {**config, "metadata": {**meta, "annotations": rest}}
    return go_json(config) + "\n"
