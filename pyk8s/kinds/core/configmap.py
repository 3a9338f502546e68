"""ConfigMap: configuration data for pods."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, too_long
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.kinds.core import types
from pyk8s.kinds.core.validation import MAX_CONFIG_SIZE, validate_config_keys

RESOURCE = ResourceInfo(
    group="", version="v1", kind="ConfigMap", plural="configmaps", singular="configmap", short_names=("cm",)
)
IMMUTABLE_SET = "field is immutable when `immutable` is set"


def decoded_size(value: Any) -> int:
    """Bytes of a base64 value (its length when it does not decode)."""
    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value))


class ConfigMapStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.ConfigMap
    has_status = False
    columns = (NAME, Column("Data", description="How many keys the config map holds."), AGE)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        data, binary = obj.get("data") or {}, obj.get("binaryData") or {}
        path = FieldPath("data")
        errs = validate_config_keys(data, path)
        errs += [
            invalid(path.key(key), key, "duplicate of key present in binaryData")
            for key in data
            if key in binary
        ]
        errs += validate_config_keys(binary, "binaryData")
        total = sum(len(str(v).encode()) for v in data.values()) + sum(
            decoded_size(v) for v in binary.values()
        )
        if total > MAX_CONFIG_SIZE:
            errs.append(too_long("[]", MAX_CONFIG_SIZE))  # Kubernetes: field.NewPath("") prints "[]"
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs: FieldErrors = []
        if old.get("immutable"):
            if not obj.get("immutable"):
                errs.append(forbidden("immutable", IMMUTABLE_SET))
            for part in ("data", "binaryData"):
                if (obj.get(part) or {}) != (old.get(part) or {}):
                    errs.append(forbidden(part, IMMUTABLE_SET))
        return errs + self.validate(ctx, obj)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
        return [(obj.get("metadata") or {}).get("name", ""), count, age(obj, now)]
