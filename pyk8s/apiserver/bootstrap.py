"""What exists from the first start: the system namespaces, the two system PriorityClasses,
and the `kubernetes` Service with its Endpoints and EndpointSlice pointing at this API server
(each only when its kind is served)."""

from __future__ import annotations

import logging

from pyk8s.api import errors
from pyk8s.api.resource import RequestContext
from pyk8s.apiserver.admission import SYSTEM_NAMESPACES, kubernetes_service_ip
from pyk8s.apiserver.server import ApiServer
from pyk8s.kinds.scheduling.priorityclass import SYSTEM_CLASSES

log = logging.getLogger(__name__)
SYSTEM_USER = "system:apiserver"
# kube-apiserver's built-in classes (their values are fixed in the PriorityClass strategy)
SYSTEM_PRIORITY_DESCRIPTIONS = {
    "system-node-critical": "For pods a node cannot work without.",
    "system-cluster-critical": "For pods the cluster cannot work without.",
}


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
    slices = server.endpoint("discovery.k8s.io", "v1", "endpointslices")
    if slices is not None:
        endpoint_slice = {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "labels": {"kubernetes.io/service-name": "kubernetes"},
            },
            "addressType": "IPv4",
            "endpoints": [{"addresses": [host], "conditions": {"ready": True}}],
            "ports": [{"name": "https", "port": port, "protocol": "TCP"}],
        }
        await _create(slices.storage, RequestContext("default", SYSTEM_USER, now=now), endpoint_slice)
    classes = server.endpoint("scheduling.k8s.io", "v1", "priorityclasses")
    if classes is not None:
        for name, description in SYSTEM_PRIORITY_DESCRIPTIONS.items():
            priority_class = {
                "apiVersion": "scheduling.k8s.io/v1",
                "kind": "PriorityClass",
                "metadata": {"name": name},
                "value": SYSTEM_CLASSES[name],
                "description": description,
            }
            await _create(classes.storage, RequestContext("", SYSTEM_USER, now=now), priority_class)


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
