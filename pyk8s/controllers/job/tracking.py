"""Counting finished pods exactly once: the job-tracking finalizer and
`status.uncountedTerminatedPods`, as Kubernetes does it.

Every pod a Job creates carries the `batch.kubernetes.io/job-tracking` finalizer, so it
cannot disappear before the controller has counted it. A finished pod moves through:

    1. it has the finalizer and is not in uncountedTerminatedPods: not counted yet;
    2. its UID is written to uncountedTerminatedPods.{succeeded,failed} (status update);
    3. its finalizer is removed (pod patch);
    4. its UID leaves the uncounted list and `succeeded`/`failed` grow by one (status
       update).

Any step can fail or the controller can restart between them; the next sync resumes: a UID in
the uncounted list whose pod has no finalizer (or is gone) is moved to the counters, one with
the finalizer still on gets it removed. A pod is never added twice to the list, and never
counted without leaving it, so no pod is counted twice.

The informer cache may still show a finalizer the controller has just removed; counting that
pod again would double-count it. `FinalizerExpectations` remembers, per Job, the pods whose
finalizer removal was sent and not yet observed; they are treated as already counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Obj = dict[str, Any]


class FinalizerExpectations:
    """Per Job key, the UIDs of pods whose tracking-finalizer removal is not yet observed
    (client-go's uidTrackingExpectations in the Job controller)."""

    def __init__(self) -> None:
        self._uids: dict[str, set[str]] = {}

    def expect_removed(self, key: str, uids: Iterable[str]) -> None:
        self._uids.setdefault(key, set()).update(uids)

    def observed(self, key: str, uid: str) -> None:
        uids = self._uids.get(key)
        if uids is not None:
            uids.discard(uid)
            if not uids:
                del self._uids[key]

    def expected(self, key: str) -> frozenset[str]:
        return frozenset(self._uids.get(key, ()))

    def delete(self, key: str) -> None:
        self._uids.pop(key, None)

    def __len__(self) -> int:
        return len(self._uids)


def uncounted(status: Obj) -> Obj:
    """`status.uncountedTerminatedPods`, created when missing."""
    value = status.get("uncountedTerminatedPods")
    if not isinstance(value, dict):
        value = status["uncountedTerminatedPods"] = {}
    return value


def clean_uncounted(status: Obj, uids_with_finalizer: set[str]) -> bool:
    """Move the uncounted UIDs whose pods no longer hold the finalizer to the counters.
    Returns whether anything changed."""
    lists = uncounted(status)
    changed = False
    for field in ("succeeded", "failed"):
        listed = lists.get(field) or []
        kept = [uid for uid in listed if uid in uids_with_finalizer]
        if len(kept) != len(listed):
            changed = True
            status[field] = int(status.get(field) or 0) + len(listed) - len(kept)
            if kept:
                lists[field] = kept
            else:
                lists.pop(field, None)
    return changed


def uncounted_total(status: Obj) -> int:
    lists = status.get("uncountedTerminatedPods") or {}
    return len(lists.get("succeeded") or []) + len(lists.get("failed") or [])
