"""`IngressController`: informers → routing table, certificates and Ingress status; the
HTTP and HTTPS listeners serve through `IngressProxy`.

    Ingresses, IngressClasses, TLS Secrets ──(any change)──► rebuild: routes, SNI contexts,
                                                              status.loadBalancer writes
    Services, EndpointSlices ──► read at request time (the informers' caches)

The rebuild runs in one task woken by an event that every handler sets, so a burst of
changes costs one rebuild; endpoint changes cost nothing but the cache update, and the
next request sees them.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from typing import Any

from aiohttp import web

from pyk8s.api import errors
from pyk8s.client import Client
from pyk8s.client.informers import EventHandlerFuncs, SharedInformerFactory
from pyk8s.client.resources import ENDPOINTSLICES, INGRESSCLASSES, INGRESSES, SECRETS, SERVICES
from pyk8s.network.dns.netns import make_socket
from pyk8s.network.ingress.backends import endpoints_for
from pyk8s.network.ingress.config import IngressConfig
from pyk8s.network.ingress.proxy import IngressProxy
from pyk8s.network.ingress.routing import (
    DEFAULT_CLASS_ANNOTATION,
    Backend,
    build_routes,
    is_ours,
    our_classes,
    tls_hosts,
)
from pyk8s.network.ingress.tls import CertificateStore

log = logging.getLogger("pyk8s.network.ingress")

Obj = dict[str, Any]
SLICES_BY_SERVICE = "ingress/service"
TLS_SECRET_TYPE = "kubernetes.io/tls"


def _slice_service(slice_: Obj) -> list[str]:
    meta = slice_.get("metadata") or {}
    service = (meta.get("labels") or {}).get("kubernetes.io/service-name")
    return [f"{meta.get('namespace', '')}/{service}"] if service else []


def load_balancer_status(address: str) -> list[Obj]:
    """`status.loadBalancer.ingress` for the listener's address (an IP or a host name)."""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return [{"hostname": address}]
    return [{"ip": address}]


class IngressController:
    """Serves the Ingresses of its class until closed."""

    def __init__(self, config: IngressConfig, client: Client) -> None:
        self.config = config
        self.client = client
        self.clock = config.clock or client.clock
        self.factory = SharedInformerFactory(client)
        self.ingresses = self.factory.informer(INGRESSES)
        self.classes = self.factory.informer(INGRESSCLASSES)
        self.secrets = self.factory.informer(SECRETS, field_selector=f"type={TLS_SECRET_TYPE}")
        self.services = self.factory.informer(SERVICES)
        self.slices = self.factory.informer(ENDPOINTSLICES)
        if SLICES_BY_SERVICE not in self.slices.indexer.indexers:
            self.slices.add_indexers({SLICES_BY_SERVICE: _slice_service})
        self.proxy = IngressProxy(self.endpoints, upstream_netns=config.upstream_netns)
        self.certificates = CertificateStore()
        self._dirty = asyncio.Event()
        wake = EventHandlerFuncs(
            add=lambda _o, _i: self._dirty.set(),
            update=lambda _a, _b: self._dirty.set(),
            delete=lambda _o: self._dirty.set(),
        )
        for informer in (self.ingresses, self.classes, self.secrets):
            informer.add_event_handler(wake)
        self._servers: list[tuple[web.Server, asyncio.base_events.Server]] = []
        self._loop_task: asyncio.Task[None] | None = None
        self.http_port = 0
        self.https_port = 0
        self.rebuilds = 0

    # request-time lookups

    def endpoints(self, backend: Backend) -> list[tuple[str, int]]:
        service = self.services.indexer.get(f"{backend.namespace}/{backend.service}")
        if service is None:
            return []
        slices = self.slices.indexer.by_index(SLICES_BY_SERVICE, f"{backend.namespace}/{backend.service}")
        return endpoints_for(service, slices, backend.port)

    # lifecycle

    async def start(self) -> None:
        self.factory.start()
        await self.factory.wait_for_sync()
        if self.config.create_class:
            await self.ensure_class()
        await self.rebuild()
        self.http_port = await self._listen(self.config.http_port, tls=False)
        if self.config.https_port >= 0:
            self.https_port = await self._listen(self.config.https_port, tls=True)
        self._loop_task = asyncio.create_task(self._rebuild_loop(), name="ingress rebuild")
        self.config.ready.set()
        log.info(
            "ingress controller %s: http %s:%d, https %s:%d",
            self.config.controller_name,
            self.config.bind,
            self.http_port,
            self.config.bind,
            self.https_port,
        )

    async def aclose(self) -> None:
        self.config.ready.clear()
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
        for web_server, server in self._servers:
            server.close()
            await web_server.shutdown(1.0)
            with contextlib.suppress(Exception):
                await server.wait_closed()
        self._servers.clear()
        await self.proxy.aclose()
        await self.factory.shutdown()

    async def _listen(self, port: int, *, tls: bool) -> int:
        sock = make_socket(socket.SOCK_STREAM, (self.config.bind, port), reuse_address=True)
        web_server = web.Server(self.proxy.handle, handler_cancellation=True)
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            web_server, sock=sock, ssl=self.certificates.default if tls else None, backlog=1024
        )
        self._servers.append((web_server, server))
        return int(sock.getsockname()[1])

    async def ensure_class(self) -> None:
        """Create our IngressClass; the cluster's default unless another class already is."""
        others_default = any(
            str(
                ((c.get("metadata") or {}).get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION, "")
            ).lower()
            == "true"
            for c in self.classes.indexer.list()
        )
        body: Obj = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {"name": self.config.class_name},
            "spec": {"controller": self.config.controller_name},
        }
        if not others_default:
            body["metadata"]["annotations"] = {DEFAULT_CLASS_ANNOTATION: "true"}
        try:
            created = await self.client.create(INGRESSCLASSES, body)
        except errors.AlreadyExistsError:
            return
        self.classes.indexer.add(created)  # serve classless Ingresses without waiting for the watch

    # rebuilding

    async def _rebuild_loop(self) -> None:
        while True:
            await self._dirty.wait()
            try:
                await self.rebuild()
            except Exception:
                log.exception("rebuilding the ingress routes (retrying in 1 s)")
                await self.clock.sleep(1.0)
                self._dirty.set()

    async def rebuild(self) -> None:
        """Routes and certificates from the caches, then the Ingresses' status."""
        self._dirty.clear()
        self.rebuilds += 1
        classes, default = our_classes(self.classes.indexer.list(), self.config.controller_name)
        everything = self.ingresses.indexer.list()
        mine = [i for i in everything if is_ours(i, classes, default)]
        self.proxy.table = build_routes(mine)
        self.certificates.update(tls_hosts(mine), lambda ns, name: self.secrets.indexer.get(f"{ns}/{name}"))
        await self._write_status(everything, {id(i) for i in mine})

    async def _write_status(self, ingresses: list[Obj], mine: set[int]) -> None:
        want = load_balancer_status(self.config.advertised_address())
        for ingress in ingresses:
            meta = ingress.get("metadata") or {}
            current = ((ingress.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
            if id(ingress) in mine:
                if current == want:
                    continue
                patch: Obj = {"status": {"loadBalancer": {"ingress": want}}}
            elif current == want:  # no longer ours: withdraw the address we wrote
                patch = {"status": {"loadBalancer": {"ingress": None}}}
            else:
                continue
            try:
                await self.client.patch_status(
                    INGRESSES, meta["name"], patch, namespace=meta.get("namespace")
                )
            except errors.NotFoundError:
                continue
