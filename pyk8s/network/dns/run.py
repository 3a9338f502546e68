"""`run_dns`: the cluster DNS component.

    informers (Services, EndpointSlices[, Nodes]) ──► InformerView ──► Zone ──► DnsServer
                                                                               ├ listeners given by --listen
                                                                               └ one per node host namespace
    node listeners ──► kube-system/kube-dns EndpointSlice (this process's slice)

Node listeners: for every Node with an InternalIP whose host namespace
(`pyk8s-node-<node>`) exists on this machine, the server listens on that address, port 53,
inside that namespace (sockets made there, served by this process's loop). The service
proxy then carries pods' queries to 10.96.0.10 to one of these addresses. The set is
reconciled on Node events only: a node agent that creates its namespace also reports the
address, which is an event; a namespace replaced under the same name is noticed by its
inode at the next Node event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from pyk8s.client import Client
from pyk8s.client.informers import EventHandlerFuncs, SharedInformerFactory
from pyk8s.client.resources import ENDPOINTSLICES, NODES, SERVICES
from pyk8s.network.dns.config import DnsConfig
from pyk8s.network.dns.netns import netns_inode
from pyk8s.network.dns.records import Zone
from pyk8s.network.dns.server import DnsServer, Listener, parse_address
from pyk8s.network.dns.service import delete_dns_slice, ensure_dns_service, write_dns_slice
from pyk8s.network.dns.view import InformerView

log = logging.getLogger("pyk8s.network.dns")
COMPONENT = "dns"


def node_address(node: dict) -> str:
    """The node's first IPv4 InternalIP ("" when it has none yet)."""
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP" and ":" not in str(address.get("address", "")):
            return str(address["address"])
    return ""


class ClusterDns:
    """The DNS server, its informers, its node listeners and its Service bookkeeping."""

    def __init__(self, config: DnsConfig, client: Client) -> None:
        self.config = config
        self.client = client
        self.clock = config.clock or client.clock
        self.factory = SharedInformerFactory(client)
        self.view = InformerView(self.factory.informer(SERVICES), self.factory.informer(ENDPOINTSLICES))
        self.server = DnsServer(
            Zone(config.cluster_domain, ttl=config.ttl),
            self.view,
            upstreams=[parse_address(u) for u in config.upstreams],
            serial=lambda: self.view.serial,
            synced=self.view.has_synced,
        )
        # node name -> (address, namespace inode, listener)
        self.node_listeners: dict[str, tuple[str, int, Listener]] = {}
        self._nodes_changed = asyncio.Event()
        self._node_task: asyncio.Task[None] | None = None
        self._slice_written: list[tuple[str, str]] | None = None
        if config.node_listeners:
            nodes = self.factory.informer(NODES)
            wake = EventHandlerFuncs(
                add=lambda _o, _i: self._nodes_changed.set(),
                update=lambda _a, _b: self._nodes_changed.set(),
                delete=lambda _o: self._nodes_changed.set(),
            )
            nodes.add_event_handler(wake)

    async def start(self) -> None:
        """Sync the caches, open the listeners, create the Service: then ready."""
        self.factory.start()
        await self.factory.wait_for_sync()
        for text in self.config.listen:
            host, port = parse_address(text)
            await self.server.listen(host, port)
        if self.config.manage_service:
            await ensure_dns_service(self.client, self.config)
        if self.config.node_listeners:
            await self.sync_node_listeners()
            self._node_task = asyncio.create_task(self._node_loop(), name="dns node listeners")
        self.config.ready.set()

    async def aclose(self) -> None:
        self.config.ready.clear()
        if self._node_task is not None:
            self._node_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._node_task
        await self.server.aclose()
        self.node_listeners.clear()
        if self.config.manage_service and self._slice_written is not None:
            with contextlib.suppress(Exception):
                await delete_dns_slice(self.client, self.config)
        await self.factory.shutdown()

    async def _node_loop(self) -> None:
        while True:
            await self._nodes_changed.wait()
            try:
                await self.sync_node_listeners()
            except Exception:
                log.exception("node listeners (retrying in 1 s)")
                await self.clock.sleep(1.0)
                self._nodes_changed.set()

    async def sync_node_listeners(self) -> None:
        """Open a listener per local node host namespace, close those whose node or
        namespace went, and publish the set as the kube-dns endpoints."""
        self._nodes_changed.clear()
        want: dict[str, tuple[str, int, str]] = {}
        for node in self.factory.informer(NODES).indexer.list():
            name = node["metadata"]["name"]
            address = node_address(node)
            netns = self.config.netns_template.format(node=name)
            inode = netns_inode(netns)
            if address and inode is not None:
                want[name] = (address, inode, netns)
        for name, (address, inode, listener) in list(self.node_listeners.items()):
            if want.get(name, ("", 0, ""))[:2] != (address, inode):
                del self.node_listeners[name]
                await self.server.close_listener(listener)
        for name, (address, inode, netns) in want.items():
            if name in self.node_listeners:
                continue
            try:
                listener = await self.server.listen(address, self.config.node_port, netns=netns)
            except OSError as exc:
                log.warning(
                    "cannot serve DNS for node %s on %s:%d: %s", name, address, self.config.node_port, exc
                )
                continue
            self.node_listeners[name] = (address, inode, listener)
        endpoints = sorted((name, entry[0]) for name, entry in self.node_listeners.items())
        if self.config.manage_service and endpoints != self._slice_written:
            await write_dns_slice(self.client, self.config, endpoints)
            self._slice_written = endpoints


def make_client(config: DnsConfig) -> tuple[Client, bool]:
    """The client to use, and whether this component owns (and must close) it."""
    if isinstance(config.kubeconfig, Client):
        return config.kubeconfig, False
    path = str(config.kubeconfig) if isinstance(config.kubeconfig, Path | str) else None
    client = Client.from_kubeconfig(
        path, component=COMPONENT, qps=config.qps, burst=config.burst, clock=config.clock
    )
    return client, True


async def run_dns(config: DnsConfig, stop: asyncio.Event) -> None:
    """Serve the cluster zone until `stop` is set."""
    client, owned = make_client(config)
    dns_ = ClusterDns(config, client)
    try:
        await dns_.start()
        log.info(
            "cluster DNS for %s ready: %d listener(s)", config.cluster_domain, len(dns_.server.listeners)
        )
        await stop.wait()
    finally:
        await dns_.aclose()
        if owned:
            await client.aclose()
