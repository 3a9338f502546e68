"""What exists from the first start: the system namespaces, the two system PriorityClasses,
and the `kubernetes` Service with its Endpoints and EndpointSlice pointing at this API server
(each only when its kind is served).

Each is written as kube-apiserver writes them, through its loopback client: as an Update by
the field manager `kube-apiserver` (the prefix of that client's User-Agent), so they carry
managedFields like any client's objects. The `kubernetes` Endpoints is labelled
`endpointslice.kubernetes.io/skip-mirror: "true"` (the API server keeps its EndpointSlice
itself, so the mirroring controller must leave it alone); an Endpoints from an older start
without the label gets it, and nothing else is ever overwritten.
"""

from __future__ import annotations

import logging

from pyk8s.api import errors
from pyk8s.api.resource import RequestContext
from pyk8s.apiserver.admission import SYSTEM_NAMESPACES, kubernetes_service_ip
from pyk8s.apiserver.server import ApiServer
from pyk8s.kinds.scheduling.priorityclass import SYSTEM_CLASSES

log = logging.getLogger(__name__)
SYSTEM_USER = "system:apiserver"
FIELD_MANAGER = "kube-apiserver"
LABEL_SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror"
# kube-apiserver's built-in classes (their values are fixed in the PriorityClass strategy)
SYSTEM_PRIORITY_DESCRIPTIONS = {
    "system-node-critical": "For pods a node cannot work without.",
    "system-cluster-critical": "For pods the cluster cannot work without.",
}


async def ensure_system_objects(server: ApiServer, *, service_cidr: str, host: str, port: int) -> None:
    """Create what is missing; never overwrite what users changed."""
    now = server.clock.now()

    def context(namespace: str) -> RequestContext:
        return RequestContext(namespace, SYSTEM_USER, field_manager=FIELD_MANAGER, now=now)

    namespaces = server.endpoint("", "v1", "namespaces")
    if namespaces is not None:
        for name in SYSTEM_NAMESPACES:
            await _create(
                namespaces.storage,
                context(""),
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
        await _create(services.storage, context("default"), service)
    endpoints = server.endpoint("", "v1", "endpoints")
    if endpoints is not None:
        ep = {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default", "labels": {LABEL_SKIP_MIRROR: "true"}},
            "subsets": [
                {"addresses": [{"ip": host}], "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}
            ],
        }
        if not await _create(endpoints.storage, context("default"), ep):
            await _ensure_label(
                endpoints.storage, context("default"), "kubernetes", LABEL_SKIP_MIRROR, "true"
            )
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
        await _create(slices.storage, context("default"), endpoint_slice)
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
            await _create(classes.storage, context(""), priority_class)


async def _create(store: object, ctx: RequestContext, obj: dict) -> bool:
    """Create `obj` unless it exists; whether this call created it."""
    try:
        await store.get(ctx.namespace, obj["metadata"]["name"])  # type: ignore[attr-defined]
        return False
    except errors.NotFoundError:
        pass
    try:
        await store.create(ctx, obj)  # type: ignore[attr-defined]
    except errors.AlreadyExistsError:
        return False
    return True


async def _ensure_label(store: object, ctx: RequestContext, name: str, key: str, value: str) -> None:
    """Set one label on an existing object (no write when it is already there)."""

    def labelled(obj: dict) -> dict:
        obj.setdefault("metadata", {}).setdefault("labels", {})[key] = value
        return obj

    try:
        current = await store.get(ctx.namespace, name)  # type: ignore[attr-defined]
        if ((current.get("metadata") or {}).get("labels") or {}).get(key) != value:
            await store.update(ctx, name, labelled)  # type: ignore[attr-defined]
    except errors.NotFoundError:
        pass  # deleted meanwhile: the next start creates it with the label
