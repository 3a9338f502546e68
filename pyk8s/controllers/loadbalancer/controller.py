"""The service load balancer controller: addresses for LoadBalancer Services from a local pool.

It stands in for a cloud's service controller (kube-controller-manager's
`service-lb-controller`): one reconcile of a Service key computes the address it should
have (`pool.assign`) and writes `status.loadBalancer` when that differs. The service proxy
on every node then routes the address. One worker, so two Services never get the same
address; addresses written but not yet seen in the cache are remembered.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import NotFoundError
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import SERVICES
from pyk8s.client.rest import Client
from pyk8s.controllers.loadbalancer.pool import (
    DEFAULT_POOL,
    AddressPool,
    assign,
    ingress_ips,
    status_for,
    wants_load_balancer,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject
from pyk8s.controllers.runtime.reconciler import Result, TerminalError

log = logging.getLogger("pyk8s.controllers.loadbalancer")

Obj = dict[str, Any]
NAME = "service-lb"
POOL_EXHAUSTED_RETRY = 30.0


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _key(obj: Mapping[str, Any]) -> str:
    return f"{_meta(obj).get('namespace', '')}/{_meta(obj).get('name', '')}"


class LoadBalancerReconciler:
    """Gives one Service its load balancer address (or takes it back)."""

    def __init__(
        self, client: Client, *, services: SharedInformer, pool: AddressPool, recorder: EventRecorder
    ) -> None:
        self.client = client
        self.services = services
        self.pool = pool
        self.recorder = recorder
        self._assigned: dict[str, str] = {}  # address -> service key, written by us

    def _used_by_others(self, key: str) -> set[str]:
        used = {ip: k for ip, k in self._assigned.items() if k != key}
        for service in self.services.lister.list():
            other = _key(service)
            if other == key:
                continue
            for ip in ingress_ips(service):
                if ip in self.pool:
                    used[ip] = other
        return set(used)

    async def reconcile(self, key: str) -> Result | None:
        service = self.services.lister.get_by_key(key)
        if service is None:
            self._forget(key)
            return None
        spec = service.get("spec") or {}
        current = [ip for ip in ingress_ips(service) if ip in self.pool]
        if not wants_load_balancer(service):
            if spec.get("type") == "LoadBalancer" or not current:
                self._forget(key)
                return None  # another implementation's class, or nothing of ours to take back
            await self._write(service, [])
            self._forget(key)
            return None
        ips = assign(service, self.pool, self._used_by_others(key))
        if ips is None:
            self.recorder.event(
                service,
                WARNING,
                "SyncLoadBalancerFailed",
                "Error syncing load balancer: no address left in the pool",
            )
            return Result(requeue_after=POOL_EXHAUSTED_RETRY)
        if ips == current and status_for(ips, service, self.pool) == (
            (service.get("status") or {}).get("loadBalancer") or {}
        ):
            self._remember(key, ips)
            return None
        self.recorder.event(service, NORMAL, "EnsuringLoadBalancer", "Ensuring load balancer")
        await self._write(service, ips)
        self._remember(key, ips)
        self.recorder.event(service, NORMAL, "EnsuredLoadBalancer", "Ensured load balancer")
        return None

    async def _write(self, service: Obj, ips: list[str]) -> None:
        updated = {**service, "status": {**(service.get("status") or {})}}
        updated["status"]["loadBalancer"] = status_for(ips, service, self.pool)
        try:
            await self.client.update_status(SERVICES, updated)
        except NotFoundError:
            raise TerminalError("the Service is gone") from None

    def _remember(self, key: str, ips: list[str]) -> None:
        self._forget(key)
        for ip in ips:
            self._assigned[ip] = key

    def _forget(self, key: str) -> None:
        for ip in [ip for ip, k in self._assigned.items() if k == key]:
            del self._assigned[ip]


def new_service_lb_controller(ctx: ControllerContext, *, pool: str | None = None) -> Controller:
    """The load balancer controller; the pool is `pool`, else the `load_balancer_ip_pool`
    option, else 10.241.0.0/24."""
    text = (
        pool if pool is not None else str(getattr(ctx.options, "load_balancer_ip_pool", "") or DEFAULT_POOL)
    )
    reconciler = LoadBalancerReconciler(
        ctx.client,
        services=ctx.informers.informer(SERVICES),
        pool=AddressPool.parse(text),
        recorder=ctx.recorder("service-lb-controller"),
    )
    # one worker: allocation decisions must not race each other
    controller = Controller(NAME, reconciler, workers=1, clock=ctx.clock)
    controller.watch(reconciler.services, EnqueueObject(controller.queue, skip_resync=True))
    return controller
