"""The address plan of the pod network, and the names of what it creates (pure).

    10.240.0.0/16   node addresses: one per node host, on the fabric bridge
    10.244.0.0/16   the cluster CIDR: a /24 per node (node.spec.podCIDR), pods from it
    10.96.0.0/12    service ClusterIPs (the API server allocates them)
    10.241.0.0/24   LoadBalancer addresses (the `service-lb` controller's default pool)

Names are derived from node names so that every agent, and every restart of one, finds
the same namespace and links again. Interface names are limited to 15 bytes, namespace
names to a file name, so long node names are shortened with a hash.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Collection, Iterable, Mapping
from typing import Any

NODE_NETWORK = ipaddress.IPv4Network("10.240.0.0/16")
CLUSTER_CIDR = "10.244.0.0/16"
SERVICE_CIDR = "10.96.0.0/12"
# The `service-lb` controller's default `load_balancer_ip_pool` (controllers/loadbalancer/pool.py
# keeps its own copy: the network layer may not import the controllers). A pool configured
# elsewhere is given to `PodNetworkConfig.load_balancer_cidrs` too.
LOAD_BALANCER_CIDR = "10.241.0.0/24"

FABRIC_NETNS = "pyk8s-fabric"  # the namespace holding the inter-node bridge
FABRIC_BRIDGE = "pyk8s-nodes"
NODE_NETNS_PREFIX = "pyk8s-node-"
NODE_LINK = "eth0"  # the node host's end of its link into the fabric
POD_BRIDGE = "cni0"
NETNS_NAME_MAX = 200


class AddressExhaustedError(Exception):
    """No free address is left in the node network."""


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def node_netns(node: str) -> str:
    """The node host namespace of `node` (`pyk8s-node-<node>`)."""
    name = NODE_NETNS_PREFIX + node
    if len(name) <= NETNS_NAME_MAX:
        return name
    return name[: NETNS_NAME_MAX - 9] + "-" + _digest(node).hex()[:8]


def fabric_port(node: str) -> str:
    """The fabric-side name of the link from `node`'s host into the fabric bridge."""
    return "nd-" + _digest(node).hex()[:10]


def derived_node_address(
    node: str, in_use: Collection[str] = (), network: ipaddress.IPv4Network = NODE_NETWORK
) -> str:
    """The address `node` gets in `network` when nothing else decides: a place derived from
    its name (so every agent and every restart computes the same one), moving on to the next
    free address when another node holds it. The network and broadcast addresses are never
    used."""
    first, last = 1, network.num_addresses - 2
    size = last - first + 1
    if size <= 0:
        raise AddressExhaustedError(f"{network} has no usable addresses")
    start = int.from_bytes(_digest(node)[:8], "big") % size
    base = int(network.network_address)
    taken = set(in_use)
    for step in range(size):
        address = str(ipaddress.IPv4Address(base + first + (start + step) % size))
        if address not in taken:
            return address
    raise AddressExhaustedError(f"every address of {network} is in use")


def internal_ip(node: Mapping[str, Any]) -> str:
    """The node's first InternalIP ("" if it reports none)."""
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP" and address.get("address"):
            return str(address["address"])
    return ""


def pod_cidrs(node: Mapping[str, Any]) -> list[str]:
    """`spec.podCIDRs`, or `[spec.podCIDR]` for a writer that only set the singular field."""
    spec = node.get("spec") or {}
    cidrs = [str(c) for c in spec.get("podCIDRs") or [] if c]
    if not cidrs and spec.get("podCIDR"):
        cidrs = [str(spec["podCIDR"])]
    return cidrs


def ipv4_pod_cidr(node: Mapping[str, Any]) -> str:
    """The node's IPv4 pod CIDR ("" when it has none yet)."""
    for cidr in pod_cidrs(node):
        try:
            if ipaddress.ip_network(cidr, strict=False).version == 4:
                return cidr
        except ValueError:
            continue
    return ""


def pool_cidrs(pool: str) -> tuple[str, ...]:
    """The IPv4 CIDRs covering an address pool written as the `service-lb` controller's
    `load_balancer_ip_pool` (`10.241.0.0/24`, `10.241.1.10-10.241.1.20`, comma-separated);
    entries that are not IPv4 are left out."""
    cidrs: list[str] = []
    for item in (part.strip() for part in pool.split(",")):
        try:
            if "-" in item:
                first, last = (ipaddress.IPv4Address(a.strip()) for a in item.split("-", 1))
                cidrs += [str(n) for n in ipaddress.summarize_address_range(first, last)]
            elif item:
                cidrs.append(str(ipaddress.IPv4Network(item, strict=False)))
        except ValueError:
            continue
    return tuple(dict.fromkeys(cidrs))


def in_network(address: str, network: ipaddress.IPv4Network = NODE_NETWORK) -> bool:
    try:
        return ipaddress.ip_address(address) in network
    except ValueError:
        return False


def node_addresses_in_use(nodes: Iterable[Mapping[str, Any]], *, except_node: str = "") -> set[str]:
    """The node-network addresses other nodes report."""
    used = set()
    for node in nodes:
        if (node.get("metadata") or {}).get("name") == except_node:
            continue
        address = internal_ip(node)
        if in_network(address):
            used.add(address)
    return used
