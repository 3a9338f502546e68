"""IngressClass: a kind of Ingress and the controller that implements it."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported, required, too_long
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import (
    dns1123_label,
    dns1123_subdomain,
    is_domain_prefixed_path,
    path_segment_name,
    validate_immutable,
)
from pyk8s.kinds.networking import types

RESOURCE = ResourceInfo(
    group="networking.k8s.io",
    version="v1",
    kind="IngressClass",
    plural="ingressclasses",
    singular="ingressclass",
    namespaced=False,
)

MAX_CONTROLLER_LENGTH = 250
SCOPES = ["Cluster", "Namespace"]


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def validate_parameters(params: dict[str, Any] | None, path: FieldPath) -> FieldErrors:
    if params is None:
        return []
    errs: FieldErrors = []
    if "apiGroup" in params:
        group = params["apiGroup"]
        errs += [invalid(path.child("apiGroup"), group, m) for m in dns1123_subdomain(group)]
    for key in ("kind", "name"):
        value = params.get(key, "")
        if not value:
            errs.append(required(path.child(key)))
        else:
            errs += [invalid(path.child(key), value, m) for m in path_segment_name(value)]
    scope = params.get("scope")
    if scope is None:
        errs.append(required(path.child("scope")))
        return errs
    if scope not in SCOPES:
        errs.append(not_supported(path.child("scope"), scope, SCOPES))
    elif scope == "Namespace":
        namespace = params.get("namespace")
        if namespace is None:
            errs.append(required(path.child("namespace"), "`parameters.scope` is set to 'Namespace'"))
        else:
            errs += [invalid(path.child("namespace"), namespace, m) for m in dns1123_label(namespace)]
    elif "namespace" in params:
        errs.append(forbidden(path.child("namespace"), "`parameters.scope` is set to 'Cluster'"))
    return errs


class IngressClassStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.IngressClass
    has_status = False
    tracks_generation = True
    columns = (
        NAME,
        Column("Controller", description="The controller that implements the class."),
        Column("Parameters", description="The object holding the controller's settings."),
        AGE,
    )

    def default(self, obj: Obj) -> None:
        params = _spec(obj).get("parameters")
        if isinstance(params, dict):
            params.setdefault("scope", "Cluster")

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec, path = _spec(obj), FieldPath("spec")
        errs: FieldErrors = []
        controller = spec.get("controller", "")
        if not controller:
            errs.append(required(path.child("controller")))
        else:
            if len(controller) > MAX_CONTROLLER_LENGTH:
                errs.append(too_long(path.child("controller"), MAX_CONTROLLER_LENGTH))
            errs += is_domain_prefixed_path(path.child("controller"), controller)
        errs += validate_parameters(spec.get("parameters"), path.child("parameters"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = validate_immutable(
            _spec(obj).get("controller", ""), _spec(old).get("controller", ""), "spec.controller"
        )
        return errs + self.validate(ctx, obj)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _spec(obj)
        params = spec.get("parameters")
        if isinstance(params, dict):
            text = params.get("kind", "")
            if "apiGroup" in params:
                text += "." + params["apiGroup"]
            text += "/" + params.get("name", "")
        else:
            text = "<none>"
        return [obj["metadata"].get("name", ""), spec.get("controller", ""), text, age(obj, now)]
