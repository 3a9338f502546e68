"""What the proxy programs for one Service, as plain data built from the API objects.

`service_ports(service, slices, node)` turns a Service and its EndpointSlices into one
`ServicePort` per port: its addresses (cluster IP, external IPs, load balancer IPs, node
port), policies, affinity, and the endpoints it may send to, chosen as kube-proxy does:

- endpoints come from every IPv4 slice labelled `kubernetes.io/service-name` with the
  Service's name, matched to the Service port by port name and protocol; an address that
  appears in several slices counts once (the ready copy wins);
- usable endpoints are the ready ones; if none is ready, the serving-and-terminating ones
  (so connections still drain to pods being replaced), independently for the whole
  cluster and for this node's own endpoints;
- loopback, link-local and unspecified addresses are never DNAT targets (they are
  meaningless inside a node's network namespace).

Not proxied: ExternalName and headless Services, IPv6 (pyk8s's cluster is single-stack
IPv4), FQDN slices, and load balancer ingress entries with ipMode Proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LABEL_SERVICE_NAME = "kubernetes.io/service-name"
DEFAULT_AFFINITY_TIMEOUT = 10800  # seconds (Kubernetes' default for ClientIP affinity)
PROTOCOLS = ("TCP", "UDP", "SCTP")


@dataclass(frozen=True, order=True)
class Endpoint:
    """One backend of a Service port."""

    ip: str
    port: int
    node: str = ""
    ready: bool = True
    serving: bool = True
    terminating: bool = False


@dataclass(frozen=True)
class ServicePort:
    """One port of a Service, with everything needed to render its rules."""

    namespace: str
    name: str
    port_name: str
    protocol: str  # TCP, UDP or SCTP
    port: int
    cluster_ip: str = ""
    node_port: int = 0
    external_ips: tuple[str, ...] = ()  # spec.externalIPs
    load_balancer_ips: tuple[str, ...] = ()  # status.loadBalancer.ingress (VIP)
    source_ranges: tuple[str, ...] = ()  # spec.loadBalancerSourceRanges
    external_local: bool = False  # externalTrafficPolicy: Local
    internal_local: bool = False  # internalTrafficPolicy: Local
    affinity_timeout: int = 0  # ClientIP affinity seconds, 0 when off
    cluster_endpoints: tuple[Endpoint, ...] = ()  # usable cluster-wide
    local_endpoints: tuple[Endpoint, ...] = ()  # usable on this node
    endpoints: tuple[Endpoint, ...] = field(default=(), compare=False)  # everything known

    @property
    def key(self) -> str:
        """`namespace/name/protocol/portname`, the readable part of chain names."""
        return f"{self.namespace}/{self.name}/{self.protocol.lower()}/{self.port_name}"

    @property
    def service_key(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def has_external(self) -> bool:
        return bool(self.node_port or self.external_ips or self.load_balancer_ips)

    @property
    def has_endpoints(self) -> bool:
        """Anything usable anywhere (else traffic is rejected)."""
        return bool(self.cluster_endpoints or self.local_endpoints)


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _usable_ipv4(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and not (
        ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast
    )


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def is_proxied(service: Mapping[str, Any]) -> bool:
    """Whether the proxy has anything to do for the Service (a cluster IP, not ExternalName)."""
    spec = service.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return False
    return _usable_ipv4(str(spec.get("clusterIP") or ""))


def slice_endpoints(
    slices: Iterable[Mapping[str, Any]], port_name: str, protocol: str, *, loopback_to: str = ""
) -> dict[tuple[str, int], Endpoint]:
    """Endpoints of the slices for one Service port, by (ip, port); loopback addresses become
    `loopback_to` when given (the API server relay), else they are skipped."""
    found: dict[tuple[str, int], Endpoint] = {}
    for endpoint_slice in sorted(slices, key=lambda s: str(_meta(s).get("name", ""))):
        if endpoint_slice.get("addressType") != "IPv4":
            continue
        number = next(
            (
                int(p.get("port") or 0)
                for p in endpoint_slice.get("ports") or []
                if (p.get("name") or "") == port_name and (p.get("protocol") or "TCP") == protocol
            ),
            0,
        )
        if not number:
            continue
        for item in endpoint_slice.get("endpoints") or []:
            addresses = [str(a) for a in item.get("addresses") or []]
            if addresses and loopback_to and _is_loopback(addresses[0]):
                addresses = [loopback_to]
            if not addresses or not _usable_ipv4(addresses[0]):
                continue
            conditions = item.get("conditions") or {}
            ready = conditions.get("ready") is not False  # unknown means ready
            serving = ready if conditions.get("serving") is None else bool(conditions["serving"])
            endpoint = Endpoint(
                ip=str(addresses[0]),
                port=number,
                node=str(item.get("nodeName") or ""),
                ready=ready,
                serving=serving,
                terminating=bool(conditions.get("terminating")),
            )
            key = (endpoint.ip, endpoint.port)
            if key not in found or (endpoint.ready and not found[key].ready):
                found[key] = endpoint
    return found


def usable(endpoints: Iterable[Endpoint]) -> tuple[Endpoint, ...]:
    """Ready endpoints; if there are none, the serving ones being terminated."""
    candidates = sorted(endpoints)
    ready = tuple(e for e in candidates if e.ready)
    if ready:
        return ready
    return tuple(e for e in candidates if e.serving and e.terminating)


def service_ports(
    service: Mapping[str, Any],
    slices: Iterable[Mapping[str, Any]],
    node: str,
    *,
    override: tuple[Endpoint, ...] | None = None,
    loopback_to: str = "",
) -> list[ServicePort]:
    """The proxied ports of `service`, with endpoints from `slices`, or `override` (the same
    endpoints for every port); `loopback_to` replaces loopback endpoint addresses (the API
    server's own, for the `kubernetes` Service, become the relay on the node address)."""
    if not is_proxied(service):
        return []
    meta, spec = _meta(service), service.get("spec") or {}
    slices = list(slices)
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    lb_ips = tuple(
        sorted(
            {
                str(i["ip"])
                for i in ingress
                if i.get("ip") and i.get("ipMode", "VIP") != "Proxy" and _usable_ipv4(str(i["ip"]))
            }
        )
    )
    external_ips = tuple(sorted({ip for ip in spec.get("externalIPs") or [] if _usable_ipv4(str(ip))}))
    affinity = 0
    if spec.get("sessionAffinity") == "ClientIP":
        config = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}).get("timeoutSeconds")
        affinity = int(config or DEFAULT_AFFINITY_TIMEOUT)
    ports: list[ServicePort] = []
    for port in spec.get("ports") or []:
        protocol = str(port.get("protocol") or "TCP")
        if protocol not in PROTOCOLS:
            continue
        port_name = str(port.get("name") or "")
        if override is not None:
            known = {(e.ip, e.port): e for e in override}
        else:
            known = slice_endpoints(slices, port_name, protocol, loopback_to=loopback_to)
        everything = tuple(sorted(known.values()))
        mine = [e for e in everything if node and e.node == node]
        ports.append(
            ServicePort(
                namespace=str(meta.get("namespace", "")),
                name=str(meta.get("name", "")),
                port_name=port_name,
                protocol=protocol,
                port=int(port.get("port") or 0),
                cluster_ip=str(spec.get("clusterIP")),
                node_port=int(port.get("nodePort") or 0)
                if spec.get("type") in ("NodePort", "LoadBalancer")
                else 0,
                external_ips=external_ips,
                load_balancer_ips=lb_ips if spec.get("type") == "LoadBalancer" else (),
                source_ranges=tuple(spec.get("loadBalancerSourceRanges") or ()),
                external_local=spec.get("externalTrafficPolicy") == "Local",
                internal_local=spec.get("internalTrafficPolicy") == "Local",
                affinity_timeout=affinity,
                cluster_endpoints=usable(everything),
                local_endpoints=usable(mine),
                endpoints=everything,
            )
        )
    return ports
