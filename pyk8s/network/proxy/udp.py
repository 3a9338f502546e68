"""Stale UDP conntrack entries: finding them (pure) and deleting them in the node namespace.

A UDP "connection" is a conntrack entry that every packet refreshes, so a client that keeps
sending to a Service keeps using the endpoint chosen by its first packet: once that pod is
gone, the entry DNATs into nothing until the client pauses for the UDP timeout (30 s, or
120 s for a flow that has seen replies). kube-proxy deletes such entries after each sync;
so does the proxier, level-triggered rather than from a list of removed endpoints:

- a *frontend* is an address a UDP Service port answers on, (cluster IP, port), each
  external and load balancer IP with the port, and each node port address with the node
  port, with the endpoints (ip, port) it may send to now;
- an entry whose original destination is a frontend and whose reply source is not one of
  that frontend's endpoints is stale (this includes entries never NATed, created while the
  rules were not yet there);
- frontends that disappeared since the last clean-up (a deleted Service, a changed cluster
  IP, a node port given up) make every entry to them stale.

Deleting happens after the new rules are in the kernel, so the client's next packet
creates a new entry through the new rules. TCP is left alone, as kube-proxy does: a TCP
client sees its peer vanish (reset or timeout) and reconnects.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from pyk8s.network.conntrack import Conntrack, Flow
from pyk8s.network.proxy.model import ServicePort
from pyk8s.network.proxy.nft import netns_path

Address = tuple[str, int]
Frontends = dict[Address, frozenset[Address]]  # frontend -> endpoints it may reach


def udp_frontends(ports: Iterable[ServicePort], node_ips: Iterable[str]) -> Frontends:
    """The frontends of the UDP ports among `ports`, with their usable endpoints."""
    addresses = tuple(node_ips)
    frontends: dict[Address, set[Address]] = {}
    for port in ports:
        if port.protocol != "UDP":
            continue
        allowed = {(e.ip, e.port) for e in (*port.cluster_endpoints, *port.local_endpoints)}
        front = [(ip, port.port) for ip in (port.cluster_ip, *port.external_ips, *port.load_balancer_ips)]
        if port.node_port:
            front += [(ip, port.node_port) for ip in addresses]
        for address in front:
            frontends.setdefault(address, set()).update(allowed)
    return {address: frozenset(allowed) for address, allowed in frontends.items()}


def stale_flows(
    flows: Iterable[Flow], frontends: Mapping[Address, Collection[Address]], retired: Collection[Address]
) -> list[Flow]:
    """The UDP entries of `flows` that lead somewhere their frontend no longer sends to."""
    stale = []
    for flow in flows:
        if flow.protocol != socket.IPPROTO_UDP:
            continue
        frontend = (flow.original.dst, flow.original.dport)
        allowed = frontends.get(frontend)
        if allowed is None:
            if frontend in retired:
                stale.append(flow)
        elif (flow.reply.src, flow.reply.sport) not in allowed:
            stale.append(flow)
    return stale


class ConntrackCleaner:
    """Deletes stale UDP entries in one network namespace (a name or a path; "" is this
    process's own)."""

    def __init__(self, netns: str) -> None:
        self.netns = netns
        self.deleted = 0  # entries deleted so far (for tests and metrics)
        self.durations: list[float] = []  # seconds of the last clean-ups (bounded; for benchmarks)

    def _path(self) -> Path | None:
        return Path(netns_path(self.netns)) if self.netns else None

    async def clean(self, frontends: Frontends, retired: Collection[Address]) -> int:
        """Delete the stale entries; returns how many went. Nothing happens when the
        namespace does not exist (it has no entries either)."""
        if not frontends and not retired:
            return 0
        started = time.perf_counter()
        deleted = await asyncio.to_thread(self._clean, self._path(), frontends, retired)
        self.durations = [*self.durations[-99:], time.perf_counter() - started]
        self.deleted += deleted
        return deleted

    @staticmethod
    def _clean(path: Path | None, frontends: Frontends, retired: Collection[Address]) -> int:
        if path is not None and not path.exists():
            return 0
        with Conntrack(path) as conntrack:
            return conntrack.delete(stale_flows(conntrack.flows(socket.IPPROTO_UDP), frontends, retired))
