"""ControllerRevision: an immutable snapshot of a controller's state (DaemonSet and StatefulSet
history)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, required
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import validate_immutable, validate_nonnegative
from pyk8s.kinds.apps import types

RESOURCE = ResourceInfo(
    group="apps",
    version="v1",
    kind="ControllerRevision",
    plural="controllerrevisions",
    singular="controllerrevision",
)


def controller_of(obj: Obj) -> str:
    """`kind.group/name` of the owner reference marked as controller, `<none>` without one."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if not ref.get("controller"):
            continue
        api_version = ref.get("apiVersion", "")
        group = api_version.split("/", 1)[0] if "/" in api_version else ""
        kind = ref.get("kind", "")
        if not kind and not group:
            return ref.get("name", "")
        group_kind = f"{kind}.{group}" if group else kind
        return f"{group_kind.lower()}/{ref.get('name', '')}"
    return "<none>"


class ControllerRevisionStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.ControllerRevision
    has_status = False
    columns = (
        NAME,
        Column("Controller", description="The controller this revision belongs to."),
        Column("Revision", description="The revision number of the recorded state."),
        AGE,
    )

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs: FieldErrors = []
        if obj.get("data") is None:
            errs.append(required("data", "data is mandatory"))
        errs += validate_nonnegative(obj.get("revision"), "revision")
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return self.validate(ctx, obj) + validate_immutable(obj.get("data"), old.get("data"), "data")

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [
            obj["metadata"].get("name", ""),
            controller_of(obj),
            int(obj.get("revision") or 0),
            age(obj, now),
        ]
