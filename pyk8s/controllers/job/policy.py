"""`spec.podFailurePolicy` and `spec.successPolicy`: how a failed pod is judged, and when an
Indexed Job has succeeded early.

A failed pod is matched against the failure-policy rules in order; the first rule that
matches decides:

    FailJob    the whole Job fails (reason PodFailurePolicy), with a message naming the pod
    FailIndex  its index fails (with backoffLimitPerIndex)
    Ignore     the failure does not count towards backoffLimit
    Count      the failure counts (as it would without a policy)

A rule matches on a terminated container's non-zero exit code (`onExitCodes`, `In`/`NotIn`,
optionally one container) or on a pod condition (`onPodConditions`, type and status).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyk8s.controllers.job.indexes import Intervals
from pyk8s.controllers.job.pods import meta, status

Obj = dict[str, Any]

FAIL_JOB = "FailJob"
FAIL_INDEX = "FailIndex"
IGNORE = "Ignore"
COUNT = "Count"


@dataclass(frozen=True, slots=True)
class FailureVerdict:
    """What the failure policy says about one failed pod."""

    counts: bool = True  # counts towards backoffLimit (and backoffLimitPerIndex)
    action: str | None = None  # the matching rule's action, None if no rule matched
    message: str | None = None  # the Job's failure message, for FailJob


NO_POLICY = FailureVerdict()


def _matching_container(statuses: list[Obj], requirement: Obj) -> Obj | None:
    wanted = requirement.get("containerName")
    values = requirement.get("values") or []
    operator = requirement.get("operator")
    for container in statuses:
        terminated = (container.get("state") or {}).get("terminated")
        if not terminated:
            continue  # still terminating: no exit code to match yet
        if wanted is not None and wanted != container.get("name"):
            continue
        code = int(terminated.get("exitCode") or 0)
        if code == 0:
            continue
        if (operator == "In" and code in values) or (operator == "NotIn" and code not in values):
            return container
    return None


def _matching_condition(pod: Obj, patterns: list[Obj]) -> Obj | None:
    for condition in status(pod).get("conditions") or []:
        for pattern in patterns:
            if condition.get("type") == pattern.get("type") and condition.get("status") == pattern.get(
                "status", "True"
            ):
                return condition
    return None


def match_failure_policy(policy: Obj | None, pod: Obj) -> FailureVerdict:
    """Judge a failed pod by the Job's pod failure policy (rules in order, first match wins)."""
    if not policy:
        return NO_POLICY
    st, m = status(pod), meta(pod)
    pod_name = f"{m.get('namespace', '')}/{m.get('name', '')}"
    for position, rule in enumerate(policy.get("rules") or []):
        action = rule.get("action")
        if rule.get("onExitCodes") is not None:
            requirement = rule["onExitCodes"]
            container = _matching_container(st.get("containerStatuses") or [], requirement)
            if container is None:
                container = _matching_container(st.get("initContainerStatuses") or [], requirement)
            if container is None:
                continue
            code = container["state"]["terminated"].get("exitCode")
            message = (
                f"Container {container.get('name')} for pod {pod_name} failed with exit code {code} "
                f"matching {action} rule at index {position}"
            )
        elif rule.get("onPodConditions") is not None:
            condition = _matching_condition(pod, rule["onPodConditions"])
            if condition is None:
                continue
            kind = condition.get("type")
            message = f"Pod {pod_name} has condition {kind} matching {action} rule at index {position}"
        else:
            continue
        if action == IGNORE:
            return FailureVerdict(counts=False, action=IGNORE)
        if action == FAIL_JOB:
            return FailureVerdict(counts=True, action=FAIL_JOB, message=message)
        if action in (FAIL_INDEX, COUNT):
            return FailureVerdict(counts=True, action=action)
    return NO_POLICY


def match_success_policy(policy: Obj | None, completions: int, succeeded: Intervals) -> str | None:
    """The SuccessCriteriaMet message if a success-policy rule is satisfied by the succeeded
    indexes, else None. A rule needs all its `succeededIndexes` (or `succeededCount` of them),
    or just `succeededCount` indexes of any kind."""
    if not policy or not succeeded.ranges:
        return None
    for position, rule in enumerate(policy.get("rules") or []):
        count = rule.get("succeededCount")
        if rule.get("succeededIndexes") is not None:
            required = Intervals.parse(rule["succeededIndexes"], completions)
            if not required.ranges:
                continue
            overlap = sum(1 for index in required if index in succeeded)
            if overlap == required.total() or (count is not None and overlap >= int(count)):
                return f"Matched rules at index {position}"
        elif count is not None and succeeded.total() >= int(count):
            return f"Matched rules at index {position}"
    return None
