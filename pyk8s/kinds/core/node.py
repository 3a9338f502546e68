"""Node: a machine that runs pods."""

from __future__ import annotations

from typing import Any

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
    kind="Node",
    plural="nodes",
    singular="node",
    namespaced=False,
    short_names=("no",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)
ROLE_PREFIX = "node-role.kubernetes.io/"


class NodeStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Node
    field_selectors = {
        "spec.unschedulable": lambda o: "true" if (o.get("spec") or {}).get("unschedulable") else "false"
    }
    columns = (
        NAME,
        Column("Status", description="Whether the node is ready (and schedulable)."),
        Column("Roles", description="Roles from node-role.kubernetes.io labels."),
        AGE,
        Column("Version", description="The node agent's version."),
        Column("Internal-IP", priority=1, description="The node's internal address."),
        Column("External-IP", priority=1, description="The node's external address."),
        Column("OS-Image", priority=1, description="The operating system."),
        Column("Kernel-Version", priority=1, description="The kernel."),
        Column("Container-Runtime", priority=1, description="The container runtime."),
    )

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        # Nodes register with their status: keep what the agent sends.
        status = obj.get("status")
        super().prepare_for_create(ctx, obj)
        if status is not None:
            obj["status"] = status
        obj.setdefault("spec", {})

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        status = obj.get("status") or {}
        ready = next((c for c in status.get("conditions") or [] if c.get("type") == "Ready"), None)
        state = "Unknown" if ready is None else ("Ready" if ready.get("status") == "True" else "NotReady")
        if (obj.get("spec") or {}).get("unschedulable"):
            state += ",SchedulingDisabled"
        labels = obj["metadata"].get("labels") or {}
        roles = sorted(
            k[len(ROLE_PREFIX) :] for k in labels if k.startswith(ROLE_PREFIX) and k != ROLE_PREFIX
        )
        roles += ["<none>"] if not roles else []
        addresses = status.get("addresses") or []
        internal = next((a.get("address") for a in addresses if a.get("type") == "InternalIP"), "<none>")
        external = next((a.get("address") for a in addresses if a.get("type") == "ExternalIP"), "<none>")
        info = status.get("nodeInfo") or {}
        return [
            obj["metadata"].get("name", ""),
            state,
            ",".join(roles),
            age(obj, now),
            info.get("kubeletVersion", ""),
            internal,
            external,
            info.get("osImage") or "<unknown>",
            info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>",
        ]
