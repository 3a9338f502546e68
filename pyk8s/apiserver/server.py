"""The API server's model of what it serves: one `Endpoint` (strategy + store) per resource,
grouped by API group and version for routing and discovery."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api.resource import ResourceInfo, ResourceStrategy
from pyk8s.registry.store import Admission, ResourceStore
from pyk8s.storage import Storage

log = logging.getLogger(__name__)

# Discovery order of named groups (kubectl prefers earlier groups for ambiguous short names).
GROUP_ORDER = [
    "apiregistration.k8s.io",
    "apps",
    "events.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "autoscaling",
    "batch",
    "certificates.k8s.io",
    "networking.k8s.io",
    "policy",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "scheduling.k8s.io",
    "coordination.k8s.io",
    "node.k8s.io",
    "discovery.k8s.io",
    "flowcontrol.apiserver.k8s.io",
]

KUBERNETES_VERSION = (1, 37, 0)


@dataclass(slots=True, eq=False)
class Endpoint:
    """A served resource: its policy and its store."""

    strategy: ResourceStrategy
    store: ResourceStore

    @property
    def info(self) -> ResourceInfo:
        return self.strategy.info


@dataclass(slots=True)
class GroupVersion:
    group: str
    version: str
    resources: list[Endpoint] = field(default_factory=list)

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


class ApiServer:
    """Owns the stores of every served resource."""

    def __init__(
        self,
        storage: Storage,
        strategies: Iterable[ResourceStrategy],
        *,
        clock: Clock | None = None,
        admission: Admission | None = None,
        cache_capacity: int = 10_000,
    ) -> None:
        self.storage = storage
        self.clock = clock or RealClock()
        self.endpoints: dict[tuple[str, str, str], Endpoint] = {}
        self.group_versions: dict[tuple[str, str], GroupVersion] = {}
        self.admission = admission
        self.cache_capacity = cache_capacity
        for strategy in strategies:
            self.add(strategy)

    def add(self, strategy: ResourceStrategy) -> Endpoint:
        info = strategy.info
        store = ResourceStore(
            strategy,
            self.storage,
            clock=self.clock,
            admission=self.admission,
            cache_capacity=self.cache_capacity,
        )
        endpoint = Endpoint(strategy, store)
        self.endpoints[(info.group, info.version, info.plural)] = endpoint
        gv = self.group_versions.setdefault(
            (info.group, info.version), GroupVersion(info.group, info.version)
        )
        gv.resources.append(endpoint)
        return endpoint

    def endpoint(self, group: str, version: str, resource: str) -> Endpoint | None:
        return self.endpoints.get((group, version, resource))

    def find(self, kind_or_resource: str, group: str = "") -> Endpoint | None:
        """The endpoint of a plural resource name (first served version)."""
        for (g, _v, plural), endpoint in self.endpoints.items():
            if g == group and plural == kind_or_resource:
                return endpoint
        return None

    def groups(self) -> list[tuple[str, list[GroupVersion]]]:
        """Served groups in discovery order, each with its versions (preferred first)."""
        by_group: dict[str, list[GroupVersion]] = {}
        for (group, _version), gv in self.group_versions.items():
            by_group.setdefault(group, []).append(gv)
        order = {g: i for i, g in enumerate(GROUP_ORDER)}
        named = sorted((g for g in by_group if g), key=lambda g: (order.get(g, len(order)), g))
        return [(g, by_group[g]) for g in ([""] if "" in by_group else []) + named]

    async def start(self) -> None:
        await asyncio.gather(*(e.store.start() for e in self.endpoints.values()))

    async def stop(self) -> None:
        await asyncio.gather(*(e.store.stop() for e in self.endpoints.values()), return_exceptions=True)
