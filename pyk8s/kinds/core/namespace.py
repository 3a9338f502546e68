"""Namespace: the scope of names. Deleting one marks it Terminating until its content is
gone and the namespace controller removes the `kubernetes` finalizer (through /finalize)."""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid
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
from pyk8s.api.validation import dns1123_label, qualified_name
from pyk8s.kinds.core import types

FINALIZER = "kubernetes"
NAME_LABEL = "kubernetes.io/metadata.name"
# Finalizer names that need no domain prefix.
STANDARD_FINALIZERS = {"kubernetes", "orphan", "foregroundDeletion"}

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
        Subresource("finalize", ("update",)),
        Subresource("status", ("get", "patch", "update")),
    ),
)


def _status(obj: Obj) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def validate_finalizer_name(name: str, path: FieldPath | str) -> FieldErrors:
    """A finalizer: a qualified name, prefixed with a domain unless it is a standard one."""
    errs = [invalid(path, name, msg) for msg in qualified_name(name)]
    if "/" not in name and name not in STANDARD_FINALIZERS:
        errs.append(
            invalid(path, name, "name is neither a standard finalizer name nor is it fully qualified")
        )
    return errs


class NamespaceStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.Namespace
    columns = (NAME, Column("Status", description="The phase of the namespace."), AGE)
    field_selectors = {
        "status.phase": lambda o: _status(o).get("phase", ""),
        # Kubernetes keeps this one for compatibility.
        "name": lambda o: (o.get("metadata") or {}).get("name", ""),
    }

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return dns1123_label(name)

    def default(self, obj: Obj) -> None:
        meta = obj.setdefault("metadata", {})
        if meta.get("name"):
            labels = meta.get("labels")
            if not isinstance(labels, dict):
                labels = meta["labels"] = {}
            labels[NAME_LABEL] = meta["name"]

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        obj["status"] = {"phase": "Active"}
        spec = obj.get("spec")
        if not isinstance(spec, dict):
            spec = obj["spec"] = {}
        finalizers = spec.setdefault("finalizers", [])
        if FINALIZER not in finalizers:
            finalizers.append(FINALIZER)
        self.default(obj)

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        spec = copy.deepcopy(old.get("spec") or {})
        if ctx.subresource == "finalize":  # the only way spec.finalizers changes
            finalizers = (obj.get("spec") or {}).get("finalizers") or []
            spec.pop("finalizers", None)
            if finalizers:
                spec["finalizers"] = finalizers
        if spec:
            obj["spec"] = spec
        else:
            obj.pop("spec", None)
        obj["status"] = copy.deepcopy(_status(old))
        self.default(obj)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs: FieldErrors = []
        for fin in (obj.get("spec") or {}).get("finalizers") or []:
            errs += validate_finalizer_name(fin, "spec.finalizers")
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        if ctx.subresource != "finalize":
            return []
        path = FieldPath("spec").child("finalizers")
        errs: FieldErrors = []
        for i, fin in enumerate((obj.get("spec") or {}).get("finalizers") or []):
            errs += validate_finalizer_name(fin, path.index(i))
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        phase = _status(obj).get("phase", "")
        path = FieldPath("status").child("Phase")  # sic: Kubernetes capitalises it here
        if not (obj.get("metadata") or {}).get("deletionTimestamp"):
            if phase != "Active":
                return [invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty")]
        elif phase != "Terminating":
            return [invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")]
        return []

    # deletion: pending while spec.finalizers is not empty

    def deletion_pending(self, obj: Obj) -> bool:
        return bool((obj.get("spec") or {}).get("finalizers"))

    def prepare_for_delete(self, obj: Obj) -> None:
        obj.setdefault("status", {})["phase"] = "Terminating"

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [(obj.get("metadata") or {}).get("name", ""), _status(obj).get("phase", ""), age(obj, now)]
