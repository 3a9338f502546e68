"""PodDisruptionBudget: how many of a set of pods voluntary disruptions (evictions) may take
down at once."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid, not_supported
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
from pyk8s.api.validation import validate_label_selector, validate_nonnegative
from pyk8s.kinds.apps.workload import (
    int_or_string_text,
    not_more_than_100_percent,
    section,
    validate_int_or_percent,
)
from pyk8s.kinds.policy import types

RESOURCE = ResourceInfo(
    group="policy",
    version="v1",
    kind="PodDisruptionBudget",
    plural="poddisruptionbudgets",
    singular="poddisruptionbudget",
    short_names=("pdb",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"]


class PodDisruptionBudgetStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.PodDisruptionBudget
    tracks_generation = True
    columns = (
        NAME,
        Column("Min Available", description="Pods that must stay available."),
        Column("Max Unavailable", description="Pods that may be unavailable."),
        Column("Allowed Disruptions", type="integer", description="Evictions allowed right now."),
        AGE,
    )

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec, path = section(obj, "spec"), FieldPath("spec")
        errs: FieldErrors = []
        minimum, maximum = spec.get("minAvailable"), spec.get("maxUnavailable")
        if minimum is not None and maximum is not None:
            errs.append(invalid(path, spec, "minAvailable and maxUnavailable cannot be both set"))
        for name, value in (("minAvailable", minimum), ("maxUnavailable", maximum)):
            if value is not None:
                errs += validate_int_or_percent(value, path.child(name))
                errs += not_more_than_100_percent(value, path.child(name))
        errs += validate_label_selector(spec.get("selector"), path.child("selector"))
        policy = spec.get("unhealthyPodEvictionPolicy")
        if policy is not None and policy not in EVICTION_POLICIES:
            errs.append(not_supported(path.child("unhealthyPodEvictionPolicy"), policy, EVICTION_POLICIES))
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status, path = section(obj, "status"), FieldPath("status")
        errs: FieldErrors = []
        for name in ("disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods"):
            errs += validate_nonnegative(status.get(name), path.child(name))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = section(obj, "spec"), section(obj, "status")
        minimum, maximum = spec.get("minAvailable"), spec.get("maxUnavailable")
        return [
            obj["metadata"].get("name", ""),
            "N/A" if minimum is None else int_or_string_text(minimum),
            "N/A" if maximum is None else int_or_string_text(maximum),
            int(status.get("disruptionsAllowed") or 0),
            age(obj, now),
        ]
