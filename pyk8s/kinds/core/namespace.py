"""Namespace: the scope of names. Deleting one marks it Terminating until its content is
gone and the namespace controller removes the `kubernetes` finalizer (through /finalize)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, invalid
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
from pyk8s.api.validation import dns1123_label
from pyk8s.kinds.core import types

FINALIZER = "kubernetes"

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="Namespace",
    plural="namespaces",
    singular="namespace",
    namespaced=False,
    short_names=("ns",),
    verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
    subresources=(
        Subresource("status", ("get", "patch", "update")),
        Subresource("finalize", ("update",)),
    ),
)


class NamespaceStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Namespace
    columns = (NAME, Column("Status", description="The phase of the namespace."), AGE)
    field_selectors = {"status.phase": lambda o: o.get("status", {}).get("phase", "")}

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return dns1123_label(name)

    def default(self, obj: Obj) -> None:
        obj.setdefault("spec", {})
        status = obj.setdefault("status", {})
        status.setdefault("phase", "Active")

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        obj["status"] = {"phase": "Active"}
        spec = obj.setdefault("spec", {})
        finalizers = spec.setdefault("finalizers", [])
        if FINALIZER not in finalizers:
            finalizers.append(FINALIZER)
        labels = obj["metadata"].setdefault("labels", {})
        labels["kubernetes.io/metadata.name"] = obj["metadata"]["name"]

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        spec = dict(old.get("spec") or {})
        if ctx.subresource == "finalize":  # the only way spec.finalizers changes
            finalizers = (obj.get("spec") or {}).get("finalizers") or []
            spec.pop("finalizers", None)
            if finalizers:
                spec["finalizers"] = finalizers
        obj["spec"] = spec
        obj["status"] = dict(old.get("status") or {})
        labels = obj["metadata"].setdefault("labels", {})
        labels["kubernetes.io/metadata.name"] = obj["metadata"]["name"]

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs: FieldErrors = []
        for i, fin in enumerate(obj.get("spec", {}).get("finalizers") or []):
            if "/" not in fin and fin != FINALIZER:
                errs.append(
                    invalid(
                        f"spec.finalizers[{i}]",
                        fin,
                        "name is neither a standard finalizer name nor is it fully qualified",
                    )
                )
        return errs

    # deletion: pending while spec.finalizers is not empty

    def deletion_pending(self, obj: Obj) -> bool:
        return bool(obj.get("spec", {}).get("finalizers"))

    def prepare_for_delete(self, obj: Obj) -> None:
        obj.setdefault("status", {})["phase"] = "Terminating"

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [obj["metadata"].get("name", ""), obj.get("status", {}).get("phase", ""), age(obj, now)]
