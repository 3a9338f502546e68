"""A StatefulSet pod's identity and storage, as plain data.

Pod `<set>-<ordinal>` (ordinals from `spec.ordinals.start`) has hostname `<set>-<ordinal>`,
subdomain `spec.serviceName`, labels `statefulset.kubernetes.io/pod-name`,
`apps.kubernetes.io/pod-index` and `controller-revision-hash`, and for each volume claim
template `<claim>` a volume of that name backed by the PersistentVolumeClaim
`<claim>-<set>-<ordinal>`, which carries the template's labels plus the set's
`selector.matchLabels`.

`persistentVolumeClaimRetentionPolicy` is carried out with owner references on the claims,
which the garbage collector acts on:

    whenScaled  whenDeleted  the claim of a pod inside the ordinal range  ... outside it
    Retain      Retain       no reference                                 no reference
    Retain      Delete       owned by the set                             owned by the set
    Delete      Retain       no reference                                 owned by the pod
    Delete      Delete       owned by the set                             owned by the pod

Claims carrying a reference to an earlier incarnation of the set or pod (same name, other
UID), or controlled by something else, are left alone.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from pyk8s.controllers.history import POD_REVISION_LABEL
from pyk8s.controllers.runtime.ownership import new_controller_ref
from pyk8s.controllers.runtime.podcontrol import pod_from_template

Obj = dict[str, Any]
Data = Mapping[str, Any]  # an object only read

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
SET_API_VERSION, SET_KIND = "apps/v1", "StatefulSet"
POD_API_VERSION, POD_KIND = "v1", "Pod"
RETAIN, DELETE = "Retain", "Delete"

_MEMBER = re.compile(r"^(.*)-([0-9]+)$")
_INT32_MAX = 2**31 - 1


def _meta(obj: Data) -> Data:
    return obj.get("metadata") or {}


def _spec(obj: Data) -> Data:
    return obj.get("spec") or {}


def name_of(obj: Data) -> str:
    return str(_meta(obj).get("name", ""))


def uid_of(obj: Data) -> str:
    return str(_meta(obj).get("uid", ""))


# ordinals


def parent_and_ordinal(pod_name: str) -> tuple[str, int]:
    """(set name, ordinal) read from a pod name; ("", -1) when it is not `<name>-<n>`."""
    match = _MEMBER.match(pod_name)
    if match is None:
        return "", -1
    ordinal = int(match.group(2))
    return match.group(1), ordinal if ordinal <= _INT32_MAX else -1


def ordinal_of(pod: Data) -> int:
    return parent_and_ordinal(name_of(pod))[1]


def start_ordinal(sts: Data) -> int:
    return int((_spec(sts).get("ordinals") or {}).get("start") or 0)


def replicas_of(sts: Data) -> int:
    replicas = _spec(sts).get("replicas")
    return 1 if replicas is None else int(replicas)


def in_ordinal_range(pod: Data, sts: Data) -> bool:
    """The pod's ordinal is one the set currently wants."""
    ordinal, start = ordinal_of(pod), start_ordinal(sts)
    return start <= ordinal <= start + replicas_of(sts) - 1


def pod_name(sts: Data, ordinal: int) -> str:
    return f"{name_of(sts)}-{ordinal}"


def claim_name(sts: Data, template: Data, ordinal: int) -> str:
    return f"{name_of(template)}-{name_of(sts)}-{ordinal}"


def is_member_of(sts: Data, pod: Data) -> bool:
    return parent_and_ordinal(name_of(pod))[0] == name_of(sts)


def pod_revision(pod: Data) -> str:
    return str((_meta(pod).get("labels") or {}).get(POD_REVISION_LABEL, ""))


# identity and storage


def identity_matches(sts: Data, pod: Data) -> bool:
    """Name, namespace and pod-name label are the set's for the pod's ordinal."""
    parent, ordinal = parent_and_ordinal(name_of(pod))
    return (
        ordinal >= 0
        and parent == name_of(sts)
        and name_of(pod) == pod_name(sts, ordinal)
        and _meta(pod).get("namespace") == _meta(sts).get("namespace")
        and (_meta(pod).get("labels") or {}).get(POD_NAME_LABEL) == name_of(pod)
    )


def claim_templates(sts: Data) -> list[Data]:
    return list(_spec(sts).get("volumeClaimTemplates") or ())


def storage_matches(sts: Data, pod: Data) -> bool:
    """Every claim template has a volume of its name backed by the pod's claim."""
    ordinal = ordinal_of(pod)
    if ordinal < 0:
        return False
    volumes = {v.get("name"): v for v in _spec(pod).get("volumes") or ()}
    for template in claim_templates(sts):
        volume = volumes.get(name_of(template))
        source = (volume or {}).get("persistentVolumeClaim") or {}
        if volume is None or source.get("claimName") != claim_name(sts, template, ordinal):
            return False
    return True


def pod_claims(sts: Data, ordinal: int) -> dict[str, Obj]:
    """The claims a member needs, by template name (getPersistentVolumeClaims)."""
    match_labels = (_spec(sts).get("selector") or {}).get("matchLabels") or {}
    claims: dict[str, Obj] = {}
    for template in claim_templates(sts):
        claim = copy.deepcopy(dict(template))
        claim.pop("status", None)
        meta = claim.setdefault("metadata", {})
        meta["name"] = claim_name(sts, template, ordinal)
        meta["namespace"] = _meta(sts).get("namespace", "")
        meta["labels"] = {**(meta.get("labels") or {}), **match_labels}
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        claims[name_of(template)] = claim
    return claims


def update_storage(sts: Data, pod: Obj) -> None:
    """Point the pod's claim volumes at its claims (replacing same-named volumes)."""
    claims = pod_claims(sts, ordinal_of(pod))
    spec = pod.setdefault("spec", {})
    volumes: list[Obj] = [
        {"name": name, "persistentVolumeClaim": {"claimName": claim["metadata"]["name"]}}
        for name, claim in claims.items()
    ]
    volumes += [v for v in spec.get("volumes") or () if v.get("name") not in claims]
    spec["volumes"] = volumes


def update_identity(sts: Data, pod: Obj) -> None:
    """Name, namespace and the identity labels for the pod's ordinal."""
    ordinal = ordinal_of(pod)
    meta = pod.setdefault("metadata", {})
    meta["name"] = pod_name(sts, ordinal)
    meta["namespace"] = _meta(sts).get("namespace", "")
    labels = meta.setdefault("labels", {})
    labels[POD_NAME_LABEL] = meta["name"]
    labels[POD_INDEX_LABEL] = str(ordinal)


def new_pod(sts: Data, ordinal: int, revision: str) -> Obj:
    """Member `ordinal` made from `sts`'s template and labelled with `revision`."""
    ref = new_controller_ref(sts, api_version=SET_API_VERSION, kind=SET_KIND)
    pod = pod_from_template(_spec(sts).get("template") or {}, sts, ref)
    pod["metadata"]["name"] = pod_name(sts, ordinal)
    update_identity(sts, pod)
    # hostname and subdomain are set once, when the pod is made (they are immutable)
    pod["spec"]["hostname"] = pod["metadata"]["name"]
    if _spec(sts).get("serviceName"):
        pod["spec"]["subdomain"] = _spec(sts)["serviceName"]
    update_storage(sts, pod)
    pod["metadata"].setdefault("labels", {})[POD_REVISION_LABEL] = revision
    return pod


def new_versioned_pod(
    current_set: Data,
    update_set: Data,
    current_revision: str,
    update_revision: str,
    ordinal: int,
) -> Obj:
    """Member `ordinal` at the revision it should have: below the partition (or, without a
    rollingUpdate block, below the current replicas) it keeps the current revision."""
    strategy = _spec(current_set).get("updateStrategy") or {}
    rolling = strategy.get("rollingUpdate")
    start = start_ordinal(current_set)
    current_replicas = int((current_set.get("status") or {}).get("currentReplicas") or 0)
    keeps_current = (
        strategy.get("type") == "RollingUpdate" and rolling is None and ordinal < start + current_replicas
    ) or (rolling is not None and ordinal < start + int(rolling.get("partition") or 0))
    if keeps_current:
        return new_pod(current_set, ordinal, current_revision)
    return new_pod(update_set, ordinal, update_revision)


# retention policy


def retention_policy(sts: Data) -> tuple[str, str]:
    """(whenScaled, whenDeleted), Retain when unset."""
    policy = _spec(sts).get("persistentVolumeClaimRetentionPolicy") or {}
    return policy.get("whenScaled") or RETAIN, policy.get("whenDeleted") or RETAIN


def _matches_ref(ref: Data, obj: Data, api_version: str, kind: str) -> bool:
    same_kind = ref.get("apiVersion") == api_version and ref.get("kind") == kind
    return same_kind and ref.get("name") == name_of(obj)


def _refs(claim: Data) -> list[Data]:
    return list(_meta(claim).get("ownerReferences") or ())


def has_owner_ref(target: Data, owner: Data) -> bool:
    uid = uid_of(owner)
    return any(ref.get("uid") == uid for ref in _refs(target))


def has_stale_owner_ref(claim: Data, obj: Data, api_version: str, kind: str) -> bool:
    """The claim references `obj` by kind and name, but another incarnation (UID) of it."""
    for ref in _refs(claim):
        if _matches_ref(ref, obj, api_version, kind):
            return ref.get("uid") != uid_of(obj)
    return False


def has_unexpected_controller(claim: Data, sts: Data, pod: Data) -> bool:
    """Under a deleting policy, a controller other than this set or pod owns the claim (or a
    reference names them with another UID)."""
    if retention_policy(sts) == (RETAIN, RETAIN):
        return False
    for ref in _refs(claim):
        if _matches_ref(ref, sts, SET_API_VERSION, SET_KIND):
            if ref.get("uid") != uid_of(sts):
                return True
            continue
        if _matches_ref(ref, pod, POD_API_VERSION, POD_KIND):
            if ref.get("uid") != uid_of(pod):
                return True
            continue
        if ref.get("controller"):
            return True
    return False


def _has_non_controller_owner(claim: Data, sts: Data, pod: Data) -> bool:
    owners = {uid_of(sts), uid_of(pod)}
    return any(ref.get("uid") in owners and not ref.get("controller") for ref in _refs(claim))


def _wanted_owners(sts: Data, pod: Data) -> tuple[bool, bool]:
    """(set owns it, pod owns it) under the policy, for this pod's claim."""
    when_scaled, when_deleted = retention_policy(sts)
    scaled_down = not in_ordinal_range(pod, sts)
    if when_scaled == DELETE:
        return (when_deleted == DELETE and not scaled_down), scaled_down
    return when_deleted == DELETE, False


def claim_owners_up_to_date(claim: Data, sts: Data, pod: Data) -> bool:
    """The claim's owner references agree with the retention policy (isClaimOwnerUpToDate).

    Claims managed by an earlier incarnation, or by another controller without references
    to this set or pod, count as up to date: they are not ours to change.
    """
    if has_stale_owner_ref(claim, sts, SET_API_VERSION, SET_KIND) or has_stale_owner_ref(
        claim, pod, POD_API_VERSION, POD_KIND
    ):
        return True
    if has_unexpected_controller(claim, sts, pod):
        return not (has_owner_ref(claim, sts) or has_owner_ref(claim, pod))
    if _has_non_controller_owner(claim, sts, pod):
        return False
    set_owns, pod_owns = _wanted_owners(sts, pod)
    return has_owner_ref(claim, sts) == set_owns and has_owner_ref(claim, pod) == pod_owns


def claim_with_owners(claim: Data, sts: Data, pod: Data) -> Obj:
    """A copy of the claim with owner references set per the retention policy
    (updateClaimOwnerRefForSetAndPod): references to this set and pod are rewritten, others
    kept; with an unexpected controller, ours are only removed."""
    updated = copy.deepcopy(dict(claim))
    unexpected = has_unexpected_controller(claim, sts, pod)

    def ours(ref: Data) -> bool:
        return _matches_ref(ref, sts, SET_API_VERSION, SET_KIND) or _matches_ref(
            ref, pod, POD_API_VERSION, POD_KIND
        )

    refs = [dict(ref) for ref in _refs(claim) if not ours(ref)]
    if not unexpected:
        set_owns, pod_owns = _wanted_owners(sts, pod)
        if set_owns:
            refs.append(new_controller_ref(sts, api_version=SET_API_VERSION, kind=SET_KIND))
        if pod_owns:
            refs.append(new_controller_ref(pod, api_version=POD_API_VERSION, kind=POD_KIND))
    updated.setdefault("metadata", {})["ownerReferences"] = refs
    if not refs:
        updated["metadata"].pop("ownerReferences")
    return updated


ClaimLookup = Callable[[str], Data | None]


def claims_match_policy(sts: Data, pod: Data, lookup: ClaimLookup) -> bool:
    """Every existing claim of the pod has the owners the policy asks for (missing claims
    are picked up later)."""
    ordinal = ordinal_of(pod)
    for template in claim_templates(sts):
        claim = lookup(claim_name(sts, template, ordinal))
        if claim is not None and not claim_owners_up_to_date(claim, sts, pod):
            return False
    return True


def pod_claim_is_stale(sts: Data, pod: Data, lookup: ClaimLookup) -> bool:
    """With whenScaled=Delete, a claim still owned by an earlier pod of the same name is on
    its way out (the garbage collector deletes it): the pod must wait for a fresh claim."""
    if retention_policy(sts)[0] == RETAIN:
        return False
    for claim in pod_claims(sts, ordinal_of(pod)).values():
        existing = lookup(claim["metadata"]["name"])
        if existing is not None and has_stale_owner_ref(existing, pod, POD_API_VERSION, POD_KIND):
            return True
    return False
