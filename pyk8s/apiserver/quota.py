"""ResourceQuota admission: refuse a create that would take a namespace over its quota, and
charge what it uses to the quota's status.

Usage is computed per object as Kubernetes' quota evaluators do: object counts
(`pods`, `services`, `count/deployments.apps`, ...), pod compute requests and limits
(`requests.cpu`, `cpu`, `limits.memory`, ...; a pod's request is the larger of its
containers' sum and its largest init container, plus overhead), claims' storage, and the
NodePort/LoadBalancer service counts. Quota scopes (Terminating, NotTerminating,
BestEffort, NotBestEffort, PriorityClass) select which pods a quota counts.

`status.used` is charged with a compare-and-swap, so concurrent creates cannot both take the
last unit. `status.hard` comes from the quota controller; until it has synced a quota, the
spec's limits are used.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from pyk8s.api import errors
from pyk8s.api.quantity import Quantity
from pyk8s.api.resource import Obj, RequestContext
from pyk8s.apiserver.limits import pod_totals
from pyk8s.registry.watchcache import Filter

if TYPE_CHECKING:
    from pyk8s.apiserver.server import ApiServer
    from pyk8s.registry.store import ResourceStore

ONE = Quantity.parse("1")
COMPUTE = ("cpu", "memory", "ephemeral-storage")


class ResourceQuotaAdmission:
    """Checks and charges quotas on create."""

    def __init__(self, server: ApiServer) -> None:
        self.server = server

    def _quotas(self, namespace: str) -> tuple[Any, list[Any]]:
        endpoint = self.server.endpoint("", "v1", "resourcequotas")
        if endpoint is None or endpoint.store is None:
            return None, []
        return endpoint, endpoint.storage.cache.list(Filter(namespace=namespace))

    async def charge(self, store: ResourceStore, ctx: RequestContext, obj: Obj) -> None:
        namespace = obj["metadata"].get("namespace", "")
        endpoint, cached = self._quotas(namespace)
        if not cached:
            return
        usage = object_usage(store.info.group, store.info.plural, obj)
        if not usage:
            return
        for quota in (c.obj() for c in cached):
            delta = {name: value for name, value in usage.items() if name in _hard(quota)}
            if not delta or not _in_scope(quota, store.info.plural, obj):
                continue
            await self._charge_one(endpoint, ctx, quota["metadata"]["name"], delta, store, obj)

    async def _charge_one(
        self,
        endpoint: Any,
        ctx: RequestContext,
        name: str,
        delta: dict[str, Quantity],
        store: ResourceStore,
        obj: Obj,
    ) -> None:
        status_ctx = dataclasses.replace(ctx, field_manager="", subresource="status")

        def take(quota: Obj) -> Obj:
            hard = _hard(quota)
            status = quota.setdefault("status", {})
            used = {k: Quantity.parse(v) for k, v in (status.get("used") or {}).items()}
            missing = _required_missing(store.info.plural, obj, hard)
            if missing:
                raise errors.forbidden(
                    store.info.plural,
                    obj["metadata"].get("name", ""),
                    f"failed quota: {name}: must specify {','.join(missing)}",
                )
            over = sorted(k for k, v in delta.items() if used.get(k, Quantity.parse("0")) + v > hard[k])
            if over:

                def show(values: dict[str, Quantity]) -> str:
                    return ",".join(f"{k}={values.get(k, Quantity.parse('0')).canonical()}" for k in over)

                raise errors.forbidden(
                    store.info.plural,
                    obj["metadata"].get("name", ""),
                    f"exceeded quota: {name}, requested: {show(delta)}, used: {show(used)}, "
                    f"limited: {show(hard)}",
                )
            for k, v in delta.items():
                used[k] = used.get(k, Quantity.parse("0")) + v
            status["used"] = {k: v.canonical() for k, v in sorted(used.items())}
            status.setdefault("hard", {k: v.canonical() for k, v in sorted(hard.items())})
            quota["metadata"].pop("resourceVersion", None)
            return quota

        if ctx.dry_run:
            current = await endpoint.storage.get(ctx.namespace, name)
            take(current)  # check only
            return
        await endpoint.storage.update(status_ctx, name, take)


def _hard(quota: Obj) -> dict[str, Quantity]:
    hard = (quota.get("status") or {}).get("hard") or (quota.get("spec") or {}).get("hard") or {}
    return {k: Quantity.parse(v) for k, v in hard.items()}


_COUNTED = {
    "pods": "pods",
    "services": "services",
    "configmaps": "configmaps",
    "secrets": "secrets",
    "persistentvolumeclaims": "persistentvolumeclaims",
    "replicationcontrollers": "replicationcontrollers",
    "resourcequotas": "resourcequotas",
}


def object_usage(group: str, plural: str, obj: Obj) -> dict[str, Quantity]:
    """What one new object adds to the quota resources Kubernetes tracks."""
    usage: dict[str, Quantity] = {}
    counted = f"count/{plural}" if not group else f"count/{plural}.{group}"
    usage[counted] = ONE
    if not group and plural in _COUNTED:
        usage[_COUNTED[plural]] = ONE
    spec = obj.get("spec") or {}
    if not group and plural == "pods":
        if (obj.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return {}
        requests, limits = pod_totals(spec)
        for name in COMPUTE:
            if name in requests:
                usage[f"requests.{name}"] = requests[name]
                usage[name] = requests[name]
            if name in limits:
                usage[f"limits.{name}"] = limits[name]
    elif not group and plural == "services":
        kind = spec.get("type", "ClusterIP")
        if kind in ("NodePort", "LoadBalancer"):
            usage["services.nodeports"] = Quantity.parse(str(len(spec.get("ports") or [])))
        if kind == "LoadBalancer":
            usage["services.loadbalancers"] = ONE
    elif not group and plural == "persistentvolumeclaims":
        storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        if storage is not None:
            usage["requests.storage"] = Quantity.parse(storage)
            cls = spec.get("storageClassName")
            if cls:
                usage[f"{cls}.storageclass.storage.k8s.io/requests.storage"] = Quantity.parse(storage)
                usage[f"{cls}.storageclass.storage.k8s.io/persistentvolumeclaims"] = ONE
    return usage


def _required_missing(plural: str, obj: Obj, hard: dict[str, Quantity]) -> list[str]:
    """Compute resources a quota limits that a pod container leaves unset."""
    if plural != "pods":
        return []
    missing: set[str] = set()
    containers = [
        c for key in ("initContainers", "containers") for c in (obj.get("spec") or {}).get(key) or []
    ]
    for name in COMPUTE:
        for part, keys in (("requests", (f"requests.{name}", name)), ("limits", (f"limits.{name}",))):
            if any(k in hard for k in keys):
                for container in containers:
                    if name not in ((container.get("resources") or {}).get(part) or {}):
                        missing.add(keys[0])
    return sorted(missing)


def _in_scope(quota: Obj, plural: str, obj: Obj) -> bool:
    """Whether a pod falls in the quota's scopes (non-pod objects: only unscoped quotas)."""
    spec = quota.get("spec") or {}
    scopes = list(spec.get("scopes") or [])
    expressions = ((spec.get("scopeSelector") or {}).get("matchExpressions")) or []
    if not scopes and not expressions:
        return True
    if plural != "pods":
        return False
    pod_spec = obj.get("spec") or {}
    terminating = pod_spec.get("activeDeadlineSeconds") is not None
    requests, limits = pod_totals(pod_spec)
    best_effort = not requests and not limits
    checks = {
        "Terminating": terminating,
        "NotTerminating": not terminating,
        "BestEffort": best_effort,
        "NotBestEffort": not best_effort,
    }
    for scope in scopes:
        if scope in checks and not checks[scope]:
            return False
    for expr in expressions:
        name, op, values = expr.get("scopeName"), expr.get("operator"), expr.get("values") or []
        if name == "PriorityClass":
            cls = pod_spec.get("priorityClassName", "")
            matched = {
                "In": cls in values,
                "NotIn": cls not in values,
                "Exists": bool(cls),
                "DoesNotExist": not cls,
            }.get(op, False)
        else:
            matched = (
                checks.get(name or "", False) if op in ("Exists", "In") else not checks.get(name or "", False)
            )
        if not matched:
            return False
    return True
