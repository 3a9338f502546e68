"""Routes between node hosts: every other node's podCIDR via that node's address.

Pure decisions (`desired_routes`, `route_commands`) and their application to a node host
namespace. Routes pyk8s owns carry `proto static` on the fabric link, so a sync never
touches the connected routes of the bridge or the unreachable routes of the ranges.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pyk8s.network.addresses import NODE_LINK, NODE_NETWORK, internal_ip, ipv4_pod_cidr
from pyk8s.network.netns import NetnsError, ip_json, run

log = logging.getLogger("pyk8s.network.routes")

PROTO = "static"


@dataclass(frozen=True, order=True)
class PodRoute:
    """Traffic for `cidr` goes to the node host at `via`."""

    cidr: str
    via: str


def desired_routes(
    nodes: Iterable[Mapping[str, Any]],
    *,
    own_node: str,
    node_network: ipaddress.IPv4Network = NODE_NETWORK,
) -> set[PodRoute]:
    """One route per other node that has an IPv4 podCIDR and an address in the node
    network. Two nodes claiming the same CIDR (only a misconfiguration can do that) give it
    to the first by name, so every node host decides the same."""
    routes: dict[str, PodRoute] = {}
    for node in sorted(nodes, key=lambda n: str((n.get("metadata") or {}).get("name", ""))):
        meta = node.get("metadata") or {}
        if meta.get("name") == own_node or meta.get("deletionTimestamp"):
            continue
        cidr, address = ipv4_pod_cidr(node), internal_ip(node)
        if not cidr or not address:
            continue
        try:
            network = ipaddress.ip_network(cidr, strict=False)
            if ipaddress.ip_address(address) not in node_network:
                continue
        except ValueError:
            continue
        routes.setdefault(str(network), PodRoute(str(network), address))
    return set(routes.values())


def parse_routes(entries: Iterable[Mapping[str, Any]], *, dev: str = NODE_LINK) -> set[PodRoute]:
    """The pyk8s routes in `ip -j route show` output."""
    found = set()
    for entry in entries:
        if entry.get("dev") != dev or entry.get("protocol") != PROTO or not entry.get("gateway"):
            continue
        dst = str(entry.get("dst", ""))
        if "/" not in dst:
            dst += "/32"
        found.add(PodRoute(dst, str(entry["gateway"])))
    return found


def route_commands(current: set[PodRoute], desired: set[PodRoute], *, dev: str = NODE_LINK) -> list[str]:
    """`ip -batch` lines turning `current` into `desired`: deletions of CIDRs no longer
    wanted first, then a `replace` for every new or moved route."""
    wanted = {r.cidr for r in desired}
    commands = [
        f"route del {r.cidr} via {r.via} dev {dev} proto {PROTO}"
        for r in sorted(current)
        if r.cidr not in wanted
    ]
    commands += [
        f"route replace {r.cidr} via {r.via} dev {dev} proto {PROTO}" for r in sorted(desired - current)
    ]
    return commands


async def sync_routes(netns: str, desired: set[PodRoute]) -> int:
    """Make the node host's pod routes `desired`; returns how many commands it ran."""
    current = parse_routes(await ip_json("route", "show", netns=netns))
    commands = route_commands(current, desired)
    if commands:
        # -force: a route that vanished meanwhile must not stop the others.
        code, _, err = await run(
            "ip",
            "-force",
            "-n",
            netns,
            "-batch",
            "-",
            stdin=("\n".join(commands) + "\n").encode(),
            check=False,
        )
        if code != 0:
            raise NetnsError(f"route sync in {netns}: {err.decode(errors='replace').strip()}")
        log.info("node host %s: %d route change(s)", netns, len(commands))
    return len(commands)
