"""CSINode: the CSI drivers installed on one node (named after the node)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, invalid, required
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import IMMUTABLE, validate_nonnegative, validate_qualified_name
from pyk8s.kinds.storage import types
from pyk8s.kinds.storage.csidriver import validate_driver_name

RESOURCE = ResourceInfo(
    group="storage.k8s.io",
    version="v1",
    kind="CSINode",
    plural="csinodes",
    singular="csinode",
    namespaced=False,
)

MAX_NODE_ID_LENGTH = 256


def _drivers(obj: Obj) -> list[Any]:
    spec = obj.get("spec")
    return (spec.get("drivers") or []) if isinstance(spec, dict) else []


def validate_driver(driver: dict[str, Any], seen: set[str], path: FieldPath) -> FieldErrors:
    name = driver.get("name", "")
    errs = validate_driver_name(name, path.child("name"))
    node_id = driver.get("nodeID", "")
    if not node_id:
        errs.append(required(path.child("nodeID")))
    if len(node_id) > MAX_NODE_ID_LENGTH:
        errs.append(
            invalid(path.child("nodeID"), node_id, f"must be {MAX_NODE_ID_LENGTH} characters or less")
        )
    count = (driver.get("allocatable") or {}).get("count")
    errs += validate_nonnegative(count, path.child("allocatable", "count"))
    if name in seen:
        errs.append(duplicate(path.child("name"), name))
    seen.add(name)
    keys: set[str] = set()
    for key in driver.get("topologyKeys") or []:
        if not key:
            errs.append(required(path))
        if key in keys:
            errs.append(duplicate(path, key))
        keys.add(key)
        errs += validate_qualified_name(key, path)
    return errs


class CSINodeStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.CSINode
    has_status = False
    columns = (NAME, Column("Drivers", type="integer", description="How many CSI drivers the node has."), AGE)

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("drivers", [])

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs: FieldErrors = []
        seen: set[str] = set()
        for i, driver in enumerate(_drivers(obj)):
            errs += validate_driver(driver, seen, FieldPath("spec", "drivers").index(i))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        for old_driver in _drivers(old):
            for driver in _drivers(obj):
                if driver.get("name") != old_driver.get("name"):
                    continue
                # The allocatable count may change (MutableCSINodeAllocatableCount); the rest may not.
                mine = {k: v for k, v in driver.items() if k != "allocatable"}
                theirs = {k: v for k, v in old_driver.items() if k != "allocatable"}
                if mine != theirs:
                    errs.append(invalid("spec.drivers", mine, IMMUTABLE))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [obj["metadata"].get("name", ""), len(_drivers(obj)), age(obj, now)]
