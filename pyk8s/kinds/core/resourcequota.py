"""ResourceQuota: limits on what a namespace may hold. The API server's admission charges
usage to `status.used`; the quota controller recomputes it."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid, required
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
from pyk8s.api.validation import IMMUTABLE
from pyk8s.kinds.core import types
from pyk8s.kinds.core.validation import (
    STANDARD_QUOTA_RESOURCES,
    quantity_string,
    validate_quantity_value,
    validate_quota_resource_name,
)

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="ResourceQuota",
    plural="resourcequotas",
    singular="resourcequota",
    short_names=("quota",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)
SCOPES = {
    "Terminating",
    "NotTerminating",
    "BestEffort",
    "NotBestEffort",
    "PriorityClass",
    "CrossNamespacePodAffinity",
    "VolumeAttributesClass",
}
POD_COMPUTE = {"cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory"}
# Which standard resources a scope may limit.
SCOPE_RESOURCES = {
    "Terminating": {"pods"} | POD_COMPUTE,
    "NotTerminating": {"pods"} | POD_COMPUTE,
    "BestEffort": {"pods"},
    "NotBestEffort": {"pods"} | POD_COMPUTE,
    "PriorityClass": {"pods"} | POD_COMPUTE,
    "CrossNamespacePodAffinity": {"pods"} | POD_COMPUTE,
    "VolumeAttributesClass": {"persistentvolumeclaims", "requests.storage"},
}
NO_VALUE_SCOPES = (
    "BestEffort",
    "NotBestEffort",
    "Terminating",
    "NotTerminating",
    "CrossNamespacePodAffinity",
)
CONFLICTING = ({"BestEffort", "NotBestEffort"}, {"Terminating", "NotTerminating"})


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _status(obj: Obj) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def _scope_applies(scope: str, resource: str) -> bool:
    return resource not in STANDARD_QUOTA_RESOURCES or resource in SCOPE_RESOURCES.get(scope, set())


def validate_resource_list(values: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    for name, value in values.items():
        rpath = path.key(name)
        errs += validate_quota_resource_name(name, rpath)
        errs += validate_quantity_value(name, value, rpath)
    return errs


def validate_quota_spec(spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    hard = spec.get("hard") or {}
    errs = validate_resource_list(hard, path.child("hard"))
    scopes = spec.get("scopes") or []
    spath = path.child("scopes")
    for scope in scopes:
        if scope not in SCOPES:
            errs.append(invalid(spath, scopes, "unsupported scope"))
        errs += [
            invalid(spath, scopes, "unsupported scope applied to resource")
            for resource in sorted(hard)
            if not _scope_applies(scope, resource)
        ]
    errs += [invalid(spath, scopes, "conflicting scopes") for pair in CONFLICTING if pair <= set(scopes)]
    selector = spec.get("scopeSelector")
    if isinstance(selector, dict):
        mpath = path.child("scopeSelector").child("matchExpressions")
        named: set[str] = set()
        for req in selector.get("matchExpressions") or []:
            scope, op, values = req.get("scopeName", ""), req.get("operator", ""), req.get("values") or []
            if scope not in SCOPES:
                errs.append(invalid(mpath.child("scopeName"), scope, "unsupported scope"))
            errs += [
                invalid(mpath, selector, "unsupported scope applied to resource")
                for resource in sorted(hard)
                if not _scope_applies(scope, resource)
            ]
            if scope in NO_VALUE_SCOPES and op != "Exists":
                errs.append(
                    invalid(
                        mpath.child("operator"),
                        op,
                        "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, "
                        "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
                        "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
                    )
                )
            if op in ("In", "NotIn"):
                if not values:
                    errs.append(
                        required(
                            mpath.child("values"),
                            "must be at least one value when `operator` is 'In' or 'NotIn' for scope "
                            "selector",
                        )
                    )
            elif op in ("Exists", "DoesNotExist"):
                if values:
                    errs.append(
                        invalid(
                            mpath.child("values"),
                            values,
                            "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope "
                            "selector",
                        )
                    )
            else:
                errs.append(invalid(mpath.child("operator"), op, "not a valid selector operator"))
            named.add(scope)
        errs += [invalid(mpath, scopes, "conflicting scopes") for pair in CONFLICTING if pair <= named]
    return errs


class ResourceQuotaStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.ResourceQuota
    columns = (
        NAME,
        AGE,  # second, as Kubernetes' printer has it
        Column("Request", description="Used and hard amounts of what the quota limits, but limits."),
        Column("Limit", description="Used and hard amounts of the limits.* resources the quota limits."),
    )

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_quota_spec(_spec(obj), FieldPath("spec"))
        status = _status(obj)
        errs += validate_resource_list(status.get("hard") or {}, FieldPath("status", "hard"))
        errs += validate_resource_list(status.get("used") or {}, FieldPath("status", "used"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = validate_quota_spec(_spec(obj), FieldPath("spec"))
        scopes = _spec(obj).get("scopes") or []
        if set(scopes) != set(_spec(old).get("scopes") or []):
            errs.append(invalid(FieldPath("spec", "scopes"), scopes, IMMUTABLE))
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status = _status(obj)
        errs = validate_resource_list(status.get("hard") or {}, FieldPath("status", "hard"))
        return errs + validate_resource_list(status.get("used") or {}, FieldPath("status", "used"))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        status = _status(obj)
        hard, used = status.get("hard") or {}, status.get("used") or {}
        requests, limits = [], []
        for name in sorted(hard):
            text = f"{name}: {quantity_string(used.get(name, '0'))}/{quantity_string(hard[name])}"
            parts = name.split(".")
            (limits if len(parts) > 1 and parts[0] == "limits" else requests).append(text)
        return [
            (obj.get("metadata") or {}).get("name", ""),
            age(obj, now),
            ", ".join(requests),
            ", ".join(limits),
        ]
