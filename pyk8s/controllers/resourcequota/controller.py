"""The ResourceQuota controller: keeps `status.hard` and `status.used` of every quota true.

Admission charges a quota when something is created (so two creates cannot both take the
last unit); this controller recomputes usage from scratch and gives back what deletions
freed. A quota is recomputed when it is created or its spec changes, when something it
counts is deleted or stops counting (a pod finishing, a claim shrinking, a service changing
type), and every 5 minutes. Creations do not trigger a recount: admission has charged them,
and a recount from a cache that has not seen the new object yet would under-count.

Pods, services and claims are counted from informer caches; other object counts
(`configmaps`, `secrets`, `count/<resource>.<group>`, ...) with a live list, only for the
quotas that ask for them.
"""

from __future__ import annotations

import logging
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.resources import PERSISTENTVOLUMECLAIMS, PODS, RESOURCEQUOTAS, SERVICES, Resource
from pyk8s.client.rest import Client
from pyk8s.controllers.garbagecollector.discovery import Discovery, discover
from pyk8s.controllers.resourcequota.usage import (
    claim_usage,
    compute_usage,
    count_resource,
    is_charged,
    quota_status,
    service_usage,
    status_differs,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import unwrap
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.resourcequota")

Obj = dict[str, Any]
SYNC_PERIOD = 300.0  # kube-controller-manager's --resource-quota-sync-period
# counted from the caches rather than with a list
CACHED = {("", "pods"), ("", "services"), ("", "persistentvolumeclaims")}


class ResourceQuotaReconciler:
    """Recomputes one quota's usage."""

    def __init__(
        self,
        client: Client,
        *,
        quotas: SharedInformer,
        pods: SharedInformer,
        services: SharedInformer,
        claims: SharedInformer,
        sync_period: float = SYNC_PERIOD,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.quotas, self.pods, self.services, self.claims = quotas, pods, services, claims
        self.sync_period = sync_period
        self._discovery: Discovery | None = None

    async def reconcile(self, key: str) -> Result | None:
        quota = self.quotas.lister.get_by_key(key)
        if quota is None:
            return None
        namespace = (quota.get("metadata") or {}).get("namespace") or ""
        usage = compute_usage(
            quota,
            pods=self.pods.lister.list(namespace=namespace),
            services=self.services.lister.list(namespace=namespace),
            claims=self.claims.lister.list(namespace=namespace),
            counts=await self._counts(quota, namespace),
            now=self.clock.now(),
        )
        status = quota_status(quota, usage)
        if status_differs(quota, status):
            try:
                await self.client.update_status(RESOURCEQUOTAS, {**quota, "status": status})
            except NotFoundError:
                return None
            except ConflictError:
                raise  # admission charged it meanwhile: recount from the new version
        return Result(requeue_after=self.sync_period)

    async def _counts(self, quota: Obj, namespace: str) -> dict[str, int]:
        """Live counts of the object-count resources the caches do not hold."""
        counts: dict[str, int] = {}
        for name in (quota.get("spec") or {}).get("hard") or {}:
            target = count_resource(name)
            if target is None or target in CACHED:
                continue
            resource = await self._resource(*target)
            if resource is None or not resource.namespaced:
                continue
            listed = await self.client.list(resource, namespace=namespace)
            counts[name] = len(listed.get("items") or [])
        return counts

    async def _resource(self, group: str, plural: str) -> Resource | None:
        if self._discovery is None or self._discovery.find(group, plural) is None:
            self._discovery = await discover(self.client, all_versions=False)
        return self._discovery.find(group, plural)

    # handlers: what frees quota wakes the namespace's quotas

    def _enqueue_namespace(self, queue: Any, obj: Obj) -> None:
        namespace = (obj.get("metadata") or {}).get("namespace") or ""
        for quota in self.quotas.lister.list(namespace=namespace):
            queue.add(object_key(quota))

    def replenishment_handler(self, queue: Any, released: Any) -> EventHandlerFuncs:
        """Wake quotas when an object is deleted or `released(old, new)` says it uses less."""

        def updated(old: Obj, new: Obj) -> None:
            if released(old, new):
                self._enqueue_namespace(queue, new)

        def deleted(obj: Obj | DeletedFinalStateUnknown) -> None:
            self._enqueue_namespace(queue, unwrap(obj))

        return EventHandlerFuncs(update=updated, delete=deleted)

    def pod_released(self, old: Obj, new: Obj) -> bool:
        now = self.clock.now()
        return is_charged(old, now) and not is_charged(new, now)

    def quota_handler(self, queue: Any) -> EventHandlerFuncs:
        def added(quota: Obj, _: bool) -> None:
            queue.add(object_key(quota))

        def updated(old: Obj, new: Obj) -> None:
            if (old.get("spec") or {}) != (new.get("spec") or {}) or not (new.get("status") or {}).get(
                "hard"
            ):
                queue.add(object_key(new))

        return EventHandlerFuncs(add=added, update=updated)


def _service_released(old: Obj, new: Obj) -> bool:
    return service_usage(old) != service_usage(new)


def _claim_released(old: Obj, new: Obj) -> bool:
    return claim_usage(old) != claim_usage(new)


def new_resourcequota_controller(ctx: ControllerContext, *, sync_period: float | None = None) -> Controller:
    quotas = ctx.informers.informer(RESOURCEQUOTAS)
    pods = ctx.informers.informer(PODS)
    services = ctx.informers.informer(SERVICES)
    claims = ctx.informers.informer(PERSISTENTVOLUMECLAIMS)
    reconciler = ResourceQuotaReconciler(
        ctx.client,
        quotas=quotas,
        pods=pods,
        services=services,
        claims=claims,
        sync_period=sync_period if sync_period is not None else SYNC_PERIOD,
    )
    controller = Controller(
        "resourcequota", reconciler, workers=ctx.workers("resourcequota"), clock=ctx.clock
    )
    controller.watch(quotas, reconciler.quota_handler(controller.queue))
    controller.watch(pods, reconciler.replenishment_handler(controller.queue, reconciler.pod_released))
    controller.watch(services, reconciler.replenishment_handler(controller.queue, _service_released))
    controller.watch(claims, reconciler.replenishment_handler(controller.queue, _claim_released))
    return controller
