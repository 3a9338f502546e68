"""PodDisruptionBudget arithmetic (Kubernetes' disruption controller), pure.

    expectedPods    minAvailable as a number: the pods the selector matches;
                    otherwise: the sum of the scales of the pods' controllers
    desiredHealthy  minAvailable (a percentage of expected, rounded up), or
                    expected - maxUnavailable (a percentage rounded up), at least 0
    currentHealthy  matching pods that are Ready, not being deleted, and not just evicted
                    (still in status.disruptedPods)
    disruptionsAllowed  currentHealthy - desiredHealthy, at least 0; 0 while nothing is
                    expected (a budget must be safe before its first pods are counted)

The DisruptionAllowed condition is True (SufficientPods) when a disruption is allowed,
False (InsufficientPods) otherwise, or False (SyncFailed) when the status could not be
computed. pods/eviction in the API server reads these fields.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyk8s.api.meta import parse_time, rfc3339

Obj = dict[str, Any]

DISRUPTION_ALLOWED = "DisruptionAllowed"
SUFFICIENT_PODS = "SufficientPods"
INSUFFICIENT_PODS = "InsufficientPods"
SYNC_FAILED = "SyncFailed"
# An eviction recorded in disruptedPods that the pod's deletion has not confirmed within
# this time is forgotten (the API server may have failed to delete it).
DELETION_TIMEOUT = 120.0


class BudgetError(ValueError):
    """The budget cannot be computed (a bad percentage, a controller that cannot be read)."""


def scaled_value(value: int | str, total: int, *, round_up: bool) -> int:
    """An int-or-percent against `total` (intstr.GetScaledValueFromIntOrPercent)."""
    if isinstance(value, bool):
        raise BudgetError(f"invalid value for IntOrString: invalid type: {value!r}")
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%"):
        raise BudgetError(
            f'invalid value for IntOrString: invalid type: string is not a percentage: "{text}"'
        )
    try:
        percent = int(text[:-1])
    except ValueError as err:
        raise BudgetError(f'invalid value "{text}": {err}') from None
    scaled = percent * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def needs_controller_scale(pdb: Mapping[str, Any]) -> bool:
    """Whether expectedPods comes from the pods' controllers (everything but an integer minAvailable)."""
    spec = pdb.get("spec") or {}
    if spec.get("maxUnavailable") is not None:
        return True
    min_available = spec.get("minAvailable")
    return min_available is not None and not isinstance(min_available, int)


def expected_and_desired(
    pdb: Mapping[str, Any], matching_pods: int, controller_scale: int
) -> tuple[int, int]:
    """(expectedPods, desiredHealthy)."""
    spec = pdb.get("spec") or {}
    if spec.get("maxUnavailable") is not None:
        expected = controller_scale
        unavailable = scaled_value(spec["maxUnavailable"], expected, round_up=True)
        return expected, max(0, expected - unavailable)
    min_available = spec.get("minAvailable")
    if min_available is None:
        return 0, 0
    if isinstance(min_available, int) and not isinstance(min_available, bool):
        return matching_pods, min_available
    expected = controller_scale
    return expected, scaled_value(min_available, expected, round_up=True)


def is_pod_ready(pod: Mapping[str, Any]) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in (pod.get("status") or {}).get("conditions") or []
    )


def live_disrupted_pods(
    pdb: Mapping[str, Any], pods: Mapping[str, Mapping[str, Any]], now: float
) -> tuple[Obj, float | None]:
    """status.disruptedPods without pods that are gone, being deleted, or recorded too long
    ago; and when the oldest kept entry expires (to look again then)."""
    kept: Obj = {}
    recheck: float | None = None
    for name, stamp in ((pdb.get("status") or {}).get("disruptedPods") or {}).items():
        pod = pods.get(name)
        if pod is None or (pod.get("metadata") or {}).get("deletionTimestamp"):
            continue
        try:
            expires = parse_time(str(stamp)) + DELETION_TIMEOUT
        except ValueError:
            continue
        if expires < now:
            continue
        kept[name] = stamp
        recheck = expires if recheck is None else min(recheck, expires)
    return kept, recheck


def current_healthy(pods: Iterable[Mapping[str, Any]], disrupted: Mapping[str, Any]) -> int:
    count = 0
    for pod in pods:
        meta = pod.get("metadata") or {}
        if meta.get("deletionTimestamp") or meta.get("name") in disrupted:
            continue
        if is_pod_ready(pod):
            count += 1
    return count


@dataclass(frozen=True)
class BudgetStatus:
    current_healthy: int
    desired_healthy: int
    expected_pods: int
    disrupted_pods: Obj

    @property
    def disruptions_allowed(self) -> int:
        allowed = self.current_healthy - self.desired_healthy
        return 0 if self.expected_pods <= 0 or allowed <= 0 else allowed


def _set_condition(conditions: list[Obj], wanted: Obj, now: float) -> list[Obj]:
    """meta.SetStatusCondition: lastTransitionTime moves only with the status."""
    out = [dict(c) for c in conditions]
    for cond in out:
        if cond.get("type") == wanted["type"]:
            if cond.get("status") != wanted["status"]:
                cond["lastTransitionTime"] = rfc3339(now)
            cond.update({k: v for k, v in wanted.items() if k != "lastTransitionTime"})
            return out
    out.append({**wanted, "lastTransitionTime": rfc3339(now)})
    return out


def new_status(pdb: Mapping[str, Any], budget: BudgetStatus, now: float) -> Obj:
    generation = (pdb.get("metadata") or {}).get("generation") or 0
    allowed = budget.disruptions_allowed
    condition = {
        "type": DISRUPTION_ALLOWED,
        "status": "True" if allowed > 0 else "False",
        "reason": SUFFICIENT_PODS if allowed > 0 else INSUFFICIENT_PODS,
        "message": "",
        "observedGeneration": generation,
    }
    status: Obj = {
        "observedGeneration": generation,
        "disruptionsAllowed": allowed,
        "currentHealthy": budget.current_healthy,
        "desiredHealthy": budget.desired_healthy,
        "expectedPods": budget.expected_pods,
        "conditions": _set_condition(list((pdb.get("status") or {}).get("conditions") or []), condition, now),
    }
    if budget.disrupted_pods:
        status["disruptedPods"] = budget.disrupted_pods
    return status


def failed_status(pdb: Mapping[str, Any], message: str, now: float) -> Obj:
    """Fail safe: no disruptions allowed, and the reason said on the condition."""
    generation = (pdb.get("metadata") or {}).get("generation") or 0
    status = dict(pdb.get("status") or {})
    status["disruptionsAllowed"] = 0
    status["observedGeneration"] = generation
    condition = {
        "type": DISRUPTION_ALLOWED,
        "status": "False",
        "reason": SYNC_FAILED,
        "message": message,
        "observedGeneration": generation,
    }
    status["conditions"] = _set_condition(list(status.get("conditions") or []), condition, now)
    return status


def _normalized(value: Any) -> Any:
    """Empty values dropped (the API server drops them too), for comparisons."""
    if isinstance(value, Mapping):
        return {k: _normalized(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    return value


def status_differs(pdb: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    return _normalized(pdb.get("status") or {}) != _normalized(status)
