"""ComponentStatus objects, built when read.

Kubernetes probes the scheduler's and controller manager's health ports and each etcd member.
pyk8s components meet only at the API, so their health is read from there: the scheduler and
the controller manager are healthy while they hold a fresh leader-election Lease in
kube-system (`kube-scheduler`, `kube-controller-manager`, the names Kubernetes uses); storage is
healthy when it answers with its current revision within two seconds.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from pyk8s.api.meta import parse_time
from pyk8s.api.resource import Obj
from pyk8s.apiserver.server import ApiServer
from pyk8s.kinds.core.componentstatus import component_status

STORAGE_TIMEOUT = 2.0
LEASES = {"scheduler": "kube-scheduler", "controller-manager": "kube-controller-manager"}


def install(server: ApiServer) -> None:
    """Register the ComponentStatus reader with the server."""

    async def read() -> list[Obj]:
        objects = [_lease_health(server, name, lease) for name, lease in LEASES.items()]
        objects.append(await _storage_health(server))
        return objects

    server.synthesised[("", "componentstatuses")] = read


def _lease_health(server: ApiServer, name: str, lease_name: str) -> Obj:
    leases = server.endpoint("coordination.k8s.io", "v1", "leases")
    if leases is None or leases.store is None:
        return component_status(name, False, error="leases are not served")
    cached = leases.store.cache.get(leases.store.key("kube-system", lease_name))
    if cached is None:
        return component_status(name, False, error=f"no leader has taken lease kube-system/{lease_name}")
    spec = cached.obj().get("spec") or {}
    renewed = spec.get("renewTime") or spec.get("acquireTime")
    duration = spec.get("leaseDurationSeconds") or 15
    try:
        fresh = renewed is not None and parse_time(renewed) + duration >= server.clock.now()
    except ValueError:
        fresh = False
    if not fresh:
        holder = spec.get("holderIdentity") or "nobody"
        return component_status(
            name, False, error=f"lease kube-system/{lease_name} held by {holder} has not been renewed"
        )
    return component_status(name, True, message="ok")


async def _storage_health(server: ApiServer) -> Obj:
    scheme = urlsplit(getattr(server.storage, "url", "") or "storage:").scheme or "storage"
    name = f"{scheme}-0"
    try:
        await asyncio.wait_for(server.storage.current_revision(), STORAGE_TIMEOUT)
    except Exception as err:  # any failure is the component's error, not the request's
        return component_status(name, False, error=str(err) or type(err).__name__)
    return component_status(name, True, message="ok")
