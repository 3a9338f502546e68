"""PersistentVolume: a piece of storage in the cluster, bound to at most one claim.
Its volume source is fixed once created."""

from __future__ import annotations

import posixpath
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported, required
from pyk8s.api.meta import rfc3339
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
from pyk8s.api.validation import validate_immutable, validate_subdomain
from pyk8s.kinds.core import types
from pyk8s.kinds.core.persistentvolumeclaim import (
    BETA_CLASS,
    VOLUME_MODES,
    access_modes_text,
    validate_access_modes,
)
from pyk8s.kinds.core.pod import spec_diff
from pyk8s.kinds.core.podspec import _REQUIRED_VOLUME_FIELDS, validate_no_backsteps, validate_node_selector
from pyk8s.kinds.core.validation import quantity_string, validate_positive_quantity

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="PersistentVolume",
    plural="persistentvolumes",
    singular="persistentvolume",
    namespaced=False,
    short_names=("pv",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)
RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"]
# Volume sources of a PersistentVolume, in the order Kubernetes checks them.
PV_SOURCES = [
    ("hostPath", "hostPath"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("nfs", "nfs"),
    ("rbd", "rbd"),
    ("quobyte", "quobyte"),
    ("cephfs", "cephFS"),
    ("iscsi", "iscsi"),
    ("cinder", "cinder"),
    ("fc", "fc"),
    ("flexVolume", "flexVolume"),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("scaleIO", "scaleIO"),
    ("local", "local"),
    ("storageos", "storageos"),
    ("csi", "csi"),
]
SOURCE_KEYS = [key for key, _ in PV_SOURCES]


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _status(obj: Obj) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def volume_class(obj: Obj) -> str:
    """GetPersistentVolumeClass: the beta annotation wins over the field."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if BETA_CLASS in annotations:
        return str(annotations[BETA_CLASS])
    return str(_spec(obj).get("storageClassName") or "")


class PersistentVolumeStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.PersistentVolume
    field_selectors = {
        # Kubernetes keeps this one for compatibility.
        "name": lambda o: (o.get("metadata") or {}).get("name", ""),
    }
    columns = (
        NAME,
        Column("Capacity", description="The storage capacity of the volume."),
        Column("Access Modes", description="How the volume can be mounted."),
        Column("Reclaim Policy", description="What happens to the volume when its claim goes away."),
        Column("Status", description="The phase of the volume."),
        Column("Claim", description="The claim the volume is bound to."),
        Column("StorageClass", description="The storage class of the volume."),
        Column("VolumeAttributesClass", description="The volume attributes class of the volume."),
        Column("Reason", description="Why the volume is in its phase."),
        AGE,
        Column("VolumeMode", priority=1, description="Filesystem or Block."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        if not spec.get("persistentVolumeReclaimPolicy"):
            spec["persistentVolumeReclaimPolicy"] = "Retain"
        if spec.get("volumeMode") is None:
            spec["volumeMode"] = "Filesystem"
        host_path = spec.get("hostPath")
        if isinstance(host_path, dict) and "type" not in host_path:
            host_path["type"] = ""

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"phase": "Pending", "lastPhaseTransitionTime": rfc3339(ctx.now)}

    def prepare_for_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_status_update(ctx, obj, old)
        status, old_status = obj.get("status"), _status(old)
        if isinstance(status, dict) and status.get("phase") != old_status.get("phase"):
            stamp = status.get("lastPhaseTransitionTime")
            if not stamp or stamp == old_status.get("lastPhaseTransitionTime"):
                status["lastPhaseTransitionTime"] = rfc3339(ctx.now)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_pv_spec(_spec(obj), FieldPath("spec"), (obj.get("metadata") or {}).get("name", ""))

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        spec, old_spec = _spec(obj), _spec(old)
        new_source = {k: spec[k] for k in SOURCE_KEYS if k in spec}
        old_source = {k: old_spec[k] for k in SOURCE_KEYS if k in old_spec}
        csi, old_csi = new_source.get("csi"), old_source.get("csi")
        if isinstance(csi, dict) and isinstance(old_csi, dict) and "controllerExpandSecretRef" not in old_csi:
            new_source["csi"] = {k: v for k, v in csi.items() if k != "controllerExpandSecretRef"}
        if new_source != old_source:
            errs.append(
                forbidden(
                    "spec.persistentvolumesource",
                    "spec.persistentvolumesource is immutable after creation\n"
                    + spec_diff(old_source, new_source),
                )
            )
        errs += validate_immutable(spec.get("volumeMode"), old_spec.get("volumeMode"), "volumeMode")
        if old_spec.get("nodeAffinity") is not None and spec.get("nodeAffinity") != old_spec.get(
            "nodeAffinity"
        ):
            errs.append(
                invalid(
                    "nodeAffinity",
                    spec.get("nodeAffinity"),
                    "field is immutable, except for updating from beta label to GA",
                )
            )
        vac, old_vac = spec.get("volumeAttributesClassName"), old_spec.get("volumeAttributesClassName")
        if old_vac is not None and vac is None:
            errs.append(
                forbidden("spec.volumeAttributesClassName", "update from non-nil value to nil is forbidden")
            )
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = _spec(obj), _status(obj)
        claim = spec.get("claimRef")
        claim_text = (
            f"{claim.get('namespace', '')}/{claim.get('name', '')}" if isinstance(claim, dict) else ""
        )
        phase = (
            "Terminating" if (obj.get("metadata") or {}).get("deletionTimestamp") else status.get("phase", "")
        )
        return [
            (obj.get("metadata") or {}).get("name", ""),
            quantity_string((spec.get("capacity") or {}).get("storage", "0")),
            access_modes_text(spec.get("accessModes") or []),
            spec.get("persistentVolumeReclaimPolicy", ""),
            phase,
            claim_text,
            volume_class(obj),
            spec.get("volumeAttributesClassName", "<unset>"),
            status.get("reason", ""),
            age(obj, now),
            spec.get("volumeMode", "<unset>"),
        ]


def validate_pv_spec(spec: dict[str, Any], path: FieldPath, name: str) -> FieldErrors:
    """ValidatePersistentVolumeSpec for a PersistentVolume (not an inline volume)."""
    errs = validate_access_modes(spec.get("accessModes") or [], path.child("accessModes"))
    capacity = spec.get("capacity") or {}
    cpath = path.child("capacity")
    if not capacity:
        errs.append(required(cpath))
    if "storage" not in capacity or len(capacity) > 1:
        errs.append(not_supported(cpath, capacity, ["storage"]))
    for resource, value in capacity.items():
        errs += validate_positive_quantity(value, cpath.key(resource))
    policy = spec.get("persistentVolumeReclaimPolicy", "")
    if policy and policy not in RECLAIM_POLICIES:
        errs.append(not_supported(path.child("persistentVolumeReclaimPolicy"), policy, RECLAIM_POLICIES))
    affinity_set = False
    affinity = spec.get("nodeAffinity")
    if affinity is not None:
        affinity_set = True
        required_terms = (affinity or {}).get("required")
        apath = path.child("nodeAffinity")
        if isinstance(required_terms, dict):
            errs += validate_node_selector(required_terms, apath.child("required"))
        else:
            errs.append(required(apath.child("required"), "must specify required node constraints"))
    count = 0
    for key, reported in PV_SOURCES:
        if spec.get(key) is None:
            continue
        if count > 0 and key != "flexVolume":
            errs.append(forbidden(path.child(reported), "may not specify more than 1 volume type"))
            continue
        count += 1
        errs += _validate_pv_source(key, spec[key] or {}, path.child(key))
        if key == "local" and not affinity_set:
            errs.append(required(path.child("nodeAffinity"), "Local volume requires node affinity"))
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    host_path = spec.get("hostPath")
    if (
        isinstance(host_path, dict)
        and posixpath.normpath(host_path.get("path") or ".") == "/"
        and policy == "Recycle"
    ):
        errs.append(
            forbidden(
                path.child("persistentVolumeReclaimPolicy"),
                "may not be 'recycle' for a hostPath mount of '/'",
            )
        )
    if spec.get("storageClassName"):
        errs += validate_subdomain(spec["storageClassName"], path.child("storageClassName"))
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(not_supported(path.child("volumeMode"), mode, VOLUME_MODES))
    vac = spec.get("volumeAttributesClassName")
    if vac is not None:
        if not vac:
            errs.append(required(path.child("volumeAttributesClassName"), "an empty string is disallowed"))
        else:
            errs += validate_subdomain(vac, path.child("volumeAttributesClassName"))
        if spec.get("csi") is None:
            errs.append(
                required(path.child("csi"), "has to be specified when using volumeAttributesClassName")
            )
    return errs


def _validate_pv_source(key: str, source: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if key in ("hostPath", "local"):
        if not source.get("path"):
            errs.append(required(path.child("path")))
        else:
            errs += validate_no_backsteps(source["path"], path.child("path"))
    elif key == "nfs":
        if not source.get("server"):
            errs.append(required(path.child("server")))
        if not source.get("path"):
            errs.append(required(path.child("path")))
        if not str(source.get("path", "")).startswith("/"):
            errs.append(invalid(path.child("path"), source.get("path", ""), "must be an absolute path"))
    elif key == "csi":
        if not source.get("driver"):
            errs.append(required(path.child("driver")))
        if not source.get("volumeHandle"):
            errs.append(required(path.child("volumeHandle")))
    else:
        for field in _REQUIRED_VOLUME_FIELDS.get(key, ()):
            if not source.get(field):
                errs.append(required(path.child(field)))
    return errs
