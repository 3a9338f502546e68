"""What a namespace uses against a ResourceQuota, as Kubernetes' quota evaluators count it.

    pods                    non-terminal pods (a pod stuck terminating past its grace
                            period is not charged), in the quota's scopes
    count/pods              every pod in storage, whatever its phase
    requests.cpu / cpu      sum of non-terminal pods' effective requests (containers,
    requests.memory, ...    sidecars and the init peak, plus overhead)
    limits.cpu, ...         the same for limits
    services, services.nodeports, services.loadbalancers
    persistentvolumeclaims, requests.storage, <class>.storageclass.storage.k8s.io/...
    configmaps, secrets, replicationcontrollers, resourcequotas
    count/<resource>[.<group>]   objects of any resource (counted by the controller)

Scoped quotas (Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass and
their scopeSelector forms) count only pods. Pure: lists in, quantities out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pyk8s.api.meta import parse_time
from pyk8s.api.quantity import Quantity

Obj = dict[str, Any]

ZERO = Quantity.parse("0")
ONE = Quantity.parse("1")
COMPUTE = ("cpu", "memory", "ephemeral-storage")
STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/"
# legacy object-count names -> the resource they count (core group)
LEGACY_COUNTS = {
    "pods": "pods",
    "services": "services",
    "configmaps": "configmaps",
    "secrets": "secrets",
    "persistentvolumeclaims": "persistentvolumeclaims",
    "replicationcontrollers": "replicationcontrollers",
    "resourcequotas": "resourcequotas",
}
POD_SCOPES = ("Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass")


def _q(value: Any) -> Quantity:
    return Quantity.parse(value)


def _add(total: dict[str, Quantity], part: Mapping[str, Quantity]) -> dict[str, Quantity]:
    out = dict(total)
    for name, value in part.items():
        out[name] = out.get(name, ZERO) + value
    return out


def _resources(container: Mapping[str, Any], part: str) -> dict[str, Quantity]:
    return {k: _q(v) for k, v in ((container.get("resources") or {}).get(part) or {}).items()}


def pod_totals(spec: Mapping[str, Any], part: str) -> dict[str, Quantity]:
    """A pod's effective requests or limits: containers plus sidecars, or the init phase's
    peak if larger (each init container runs beside the sidecars before it), plus overhead."""
    total: dict[str, Quantity] = {}
    for container in spec.get("containers") or []:
        total = _add(total, _resources(container, part))
    sidecars: dict[str, Quantity] = {}
    peak: dict[str, Quantity] = {}
    for container in spec.get("initContainers") or []:
        if container.get("restartPolicy") == "Always":
            total = _add(total, _resources(container, part))
            sidecars = _add(sidecars, _resources(container, part))
            during = sidecars
        else:
            during = _add(sidecars, _resources(container, part))
        for name, value in during.items():
            if name not in peak or value > peak[name]:
                peak[name] = value
    for name, value in peak.items():
        if name not in total or value > total[name]:
            total[name] = value
    return _add(total, {k: _q(v) for k, v in (spec.get("overhead") or {}).items()})


def is_charged(pod: Mapping[str, Any], now: float) -> bool:
    """Whether a pod still counts against compute quota: not terminal, and not stuck
    terminating past its grace period (a lost node must not block scaling up)."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return False
    meta = pod.get("metadata") or {}
    deleted, grace = meta.get("deletionTimestamp"), meta.get("deletionGracePeriodSeconds")
    if deleted and grace is not None:
        try:
            return now <= parse_time(str(deleted)) + float(grace)
        except ValueError:
            return True
    return True


def pod_usage(pod: Mapping[str, Any], now: float) -> dict[str, Quantity]:
    usage: dict[str, Quantity] = {"count/pods": ONE}
    if not is_charged(pod, now):
        return usage
    usage["pods"] = ONE
    spec = pod.get("spec") or {}
    for name, value in pod_totals(spec, "requests").items():
        usage[f"requests.{name}"] = value
        if name in COMPUTE:
            usage[name] = value
    for name, value in pod_totals(spec, "limits").items():
        if name in COMPUTE:
            usage[f"limits.{name}"] = value
    return usage


def service_usage(service: Mapping[str, Any]) -> dict[str, Quantity]:
    spec = service.get("spec") or {}
    usage = {"services": ONE, "count/services": ONE}
    kind = spec.get("type") or "ClusterIP"
    ports = len(spec.get("ports") or [])
    if kind == "NodePort" or (kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True)):
        usage["services.nodeports"] = Quantity.parse(str(ports))
    if kind == "LoadBalancer":
        usage["services.loadbalancers"] = ONE
    return usage


def claim_usage(claim: Mapping[str, Any]) -> dict[str, Quantity]:
    spec = claim.get("spec") or {}
    usage = {"persistentvolumeclaims": ONE, "count/persistentvolumeclaims": ONE}
    requested = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    allocated = ((claim.get("status") or {}).get("allocatedResources") or {}).get("storage")
    sizes = [_q(v) for v in (requested, allocated) if v is not None]
    cls = spec.get("storageClassName") or ""
    if cls:
        usage[f"{cls}{STORAGE_CLASS_SUFFIX}persistentvolumeclaims"] = ONE
    if sizes:
        storage = max(sizes)
        usage["requests.storage"] = storage
        if cls:
            usage[f"{cls}{STORAGE_CLASS_SUFFIX}requests.storage"] = storage
    return usage


def is_best_effort(spec: Mapping[str, Any]) -> bool:
    """QoS BestEffort: no container asks for or limits cpu or memory."""
    containers = [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
    for container in containers:
        for part in ("requests", "limits"):
            if set((container.get("resources") or {}).get(part) or {}) & {"cpu", "memory"}:
                return False
    return True


def _scope_matches(scope: str, operator: str, values: list[str], spec: Mapping[str, Any]) -> bool:
    if scope == "PriorityClass":
        cls = spec.get("priorityClassName") or ""
        return {
            "In": cls in values,
            "NotIn": cls not in values,
            "Exists": bool(cls),
            "DoesNotExist": not cls,
        }.get(operator, False)
    terminating = spec.get("activeDeadlineSeconds") is not None
    best_effort = is_best_effort(spec)
    facts = {
        "Terminating": terminating,
        "NotTerminating": not terminating,
        "BestEffort": best_effort,
        "NotBestEffort": not best_effort,
    }
    if scope not in facts:
        return False
    return facts[scope] if operator in ("Exists", "In") else not facts[scope]


def quota_scopes(quota: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(scope, operator, values) for spec.scopes and spec.scopeSelector together."""
    spec = quota.get("spec") or {}
    out = [(str(s), "Exists", []) for s in spec.get("scopes") or []]
    for expr in (spec.get("scopeSelector") or {}).get("matchExpressions") or []:
        out.append((str(expr.get("scopeName")), str(expr.get("operator")), list(expr.get("values") or [])))
    return out


def pod_in_scope(quota: Mapping[str, Any], pod: Mapping[str, Any]) -> bool:
    spec = pod.get("spec") or {}
    return all(_scope_matches(s, op, values, spec) for s, op, values in quota_scopes(quota))


def tracked(name: str) -> bool:
    """Whether the controller knows how to count this quota resource."""
    if name in LEGACY_COUNTS or name.startswith("count/"):
        return True
    if name in COMPUTE or name.startswith(("requests.", "limits.")):
        return True
    if name in ("services.nodeports", "services.loadbalancers"):
        return True
    return STORAGE_CLASS_SUFFIX in name


def count_resource(name: str) -> tuple[str, str] | None:
    """(group, plural) counted by `count/<plural>[.<group>]` or a legacy count name."""
    if name in LEGACY_COUNTS:
        return "", LEGACY_COUNTS[name]
    if not name.startswith("count/"):
        return None
    plural, _, group = name[len("count/") :].partition(".")
    return group, plural


def compute_usage(
    quota: Mapping[str, Any],
    *,
    pods: Iterable[Mapping[str, Any]] = (),
    services: Iterable[Mapping[str, Any]] = (),
    claims: Iterable[Mapping[str, Any]] = (),
    counts: Mapping[str, int] | None = None,
    now: float,
) -> dict[str, Quantity]:
    """Usage of every resource in the quota's spec.hard that can be counted."""
    hard = (quota.get("spec") or {}).get("hard") or {}
    names = [n for n in hard if tracked(n)]
    scoped = bool(quota_scopes(quota))
    total: dict[str, Quantity] = dict.fromkeys(names, ZERO)
    for pod in pods:
        if pod_in_scope(quota, pod):
            total = _add(total, pod_usage(pod, now))
    if not scoped:
        for service in services:
            total = _add(total, service_usage(service))
        for claim in claims:
            total = _add(total, claim_usage(claim))
        for name, value in (counts or {}).items():
            total[name] = Quantity.parse(str(value))
    return {n: total.get(n, ZERO) for n in names}


def quota_status(quota: Mapping[str, Any], usage: Mapping[str, Quantity]) -> Obj:
    """status.hard (the spec's) and status.used (fresh counts over the last ones, masked to
    the hard resources)."""
    hard = dict((quota.get("spec") or {}).get("hard") or {})
    previous = dict((quota.get("status") or {}).get("used") or {})
    used = {k: v for k, v in previous.items() if k in hard}
    for name, value in usage.items():
        used[name] = value.canonical()
    return {"hard": {k: _q(v).canonical() for k, v in hard.items()}, "used": dict(sorted(used.items()))}


def status_differs(quota: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    """Compare as quantities, so `1000m` and `1` are the same usage."""
    current = quota.get("status") or {}
    for part in ("hard", "used"):
        a, b = current.get(part) or {}, status.get(part) or {}
        if set(a) != set(b) or any(_q(a[k]) != _q(b[k]) for k in a):
            return True
    return False
