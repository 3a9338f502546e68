"""DaemonSet: one pod on every (selected) node."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported, required
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
from pyk8s.api.selectors import format_labels
from pyk8s.api.table import age
from pyk8s.api.validation import validate_immutable, validate_nonnegative
from pyk8s.kinds.apps import types
from pyk8s.kinds.apps.deployment import collision_count_not_decremented, validate_status_counts
from pyk8s.kinds.apps.workload import (
    container_cells,
    int_or_percent_value,
    not_more_than_100_percent,
    section,
    selector_text,
    validate_int_or_percent,
    validate_pod_template,
    validate_workload_selector,
)
from pyk8s.kinds.core.pod import default_pod_spec

RESOURCE = ResourceInfo(
    group="apps",
    version="v1",
    kind="DaemonSet",
    plural="daemonsets",
    singular="daemonset",
    short_names=("ds",),
    categories=("all",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

# apps/v1 has no spec.templateGeneration: the server keeps it in this annotation.
TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"
UPDATE_STRATEGIES = ["RollingUpdate", "OnDelete"]


def template_generation(obj: Obj) -> int:
    value = ((obj.get("metadata") or {}).get("annotations") or {}).get(TEMPLATE_GENERATION)
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _set_template_generation(obj: Obj, generation: int) -> None:
    obj.setdefault("metadata", {}).setdefault("annotations", {})[TEMPLATE_GENERATION] = str(generation)


class DaemonSetStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.DaemonSet
    tracks_generation = True
    columns = (
        NAME,
        Column("Desired", type="integer", description="Nodes that should run the daemon pod."),
        Column("Current", type="integer", description="Nodes running at least one daemon pod."),
        Column("Ready", type="integer", description="Nodes whose daemon pod is ready."),
        Column("Up-to-date", type="integer", description="Nodes running the newest pod template."),
        Column("Available", type="integer", description="Nodes whose daemon pod is available."),
        Column("Node Selector", description="The node selector of the pod template."),
        AGE,
        Column("Containers", priority=1, description="The container names of the pod template."),
        Column("Images", priority=1, description="The container images of the pod template."),
        Column("Selector", priority=1, description="The label selector of the daemon set's pods."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        strategy = spec.setdefault("updateStrategy", {})
        strategy.setdefault("type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.setdefault("rollingUpdate", {})
            rolling.setdefault("maxUnavailable", 1)
            rolling.setdefault("maxSurge", 0)
        spec.setdefault("revisionHistoryLimit", 10)
        default_pod_spec(spec.setdefault("template", {}).setdefault("spec", {}))

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {
            "currentNumberScheduled": 0,
            "numberMisscheduled": 0,
            "desiredNumberScheduled": 0,
            "numberReady": 0,
        }
        _set_template_generation(obj, max(template_generation(obj), 1))

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_update(ctx, obj, old)
        # The template generation is the server's: it counts template changes.
        generation = template_generation(old)
        if section(obj, "spec").get("template") != section(old, "spec").get("template"):
            generation += 1
        _set_template_generation(obj, generation)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec, path = section(obj, "spec"), FieldPath("spec")
        errs = validate_workload_selector(spec, path, "daemonset", require=False, invalid_detail=None)
        tpath = path.child("template")
        errs += validate_pod_template(spec.get("template"), tpath)
        pod = section(spec, "template", "spec")
        policy = pod.get("restartPolicy", "")
        if policy != "Always":
            errs.append(not_supported(tpath.child("spec", "restartPolicy"), policy, ["Always"]))
        if pod.get("activeDeadlineSeconds") is not None:
            errs.append(
                forbidden(
                    tpath.child("spec", "activeDeadlineSeconds"),
                    "activeDeadlineSeconds in DaemonSet is not Supported",
                )
            )
        errs += validate_nonnegative(spec.get("minReadySeconds"), path.child("minReadySeconds"))
        errs += self._validate_strategy(section(spec, "updateStrategy"), path.child("updateStrategy"))
        errs += validate_nonnegative(spec.get("revisionHistoryLimit"), path.child("revisionHistoryLimit"))
        return errs

    def _validate_strategy(self, strategy: Obj, path: FieldPath) -> FieldErrors:
        kind = strategy.get("type", "")
        if kind == "OnDelete":
            return []
        if kind != "RollingUpdate":
            return [not_supported(path, strategy, UPDATE_STRATEGIES)]
        rolling = strategy.get("rollingUpdate")
        rpath = path.child("rollingUpdate")
        if not isinstance(rolling, dict):
            return [required(rpath)]
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs = validate_int_or_percent(unavailable, rpath.child("maxUnavailable"))
        errs += validate_int_or_percent(surge, rpath.child("maxSurge"))
        errs += not_more_than_100_percent(unavailable, rpath.child("maxUnavailable"))
        errs += not_more_than_100_percent(surge, rpath.child("maxSurge"))
        has_unavailable = int_or_percent_value(unavailable) != 0
        has_surge = int_or_percent_value(surge) != 0
        if has_unavailable and has_surge:
            errs.append(
                invalid(rpath.child("maxSurge"), surge, "may not be set when maxUnavailable is non-zero")
            )
        elif not has_unavailable and not has_surge:
            errs.append(required(rpath.child("maxUnavailable"), "cannot be 0 when maxSurge is 0"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        errs += validate_immutable(
            section(obj, "spec").get("selector"), section(old, "spec").get("selector"), "spec.selector"
        )
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status, path = section(obj, "status"), FieldPath("status")
        counts = (
            "currentNumberScheduled",
            "numberMisscheduled",
            "desiredNumberScheduled",
            "numberReady",
            "observedGeneration",
            "updatedNumberScheduled",
            "numberAvailable",
            "numberUnavailable",
            "collisionCount",
        )
        errs = validate_status_counts(status, path, counts)
        errs += collision_count_not_decremented(status, section(old, "status"), path)
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = section(obj, "spec"), section(obj, "status")
        names, images = container_cells(spec.get("template"))
        return [
            obj["metadata"].get("name", ""),
            int(status.get("desiredNumberScheduled") or 0),
            int(status.get("currentNumberScheduled") or 0),
            int(status.get("numberReady") or 0),
            int(status.get("updatedNumberScheduled") or 0),
            int(status.get("numberAvailable") or 0),
            format_labels(section(spec, "template", "spec").get("nodeSelector")),
            age(obj, now),
            names,
            images,
            selector_text(spec.get("selector")),
        ]
