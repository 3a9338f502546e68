"""The ReplicaSet controller's decisions, as pure functions (no I/O, time passed in).

- `slow_start_batches`: pod creations go in batches of 1, 2, 4, ... so that a create that
  fails for all (a quota, an admission webhook) fails once, not 500 times.
- `replicas_to_create` / `pods_to_delete`: the difference between the active pods a
  ReplicaSet controls and `spec.replicas`, capped at the burst size; which pods to delete
  first follows Kubernetes' ranking, doubled-up pods first.
- `calculate_status` (or `count_pods` then `status_from_counts`): replicas,
  fullyLabeledReplicas, readyReplicas, availableReplicas (ready for minReadySeconds),
  terminatingReplicas, and the ReplicaFailure condition when managing replicas failed.
- `status_changed`: whether that status needs writing.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyk8s.api.meta import rfc3339
from pyk8s.controllers.runtime.pods import (
    is_pod_available,
    is_pod_ready,
    rank_pods_for_deletion,
    ranks_by_colocation,
)

Obj = dict[str, Any]

SLOW_START_INITIAL_BATCH = 1
REPLICA_FAILURE = "ReplicaFailure"
STATUS_COUNTS = (
    "replicas",
    "fullyLabeledReplicas",
    "readyReplicas",
    "availableReplicas",
    "terminatingReplicas",
)


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _status(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    status = obj.get("status")
    return status if isinstance(status, Mapping) else {}


def desired_replicas(rs: Mapping[str, Any]) -> int:
    """`spec.replicas` (defaulted to 1 by the API server)."""
    replicas = _spec(rs).get("replicas")
    return 1 if replicas is None else int(replicas)


def min_ready_seconds(rs: Mapping[str, Any]) -> int:
    return int(_spec(rs).get("minReadySeconds") or 0)


def slow_start_batches(count: int, initial: int = SLOW_START_INITIAL_BATCH) -> list[int]:
    """Batch sizes for `count` calls: `initial`, then doubling, the last one cut to fit."""
    batches: list[int] = []
    remaining, size = count, min(count, initial)
    while size > 0:
        batches.append(size)
        remaining -= size
        size = min(2 * size, remaining)
    return batches


def replica_diff(active: int, rs: Mapping[str, Any], burst: int) -> int:
    """Pods to create (positive) or delete (negative) this pass, at most `burst` either way."""
    diff = desired_replicas(rs) - active
    return max(-burst, min(burst, diff))


def pods_to_delete(
    active: Sequence[Obj], related: Sequence[Obj], count: int, *, now: float | None
) -> list[Obj]:
    """The `count` pods of `active` to delete first; `related` (the pods of every ReplicaSet
    with the same owner) ranks pods on crowded nodes first."""
    if count >= len(active):
        return list(active)
    return rank_pods_for_deletion(active, ranks_by_colocation(active, related), now=now, limit=count)


def labels_match(template_labels: Mapping[str, Any], labels: Mapping[str, Any] | None) -> bool:
    """The pod carries every label of the template (fully labeled)."""
    labels = labels or {}
    return all(labels.get(k) == v for k, v in template_labels.items())


@dataclass(frozen=True)
class PodCounts:
    """The counts a ReplicaSet's status reports over its active pods."""

    replicas: int = 0
    fully_labeled: int = 0
    ready: int = 0
    available: int = 0


def template_labels(rs: Mapping[str, Any]) -> Mapping[str, Any]:
    """The labels of the ReplicaSet's pod template (what "fully labeled" checks)."""
    return ((_spec(rs).get("template") or {}).get("metadata") or {}).get("labels") or {}


def count_pods(rs: Mapping[str, Any], active: Sequence[Mapping[str, Any]], now: float) -> PodCounts:
    """Active, fully labeled, ready and available (ready for minReadySeconds) pods."""
    wanted = template_labels(rs)
    min_ready = min_ready_seconds(rs)
    fully_labeled = ready = available = 0
    for pod in active:
        if labels_match(wanted, (pod.get("metadata") or {}).get("labels")):
            fully_labeled += 1
        if is_pod_ready(pod):
            ready += 1
            if is_pod_available(pod, min_ready, now):
                available += 1
    return PodCounts(len(active), fully_labeled, ready, available)


def calculate_status(
    rs: Mapping[str, Any],
    active: Sequence[Mapping[str, Any]],
    terminating: Sequence[Mapping[str, Any]] | None,
    *,
    manage_error: str | None,
    now: float,
) -> Obj:
    """The status the ReplicaSet should have: counts over its active pods, terminating pods
    (None: the kind has no terminatingReplicas, as ReplicationControllers), the
    ReplicaFailure condition for `manage_error`, and observedGeneration."""
    return status_from_counts(
        rs,
        count_pods(rs, active, now),
        None if terminating is None else len(terminating),
        manage_error=manage_error,
        now=now,
    )


def status_from_counts(
    rs: Mapping[str, Any],
    counts: PodCounts,
    terminating: int | None,
    *,
    manage_error: str | None,
    now: float,
    keep_conditions: bool = False,
) -> Obj:
    """`calculate_status` from counts already taken (the controller counts from its pod facts).
    `keep_conditions` leaves the ReplicaFailure condition as it is (`manage_error` unused):
    the status written before creating or deleting pods, whose outcome is not known yet."""
    status: Obj = copy.deepcopy(dict(_status(rs)))
    if not keep_conditions:
        _set_failure_condition(status, rs, counts.replicas, manage_error, now)
    status["replicas"] = counts.replicas
    status["fullyLabeledReplicas"] = counts.fully_labeled
    status["readyReplicas"] = counts.ready
    status["availableReplicas"] = counts.available
    if terminating is not None:
        status["terminatingReplicas"] = terminating
    status["observedGeneration"] = int((rs.get("metadata") or {}).get("generation") or 0)
    return status


def _set_failure_condition(
    status: Obj, rs: Mapping[str, Any], active: int, manage_error: str | None, now: float
) -> None:
    conditions = [c for c in status.get("conditions") or [] if isinstance(c, dict)]
    current = next((c for c in conditions if c.get("type") == REPLICA_FAILURE), None)
    if manage_error is not None and current is None:
        diff = active - desired_replicas(rs)
        reason = "FailedCreate" if diff < 0 else ("FailedDelete" if diff > 0 else "")
        conditions.append(
            {
                "type": REPLICA_FAILURE,
                "status": "True",
                "lastTransitionTime": rfc3339(now),
                "reason": reason,
                "message": manage_error,
            }
        )
    elif manage_error is None and current is not None:
        conditions = [c for c in conditions if c.get("type") != REPLICA_FAILURE]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def status_changed(rs: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    """Whether `status` differs from what `rs` carries in anything the controller writes."""
    current = _status(rs)
    if any(int(current.get(k) or 0) != int(status.get(k) or 0) for k in STATUS_COUNTS):
        return True
    if int(current.get("observedGeneration") or 0) != int(status.get("observedGeneration") or 0):
        return True
    return (current.get("conditions") or []) != (status.get("conditions") or [])
