"""ServiceAccount: an identity for processes in pods. Its `token` subresource (a
TokenRequest of authentication.k8s.io/v1) is answered by the API server."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors
from pyk8s.api.resource import (
    AGE,
    NAME,
    Column,
    Obj,
    RequestContext,
    ResourceInfo,
    ResourceStrategy,
    Subresource,
)
from pyk8s.api.table import age
from pyk8s.kinds.core import types

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="ServiceAccount",
    plural="serviceaccounts",
    singular="serviceaccount",
    short_names=("sa",),
    subresources=(
        Subresource("token", ("create",), kind="TokenRequest", group="authentication.k8s.io", version="v1"),
    ),
)


def _clean_secret_references(obj: Obj) -> None:
    """Only the name of a referenced secret is kept."""
    secrets = obj.get("secrets")
    if isinstance(secrets, list):
        obj["secrets"] = [
            {"name": (s or {}).get("name", "")} if (s or {}).get("name") else {} for s in secrets
        ]


class ServiceAccountStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.ServiceAccount
    has_status = False
    columns = (NAME, Column("Secrets", description="How many secrets the account references."), AGE)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        _clean_secret_references(obj)

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_update(ctx, obj, old)
        _clean_secret_references(obj)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return []

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [(obj.get("metadata") or {}).get("name", ""), len(obj.get("secrets") or []), age(obj, now)]
