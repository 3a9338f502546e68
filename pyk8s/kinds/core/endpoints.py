"""Endpoints: the addresses behind a Service (deprecated in favour of EndpointSlices, but
still served and still maintained by the endpoints controller)."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, required
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import age
from pyk8s.api.validation import (
    validate_dns_label,
    validate_enum,
    validate_ip,
    validate_non_special_ip,
    validate_port_number,
    validate_qualified_name,
    validate_subdomain,
)
from pyk8s.kinds.core import types
from pyk8s.kinds.core.validation import PROTOCOLS

RESOURCE = ResourceInfo(
    group="", version="v1", kind="Endpoints", plural="endpoints", singular="endpoints", short_names=("ep",)
)
# The API server publishes its own address in the `kubernetes` Endpoints, and pyk8s serves
# on loopback: its own writes may name a loopback address (Kubernetes' rule would refuse it).
API_SERVER_USER = "system:apiserver"
DEPRECATION = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"


def format_endpoints(obj: Obj) -> str:
    """The Endpoints cell: up to three host:port pairs, then how many more."""
    subsets = obj.get("subsets") or []
    if not subsets:
        return "<none>"
    shown: list[str] = []
    count, limit, more = 0, 3, False
    for subset in subsets:
        addresses = subset.get("addresses") or []
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            for address in addresses:
                if len(shown) == limit:
                    more = True
                    break
                shown.append(address.get("ip", ""))
            continue
        for port in ports:
            count += len(addresses)
            for address in addresses:
                if len(shown) == limit:
                    more = True
                    break
                ip = address.get("ip", "")
                host = f"[{ip}]" if ":" in ip else ip
                shown.append(f"{host}:{port.get('port', 0)}")
    text = ",".join(shown)
    return f"{text} + {count - limit} more..." if more else text


class EndpointsStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Endpoints
    has_status = False
    allow_create_on_update = True
    deprecation = DEPRECATION
    columns = (NAME, Column("Endpoints", description="The addresses and ports of the endpoints."), AGE)

    def default(self, obj: Obj) -> None:
        for subset in obj.get("subsets") or []:
            for port in (subset or {}).get("ports") or []:
                if isinstance(port, dict) and not port.get("protocol"):
                    port["protocol"] = "TCP"

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_subsets(obj.get("subsets") or [], allow_special=ctx.user == API_SERVER_USER)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [(obj.get("metadata") or {}).get("name", ""), format_endpoints(obj), age(obj, now)]


def validate_subsets(subsets: list[Any], *, allow_special: bool = False) -> FieldErrors:
    errs: FieldErrors = []
    path = FieldPath("subsets")
    for i, subset in enumerate(subsets):
        subset = subset if isinstance(subset, dict) else {}
        spath = path.index(i)
        if not subset.get("addresses") and not subset.get("notReadyAddresses"):
            errs.append(required(spath, "must specify `addresses` or `notReadyAddresses`"))
        for key in ("addresses", "notReadyAddresses"):
            for j, address in enumerate(subset.get(key) or []):
                errs += _validate_address(address or {}, spath.child(key).index(j), allow_special)
        ports = subset.get("ports") or []
        for j, port in enumerate(ports):
            errs += _validate_port(port or {}, len(ports) > 1, spath.child("ports").index(j))
    return errs


def _validate_address(address: dict[str, Any], path: FieldPath, allow_special: bool) -> FieldErrors:
    ip = address.get("ip", "")
    errs = validate_ip(ip, path.child("ip"))
    if address.get("hostname"):
        errs += validate_dns_label(address["hostname"], path.child("hostname"))
    if address.get("nodeName") is not None:
        errs += validate_subdomain(address["nodeName"], path.child("nodeName"))
    return errs if allow_special else errs + validate_non_special_ip(ip, path.child("ip"))


def _validate_port(port: dict[str, Any], require_name: bool, path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    name = port.get("name", "")
    if require_name and not name:
        errs.append(required(path.child("name")))
    elif name:
        errs += validate_dns_label(name, path.child("name"))
    errs += validate_port_number(port.get("port", 0), path.child("port"))
    errs += validate_enum(port.get("protocol", ""), path.child("protocol"), PROTOCOLS)
    if port.get("appProtocol") is not None:
        errs += validate_qualified_name(port["appProtocol"], path.child("appProtocol"))
    return errs
