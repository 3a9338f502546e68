"""ReplicationController: keeps a number of pod replicas running (the ancestor of
ReplicaSets). Its selector is a plain label map; /scale reads and writes spec.replicas."""

from __future__ import annotations

import copy
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
from pyk8s.api.selectors import format_labels
from pyk8s.api.table import age
from pyk8s.api.validation import NONNEGATIVE, dns1123_label, validate_nonnegative
from pyk8s.kinds.core import types
from pyk8s.kinds.core.pod import pod_spec_warnings
from pyk8s.kinds.core.podspec import default_pod_spec, validate_pod_template_spec
from pyk8s.kinds.core.validation import selector_matches

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="ReplicationController",
    plural="replicationcontrollers",
    singular="replicationcontroller",
    short_names=("rc",),
    categories=("all",),
    subresources=(
        Subresource("scale", ("get", "patch", "update"), kind="Scale", group="autoscaling", version="v1"),
        Subresource("status", ("get", "patch", "update")),
    ),
)


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _status(obj: Obj) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


class ReplicationControllerStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.ReplicationController
    tracks_generation = True
    scale = ScaleSpec(selector_path=("spec", "selector"))
    field_selectors = {"status.replicas": lambda o: str(_status(o).get("replicas") or 0)}
    columns = (
        NAME,
        Column("Desired", type="integer", description="The number of replicas wanted."),
        Column("Current", type="integer", description="The number of replicas that exist."),
        Column("Ready", type="integer", description="The number of replicas that are ready."),
        AGE,
        Column("Containers", priority=1, description="Names of the template's containers."),
        Column("Images", priority=1, description="Images of the template's containers."),
        Column("Selector", priority=1, description="The labels the controller selects its pods by."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        template = spec.get("template")
        if isinstance(template, dict):
            labels = (template.get("metadata") or {}).get("labels")
            if labels:
                if not spec.get("selector"):
                    spec["selector"] = copy.deepcopy(labels)
                meta = obj.setdefault("metadata", {})
                if not meta.get("labels"):
                    meta["labels"] = copy.deepcopy(labels)
            if isinstance(template.get("spec"), dict):
                default_pod_spec(template["spec"])
        if spec.get("replicas") is None:
            spec["replicas"] = 1

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"replicas": 0}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_rc_spec(_spec(obj), FieldPath("spec"))

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return self.validate(ctx, obj)

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status, path = _status(obj), FieldPath("status")
        errs: FieldErrors = []
        for key in (
            "replicas",
            "fullyLabeledReplicas",
            "readyReplicas",
            "availableReplicas",
            "observedGeneration",
        ):
            errs += validate_nonnegative(status.get(key, 0), path.child(key))
        replicas = status.get("replicas", 0)
        for key in ("fullyLabeledReplicas", "readyReplicas", "availableReplicas"):
            if status.get(key, 0) > replicas:
                errs.append(invalid(path.child(key), status[key], "cannot be greater than status.replicas"))
        if status.get("availableReplicas", 0) > status.get("readyReplicas", 0):
            errs.append(
                invalid(
                    path.child("availableReplicas"),
                    status["availableReplicas"],
                    "cannot be greater than readyReplicas",
                )
            )
        return errs

    def warnings_on_create(self, ctx: RequestContext, obj: Obj) -> list[str]:
        warnings = []
        name = (obj.get("metadata") or {}).get("name", "")
        msgs = dns1123_label(name)
        if name and msgs:
            warnings.append(
                "metadata.name: this is used in Pod names and hostnames, which can result in surprising "
                f"behavior; a DNS label is recommended: [{' '.join(msgs)}]"
            )
        template = _spec(obj).get("template") or {}
        return warnings + pod_spec_warnings(template.get("spec") or {}, FieldPath("spec", "template", "spec"))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = _spec(obj), _status(obj)
        containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
        return [
            (obj.get("metadata") or {}).get("name", ""),
            int(spec.get("replicas") or 0),
            int(status.get("replicas") or 0),
            int(status.get("readyReplicas") or 0),
            age(obj, now),
            ",".join(str(c.get("name", "")) for c in containers),
            ",".join(str(c.get("image", "")) for c in containers),
            format_labels(spec.get("selector")),
        ]


def validate_rc_spec(spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    """ValidateReplicationControllerSpec."""
    errs = validate_nonnegative(spec.get("minReadySeconds", 0), path.child("minReadySeconds"))
    selector = spec.get("selector") or {}
    if not selector:
        errs.append(required(path.child("selector")))
    replicas = spec.get("replicas", 0)
    if isinstance(replicas, int) and replicas < 0:
        errs.append(invalid(path.child("replicas"), replicas, NONNEGATIVE))
    template = spec.get("template")
    tpath = path.child("template")
    if not isinstance(template, dict):
        errs.append(required(tpath))
        return errs
    labels = (template.get("metadata") or {}).get("labels") or {}
    if selector and not selector_matches(selector, labels):
        errs.append(
            invalid(tpath.child("metadata", "labels"), labels, "`selector` does not match template `labels`")
        )
    errs += validate_pod_template_spec(template, tpath)
    tspec = template.get("spec") or {}
    if tspec.get("restartPolicy") != "Always":
        errs.append(
            not_supported(tpath.child("spec", "restartPolicy"), tspec.get("restartPolicy", ""), ["Always"])
        )
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden(
                tpath.child("spec", "activeDeadlineSeconds"),
                "activeDeadlineSeconds in ReplicationController is not Supported",
            )
        )
    return errs
