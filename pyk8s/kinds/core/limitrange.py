"""LimitRange: per-object resource defaults and bounds in a namespace (applied by the
API server's LimitRanger admission)."""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, forbidden, invalid, required
from pyk8s.api.resource import Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.validation import qualified_name
from pyk8s.kinds.core import types
from pyk8s.kinds.core.validation import (
    compare_quantities,
    overcommit_allowed,
    quantity_string,
    quantity_value,
    validate_container_resource_name,
    validate_resource_name,
)

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="LimitRange",
    plural="limitranges",
    singular="limitrange",
    short_names=("limits",),
)
TYPES = {"Pod", "Container", "PersistentVolumeClaim"}


def default_limit_range(obj: Obj) -> None:
    """SetDefaults_LimitRangeItem: container defaults from max, requests from defaults or min."""
    for item in (obj.get("spec") or {}).get("limits") or []:
        if not isinstance(item, dict) or item.get("type") != "Container":
            continue
        default = item.setdefault("default", {})
        request = item.setdefault("defaultRequest", {})
        for name, value in (item.get("max") or {}).items():
            default.setdefault(name, copy.deepcopy(value))
        for name, value in default.items():
            request.setdefault(name, copy.deepcopy(value))
        for name, value in (item.get("min") or {}).items():
            request.setdefault(name, copy.deepcopy(value))
        if not default:
            item.pop("default")
        if not request:
            item.pop("defaultRequest")


def _validate_type(value: str, path: FieldPath) -> FieldErrors:
    errs = [invalid(path, value, msg) for msg in qualified_name(value)]
    if errs:
        return errs
    if "/" not in value and value not in TYPES:
        return [invalid(path, value, "must be a standard limit type or fully qualified")]
    return []


def _validate_name(kind: str, name: str, path: FieldPath) -> FieldErrors:
    if kind in ("Pod", "Container"):
        return validate_container_resource_name(name, path)
    return validate_resource_name(name, path)


class LimitRangeStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.LimitRange
    has_status = False
    # No printer in Kubernetes: kubectl shows the default table (name, creation time).
    columns = (
        Column("Name", format="name", description="The name of the limit range."),
        Column("Created At", type="date", description="When the limit range was created."),
    )

    def default(self, obj: Obj) -> None:
        default_limit_range(obj)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_limits((obj.get("spec") or {}).get("limits") or [], FieldPath("spec", "limits"))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        meta = obj.get("metadata") or {}
        return [meta.get("name", ""), meta.get("creationTimestamp", "")]


def validate_limits(items: list[Any], path: FieldPath) -> FieldErrors:
    """ValidateLimitRange's checks of spec.limits."""
    errs: FieldErrors = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        ipath = path.index(i)
        kind = item.get("type", "")
        errs += _validate_type(kind, ipath.child("type"))
        if kind in seen:
            errs.append(duplicate(ipath.child("type"), kind))
        seen.add(kind)
        groups: dict[str, dict[str, Any]] = {}
        for group in ("max", "min"):
            for name, value in (item.get(group) or {}).items():
                errs += _validate_name(kind, name, ipath.child(group).key(name))
                groups.setdefault(group, {})[name] = value
        if kind == "Pod":
            for group in ("default", "defaultRequest"):
                if item.get(group):
                    errs.append(forbidden(ipath.child(group), "may not be specified when `type` is 'Pod'"))
        else:
            for group in ("default", "defaultRequest"):
                for name, value in (item.get(group) or {}).items():
                    errs += _validate_name(kind, name, ipath.child(group).key(name))
                    groups.setdefault(group, {})[name] = value
        if (
            kind == "PersistentVolumeClaim"
            and "storage" not in (item.get("min") or {})
            and "storage" not in (item.get("max") or {})
        ):
            errs.append(
                required(
                    ipath.child("limits"),
                    "either minimum or maximum storage value is required, but neither was provided",
                )
            )
        for name, value in (item.get("maxLimitRequestRatio") or {}).items():
            errs += _validate_name(kind, name, ipath.child("maxLimitRequestRatio").key(name))
            groups.setdefault("ratio", {})[name] = value
        errs += _check_bounds(groups, ipath)
    return errs


def _check_bounds(groups: dict[str, dict[str, Any]], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    names: set[str] = set()
    for values in groups.values():
        names |= set(values)
    low, high = groups.get("min", {}), groups.get("max", {})
    default, request, ratio = (
        groups.get("default", {}),
        groups.get("defaultRequest", {}),
        groups.get("ratio", {}),
    )
    # (smaller, larger, field reported, which value it shows, message): LimitRange's orderings
    orderings = (
        (low, high, "min", low, "min value {a} is greater than max value {b}"),
        (low, request, "defaultRequest", request, "min value {a} is greater than default request value {b}"),
        (request, high, "defaultRequest", request, "default request value {a} is greater than max value {b}"),
        (
            request,
            default,
            "defaultRequest",
            request,
            "default request value {a} is greater than default limit value {b}",
        ),
        (low, default, "default", low, "min value {a} is greater than default value {b}"),
        (default, high, "default", high, "default value {a} is greater than max value {b}"),
    )
    for name in sorted(names):
        q = quantity_string
        for first, second, field_name, shown, message in orderings:
            if name in first and name in second and compare_quantities(first[name], second[name]) > 0:
                errs.append(
                    invalid(
                        path.child(field_name).key(name),
                        q(shown[name]),
                        message.format(a=q(first[name]), b=q(second[name])),
                    )
                )
        if name in ratio and compare_quantities(ratio[name], 1) < 0:
            errs.append(
                invalid(
                    path.child("maxLimitRequestRatio").key(name),
                    q(ratio[name]),
                    f"ratio {q(ratio[name])} is less than 1",
                )
            )
        if name in ratio and name in low and name in high:
            lo, hi, r = quantity_value(low[name]), quantity_value(high[name]), quantity_value(ratio[name])
            if lo and hi is not None and r is not None and r > hi / lo:
                errs.append(
                    invalid(
                        path.child("maxLimitRequestRatio").key(name),
                        q(ratio[name]),
                        f"ratio {q(ratio[name])} is greater than max/min = {float(hi / lo):f}",
                    )
                )
        if (
            not overcommit_allowed(name)
            and name in default
            and name in request
            and compare_quantities(default[name], request[name]) != 0
        ):
            errs.append(
                invalid(
                    path.child("defaultRequest").key(name),
                    q(request[name]),
                    f"default value {q(default[name])} must equal to defaultRequest value "
                    f"{q(request[name])} in {name}",
                )
            )
    return errs
