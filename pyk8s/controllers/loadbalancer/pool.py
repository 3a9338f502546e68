"""Load balancer addresses from a local pool, as pure functions.

pyk8s has no cloud: a LoadBalancer Service gets a virtual address from a configured pool
(`--load-balancer-ip-pool`, CIDRs or `first-last` ranges, comma-separated; default
10.241.0.0/24). The address is written to `status.loadBalancer.ingress` (ipMode VIP) and
every node's service proxy accepts traffic to it like a node port. The address exists only
as a DNAT match inside the node namespaces pyk8s owns.

- Services of type LoadBalancer without `spec.loadBalancerClass` (or with the class
  `pyk8s.io/local-pool`) are served; others are left to whoever implements their class.
- An address is kept once given (while it is still in the pool); `spec.loadBalancerIP`
  (deprecated, but still used) is honoured when it is in the pool and free; otherwise the
  lowest free address is given.
- A Service that stops being a LoadBalancer loses the address we gave it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_POOL = "10.241.0.0/24"
LOAD_BALANCER_CLASS = "pyk8s.io/local-pool"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class PoolError(ValueError):
    """The pool text is not a list of CIDRs and ranges."""


@dataclass(frozen=True)
class AddressRange:
    """An inclusive range of addresses of one family."""

    first: IPAddress
    last: IPAddress

    def __contains__(self, address: object) -> bool:
        return (
            isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address)
            and address.version == self.first.version
            and self.first <= address <= self.last
        )

    def __iter__(self) -> Iterator[IPAddress]:
        current = int(self.first)
        while current <= int(self.last):
            yield ipaddress.ip_address(current) if self.first.version == 4 else ipaddress.IPv6Address(current)
            current += 1


class AddressPool:
    """The addresses load balancers may get, in order."""

    def __init__(self, ranges: Iterable[AddressRange]) -> None:
        self.ranges = tuple(ranges)

    @classmethod
    def parse(cls, text: str) -> AddressPool:
        """`10.241.0.0/24`, `10.241.1.10-10.241.1.20`, or several of those, comma-separated.
        A CIDR of more than two addresses leaves out its network and broadcast addresses."""
        ranges: list[AddressRange] = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                if "-" in part:
                    first_text, last_text = part.split("-", 1)
                    first, last = (
                        ipaddress.ip_address(first_text.strip()),
                        ipaddress.ip_address(last_text.strip()),
                    )
                    if first.version != last.version or first > last:
                        raise PoolError(f"invalid address range {part!r}")
                    ranges.append(AddressRange(first, last))
                else:
                    network = ipaddress.ip_network(part, strict=False)
                    if network.num_addresses > 2:
                        ranges.append(
                            AddressRange(network.network_address + 1, network.broadcast_address - 1)
                        )
                    else:
                        ranges.append(AddressRange(network.network_address, network.broadcast_address))
            except ValueError as err:
                if isinstance(err, PoolError):
                    raise
                raise PoolError(f"invalid load balancer pool entry {part!r}: {err}") from None
        if not ranges:
            raise PoolError("the load balancer pool is empty")
        return cls(ranges)

    def __contains__(self, address: object) -> bool:
        try:
            ip = ipaddress.ip_address(str(address))
        except ValueError:
            return False
        return any(ip in r for r in self.ranges)

    def first_free(self, used: set[str]) -> str | None:
        for address_range in self.ranges:
            for address in address_range:
                if str(address) not in used:
                    return str(address)
        return None


def _spec(service: Mapping[str, Any]) -> Mapping[str, Any]:
    return service.get("spec") or {}


def wants_load_balancer(service: Mapping[str, Any]) -> bool:
    """A LoadBalancer Service this pool serves (no class, or ours)."""
    spec = _spec(service)
    return spec.get("type") == "LoadBalancer" and spec.get("loadBalancerClass") in (
        None,
        "",
        LOAD_BALANCER_CLASS,
    )


def ingress_ips(service: Mapping[str, Any]) -> list[str]:
    """The IPs in `status.loadBalancer.ingress`."""
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    return [str(i["ip"]) for i in ingress if i.get("ip")]


def assign(service: Mapping[str, Any], pool: AddressPool, used: set[str]) -> list[str] | None:
    """The ingress IPs the Service should have (`used`: addresses held by other Services);
    None when the pool is exhausted."""
    if not wants_load_balancer(service):
        return []
    current = [ip for ip in ingress_ips(service) if ip in pool and ip not in used]
    if current:
        return current[:1]
    requested = str(_spec(service).get("loadBalancerIP") or "")
    if requested and requested in pool and requested not in used:
        return [requested]
    free = pool.first_free(used)
    return [free] if free is not None else None


def status_for(ips: list[str], service: Mapping[str, Any], pool: AddressPool) -> dict[str, Any]:
    """`status.loadBalancer` with `ips` as ours, keeping entries of others (not in the pool);
    empty for a Service that is no LoadBalancer any more (the API refuses ingress there)."""
    if _spec(service).get("type") != "LoadBalancer":
        return {}
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    foreign = [dict(i) for i in ingress if not (i.get("ip") and i["ip"] in pool)]
    entries = [{"ip": ip, "ipMode": "VIP"} for ip in ips] + foreign
    return {"ingress": entries} if entries else {}
