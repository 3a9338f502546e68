"""APIService: where a group-version of the API is served (locally or by an extension
API server behind a Service). Its name is `<version>.<group>`."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, invalid, not_supported, required
from pyk8s.api.meta import rfc3339
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
from pyk8s.api.validation import dns1035_label, dns1123_subdomain, path_segment_name, port_number
from pyk8s.kinds.apiregistration import types

RESOURCE = ResourceInfo(
    group="apiregistration.k8s.io",
    version="v1",
    kind="APIService",
    plural="apiservices",
    singular="apiservice",
    namespaced=False,
    categories=("api-extensions",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

CONDITION_STATUSES = ["True", "False", "Unknown"]


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def local_available(now: float) -> dict[str, Any]:
    """The condition local APIServices get at creation: always available."""
    return {
        "type": "Available",
        "status": "True",
        "lastTransitionTime": rfc3339(now),
        "reason": "Local",
        "message": "Local APIServices are always available",
    }


def validate_apiservice(obj: Obj) -> FieldErrors:
    spec = _spec(obj)
    group, version = spec.get("group", ""), spec.get("version", "")
    errs: FieldErrors = []
    name = obj.get("metadata", {}).get("name", "")
    wanted = f"{version}.{group}"
    if name and not path_segment_name(name) and name != wanted:
        errs.append(invalid("metadata.name", name, f'must be `spec.version+"."+spec.group`: "{wanted}"'))
    if not group and version != "v1":
        errs.append(required("spec.group", "only v1 may have an empty group and it better be legacy kube"))
    if group:
        errs += [invalid("spec.group", group, m) for m in dns1123_subdomain(group)]
    errs += [invalid("spec.version", version, m) for m in dns1035_label(version)]
    minimum = spec.get("groupPriorityMinimum", 0)
    if not 0 < minimum <= 20000:
        errs.append(invalid("spec.groupPriorityMinimum", minimum, "must be positive and less than 20000"))
    priority = spec.get("versionPriority", 0)
    if not 0 < priority <= 1000:
        errs.append(invalid("spec.versionPriority", priority, "must be positive and less than 1000"))
    service = spec.get("service")
    ca_bundle, insecure = spec.get("caBundle", ""), bool(spec.get("insecureSkipTLSVerify"))
    if service is None:
        if ca_bundle:
            errs.append(
                invalid(
                    "spec.caBundle",
                    f"{_byte_length(ca_bundle)} bytes",
                    "local APIServices may not have a caBundle",
                )
            )
        if insecure:
            errs.append(
                invalid(
                    "spec.insecureSkipTLSVerify", True, "local APIServices may not have insecureSkipTLSVerify"
                )
            )
        return errs
    if not service.get("namespace"):
        errs.append(required("spec.service.namespace"))
    if not service.get("name"):
        errs.append(required("spec.service.name"))
    port = service.get("port", 443)
    problems = port_number(port)
    if problems:
        errs.append(invalid("spec.service.port", port, "port is not valid: " + ", ".join(problems)))
    if insecure and ca_bundle:
        errs.append(invalid("spec.insecureSkipTLSVerify", True, "may not be true if caBundle is present"))
    return errs


def _byte_length(b64: str) -> int:
    return len(b64) * 3 // 4 - b64.count("=", len(b64) - 2)


class APIServiceStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.APIService
    allow_unconditional_update = False
    columns = (
        NAME,
        Column("Service", description="The Service that serves the API, or Local."),
        Column("Available", description="Whether the API is available."),
        AGE,
    )

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return path_segment_name(name)

    def default(self, obj: Obj) -> None:
        service = _spec(obj).get("service")
        if isinstance(service, dict):
            service.setdefault("port", 443)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        if _spec(obj).get("service") is None:
            obj["status"] = {"conditions": [local_available(ctx.now)]}
        else:
            obj["status"] = {}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_apiservice(obj)

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs: FieldErrors = []
        for i, condition in enumerate((obj.get("status") or {}).get("conditions") or []):
            status = condition.get("status", "")
            if status not in CONDITION_STATUSES:
                errs.append(not_supported(f"status.conditions[{i}].status", status, CONDITION_STATUSES))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        service = _spec(obj).get("service")
        where = (
            f"{service.get('namespace', '')}/{service.get('name', '')}"
            if isinstance(service, dict)
            else "Local"
        )
        available = "Unknown"
        for condition in (obj.get("status") or {}).get("conditions") or []:
            if condition.get("type") == "Available":
                status = condition.get("status", "")
                reason = condition.get("reason", "")
                available = f"{status} ({reason})" if status != "True" and reason else status
                break
        return [obj["metadata"].get("name", ""), where, available, age(obj, now)]
