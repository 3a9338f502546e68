"""PriorityClass: a named pod priority, and whether pods of it may preempt others."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, forbidden, not_supported, required
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import validate_immutable
from pyk8s.kinds.scheduling import types

RESOURCE = ResourceInfo(
    group="scheduling.k8s.io",
    version="v1",
    kind="PriorityClass",
    plural="priorityclasses",
    singular="priorityclass",
    namespaced=False,
    short_names=("pc",),
)

SYSTEM_PREFIX = "system-"
HIGHEST_USER_PRIORITY = 1_000_000_000
SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_PRIORITY
# The classes the API server creates itself; their values and globalDefault are fixed.
SYSTEM_CLASSES = {
    "system-node-critical": SYSTEM_CRITICAL_PRIORITY + 1000,
    "system-cluster-critical": SYSTEM_CRITICAL_PRIORITY,
}
PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"]


def known_system_class_error(name: str, value: int, global_default: bool) -> str:
    """Why `name` is not one of the system classes as defined, or "" if it is."""
    if name not in SYSTEM_CLASSES:
        return f"{name} is not a known system priority class"
    if SYSTEM_CLASSES[name] != value:
        return f"value of {name} PriorityClass must be {SYSTEM_CLASSES[name]}"
    if global_default:
        return f"globalDefault of {name} PriorityClass must be false"
    return ""


def validate_preemption_policy(policy: Any, path: str) -> FieldErrors:
    if policy in PREEMPTION_POLICIES:
        return []
    if policy == "":
        return [required(path)]
    return [not_supported(path, policy, PREEMPTION_POLICIES)]


class PriorityClassStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.PriorityClass
    has_status = False
    columns = (
        NAME,
        Column("Value", type="integer", description="The priority of pods of the class."),
        Column("Global-Default", type="boolean", description="Whether pods without a class get this one."),
        AGE,
        Column("PreemptionPolicy", description="Whether pods of the class may preempt lower ones."),
    )

    def default(self, obj: Obj) -> None:
        obj.setdefault("value", 0)  # not omitted when zero
        obj.setdefault("preemptionPolicy", "PreemptLowerPriority")

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs: FieldErrors = []
        name = obj.get("metadata", {}).get("name", "")
        value = obj.get("value", 0)
        if name.startswith(SYSTEM_PREFIX):
            problem = known_system_class_error(name, value, bool(obj.get("globalDefault")))
            if problem:
                errs.append(
                    forbidden(
                        "metadata.name",
                        f"priority class names with '{SYSTEM_PREFIX}' prefix are reserved for system use "
                        f"only. error: {problem}",
                    )
                )
        elif isinstance(value, int) and value > HIGHEST_USER_PRIORITY:
            errs.append(
                forbidden(
                    "value", f"maximum allowed value of a user defined priority is {HIGHEST_USER_PRIORITY}"
                )
            )
        if "preemptionPolicy" in obj:
            errs += validate_preemption_policy(obj["preemptionPolicy"], "preemptionPolicy")
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        # Kubernetes does not validate the rest again on update: name, value and policy are fixed.
        errs: FieldErrors = []
        if obj.get("value", 0) != old.get("value", 0):
            errs.append(forbidden("value", "may not be changed in an update."))
        errs += validate_immutable(
            obj.get("preemptionPolicy"), old.get("preemptionPolicy"), "preemptionPolicy"
        )
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [
            obj["metadata"].get("name", ""),
            obj.get("value", 0),
            bool(obj.get("globalDefault", False)),
            age(obj, now),
            obj.get("preemptionPolicy", ""),
        ]
