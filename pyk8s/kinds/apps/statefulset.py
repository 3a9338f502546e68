"""StatefulSet: pods with stable names and storage, created and updated in order."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported, required
from pyk8s.api.quantity import Quantity, QuantityError
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
from pyk8s.api.validation import dns1123_label, validate_nonnegative
from pyk8s.kinds.apps import types
from pyk8s.kinds.apps.deployment import collision_count_not_decremented, validate_status_counts
from pyk8s.kinds.apps.workload import (
    container_cells,
    int_or_percent_value,
    not_more_than_100_percent,
    section,
    validate_int_or_percent,
    validate_pod_template,
    validate_workload_selector,
)
from pyk8s.kinds.core.pod import default_pod_spec

RESOURCE = ResourceInfo(
    group="apps",
    version="v1",
    kind="StatefulSet",
    plural="statefulsets",
    singular="statefulset",
    short_names=("sts",),
    categories=("all",),
    subresources=(
        Subresource("scale", ("get", "patch", "update"), kind="Scale", group="autoscaling", version="v1"),
        Subresource("status", ("get", "patch", "update")),
    ),
)

RETENTION_POLICIES = ["Retain", "Delete"]
ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
VOLUME_MODES = ["Block", "Filesystem"]
# What an update may change; everything else in the spec is fixed at creation.
MUTABLE = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "revisionHistoryLimit",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)


def with_claim_volumes(spec: Obj) -> Any:
    """The pod template with a persistentVolumeClaim volume for each volume claim template it
    does not already have a volume for, as the controller stamps pods out: volume mounts may
    name claim templates (the StatefulSet example in Kubernetes' documentation does)."""
    template = spec.get("template")
    if not isinstance(template, dict) or not isinstance(template.get("spec"), dict):
        return template
    volumes = [v for v in template["spec"].get("volumes") or [] if isinstance(v, dict)]
    have = {v.get("name") for v in volumes}
    extra = []
    for claim in spec.get("volumeClaimTemplates") or []:
        name = section(claim, "metadata").get("name")
        if isinstance(name, str) and name and name not in have:
            have.add(name)
            extra.append({"name": name, "persistentVolumeClaim": {"claimName": name}})
    if not extra:
        return template
    return {
        **template,
        "spec": {**template["spec"], "volumes": [*(template["spec"].get("volumes") or []), *extra]},
    }


def default_claim_template(claim: Obj) -> None:
    """A volume claim template is written back as a whole PersistentVolumeClaim."""
    if not isinstance(claim, dict):
        return
    claim.setdefault("apiVersion", "v1")
    claim.setdefault("kind", "PersistentVolumeClaim")
    claim.setdefault("spec", {}).setdefault("volumeMode", "Filesystem")
    claim.setdefault("status", {}).setdefault("phase", "Pending")


def validate_claim_spec(spec: Any, path: FieldPath) -> FieldErrors:
    """The PersistentVolumeClaimSpec rules a claim template must pass."""
    if not isinstance(spec, dict):
        return [required(path, "spec is required")]
    errs: FieldErrors = []
    modes = spec.get("accessModes") or []
    if not modes:
        errs.append(required(path.child("accessModes"), "at least 1 access mode is required"))
    for mode in modes:
        if mode not in ACCESS_MODES:
            errs.append(not_supported(path.child("accessModes"), mode, ACCESS_MODES))
    if "ReadWriteOncePod" in modes and len(modes) > 1:
        errs.append(
            forbidden(path.child("accessModes"), "may not use ReadWriteOncePod with other access modes")
        )
    storage_path = path.child("resources").key("storage")
    storage = section(spec, "resources", "requests").get("storage")
    if storage is None:
        errs.append(required(storage_path))
    else:
        try:
            if Quantity.parse(storage).sign() <= 0:
                errs.append(invalid(storage_path, storage, "must be greater than zero"))
        except QuantityError:
            pass  # the schema decoder has rejected malformed quantities already
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(not_supported(path.child("volumeMode"), mode, VOLUME_MODES))
    return errs


class StatefulSetStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.StatefulSet
    tracks_generation = True
    scale = ScaleSpec()
    columns = (
        NAME,
        Column("Ready", description="Ready pods out of the desired replicas."),
        AGE,
        Column("Containers", priority=1, description="The container names of the pod template."),
        Column("Images", priority=1, description="The container images of the pod template."),
    )

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return dns1123_label(name)  # pod names and hostnames are built from it

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("podManagementPolicy", "OrderedReady")
        strategy = spec.setdefault("updateStrategy", {})
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
            strategy.setdefault("rollingUpdate", {})
        if strategy["type"] == "RollingUpdate" and isinstance(strategy.get("rollingUpdate"), dict):
            strategy["rollingUpdate"].setdefault("partition", 0)
        retention = spec.setdefault("persistentVolumeClaimRetentionPolicy", {})
        retention.setdefault("whenDeleted", "Retain")
        retention.setdefault("whenScaled", "Retain")
        spec.setdefault("replicas", 1)
        spec.setdefault("revisionHistoryLimit", 10)
        default_pod_spec(spec.setdefault("template", {}).setdefault("spec", {}))
        for claim in spec.get("volumeClaimTemplates") or []:
            default_claim_template(claim)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"replicas": 0, "availableReplicas": 0}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return self._validate_spec(section(obj, "spec"), FieldPath("spec"), creating=True)

    def _validate_spec(self, spec: Obj, path: FieldPath, *, creating: bool) -> FieldErrors:
        errs: FieldErrors = []
        policy = spec.get("podManagementPolicy", "")
        if not policy:
            errs.append(required(path.child("podManagementPolicy")))
        elif policy not in ("OrderedReady", "Parallel"):
            errs.append(
                invalid(path.child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'")
            )
        errs += self._validate_strategy(section(spec, "updateStrategy"), path.child("updateStrategy"))
        retention = spec.get("persistentVolumeClaimRetentionPolicy")
        if isinstance(retention, dict):
            rpath = path.child("persistentVolumeClaimRetentionPolicy")
            for key in ("whenDeleted", "whenScaled"):
                value = retention.get(key, "")
                if value not in RETENTION_POLICIES:
                    errs.append(not_supported(rpath.child(key), value, RETENTION_POLICIES))
        if creating:
            for i, claim in enumerate(spec.get("volumeClaimTemplates") or []):
                cpath = path.child("volumeClaimTemplates").index(i)
                errs += validate_claim_spec((claim or {}).get("spec"), cpath.child("spec"))
        errs += validate_nonnegative(spec.get("replicas"), path.child("replicas"))
        errs += validate_nonnegative(spec.get("minReadySeconds"), path.child("minReadySeconds"))
        errs += validate_nonnegative(section(spec, "ordinals").get("start"), path.child("ordinals", "start"))
        service = spec.get("serviceName", "")
        if creating and service:
            for msg in dns1123_label(service):
                errs.append(invalid(path.child("serviceName"), service, msg))
        errs += validate_workload_selector(spec, path, "statefulset", invalid_detail="")
        tpath = path.child("template")
        errs += validate_pod_template(with_claim_volumes(spec), tpath)
        pod = section(spec, "template", "spec")
        restart = pod.get("restartPolicy", "")
        if restart != "Always":
            errs.append(not_supported(tpath.child("spec", "restartPolicy"), restart, ["Always"]))
        if pod.get("activeDeadlineSeconds") is not None:
            errs.append(
                forbidden(
                    tpath.child("spec", "activeDeadlineSeconds"),
                    "activeDeadlineSeconds in StatefulSet is not Supported",
                )
            )
        return errs

    def _validate_strategy(self, strategy: Obj, path: FieldPath) -> FieldErrors:
        kind = strategy.get("type", "")
        rolling = strategy.get("rollingUpdate")
        if not kind:
            return [required(path)]
        if kind == "OnDelete":
            if rolling is not None:
                return [
                    invalid(
                        path.child("rollingUpdate"),
                        rolling,
                        "only allowed for updateStrategy 'RollingUpdate'",
                    )
                ]
            return []
        if kind != "RollingUpdate":
            return [invalid(path, strategy, "must be 'RollingUpdate' or 'OnDelete'")]
        if not isinstance(rolling, dict):
            return []
        rpath = path.child("rollingUpdate")
        errs = validate_nonnegative(rolling.get("partition"), rpath.child("partition"))
        unavailable = rolling.get("maxUnavailable")
        if unavailable is not None:
            errs += validate_int_or_percent(unavailable, rpath.child("maxUnavailable"))
            if int_or_percent_value(unavailable) == 0:
                errs.append(invalid(rpath.child("maxUnavailable"), unavailable, "cannot be 0"))
            errs += not_more_than_100_percent(unavailable, rpath.child("maxUnavailable"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        spec, old_spec = section(obj, "spec"), section(old, "spec")
        errs = self._validate_spec(spec, FieldPath("spec"), creating=False)
        fixed = {k: v for k, v in spec.items() if k not in MUTABLE}
        old_fixed = {k: v for k, v in old_spec.items() if k not in MUTABLE}
        if fixed != old_fixed:
            errs.append(
                forbidden(
                    "spec",
                    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                    "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
                    "'minReadySeconds' are forbidden",
                )
            )
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        status, path = section(obj, "status"), FieldPath("status")
        counts = (
            "replicas",
            "readyReplicas",
            "currentReplicas",
            "updatedReplicas",
            "availableReplicas",
            "observedGeneration",
            "collisionCount",
        )
        errs = validate_status_counts(status, path, counts)
        replicas = status.get("replicas", 0)
        for name in ("readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas"):
            if status.get(name, 0) > replicas:
                errs.append(invalid(path.child(name), status[name], "cannot be greater than status.replicas"))
        if status.get("availableReplicas", 0) > status.get("readyReplicas", 0):
            errs.append(
                invalid(
                    path.child("availableReplicas"),
                    status.get("availableReplicas", 0),
                    "cannot be greater than status.readyReplicas",
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
            age(obj, now),
            names,
            images,
        ]
