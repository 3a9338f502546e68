"""What exists from the first start: the system namespaces and the `kubernetes` Service
(with its Endpoints pointing at this API server, when the Endpoints kind is served)."""

from __future__ import annotations

import logging

from pyk8s.api import errors
from pyk8s.api.resource import RequestContext
from pyk8s.apiserver.admission import SYSTEM_NAMESPACES, kubernetes_service_ip
from pyk8s.apiserver.server import ApiServer

log = logging.getLogger(__name__)
SYSTEM_USER = "system:apiserver"


async def ensure_system_objects(server: ApiServer, *, service_cidr: str, host: str, port: int) -> None:
    """Create what is missing; never overwrite what users changed."""
    now = server.clock.now()
    namespaces = server.endpoint("", "v1", "namespaces")
    if namespaces is not None:
        for name in SYSTEM_NAMESPACES:
            await _create(
                namespaces.storage,
                RequestContext("", SYSTEM_USER, now=now),
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}},
            )
    services = server.endpoint("", "v1", "services")
    if services is not None:
        ip = kubernetes_service_ip(service_cidr)
        service = {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "labels": {"component": "apiserver", "provider": "kubernetes"},
            },
            "spec": {
                "type": "ClusterIP",
                "clusterIP": ip,
                "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": port}],
                "sessionAffinity": "None",
            },
        }
        await _create(services.storage, RequestContext("default", SYSTEM_USER, now=now), service)
    endpoints = server.endpoint("", "v1", "endpoints")
    if endpoints is not None:
        ep = {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default"},
            "subsets": [
                {"addresses": [{"ip": host}], "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}
            ],
        }
        await _create(endpoints.storage, RequestContext("default", SYSTEM_USER, now=now), ep)


async def _create(store: object, ctx: RequestContext, obj: dict) -> None:
    try:
        await store.get(ctx.namespace, obj["metadata"]["name"])  # type: ignore[attr-defined]
        return
    except errors.NotFoundError:
        pass
    try:
        await store.create(ctx, obj)  # type: ignore[attr-defined]
    except errors.AlreadyExistsError:
        pass
