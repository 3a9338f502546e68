"""The fabric and the node hosts: the namespaces and links under every pod network.

    machine root namespace: nothing of pyk8s (no address, no route, no link)

    pyk8s-fabric                     pyk8s-node-a                     pod namespaces
    ┌───────────────────────┐        ┌───────────────────────────┐    ┌──────────────┐
    │ bridge pyk8s-nodes    │        │ eth0 10.240.x.y/16        │    │ eth0 10.244. │
    │   nd-<hash a> ◄───veth─────────┤ cni0 10.244.A.1/24 ◄─veth─────┤   A.n/24     │
    │   nd-<hash b> ◄─ ...  │        │ routes: 10.244.B.0/24 via │    └──────────────┘
    └───────────────────────┘        │   node b; unreachable     │
                                     │   10.244.0.0/16, 10.96/12,│
                                     │   10.241.0.0/24 (LB pool) │
                                     └───────────────────────────┘

The fabric is one namespace per machine holding one bridge, the "wire" between node
hosts; it has no address and routes nothing. Each node host is a namespace with one leg
on the fabric (its node address) and the pods' bridge, created by the CNI bridge plugin at
the first pod. Forwarding is on in node hosts only. Unreachable routes for the cluster,
service and load balancer ranges make any address nobody routes fail at once inside the node host, so
no packet for those ranges is ever looked up elsewhere.

Every step is idempotent: an agent restarting finds what it made and completes it. The
fabric is shared by the node hosts of a machine; a lock file (`/run/pyk8s/network.lock`)
serialises making it, plugging node hosts in and removing it once its last node host is
gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import ipaddress
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from pyk8s.network.addresses import (
    CLUSTER_CIDR,
    FABRIC_BRIDGE,
    FABRIC_NETNS,
    NODE_LINK,
    NODE_NETWORK,
    SERVICE_CIDR,
    fabric_port,
    node_netns,
)
from pyk8s.network.netns import (
    NetnsError,
    add_netns,
    delete_netns,
    ip,
    ip_batch,
    ip_json,
    link_exists,
    netns_exists,
    sysctl,
)

log = logging.getLogger("pyk8s.network.fabric")

# One lock for every fabric of the machine (changes are short); the file stays, in /run.
LOCK_FILE = Path("/run/pyk8s/network.lock")


@dataclass(frozen=True)
class NodeHostSpec:
    """What one node host looks like."""

    node: str
    address: str
    fabric: str = FABRIC_NETNS
    node_network: str = str(NODE_NETWORK)
    cluster_cidr: str = CLUSTER_CIDR
    service_cidr: str = SERVICE_CIDR
    # LoadBalancer addresses: like ClusterIPs they exist only as DNAT targets of the proxy.
    # `PodNetworkConfig.load_balancer_pool` (default 10.241.0.0/24) fills this in.
    load_balancer_cidrs: tuple[str, ...] = ()

    @property
    def netns(self) -> str:
        return node_netns(self.node)

    @property
    def prefix_len(self) -> int:
        return ipaddress.ip_network(self.node_network).prefixlen

    def unreachable(self) -> list[str]:
        """The ranges that fail inside the node host unless a more specific route exists."""
        ranges = [self.cluster_cidr, self.service_cidr, *self.load_balancer_cidrs]
        return [r for i, r in enumerate(ranges) if r and r not in ranges[:i]]


@contextlib.asynccontextmanager
async def fabric_lock(fabric: str) -> AsyncIterator[None]:
    """Serialise changes to the fabric `fabric` across agents on this machine."""
    del fabric  # one machine-wide lock: fabric changes are rare and quick
    LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


async def _ensure_fabric(fabric: str) -> None:
    if await add_netns(fabric):
        # The fabric is a plain wire: it must not speak (router solicitations) itself.
        await sysctl(fabric, "net.ipv6.conf.all.disable_ipv6", "1")
        await sysctl(fabric, "net.ipv6.conf.default.disable_ipv6", "1")
    if not await link_exists(FABRIC_BRIDGE, netns=fabric):
        await ip("link", "add", FABRIC_BRIDGE, "type", "bridge", netns=fabric)
    await ip("link", "set", FABRIC_BRIDGE, "up", netns=fabric)


async def ensure_node_host(spec: NodeHostSpec) -> None:
    """Create (or complete) the node host of `spec` and plug it into the fabric."""
    netns, port = spec.netns, fabric_port(spec.node)
    async with fabric_lock(spec.fabric):
        await _ensure_fabric(spec.fabric)
        await add_netns(netns)
        if not await link_exists(NODE_LINK, netns=netns):
            if await link_exists(port, netns=spec.fabric):  # half of an interrupted setup
                await ip("link", "del", port, netns=spec.fabric)
            await ip(
                "link",
                "add",
                port,
                "type",
                "veth",
                "peer",
                "name",
                NODE_LINK,
                "netns",
                netns,
                netns=spec.fabric,
            )
        await ip("link", "set", port, "master", FABRIC_BRIDGE, "up", netns=spec.fabric)
    await sysctl(netns, "net.ipv4.ip_forward", "1")
    for old in await _addresses(netns, NODE_LINK):
        if old != f"{spec.address}/{spec.prefix_len}":
            await ip("addr", "del", old, "dev", NODE_LINK, netns=netns)
    await ip_batch(
        [
            f"addr replace {spec.address}/{spec.prefix_len} dev {NODE_LINK}",
            f"link set {NODE_LINK} up",
            *(f"route replace unreachable {cidr}" for cidr in spec.unreachable()),
        ],
        netns=netns,
    )
    log.info("node host %s ready at %s", netns, spec.address)


async def _addresses(netns: str, dev: str) -> list[str]:
    found = []
    for link in await ip_json("-4", "addr", "show", "dev", dev, netns=netns):
        for info in link.get("addr_info") or []:
            if info.get("family") == "inet":
                found.append(f"{info['local']}/{info['prefixlen']}")
    return found


async def remove_node_host(
    node: str, *, fabric: str = FABRIC_NETNS, remove_empty_fabric: bool = True
) -> None:
    """Delete the node host of `node` (its bridge, the pods' host veths and its fabric link
    go with it); then the fabric too, once no node host is plugged into it."""
    async with fabric_lock(fabric):
        # Deleting the fabric end first removes both ends at once: a namespace's links are
        # destroyed asynchronously after `ip netns delete`, too late for the check below.
        port = fabric_port(node)
        if netns_exists(fabric) and await link_exists(port, netns=fabric):
            await ip("link", "del", port, netns=fabric)
        await delete_netns(node_netns(node))
        if remove_empty_fabric:
            await _remove_fabric_if_empty(fabric)


async def _remove_fabric_if_empty(fabric: str) -> None:
    if not netns_exists(fabric):
        return
    try:
        ports = await ip_json("link", "show", "master", FABRIC_BRIDGE, netns=fabric)
    except NetnsError:
        ports = []
    if not ports:
        await delete_netns(fabric)
        log.info("fabric %s removed", fabric)


async def remove_fabric(fabric: str = FABRIC_NETNS) -> None:
    """Delete the fabric whatever is plugged into it (node hosts lose their link)."""
    async with fabric_lock(fabric):
        await delete_netns(fabric)
