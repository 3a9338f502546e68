"""Deployment: declarative updates for pods through ReplicaSets."""

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
    ScaleSpec,
    Subresource,
)
from pyk8s.api.table import age
from pyk8s.api.validation import validate_immutable, validate_nonnegative
from pyk8s.kinds.apps import types
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
    kind="Deployment",
    plural="deployments",
    singular="deployment",
    short_names=("deploy",),
    categories=("all",),
    subresources=(
        Subresource("scale", ("get", "patch", "update"), kind="Scale", group="autoscaling", version="v1"),
        Subresource("status", ("get", "patch", "update")),
    ),
)

STRATEGY_TYPES = ["Recreate", "RollingUpdate"]


def validate_template_for_replicas(spec: Obj, path: FieldPath, kind: str) -> FieldErrors:
    """The pod template of a Deployment or ReplicaSet: selector, template, restart policy."""
    errs = validate_workload_selector(spec, path, "deployment")
    template = spec.get("template")
    tpath = path.child("template")
    errs += validate_pod_template(template, tpath)
    pod = section(template, "spec")
    policy = pod.get("restartPolicy", "")
    if policy != "Always":
        errs.append(not_supported(tpath.child("spec", "restartPolicy"), policy, ["Always"]))
    if pod.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                tpath.child("spec", "activeDeadlineSeconds"),
                f"activeDeadlineSeconds in {kind} is not Supported",
            )
        )
    return errs


def validate_status_counts(status: Obj, path: FieldPath, fields: tuple[str, ...]) -> FieldErrors:
    errs: FieldErrors = []
    for name in fields:
        errs += validate_nonnegative(status.get(name), path.child(name))
    return errs


class DeploymentStrategy(ResourceStrategy):
    status_metadata = ("annotations",)  # its status strategy resets spec and labels only
    info = RESOURCE
    schema = types.Deployment
    tracks_generation = True
    scale = ScaleSpec()
    columns = (
        NAME,
        Column("Ready", description="Ready pods out of the desired replicas."),
        Column("Up-to-date", description="Replicas running the newest pod template."),
        Column("Available", description="Replicas ready for at least minReadySeconds."),
        AGE,
        Column("Containers", priority=1, description="The container names of the pod template."),
        Column("Images", priority=1, description="The container images of the pod template."),
        Column("Selector", priority=1, description="The label selector of the deployment's pods."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("replicas", 1)
        strategy = spec.setdefault("strategy", {})
        strategy.setdefault("type", "RollingUpdate")
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.setdefault("rollingUpdate", {})
            rolling.setdefault("maxUnavailable", "25%")
            rolling.setdefault("maxSurge", "25%")
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        template = spec.setdefault("template", {})
        default_pod_spec(template.setdefault("spec", {}))

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {}

    def spec_changed(self, obj: Obj, old: Obj) -> bool:
        # Annotations are copied to the ReplicaSets, so they count as desired state too.
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
        old_annotations = (old.get("metadata") or {}).get("annotations") or {}
        return super().spec_changed(obj, old) or annotations != old_annotations

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec, path = section(obj, "spec"), FieldPath("spec")
        errs = validate_nonnegative(spec.get("replicas"), path.child("replicas"))
        errs += validate_template_for_replicas(spec, path, "Deployment")
        errs += self._validate_strategy(section(spec, "strategy"), path.child("strategy"))
        min_ready = spec.get("minReadySeconds")
        errs += validate_nonnegative(min_ready, path.child("minReadySeconds"))
        errs += validate_nonnegative(spec.get("revisionHistoryLimit"), path.child("revisionHistoryLimit"))
        deadline = spec.get("progressDeadlineSeconds")
        if isinstance(deadline, int):
            errs += validate_nonnegative(deadline, path.child("progressDeadlineSeconds"))
            if deadline <= (min_ready if isinstance(min_ready, int) else 0):
                errs.append(
                    invalid(
                        path.child("progressDeadlineSeconds"),
                        deadline,
                        "must be greater than minReadySeconds",
                    )
                )
        return errs

    def _validate_strategy(self, strategy: Obj, path: FieldPath) -> FieldErrors:
        kind = strategy.get("type", "")
        rolling = strategy.get("rollingUpdate")
        if kind == "Recreate":
            if rolling is not None:
                return [
                    forbidden(
                        path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"
                    )
                ]
            return []
        if kind != "RollingUpdate":
            return [not_supported(path, strategy, STRATEGY_TYPES)]
        if not isinstance(rolling, dict):
            return [required(path.child("rollingUpdate"), "this should be defaulted and never be nil")]
        rpath = path.child("rollingUpdate")
        unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
        errs = validate_int_or_percent(unavailable, rpath.child("maxUnavailable"))
        errs += validate_int_or_percent(surge, rpath.child("maxSurge"))
        if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
            errs.append(
                invalid(rpath.child("maxUnavailable"), unavailable, "may not be 0 when `maxSurge` is 0")
            )
        errs += not_more_than_100_percent(unavailable, rpath.child("maxUnavailable"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        errs += validate_immutable(
            section(obj, "spec").get("selector"), section(old, "spec").get("selector"), "spec.selector"
        )
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status, path = section(obj, "status"), FieldPath("status")
        counts = ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas")
        errs = validate_status_counts(status, path, ("observedGeneration", *counts, "collisionCount"))
        replicas = status.get("replicas", 0)
        for name in ("updatedReplicas", "readyReplicas", "availableReplicas"):
            if status.get(name, 0) > replicas:
                errs.append(invalid(path.child(name), status[name], "cannot be greater than status.replicas"))
        if status.get("availableReplicas", 0) > status.get("readyReplicas", 0):
            errs.append(
                invalid(
                    path.child("availableReplicas"),
                    status.get("availableReplicas", 0),
                    "cannot be greater than readyReplicas",
                )
            )
        errs += collision_count_not_decremented(status, section(old, "status"), path)
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = section(obj, "spec"), section(obj, "status")
        names, images = container_cells(spec.get("template"))
        return [
            obj["metadata"].get("name", ""),
            f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
            int(status.get("updatedReplicas") or 0),
            int(status.get("availableReplicas") or 0),
            age(obj, now),
            names,
            images,
            selector_text(spec.get("selector"), invalid_text="<invalid>", empty_text=""),
        ]


def collision_count_not_decremented(status: Obj, old_status: Obj, path: FieldPath) -> FieldErrors:
    """status.collisionCount may only grow (IsDecremented)."""
    old = old_status.get("collisionCount")
    if old is None:
        return []
    new = status.get("collisionCount")
    if new is None or new < old:
        return [invalid(path.child("collisionCount"), new or 0, "cannot be decremented")]
    return []
