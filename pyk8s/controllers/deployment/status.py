"""A Deployment's status and conditions, computed from its ReplicaSets and the clock.

Conditions (reasons as Kubernetes writes them):

    Available    True  MinimumReplicasAvailable    at least replicas - maxUnavailable available
                 False MinimumReplicasUnavailable
    Progressing  True  NewReplicaSetCreated        the rollout created its ReplicaSet
                 True  FoundNewReplicaSet          an existing one matched the template
                 True  ReplicaSetUpdated           pods moved since the last look
                 True  NewReplicaSetAvailable      rollout complete
                 False ProgressDeadlineExceeded    no move for progressDeadlineSeconds
                 False ReplicaSetCreateError       the ReplicaSet could not be created
                 Unknown DeploymentPaused / DeploymentResumed
    ReplicaFailure (copied from the ReplicaSets: pods that could not be created)

The Progressing condition's `lastUpdateTime` marks the last sign of progress; the deadline
runs from there. A condition keeps its `lastTransitionTime` while its status stays the same.
Without `progressDeadlineSeconds` there is no Progressing condition at all.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.meta import parse_time, rfc3339
from pyk8s.controllers.deployment import replicasets as rsutil
from pyk8s.controllers.deployment.fenceposts import max_unavailable, spec_replicas

Obj = dict[str, Any]

AVAILABLE = "Available"
PROGRESSING = "Progressing"
REPLICA_FAILURE = "ReplicaFailure"

MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"
NEW_RS_CREATED = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
RS_UPDATED = "ReplicaSetUpdated"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
FAILED_RS_CREATE = "ReplicaSetCreateError"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"

NO_LIMIT = 2**31 - 1  # math.MaxInt32: "no deadline", "keep every revision"

COUNTS = ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas")


# conditions


def new_condition(kind: str, status: str, reason: str, message: str, clock: Clock) -> Obj:
    now = rfc3339(clock.now())
    return {
        "type": kind,
        "status": status,
        "lastUpdateTime": now,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    }


def get_condition(status: Obj, kind: str) -> Obj | None:
    for cond in status.get("conditions") or []:
        if cond.get("type") == kind:
            return cond
    return None


def set_condition(status: Obj, condition: Obj) -> None:
    """Add or replace a condition; one with the same status and reason is left alone, and a
    replaced one with the same status keeps its transition time."""
    current = get_condition(status, condition["type"])
    if current is not None and current.get("status") == condition["status"]:
        if current.get("reason") == condition["reason"]:
            return
        condition = {**condition, "lastTransitionTime": current.get("lastTransitionTime")}
    remove_condition(status, condition["type"])
    status.setdefault("conditions", []).append(condition)


def remove_condition(status: Obj, kind: str) -> None:
    kept = [c for c in status.get("conditions") or [] if c.get("type") != kind]
    if kept:
        status["conditions"] = kept
    else:
        status.pop("conditions", None)


def has_progress_deadline(deployment: Obj) -> bool:
    deadline = (deployment.get("spec") or {}).get("progressDeadlineSeconds")
    return isinstance(deadline, int) and deadline != NO_LIMIT


# status


def calculate_status(all_rss: Sequence[Obj | None], new_rs: Obj | None, deployment: Obj, clock: Clock) -> Obj:
    """The status the ReplicaSets imply (calculateStatus): counts, the Available
    condition, the other conditions carried over. Zero counts are left out, as the API
    server's JSON leaves them out."""
    old_status = deployment.get("status") or {}
    available = rsutil.available_replicas(all_rss)
    status: Obj = {
        "observedGeneration": (deployment.get("metadata") or {}).get("generation", 0),
        "replicas": rsutil.actual_replicas(all_rss),
        "updatedReplicas": rsutil.actual_replicas([new_rs]),
        "readyReplicas": rsutil.ready_replicas(all_rss),
        "availableReplicas": available,
        "unavailableReplicas": max(0, rsutil.total_replicas(all_rss) - available),
    }
    terminating = rsutil.terminating_replicas(all_rss)
    if terminating is not None:
        status["terminatingReplicas"] = terminating
    if old_status.get("collisionCount") is not None:
        status["collisionCount"] = old_status["collisionCount"]
    status = {k: v for k, v in status.items() if v or k == "terminatingReplicas"}
    if old_status.get("conditions"):
        status["conditions"] = copy.deepcopy(old_status["conditions"])
    if available >= spec_replicas(deployment) - max_unavailable(deployment):
        cond = new_condition(
            AVAILABLE, "True", MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", clock
        )
    else:
        cond = new_condition(
            AVAILABLE,
            "False",
            MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.",
            clock,
        )
    set_condition(status, cond)
    return status


def normalized(status: Obj) -> Obj:
    """A status without zero counts, for comparing what is stored with what is computed."""
    return {k: v for k, v in status.items() if v not in (0, None, [], {}) or k == "terminatingReplicas"}


def statuses_equal(a: Obj, b: Obj) -> bool:
    return normalized(a) == normalized(b)


# progress


def deployment_complete(deployment: Obj, status: Obj) -> bool:
    """Every replica updated, running and available, for the current generation."""
    replicas = spec_replicas(deployment)
    return (
        status.get("updatedReplicas", 0) == replicas
        and status.get("replicas", 0) == replicas
        and status.get("availableReplicas", 0) == replicas
        and status.get("observedGeneration", 0) >= (deployment.get("metadata") or {}).get("generation", 0)
    )


def deployment_progressing(deployment: Obj, status: Obj) -> bool:
    """Whether pods moved between the stored status and `status`."""
    old = deployment.get("status") or {}
    old_old = old.get("replicas", 0) - old.get("updatedReplicas", 0)
    new_old = status.get("replicas", 0) - status.get("updatedReplicas", 0)
    return (
        status.get("updatedReplicas", 0) > old.get("updatedReplicas", 0)
        or new_old < old_old
        or status.get("readyReplicas", 0) > old.get("readyReplicas", 0)
        or status.get("availableReplicas", 0) > old.get("availableReplicas", 0)
    )


def deployment_timed_out(deployment: Obj, status: Obj, clock: Clock) -> bool:
    """Whether progressDeadlineSeconds passed since the last sign of progress."""
    if not has_progress_deadline(deployment):
        return False
    cond = get_condition(status, PROGRESSING)
    if cond is None or cond.get("reason") == NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == TIMED_OUT:
        return True
    deadline = deployment["spec"]["progressDeadlineSeconds"]
    return parse_time(cond.get("lastUpdateTime") or "1970-01-01T00:00:00Z") + deadline < clock.now()


def _subject(deployment: Obj, new_rs: Obj | None) -> str:
    if new_rs is not None:
        return f'ReplicaSet "{rsutil.name(new_rs)}"'
    return f'Deployment "{rsutil.name(deployment)}"'


def rollout_status(all_rss: Sequence[Obj | None], new_rs: Obj | None, deployment: Obj, clock: Clock) -> Obj:
    """The status after a rollout step (syncRolloutStatus): counts, Available, the
    Progressing transition and ReplicaFailure."""
    status = calculate_status(all_rss, new_rs, deployment, clock)
    if not has_progress_deadline(deployment):
        remove_condition(status, PROGRESSING)
    current = get_condition(deployment.get("status") or {}, PROGRESSING)
    complete = (
        status.get("replicas", 0) == status.get("updatedReplicas", 0)
        and current is not None
        and current.get("reason") == NEW_RS_AVAILABLE
    )
    if has_progress_deadline(deployment) and not complete:
        _progress(status, new_rs, deployment, current, clock)
    failures = replica_failures(all_rss, new_rs)
    if failures:
        set_condition(status, failures[0])
    else:
        remove_condition(status, REPLICA_FAILURE)
    return status


def _progress(status: Obj, new_rs: Obj | None, deployment: Obj, current: Obj | None, clock: Clock) -> None:
    subject = _subject(deployment, new_rs)
    if deployment_complete(deployment, status):
        msg = f"{subject} has successfully progressed."
        set_condition(status, new_condition(PROGRESSING, "True", NEW_RS_AVAILABLE, msg, clock))
    elif deployment_progressing(deployment, status):
        # Progress refreshes lastUpdateTime even when the reason stays ReplicaSetUpdated.
        cond = new_condition(PROGRESSING, "True", RS_UPDATED, f"{subject} is progressing.", clock)
        if current is not None:
            if current.get("status") == "True":
                cond["lastTransitionTime"] = current.get("lastTransitionTime")
            remove_condition(status, PROGRESSING)
        set_condition(status, cond)
    elif deployment_timed_out(deployment, status, clock):
        msg = f"{subject} has timed out progressing."
        set_condition(status, new_condition(PROGRESSING, "False", TIMED_OUT, msg, clock))


def replica_failures(all_rss: Sequence[Obj | None], new_rs: Obj | None) -> list[Obj]:
    """ReplicaFailure conditions of the ReplicaSets as Deployment conditions, the new
    ReplicaSet's first."""

    def of(rs: Obj | None) -> list[Obj]:
        found = []
        for cond in ((rs or {}).get("status") or {}).get("conditions") or []:
            if cond.get("type") == REPLICA_FAILURE:
                when = cond.get("lastTransitionTime")
                found.append(
                    {
                        "type": REPLICA_FAILURE,
                        "status": cond.get("status"),
                        "lastUpdateTime": when,
                        "lastTransitionTime": when,
                        "reason": cond.get("reason"),
                        "message": cond.get("message"),
                    }
                )
        return found

    return of(new_rs) or [c for rs in all_rss for c in of(rs)]


def progress_check_after(deployment: Obj, status: Obj, clock: Clock) -> float | None:
    """Seconds until the Deployment must be looked at again to notice a missed deadline,
    or None when no check is due (requeueStuckDeployment)."""
    current = get_condition(deployment.get("status") or {}, PROGRESSING)
    if not has_progress_deadline(deployment) or current is None:
        return None
    if deployment_complete(deployment, status) or current.get("reason") == TIMED_OUT:
        return None
    deadline = deployment["spec"]["progressDeadlineSeconds"]
    after = parse_time(current.get("lastUpdateTime") or "1970-01-01T00:00:00Z") + deadline - clock.now()
    # A second past the deadline, so the check lands after it (the condition's time has
    # whole seconds); never a busy loop when the deadline is close.
    return max(after, 0.0) + 1.0


def paused_condition(deployment: Obj, clock: Clock) -> Obj | None:
    """The Progressing condition pausing or resuming calls for, or None (so that time spent
    paused never counts against the progress deadline)."""
    if not has_progress_deadline(deployment):
        return None
    cond = get_condition(deployment.get("status") or {}, PROGRESSING)
    if cond is not None and cond.get("reason") == TIMED_OUT:
        return None
    paused_cond = cond is not None and cond.get("reason") == PAUSED
    if (deployment.get("spec") or {}).get("paused") and not paused_cond:
        return new_condition(PROGRESSING, "Unknown", PAUSED, "Deployment is paused", clock)
    if not (deployment.get("spec") or {}).get("paused") and paused_cond:
        return new_condition(PROGRESSING, "Unknown", RESUMED, "Deployment is resumed", clock)
    return None
