"""ConfigMap: configuration data for pods."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, forbidden, invalid
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.kinds.core import types
from pyk8s.kinds.core.validation import validate_config_keys

RESOURCE = ResourceInfo(
    group="", version="v1", kind="ConfigMap", plural="configmaps", singular="configmap", short_names=("cm",)
)


class ConfigMapStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.ConfigMap
    has_status = False
    columns = (NAME, Column("Data", type="integer", description="Number of keys."), AGE)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_config_keys(obj.get("data") or {}, "data")
        errs += validate_config_keys(obj.get("binaryData") or {}, "binaryData")
        for key in set(obj.get("data") or {}) & set(obj.get("binaryData") or {}):
            errs.append(invalid("data", key, "duplicate of key present in binaryData"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        if old.get("immutable"):
            for part in ("data", "binaryData"):
                if obj.get(part) != old.get(part):
                    errs.append(forbidden(part, "field is immutable when `immutable` is set"))
            if not obj.get("immutable"):
                errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
        return [obj["metadata"].get("name", ""), count, age(obj, now)]
