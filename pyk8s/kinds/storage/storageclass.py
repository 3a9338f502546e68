"""StorageClass: a way of provisioning volumes (a provisioner and its parameters)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import (
    FieldErrors,
    FieldPath,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
    too_long,
)
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import qualified_name, validate_immutable
from pyk8s.kinds.storage import types

RESOURCE = ResourceInfo(
    group="storage.k8s.io",
    version="v1",
    kind="StorageClass",
    plural="storageclasses",
    singular="storageclass",
    namespaced=False,
    short_names=("sc",),
)

DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"
RECLAIM_POLICIES = ["Delete", "Retain"]
BINDING_MODES = ["Immediate", "WaitForFirstConsumer"]
MAX_PARAMETERS = 512
MAX_PARAMETERS_SIZE = 256 * 1024


def is_default_class(obj: Obj) -> bool:
    """Whether the annotation (or its beta form) marks this the cluster's default class."""
    annotations = obj.get("metadata", {}).get("annotations") or {}
    return (
        annotations.get(DEFAULT_CLASS_ANNOTATION) == "true"
        or annotations.get(BETA_DEFAULT_CLASS_ANNOTATION) == "true"
    )


def validate_provisioner(provisioner: str, path: FieldPath | str) -> FieldErrors:
    if not provisioner:
        return [required(path)]
    lowered = provisioner.lower()
    return [invalid(path, lowered, msg) for msg in qualified_name(lowered)]


def validate_parameters(params: dict[str, Any], path: FieldPath | str) -> FieldErrors:
    if len(params) > MAX_PARAMETERS:
        return [too_long(path, MAX_PARAMETERS)]
    errs: FieldErrors = []
    size = 0
    for key, value in params.items():
        if not key:
            errs.append(invalid(path, key, "field can not be empty."))
        size += len(key) + len(str(value))
    if size > MAX_PARAMETERS_SIZE:
        errs.append(too_long(path, MAX_PARAMETERS_SIZE))
    return errs


def validate_topologies(terms: list[Any], path: FieldPath) -> FieldErrors:
    """allowedTopologies: each term's keys once, values present and unique, no repeated term."""
    errs: FieldErrors = []
    seen_terms: list[dict[str, set[str]]] = []
    for i, term in enumerate(terms):
        tpath = path.index(i)
        expressions: dict[str, set[str]] = {}
        for j, expr in enumerate(term.get("matchLabelExpressions") or []):
            epath = tpath.child("matchLabelExpressions").index(j)
            values = expr.get("values") or []
            if not values:
                errs.append(required(epath.child("values")))
            found: set[str] = set()
            for k, value in enumerate(values):
                if value in found:
                    errs.append(duplicate(epath.child("values").index(k), value))
                found.add(value)
            key = expr.get("key", "")
            errs += [invalid(epath.child("key"), key, m) for m in qualified_name(key)]
            if key in expressions:
                errs.append(duplicate(epath.child("key"), key))
            expressions[key] = found
        if expressions in seen_terms:
            errs.append(duplicate(tpath.child("matchLabelExpressions"), ""))
        seen_terms.append(expressions)
    return errs


class StorageClassStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.StorageClass
    has_status = False
    columns = (
        NAME,
        Column("Provisioner", description="The volume plugin that provisions volumes of the class."),
        Column("ReclaimPolicy", description="What happens to a provisioned volume once released."),
        Column("VolumeBindingMode", description="When volumes are bound and provisioned."),
        Column("AllowVolumeExpansion", description="Whether volumes of the class can grow."),
        AGE,
    )

    def default(self, obj: Obj) -> None:
        obj.setdefault("reclaimPolicy", "Delete")
        obj.setdefault("volumeBindingMode", "Immediate")

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_provisioner(obj.get("provisioner", ""), "provisioner")
        errs += validate_parameters(obj.get("parameters") or {}, "parameters")
        policy = obj.get("reclaimPolicy", "")
        if policy and policy not in RECLAIM_POLICIES:
            errs.append(not_supported("reclaimPolicy", policy, RECLAIM_POLICIES))
        mode = obj.get("volumeBindingMode")
        if mode is None:
            errs.append(required("volumeBindingMode"))
        elif mode not in BINDING_MODES:
            errs.append(not_supported("volumeBindingMode", mode, BINDING_MODES))
        errs += validate_topologies(obj.get("allowedTopologies") or [], FieldPath("allowedTopologies"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        if (obj.get("parameters") or {}) != (old.get("parameters") or {}):
            errs.append(forbidden("parameters", "updates to parameters are forbidden."))
        if obj.get("provisioner", "") != old.get("provisioner", ""):
            errs.append(forbidden("provisioner", "updates to provisioner are forbidden."))
        if obj.get("reclaimPolicy") != old.get("reclaimPolicy"):
            errs.append(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."))
        errs += validate_immutable(
            obj.get("volumeBindingMode"), old.get("volumeBindingMode"), "volumeBindingMode"
        )
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        name = obj["metadata"].get("name", "")
        if is_default_class(obj):
            name += " (default)"
        return [
            name,
            obj.get("provisioner", ""),
            obj.get("reclaimPolicy") or "Delete",
            obj.get("volumeBindingMode") or "Immediate",
            bool(obj.get("allowVolumeExpansion", False)),
            age(obj, now),
        ]
