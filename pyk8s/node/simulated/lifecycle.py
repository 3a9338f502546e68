"""What a simulated node does next with one pod: a pure decision, level-based.

Given the pod as the API server has it, what the node remembers about it (when it first
saw it bound, when it first saw it deleted) and the time, `plan` returns one `Step`: a
status to write, a delete to send, and when to look at the pod again. Called again after
any change, it picks up where the pod is, so a missed event or a node restart changes
nothing (a pod already Running keeps its start time and address).

    bound ──(start delay)──► Running ──(exit annotation, Never/OnFailure)──► Succeeded/Failed
      │ ContainerCreating       │
      └──────────┬──────────────┘
           deletionTimestamp ──(grace period, capped)──► containers terminated ──► deleted (grace 0)

Completion is asked for with annotations (restartPolicy Never or OnFailure only):
- `pyk8s.io/simulate-exit-code: "N"`: the app containers exit with code N (0: Succeeded,
  anything else: Failed; OnFailure restarts are not simulated);
- `pyk8s.io/simulate-run-seconds: "S"`: they exit S seconds after starting (default 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyk8s.node.simulated.podstatus import (
    TERMINAL_PHASES,
    Placement,
    fingerprint,
    pending_status,
    running_status,
    started_at,
    terminated_status,
)

Obj = dict[str, Any]
EXIT_CODE_ANNOTATION = "pyk8s.io/simulate-exit-code"
RUN_SECONDS_ANNOTATION = "pyk8s.io/simulate-run-seconds"


@dataclass(slots=True)
class PodRecord:
    """What the node remembers about one pod (monotonic times), lost on restart by design."""

    uid: str
    first_seen: float
    deletion_seen: float | None = None


@dataclass(frozen=True, slots=True)
class Timing:
    start_delay: float
    max_shutdown_delay: float


@dataclass(frozen=True, slots=True)
class Step:
    """Write `status`, or delete the pod, and look again at `wake_at` (monotonic)."""

    status: Obj | None = None
    delete: bool = False
    wake_at: float | None = None


def _meta(pod: Obj) -> Obj:
    return pod.get("metadata") or {}


def completion(pod: Obj) -> tuple[int, float] | None:
    """(exit code, seconds to run) when the pod's annotations ask it to complete."""
    if (pod.get("spec") or {}).get("restartPolicy", "Always") == "Always":
        return None
    annotations = _meta(pod).get("annotations") or {}
    raw = annotations.get(EXIT_CODE_ANNOTATION)
    if raw is None:
        return None
    try:
        code = int(str(raw).strip())
        seconds = float(annotations.get(RUN_SECONDS_ANNOTATION) or 0)
    except ValueError:
        return None
    return max(0, min(code, 255)), max(0.0, seconds)


def plan(pod: Obj, record: PodRecord, where: Placement, timing: Timing, *, now: float, mono: float) -> Step:
    """The next step for `pod` at wall time `now` and monotonic time `mono`."""
    status = pod.get("status") or {}
    terminal = status.get("phase") in TERMINAL_PHASES
    started = started_at(pod)
    if _meta(pod).get("deletionTimestamp"):
        return _terminate(pod, record, where, timing, now=now, mono=mono, terminal=terminal, started=started)
    if terminal:
        return Step()
    if started is None:
        start_at = record.first_seen + timing.start_delay
        if mono < start_at:
            desired = pending_status(pod, where, now=now)
            return Step(status=_changed(status, desired), wake_at=start_at)
        return Step(status=running_status(pod, where, now=now, started=now))
    finish = completion(pod)
    wake_at = None
    if finish is not None:
        code, seconds = finish
        remaining = started + seconds - now
        if remaining <= 0:
            return Step(status=terminated_status(pod, where, now=now, started=started, exit_code=code))
        wake_at = mono + remaining
    desired = running_status(pod, where, now=now, started=started)
    return Step(status=_changed(status, desired), wake_at=wake_at)


def _terminate(
    pod: Obj,
    record: PodRecord,
    where: Placement,
    timing: Timing,
    *,
    now: float,
    mono: float,
    terminal: bool,
    started: float | None,
) -> Step:
    """Deleted: containers stop within the grace period (capped), then the pod is removed."""
    seen = record.deletion_seen if record.deletion_seen is not None else mono
    grace = _meta(pod).get("deletionGracePeriodSeconds") or 0
    stopped_at = seen + min(float(grace), timing.max_shutdown_delay)
    if mono < stopped_at:
        return Step(wake_at=stopped_at)
    if not terminal and started is not None:
        # Containers that stop on SIGTERM exit cleanly; the kubelet then reports the pod
        # terminal (Succeeded) before it asks for the removal.
        return Step(status=terminated_status(pod, where, now=now, started=started, exit_code=0))
    return Step(delete=True)


def _changed(current: Obj, desired: Obj) -> Obj | None:
    return None if fingerprint(current) == fingerprint(desired) else desired
