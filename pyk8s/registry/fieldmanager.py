"""`metadata.managedFields` on every write of one resource, as kube-apiserver's field manager.

The registry calls `FieldManager.track` for each create and update made for a client, after
defaulting and the strategy's preparation and before admission and validation: what the write
changed goes to the request's Update entry (`fieldManager`, or the User-Agent's prefix),
removed fields leave every entry. The PATCH handler calls `FieldManager.apply` for server-side
apply, whose result carries its own Apply entry and is not tracked again.

Writes without a field manager are the server's own bookkeeping (quota charges, bindings,
disruption budgets): they leave managedFields as they are, as kube-apiserver's writes that go
straight to storage do.

Reset fields (apimachinery's `ResetFieldsStrategy`): the main resource of a kind with a
status subresource never owns `status`, and `/status` never owns anything but status (the
spec, and the metadata `ResetObjectMetaForStatus` restores). Entries name the subresource
they were written through (`status`, `scale`, `finalize`, ...).

Known limit: field sets are not converted between served versions. A resource served in
several versions records paths in the terms of the version the write used (the storage
version for updates, the request's version for applies); for every built-in kind whose
versions differ, the paths that differ are few (events.k8s.io and autoscaling).
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.apply import ApplyResult, FieldSet, apply, revert_timestamp_only_changes, update
from pyk8s.api.meta import rfc3339
from pyk8s.api.resource import Obj, RequestContext, ResourceStrategy
from pyk8s.api.schema import Schema

# Metadata that a status write never changes (apimachinery ResetObjectMetaForStatus).
_STATUS_RESET_METADATA = ("labels", "annotations", "finalizers", "ownerReferences", "deletionTimestamp")
# Subresources whose writes Kubernetes does not track in the object's managedFields
# (`pods/binding` writes the pod straight to storage).
UNTRACKED_SUBRESOURCES = frozenset({"binding"})

__all__ = ["UNTRACKED_SUBRESOURCES", "FieldManager", "revert_timestamp_only_changes"]


class FieldManager:
    """Managed fields for one resource (see the module docstring)."""

    def __init__(self, strategy: ResourceStrategy) -> None:
        self.strategy = strategy
        self._reset: dict[tuple[int, str], FieldSet | None] = {}

    def reset_fields(self, schema: Schema, subresource: str) -> FieldSet | None:
        """The fields writes through `subresource` never own (None: none)."""
        key = (id(schema), subresource)
        if key not in self._reset:
            self._reset[key] = self._compute_reset(schema, subresource)
        return self._reset[key]

    def _compute_reset(self, schema: Schema, subresource: str) -> FieldSet | None:
        strategy = self.strategy
        status = strategy.status_field
        if subresource == "" and strategy.has_status:
            return FieldSet.of(("f:" + status,))
        if subresource != "status":
            return None
        skip = {status, "apiVersion", "kind", "metadata"}
        paths = [("f:" + name,) for name in schema.target.properties if name not in skip]
        paths += [("f:metadata", "f:" + name) for name in _STATUS_RESET_METADATA]
        return FieldSet.of(*paths)

    def track(self, ctx: RequestContext, old: Obj, new: Obj, *, subresource: str, now: float) -> None:
        """Record the write from `old` (`{}` on create) to `new` as an Update by the
        request's manager; `new`'s managedFields are rewritten in place."""
        schema = self.strategy.schema
        result = update(
            old,
            new,
            ctx.field_manager,
            None,
            schema,
            api_version=ctx.api_version or self.strategy.info.api_version,
            now=rfc3339(now),
            subresource=subresource,
            ignored=self.reset_fields(schema, subresource),
        )
        _set_managed_fields(new, result)

    def apply(
        self,
        ctx: RequestContext,
        schema: Schema,
        live: Obj,
        config: Obj,
        *,
        force: bool,
        now: float,
        subresource: str,
        api_version: str,
    ) -> Obj:
        """`config` applied to `live` (`{}` when absent) by `ctx.field_manager`: the object to
        store, with its managedFields. Raises the Status errors of `pyk8s.api.apply`."""
        result = apply(
            live,
            config,
            ctx.field_manager,
            None,
            schema,
            force=force,
            api_version=api_version,
            now=rfc3339(now),
            subresource=subresource,
            ignored=self.reset_fields(schema, subresource),
        )
        return result.obj


def _set_managed_fields(new: Obj, result: ApplyResult) -> None:
    entries: Any = (result.obj.get("metadata") or {}).get("managedFields")
    meta = new.setdefault("metadata", {})
    if entries:
        meta["managedFields"] = entries
    else:
        meta.pop("managedFields", None)
