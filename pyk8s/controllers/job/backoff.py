"""Exponential backoff before replacing failed pods.

After `n` consecutive pod failures (since the last success) the controller waits
`10 s * 2^(n-1)`, capped at 6 minutes, counted from the last failure, before creating pods
again. The record of consecutive failures lives in memory, per Job, as in Kubernetes: a
restarted controller starts again from no delay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyk8s.controllers.job.pods import finished_time, index_failure_count, index_ignored_failure_count

Obj = dict[str, Any]

DEFAULT_BACKOFF = 10.0
MAX_BACKOFF = 360.0


@dataclass(frozen=True, slots=True)
class BackoffRecord:
    """Consecutive failures after the last success, and when the last one happened."""

    failures_after_last_success: int = 0
    last_failure_time: float | None = None


def next_record(record: BackoffRecord, new_succeeded: list[Obj], new_failed: list[Obj]) -> BackoffRecord:
    """The record once the newly finished pods are taken into account: a success resets the
    count, failures after the last success add to it."""
    if not new_succeeded and not new_failed:
        return record
    failed_times = sorted(finished_time(p) for p in new_failed)
    if not new_succeeded:
        return BackoffRecord(record.failures_after_last_success + len(failed_times), failed_times[-1])
    last_success = max(finished_time(p) for p in new_succeeded)
    after = [t for t in failed_times if t > last_success]
    return BackoffRecord(len(after), after[-1] if after else None)


def remaining_time(
    failures: int,
    last_failure: float | None,
    now: float,
    *,
    base: float = DEFAULT_BACKOFF,
    maximum: float = MAX_BACKOFF,
) -> float:
    """Seconds left before pods may be created again after `failures` consecutive failures."""
    if failures == 0 or last_failure is None:
        return 0.0
    delay = base
    for _ in range(1, failures):
        delay *= 2
        if delay >= maximum:
            delay = maximum
            break
    elapsed = now - last_failure
    return 0.0 if delay < elapsed else delay - elapsed


def record_remaining_time(record: BackoffRecord, now: float) -> float:
    return remaining_time(record.failures_after_last_success, record.last_failure_time, now)


def index_remaining_time(last_failed_pod: Obj | None, now: float) -> float:
    """For backoffLimitPerIndex: the delay before replacing the last failed pod of an index,
    from the failure counts it carries in its annotations."""
    if last_failed_pod is None:
        return 0.0
    failures = index_failure_count(last_failed_pod) + index_ignored_failure_count(last_failed_pod) + 1
    return remaining_time(failures, finished_time(last_failed_pod), now)


class BackoffStore:
    """The per-Job records (keyed by `namespace/name`), kept by one controller instance."""

    def __init__(self) -> None:
        self._records: dict[str, BackoffRecord] = {}

    def get(self, key: str) -> BackoffRecord:
        return self._records.get(key, BackoffRecord())

    def put(self, key: str, record: BackoffRecord) -> None:
        self._records[key] = record

    def remove(self, key: str) -> None:
        self._records.pop(key, None)

    def __len__(self) -> int:
        return len(self._records)
