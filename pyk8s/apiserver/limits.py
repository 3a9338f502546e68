"""LimitRanger: container defaults from the namespace's LimitRanges, then their limits.

Defaults first (kube-apiserver's order): `default` fills missing limits and
`defaultRequest` missing requests of every container. Then each Container-type item's
`min`, `max` and `maxLimitRequestRatio` are checked per container, Pod-type items against
the pod's sums, and PersistentVolumeClaim-type items against the claim's storage request.
Messages follow the admission plugin's wording.
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.quantity import Quantity

Obj = dict[str, Any]


def _q(value: Any) -> Quantity:
    return Quantity.parse(value)


def _fmt(q: Quantity) -> str:
    return q.canonical()


def apply_pod_limits(pod: Obj, ranges: list[Obj]) -> list[str]:
    """Default the pod's containers from `ranges`, then return every limit it breaks."""
    spec = pod.setdefault("spec", {})
    containers = [c for key in ("initContainers", "containers") for c in spec.get(key) or []]
    items = [item for r in ranges for item in (r.get("spec") or {}).get("limits") or []]
    defaulted: list[str] = []
    for item in items:
        if item.get("type") != "Container":
            continue
        for container in containers:
            resources = container.setdefault("resources", {})
            for key, target in (("default", "limits"), ("defaultRequest", "requests")):
                for name, value in (item.get(key) or {}).items():
                    have = resources.setdefault(target, {})
                    if name not in have:
                        have[name] = value
                        defaulted.append(f"{name} {target[:-1]} for container {container.get('name', '')}")
    if defaulted:
        annotations = pod["metadata"].setdefault("annotations", {})
        annotations["kubernetes.io/limit-ranger"] = "LimitRanger plugin set: " + "; ".join(defaulted)
    problems: list[str] = []
    for item in items:
        kind = item.get("type")
        if kind == "Container":
            for container in containers:
                resources = container.get("resources") or {}
                problems += _check(
                    item, "Container", resources.get("requests") or {}, resources.get("limits") or {}
                )
        elif kind == "Pod":
            requests, limits = _pod_totals(spec)
            problems += _check(item, "Pod", requests, limits)
    return problems


def check_claim_limits(claim: Obj, ranges: list[Obj]) -> list[str]:
    requests = ((claim.get("spec") or {}).get("resources") or {}).get("requests") or {}
    problems: list[str] = []
    for item in (i for r in ranges for i in (r.get("spec") or {}).get("limits") or []):
        if item.get("type") != "PersistentVolumeClaim":
            continue
        for name, minimum in (item.get("min") or {}).items():
            have = requests.get(name)
            if have is None:
                problems.append(
                    f"minimum {name} usage per PersistentVolumeClaim is {minimum}. No request is specified"
                )
            elif _q(have) < _q(minimum):
                problems.append(
                    f"minimum {name} usage per PersistentVolumeClaim is {minimum}, but request is {have}"
                )
        for name, maximum in (item.get("max") or {}).items():
            have = requests.get(name)
            if have is not None and _q(have) > _q(maximum):
                problems.append(
                    f"maximum {name} usage per PersistentVolumeClaim is {maximum}, but request is {have}"
                )
    return problems


def _check(item: Obj, scope: str, requests: dict[str, Any], limits: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for name, minimum in (item.get("min") or {}).items():
        request = requests.get(name)
        if request is None:
            problems.append(f"minimum {name} usage per {scope} is {minimum}.  No request is specified")
        elif _q(request) < _q(minimum):
            problems.append(
                f"minimum {name} usage per {scope} is {minimum}, but request is {_fmt(_q(request))}"
            )
    for name, maximum in (item.get("max") or {}).items():
        limit = limits.get(name)
        if limit is None:
            problems.append(f"maximum {name} usage per {scope} is {maximum}.  No limit is specified")
        elif _q(limit) > _q(maximum):
            problems.append(f"maximum {name} usage per {scope} is {maximum}, but limit is {_fmt(_q(limit))}")
    for name, ratio in (item.get("maxLimitRequestRatio") or {}).items():
        request, limit = requests.get(name), limits.get(name)
        if limit is None or request is None:
            if limit is None:
                problems.append(
                    f"{name} max limit to request ratio per {scope} is {ratio}, but no limit is specified"
                )
            continue
        req = _q(request).as_fraction()
        if req == 0:
            continue
        actual = _q(limit).as_fraction() / req
        if actual > _q(ratio).as_fraction():
            problems.append(
                f"{name} max limit to request ratio per {scope} is {ratio}, but provided ratio is "
                f"{float(actual):f}"
            )
    return problems


def _add(total: dict[str, Quantity], values: dict[str, Quantity]) -> dict[str, Quantity]:
    out = dict(total)
    for name, value in values.items():
        out[name] = out[name] + value if name in out else value
    return out


def _pod_totals(spec: Obj) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """A pod's effective requests and limits, as Kubernetes' PodRequests/PodLimits count them:
    the containers' sum plus sidecars (init containers with `restartPolicy: Always`, which keep
    running), or, if larger, what the init phase needs at its peak (each ordinary init container
    runs beside the sidecars started before it); then the pod overhead."""
    out: list[dict[str, Quantity]] = []
    for part in ("requests", "limits"):

        def of(container: Obj, part: str = part) -> dict[str, Quantity]:
            return {k: _q(v) for k, v in ((container.get("resources") or {}).get(part) or {}).items()}

        total: dict[str, Quantity] = {}
        for container in spec.get("containers") or []:
            total = _add(total, of(container))
        sidecars: dict[str, Quantity] = {}
        peak: dict[str, Quantity] = {}
        for container in spec.get("initContainers") or []:
            if container.get("restartPolicy") == "Always":
                total = _add(total, of(container))
                sidecars = _add(sidecars, of(container))
                during = sidecars
            else:
                during = _add(sidecars, of(container))
            for name, value in during.items():
                if name not in peak or value > peak[name]:
                    peak[name] = value
        for name, value in peak.items():
            if name not in total or value > total[name]:
                total[name] = value
        total = _add(total, {k: _q(v) for k, v in (spec.get("overhead") or {}).items()})
        out.append(total)
    return out[0], out[1]


def pod_totals(spec: Obj) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """Public form of the pod totals (resource quota uses them too)."""
    return _pod_totals(spec)
