"""ComponentStatus: the health of the control plane's parts (deprecated in Kubernetes, still
printed by `kubectl get componentstatuses`). Nothing is stored: the API server builds the
objects when asked (`pyk8s/apiserver/components.py`)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.resource import NAME, Column, Obj, ResourceInfo, ResourceStrategy
from pyk8s.kinds.core import types

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="ComponentStatus",
    plural="componentstatuses",
    singular="componentstatus",
    namespaced=False,
    short_names=("cs",),
    verbs=("get", "list"),
)


def component_status(name: str, healthy: bool, message: str = "", error: str = "") -> Obj:
    """One component's object, with its single Healthy condition."""
    condition: dict[str, Any] = {"type": "Healthy", "status": "True" if healthy else "False"}
    if message:
        condition["message"] = message
    if error:
        condition["error"] = error
    return {
        "kind": "ComponentStatus",
        "apiVersion": "v1",
        "metadata": {"name": name},
        "conditions": [condition],
    }


class ComponentStatusStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.ComponentStatus
    has_status = False
    persisted = False
    deprecation = "v1 ComponentStatus is deprecated in v1.19+"
    cacheable_cells = False
    columns = (
        NAME,
        Column("Status", description="Healthy or Unhealthy."),
        Column("Message", description="What the component said when it was checked."),
        Column("Error", description="Why the check failed."),
    )

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        status, message, error = "Unknown", "", ""
        for condition in obj.get("conditions") or []:
            if condition.get("type") == "Healthy":
                status = "Healthy" if condition.get("status") == "True" else "Unhealthy"
                message, error = condition.get("message", ""), condition.get("error", "")
        return [obj["metadata"].get("name", ""), status, message, error]
