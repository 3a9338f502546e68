"""The pod network of one real node: what the node agent calls to give pods addresses.

`NodeNetwork` is the node agent's side of the pod network (see `fabric.py` for the
picture):

- `start(node)` picks the node address (a flag, the one the Node already reports, or one
  derived from the node name and free among the Nodes), creates the node host namespace
  `pyk8s-node-<node>` plugged into the fabric, and starts the API server relay in it;
- `run(stop, pods)` watches Nodes: the node's own `spec.podCIDR` (written by the node IPAM
  controller) becomes the CNI configuration, and every other node's podCIDR becomes a
  route via that node's address; once the pods are listed it releases the addresses of
  pods that were deleted while the agent was away;
- `setup_pod(pod, netns)` runs the CNI plugins (loopback, then bridge + host-local) for a
  pod sandbox and returns the pod IP; `teardown_pod` releases it. Both are idempotent and
  survive agent restarts: results are cached on disk, host-local keeps its leases on disk,
  and a cached result is checked against the pod's namespace before it is trusted;
- `host_netns_path()` is where hostNetwork pods live: the node host, never the machine's
  root namespace.

State lives under `<node data>/network/`: `net.d/` (CNI configuration), `ipam/` (host-local
leases), `results/` (cached ADD results).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import shutil
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pyk8s.api.errors import NotFoundError
from pyk8s.client import Client
from pyk8s.client.informers import SharedInformer
from pyk8s.client.informers.factory import SharedInformerFactory
from pyk8s.client.informers.informer import EventHandlerFuncs
from pyk8s.client.resources import NODES
from pyk8s.network.addresses import (
    CLUSTER_CIDR,
    FABRIC_NETNS,
    LOAD_BALANCER_CIDR,
    NODE_NETWORK,
    SERVICE_CIDR,
    derived_node_address,
    in_network,
    internal_ip,
    ipv4_pod_cidr,
    node_addresses_in_use,
    node_netns,
    pool_cidrs,
)
from pyk8s.network.cni import (
    DEFAULT_BIN_DIRS,
    LOOPBACK_CONFLIST,
    Attachment,
    AttachmentCache,
    CniError,
    CniRunner,
    bridge_conflist,
    cni_args,
    load_conflist,
    write_conflist,
)
from pyk8s.network.fabric import NodeHostSpec, ensure_node_host, remove_node_host
from pyk8s.network.netns import NETNS_DIR, NetnsError, ip_json, netns_path
from pyk8s.network.relay import ApiServerRelay
from pyk8s.network.routes import PodRoute, desired_routes, sync_routes

log = logging.getLogger("pyk8s.network.podnet")

Obj = dict[str, Any]
ROUTE_RETRY = 5.0
COALESCE = 0.05  # node events arriving together make one route sync


def pod_network_unavailable_reason(bin_dirs: tuple[str, ...] = DEFAULT_BIN_DIRS) -> str:
    """Why this machine cannot run the pod network ("" when it can): root, iproute2 and the
    CNI plugins are needed. For whoever composes a node agent, before passing a
    `NodeNetwork` to it."""
    if os.geteuid() != 0:
        return "the pod network needs root"
    if shutil.which("ip") is None:
        return "ip is not installed (apt-get install iproute2)"
    for plugin in ("bridge", "host-local", "loopback"):
        if not any(os.access(os.path.join(d, plugin), os.X_OK) for d in bin_dirs):
            return f"the CNI plugin {plugin} is not installed (apt-get install containernetworking-plugins)"
    return ""


class NetworkNotReadyError(Exception):
    """The node cannot attach pods yet (no podCIDR, hence no CNI configuration)."""


@dataclass(frozen=True)
class PodNetworkConfig:
    """How one node's pod network is set up.

    - `data_dir`: the node's network state (`<node data>/network`).
    - `node_address`: the node's address in the node network ("" = derived).
    - `fabric`: the fabric namespace node hosts are plugged into (tests use their own).
    - `relay`: run the API server relay in the node host.
    - `load_balancer_pool`: the LoadBalancer address pool, unreachable in the node host
      like the cluster and service ranges (give the same value as the controller's).
    """

    data_dir: Path
    node_address: str = ""
    cluster_cidr: str = CLUSTER_CIDR
    service_cidr: str = SERVICE_CIDR
    load_balancer_pool: str = LOAD_BALANCER_CIDR  # the `service-lb` controller's pool, same syntax
    fabric: str = FABRIC_NETNS
    cni_bin_dirs: tuple[str, ...] = DEFAULT_BIN_DIRS
    relay: bool = True
    mtu: int = 0

    def node_host(self, node: str, address: str) -> NodeHostSpec:
        """The node host this configuration makes for `node` at `address`."""
        return NodeHostSpec(
            node=node,
            address=address,
            fabric=self.fabric,
            node_network=str(NODE_NETWORK),
            cluster_cidr=self.cluster_cidr,
            service_cidr=self.service_cidr,
            load_balancer_cidrs=pool_cidrs(self.load_balancer_pool),
        )


class NodeNetwork:
    """The pod network of one node (see the module docstring)."""

    def __init__(self, client: Client, config: PodNetworkConfig) -> None:
        self.client = client
        self.config = config
        self.node = ""
        self.address = ""
        self.pod_cidr = ""
        self.conf_dir = config.data_dir / "net.d"
        self.ipam_dir = config.data_dir / "ipam"
        self.cache = AttachmentCache(config.data_dir / "results")
        self.relay: ApiServerRelay | None = None
        self.nodes: SharedInformer | None = None
        self.route_syncs = 0
        self._runner: CniRunner | None = None
        self._factory = SharedInformerFactory(client)
        self._changed = asyncio.Event()
        self._applied: set[PodRoute] | None = None
        self._locks: dict[str, asyncio.Lock] = {}
        self._active: set[str] = set()  # pods being attached right now (never collected)
        self._pod_cidr_known = asyncio.Event()
        self._retry: asyncio.Task[None] | None = None

    # the node

    @property
    def netns(self) -> str:
        return node_netns(self.node)

    def host_netns_path(self) -> Path:
        """The namespace hostNetwork pods join: the node host."""
        return netns_path(self.netns)

    def spec(self) -> NodeHostSpec:
        return self.config.node_host(self.node, self.address)

    async def start(self, node_name: str, node_ip: str = "") -> str:
        """Make the node host of `node_name` and start the relay; returns the node address
        (the node's InternalIP). `node_ip` is used when it lies in the node network."""
        self.node = node_name
        existing = await self._get_node()
        self.address = await self._choose_address(node_ip, existing)
        await ensure_node_host(self.spec())
        self._runner = CniRunner(self.netns, bin_dirs=self.config.cni_bin_dirs)
        if existing is not None:
            self._adopt_pod_cidr(existing)
        if self.config.relay and self.relay is None:
            target = self.api_server_address()
            relay = ApiServerRelay(self.host_netns_path(), self.address, target[1], target)
            await relay.start()
            self.relay = relay
        return self.address

    def api_server_address(self) -> tuple[str, int]:
        """The API server as the agent reaches it (host and port of the kubeconfig)."""
        url = urlsplit(self.client.config.server)
        return url.hostname or "127.0.0.1", url.port or (443 if url.scheme == "https" else 80)

    async def _get_node(self) -> Obj | None:
        try:
            return await self.client.get(NODES, self.node)
        except NotFoundError:
            return None

    async def _choose_address(self, requested: str, existing: Obj | None) -> str:
        if self.config.node_address:
            return self.config.node_address
        if in_network(requested):
            return requested
        if existing is not None and in_network(internal_ip(existing)):
            return internal_ip(existing)  # stable across restarts
        listed = await self.client.list(NODES)
        used = node_addresses_in_use(listed.get("items") or [], except_node=self.node)
        return derived_node_address(self.node, used)

    def _adopt_pod_cidr(self, node: Obj) -> None:
        cidr = ipv4_pod_cidr(node)
        if not cidr or cidr == self.pod_cidr:
            return
        conflist = bridge_conflist(cidr, ipam_dir=self.ipam_dir, mtu=self.config.mtu)
        if write_conflist(self.conf_dir, conflist):
            log.info("node %s: pod network %s (CNI configuration written)", self.node, cidr)
        self.pod_cidr = cidr
        self._pod_cidr_known.set()

    # watching nodes

    async def run(self, stop: asyncio.Event, pods: SharedInformer | None = None) -> None:
        """Keep the podCIDR and routes in step with the Nodes until `stop` is set; with
        `pods` (the node's pods), release addresses of pods gone while the agent was down."""
        self.nodes = self._factory.informer(NODES)
        self.nodes.add_event_handler(
            EventHandlerFuncs(
                add=lambda _obj, _initial: self._changed.set(),
                update=self._on_update,
                delete=lambda _obj: self._changed.set(),
            )
        )
        self._factory.start()
        collector = asyncio.get_running_loop().create_task(self._collect_after_sync(pods))
        stopped = asyncio.get_running_loop().create_task(stop.wait())
        try:
            while not stop.is_set():
                changed = asyncio.get_running_loop().create_task(self._changed.wait())
                await asyncio.wait((changed, stopped), return_when=asyncio.FIRST_COMPLETED)
                changed.cancel()
                if stop.is_set():
                    break
                await self.client.clock.sleep(COALESCE)
                self._changed.clear()
                await self._sync_nodes()
        finally:
            stopped.cancel()
            for task in (collector, self._retry):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            await self._factory.shutdown()
            await self.aclose()

    def _on_update(self, old: Obj, new: Obj) -> None:
        # Only podCIDRs, addresses and deletion matter; heartbeats change none of them.
        if (
            ipv4_pod_cidr(old),
            internal_ip(old),
            bool((old.get("metadata") or {}).get("deletionTimestamp")),
        ) != (
            ipv4_pod_cidr(new),
            internal_ip(new),
            bool((new.get("metadata") or {}).get("deletionTimestamp")),
        ):
            self._changed.set()

    async def _sync_nodes(self) -> None:
        assert self.nodes is not None
        nodes = self.nodes.lister.list()
        own = self.nodes.lister.get(self.node)
        try:
            if own is not None:
                self._adopt_pod_cidr(own)
            desired = desired_routes(nodes, own_node=self.node)
            if desired == self._applied:
                return
            await sync_routes(self.netns, desired)
            self._applied = desired
            self.route_syncs += 1
        except (NetnsError, OSError) as err:
            log.warning("node %s: route sync failed, retrying in %.0f s: %s", self.node, ROUTE_RETRY, err)
            if self._retry is None or self._retry.done():
                self._retry = asyncio.get_running_loop().create_task(self._retry_later())

    async def _retry_later(self) -> None:
        await self.client.clock.sleep(ROUTE_RETRY)
        self._changed.set()

    async def wait_for_pod_cidr(self, timeout: float | None = None) -> str:
        """The node's podCIDR, once known (for tests and callers that can wait)."""
        await asyncio.wait_for(self._pod_cidr_known.wait(), timeout)
        return self.pod_cidr

    async def _collect_after_sync(self, pods: SharedInformer | None) -> None:
        if pods is None:
            return
        await pods.wait_for_sync()
        live = {str((p.get("metadata") or {}).get("uid")) for p in pods.lister.list()}
        try:
            await self.gc(live)
        except (CniError, NetnsError, OSError) as err:
            log.warning("node %s: releasing addresses of deleted pods failed: %s", self.node, err)

    # pods

    def _lock(self, uid: str) -> asyncio.Lock:
        return self._locks.setdefault(uid, asyncio.Lock())

    @property
    def runner(self) -> CniRunner:
        if self._runner is None:
            raise NetworkNotReadyError("the node network has not been started")
        return self._runner

    async def setup_pod(self, pod: Obj, netns: Path) -> str:
        """Attach the pod sandbox whose namespace is `netns`; returns its IP. Raises
        `NetworkNotReadyError` until the node has a podCIDR, `CniError` if a plugin fails."""
        uid = str(pod["metadata"]["uid"])
        self._active.add(uid)
        try:
            async with self._lock(uid):
                return await self._setup(pod, uid, netns)
        finally:
            self._active.discard(uid)

    async def _setup(self, pod: Obj, uid: str, netns: Path) -> str:
        cached = self.cache.get(uid)
        if cached is not None:
            if cached.ips and cached.ips[0] in await _addresses(netns):
                return cached.ips[0]
            # The pod's namespace (or the node host) was made again: attach afresh.
            with contextlib.suppress(CniError):
                await self.runner.delete(cached)
            self.cache.remove(uid)
        conflist = load_conflist(self.conf_dir) if self.pod_cidr else None
        if conflist is None:
            raise NetworkNotReadyError(
                "network is not ready: container runtime network not ready: NetworkReady=false "
                "reason:NetworkPluginNotReady message:Network plugin returns error: "
                "cni plugin not initialized"
            )
        if await _addresses(netns):  # attached before a crash lost the cached result
            with contextlib.suppress(CniError):
                await self.runner.delete(_bare_attachment(uid, netns, conflist))
        await self.runner.add(LOOPBACK_CONFLIST, container_id=uid, netns=str(netns), ifname="lo")
        attachment = await self.runner.add(conflist, container_id=uid, netns=str(netns), args=cni_args(pod))
        self.cache.put(attachment)
        if not attachment.ips:
            raise CniError(f"network {conflist['name']} gave pod {uid} no address")
        log.info("pod %s: %s on %s", uid, attachment.ips[0], self.node)
        return attachment.ips[0]

    async def teardown_pod(self, uid: str) -> None:
        """Release the pod's address and interface (nothing if it has none)."""
        async with self._lock(uid):
            cached = self.cache.get(uid)
            if cached is not None:
                await self.runner.delete(cached)
                self.cache.remove(uid)
        self._locks.pop(uid, None)

    async def gc(self, live: Collection[str]) -> int:
        """Release every attachment and host-local lease of a pod not in `live` (pod UIDs);
        returns how many pods were released."""
        released = 0
        for attachment in self.cache.all():
            uid = attachment.container_id
            if uid in live or uid in self._active:
                continue
            try:
                await self.teardown_pod(uid)
                released += 1
            except CniError as err:
                log.warning("pod %s: release failed: %s", uid, err)
        live = frozenset(live)

        def kept(uid: str) -> bool:
            # Read while pods may be attached concurrently: a pod attaching now is active, one
            # attached since `live` was listed has a cached result.
            return uid in live or uid in self._active or self.cache.get(uid) is not None

        released += await asyncio.to_thread(_collect_leases, self.ipam_dir, kept)
        if released:
            log.info("node %s: released the addresses of %d deleted pod(s)", self.node, released)
        return released

    # shutting down

    async def aclose(self) -> None:
        """Stop the relay (pods keep their network: it lives in namespaces)."""
        if self.relay is not None:
            await self.relay.aclose()
            self.relay = None

    async def remove(self) -> None:
        """Delete the node host and the node's network state (every pod loses its network):
        for tests and for removing a node from a machine."""
        await self.aclose()
        if self.node:
            await remove_node_host(self.node, fabric=self.config.fabric)
        for directory in (self.cache.directory, self.ipam_dir, self.conf_dir):
            await asyncio.to_thread(shutil.rmtree, directory, True)


def _bare_attachment(uid: str, netns: Path, conflist: Obj) -> Attachment:
    return Attachment(uid, "eth0", str(netns), "", conflist, {})


async def _addresses(netns: Path) -> list[str]:
    """IPv4 addresses of eth0 in a pod namespace kept by `ip netns` ([] if none)."""
    if netns.parent != NETNS_DIR:
        return []
    try:
        links = await ip_json("-4", "addr", "show", "dev", "eth0", netns=netns.name)
    except NetnsError:
        return []
    return [info["local"] for link in links for info in link.get("addr_info") or [] if info.get("local")]


def _lease_files(ipam_dir: Path) -> Iterator[tuple[Path, Path]]:
    if not ipam_dir.is_dir():
        return
    for network in ipam_dir.iterdir():
        if network.is_dir():
            for path in network.iterdir():
                if path.name != "lock" and not path.name.startswith("last_reserved_ip"):
                    yield network, path


def _collect_leases(ipam_dir: Path, kept: Callable[[str], bool]) -> int:
    """Delete host-local leases of containers that are not `kept`, under host-local's own
    lock of each network directory."""
    removed = 0
    by_network: dict[Path, list[Path]] = {}
    for network, path in _lease_files(ipam_dir):
        by_network.setdefault(network, []).append(path)
    for network, paths in by_network.items():
        fd = os.open(network / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            for path in paths:
                try:
                    owner = path.read_text().splitlines()[0].strip()
                except (OSError, IndexError):
                    continue
                if owner and not kept(owner):
                    path.unlink(missing_ok=True)
                    removed += 1
        finally:
            os.close(fd)
    return removed
