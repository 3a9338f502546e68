"""RuntimeClass: a container runtime configuration pods can ask for by name."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, invalid, not_supported
from pyk8s.api.quantity import QuantityError, parse_quantity
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import (
    dns1123_label,
    label_value,
    qualified_name,
    validate_immutable,
    validate_labels,
)
from pyk8s.kinds.node import types

RESOURCE = ResourceInfo(
    group="node.k8s.io",
    version="v1",
    kind="RuntimeClass",
    plural="runtimeclasses",
    singular="runtimeclass",
    namespaced=False,
)

TAINT_EFFECTS = ["NoExecute", "NoSchedule", "PreferNoSchedule"]
TOLERATION_OPERATORS = ["Equal", "Exists"]
_EMPTY_KEY = 'operator must be Exists when `key` is empty, which means "match all values and all keys"'


def validate_overhead(pod_fixed: dict[str, Any], path: FieldPath) -> FieldErrors:
    """podFixed is checked as a container's resource limits are, hence the `limits` path."""
    errs: FieldErrors = []
    limits = path.child("limits")
    for name, value in pod_fixed.items():
        errs += [invalid(limits.key(name), name, m) for m in qualified_name(name)]
        try:
            quantity = parse_quantity(value)
        except QuantityError:
            errs.append(invalid(limits.key(name), value, "must be a valid quantity"))
            continue
        if quantity.sign() < 0:
            errs.append(invalid(limits.key(name), str(value), "must be greater than or equal to 0"))
    return errs


def validate_tolerations(tolerations: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    seen: list[tuple[Any, ...]] = []
    for i, toleration in enumerate(tolerations):
        tpath = path.index(i)
        key, operator = toleration.get("key", ""), toleration.get("operator", "")
        value, effect = toleration.get("value", ""), toleration.get("effect", "")
        if key:
            errs += [invalid(tpath.child("key"), key, m) for m in qualified_name(key)]
        if not key and operator != "Exists":
            errs.append(invalid(tpath.child("operator"), operator, _EMPTY_KEY))
        if "tolerationSeconds" in toleration and effect != "NoExecute":
            errs.append(
                invalid(
                    tpath.child("effect"),
                    effect,
                    "effect must be 'NoExecute' when `tolerationSeconds` is set",
                )
            )
        if operator in ("Equal", ""):
            problems = label_value(value)
            if problems:
                errs.append(invalid(tpath.child("operator"), value, ";".join(problems)))
        elif operator == "Exists":
            if value:
                errs.append(
                    invalid(
                        tpath.child("operator"), toleration, "value must be empty when `operator` is 'Exists'"
                    )
                )
        else:
            errs.append(not_supported(tpath.child("operator"), operator, TOLERATION_OPERATORS))
        if effect and effect not in TAINT_EFFECTS:
            errs.append(not_supported(tpath.child("effect"), effect, TAINT_EFFECTS))
        list_key = (key, operator, value, effect)
        if list_key in seen:
            errs.append(duplicate(tpath, toleration))
        seen.append(list_key)
    return errs


class RuntimeClassStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.RuntimeClass
    has_status = False
    columns = (NAME, Column("Handler", description="The runtime handler that runs the pods."), AGE)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        handler = obj.get("handler", "")
        errs = [invalid("handler", handler, m) for m in dns1123_label(handler)]
        overhead = obj.get("overhead")
        if isinstance(overhead, dict):
            errs += validate_overhead(overhead.get("podFixed") or {}, FieldPath("overhead"))
        scheduling = obj.get("scheduling")
        if isinstance(scheduling, dict):
            path = FieldPath("scheduling")
            errs += validate_labels(scheduling.get("nodeSelector") or {}, path.child("nodeSelector"))
            errs += validate_tolerations(scheduling.get("tolerations") or [], path.child("tolerations"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return self.validate(ctx, obj) + validate_immutable(
            obj.get("handler", ""), old.get("handler", ""), "handler"
        )

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [obj["metadata"].get("name", ""), obj.get("handler", ""), age(obj, now)]
