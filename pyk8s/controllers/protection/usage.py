"""Whether a claim or a volume is still in use (pure): the protection controllers keep
their finalizers until it is not.

- A PersistentVolumeClaim is in use while a pod that is scheduled and not terminated
  (Succeeded/Failed) mounts it, directly or as the claim of a generic ephemeral volume
  (`<pod name>-<volume name>`, owned by the pod). An unscheduled pod does not count: the
  scheduler will not place a pod on a claim being deleted.
- A PersistentVolume is in use while it is Bound.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Obj = dict[str, Any]

PVC_PROTECTION = "kubernetes.io/pvc-protection"
PV_PROTECTION = "kubernetes.io/pv-protection"


def claim_names(pod: Mapping[str, Any]) -> list[str]:
    """The claims a pod mounts (ephemeral volumes included)."""
    name = (pod.get("metadata") or {}).get("name") or ""
    names = []
    for volume in (pod.get("spec") or {}).get("volumes") or []:
        claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        if claim:
            names.append(str(claim))
        elif volume.get("ephemeral") is not None:
            names.append(f"{name}-{volume.get('name')}")
    return names


def _terminated(pod: Mapping[str, Any]) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def pod_uses_claim(pod: Mapping[str, Any], claim: str) -> bool:
    if not (pod.get("spec") or {}).get("nodeName") or _terminated(pod):
        return False
    return claim in claim_names(pod)


def claim_in_use(claim: str, pods: Iterable[Mapping[str, Any]]) -> bool:
    return any(pod_uses_claim(pod, claim) for pod in pods)


def volume_in_use(volume: Mapping[str, Any]) -> bool:
    return (volume.get("status") or {}).get("phase") == "Bound"


def is_deleting(obj: Mapping[str, Any]) -> bool:
    return bool((obj.get("metadata") or {}).get("deletionTimestamp"))


def has_finalizer(obj: Mapping[str, Any], finalizer: str) -> bool:
    return finalizer in ((obj.get("metadata") or {}).get("finalizers") or [])


def finalizer_patch(obj: Mapping[str, Any], finalizer: str, *, present: bool) -> Obj | None:
    """A merge patch (guarded by resourceVersion) adding or removing `finalizer`; None if
    nothing changes."""
    meta = obj.get("metadata") or {}
    finalizers = list(meta.get("finalizers") or [])
    if (finalizer in finalizers) == present:
        return None
    updated = [*finalizers, finalizer] if present else [f for f in finalizers if f != finalizer]
    return {"metadata": {"finalizers": updated or None, "resourceVersion": meta.get("resourceVersion")}}
