"""VolumeAttachment: the request to attach a volume to a node, and whether it is."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, required, too_long
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
from pyk8s.api.validation import IMMUTABLE, dns1123_subdomain
from pyk8s.kinds.storage import types
from pyk8s.kinds.storage.csidriver import validate_driver_name

RESOURCE = ResourceInfo(
    group="storage.k8s.io",
    version="v1",
    kind="VolumeAttachment",
    plural="volumeattachments",
    singular="volumeattachment",
    namespaced=False,
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

MAX_METADATA_SIZE = 256 * 1024
MAX_ERROR_MESSAGE = 1024
EXACTLY_ONE_SOURCE = "must specify exactly one of inlineVolumeSpec and persistentVolumeName"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def validate_spec(spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    if not spec.get("attacher"):
        errs.append(required(path.child("attacher")))
    source = _dict(spec.get("source"))
    inline, pv = source.get("inlineVolumeSpec"), source.get("persistentVolumeName")
    spath = path.child("source")
    if inline is None and pv is None:
        errs.append(required(spath, EXACTLY_ONE_SOURCE))
    elif inline is not None and pv is not None:
        errs.append(forbidden(spath, EXACTLY_ONE_SOURCE))
    elif pv is not None and not pv:
        errs.append(
            required(spath.child("persistentVolumeName"), "must specify non empty persistentVolumeName")
        )
    node = spec.get("nodeName", "")
    errs += [invalid(path.child("nodeName"), node, m) for m in dns1123_subdomain(node)]
    return errs


def _validate_volume_error(error: Any, path: FieldPath) -> FieldErrors:
    if error is None:
        return []
    errs: FieldErrors = []
    if len(_dict(error).get("message", "")) > MAX_ERROR_MESSAGE:
        # Kubernetes reports the metadata limit here, not the message limit.
        errs.append(too_long(path.child("message"), MAX_METADATA_SIZE))
    code = _dict(error).get("errorCode")
    if isinstance(code, int) and code < 0:
        errs.append(invalid(path.child("errorCode"), code, "must be between 0 and 2147483647, inclusive"))
    return errs


def validate_status(status: dict[str, Any], path: FieldPath) -> FieldErrors:
    metadata = status.get("attachmentMetadata") or {}
    errs: FieldErrors = []
    if sum(len(k) + len(str(v)) for k, v in metadata.items()) > MAX_METADATA_SIZE:
        errs.append(too_long(path.child("attachmentMetadata"), MAX_METADATA_SIZE))
    errs += _validate_volume_error(status.get("attachError"), path.child("attachError"))
    errs += _validate_volume_error(status.get("detachError"), path.child("detachError"))
    return errs


class VolumeAttachmentStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.VolumeAttachment
    columns = (
        NAME,
        Column("Attacher", format="name", description="The CSI driver that attaches the volume."),
        Column("PV", description="The persistent volume being attached."),
        Column("Node", description="The node the volume is attached to."),
        Column("Attached", type="boolean", description="Whether the volume is attached."),
        AGE,
    )

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        obj["status"] = {"attached": False}  # the zero status Kubernetes writes

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec = _dict(obj.get("spec"))
        errs = validate_spec(spec, FieldPath("spec"))
        errs += validate_status(_dict(obj.get("status")), FieldPath("status"))
        # Stricter checks for objects created through v1.
        errs += validate_driver_name(spec.get("attacher", ""), "spec.attacher")
        pv = _dict(spec.get("source")).get("persistentVolumeName")
        if pv is not None:
            errs += [invalid("spec.source.persistentVolumeName", pv, m) for m in dns1123_subdomain(pv)]
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = validate_spec(_dict(obj.get("spec")), FieldPath("spec"))
        errs += validate_status(_dict(obj.get("status")), FieldPath("status"))
        if _dict(obj.get("spec")) != _dict(old.get("spec")):
            errs.append(invalid("spec", obj.get("spec"), IMMUTABLE))
        return errs

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return self.validate_update(ctx, obj, old)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _dict(obj.get("spec"))
        return [
            obj["metadata"].get("name", ""),
            spec.get("attacher", ""),
            _dict(spec.get("source")).get("persistentVolumeName", ""),
            spec.get("nodeName", ""),
            bool(_dict(obj.get("status")).get("attached", False)),
            age(obj, now),
        ]
