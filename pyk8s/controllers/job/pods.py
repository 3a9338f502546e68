"""What the Job controller reads off a Pod: phase, readiness, termination, the tracking
finalizer, the completion index, when it finished, and the order to delete active pods in."""

from __future__ import annotations

import re
from typing import Any

from pyk8s.api.meta import parse_time
from pyk8s.controllers.runtime.pods import (
    is_pod_active,
    is_pod_ready,
    is_pod_terminal,
    is_pod_terminating,
    pod_condition,
)

Obj = dict[str, Any]

TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"  # annotation and label
INDEX_FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count"
INDEX_IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count"
UNKNOWN_INDEX = -1
MAX_INT32 = 2**31 - 1


def meta(obj: Obj) -> Obj:
    value = obj.get("metadata")
    return value if isinstance(value, dict) else {}


def status(obj: Obj) -> Obj:
    value = obj.get("status")
    return value if isinstance(value, dict) else {}


def uid(obj: Obj) -> str:
    return str(meta(obj).get("uid") or "")


def name(obj: Obj) -> str:
    return str(meta(obj).get("name") or "")


def phase(pod: Obj) -> str:
    return str(status(pod).get("phase") or "")


def is_deleting(obj: Obj) -> bool:
    return bool(meta(obj).get("deletionTimestamp"))


def _condition(pod: Obj, kind: str) -> Obj | None:
    condition = pod_condition(pod, kind)
    return dict(condition) if condition is not None else None


def has_tracking_finalizer(pod: Obj) -> bool:
    return TRACKING_FINALIZER in (meta(pod).get("finalizers") or [])


def is_failed(pod: Obj, *, only_replace_failed: bool) -> bool:
    """Failed, or (unless only failed pods are replaced) deleted before it could succeed: an
    orphan removed by the pod GC never reaches the Failed phase."""
    if phase(pod) == "Failed":
        return True
    if only_replace_failed:
        return False
    return is_deleting(pod) and phase(pod) != "Succeeded"


_GO_INT = re.compile(r"[+-]?[0-9]+")


def go_atoi(value: Any) -> int | None:
    """Go's strconv.Atoi: a plain decimal integer, or None."""
    text = str(value) if value is not None else ""
    return int(text) if _GO_INT.fullmatch(text) else None


def completion_index(pod: Obj) -> int:
    """The pod's index in an Indexed Job, or UNKNOWN_INDEX."""
    index = go_atoi((meta(pod).get("annotations") or {}).get(COMPLETION_INDEX))
    return index if index is not None and index >= 0 else UNKNOWN_INDEX


def _int32_annotation(pod: Obj, key: str) -> int:
    number = go_atoi((meta(pod).get("annotations") or {}).get(key))
    return number if number is not None and 0 <= number <= MAX_INT32 else 0


def index_failure_count(pod: Obj) -> int:
    """Failures of earlier pods of this index counted against backoffLimitPerIndex."""
    return _int32_annotation(pod, INDEX_FAILURE_COUNT)


def index_ignored_failure_count(pod: Obj) -> int:
    return _int32_annotation(pod, INDEX_IGNORED_FAILURE_COUNT)


def restart_count(pod: Obj) -> int:
    st = status(pod)
    return sum(
        int(c.get("restartCount") or 0)
        for c in (st.get("initContainerStatuses") or []) + (st.get("containerStatuses") or [])
    )


def finished_time(pod: Obj) -> float:
    """When the pod finished: its last container's finish, else when it stopped being Ready,
    else its deletion minus the grace period, else its creation."""
    finished: float | None = None
    statuses = status(pod).get("containerStatuses") or []
    for container in statuses:
        terminated = (container.get("state") or {}).get("terminated")
        if not terminated or not terminated.get("finishedAt"):
            finished = None
            break
        at = parse_time(terminated["finishedAt"])
        finished = at if finished is None else max(finished, at)
    if finished is not None:
        return finished
    ready = _condition(pod, "Ready")
    if ready is not None and ready.get("status") == "False" and ready.get("lastTransitionTime"):
        return parse_time(ready["lastTransitionTime"])
    m = meta(pod)
    if m.get("deletionTimestamp"):
        return parse_time(m["deletionTimestamp"]) - float(m.get("deletionGracePeriodSeconds") or 0)
    created = m.get("creationTimestamp")
    return parse_time(created) if created else 0.0


_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def deletion_order(pod: Obj) -> tuple[Any, ...]:
    """Sort key putting first the active pods cheapest to lose (controller.ActivePods):
    unscheduled, then pending, not ready, ready for the shortest time, most restarted,
    newest."""
    ready = is_pod_ready(pod)
    ready_since = 0.0
    if ready:
        condition = _condition(pod, "Ready") or {}
        stamp = condition.get("lastTransitionTime")
        ready_since = parse_time(stamp) if stamp else 0.0
    created = meta(pod).get("creationTimestamp")
    return (
        bool((pod.get("spec") or {}).get("nodeName")),
        _PHASE_RANK.get(phase(pod), 3),
        ready,
        -ready_since,
        -restart_count(pod),
        -(parse_time(created) if created else 0.0),
    )


__all__ = [
    "COMPLETION_INDEX",
    "INDEX_FAILURE_COUNT",
    "INDEX_IGNORED_FAILURE_COUNT",
    "TRACKING_FINALIZER",
    "UNKNOWN_INDEX",
    "completion_index",
    "deletion_order",
    "finished_time",
    "has_tracking_finalizer",
    "index_failure_count",
    "index_ignored_failure_count",
    "is_deleting",
    "is_failed",
    "is_pod_active",
    "is_pod_ready",
    "is_pod_terminal",
    "is_pod_terminating",
    "phase",
    "restart_count",
]
