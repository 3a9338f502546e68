"""PersistentVolumeClaim: a request for storage, bound to a PersistentVolume by the
volume controller. The spec is fixed once created, except that a bound claim may grow
(resources.requests.storage) and change its volumeAttributesClassName."""

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
    Subresource,
)
from pyk8s.api.table import age
from pyk8s.api.validation import validate_immutable, validate_label_selector, validate_subdomain
from pyk8s.kinds.core import types
from pyk8s.kinds.core.pod import spec_diff
from pyk8s.kinds.core.validation import (
    compare_quantities,
    quantity_string,
    validate_positive_quantity,
    validate_quantity_value,
)

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="PersistentVolumeClaim",
    plural="persistentvolumeclaims",
    singular="persistentvolumeclaim",
    short_names=("pvc",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)
ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
VOLUME_MODES = ["Block", "Filesystem"]
BETA_CLASS = "volume.beta.kubernetes.io/storage-class"
MODE_ABBREVIATIONS = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _status(obj: Obj) -> dict[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, dict) else {}


def access_modes_text(modes: list[str]) -> str:
    """RWO,ROX,RWX,RWOP in that order (GetAccessModesAsString)."""
    return ",".join(short for mode, short in MODE_ABBREVIATIONS if mode in (modes or []))


def validate_access_modes(modes: list[Any], path: FieldPath, *, required_detail: str = "") -> FieldErrors:
    errs: FieldErrors = []
    if not modes:
        errs.append(required(path, required_detail))
    once_pod = other = False
    for mode in modes:
        if mode not in ACCESS_MODES:
            errs.append(not_supported(path, mode, ACCESS_MODES))
        if mode == "ReadWriteOncePod":
            once_pod = True
        elif mode in ACCESS_MODES:
            other = True
    if once_pod and other:
        errs.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errs


def _validate_data_source(source: dict[str, Any], path: FieldPath, *, ref: bool) -> FieldErrors:
    errs: FieldErrors = []
    if not source.get("name"):
        errs.append(required(path.child("name")))
    if not source.get("kind"):
        errs.append(required(path.child("kind")))
    group = source.get("apiGroup") or ""
    if not group and source.get("kind") != "PersistentVolumeClaim":
        errs.append(
            invalid(
                path,
                source.get("kind", ""),
                "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
            )
        )
    if group:
        errs += validate_subdomain(group, path.child("apiGroup"))
    if ref and source.get("namespace"):
        from pyk8s.api.validation import dns1123_label

        errs += [
            invalid(path.child("namespace"), source["namespace"], m)
            for m in dns1123_label(source["namespace"])
        ]
    return errs


def validate_claim_spec(spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    """ValidatePersistentVolumeClaimSpec (also for ephemeral volumes' claim templates)."""
    errs: FieldErrors = []
    modes = spec.get("accessModes") or []
    if not modes:
        errs.append(required(path.child("accessModes"), "at least 1 access mode is required"))
    if spec.get("selector") is not None:
        errs += validate_label_selector(spec["selector"], path.child("selector"))
    errs += [
        e
        for e in validate_access_modes(modes, path.child("accessModes"))
        if e.type.reason != "FieldValueRequired"
    ]
    storage_path = path.child("resources").key("storage")
    storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    if storage is None:
        errs.append(required(storage_path))
    else:
        positive = validate_positive_quantity(storage, storage_path)
        errs += positive or validate_quantity_value("storage", storage, storage_path)
    if spec.get("storageClassName"):
        errs += validate_subdomain(spec["storageClassName"], path.child("storageClassName"))
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(not_supported(path.child("volumeMode"), mode, VOLUME_MODES))
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if isinstance(source, dict):
        errs += _validate_data_source(source, path.child("dataSource"), ref=False)
    if isinstance(ref, dict):
        errs += _validate_data_source(ref, path.child("dataSourceRef"), ref=True)
    if isinstance(ref, dict) and ref.get("namespace"):
        if isinstance(source, dict):
            errs.append(
                invalid(
                    path,
                    str(path.child("dataSource")),
                    "may not be specified when dataSourceRef.namespace is specified",
                )
            )
    elif isinstance(source, dict) and isinstance(ref, dict):
        same = all(source.get(k) == ref.get(k) for k in ("apiGroup", "kind", "name"))
        if not same:
            errs.append(invalid(path, str(path.child("dataSource")), "must match dataSourceRef"))
    if spec.get("volumeAttributesClassName"):
        errs += validate_subdomain(spec["volumeAttributesClassName"], path.child("volumeAttributesClassName"))
    return errs


def storage_class(obj: Obj) -> str:
    """GetPersistentVolumeClaimClass: the beta annotation wins over the field."""
    annotations = (obj.get("metadata") or {}).get("annotations") or {}
    if BETA_CLASS in annotations:
        return str(annotations[BETA_CLASS])
    return str(_spec(obj).get("storageClassName") or "")


class PersistentVolumeClaimStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.PersistentVolumeClaim
    field_selectors = {
        # Kubernetes keeps this one for compatibility.
        "name": lambda o: (o.get("metadata") or {}).get("name", ""),
    }
    columns = (
        NAME,
        Column("Status", description="The phase of the claim."),
        Column("Volume", description="The volume the claim is bound to."),
        Column("Capacity", description="The capacity of the bound volume."),
        Column("Access Modes", description="The access modes of the bound volume."),
        Column("StorageClass", description="The storage class of the claim."),
        Column("VolumeAttributesClass", description="The volume attributes class of the claim."),
        AGE,
        Column("VolumeMode", priority=1, description="Filesystem or Block."),
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        if spec.get("volumeMode") is None:
            spec["volumeMode"] = "Filesystem"

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"phase": "Pending"}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_claim_spec(_spec(obj), FieldPath("spec"))

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        spec, old_spec = copy.deepcopy(_spec(obj)), copy.deepcopy(_spec(old))
        new_ann = (obj.get("metadata") or {}).get("annotations") or {}
        old_ann = (old.get("metadata") or {}).get("annotations") or {}
        if not old_spec.get("volumeName"):
            old_spec.pop("volumeName", None)
            if spec.get("volumeName"):
                old_spec["volumeName"] = spec["volumeName"]
        new_class, old_class = spec.get("storageClassName"), old_spec.get("storageClassName")
        upgrade_from_annotation = (
            BETA_CLASS in old_ann
            and old_class is None
            and new_class is not None
            and new_class == old_ann[BETA_CLASS]
            and (BETA_CLASS not in new_ann or new_ann[BETA_CLASS] == old_ann[BETA_CLASS])
        )
        if upgrade_from_annotation:
            spec.pop("storageClassName", None)
        else:
            errs += validate_immutable(
                new_ann.get(BETA_CLASS, ""), old_ann.get(BETA_CLASS, ""), f"metadata.annotations.{BETA_CLASS}"
            )
            if (
                new_class is not None
                and old_class is None
                and (BETA_CLASS not in old_ann or new_class == old_ann[BETA_CLASS])
            ):
                spec.pop("storageClassName", None)
        bound = _status(obj).get("phase") == "Bound"
        requests = (spec.get("resources") or {}).get("requests")
        if bound and isinstance(requests, dict):
            old_storage = ((old_spec.get("resources") or {}).get("requests") or {}).get("storage")
            if old_storage is None:
                requests.pop("storage", None)
            else:
                requests["storage"] = old_storage
        if bound and spec.get("volumeAttributesClassName") is not None:
            if "volumeAttributesClassName" in old_spec:
                spec["volumeAttributesClassName"] = old_spec["volumeAttributesClassName"]
            else:
                spec.pop("volumeAttributesClassName")
        if spec != old_spec:
            errs.append(
                forbidden(
                    "spec",
                    "spec is immutable after creation except resources.requests and "
                    f"volumeAttributesClassName for bound claims\n{spec_diff(old_spec, spec)}",
                )
            )
        new_size = ((_spec(obj).get("resources") or {}).get("requests") or {}).get("storage", "0")
        old_size = ((_spec(old).get("resources") or {}).get("requests") or {}).get("storage", "0")
        status_size = (_status(old).get("capacity") or {}).get("storage", "0")
        if compare_quantities(new_size, old_size) < 0 and compare_quantities(new_size, status_size) <= 0:
            # Recovery from a failed expansion may shrink the request, but not below the capacity.
            errs.append(
                forbidden("spec.resources.requests.storage", "field can not be less than status.capacity")
            )
        errs += validate_immutable(_spec(obj).get("volumeMode"), _spec(old).get("volumeMode"), "volumeMode")
        new_vac, old_vac = (
            _spec(obj).get("volumeAttributesClassName"),
            _spec(old).get("volumeAttributesClassName"),
        )
        if old_vac is not None and new_vac != old_vac:
            if new_vac is None:
                errs.append(
                    forbidden(
                        "spec.volumeAttributesClassName", "update from non-nil value to nil is forbidden"
                    )
                )
            elif new_vac == "":
                errs.append(
                    forbidden(
                        "spec.volumeAttributesClassName",
                        "update from non-nil value to an empty string is forbidden",
                    )
                )
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs: FieldErrors = []
        if not _spec(obj).get("accessModes"):
            errs.append(required("Spec.accessModes"))  # sic: Kubernetes capitalises it here
        for name, value in (_status(obj).get("capacity") or {}).items():
            errs += validate_quantity_value(name, value, FieldPath("status", "capacity").key(name))
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec, status = _spec(obj), _status(obj)
        phase = (
            "Terminating" if (obj.get("metadata") or {}).get("deletionTimestamp") else status.get("phase", "")
        )
        capacity = modes = ""
        if spec.get("volumeName"):
            modes = access_modes_text(status.get("accessModes") or [])
            capacity = quantity_string((status.get("capacity") or {}).get("storage", "0"))
        return [
            (obj.get("metadata") or {}).get("name", ""),
            phase,
            spec.get("volumeName", ""),
            capacity,
            modes,
            storage_class(obj),
            spec.get("volumeAttributesClassName", "<unset>"),
            age(obj, now),
            spec.get("volumeMode", "<unset>"),
        ]
