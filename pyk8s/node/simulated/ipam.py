"""Addresses for simulated nodes and pods: unique among everything this process has seen.

Simulated pods have no network namespace, yet Services, Endpoints and `kubectl get -o wide`
need addresses that look real and never collide. `AddressBook` remembers which address each
owner (a pod key, a node name) holds, including those learned from objects other processes
wrote, and hands out free ones from a network, continuing after the last one it handed
out, as the host-local IPAM plugin does, so a freed address is not reused at once.

Ranges (documented in DESIGN.md):
- pod addresses come from the node's `spec.podCIDR` when it has one (from its third
  address on, as a bridge CNI leaves the first to the gateway), else from
  `FAKE_POD_NETWORK` (10.244.128.0/17, the upper half of the usual pod network, away from
  the per-node /24s a node IPAM controller hands out from its start), each node
  continuing from its own place in it;
- node InternalIPs come from `FAKE_NODE_NETWORK` (10.240.0.0/16), at an address derived
  from the node's name when free: node processes started at the same time cannot see each
  other's choices, and names rarely collide there.
"""

from __future__ import annotations

import bisect
import hashlib
import ipaddress
from collections.abc import Hashable

FAKE_POD_NETWORK = ipaddress.IPv4Network("10.244.128.0/17")
FAKE_NODE_NETWORK = ipaddress.IPv4Network("10.240.0.0/16")


class AddressExhaustedError(Exception):
    """Every address of the network is taken."""


class AddressBook:
    """Owners and their addresses; `allocate` picks a free one from a network."""

    def __init__(self) -> None:
        self._by_owner: dict[Hashable, str] = {}
        self._owners: dict[str, Hashable] = {}
        self._cursor: dict[tuple[ipaddress.IPv4Network, str], int] = {}
        # networks handed to nodes (their podCIDRs): the fake range skips them, since the node
        # IPAM controller's /24s may lie inside it once a cluster has more nodes than it has room
        self._reserved: dict[Hashable, tuple[int, int]] = {}
        self._reserved_starts: list[int] = []
        self._reserved_ends: list[int] = []

    def reserve(self, owner: Hashable, network: ipaddress.IPv4Network | None) -> None:
        """`network` belongs to `owner` (a node's podCIDR); None forgets what it held."""
        span = None if network is None else (int(network.network_address), int(network.broadcast_address))
        if self._reserved.get(owner) == span:
            return
        if span is None:
            self._reserved.pop(owner, None)
        else:
            self._reserved[owner] = span
        merged: list[list[int]] = []  # overlapping spans joined, so one bisect answers
        for lo, hi in sorted(self._reserved.values()):
            if merged and lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        self._reserved_starts = [lo for lo, _ in merged]
        self._reserved_ends = [hi for _, hi in merged]

    def _covered(self, network: ipaddress.IPv4Network) -> bool:
        """Whether reserved networks cover all of `network` (or nothing is reserved)."""
        if not self._reserved_starts:
            return True
        base = int(network.network_address)
        i = bisect.bisect_right(self._reserved_starts, base) - 1
        return i >= 0 and self._reserved_ends[i] >= int(network.broadcast_address)

    def _in_reserved(self, address: int) -> bool:
        i = bisect.bisect_right(self._reserved_starts, address) - 1
        return i >= 0 and address <= self._reserved_ends[i]

    def observe(self, owner: Hashable, address: str) -> None:
        """`owner` holds `address` (learned from an object); replaces what it held before."""
        if self._by_owner.get(owner) == address:
            return
        self.release(owner)
        if address:
            self._by_owner[owner] = address
            self._owners.setdefault(address, owner)

    def release(self, owner: Hashable) -> None:
        address = self._by_owner.pop(owner, None)
        if address is not None and self._owners.get(address) == owner:
            del self._owners[address]

    def address_of(self, owner: Hashable) -> str | None:
        return self._by_owner.get(owner)

    def in_use(self, address: str) -> bool:
        return address in self._owners

    def __len__(self) -> int:
        return len(self._by_owner)

    def allocate(
        self,
        owner: Hashable,
        network: ipaddress.IPv4Network,
        *,
        skip: int = 1,
        seed: str = "",
        avoid_reserved: bool = False,
    ) -> str:
        """A free address of `network` for `owner` (its current one if it already holds one
        there). The first `skip` addresses (the network address, a gateway) are never used,
        nor, with `avoid_reserved`, addresses in a reserved network (another node's podCIDR).

        Each `seed` (a node name) has its own place in the network to continue from, the
        first time at an address derived from the seed: processes that cannot see each
        other's choices yet rarely pick the same address.
        """
        current = self._by_owner.get(owner)
        if current is not None and ipaddress.IPv4Address(current) in network:
            return current
        base = int(network.network_address)
        first, last = skip, network.num_addresses - 2  # never the broadcast address
        size = last - first + 1
        if size <= 0:
            raise AddressExhaustedError(f"{network} has no usable addresses")
        start = self._cursor.get((network, seed))
        if start is None:
            start = first + _hash(seed) % size if seed else first
        # Reserved networks are avoided while the rest of `network` has room; a network wholly
        # reserved (more nodes than the cluster CIDR has podCIDRs for) is shared, as before.
        passes = [True, False] if avoid_reserved and not self._covered(network) else [False]
        for skip_reserved in passes:
            for step in range(size):
                offset = first + (start - first + step) % size
                if skip_reserved and self._in_reserved(base + offset):
                    continue
                address = str(ipaddress.IPv4Address(base + offset))
                if address not in self._owners:
                    self._cursor[(network, seed)] = offset + 1 if offset < last else first
                    self.observe(owner, address)
                    return address
        raise AddressExhaustedError(f"every address of {network} is in use")


def _hash(seed: str) -> int:
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big")


def pod_network(pod_cidr: str) -> ipaddress.IPv4Network:
    """Where a node's pods get addresses: its podCIDR (IPv4) if valid, else the fake range."""
    if pod_cidr:
        try:
            network = ipaddress.ip_network(pod_cidr, strict=False)
        except ValueError:
            return FAKE_POD_NETWORK
        if isinstance(network, ipaddress.IPv4Network) and network.num_addresses >= 4:
            return network
    return FAKE_POD_NETWORK
