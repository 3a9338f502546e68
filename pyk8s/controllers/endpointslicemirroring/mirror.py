"""The EndpointSlices mirroring a user's Endpoints, as a pure plan over dicts.

A Service without a selector gets its endpoints from an Endpoints object its user writes;
consumers of EndpointSlices (the service proxy, DNS) see them through mirrored slices:

- each subset's addresses become endpoints (`ready` true for `addresses`, false for
  `notReadyAddresses`; hostname, nodeName and targetRef carried over); addresses that are
  not IPs are skipped and counted;
- subsets with the same ports (and address type) share one slice of at most 1000
  endpoints (`--mirroring-max-endpoints-per-subset`), one slice per group; addresses beyond
  that are skipped and counted;
- slices carry the Endpoints' labels and annotations (but not the trigger-time or
  last-applied ones), `kubernetes.io/service-name` and `endpointslice.kubernetes.io/
  managed-by: endpointslicemirroring-controller.k8s.io`, and are owned by the Endpoints;
- a group whose slice already matches writes nothing; extra slices of a group are deleted,
  and slices about to be deleted are reused for creations.
"""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyk8s.controllers.endpointslice.slices import (
    LABEL_MANAGED_BY,
    LABEL_SERVICE_NAME,
    EndpointKey,
    PortsKey,
    endpoint_key,
    endpoints_equal,
    ports_key,
    slice_prefix,
)
from pyk8s.controllers.runtime.ownership import new_controller_ref

Obj = dict[str, Any]

CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io"
LABEL_SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror"
LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader"
SKIPPED_ANNOTATIONS = frozenset(
    {"endpoints.kubernetes.io/last-change-trigger-time", "kubectl.kubernetes.io/last-applied-configuration"}
)
MAX_ENDPOINTS_PER_SUBSET = 1000

GroupKey = tuple[str, PortsKey]


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


@dataclass
class MirrorPlan:
    """What one reconcile writes, and what it could not mirror."""

    create: list[Obj] = field(default_factory=list)
    update: list[Obj] = field(default_factory=list)
    delete: list[Obj] = field(default_factory=list)
    invalid: int = 0  # addresses that are not IPs
    skipped: int = 0  # addresses over the per-subset limit (and invalid ones)


def should_mirror(endpoints: Mapping[str, Any] | None, service: Mapping[str, Any] | None) -> bool:
    """Mirror only Endpoints of an existing selector-less Service, without the skip-mirror
    label or a leader-election record."""
    if endpoints is None or service is None:
        return False
    if (service.get("spec") or {}).get("selector"):
        return False
    if (_meta(endpoints).get("labels") or {}).get(LABEL_SKIP_MIRROR) == "true":
        return False
    return LEADER_ANNOTATION not in (_meta(endpoints).get("annotations") or {})


def slice_ports(ports: Sequence[Mapping[str, Any]] | None) -> list[Obj]:
    """EndpointSlice ports from Endpoints ports."""
    out: list[Obj] = []
    for port in ports or []:
        item: Obj = {
            "name": port.get("name") or "",
            "port": int(port.get("port") or 0),
            "protocol": port.get("protocol") or "TCP",
        }
        if port.get("appProtocol"):
            item["appProtocol"] = port["appProtocol"]
        out.append(item)
    return out


def address_endpoint(address: Mapping[str, Any], ready: bool) -> tuple[Obj, str] | None:
    """The mirrored endpoint and its address type; None if the address is not an IP."""
    try:
        ip = ipaddress.ip_address(str(address.get("ip", "")))
    except ValueError:
        return None
    endpoint: Obj = {"addresses": [str(ip)], "conditions": {"ready": ready}}
    if address.get("targetRef"):
        endpoint["targetRef"] = copy.deepcopy(address["targetRef"])
    if address.get("nodeName"):
        endpoint["nodeName"] = address["nodeName"]
    if address.get("hostname"):
        endpoint["hostname"] = address["hostname"]
    return endpoint, "IPv4" if ip.version == 4 else "IPv6"


def new_mirror_slice(
    endpoints: Mapping[str, Any], ports: list[Obj], address_type: str, name: str = ""
) -> Obj:
    """A slice mirroring `endpoints` (generateName unless reusing `name`)."""
    meta = _meta(endpoints)
    labels = dict(meta.get("labels") or {})
    labels[LABEL_SERVICE_NAME] = str(meta.get("name", ""))
    labels[LABEL_MANAGED_BY] = CONTROLLER_NAME
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items() if k not in SKIPPED_ANNOTATIONS}
    metadata: Obj = {
        "namespace": meta.get("namespace", ""),
        "labels": labels,
        "ownerReferences": [new_controller_ref(endpoints, api_version="v1", kind="Endpoints")],
    }
    if annotations:
        metadata["annotations"] = annotations
    if name:
        metadata["name"] = name
    else:
        metadata["generateName"] = slice_prefix(str(meta.get("name", "")))
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": metadata,
        "addressType": address_type,
        "endpoints": [],
        "ports": copy.deepcopy(ports),
    }


def _slice_matches(existing: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    """Same endpoints (by identity and attributes), labels and annotations."""
    have = {endpoint_key(e): e for e in existing.get("endpoints") or []}
    want = {endpoint_key(e): e for e in wanted.get("endpoints") or []}
    if have.keys() != want.keys() or any(not endpoints_equal(have[k], want[k]) for k in want):
        return False
    meta, wanted_meta = _meta(existing), _meta(wanted)
    return (meta.get("labels") or {}) == (wanted_meta.get("labels") or {}) and (
        meta.get("annotations") or {}
    ) == (wanted_meta.get("annotations") or {})


def plan(
    endpoints: Mapping[str, Any],
    existing: Sequence[Mapping[str, Any]],
    *,
    max_per_subset: int = MAX_ENDPOINTS_PER_SUBSET,
) -> MirrorPlan:
    """The writes that make the mirroring slices (`existing`) match `endpoints`."""
    result = MirrorPlan()
    desired: dict[GroupKey, dict[EndpointKey, Obj]] = {}
    group_ports: dict[GroupKey, list[Obj]] = {}
    for subset in endpoints.get("subsets") or []:
        ports = slice_ports(subset.get("ports"))
        key_ports = ports_key(ports)
        for address_type in ("IPv4", "IPv6"):
            desired.setdefault((address_type, key_ports), {})
            group_ports[(address_type, key_ports)] = ports
        added = 0
        members = [(a, True) for a in subset.get("addresses") or []]
        members += [(a, False) for a in subset.get("notReadyAddresses") or []]
        for address, ready in members:
            if added >= max_per_subset:
                result.skipped += 1
                continue
            converted = address_endpoint(address, ready)
            if converted is None:
                result.invalid += 1
                result.skipped += 1
                continue
            endpoint, address_type = converted
            desired[(address_type, key_ports)][endpoint_key(endpoint)] = endpoint
            added += 1

    by_group: dict[GroupKey, list[Mapping[str, Any]]] = {}
    for endpoint_slice in sorted(existing, key=lambda s: str(_meta(s).get("name", ""))):
        key = (str(endpoint_slice.get("addressType") or ""), ports_key(endpoint_slice.get("ports")))
        by_group.setdefault(key, []).append(endpoint_slice)

    for key in sorted(desired):
        wanted_endpoints = list(desired[key].values())[:max_per_subset]
        slices = by_group.get(key, [])
        if not wanted_endpoints:
            result.delete += [dict(s) for s in slices]
            continue
        result.delete += [dict(s) for s in slices[1:]]
        name = str(_meta(slices[0]).get("name", "")) if slices else ""
        wanted = new_mirror_slice(endpoints, group_ports[key], key[0], name)
        wanted["endpoints"] = wanted_endpoints
        if slices and _slice_matches(slices[0], wanted):
            continue
        if slices:
            wanted["metadata"]["resourceVersion"] = _meta(slices[0]).get("resourceVersion", "")
            result.update.append(wanted)
        else:
            result.create.append(wanted)
    for key, slices in by_group.items():
        if key not in desired:
            result.delete += [dict(s) for s in slices]

    # Reuse slices about to be deleted for creations of the same address type.
    for new in list(result.create):
        reusable = next((s for s in result.delete if s.get("addressType") == new.get("addressType")), None)
        if reusable is None:
            continue
        result.delete.remove(reusable)
        result.create.remove(new)
        new["metadata"].pop("generateName", None)
        new["metadata"]["name"] = _meta(reusable).get("name", "")
        new["metadata"]["resourceVersion"] = _meta(reusable).get("resourceVersion", "")
        result.update.append(new)
    return result
