"""EndpointSlice: a slice of the network endpoints behind a Service."""

from __future__ import annotations

import ipaddress
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, invalid, not_supported, required, too_many
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import (
    dns1123_subdomain,
    is_fully_qualified_domain_name,
    label_value,
    parse_ip,
    validate_dns_label,
    validate_immutable,
    validate_labels,
    validate_qualified_name,
)
from pyk8s.kinds.discovery import types

RESOURCE = ResourceInfo(
    group="discovery.k8s.io",
    version="v1",
    kind="EndpointSlice",
    plural="endpointslices",
    singular="endpointslice",
)

API_SERVER_USER = "system:apiserver"
ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"]
PROTOCOLS = ["SCTP", "TCP", "UDP"]
MAX_ENDPOINTS = 1000
MAX_ADDRESSES = 100
MAX_PORTS = 20000
MAX_TOPOLOGY_LABELS = 16
MAX_HINTS = 8


def _validate_endpoint_ip(address: str, path: FieldPath, *, allow_loopback: bool = False) -> FieldErrors:
    """Addresses that make no sense as endpoints (ValidateEndpointIP)."""
    ip = parse_ip(address)
    if ip is None:
        return [invalid(path, address, "must be a valid IP address")]
    errs: FieldErrors = []
    if ip.is_unspecified:
        errs.append(invalid(path, address, f"may not be unspecified ({address})"))
    if ip.is_loopback and not allow_loopback:
        errs.append(invalid(path, address, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if ip.is_link_local:
        errs.append(invalid(path, address, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    if ip in ipaddress.ip_network("224.0.0.0/24") or (ip.version == 6 and int(ip) >> 112 == 0xFF02):
        errs.append(
            invalid(path, address, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
        )
    return errs


def _validate_address(
    address: str, address_type: str, path: FieldPath, *, allow_loopback: bool = False
) -> FieldErrors:
    if address_type in ("IPv4", "IPv6"):
        ip = parse_ip(address)
        version = 4 if address_type == "IPv4" else 6
        errs: FieldErrors = []
        if ip is None or ip.version != version:
            errs.append(invalid(path, address, f"must be a valid {address_type} address"))
        return errs + _validate_endpoint_ip(address, path, allow_loopback=allow_loopback)
    if address_type == "FQDN":
        return is_fully_qualified_domain_name(path, address)
    return []


def _validate_hints(hints: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    zones = hints.get("forZones") or []
    if len(zones) > MAX_HINTS:
        return [too_many(path.child("forZones"), len(zones), MAX_HINTS)]
    seen: set[str] = set()
    for i, zone in enumerate(zones):
        zpath = path.child("forZones").index(i).child("name")
        name = zone.get("name", "")
        if name in seen:
            errs.append(duplicate(zpath, name))
        seen.add(name)
        errs += [invalid(zpath, name, m) for m in label_value(name)]
    nodes = hints.get("forNodes") or []
    if len(nodes) > MAX_HINTS:
        return [*errs, too_many(path.child("forNodes"), len(nodes), MAX_HINTS)]
    seen = set()
    for i, node in enumerate(nodes):
        npath = path.child("forNodes").index(i).child("name")
        name = node.get("name", "")
        if name in seen:
            errs.append(duplicate(npath, name))
        seen.add(name)
        errs += [invalid(npath, name, m) for m in dns1123_subdomain(name)]
    return errs


def validate_endpoints(
    endpoints: list[Any], address_type: str, path: FieldPath, *, allow_loopback: bool = False
) -> FieldErrors:
    if len(endpoints) > MAX_ENDPOINTS:
        return [too_many(path, len(endpoints), MAX_ENDPOINTS)]
    errs: FieldErrors = []
    for i, endpoint in enumerate(endpoints):
        epath = path.index(i)
        apath = epath.child("addresses")
        addresses = endpoint.get("addresses") or []
        if not addresses:
            errs.append(required(apath, "must contain at least 1 address"))
        elif len(addresses) > MAX_ADDRESSES:
            errs.append(too_many(apath, len(addresses), MAX_ADDRESSES))
        for j, address in enumerate(addresses):
            errs += _validate_address(address, address_type, apath.index(j), allow_loopback=allow_loopback)
        if "nodeName" in endpoint:
            node = endpoint["nodeName"]
            errs += [invalid(epath.child("nodeName"), node, m) for m in dns1123_subdomain(node)]
        topology = endpoint.get("deprecatedTopology") or {}
        tpath = epath.child("deprecatedTopology")
        if len(topology) > MAX_TOPOLOGY_LABELS:
            errs.append(too_many(tpath, len(topology), MAX_TOPOLOGY_LABELS))
        errs += validate_labels(topology, tpath)
        if "hostname" in endpoint:
            errs += validate_dns_label(endpoint["hostname"], epath.child("hostname"))
        if endpoint.get("hints") is not None:
            errs += _validate_hints(endpoint["hints"], epath.child("hints"))
    return errs


def validate_ports(ports: list[Any], path: FieldPath) -> FieldErrors:
    if len(ports) > MAX_PORTS:
        return [too_many(path, len(ports), MAX_PORTS)]
    errs: FieldErrors = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        ppath = path.index(i)
        name = port.get("name", "")
        if name:
            errs += validate_dns_label(name, ppath.child("name"))
        if name in names:
            errs.append(duplicate(ppath.child("name"), name))
        names.add(name)
        protocol = port.get("protocol")
        if protocol is None:
            errs.append(required(ppath.child("protocol")))
        elif protocol not in PROTOCOLS:
            errs.append(not_supported(ppath.child("protocol"), protocol, PROTOCOLS))
        if "appProtocol" in port:
            errs += validate_qualified_name(port["appProtocol"], ppath.child("appProtocol"))
    return errs


def format_ports(ports: list[Any]) -> str:
    """Up to three port numbers (or names, `*` when neither)."""
    shown = [str(p["port"]) if "port" in p else p.get("name") or "*" for p in ports[:3]]
    return _more(shown, len(ports))


def format_endpoints(endpoints: list[Any]) -> str:
    """Up to three addresses of all the endpoints."""
    addresses = [a for e in endpoints for a in e.get("addresses") or []]
    return _more(addresses[:3], len(addresses))


def _more(shown: list[str], count: int) -> str:
    text = ",".join(shown)
    if count > 3:
        return f"{text} + {count - 3} more..."
    return text or "<unset>"


class EndpointSliceStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.EndpointSlice
    has_status = False
    columns = (
        NAME,
        Column("AddressType", description="The kind of addresses in the slice."),
        Column("Ports", description="The ports of the endpoints."),
        Column("Endpoints", description="The endpoint addresses."),
        AGE,
    )

    def default(self, obj: Obj) -> None:
        for port in obj.get("ports") or []:
            port.setdefault("name", "")
            port.setdefault("protocol", "TCP")

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        obj["metadata"]["generation"] = 1
        for endpoint in obj.get("endpoints") or []:
            endpoint.pop("deprecatedTopology", None)  # not writable through v1

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        if obj.get("endpoints") != old.get("endpoints"):
            for endpoint in obj.get("endpoints") or []:
                endpoint.pop("deprecatedTopology", None)
        generation = old["metadata"].get("generation", 1)
        changed = self.spec_changed(obj, old) or (obj["metadata"].get("labels") or {}) != (
            old["metadata"].get("labels") or {}
        )
        obj["metadata"]["generation"] = generation + 1 if changed else generation

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs: FieldErrors = []
        address_type = obj.get("addressType", "")
        if not address_type:
            errs.append(required("addressType"))
        elif address_type not in ADDRESS_TYPES:
            errs.append(not_supported("addressType", address_type, ADDRESS_TYPES))
        # pyk8s serves on loopback, and its own `kubernetes` slice says so (see core/endpoints.py)
        errs += validate_endpoints(
            obj.get("endpoints") or [],
            address_type,
            FieldPath("endpoints"),
            allow_loopback=ctx.user == API_SERVER_USER,
        )
        errs += validate_ports(obj.get("ports") or [], FieldPath("ports"))
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        return errs + validate_immutable(
            obj.get("addressType", ""), old.get("addressType", ""), "addressType"
        )

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [
            obj["metadata"].get("name", ""),
            obj.get("addressType", ""),
            format_ports(obj.get("ports") or []),
            format_endpoints(obj.get("endpoints") or []),
            age(obj, now),
        ]
