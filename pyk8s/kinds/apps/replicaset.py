"""ReplicaSet: keeps a number of identical pods running."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid
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
from pyk8s.kinds.apps.deployment import validate_status_counts, validate_template_for_replicas
from pyk8s.kinds.apps.workload import container_cells, section, selector_text
from pyk8s.kinds.core.pod import default_pod_spec

RESOURCE = ResourceInfo(
    group="apps",
    version="v1",
    kind="ReplicaSet",
    plural="replicasets",
    singular="replicaset",
    short_names=("rs",),
    categories=("all",),
    subresources=(
        Subresource("scale", ("get", "patch", "update"), kind="Scale", group="autoscaling", version="v1"),
        Subresource("status", ("get", "patch", "update")),
    ),
)


class ReplicaSetStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.ReplicaSet
    tracks_generation = True
    scale = ScaleSpec()
    field_selectors = {"status.replicas": lambda o: str(section(o, "status").get("replicas", 0))}
    columns = (
        NAME,
        Column("Desired", type="integer", description="The number of pods wanted."),
        Column("Current", type="integer", description="The number of pods that exist."),
        Column("Ready", type="integer", description="The number of pods that are ready."),
        AGE,
        Column("Containers", priority=1, description="The container names of the pod template."),
        Column("Images", priority=1, description="The container images of the pod template."),
        Column("Selector", priority=1, description="The label selector of the replica set's pods."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("replicas", 1)
        default_pod_spec(spec.setdefault("template", {}).setdefault("spec", {}))

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"replicas": 0}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec, path = section(obj, "spec"), FieldPath("spec")
        errs = validate_nonnegative(spec.get("replicas"), path.child("replicas"))
        errs += validate_nonnegative(spec.get("minReadySeconds"), path.child("minReadySeconds"))
        errs += validate_template_for_replicas(spec, path, "ReplicaSet")
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
            "replicas",
            "fullyLabeledReplicas",
            "readyReplicas",
            "availableReplicas",
            "observedGeneration",
        )
        errs = validate_status_counts(status, path, counts)
        replicas = status.get("replicas", 0)
        for name in ("fullyLabeledReplicas", "readyReplicas", "availableReplicas"):
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
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = section(obj, "spec"), section(obj, "status")
        names, images = container_cells(spec.get("template"))
        return [
            obj["metadata"].get("name", ""),
            int(spec.get("replicas") or 0),
            int(status.get("replicas") or 0),
            int(status.get("readyReplicas") or 0),
            age(obj, now),
            names,
            images,
            selector_text(spec.get("selector")),
        ]
