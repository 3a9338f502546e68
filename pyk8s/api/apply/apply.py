"""Server-side apply and managed-fields tracking for every write, as kube-apiserver does it.

Two entry points, pure functions over JSON-shaped objects:

- `apply(live, config, ...)` for `application/apply-patch+yaml`: merges `config` into
  `live`, removes what the manager applied last time and no longer applies (unless someone
  else owns it), refuses to change fields other managers own with another value (unless
  `force`, which takes them over), and records the manager's Apply entry.
- `update(old, new, ...)` for every other write (create, PUT, the other patch types,
  subresources): what changed between `old` and `new` goes to the manager's Update entry
  and is taken away from everyone else; removed fields are taken away from everyone.

Both return the object to store with `metadata.managedFields` written. The chain is
apimachinery's field manager: strip untracked fields, one entry per manager, the
`before-first-apply` entry when an object without managedFields is first applied to,
untracked objects stay untracked (reset by sending `managedFields: []`), at most ten
Update entries, and kubectl's upgrade from client-side apply (the last-applied annotation).

Callers decode and default around these calls, as Kubernetes does: `config` is the
decoded request body; the apply result is defaulted and validated afterwards. Results
share unchanged subtrees with `live`/`config`/`new` (nothing is deep-copied).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pyk8s.api.apply import lastapplied
from pyk8s.api.apply._types import Plan, plan_for
from pyk8s.api.apply.errors import (
    ApplyConflictError,
    ApplyTypeError,
    Conflict,
    ManagedFieldsError,
    managed_fields_not_nil,
)
from pyk8s.api.apply.fieldpath import (
    EMPTY,
    FieldSet,
    v1_covers,
    v1_difference,
    v1_remove,
    v1_shares_member,
    v1_union,
)
from pyk8s.api.apply.managedfields import (
    BEFORE_FIRST_APPLY,
    STRIPPED,
    EntryKey,
    ManagedEntry,
    ManagedFields,
    ManagedFieldsDecodeError,
    cap_update_managers,
    decode,
    encode,
    format_time,
    managed_for_update,
)
from pyk8s.api.apply.merge import drop_nulls, merge
from pyk8s.api.apply.typed import (
    TypedError,
    compare,
    created_fields_v1,
    named_fields_as_members,
    remove_items,
    to_field_set,
)
from pyk8s.api.schema import Schema


@dataclass
class ApplyResult:
    """The object to store (managedFields written) and its entries.

    `changed` is false when the apply changed nothing but managedFields (Kubernetes then
    keeps the manager's old time, and the write may be skipped if the entries are equal).
    """

    obj: dict[str, Any]
    managed: ManagedFields
    changed: bool


UpdateResult = ApplyResult


def apply(
    live: dict[str, Any],
    config: dict[str, Any],
    manager: str,
    managed: ManagedFields | None,
    schema: Schema,
    *,
    force: bool = False,
    api_version: str,
    now: dt.datetime | str,
    subresource: str = "",
    ignored: FieldSet | None = None,
) -> ApplyResult:
    """Apply `config` as `manager` (see the module docstring).

    `live` is the stored object, or `{}` when the apply creates it. `managed` is None to
    use live's entries. `ignored` holds the strategy's reset fields for this endpoint (e.g.
    `status` on the main resource). Raises `ApplyConflictError` (409), `ApplyTypeError`
    and `ManagedFieldsError` (500), `BadRequestError` for a config with managedFields.
    """
    if (config.get("metadata") or {}).get("managedFields") is not None:
        raise managed_fields_not_nil()
    plan = plan_for(schema)
    try:
        applied = to_field_set(config, plan, strict=True)
    except TypedError as err:
        raise ApplyTypeError(config, str(err)) from None
    if managed is None:
        try:
            managed = decode((live.get("metadata") or {}).get("managedFields"), trusted=True)
        except ManagedFieldsDecodeError as err:
            raise ManagedFieldsError(str(err)) from None
    body = _without_managed_fields(live)
    request = _Request(plan, api_version, format_time(now), subresource, ignored)
    key = EntryKey.for_apply(manager, subresource)
    try:
        obj, managed, changed = _apply(body, config, applied, key, managed, request, force)
    except ApplyConflictError as err:
        if manager != lastapplied.KUBECTL_MANAGER:
            raise
        # kubectl --server-side may take over what client-side apply set (its annotation).
        allowed = lastapplied.allowed_conflicts(body, api_version, plan)
        remaining = [c for c in err.conflicts if allowed is None or not allowed.has(c.path)]
        if remaining:
            raise ApplyConflictError(remaining) from None
        obj, managed, changed = _apply(body, config, applied, key, managed, request, True)
    if manager == lastapplied.KUBECTL_MANAGER:
        before = obj
        obj = lastapplied.updated(obj, config)
        changed = changed or obj is not before
    return ApplyResult(_with_managed_fields(obj, managed), managed, changed)


def update(
    old: dict[str, Any],
    new: dict[str, Any],
    manager: str,
    managed: ManagedFields | None,
    schema: Schema,
    *,
    api_version: str,
    now: dt.datetime | str,
    subresource: str = "",
    ignored: FieldSet | None = None,
) -> UpdateResult:
    """Track a non-apply write by `manager` from `old` (`{}` on create) to `new`.

    `managed` is None to follow Kubernetes (`managed_for_update` with `new`'s own
    managedFields). An object that exists without entries stays untracked.
    """
    if managed is None:
        sent = (new.get("metadata") or {}).get("managedFields")
        managed = managed_for_update(old, sent, subresource=subresource)
    old_body, new_body = _without_managed_fields(old), _without_managed_fields(new)
    if not managed and (old.get("metadata") or {}).get("uid"):
        return UpdateResult(new_body, {}, not compare(old_body, new_body, plan_for(schema)).is_same())
    request = _Request(plan_for(schema), api_version, format_time(now), subresource, ignored)
    key = EntryKey.for_update(manager, api_version, subresource)
    managed, changed = _update(old_body, new_body, key, managed, request)
    return UpdateResult(_with_managed_fields(new_body, managed), managed, changed)


@dataclass(frozen=True, slots=True)
class _Request:
    plan: Plan
    api_version: str
    time: str
    subresource: str
    ignored: FieldSet | None


def _update(
    old: dict[str, Any], new: dict[str, Any], key: EntryKey, managed: ManagedFields, request: _Request
) -> tuple[ManagedFields, bool]:
    """SMD `Updater.Update` as the managedFieldsUpdater runs it (`current-operation`): the
    others lose what changed or went; the writer keeps what it had, minus what went, plus
    what it changed."""
    if not old:
        return _create(new, key, managed, request), True
    full = compare(old, new, request.plan)
    comparison = full.filtered(request.ignored)
    changed, removed = comparison.changed(), comparison.removed
    others = dict(managed)
    others.pop(key, None)
    out = _take_away(others, changed, removed)
    current = changed.difference(STRIPPED)
    previous = managed.get(key)
    mine = _owned_after(previous, current, removed, key, request.time)
    if mine is not None:
        out[key] = mine
    return cap_update_managers(out), not full.is_same()


def _owned_after(
    previous: ManagedEntry | None, current: FieldSet, removed: FieldSet, key: EntryKey, time: str
) -> ManagedEntry | None:
    """The writer's entry after a write: `previous - removed | current` (None when empty).

    A stored entry is worked on as FieldsV1 while that is cheap (a writer usually changes
    what it already owns, or a few fields more), so it is rarely decoded.
    """
    if previous is None:
        if current.empty():
            return None
        return ManagedEntry(key.manager, key.operation, key.api_version, current, time, key.subresource)
    if not previous.decoded and previous.raw is not None and not v1_shares_member(previous.raw, removed):
        if current.empty() or v1_covers(previous.raw, current):
            return previous if current.empty() else previous.replace(time=time)
        return previous.replace(raw=v1_union(previous.raw, current), time=time)
    owned = previous.fields.difference(removed).union(current)
    if owned.empty():
        return None
    if owned == previous.fields:
        return previous if current.empty() else previous.replace(time=time)
    return previous.replace(fields=owned, time=time)


def _create(new: dict[str, Any], key: EntryKey, managed: ManagedFields, request: _Request) -> ManagedFields:
    """`_update` from nothing: the writer owns all the object sets; entries sent with the
    object keep only what it does not set.

    Every object is created once, so this is the hot path: the writer's FieldsV1 are written
    in one walk of the object and never go through a set (`compare` is the reference).
    """
    raw = created_fields_v1(new, request.plan)  # everything is added
    if request.ignored is not None:
        v1_remove(raw, request.ignored, recursive=True)
    out: ManagedFields = {}
    for other, entry in managed.items():
        if not entry.decoded and entry.raw is not None:
            rest = v1_difference(entry.raw, raw)
            if rest:
                out[other] = entry if rest is entry.raw else entry.replace(raw=rest)
            continue
        owned = entry.fields.difference_v1(raw)
        if not owned.empty():
            out[other] = entry.with_fields(owned)
    v1_remove(raw, STRIPPED, recursive=False)
    if raw:
        previous = out.get(key)
        out[key] = ManagedEntry(
            manager=key.manager,
            operation=key.operation,
            api_version=key.api_version,
            fields=None if previous is None else FieldSet.from_fields_v1(raw).union(previous.fields),
            time=request.time,
            subresource=key.subresource,
            raw=raw if previous is None else None,
        )
    return cap_update_managers(out) if managed else out


def _take_away(managed: ManagedFields, changed: FieldSet, removed: FieldSet) -> ManagedFields:
    """Every entry without what just changed or disappeared; emptied entries are dropped."""
    out: ManagedFields = {}
    for key, entry in managed.items():
        if not entry.decoded and entry.raw is not None:
            raw = entry.raw
            if not v1_shares_member(raw, changed) and not v1_shares_member(raw, removed):
                out[key] = entry  # untouched: kept as stored, never decoded
                continue
        owned = entry.fields
        if not changed.empty():
            owned = owned.difference(changed)
        if not removed.empty():
            owned = owned.difference(removed)
        if not owned.empty():
            out[key] = entry.with_fields(owned)
    return out


def _apply(
    live: dict[str, Any],
    config: dict[str, Any],
    applied: FieldSet,
    key: EntryKey,
    managed: ManagedFields,
    request: _Request,
    force: bool,
) -> tuple[dict[str, Any], ManagedFields, bool]:
    """SMD `Updater.Apply` inside the field manager chain; returns (object, entries, changed)."""
    if not managed:
        # The fields of an object that has no entries belong to `before-first-apply`.
        first = EntryKey.for_update(BEFORE_FIRST_APPLY, request.api_version, request.subresource)
        managed, _ = _update({}, live, first, managed, request)
    plan = request.plan
    merged = merge(live, config, plan)
    if request.ignored is not None:
        applied = applied.recursive_difference(request.ignored)
    previous = managed.get(key)
    owned: dict[EntryKey, FieldSet] = {k: e.fields for k, e in managed.items()}
    owned[key] = applied
    pruned = False
    if previous is not None and not previous.fields.difference(applied).empty():
        merged = _prune(merged, owned, previous.fields, plan)
        pruned = True
    full = compare(live, merged, plan)
    comparison = full.filtered(request.ignored)
    changed = comparison.changed()
    conflicts: list[Conflict] = []
    out: ManagedFields = {}
    for other in sorted(managed, key=EntryKey.identifier):
        if other == key:
            continue
        entry = managed[other]
        taken = entry.fields.intersection(changed) if not changed.empty() else EMPTY
        if not taken.empty():
            conflicts.extend(Conflict(other, path) for path in taken)
        rest = entry.fields.difference(taken).difference(comparison.removed)
        if not rest.empty():
            out[other] = entry.with_fields(rest)
    if conflicts and not force:
        raise ApplyConflictError(conflicts)
    is_changed = not full.is_same()
    mine = applied.difference(STRIPPED)
    if not mine.empty():
        time = request.time if is_changed else (previous.time if previous is not None else None)
        out[key] = ManagedEntry(
            manager=key.manager,
            operation=key.operation,
            api_version=request.api_version,
            fields=mine if previous is None or mine != previous.fields else previous.fields,
            time=time,
            subresource=key.subresource,
            raw=previous.raw if previous is not None and mine == previous.fields else None,
        )
    if not is_changed:
        return live, out, False
    if pruned or _has_null(config):
        merged = drop_nulls(merged)
    return merged, out, True


def _prune(merged: Any, owned: dict[EntryKey, FieldSet], last: FieldSet, plan: Plan) -> Any:
    """Remove what the applier owned last time, applies no more, and nobody else owns.

    SMD's three steps, kept as they are because their set arithmetic decides corner cases
    (struct fields, list items partly owned by others, fields nobody owns): remove all of
    the last applied set, add back what any manager owns, then add back what was removed
    without having been applied last time.
    """
    last_all = named_fields_as_members(last, plan)
    pruned = remove_items(merged, last_all, plan)
    everyone = EMPTY
    for fields in owned.values():
        everyone = everyone.union(fields)
    merged_set = named_fields_as_members(to_field_set(merged, plan), plan)
    pruned_set = named_fields_as_members(to_field_set(pruned, plan), plan)
    keep = pruned_set.union(named_fields_as_members(everyone, plan))
    pruned = remove_items(merged, merged_set.difference(keep), plan)
    pruned_set = named_fields_as_members(to_field_set(pruned, plan), plan)
    return remove_items(merged, merged_set.difference(pruned_set).intersection(last_all), plan)


def _has_null(value: Any) -> bool:
    if type(value) is dict:
        return any(v is None or _has_null(v) for v in value.values())
    if type(value) is list:
        return any(_has_null(v) for v in value)
    return False


def _without_managed_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """A shallow view of `obj` without metadata.managedFields (never tracked, never merged)."""
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or "managedFields" not in meta:
        return obj
    meta = dict(meta)
    del meta["managedFields"]
    return {**obj, "metadata": meta}


def _with_managed_fields(obj: dict[str, Any], managed: ManagedFields) -> dict[str, Any]:
    entries = encode(managed)
    meta = obj.get("metadata")
    if not entries:
        return _without_managed_fields(obj)
    if not isinstance(meta, dict):
        return {**obj, "metadata": {"managedFields": entries}}
    return {**obj, "metadata": {**meta, "managedFields": entries}}
