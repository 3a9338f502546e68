"""A Deployment's ReplicaSets as data: which one is new, which are old, what they count.

The new ReplicaSet is the oldest one whose pod template equals the Deployment's, ignoring the
pod-template-hash label (templates are compared, never hashes). Every other ReplicaSet the
Deployment owns is old. Counts come from ReplicaSet specs (`replicas`: what is asked for) or
statuses (`replicas`, `readyReplicas`, `availableReplicas`: what runs).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from pyk8s.controllers.deployment import revisions
from pyk8s.controllers.deployment.fenceposts import spec_replicas
from pyk8s.controllers.deployment.templatehash import LABEL, compute_hash

Obj = dict[str, Any]


# fields


def rs_replicas(rs: Obj) -> int:
    """`spec.replicas` of a ReplicaSet (defaulted to 1 by the API server)."""
    value = (rs.get("spec") or {}).get("replicas", 1)
    return value if isinstance(value, int) else 1


def status_count(rs: Obj, field: str) -> int:
    value = (rs.get("status") or {}).get(field, 0)
    return value if isinstance(value, int) else 0


def uid(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("uid", ""))


def name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name", ""))


def is_deleting(obj: Obj) -> bool:
    return bool((obj.get("metadata") or {}).get("deletionTimestamp"))


# orderings (Kubernetes' ReplicaSetsByCreationTimestamp and friends)


def by_creation(rs: Obj) -> tuple[str, str]:
    """Oldest first; the name breaks ties. RFC 3339 UTC timestamps sort as text."""
    meta = rs.get("metadata") or {}
    return (str(meta.get("creationTimestamp", "")), str(meta.get("name", "")))


def sorted_by_creation(replica_sets: Iterable[Obj]) -> list[Obj]:
    return sorted(replica_sets, key=by_creation)


def sorted_by_revision(replica_sets: Iterable[Obj]) -> list[Obj]:
    """Lowest revision first, then oldest (ReplicaSetsByRevision)."""

    def key(rs: Obj) -> tuple[int, tuple[str, str]]:
        try:
            return (revisions.revision(rs), by_creation(rs))
        except ValueError:
            return (0, by_creation(rs))

    return sorted(replica_sets, key=key)


def sorted_by_size_newer(replica_sets: Iterable[Obj]) -> list[Obj]:
    """Largest first; among equals, the newest first (where a scale-up goes first)."""
    by_age = sorted_by_creation(replica_sets)[::-1]
    return sorted(by_age, key=rs_replicas, reverse=True)


def sorted_by_size_older(replica_sets: Iterable[Obj]) -> list[Obj]:
    """Largest first; among equals, the oldest first (where a scale-down goes first)."""
    return sorted(sorted_by_creation(replica_sets), key=rs_replicas, reverse=True)


# new and old


def template_without_hash(template: Obj | None) -> Obj:
    """A copy of a pod template without the pod-template-hash label."""
    return copy.deepcopy(_view_without_hash(template))


def equal_ignore_hash(a: Obj | None, b: Obj | None) -> bool:
    """Whether two pod templates are equal but for the pod-template-hash label."""
    return _view_without_hash(a) == _view_without_hash(b)


def _view_without_hash(template: Obj | None) -> Obj:
    """The pod template without the pod-template-hash label, sharing what it does not change
    with `template` (every reconcile compares each ReplicaSet's template; deep copies were most
    of its cost): `template_without_hash` copies it, `equal_ignore_hash` only compares."""
    if not template:
        return {}
    meta = template.get("metadata")
    labels = (meta or {}).get("labels")
    if not isinstance(labels, dict):
        return template
    meta = {k: v for k, v in meta.items() if k != "labels"}
    kept = {k: v for k, v in labels.items() if k != LABEL}
    if kept:
        meta["labels"] = kept
    if not meta:
        return {k: v for k, v in template.items() if k != "metadata"}
    return {**template, "metadata": meta}


def find_new(deployment: Obj, replica_sets: Iterable[Obj]) -> Obj | None:
    """The oldest ReplicaSet running the Deployment's template, if any."""
    template = (deployment.get("spec") or {}).get("template")
    for rs in sorted_by_creation(replica_sets):
        if equal_ignore_hash((rs.get("spec") or {}).get("template"), template):
            return rs
    return None


def find_old(deployment: Obj, replica_sets: Sequence[Obj]) -> tuple[list[Obj], list[Obj]]:
    """(old ReplicaSets with replicas, all old ReplicaSets)."""
    new = find_new(deployment, replica_sets)
    new_uid = uid(new) if new is not None else None
    every = [rs for rs in replica_sets if new_uid is None or uid(rs) != new_uid]
    return [rs for rs in every if rs_replicas(rs) != 0], every


def active(replica_sets: Iterable[Obj | None]) -> list[Obj]:
    """The ReplicaSets asked to run at least one pod (FilterActiveReplicaSets)."""
    return [rs for rs in replica_sets if rs is not None and rs_replicas(rs) > 0]


def find_active_or_latest(new: Obj | None, old: Sequence[Obj]) -> Obj | None:
    """The only active ReplicaSet, or the newest one when none is active; None when several
    are active (they are then scaled proportionally)."""
    if new is None and not old:
        return None
    newest_first = sorted_by_creation(old)[::-1]
    running = active([*newest_first, new])
    if not running:
        return new if new is not None else newest_first[0]
    return running[0] if len(running) == 1 else None


# counts


def total_replicas(replica_sets: Iterable[Obj | None]) -> int:
    """The pods asked for (sum of `spec.replicas`)."""
    return sum(rs_replicas(rs) for rs in replica_sets if rs is not None)


def actual_replicas(replica_sets: Iterable[Obj | None]) -> int:
    """The pods running (sum of `status.replicas`)."""
    return sum(status_count(rs, "replicas") for rs in replica_sets if rs is not None)


def ready_replicas(replica_sets: Iterable[Obj | None]) -> int:
    return sum(status_count(rs, "readyReplicas") for rs in replica_sets if rs is not None)


def available_replicas(replica_sets: Iterable[Obj | None]) -> int:
    return sum(status_count(rs, "availableReplicas") for rs in replica_sets if rs is not None)


def terminating_replicas(replica_sets: Iterable[Obj | None]) -> int | None:
    """Pods shutting down, or None when no ReplicaSet reports the field."""
    values = [(rs.get("status") or {}).get("terminatingReplicas") for rs in replica_sets if rs is not None]
    reported = [v for v in values if isinstance(v, int)]
    return sum(reported) if reported else None


def is_saturated(deployment: Obj, rs: Obj | None) -> bool:
    """Whether `rs` alone runs the Deployment in full: asked, recorded and available."""
    if rs is None:
        return False
    desired = revisions.int_annotation(rs, revisions.DESIRED_REPLICAS)
    replicas = spec_replicas(deployment)
    return (
        desired == replicas
        and rs_replicas(rs) == replicas
        and status_count(rs, "availableReplicas") == replicas
    )


# building the new ReplicaSet


def controller_ref(deployment: Obj) -> Obj:
    """The owner reference that makes a Deployment the controller of a ReplicaSet."""
    meta = deployment.get("metadata") or {}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": meta.get("name", ""),
        "uid": meta.get("uid", ""),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def new_replica_set(deployment: Obj, replicas: int) -> Obj:
    """The ReplicaSet for the Deployment's current template (without annotations), named
    `<deployment>-<pod-template-hash>` so that creating it twice collides."""
    meta, spec = deployment.get("metadata") or {}, deployment.get("spec") or {}
    template = copy.deepcopy(spec.get("template") or {})
    collision_count = (deployment.get("status") or {}).get("collisionCount")
    pod_hash = compute_hash(template, collision_count)
    template_meta = template.setdefault("metadata", {})
    labels = {**(template_meta.get("labels") or {}), LABEL: pod_hash}
    template_meta["labels"] = labels
    selector = copy.deepcopy(spec.get("selector") or {})
    selector["matchLabels"] = {**(selector.get("matchLabels") or {}), LABEL: pod_hash}
    rs_spec: Obj = {"replicas": replicas, "selector": selector, "template": template}
    if spec.get("minReadySeconds"):
        rs_spec["minReadySeconds"] = spec["minReadySeconds"]
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{meta.get('name', '')}-{pod_hash}",
            "namespace": meta.get("namespace", ""),
            "labels": dict(labels),
            "ownerReferences": [controller_ref(deployment)],
        },
        "spec": rs_spec,
    }


# revision history cleanup


def history_to_delete(deployment: Obj, old: Sequence[Obj]) -> list[Obj]:
    """The old ReplicaSets beyond `revisionHistoryLimit` that can go: oldest revisions
    first, only those scaled to 0 with no pods left and their spec observed."""
    limit = (deployment.get("spec") or {}).get("revisionHistoryLimit")
    if not isinstance(limit, int) or limit == 2**31 - 1:
        return []
    alive = [rs for rs in old if not is_deleting(rs)]
    excess = len(alive) - limit
    if excess <= 0:
        return []
    result = []
    for rs in sorted_by_revision(alive)[:excess]:
        meta, status = rs.get("metadata") or {}, rs.get("status") or {}
        if status.get("replicas", 0) != 0 or rs_replicas(rs) != 0:
            continue
        if meta.get("generation", 0) > status.get("observedGeneration", 0):
            continue
        result.append(rs)
    return result
