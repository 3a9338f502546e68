"""Pod CIDRs for nodes: a cluster CIDR cut into equal subnets, and who holds which (pure).

`CidrSet` is one cluster CIDR (10.244.0.0/16) cut into subnets of one size (/24): it hands
out the next free subnet after the last one it handed out, wrapping around, so a subnet
just released is not given again at once. `RangeAllocator` holds one `CidrSet` per family
of the cluster CIDRs and remembers which node holds what, so that

- a restarted controller first `observe`s every node's existing CIDRs, then allocates;
- a node that already got CIDRs (written, but not yet seen back through the cache) gets
  the same ones again instead of new ones;
- a deleted node's CIDRs are released for others.

No I/O and no clock: the controller serialises decisions by calling these methods without
awaiting in between.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_MASK_IPV4 = 24
DEFAULT_MASK_IPV6 = 64
MAX_SUBNET_BITS = 16  # at most 65,536 subnets per cluster CIDR, as Kubernetes allows


class CidrSetFullError(Exception):
    """Every subnet of the cluster CIDR is in use."""


class CidrRangeError(ValueError):
    """A CIDR outside the cluster CIDR, or of another family."""


class CidrSet:
    """The subnets of size `mask` in `cluster`."""

    def __init__(self, cluster: str | IPNetwork, mask: int) -> None:
        self.cluster: IPNetwork = (
            ipaddress.ip_network(cluster, strict=True) if isinstance(cluster, str) else cluster
        )
        if mask < self.cluster.prefixlen:
            raise ValueError(f"node mask /{mask} is larger than the cluster CIDR {self.cluster}")
        if mask > self.cluster.max_prefixlen:
            raise ValueError(f"node mask /{mask} is not valid for {self.cluster}")
        if mask - self.cluster.prefixlen > MAX_SUBNET_BITS:
            raise ValueError(
                f"node mask /{mask} cuts {self.cluster} into more than {2**MAX_SUBNET_BITS} subnets"
            )
        self.mask = mask
        self.size = 2 ** (mask - self.cluster.prefixlen)
        self._step = 2 ** (self.cluster.max_prefixlen - mask)
        self._used: set[int] = set()
        self._next = 0

    def __len__(self) -> int:
        """How many subnets are in use."""
        return len(self._used)

    def _subnet(self, index: int) -> str:
        base = int(self.cluster.network_address) + index * self._step
        return f"{ipaddress.ip_address(base)}/{self.mask}"

    def _indexes(self, cidr: str) -> range:
        network = ipaddress.ip_network(cidr, strict=False)
        if network.version != self.cluster.version or not network.subnet_of(self.cluster):  # type: ignore[arg-type]
            raise CidrRangeError(f"{cidr} is not in the cluster CIDR {self.cluster}")
        offset = int(network.network_address) - int(self.cluster.network_address)
        first = offset // self._step
        count = max(1, network.num_addresses // self._step)
        return range(first, first + count)

    def allocate_next(self) -> str:
        """The next free subnet (CidrSetFullError when none is left)."""
        for step in range(self.size):
            index = (self._next + step) % self.size
            if index not in self._used:
                self._used.add(index)
                self._next = (index + 1) % self.size
                return self._subnet(index)
        raise CidrSetFullError(f"no remaining CIDRs of size /{self.mask} in {self.cluster}")

    def occupy(self, cidr: str) -> None:
        """Mark `cidr` (and every subnet it overlaps) used."""
        self._used.update(self._indexes(cidr))

    def release(self, cidr: str) -> None:
        """Mark `cidr` (and every subnet it overlaps) free."""
        self._used.difference_update(self._indexes(cidr))

    def contains(self, cidr: str) -> bool:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            return False
        return network.version == self.cluster.version and network.subnet_of(self.cluster)  # type: ignore[arg-type]

    def is_used(self, cidr: str) -> bool:
        return all(i in self._used for i in self._indexes(cidr))

    def overlap(self, cidr: str | IPNetwork) -> str | None:
        """The part of `cidr` inside the cluster CIDR (all of it, or the cluster CIDR when
        `cidr` contains it), or None when they do not overlap or differ in family."""
        network = ipaddress.ip_network(cidr, strict=False) if isinstance(cidr, str) else cidr
        if network.version != self.cluster.version:
            return None
        if network.subnet_of(self.cluster):  # type: ignore[arg-type]
            return str(network)
        if self.cluster.subnet_of(network):  # type: ignore[arg-type]
            return str(self.cluster)
        return None


def parse_cluster_cidrs(value: str | Sequence[str]) -> list[IPNetwork]:
    """`--cluster-cidr`: one CIDR, or a comma list of at most one per family."""
    items = [p.strip() for p in (value.split(",") if isinstance(value, str) else value) if p.strip()]
    if not items:
        raise ValueError("the cluster CIDR is empty")
    networks = [ipaddress.ip_network(item, strict=True) for item in items]
    families = [n.version for n in networks]
    if len(networks) > 2 or len(set(families)) != len(families):
        raise ValueError("--cluster-cidr takes at most one CIDR per IP family")
    return networks


class RangeAllocator:
    """Which node holds which pod CIDRs, one per cluster CIDR (family)."""

    def __init__(
        self,
        cluster_cidrs: str | Sequence[str],
        *,
        mask_ipv4: int = DEFAULT_MASK_IPV4,
        mask_ipv6: int = DEFAULT_MASK_IPV6,
        service_cidrs: str | Sequence[str] = (),
    ) -> None:
        self.sets = [
            CidrSet(network, mask_ipv4 if network.version == 4 else mask_ipv6)
            for network in parse_cluster_cidrs(cluster_cidrs)
        ]
        self._by_node: dict[str, list[str]] = {}
        # `--service-cluster-ip-range` inside the cluster CIDR is never given to a node: pod
        # addresses must not collide with ClusterIPs (kube-controller-manager does the same).
        self.reserved: list[tuple[CidrSet, str]] = []
        items = service_cidrs.split(",") if isinstance(service_cidrs, str) else service_cidrs
        for item in (i.strip() for i in items if i.strip()):
            for cidr_set in self.sets:
                part = cidr_set.overlap(item)
                if part is not None:
                    cidr_set.occupy(part)
                    self.reserved.append((cidr_set, part))

    def held_by(self, node: str) -> list[str]:
        return list(self._by_node.get(node, ()))

    def nodes(self) -> list[str]:
        return sorted(self._by_node)

    def observe(self, node: str, cidrs: Iterable[str]) -> None:
        """`node` holds `cidrs` (read from its spec): occupy them, freeing what it held
        before if that differs. CIDRs outside every cluster CIDR are remembered, not
        occupied (someone else manages them)."""
        cidrs = list(cidrs)
        if self._by_node.get(node) == cidrs:
            return
        self.release(node)
        for cidr in cidrs:
            for cidr_set in self.sets:
                if cidr_set.contains(cidr):
                    cidr_set.occupy(cidr)
        self._by_node[node] = cidrs

    def allocate(self, node: str) -> list[str]:
        """CIDRs for `node`: those it already holds, else one new subnet per cluster CIDR
        (all or nothing)."""
        held = self._by_node.get(node)
        if held:
            return list(held)
        taken: list[tuple[CidrSet, str]] = []
        try:
            for cidr_set in self.sets:
                taken.append((cidr_set, cidr_set.allocate_next()))
        except CidrSetFullError:
            for cidr_set, cidr in taken:
                cidr_set.release(cidr)
            raise
        cidrs = [cidr for _, cidr in taken]
        self._by_node[node] = cidrs
        return cidrs

    def release(self, node: str) -> list[str]:
        """Free what `node` holds; returns it."""
        cidrs = self._by_node.pop(node, [])
        if not cidrs:
            return cidrs
        overlapping = bool(self.reserved)
        for cidr in cidrs:
            for cidr_set in self.sets:
                if cidr_set.contains(cidr):
                    overlapping = (
                        overlapping or cidr_set.mask != ipaddress.ip_network(cidr, strict=False).prefixlen
                    )
                    cidr_set.release(cidr)
        if overlapping or any(c in held for held in self._by_node.values() for c in cidrs):
            # Someone else claims (part of) what was freed (a misconfiguration, or the service
            # range): the other holder keeps its subnets and the reservation stays.
            for cidr_set, part in self.reserved:
                cidr_set.occupy(part)
            for held in self._by_node.values():
                for cidr in held:
                    for cidr_set in self.sets:
                        if cidr_set.contains(cidr):
                            cidr_set.occupy(cidr)
        return cidrs
