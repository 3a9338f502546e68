"""What a pod contributes to the endpoints of a Service, as pure functions over dicts.

Shared by the EndpointSlice and Endpoints controllers (Kubernetes keeps these in
`k8s.io/endpointslice/util`):

- which pods are endpoints at all: not terminal, with an IP, and (for Endpoints unless
  `publishNotReadyAddresses`) not terminating;
- which container port a Service port targets on one pod: a number as is, a name looked
  up among the pod's container ports (then its sidecars') with the Service port's protocol,
  so two pods of one Service may serve it on different ports;
- which pod changes can change endpoints, and which Services a pod change concerns.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from pyk8s.client.informers import EventHandlerFuncs
from pyk8s.client.informers.lister import Lister
from pyk8s.controllers.runtime.handlers import unwrap
from pyk8s.controllers.runtime.pods import is_pod_ready, is_pod_terminal
from pyk8s.controllers.runtime.workqueue import WorkQueue

Obj = dict[str, Any]


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("spec") or {}


def pod_ips(pod: Mapping[str, Any]) -> list[str]:
    """The pod's IPs, primary first (`status.podIPs`, else `status.podIP`)."""
    status = pod.get("status") or {}
    ips = [str(p.get("ip") or "") for p in status.get("podIPs") or [] if p.get("ip")]
    if not ips and status.get("podIP"):
        ips = [str(status["podIP"])]
    return ips


def should_pod_be_in_endpoints(pod: Mapping[str, Any], *, include_terminating: bool) -> bool:
    """A running or pending pod with an IP; a terminating one only if `include_terminating`."""
    if is_pod_terminal(pod) or not pod_ips(pod):
        return False
    return include_terminating or not _meta(pod).get("deletionTimestamp")


def should_set_hostname(pod: Mapping[str, Any], service: Mapping[str, Any]) -> bool:
    """A pod naming the Service as its subdomain publishes its hostname (DNS A records)."""
    spec = _spec(pod)
    return (
        bool(spec.get("hostname"))
        and spec.get("subdomain") == _meta(service).get("name")
        and _meta(pod).get("namespace") == _meta(service).get("namespace")
    )


def service_selects(service: Mapping[str, Any]) -> bool:
    """Whether the Service has a selector (a selector-less Service gets endpoints from its user)."""
    return bool(_spec(service).get("selector"))


def selector_matches(service: Mapping[str, Any], labels: Mapping[str, str] | None) -> bool:
    selector = _spec(service).get("selector")
    if not selector:
        return False
    labels = labels or {}
    return all(labels.get(k) == v for k, v in selector.items())


def find_port(pod: Mapping[str, Any], service_port: Mapping[str, Any]) -> int | None:
    """The pod's port number for `service_port`, None if the pod has no such named port."""
    target = service_port.get("targetPort", service_port.get("port"))
    protocol = service_port.get("protocol") or "TCP"
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    spec = _spec(pod)
    sidecars = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    for container in [*(spec.get("containers") or []), *sidecars]:
        for port in container.get("ports") or []:
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return int(port["containerPort"])
    return None


def address_family(address: str) -> int | None:
    """4 or 6, None for something that is not an IP address."""
    try:
        return ipaddress.ip_address(address).version
    except ValueError:
        return None


def is_headless(service: Mapping[str, Any]) -> bool:
    """No cluster IP (`None`, or none allocated)."""
    ip = _spec(service).get("clusterIP")
    return ip in (None, "", "None")


def pod_endpoints_changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[bool, bool]:
    """(the pod's endpoint may have changed, the Services selecting it may have changed)."""
    labels_changed = (_meta(old).get("labels") or {}) != (_meta(new).get("labels") or {}) or (
        _spec(old).get("hostname"),
        _spec(old).get("subdomain"),
    ) != (_spec(new).get("hostname"), _spec(new).get("subdomain"))
    changed = (
        _meta(old).get("deletionTimestamp") != _meta(new).get("deletionTimestamp")
        or is_pod_ready(old) != is_pod_ready(new)
        or pod_ips(old) != pod_ips(new)
        # a pod that finished leaves the endpoints; one that got its node may now be placed
        or is_pod_terminal(old) != is_pod_terminal(new)
        or _spec(old).get("nodeName") != _spec(new).get("nodeName")
    )
    return changed, labels_changed


def services_for_pod(services: Iterable[Mapping[str, Any]], labels: Mapping[str, str] | None) -> set[str]:
    """Keys of the `services` (of the pod's namespace) whose selector matches `labels`."""
    keys: set[str] = set()
    for service in services:
        if selector_matches(service, labels):
            meta = _meta(service)
            keys.add(f"{meta.get('namespace', '')}/{meta.get('name', '')}")
    return keys


def services_to_sync(
    services: Iterable[Mapping[str, Any]], old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> set[str]:
    """The Services a pod event concerns: all selecting it on add/delete; on update, none if
    nothing relevant changed, the union when the pod changed, else (labels only) the ones it
    joined or left."""
    services = list(services)
    if old is None or new is None:
        pod = new if new is not None else old
        return services_for_pod(services, _meta(pod or {}).get("labels"))
    if _meta(old).get("resourceVersion") == _meta(new).get("resourceVersion"):
        return set()  # a resync: the Service handler resyncs Services already
    changed, labels_changed = pod_endpoints_changed(old, new)
    if not changed and not labels_changed:
        return set()
    current = services_for_pod(services, _meta(new).get("labels"))
    if not labels_changed:
        return current
    previous = services_for_pod(services, _meta(old).get("labels"))
    return current | previous if changed else current ^ previous


def service_pod_handler(services: Lister, queue: WorkQueue[str]) -> EventHandlerFuncs:
    """Pod events wake the Services they concern (`services_to_sync`): the handler the
    Endpoints and EndpointSlice controllers share."""

    def enqueue(old: Any, new: Any) -> None:
        pod = new if new is not None else old
        namespace = str(_meta(pod or {}).get("namespace", ""))
        for key in sorted(services_to_sync(services.list(namespace=namespace), old, new)):
            queue.add(key)

    def deleted(obj: Any) -> None:
        enqueue(unwrap(obj), None)

    return EventHandlerFuncs(
        add=lambda obj, _initial: enqueue(None, obj),
        update=lambda old, new: enqueue(old, new),
        delete=deleted,
    )


def pod_is_ready(pod: Mapping[str, Any]) -> bool:
    """The pod's Ready condition is True (re-exported for the controllers beside this one)."""
    return is_pod_ready(pod)
