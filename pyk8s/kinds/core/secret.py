"""Secret: sensitive data for pods, base64-encoded on the wire."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from pyk8s.api.fields import FieldErrors, forbidden, invalid
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.kinds.core import types
from pyk8s.kinds.core.validation import validate_config_keys

RESOURCE = ResourceInfo(group="", version="v1", kind="Secret", plural="secrets", singular="secret")
MAX_SECRET_SIZE = 1024 * 1024


class SecretStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Secret
    has_status = False
    columns = (
        NAME,
        Column("Type", description="The type of the secret."),
        Column("Data", type="integer", description="Number of keys."),
        AGE,
    )
    field_selectors = {"type": lambda o: o.get("type", "")}

    def default(self, obj: Obj) -> None:
        obj.setdefault("type", "Opaque")

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        self._fold_string_data(obj)

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_update(ctx, obj, old)
        self._fold_string_data(obj)

    @staticmethod
    def _fold_string_data(obj: Obj) -> None:
        """stringData is write-only: merged into data, base64-encoded, then dropped."""
        string_data = obj.pop("stringData", None) or {}
        if string_data:
            data = obj.setdefault("data", {})
            for key, value in string_data.items():
                data[key] = base64.b64encode(str(value).encode()).decode()

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        data = obj.get("data") or {}
        errs = validate_config_keys(data, "data")
        total = 0
        for key, value in data.items():
            try:
                total += len(base64.b64decode(value, validate=True))
            except (binascii.Error, ValueError):
                errs.append(invalid(f"data[{key}]", "<secret contents redacted>", "illegal base64 data"))
        if total > MAX_SECRET_SIZE:
            errs.append(forbidden("data", f"Too long: may not be more than {MAX_SECRET_SIZE} bytes"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        if obj.get("type") != old.get("type"):
            errs.append(invalid("type", obj.get("type"), "field is immutable"))
        if old.get("immutable") and obj.get("data") != old.get("data"):
            errs.append(forbidden("data", "field is immutable when `immutable` is set"))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [
            obj["metadata"].get("name", ""),
            obj.get("type", ""),
            len(obj.get("data") or {}),
            age(obj, now),
        ]
