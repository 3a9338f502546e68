"""The EndpointSlices a Service should have, as a pure plan over dicts.

`plan(service, pods, existing, nodes)` returns which slices to create, update and delete,
following Kubernetes' reconciler (`k8s.io/endpointslice/reconciler.go`) so slices churn as
little as possible:

- one group of slices per address type of the Service and per set of endpoint ports (a
  named targetPort may resolve to different numbers on different pods: each resolution
  is its own group);
- an endpoint is identified by its addresses, hostname and pod; an endpoint that is still
  wanted is updated in place in the slice that holds it, one that is gone is removed;
  slices left empty are deleted;
- new endpoints first fill slices that are being updated anyway (fullest first), then one
  unchanged slice they fit into (the one left closest to full), then new slices of at most
  `max_endpoints` (100) each;
- a Service with no endpoints keeps one empty placeholder slice;
- creations are turned into updates of slices that would otherwise be deleted.

Endpoint conditions: `serving` is the pod's readiness, `terminating` its deletion, and
`ready` is serving and not terminating (or always, with `publishNotReadyAddresses`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
from pyk8s.controllers.runtime.ownership import new_controller_ref

Obj = dict[str, Any]

CONTROLLER_NAME = "endpointslice-controller.k8s.io"
LABEL_SERVICE_NAME = "kubernetes.io/service-name"
LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
LABEL_HEADLESS = "service.kubernetes.io/headless"
LABEL_ZONE = "topology.kubernetes.io/zone"
RESERVED_LABELS = frozenset({LABEL_SERVICE_NAME, LABEL_MANAGED_BY, LABEL_HEADLESS})
MAX_ENDPOINTS_PER_SLICE = 100
ADDRESS_TYPES = {4: "IPv4", 6: "IPv6"}

PortsKey = tuple[tuple[str, int, str, str], ...]
EndpointKey = tuple[tuple[str, ...], str, str, str]


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("spec") or {}


@dataclass
class SlicePlan:
    """What one reconcile writes."""

    create: list[Obj] = field(default_factory=list)
    update: list[Obj] = field(default_factory=list)
    delete: list[Obj] = field(default_factory=list)
    # pods left out because their node is not known (the Service is looked at again later)
    missing_nodes: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.create or self.update or self.delete)


# ports and endpoints


def ports_key(ports: Iterable[Mapping[str, Any]] | None) -> PortsKey:
    """A canonical, order-independent key for a list of EndpointPorts."""
    return tuple(
        sorted(
            (
                str(p.get("name") or ""),
                int(p.get("port") or 0),
                str(p.get("protocol") or "TCP"),
                str(p.get("appProtocol") or ""),
            )
            for p in ports or []
        )
    )


def endpoint_ports(service: Mapping[str, Any], pod: Mapping[str, Any]) -> list[Obj]:
    """The EndpointPorts of `pod` for every Service port it serves (by number or name)."""
    spec = _spec(service)
    ports: list[Obj] = []
    for service_port in spec.get("ports") or []:
        number = find_port(pod, service_port)
        if number is None:
            continue  # the pod has no port of that name: it serves the others only
        port: Obj = {
            "name": service_port.get("name") or "",
            "port": number,
            "protocol": service_port.get("protocol") or "TCP",
        }
        if service_port.get("appProtocol"):
            port["appProtocol"] = service_port["appProtocol"]
        ports.append(port)
    return ports


def address_types(service: Mapping[str, Any]) -> list[str]:
    """The address types the Service's slices carry, from its IP families (else its
    cluster IP; a headless Service without families gets both)."""
    spec = _spec(service)
    families = {"IPv4": "IPv4", "IPv6": "IPv6"}
    types = [families[f] for f in spec.get("ipFamilies") or [] if f in families]
    if types:
        return sorted(set(types))
    if not is_headless(service):
        family = address_family(str(spec.get("clusterIP")))
        return [ADDRESS_TYPES.get(family or 4, "IPv4")]
    return ["IPv4", "IPv6"]


def pod_endpoint(
    pod: Mapping[str, Any], node: Mapping[str, Any] | None, service: Mapping[str, Any], address_type: str
) -> Obj:
    """The Endpoint of one pod (addresses of `address_type`, conditions, topology)."""
    meta, spec = _meta(pod), _spec(pod)
    serving = pod_is_ready(pod)
    terminating = bool(meta.get("deletionTimestamp"))
    ready = bool(_spec(service).get("publishNotReadyAddresses")) or (serving and not terminating)
    family = 6 if address_type == "IPv6" else 4
    endpoint: Obj = {
        "addresses": [ip for ip in pod_ips(pod) if address_family(ip) == family],
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
        "targetRef": {
            "kind": "Pod",
            "namespace": meta.get("namespace", ""),
            "name": meta.get("name", ""),
            "uid": meta.get("uid", ""),
        },
    }
    if spec.get("nodeName"):
        endpoint["nodeName"] = spec["nodeName"]
    zone = (_meta(node).get("labels") or {}).get(LABEL_ZONE) if node is not None else None
    if zone:
        endpoint["zone"] = zone
    if should_set_hostname(pod, service):
        endpoint["hostname"] = spec["hostname"]
    return endpoint


def endpoint_key(endpoint: Mapping[str, Any]) -> EndpointKey:
    """What identifies an endpoint across updates: addresses, hostname and pod."""
    ref = endpoint.get("targetRef") or {}
    return (
        tuple(sorted(endpoint.get("addresses") or [])),
        str(endpoint.get("hostname") or ""),
        str(ref.get("namespace") or ""),
        str(ref.get("name") or ""),
    )


def _ref_without_version(ref: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (ref or {}).items() if k != "resourceVersion" and v not in (None, "")}


def _condition(endpoint: Mapping[str, Any], name: str) -> bool | None:
    value = (endpoint.get("conditions") or {}).get(name)
    return None if value is None else bool(value)


def endpoints_equal(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Equal beyond the identity key: node, zone, conditions and pod reference."""
    return (
        a.get("nodeName") == b.get("nodeName")
        and a.get("zone") == b.get("zone")
        and all(_condition(a, c) == _condition(b, c) for c in ("ready", "serving", "terminating"))
        and _ref_without_version(a.get("targetRef")) == _ref_without_version(b.get("targetRef"))
    )


# labels and new slices


def slice_labels(
    current: Mapping[str, str] | None, service: Mapping[str, Any], controller: str = CONTROLLER_NAME
) -> tuple[dict[str, str], bool]:
    """The labels a slice of `service` carries, and whether its non-reserved labels differ
    from the Service's (the only difference that needs a write)."""
    kept = {k: v for k, v in (current or {}).items() if k not in RESERVED_LABELS}
    wanted = {k: v for k, v in (_meta(service).get("labels") or {}).items() if k not in RESERVED_LABELS}
    changed = kept != wanted
    if is_headless(service):
        wanted[LABEL_HEADLESS] = ""
    wanted[LABEL_SERVICE_NAME] = str(_meta(service).get("name", ""))
    wanted[LABEL_MANAGED_BY] = controller
    return wanted, changed


def slice_prefix(name: str) -> str:
    """`<service>-`, unless the dash would make the generated name invalid."""
    prefix = f"{name}-"
    return prefix if len(prefix) <= 253 - 5 else name  # generateName appends 5 characters


def new_slice(service: Mapping[str, Any], ports: list[Obj], address_type: str) -> Obj:
    """An empty slice of `service` (generateName; owned by the Service)."""
    meta = _meta(service)
    labels, _ = slice_labels({}, service)
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": slice_prefix(str(meta.get("name", ""))),
            "namespace": meta.get("namespace", ""),
            "labels": labels,
            "ownerReferences": [new_controller_ref(service, api_version="v1", kind="Service")],
        },
        "addressType": address_type,
        "endpoints": [],
        "ports": copy.deepcopy(ports),
    }


def owned_by(endpoint_slice: Mapping[str, Any], service: Mapping[str, Any]) -> bool:
    uid = _meta(service).get("uid")
    return any(
        ref.get("uid") == uid and ref.get("kind") == "Service" and ref.get("apiVersion") == "v1"
        for ref in _meta(endpoint_slice).get("ownerReferences") or []
    )


def _is_placeholder_of(endpoint_slice: Mapping[str, Any], placeholder: Mapping[str, Any]) -> bool:
    """Kubernetes' placeholder comparison: namespace, labels, owners, type, no ports or endpoints."""
    meta, wanted = _meta(endpoint_slice), _meta(placeholder)
    return (
        meta.get("namespace") == wanted.get("namespace")
        and (meta.get("labels") or {}) == wanted.get("labels")
        and (meta.get("ownerReferences") or []) == wanted.get("ownerReferences")
        and endpoint_slice.get("addressType") == placeholder.get("addressType")
        and not endpoint_slice.get("endpoints")
        and not endpoint_slice.get("ports")
    )


# the plan


def plan(
    service: Mapping[str, Any],
    pods: Sequence[Mapping[str, Any]],
    existing: Sequence[Mapping[str, Any]],
    nodes: Mapping[str, Mapping[str, Any]],
    *,
    max_endpoints: int = MAX_ENDPOINTS_PER_SLICE,
) -> SlicePlan:
    """Creates, updates and deletes that give `service` the slices its `pods` call for.

    `existing` are the slices this controller manages for the Service (by label); `nodes`
    maps node names to Nodes (for zones, and to skip pods on nodes not known yet).
    """
    result = SlicePlan()
    wanted_types = address_types(service)
    by_type: dict[str, list[Mapping[str, Any]]] = {}
    for endpoint_slice in sorted(existing, key=lambda s: str(_meta(s).get("name", ""))):
        address_type = str(endpoint_slice.get("addressType") or "")
        if address_type in wanted_types:
            by_type.setdefault(address_type, []).append(endpoint_slice)
        else:
            result.delete.append(dict(endpoint_slice))
    ordered_pods = sorted(pods, key=lambda p: str(_meta(p).get("name", "")))
    for address_type in wanted_types:
        _plan_address_type(
            service, ordered_pods, by_type.get(address_type, []), nodes, address_type, max_endpoints, result
        )
    return result


def _plan_address_type(
    service: Mapping[str, Any],
    pods: Sequence[Mapping[str, Any]],
    existing: Sequence[Mapping[str, Any]],
    nodes: Mapping[str, Mapping[str, Any]],
    address_type: str,
    max_endpoints: int,
    result: SlicePlan,
) -> None:
    create: list[Obj] = []
    update: list[Obj] = []
    delete: list[Obj] = []
    existing_by_ports: dict[PortsKey, list[Mapping[str, Any]]] = {}
    for endpoint_slice in existing:
        if owned_by(endpoint_slice, service):
            existing_by_ports.setdefault(ports_key(endpoint_slice.get("ports")), []).append(endpoint_slice)
        else:
            delete.append(dict(endpoint_slice))  # left over from an earlier Service of that name

    desired: dict[PortsKey, dict[EndpointKey, Obj]] = {}
    desired_ports: dict[PortsKey, list[Obj]] = {}
    publish_not_ready = bool(_spec(service).get("publishNotReadyAddresses"))
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, include_terminating=True):
            continue
        ports = endpoint_ports(service, pod)
        key = ports_key(ports)
        group = desired.setdefault(key, {})
        desired_ports.setdefault(key, ports)
        node_name = str(_spec(pod).get("nodeName") or "")
        node = nodes.get(node_name)
        if node is None and not publish_not_ready:
            # Kubernetes leaves the pod out until its Node is known, and looks again later
            result.missing_nodes.add(node_name)
            continue
        endpoint = pod_endpoint(pod, node, service, address_type)
        if endpoint["addresses"]:
            group[endpoint_key(endpoint)] = endpoint

    for key, wanted in desired.items():
        c, u, d = _plan_ports(
            service, existing_by_ports.get(key, []), wanted, desired_ports[key], address_type, max_endpoints
        )
        create += c
        update += u
        delete += d
    for key, slices in existing_by_ports.items():
        if key not in desired:
            delete += [dict(s) for s in slices]

    if len(existing) == len(delete) and not create:
        placeholder = new_slice(service, [], address_type)
        if len(delete) == 1 and _is_placeholder_of(delete[0], placeholder):
            delete = []  # the placeholder is already there
        else:
            create.append(placeholder)

    # Reuse slices about to be deleted for creations (fewer objects churned).
    while create and delete:
        reusable = next(
            (
                i
                for i, s in enumerate(delete)
                if s.get("addressType") == address_type and owned_by(s, service)
            ),
            None,
        )
        if reusable is None:
            break
        old = delete.pop(reusable)
        new = create.pop()
        # the new slice under the old name, conditional on the version we saw
        new["metadata"].pop("generateName", None)
        new["metadata"]["name"] = _meta(old).get("name", "")
        new["metadata"]["resourceVersion"] = _meta(old).get("resourceVersion", "")
        update.append(new)

    result.create += create
    result.update += update
    result.delete += delete


def _plan_ports(
    service: Mapping[str, Any],
    existing: Sequence[Mapping[str, Any]],
    wanted: dict[EndpointKey, Obj],
    ports: list[Obj],
    address_type: str,
    max_endpoints: int,
) -> tuple[list[Obj], list[Obj], list[Obj]]:
    """Kubernetes' reconcileByPortMapping for one group of slices."""
    remaining = dict(wanted)  # insertion order: pods by name
    by_name: dict[str, Obj] = {}
    unchanged: list[str] = []
    to_update: list[str] = []
    to_delete: list[str] = []

    # 1. keep wanted endpoints where they are (updated in place), drop the others
    for endpoint_slice in existing:
        name = str(_meta(endpoint_slice).get("name", ""))
        by_name[name] = dict(endpoint_slice)
        kept: list[Obj] = []
        endpoint_changed = False
        current = endpoint_slice.get("endpoints") or []
        for endpoint in current:
            desired = remaining.pop(endpoint_key(endpoint), None)
            if desired is None:
                continue
            kept.append(desired)
            endpoint_changed = endpoint_changed or not endpoints_equal(desired, endpoint)
        labels, labels_changed = slice_labels(_meta(endpoint_slice).get("labels"), service)
        if endpoint_changed or len(kept) != len(current):
            if not kept:
                to_delete.append(name)
                continue
            changed = copy.deepcopy(dict(endpoint_slice))
            changed["endpoints"] = kept
            changed["metadata"]["labels"] = labels
            by_name[name] = changed
            to_update.append(name)
        elif labels_changed:
            changed = copy.deepcopy(dict(endpoint_slice))
            changed["metadata"]["labels"] = labels
            by_name[name] = changed
            to_update.append(name)
        else:
            unchanged.append(name)

    queue = list(remaining.values())

    # 2. fill the slices being updated anyway, fullest first
    if queue and to_update:
        for name in sorted(to_update, key=lambda n: -len(by_name[n]["endpoints"])):
            room = max_endpoints - len(by_name[name]["endpoints"])
            if room > 0:
                by_name[name]["endpoints"] = [*by_name[name]["endpoints"], *queue[:room]]
                queue = queue[room:]

    # 3. then one unchanged slice they fit into, else new slices
    create: list[Obj] = []
    while queue:
        target: Obj | None = None
        if len(queue) < max_endpoints and unchanged:
            target = _slice_to_fill([by_name[n] for n in unchanged], len(queue), max_endpoints)
        if target is None:
            target = new_slice(service, ports, address_type)
        else:
            target = copy.deepcopy(target)
            name = str(_meta(target).get("name", ""))
            by_name[name] = target
            unchanged.remove(name)
            to_update.append(name)
        room = max_endpoints - len(target["endpoints"])
        target["endpoints"] = [*target["endpoints"], *queue[:room]]
        queue = queue[room:]
        if not _meta(target).get("name"):
            create.append(target)

    return create, [by_name[n] for n in to_update], [by_name[n] for n in to_delete]


def _slice_to_fill(slices: Sequence[Obj], count: int, max_endpoints: int) -> Obj | None:
    """The slice that ends closest to full once `count` endpoints are added (None: none fits)."""
    best: Obj | None = None
    best_gap = max_endpoints
    for candidate in slices:
        gap = max_endpoints - (count + len(candidate.get("endpoints") or []))
        if 0 <= gap < best_gap:
            best, best_gap = candidate, gap
            if gap == 0:
                break
    return best
