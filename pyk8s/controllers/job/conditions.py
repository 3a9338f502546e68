"""Job conditions and the Job-level facts the controller reads off the spec.

A Job ends in two steps, so that its pods are gone before it reports the end:

    running ──► SuccessCriteriaMet ──► (no terminating pods, all counted) ──► Complete
    running ──► FailureTarget      ──► (no terminating pods, all counted) ──► Failed

The interim condition carries the reason (CompletionsReached, SuccessPolicy,
BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy, MaxFailedIndexesExceeded,
FailedIndexes); the final one repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyk8s.api.meta import rfc3339

Obj = dict[str, Any]

COMPLETE = "Complete"
FAILED = "Failed"
SUCCESS_CRITERIA_MET = "SuccessCriteriaMet"
FAILURE_TARGET = "FailureTarget"
SUSPENDED = "Suspended"

JOB_CONTROLLER = "kubernetes.io/job-controller"  # the spec.managedBy value this controller serves

# reasons and messages, as Kubernetes writes them
COMPLETIONS_REACHED = ("CompletionsReached", "Reached expected number of succeeded pods")
BACKOFF_LIMIT_EXCEEDED = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
DEADLINE_EXCEEDED = ("DeadlineExceeded", "Job was active longer than specified deadline")
MAX_FAILED_INDEXES_EXCEEDED = (
    "MaxFailedIndexesExceeded",
    "Job has exceeded the specified maximal number of failed indexes",
)
FAILED_INDEXES = ("FailedIndexes", "Job has failed indexes")
POD_FAILURE_POLICY = "PodFailurePolicy"
SUCCESS_POLICY = "SuccessPolicy"


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition the controller means to set (its times are stamped when written)."""

    type: str
    reason: str
    message: str
    status: str = "True"

    def to_dict(self, now: float) -> Obj:
        stamp = rfc3339(now)
        return {
            "type": self.type,
            "status": self.status,
            "lastProbeTime": stamp,
            "lastTransitionTime": stamp,
            "reason": self.reason,
            "message": self.message,
        }


def find_condition(status: Obj, kind: str) -> Obj | None:
    for condition in status.get("conditions") or []:
        if isinstance(condition, dict) and condition.get("type") == kind:
            return condition
    return None


def has_true_condition(status: Obj, kind: str) -> bool:
    condition = find_condition(status, kind)
    return condition is not None and condition.get("status") == "True"


def ensure_condition(status: Obj, condition: Condition, now: float) -> bool:
    """Set the condition (replacing one of its type that differs); a False condition is not
    added where none exists. Returns whether the list changed."""
    existing = find_condition(status, condition.type)
    if existing is not None:
        if (existing.get("status"), existing.get("reason", ""), existing.get("message", "")) == (
            condition.status,
            condition.reason,
            condition.message,
        ):
            return False
        existing.clear()
        existing.update(condition.to_dict(now))
        return True
    if condition.status == "False":
        return False
    status.setdefault("conditions", []).append(condition.to_dict(now))
    return True


def is_finished(job: Obj) -> bool:
    status = job.get("status") or {}
    return has_true_condition(status, COMPLETE) or has_true_condition(status, FAILED)


def managed_by_other(job: Obj) -> bool:
    """`spec.managedBy` names another controller: this one leaves the Job alone."""
    manager = (job.get("spec") or {}).get("managedBy")
    return manager is not None and manager != JOB_CONTROLLER


def is_indexed(job: Obj) -> bool:
    return (job.get("spec") or {}).get("completionMode") == "Indexed"


def is_suspended(job: Obj) -> bool:
    return (job.get("spec") or {}).get("suspend") is True


def has_backoff_limit_per_index(job: Obj) -> bool:
    return (job.get("spec") or {}).get("backoffLimitPerIndex") is not None


def only_replace_failed_pods(job: Obj) -> bool:
    """New pods wait for terminating ones to finish (podReplacementPolicy Failed, implied by a
    pod failure policy)."""
    spec = job.get("spec") or {}
    return spec.get("podReplacementPolicy") == "Failed" or bool(spec.get("podFailurePolicy"))


def failed_condition_for(target: Condition | Obj) -> Condition:
    """The final Failed condition that follows a FailureTarget."""
    if isinstance(target, Condition):
        return Condition(FAILED, target.reason, target.message)
    return Condition(FAILED, str(target.get("reason", "")), str(target.get("message", "")))


def complete_condition_for(criteria: Condition | Obj) -> Condition:
    """The final Complete condition that follows SuccessCriteriaMet."""
    if isinstance(criteria, Condition):
        return Condition(COMPLETE, criteria.reason, criteria.message)
    return Condition(COMPLETE, str(criteria.get("reason", "")), str(criteria.get("message", "")))
