"""CSIDriver: how Kubernetes talks to one installed CSI volume driver."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, invalid, not_supported, required, too_long
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import dns1123_subdomain, validate_immutable
from pyk8s.kinds.storage import types

RESOURCE = ResourceInfo(
    group="storage.k8s.io",
    version="v1",
    kind="CSIDriver",
    plural="csidrivers",
    singular="csidriver",
    namespaced=False,
)

FS_GROUP_POLICIES = ["File", "None", "ReadWriteOnceWithFSType"]
LIFECYCLE_MODES = ["Persistent", "Ephemeral"]
MIN_TOKEN_SECONDS = 600
MAX_TOKEN_SECONDS = 1 << 32


def validate_driver_name(name: str, path: FieldPath | str) -> FieldErrors:
    """A CSI driver name as pods, nodes and attachments refer to it (ValidateCSIDriverName)."""
    errs: FieldErrors = []
    if not name:
        errs.append(required(path))
    if len(name) > 63:
        errs.append(too_long(path, 63))
    errs += [invalid(path, name, msg) for msg in dns1123_subdomain(name.lower())]
    return errs


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def validate_csidriver_spec(spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    # Kubernetes names the first field "attachedRequired" in this message.
    for key, name in (
        ("attachRequired", "attachedRequired"),
        ("podInfoOnMount", "podInfoOnMount"),
        ("storageCapacity", "storageCapacity"),
    ):
        if spec.get(key) is None:
            errs.append(required(path.child(name)))
    policy = spec.get("fsGroupPolicy")
    if policy is not None and policy not in FS_GROUP_POLICIES:
        errs.append(not_supported(path.child("fsGroupPolicy"), policy, FS_GROUP_POLICIES))
    audiences: set[str] = set()
    for i, request in enumerate(spec.get("tokenRequests") or []):
        rpath = path.child("tokenRequests").index(i)
        audience = request.get("audience", "")
        if audience in audiences:
            errs.append(duplicate(rpath.child("audience"), audience))
            continue
        audiences.add(audience)
        seconds = request.get("expirationSeconds")
        if seconds is None:
            continue
        if seconds < MIN_TOKEN_SECONDS:
            errs.append(
                invalid(
                    rpath.child("expirationSeconds"),
                    seconds,
                    "may not specify a duration less than 10 minutes",
                )
            )
        if seconds > MAX_TOKEN_SECONDS:
            errs.append(
                invalid(
                    rpath.child("expirationSeconds"),
                    seconds,
                    "may not specify a duration larger than 2^32 seconds",
                )
            )
    for mode in spec.get("volumeLifecycleModes") or []:
        if mode not in LIFECYCLE_MODES:
            errs.append(not_supported(path.child("volumeLifecycleModes"), mode, LIFECYCLE_MODES))
    if spec.get("seLinuxMount") is None:
        errs.append(required(path.child("seLinuxMount")))
    period = spec.get("nodeAllocatableUpdatePeriodSeconds")
    if period is not None and period < 10:
        errs.append(
            invalid(
                path.child("nodeAllocatableUpdatePeriodSeconds"),
                period,
                "must be greater than or equal to 10 seconds",
            )
        )
    return errs


class CSIDriverStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.CSIDriver
    has_status = False
    columns = (
        NAME,
        Column("AttachRequired", type="boolean", description="Whether volumes need an attach step."),
        Column("PodInfoOnMount", type="boolean", description="Whether mounts get the pod's details."),
        Column("StorageCapacity", type="boolean", description="Whether the driver reports capacity."),
        Column("TokenRequests", description="Audiences of the service account tokens the driver gets."),
        Column(
            "RequiresRepublish", type="boolean", description="Whether volumes are mounted again periodically."
        ),
        Column("Modes", description="The volume lifecycle modes the driver supports."),
        AGE,
    )

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("attachRequired", True)
        spec.setdefault("podInfoOnMount", False)
        spec.setdefault("storageCapacity", False)
        spec.setdefault("fsGroupPolicy", "ReadWriteOnceWithFSType")
        if not spec.get("volumeLifecycleModes"):
            spec["volumeLifecycleModes"] = ["Persistent"]
        spec.setdefault("requiresRepublish", False)
        spec.setdefault("seLinuxMount", False)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_csidriver_spec(_spec(obj), FieldPath("spec"))

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        spec, old_spec = _spec(obj), _spec(old)
        errs = self.validate(ctx, obj)
        errs += validate_immutable(
            spec.get("attachRequired"), old_spec.get("attachRequired"), "spec.attachedRequired"
        )
        errs += validate_immutable(
            spec.get("volumeLifecycleModes"),
            old_spec.get("volumeLifecycleModes"),
            "spec.volumeLifecycleModes",
        )
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _spec(obj)
        requests = spec.get("tokenRequests")
        tokens = ",".join(r.get("audience", "") for r in requests) if requests is not None else "<unset>"
        return [
            obj["metadata"].get("name", ""),
            bool(spec.get("attachRequired", True)),
            bool(spec.get("podInfoOnMount", False)),
            bool(spec.get("storageCapacity", False)),
            tokens,
            bool(spec.get("requiresRepublish", False)),
            ",".join(spec.get("volumeLifecycleModes") or []) or "<none>",
            age(obj, now),
        ]
