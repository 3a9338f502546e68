"""The v1 Endpoints of a Service with a selector, as pure functions over dicts.

- Every selected pod with an IP that is not terminal (nor terminating, unless the Service
  publishes not-ready addresses) gives one address per Service port it serves: ready
  pods (or all, with `publishNotReadyAddresses`) under `addresses`, the others under
  `notReadyAddresses`; a headless Service without ports gets the addresses alone.
- Subsets are repacked into the canonical form: addresses offering the same set of ports
  share one subset; an address not ready on any port is not ready on all of them; addresses
  are sorted by IP then pod UID, ports and subsets in a fixed order, so the same pods always
  give the same object and an unchanged Service writes nothing.
- At most 1000 addresses are kept: beyond that they are cut per subset in proportion,
  ready ones first, and the Endpoints carries `endpoints.kubernetes.io/over-capacity:
  truncated` (Kubernetes' `truncateEndpoints`).
- Labels are the Service's, plus `service.kubernetes.io/headless` for headless Services.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from typing import Any

from pyk8s.controllers.endpointslice.pods import (
    address_family,
    find_port,
    is_headless,
    pod_ips,
    pod_is_ready,
    should_pod_be_in_endpoints,
    should_set_hostname,
)

Obj = dict[str, Any]

MAX_CAPACITY = 1000
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
TRUNCATED = "truncated"
LABEL_HEADLESS = "service.kubernetes.io/headless"
LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"

PortKey = tuple[str, int, str, str]
AddressKey = tuple[str, str]


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("spec") or {}


def service_family(service: Mapping[str, Any]) -> int:
    """The IP family of the Service's addresses: its first family, else its cluster IP's."""
    families = _spec(service).get("ipFamilies") or []
    if families:
        return 6 if families[0] == "IPv6" else 4
    return address_family(str(_spec(service).get("clusterIP") or "")) or 4


def pod_address(pod: Mapping[str, Any], service: Mapping[str, Any]) -> Obj | None:
    """The EndpointAddress of a pod for the Service's family (None: no such IP)."""
    family = service_family(service)
    ip = next((ip for ip in pod_ips(pod) if address_family(ip) == family), None)
    if ip is None:
        return None
    meta, spec = _meta(pod), _spec(pod)
    address: Obj = {
        "ip": ip,
        "targetRef": {
            "kind": "Pod",
            "namespace": meta.get("namespace", ""),
            "name": meta.get("name", ""),
            "uid": meta.get("uid", ""),
        },
    }
    if spec.get("nodeName"):
        address["nodeName"] = spec["nodeName"]
    if should_set_hostname(pod, service):
        address["hostname"] = spec["hostname"]
    return address


def _port(service_port: Mapping[str, Any], number: int) -> Obj:
    port: Obj = {
        "name": service_port.get("name") or "",
        "port": number,
        "protocol": service_port.get("protocol") or "TCP",
    }
    if service_port.get("appProtocol"):
        port["appProtocol"] = service_port["appProtocol"]
    return port


def _port_key(port: Mapping[str, Any]) -> PortKey:
    return (
        str(port.get("name") or ""),
        int(port.get("port") or 0),
        str(port.get("protocol") or "TCP"),
        str(port.get("appProtocol") or ""),
    )


def _address_key(address: Mapping[str, Any]) -> AddressKey:
    return (str(address.get("ip", "")), str((address.get("targetRef") or {}).get("uid", "")))


def _address_sort_key(address: Mapping[str, Any]) -> tuple[bytes, str]:
    # Kubernetes compares the IP strings byte-wise, then the pod UIDs
    return (str(address.get("ip", "")).encode(), str((address.get("targetRef") or {}).get("uid", "")))


def build_subsets(service: Mapping[str, Any], pods: Sequence[Mapping[str, Any]]) -> list[Obj]:
    """The repacked subsets for the pods the Service selects."""
    spec = _spec(service)
    publish_not_ready = bool(spec.get("publishNotReadyAddresses"))
    service_ports = spec.get("ports") or []
    entries: list[tuple[Obj, PortKey | None, Obj | None, bool]] = []
    for pod in sorted(pods, key=lambda p: str(_meta(p).get("name", ""))):
        if not should_pod_be_in_endpoints(pod, include_terminating=publish_not_ready):
            continue
        address = pod_address(pod, service)
        if address is None:
            continue
        ready = publish_not_ready or pod_is_ready(pod)
        if not service_ports:
            if is_headless(service):
                entries.append((address, None, None, ready))
            continue
        for service_port in service_ports:
            number = find_port(pod, service_port)
            if number is None:
                continue
            port = _port(service_port, number)
            entries.append((address, _port_key(port), port, ready))
    return repack(entries)


def repack(entries: Sequence[tuple[Obj, PortKey | None, Obj | None, bool]]) -> list[Obj]:
    """Group (address, port, ready) entries into canonical subsets (RepackSubsets)."""
    addresses: dict[AddressKey, Obj] = {}
    ports: dict[PortKey | None, Obj | None] = {}
    by_port: dict[PortKey | None, dict[AddressKey, bool]] = {}
    for address, port_key, port, ready in entries:
        key = _address_key(address)
        addresses.setdefault(key, address)
        ports.setdefault(port_key, port)
        states = by_port.setdefault(port_key, {})
        # not ready on one entry means not ready for that port
        states[key] = states.get(key, True) and ready
    # addresses offering the same (address, readiness) set share a subset
    groups: dict[tuple[tuple[AddressKey, bool], ...], list[PortKey | None]] = {}
    for port_key, states in by_port.items():
        groups.setdefault(tuple(sorted(states.items())), []).append(port_key)
    subsets: list[Obj] = []
    for members, port_keys in groups.items():
        ready = sorted((addresses[k] for k, r in members if r), key=_address_sort_key)
        not_ready = sorted((addresses[k] for k, r in members if not r), key=_address_sort_key)
        subset: Obj = {}
        if ready:
            subset["addresses"] = copy.deepcopy(ready)
        if not_ready:
            subset["notReadyAddresses"] = copy.deepcopy(not_ready)
        chosen = sorted(k for k in port_keys if k is not None)
        if chosen:
            subset["ports"] = [dict(ports[k] or {}) for k in chosen]
        subsets.append(subset)
    return sorted(subsets, key=_subset_sort_key)


def _subset_sort_key(subset: Mapping[str, Any]) -> tuple[Any, ...]:
    ports = tuple(_port_key(p) for p in subset.get("ports") or [])
    first = [*(subset.get("addresses") or []), *(subset.get("notReadyAddresses") or [])]
    return (ports, tuple(_address_sort_key(a) for a in first))


def count_addresses(subsets: Sequence[Mapping[str, Any]]) -> int:
    return sum(len(s.get("addresses") or []) + len(s.get("notReadyAddresses") or []) for s in subsets)


def truncate(subsets: list[Obj], capacity: int = MAX_CAPACITY) -> bool:
    """Cut `subsets` (in place) to `capacity` addresses; True if anything was cut."""
    total_ready = sum(len(s.get("addresses") or []) for s in subsets)
    total_not_ready = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
    if total_ready + total_not_ready <= capacity:
        return False
    truncate_ready = total_ready > capacity
    limit = capacity if truncate_ready else capacity - total_ready
    total = total_ready if truncate_ready else total_not_ready
    left = limit
    for subset in subsets:
        field = "addresses" if truncate_ready else "notReadyAddresses"
        members = subset.get(field) or []
        share = min(math.ceil(len(members) / total * limit), left) if total else 0
        kept = members[:share]
        if kept:
            subset[field] = kept
        else:
            subset.pop(field, None)
        if truncate_ready:
            subset.pop("notReadyAddresses", None)
        left -= len(kept)
    return True


def endpoints_labels(service: Mapping[str, Any]) -> dict[str, str]:
    labels = dict(_meta(service).get("labels") or {})
    if is_headless(service):
        labels[LABEL_HEADLESS] = ""
    else:
        labels.pop(LABEL_HEADLESS, None)
    return labels


def _comparable_subsets(subsets: Sequence[Mapping[str, Any]]) -> list[Any]:
    """Subsets without pod resourceVersions and empty fields (what a change means)."""
    out: list[Any] = []
    for subset in subsets:
        item: dict[str, Any] = {}
        for field in ("addresses", "notReadyAddresses"):
            members = []
            for address in subset.get(field) or []:
                ref = {
                    k: v for k, v in (address.get("targetRef") or {}).items() if k != "resourceVersion" and v
                }
                members.append(
                    {**{k: v for k, v in address.items() if v not in (None, "")}, "targetRef": ref}
                )
            if members:
                item[field] = members
        ports = [{**{k: v for k, v in p.items() if v not in (None, "")}} for p in subset.get("ports") or []]
        for port in ports:
            port.setdefault("protocol", "TCP")
        if ports:
            item["ports"] = ports
        out.append(item)
    return out


def desired_endpoints(
    service: Mapping[str, Any], pods: Sequence[Mapping[str, Any]], current: Mapping[str, Any] | None
) -> Obj | None:
    """The Endpoints object to write for `service`, or None if `current` is already right.

    A new object has no resourceVersion; an update carries `current`'s (a conditional write).
    """
    subsets = build_subsets(service, pods)
    truncated = truncate(subsets)
    labels = endpoints_labels(service)
    if current is not None:
        annotations_now = _meta(current).get("annotations") or {}
        if (
            (annotations_now.get(OVER_CAPACITY) == TRUNCATED) == truncated
            and (OVER_CAPACITY in annotations_now) == truncated
            and _comparable_subsets(current.get("subsets") or []) == _comparable_subsets(subsets)
            and dict(_meta(current).get("labels") or {}) == labels
        ):
            return None
        endpoints: Obj = copy.deepcopy(dict(current))
    else:
        meta = _meta(service)
        endpoints = {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": meta.get("name", ""), "namespace": meta.get("namespace", "")},
        }
    metadata = endpoints.setdefault("metadata", {})
    annotations = dict(metadata.get("annotations") or {})
    annotations.pop(LAST_CHANGE_TRIGGER_TIME, None)  # not tracked (see DESIGN.md)
    if truncated:
        annotations[OVER_CAPACITY] = TRUNCATED
    else:
        annotations.pop(OVER_CAPACITY, None)
    endpoints["subsets"] = subsets
    metadata["labels"] = labels
    if annotations:
        metadata["annotations"] = annotations
    else:
        metadata.pop("annotations", None)
    return endpoints
