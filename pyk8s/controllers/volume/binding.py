"""PersistentVolume binding decisions (Kubernetes' PV controller), pure functions over dicts.

Matching a claim to a volume:
- the volume is not being deleted, is Available (or pre-bound to this claim by claimRef);
- same storage class ("" matches only "");
- the volume offers every access mode the claim asks for;
- same volumeMode (Filesystem when unset);
- the claim's label selector matches the volume's labels;
- capacity >= the request; among fits, the smallest (then by name, for stability).
A volume pre-bound to the claim (claimRef names it) wins over any other fit.

Binding writes both sides, volume first (so two claims never take one volume):
    volume.spec.claimRef -> claim      annotation pv.kubernetes.io/bound-by-controller=yes
    volume.status.phase  = Bound
    claim.spec.volumeName -> volume    annotations pv.kubernetes.io/bind-completed=yes and
                                       (if the controller chose) bound-by-controller=yes
    claim.status: Bound, capacity and accessModes of the volume

Phases: claim Pending -> Bound (-> Lost if its volume disappears); volume Available ->
Bound -> Released (claim gone) -> deleted (reclaim Delete) / kept (Retain) / Failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pyk8s.api.quantity import Quantity
from pyk8s.api.selectors import LabelSelector, SelectorError

Obj = dict[str, Any]

BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
BETA_PROVISIONED_BY = "volume.beta.kubernetes.io/storage-provisioner"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
NO_PROVISIONER = "kubernetes.io/no-provisioner"
YES = "yes"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def claim_class(claim: Mapping[str, Any]) -> str:
    return str((claim.get("spec") or {}).get("storageClassName") or "")


def volume_class(volume: Mapping[str, Any]) -> str:
    return str((volume.get("spec") or {}).get("storageClassName") or "")


def claim_request(claim: Mapping[str, Any]) -> Quantity:
    storage = (((claim.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage")
    return Quantity.parse(storage if storage is not None else "0")


def volume_capacity(volume: Mapping[str, Any]) -> Quantity:
    storage = ((volume.get("spec") or {}).get("capacity") or {}).get("storage")
    return Quantity.parse(storage if storage is not None else "0")


def _mode(obj: Mapping[str, Any]) -> str:
    return str((obj.get("spec") or {}).get("volumeMode") or "Filesystem")


def claim_ref_names(volume: Mapping[str, Any], claim: Mapping[str, Any]) -> bool:
    """Whether the volume's claimRef points at this claim (uid too, when the ref has one)."""
    ref = (volume.get("spec") or {}).get("claimRef")
    if not ref:
        return False
    meta = _meta(claim)
    if ref.get("name") != meta.get("name") or (ref.get("namespace") or "") != meta.get("namespace"):
        return False
    return not ref.get("uid") or ref.get("uid") == meta.get("uid")


def _selector_matches(claim: Mapping[str, Any], volume: Mapping[str, Any]) -> bool:
    selector = (claim.get("spec") or {}).get("selector")
    if not selector:
        return True
    try:
        return LabelSelector.from_object(selector).matches(_meta(volume).get("labels") or {})
    except SelectorError:
        return False


def volume_fits(claim: Mapping[str, Any], volume: Mapping[str, Any]) -> bool:
    """Everything but availability: class, access modes, volume mode, selector, size."""
    if volume_class(volume) != claim_class(claim):
        return False
    offered = set((volume.get("spec") or {}).get("accessModes") or [])
    if not set((claim.get("spec") or {}).get("accessModes") or []) <= offered:
        return False
    if _mode(volume) != _mode(claim):
        return False
    if not _selector_matches(claim, volume):
        return False
    return volume_capacity(volume) >= claim_request(claim)


def is_available_for(volume: Mapping[str, Any], claim: Mapping[str, Any]) -> bool:
    if _meta(volume).get("deletionTimestamp"):
        return False
    ref = (volume.get("spec") or {}).get("claimRef")
    if ref:
        return claim_ref_names(volume, claim)
    return (volume.get("status") or {}).get("phase") in (None, "", "Available", "Pending")


def find_best_match(
    claim: Mapping[str, Any], volumes: Iterable[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    """The volume this claim should bind to: one pre-bound to it, else the smallest fit."""
    best: Mapping[str, Any] | None = None
    for volume in volumes:
        if not is_available_for(volume, claim) or not volume_fits(claim, volume):
            continue
        if (volume.get("spec") or {}).get("claimRef"):
            return volume  # pre-bound to this very claim
        if best is None or (volume_capacity(volume), _meta(volume).get("name", "")) < (
            volume_capacity(best),
            _meta(best).get("name", ""),
        ):
            best = volume
    return best


def claim_ref(claim: Mapping[str, Any]) -> Obj:
    meta = _meta(claim)
    return {
        "kind": "PersistentVolumeClaim",
        "namespace": meta.get("namespace"),
        "name": meta.get("name"),
        "uid": meta.get("uid"),
        "apiVersion": "v1",
        "resourceVersion": meta.get("resourceVersion"),
    }


def volume_bound_patch(volume: Mapping[str, Any], claim: Mapping[str, Any]) -> Obj | None:
    """The merge patch binding the volume to the claim (None if already so)."""
    spec = volume.get("spec") or {}
    annotations = _meta(volume).get("annotations") or {}
    ref = spec.get("claimRef")
    if ref and ref.get("uid") == _meta(claim).get("uid") and ref.get("name") == _meta(claim).get("name"):
        return None
    patch: Obj = {
        "metadata": {"resourceVersion": _meta(volume).get("resourceVersion")},
        "spec": {"claimRef": claim_ref(claim)},
    }
    if not ref and annotations.get(BOUND_BY_CONTROLLER) != YES:
        patch["metadata"]["annotations"] = {BOUND_BY_CONTROLLER: YES}
    return patch


def claim_bound_patch(claim: Mapping[str, Any], volume: Mapping[str, Any]) -> Obj | None:
    """The merge patch of the claim's spec/metadata for binding (None if already done)."""
    spec = claim.get("spec") or {}
    annotations = dict(_meta(claim).get("annotations") or {})
    name = _meta(volume).get("name")
    wanted: dict[str, str] = {}
    if annotations.get(BIND_COMPLETED) != YES:
        wanted[BIND_COMPLETED] = YES
    if not spec.get("volumeName") and annotations.get(BOUND_BY_CONTROLLER) != YES:
        wanted[BOUND_BY_CONTROLLER] = YES
    if spec.get("volumeName") == name and not wanted:
        return None
    patch: Obj = {"metadata": {"resourceVersion": _meta(claim).get("resourceVersion")}}
    if wanted:
        patch["metadata"]["annotations"] = wanted
    if spec.get("volumeName") != name:
        patch["spec"] = {"volumeName": name}
    return patch


def claim_bound_status(claim: Mapping[str, Any], volume: Mapping[str, Any]) -> Obj | None:
    """The claim's status once bound (None if it already says so)."""
    status = claim.get("status") or {}
    vspec = volume.get("spec") or {}
    wanted = {
        "phase": "Bound",
        "accessModes": list(vspec.get("accessModes") or []),
        "capacity": dict(vspec.get("capacity") or {}),
    }
    if all(status.get(k) == v for k, v in wanted.items()):
        return None
    return wanted


def volume_phase(volume: Mapping[str, Any]) -> str:
    return str((volume.get("status") or {}).get("phase") or "")


def is_bound_claim(claim: Mapping[str, Any]) -> bool:
    return (
        bool((claim.get("spec") or {}).get("volumeName"))
        and _meta(claim).get("annotations", {}).get(BIND_COMPLETED) == YES
    )


def volume_claim_state(volume: Mapping[str, Any], claim: Mapping[str, Any] | None) -> str:
    """What the volume's claimRef points at: "none", "missing" (the claim is gone or was
    recreated: uid differs), "unbound" (the claim has not taken it yet) or "bound"."""
    ref = (volume.get("spec") or {}).get("claimRef")
    if not ref:
        return "none"
    if claim is None or (ref.get("uid") and ref.get("uid") != _meta(claim).get("uid")):
        return "missing"
    if (claim.get("spec") or {}).get("volumeName") == _meta(volume).get("name"):
        return "bound"
    return "unbound"


def needs_external_deleter(volume: Mapping[str, Any]) -> str:
    """The provisioner that must delete this volume's storage, or "" when none is needed
    (hostPath, local and other statically created volumes: deleting the object is enough)."""
    annotations = _meta(volume).get("annotations") or {}
    provisioner = str(annotations.get(PROVISIONED_BY) or "")
    if provisioner and provisioner != NO_PROVISIONER:
        return provisioner
    csi = (volume.get("spec") or {}).get("csi")
    if csi and csi.get("driver"):
        return str(csi["driver"])
    return ""
