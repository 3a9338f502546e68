"""Deployment: declarative updates for pods through ReplicaSets."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid, required
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
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.api.table import age
from pyk8s.kinds.apps import types
from pyk8s.kinds.core.pod import default_pod_spec, validate_pod_spec

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


class DeploymentStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Deployment
    tracks_generation = True
    scale = ScaleSpec()
    columns = (
        NAME,
        Column("Ready", description="Ready replicas out of the desired ones."),
        Column("Up-to-date", type="integer", description="Replicas running the latest template."),
        Column("Available", type="integer", description="Replicas available to serve."),
        AGE,
        Column("Containers", priority=1, description="Container names of the template."),
        Column("Images", priority=1, description="Container images of the template."),
        Column("Selector", priority=1, description="The label selector for the pods."),
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

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec, path = obj.get("spec") or {}, FieldPath("spec")
        errs: FieldErrors = []
        replicas = spec.get("replicas", 1)
        if isinstance(replicas, int) and replicas < 0:
            errs.append(invalid(path.child("replicas"), replicas, "must be greater than or equal to 0"))
        selector = spec.get("selector")
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        if not selector:
            errs.append(required(path.child("selector")))
        else:
            try:
                parsed = LabelSelector.from_object(selector)
                if parsed.empty:
                    errs.append(
                        invalid(path.child("selector"), selector, "empty selector is invalid for deployment")
                    )
                elif not parsed.matches(labels):
                    errs.append(
                        invalid(
                            path.child("template", "metadata", "labels"),
                            labels,
                            "`selector` does not match template `labels`",
                        )
                    )
            except SelectorError as err:
                errs.append(invalid(path.child("selector"), selector, str(err)))
        errs += validate_pod_spec(
            (spec.get("template") or {}).get("spec") or {}, path.child("template", "spec")
        )
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        if (obj.get("spec") or {}).get("selector") != (old.get("spec") or {}).get("selector"):
            errs.append(
                invalid("spec.selector", (obj.get("spec") or {}).get("selector"), "field is immutable")
            )
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = obj.get("spec") or {}, obj.get("status") or {}
        containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
        selector = spec.get("selector") or {}
        try:
            selector_text = str(LabelSelector.from_object(selector)) or "<none>"
        except SelectorError:
            selector_text = "<invalid>"
        return [
            obj["metadata"].get("name", ""),
            f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
            int(status.get("updatedReplicas") or 0),
            int(status.get("availableReplicas") or 0),
            age(obj, now),
            ",".join(c.get("name", "") for c in containers),
            ",".join(c.get("image", "") for c in containers),
            selector_text,
        ]
