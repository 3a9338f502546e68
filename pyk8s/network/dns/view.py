"""`InformerView`: the records' `ClusterView` read straight from Service and EndpointSlice
informers, so a query always sees the caches as they are (no second copy to keep in step).

Secondary indexes make every lookup a dict access: slices by owning Service, Services by
ClusterIP and slices by endpoint address (for PTR).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pyk8s.client.informers import NAMESPACE_INDEX, EventHandlerFuncs, SharedInformer
from pyk8s.network.dns.records import SERVICE_NAME_LABEL, cluster_ips, dashed, is_headless

Obj = dict[str, Any]

SLICES_BY_SERVICE = "dns/service"
SERVICES_BY_IP = "dns/cluster-ip"
SLICES_BY_ADDRESS = "dns/endpoint-ip"


def _slice_service(slice_: Obj) -> list[str]:
    meta = slice_.get("metadata") or {}
    service = (meta.get("labels") or {}).get(SERVICE_NAME_LABEL)
    return [f"{meta.get('namespace', '')}/{service}"] if service else []


def _slice_addresses(slice_: Obj) -> list[str]:
    if slice_.get("addressType") not in ("IPv4", "IPv6"):
        return []
    return sorted({a for e in slice_.get("endpoints") or [] for a in e.get("addresses") or []})


class InformerView:
    """Answers `ClusterView` questions from two informers (which the caller runs).

    `serial` counts changes: it is the zone's SOA serial, so resolvers that cache negative
    answers by serial see the zone move.
    """

    def __init__(self, services: SharedInformer, slices: SharedInformer) -> None:
        self.services = services
        self.slices = slices
        if SERVICES_BY_IP not in services.indexer.indexers:
            services.add_indexers({SERVICES_BY_IP: cluster_ips})
        if SLICES_BY_SERVICE not in slices.indexer.indexers:
            slices.add_indexers({SLICES_BY_SERVICE: _slice_service, SLICES_BY_ADDRESS: _slice_addresses})
        self.serial = 1
        bump = EventHandlerFuncs(
            add=lambda _o, _i: self._changed(),
            update=lambda _a, _b: self._changed(),
            delete=lambda _o: self._changed(),
        )
        services.add_event_handler(bump)
        slices.add_event_handler(bump)

    def _changed(self) -> None:
        self.serial = (self.serial + 1) & 0xFFFFFFFF or 1

    def has_synced(self) -> bool:
        return self.services.has_synced() and self.slices.has_synced()

    # ClusterView

    def service(self, namespace: str, name: str) -> Obj | None:
        return self.services.indexer.get(f"{namespace}/{name}")

    def endpoint_slices(self, namespace: str, service: str) -> Sequence[Obj]:
        return self.slices.indexer.by_index(SLICES_BY_SERVICE, f"{namespace}/{service}")

    def has_namespace(self, namespace: str) -> bool:
        return bool(self.services.indexer.index_keys(NAMESPACE_INDEX, namespace))

    def names_for_ip(self, ip: str) -> Sequence[str]:
        names: list[str] = []
        for svc in self.services.indexer.by_index(SERVICES_BY_IP, ip):
            meta = svc.get("metadata") or {}
            names.append(f"{meta.get('name')}.{meta.get('namespace')}.svc")
        for slice_ in self.slices.indexer.by_index(SLICES_BY_ADDRESS, ip):
            for key in _slice_service(slice_):
                namespace, _, name = key.partition("/")
                svc = self.service(namespace, name)
                if svc is None or not is_headless(svc):
                    continue
                for endpoint in slice_.get("endpoints") or []:
                    if ip in (endpoint.get("addresses") or []):
                        host = str(endpoint.get("hostname") or "").lower() or dashed(ip)
                        name_ = f"{host}.{name}.{namespace}.svc"
                        if name_ not in names:
                            names.append(name_)
        return names


class StaticView:
    """A `ClusterView` over plain lists (unit tests, benchmarks)."""

    def __init__(self, services: Sequence[Obj] = (), slices: Sequence[Obj] = ()) -> None:
        self._services = {(s["metadata"]["namespace"], s["metadata"]["name"]): s for s in services}
        self._slices: dict[tuple[str, str], list[Obj]] = {}
        for slice_ in slices:
            for key in _slice_service(slice_):
                namespace, _, name = key.partition("/")
                self._slices.setdefault((namespace, name), []).append(slice_)

    def service(self, namespace: str, name: str) -> Obj | None:
        return self._services.get((namespace, name))

    def endpoint_slices(self, namespace: str, service: str) -> Sequence[Obj]:
        return self._slices.get((namespace, service), [])

    def has_namespace(self, namespace: str) -> bool:
        return any(ns == namespace for ns, _ in self._services)

    def names_for_ip(self, ip: str) -> Sequence[str]:
        names = [f"{name}.{ns}.svc" for (ns, name), s in self._services.items() if ip in cluster_ips(s)]
        for (ns, name), slices in self._slices.items():
            svc = self._services.get((ns, name))
            if svc is None or not is_headless(svc):
                continue
            for slice_ in slices:
                for endpoint in slice_.get("endpoints") or []:
                    if ip in (endpoint.get("addresses") or []):
                        host = str(endpoint.get("hostname") or "").lower() or dashed(ip)
                        names.append(f"{host}.{name}.{ns}.svc")
        return names
