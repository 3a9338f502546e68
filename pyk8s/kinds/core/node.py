"""Node: a machine that runs pods. Nodes register with their status, which the strategy
keeps on create; afterwards status only changes through /status."""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.api.fields import (
    ErrorType,
    FieldError,
    FieldErrors,
    FieldPath,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
)
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
from pyk8s.api.validation import ip_family, label_value, validate_cidr, validate_qualified_name
from pyk8s.kinds.core import types
from pyk8s.kinds.core.podspec import TAINT_EFFECTS
from pyk8s.kinds.core.validation import validate_quantity_value

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="Node",
    plural="nodes",
    singular="node",
    namespaced=False,
    short_names=("no",),
    subresources=(
        Subresource("proxy", ("create", "delete", "get", "patch", "update"), kind="NodeProxyOptions"),
        Subresource("status", ("get", "patch", "update")),
    ),
)
ROLE_PREFIX = "node-role.kubernetes.io/"
ROLE_LABEL = "kubernetes.io/role"


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _status(obj: Obj) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def default_node(obj: Obj) -> None:
    """The v1 conversions and SetDefaults_NodeStatus."""
    spec = obj.get("spec")
    if isinstance(spec, dict):
        if not spec.get("podCIDRs") and spec.get("podCIDR"):
            spec["podCIDRs"] = [spec["podCIDR"]]
        elif spec.get("podCIDRs"):
            spec["podCIDR"] = spec["podCIDRs"][0]
    status = obj.get("status")
    if isinstance(status, dict) and status.get("allocatable") is None and status.get("capacity") is not None:
        status["allocatable"] = copy.deepcopy(status["capacity"])


class NodeStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.Node
    field_selectors = {
        "spec.unschedulable": lambda o: "true" if _spec(o).get("unschedulable") else "false",
    }
    columns = (
        NAME,
        Column("Status", description="Whether the node is ready (and schedulable)."),
        Column("Roles", description="The node's roles, from its labels."),
        AGE,
        Column("Version", description="The version of the node agent."),
        Column("Internal-IP", priority=1, description="The node's first internal address."),
        Column("External-IP", priority=1, description="The node's first external address."),
        Column("OS-Image", priority=1, description="The operating system the node reports."),
        Column("Kernel-Version", priority=1, description="The kernel the node reports."),
        Column("Container-Runtime", priority=1, description="The container runtime and its version."),
    )

    def default(self, obj: Obj) -> None:
        default_node(obj)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        # Nodes register with their status: keep what the agent sends.
        obj.setdefault("spec", {})
        spec, status = obj["spec"], obj.get("status")
        spec.pop("configSource", None)
        if isinstance(status, dict):
            status.pop("config", None)

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_update(ctx, obj, old)
        if "configSource" not in _spec(old):
            obj.setdefault("spec", {}).pop("configSource", None)

    def prepare_for_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_status_update(ctx, obj, old)
        default_node(obj)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec = _spec(obj)
        # Kubernetes reports taints under metadata (sic).
        errs = validate_taints(spec.get("taints") or [], FieldPath("metadata").child("taints"))
        errs += validate_node_resources(obj)
        errs += _validate_pod_cidrs(spec.get("podCIDRs") or [])
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        spec, old_spec = _spec(obj), _spec(old)
        errs = validate_node_resources(obj)
        seen: list[Any] = []
        for i, address in enumerate(_status(obj).get("addresses") or []):
            if address in seen:
                errs.append(duplicate(FieldPath("status").child("addresses").index(i), address))
            seen.append(address)
        old_cidrs, cidrs = old_spec.get("podCIDRs") or [], spec.get("podCIDRs") or []
        if old_cidrs and old_cidrs != cidrs:
            errs.append(
                forbidden(
                    FieldPath("spec").child("podCIDRs"),
                    'node updates may not change podCIDR except from "" to valid',
                )
            )
        if old_spec.get("providerID") and old_spec.get("providerID") != spec.get("providerID"):
            errs.append(
                forbidden(
                    FieldPath("spec").child("providerID"),
                    'node updates may not change providerID except from "" to valid',
                )
            )
        errs += validate_taints(spec.get("taints") or [], FieldPath("metadata").child("taints"))
        if spec.get("externalID", "") != old_spec.get("externalID", ""):
            errs.append(forbidden(FieldPath("spec").child("externalID"), "may not be updated"))
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return self.validate_update(ctx, obj, old)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        status = _status(obj)
        ready = next((c for c in status.get("conditions") or [] if c.get("type") == "Ready"), None)
        states = [] if ready is None else ["Ready" if ready.get("status") == "True" else "NotReady"]
        states = states or ["Unknown"]
        if _spec(obj).get("unschedulable"):
            states.append("SchedulingDisabled")
        addresses = status.get("addresses") or []
        info = status.get("nodeInfo") or {}
        return [
            (obj.get("metadata") or {}).get("name", ""),
            ",".join(states),
            ",".join(node_roles(obj)) or "<none>",
            age(obj, now),
            info.get("kubeletVersion", ""),
            next((a.get("address") for a in addresses if a.get("type") == "InternalIP"), "<none>"),
            next((a.get("address") for a in addresses if a.get("type") == "ExternalIP"), "<none>"),
            info.get("osImage") or "<unknown>",
            info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>",
        ]


def node_roles(obj: Obj) -> list[str]:
    """Roles from node-role.kubernetes.io/<role> and kubernetes.io/role=<role> labels."""
    roles = set()
    for key, value in ((obj.get("metadata") or {}).get("labels") or {}).items():
        if key.startswith(ROLE_PREFIX) and key[len(ROLE_PREFIX) :]:
            roles.add(key[len(ROLE_PREFIX) :])
        elif key == ROLE_LABEL and value:
            roles.add(value)
    return sorted(roles)


def validate_taints(taints: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    seen: set[tuple[Any, Any]] = set()
    for i, taint in enumerate(taints):
        taint = taint if isinstance(taint, dict) else {}
        tpath = path.index(i)
        errs += validate_qualified_name(taint.get("key", ""), tpath.child("key"))
        msgs = label_value(str(taint.get("value", "")))
        if msgs:
            errs.append(invalid(tpath.child("value"), taint.get("value", ""), ";".join(msgs)))
        effect = taint.get("effect", "")
        if not effect:
            errs.append(required(tpath.child("effect")))
        elif effect not in TAINT_EFFECTS:
            errs.append(not_supported(tpath.child("effect"), effect, TAINT_EFFECTS))
        key = (effect, taint.get("key", ""))
        if key in seen:
            errs.append(
                FieldError(
                    ErrorType.DUPLICATE, str(tpath), taint, "taints must be unique by key and effect pair"
                )
            )
            continue
        seen.add(key)
    return errs


def validate_node_resources(obj: Obj) -> FieldErrors:
    errs: FieldErrors = []
    status = _status(obj)
    for field in ("capacity", "allocatable"):
        for name, value in (status.get(field) or {}).items():
            errs += validate_quantity_value(name, value, FieldPath("status", field, name))
    return errs


def _validate_pod_cidrs(cidrs: list[Any]) -> FieldErrors:
    path = FieldPath("spec").child("podCIDRs")
    errs: FieldErrors = []
    for i, cidr in enumerate(cidrs):
        errs += validate_cidr(cidr, path.index(i))
    if len(cidrs) > 1 and not errs:
        families = {ip_family(str(c).split("/")[0]) for c in cidrs}
        if len(families) != len(cidrs) or len(cidrs) > 2:
            errs.append(invalid(path, cidrs, "may specify no more than one CIDR for each IP family"))
        seen: set[str] = set()
        for i, cidr in enumerate(cidrs):
            if cidr in seen:
                errs.append(duplicate(path.index(i), cidr))
            seen.add(cidr)
    return errs
