"""The API server's model of what it serves: one `Endpoint` (strategy + store) per resource,
grouped by API group and version for routing and discovery."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api import errors
from pyk8s.api.resource import Obj, RequestContext, ResourceInfo, ResourceStrategy, VersionView
from pyk8s.api.schema import Schema
from pyk8s.registry.store import Admission, ResourceStore, encode_ordered
from pyk8s.registry.watchcache import CachedObject
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

# (request context, the decoded review) -> the review with its status filled in
ReviewHandler = Callable[[RequestContext, Obj], Awaitable[Obj]]
# () -> the objects of a resource that is built when read, never stored (ComponentStatus)
SynthesisedReader = Callable[[], Awaitable[list[Obj]]]
# (endpoint of the parent, context, parent name, decoded body) -> (HTTP status, answer)
SubresourceHandler = Callable[["Endpoint", RequestContext, str, Obj], Awaitable[tuple[int, Obj]]]


@dataclass(slots=True, eq=False)
class Endpoint:
    """A served resource (one group-version): its policy, its store, and for a version other
    than the storage version, the conversion between the two.

    Stores and strategies work on the storage version; handlers decode and answer in the
    endpoint's version, converting at the edges (`to_storage`, `from_storage`, `present`).
    Request-only kinds (reviews) have no store.
    """

    strategy: ResourceStrategy
    store: ResourceStore | None
    view: VersionView | None = None

    @property
    def info(self) -> ResourceInfo:
        return self.view.info if self.view is not None else self.strategy.info

    @property
    def schema(self) -> Schema:
        return self.view.schema if self.view is not None else self.strategy.schema

    @property
    def storage(self) -> ResourceStore:
        """The store (request-only kinds have none; their handlers never ask)."""
        assert self.store is not None
        return self.store

    def to_storage(self, obj: Obj) -> Obj:
        return self.view.to_storage(obj) if self.view is not None else obj

    def from_storage(self, obj: Obj) -> Obj:
        return self.view.from_storage(obj) if self.view is not None else obj

    def present(self, cached: CachedObject) -> CachedObject:
        """A cached object as this endpoint's version serves it."""
        if self.view is None:
            return cached
        raw, meta_end = encode_ordered(self.view.from_storage(cached.obj()))
        return CachedObject(
            cached.key,
            cached.namespace,
            cached.name,
            cached.revision,
            raw,
            cached.labels,
            cached.fields,
            meta_end,
        )


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
        # Request-only kinds (reviews) by (group, kind), and create-subresources such as
        # pods/eviction by (group, resource, subresource): wired by the server's composition.
        self.reviews: dict[tuple[str, str], ReviewHandler] = {}
        self.subresources: dict[tuple[str, str, str], SubresourceHandler] = {}
        self.synthesised: dict[tuple[str, str], SynthesisedReader] = {}
        for strategy in strategies:
            self.add(strategy)

    def add(self, strategy: ResourceStrategy) -> Endpoint:
        store = None
        if strategy.persisted:
            store = ResourceStore(
                strategy,
                self.storage,
                clock=self.clock,
                admission=self.admission,
                cache_capacity=self.cache_capacity,
            )
        endpoint = self._register(Endpoint(strategy, store))
        for view in strategy.versions:
            self._register(Endpoint(strategy, store, view))
        return endpoint

    def _register(self, endpoint: Endpoint) -> Endpoint:
        info = endpoint.info
        self.endpoints[(info.group, info.version, info.plural)] = endpoint
        gv = self.group_versions.setdefault(
            (info.group, info.version), GroupVersion(info.group, info.version)
        )
        gv.resources.append(endpoint)
        return endpoint

    async def answer_review(self, endpoint: Endpoint, ctx: RequestContext, obj: Obj) -> Obj:
        handler = self.reviews.get((endpoint.info.group, endpoint.info.kind))
        if handler is None:
            raise errors.method_not_supported(endpoint.info.plural, "create", group=endpoint.info.group)
        # Reviews have no name and are never stored: only the kind's own checks apply.
        strategy = endpoint.strategy
        message = strategy.bad_request(ctx, obj)
        if message:
            raise errors.BadRequestError(message)
        strategy.default(obj)
        errs = strategy.validate(ctx, obj)
        if errs:
            raise errors.invalid(endpoint.info.kind, "", errs, group=endpoint.info.group)
        return await handler(ctx, obj)

    async def read_synthesised(self, endpoint: Endpoint) -> list[Obj]:
        """The current objects of a resource built on read (sorted by name, as lists are)."""
        reader = self.synthesised.get((endpoint.info.group, endpoint.info.plural))
        if reader is None:
            raise errors.method_not_supported(endpoint.info.plural, "list", group=endpoint.info.group)
        return sorted(await reader(), key=lambda obj: obj["metadata"]["name"])

    def subresource_handler(self, info: ResourceInfo, subresource: str) -> SubresourceHandler | None:
        return self.subresources.get((info.group, info.plural, subresource))

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

    def stores(self) -> list[ResourceStore]:
        """Every store once (several endpoints can share one)."""
        seen: dict[int, ResourceStore] = {}
        for endpoint in self.endpoints.values():
            if endpoint.store is not None:
                seen.setdefault(id(endpoint.store), endpoint.store)
        return list(seen.values())

    async def start(self) -> None:
        await asyncio.gather(*(store.start() for store in self.stores()))

    async def stop(self) -> None:
        await asyncio.gather(*(store.stop() for store in self.stores()), return_exceptions=True)
