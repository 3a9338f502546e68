"""HorizontalPodAutoscaler arithmetic, pure (Kubernetes' replica calculator, resource metrics).

For a Resource metric with a target utilization (percent of request) or average value:

    ratio    = observed / target         (utilization summed over ready pods with metrics)
    desired  = ceil(ratio * pods with metrics)  unless |ratio - 1| <= tolerance (0.1): keep
    then     clamp to [minReplicas, maxReplicas]  (ScalingLimited says which bound hit)
    and      scale-down stabilization: the highest recommendation of the last window
             (300 s by default), so a brief dip does not remove pods

Messages and reasons are Kubernetes' (kubectl describe hpa shows them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyk8s.api.quantity import Quantity

Obj = dict[str, Any]

TOLERANCE = 0.1
DOWNSCALE_STABILIZATION_SECONDS = 300.0


class MetricError(Exception):
    """A metric could not be computed (the text is what Kubernetes says)."""


@dataclass(frozen=True)
class Utilization:
    """Observed use of one resource over the pods that reported it."""

    usage_milli: int  # summed usage
    request_milli: int  # summed requests of the same pods
    pods: int

    @property
    def percent(self) -> int:
        return int(self.usage_milli * 100 / self.request_milli) if self.request_milli else 0

    @property
    def average_milli(self) -> int:
        return self.usage_milli // self.pods if self.pods else 0


def _milli(value: Any) -> int:
    return Quantity.parse(value).milli_value()


def pod_request_milli(pod: Mapping[str, Any], resource: str, container: str | None = None) -> int:
    """Sum of the containers' requests for `resource`; raises when a container has none."""
    total = 0
    for c in (pod.get("spec") or {}).get("containers") or []:
        if container and c.get("name") != container:
            continue
        request = ((c.get("resources") or {}).get("requests") or {}).get(resource)
        if request is None:
            name = (pod.get("metadata") or {}).get("name", "")
            raise MetricError(f"missing request for {resource} in container {c.get('name')} of Pod {name}")
        total += _milli(request)
    return total


def utilization(
    pods: Iterable[Mapping[str, Any]],
    metrics: Mapping[str, Mapping[str, Any]],
    resource: str,
    container: str | None = None,
) -> Utilization:
    """Usage and requests over running, ready pods that have a PodMetrics entry (by name)."""
    usage = request = counted = 0
    for pod in pods:
        name = (pod.get("metadata") or {}).get("name", "")
        sample = metrics.get(name)
        if sample is None or (pod.get("metadata") or {}).get("deletionTimestamp"):
            continue
        if (pod.get("status") or {}).get("phase") in ("Failed", "Succeeded"):
            continue
        pod_usage = 0
        for c in sample.get("containers") or []:
            if container and c.get("name") != container:
                continue
            value = (c.get("usage") or {}).get(resource)
            if value is not None:
                pod_usage += _milli(value)
        usage += pod_usage
        request += pod_request_milli(pod, resource, container)
        counted += 1
    if counted == 0:
        raise MetricError("did not receive metrics for targeted pods (pods might be unready)")
    return Utilization(usage, request, counted)


def proposal(
    current_replicas: int, ratio: float, pods_with_metrics: int, *, tolerance: float = TOLERANCE
) -> int:
    """Replicas for a usage ratio: unchanged within tolerance, else ceil(ratio * pods)."""
    if abs(ratio - 1.0) <= tolerance:
        return current_replicas
    return math.ceil(ratio * pods_with_metrics)


def resource_proposal(
    current_replicas: int, observed: Utilization, target: Mapping[str, Any]
) -> tuple[int, Obj]:
    """(replicas, the metric's `current` status) for a Resource metric target."""
    if target.get("type") == "Utilization" or target.get("averageUtilization") is not None:
        wanted = int(target.get("averageUtilization") or 0)
        if observed.request_milli == 0 or wanted <= 0:
            raise MetricError("no recommendation")
        ratio = observed.percent / wanted
        current = {"averageUtilization": observed.percent, "averageValue": _quantity(observed.average_milli)}
    else:
        wanted_milli = _milli(target.get("averageValue") or "0")
        if wanted_milli <= 0:
            raise MetricError("no recommendation")
        ratio = observed.average_milli / wanted_milli
        current = {"averageValue": _quantity(observed.average_milli)}
    return proposal(current_replicas, ratio, observed.pods), current


def _quantity(milli: int) -> str:
    return Quantity.parse(f"{milli}m").canonical()


def clamp(desired: int, minimum: int, maximum: int) -> tuple[int, str, str]:
    """(replicas, ScalingLimited reason, message)."""
    if desired < minimum:
        return minimum, "TooFewReplicas", "the desired replica count is less than the minimum replica count"
    if desired > maximum:
        return maximum, "TooManyReplicas", "the desired replica count is more than the maximum replica count"
    return desired, "DesiredWithinRange", "the desired count is within the acceptable range"


class Recommendations:
    """Recent recommendations per HPA, for scale-down stabilization."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[tuple[float, int]]] = {}

    def stabilized(
        self, key: str, desired: int, now: float, window: float = DOWNSCALE_STABILIZATION_SECONDS
    ) -> int:
        """Record `desired`; return the highest recommendation within the window."""
        history = [(t, r) for t, r in self._by_key.get(key, []) if t >= now - window]
        history.append((now, desired))
        self._by_key[key] = history
        return max(r for _, r in history)

    def forget(self, key: str) -> None:
        self._by_key.pop(key, None)


def set_condition(
    conditions: list[Obj], kind: str, status: str, reason: str, message: str, now: str
) -> list[Obj]:
    """Replace or add a condition; lastTransitionTime moves only with the status."""
    out = [dict(c) for c in conditions]
    for cond in out:
        if cond.get("type") == kind:
            if cond.get("status") != status:
                cond["lastTransitionTime"] = now
            cond.update(status=status, reason=reason, message=message)
            return out
    out.append(
        {"type": kind, "status": status, "lastTransitionTime": now, "reason": reason, "message": message}
    )
    return out
