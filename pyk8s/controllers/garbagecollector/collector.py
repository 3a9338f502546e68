"""The garbage collector: deletes objects whose owners are gone, and carries out Foreground
and Orphan deletions.

    discovery (every 30 s) ──► one shared informer per listable+watchable+deletable resource
                                   │ handlers (synchronous)
                                   ▼
                                 Graph ──► attempt-to-delete queue ──► workers (20)
                                       └─► attempt-to-orphan queue ──► workers

Workers key their queues by uid and read the node from the graph, so a node replaced in
the graph is simply read anew. Every decision that deletes is taken on live state: the
object is read from the API server (uid must match), each owner is read by name and
compared by uid, and the delete carries a uid precondition. A stale cache can delay the
collector, never make it delete something that still has an owner.

- Background: the owner is gone, its dependents have only dangling owners: deleted.
- Foreground: an owner marked with `foregroundDeletion` waits until every dependent that
  blocks it (blockOwnerDeletion) is gone, then the finalizer is removed.
- Orphan: an owner marked with `orphan` has its reference removed from every dependent,
  then the finalizer.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pyk8s.api.errors import NotFoundError, StatusError, UnsupportedMediaTypeError
from pyk8s.client.errors import ClientError
from pyk8s.client.events import WARNING, EventRecorder
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer
from pyk8s.client.resources import Resource
from pyk8s.client.rest import Client, PatchType
from pyk8s.controllers.garbagecollector.decisions import (
    Classification,
    Delete,
    NamespacedOwnerOfClusterScopedObjectError,
    RemoveReferences,
    decide,
    is_dangling,
    owner_lookup_namespace,
    unblocked_owner_references,
    without_finalizer,
    without_owner_references,
)
from pyk8s.controllers.garbagecollector.discovery import Discovery, discover
from pyk8s.controllers.garbagecollector.graph import (
    FOREGROUND_FINALIZER,
    ORPHAN_FINALIZER,
    Graph,
    GraphEvent,
    GraphSinks,
    Node,
    ObjectReference,
    ObjectState,
    OwnerRef,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import unwrap
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.garbagecollector")

Obj = dict[str, Any]

COMPONENT = "garbage-collector-controller"
DEFAULT_WORKERS = 20  # kube-controller-manager's --concurrent-gc-syncs
DISCOVERY_PERIOD = 30.0
# Events are never owned in practice and are the most numerous objects: not watched (as in
# Kubernetes).
IGNORED = frozenset({("", "events"), ("events.k8s.io", "events")})
VIRTUAL_POLL_MAX = 60.0


class RestMappingError(Exception):
    """An owner reference names a kind the server does not serve (yet): retried."""


class GarbageCollector:
    """The garbage collector as one runnable: monitors, graph and two worker pools."""

    name = "garbagecollector"

    def __init__(
        self,
        ctx: ControllerContext,
        *,
        workers: int = DEFAULT_WORKERS,
        discovery_period: float = DISCOVERY_PERIOD,
        ignored: frozenset[tuple[str, str]] = IGNORED,
    ) -> None:
        self.ctx = ctx
        self.client: Client = ctx.client
        self.clock = ctx.clock
        self.recorder: EventRecorder = ctx.recorder(COMPONENT)
        self.discovery_period = discovery_period
        self.ignored = ignored
        self.discovery = Discovery()
        self.monitors: dict[Resource, SharedInformer] = {}
        self.deleter = Controller(
            "garbagecollector-delete", _Reconcile(self._attempt_to_delete), workers=workers, clock=self.clock
        )
        self.orphaner = Controller(
            "garbagecollector-orphan", _Reconcile(self._attempt_to_orphan), workers=workers, clock=self.clock
        )
        sinks = GraphSinks(
            attempt_to_delete=lambda node: self.deleter.queue.add(node.uid),
            attempt_to_orphan=lambda node: self.orphaner.queue.add(node.uid),
            invalid_namespace=self._report_invalid_namespace,
            attempt_to_delete_later=lambda node: self.deleter.queue.add_rate_limited(node.uid),
        )
        self.graph = Graph(sinks)
        self._virtual_polls: dict[str, int] = {}

    # running

    async def run(self) -> None:
        """Discover, start monitors, wait for them to sync, then collect until cancelled."""
        while True:
            try:
                self.discovery = await discover(self.client)
                break
            except (StatusError, ClientError) as err:
                log.warning("garbage collector: discovery failed (%s); retrying", err)
                await self.clock.sleep(1.0)
        self._sync_monitors()
        await asyncio.gather(*(m.wait_for_sync() for m in self.monitors.values()))
        log.info(
            "garbage collector: %d resources monitored, graph of %d nodes",
            len(self.monitors),
            len(self.graph),
        )
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self.deleter.run(), name="gc delete workers")
            tg.create_task(self.orphaner.run(), name="gc orphan workers")
            tg.create_task(self._rediscover(), name="gc discovery")

    async def _rediscover(self) -> None:
        """New resources (CRDs) get monitors; a discovery failure keeps the old ones."""
        while True:
            await self.clock.sleep(self.discovery_period)
            try:
                self.discovery = await discover(self.client)
            except (StatusError, ClientError) as err:
                log.warning("garbage collector: discovery failed (%s)", err)
                continue
            self._sync_monitors()

    def _sync_monitors(self) -> None:
        added = 0
        for api in self.discovery.preferred("list", "watch", "delete"):
            resource = api.resource
            if (resource.group, resource.plural) in self.ignored or resource in self.monitors:
                continue
            if any(r.group == resource.group and r.plural == resource.plural for r in self.monitors):
                continue  # another version of it is already watched
            informer = self.ctx.informers.informer(resource)
            informer.add_event_handler(self._handler(resource))
            self.monitors[resource] = informer
            added += 1
        if added:
            self.ctx.informers.start()
            log.info("garbage collector: monitoring %d new resources", added)

    def _handler(self, resource: Resource) -> EventHandlerFuncs:
        api_version, kind = resource.api_version, resource.kind

        def state(obj: Obj) -> ObjectState:
            return ObjectState.from_object(api_version, kind, obj)

        def add(obj: Obj, initial: bool) -> None:
            self.graph.process(GraphEvent("add", state(obj)))

        def update(old: Obj, new: Obj) -> None:
            self.graph.process(GraphEvent("update", state(new), old=state(old)))

        def delete(obj: Obj | DeletedFinalStateUnknown) -> None:
            self.graph.process(GraphEvent("delete", state(unwrap(obj))))

        return EventHandlerFuncs(add=add, update=update, delete=delete)

    def is_synced(self) -> bool:
        return bool(self.monitors) and all(m.has_synced() for m in self.monitors.values())

    def is_idle(self) -> bool:
        return self.deleter.is_idle() and self.orphaner.is_idle()

    def metrics(self) -> dict[str, Any]:
        return {
            "graph_nodes": len(self.graph),
            "monitors": len(self.monitors),
            "attempt_to_delete": self.deleter.metrics(),
            "attempt_to_orphan": self.orphaner.metrics(),
        }

    # REST mapping and live reads

    def _resource(self, api_version: str, kind: str) -> Resource:
        resource = self.discovery.resource_for(api_version, kind)
        if resource is None:
            raise RestMappingError(f"unable to get REST mapping for {kind} of {api_version}")
        return resource

    async def _get(self, identity: ObjectReference) -> Obj | None:
        """The live object at these coordinates, or None if there is none."""
        resource = self._resource(identity.api_version, identity.kind)
        namespace = owner_lookup_namespace(identity.namespace, resource.namespaced)
        try:
            return await self.client.get(resource, identity.name, namespace=namespace or None)
        except NotFoundError:
            return None

    def _cached(self, item: Node) -> Obj | None:
        """The monitor's copy of an observed object (None when it has none: read it live).

        Deciding on a cached copy is safe because every delete carries the copy's
        resourceVersion as a precondition: if the object changed since (say, it gained an
        owner), the delete fails with a conflict and the item is looked at again."""
        if not item.observed:
            return None
        resource = self.discovery.resource_for(item.identity.api_version, item.identity.kind)
        informer = self.monitors.get(resource) if resource is not None else None
        if informer is None:
            return None
        ident = item.identity
        cached = informer.lister.get(ident.name, ident.namespace or None)
        if cached is None or (cached.get("metadata") or {}).get("uid") != item.uid:
            return None
        return cached

    def _virtual_delete(self, identity: ObjectReference) -> None:
        self.graph.process(GraphEvent("delete", ObjectState(identity), virtual=True))

    # attempt to delete

    async def _attempt_to_delete(self, uid: str) -> Result | None:
        item = self.graph.get(uid)
        if item is None:
            self._virtual_polls.pop(uid, None)
            return None
        try:
            done = await self._attempt_to_delete_item(item)
        except NamespacedOwnerOfClusterScopedObjectError:
            return None  # can never be resolved: not retried
        if done or item.observed:
            self._virtual_polls.pop(uid, None)
            return None
        # A virtual node verified to exist but not yet seen by a monitor: look again, later
        # and later, until a watch shows it (or it is gone).
        polls = self._virtual_polls.get(uid, 0)
        self._virtual_polls[uid] = polls + 1
        return Result(requeue_after=min(VIRTUAL_POLL_MAX, 0.1 * 2**polls))

    async def _attempt_to_delete_item(self, item: Node) -> bool:
        """One pass over `item`; True when a virtual delete was produced (nothing to poll)."""
        if item.being_deleted and not item.deleting_dependents:
            return False  # deletion is under way; its dependents are looked at once it is gone
        latest = self._cached(item) or await self._get(item.identity)
        if latest is None or (latest.get("metadata") or {}).get("uid") != item.uid:
            self._virtual_delete(item.identity)
            return True
        if item.deleting_dependents:
            await self._process_deleting_dependents(item, latest)
            return False
        refs = [OwnerRef.from_dict(r) for r in (latest.get("metadata") or {}).get("ownerReferences") or []]
        if not refs:
            return False
        classes = Classification()
        for ref in refs:
            owner = await self._lookup_owner(ref, item)
            classes.add(ref, owner)
        decision = decide(item, latest, classes)
        resource = self._resource(item.identity.api_version, item.identity.kind)
        if isinstance(decision, RemoveReferences):
            log.info(
                "garbage collector: removing dangling owner references %s from %s",
                decision.uids,
                item.identity,
            )
            await self._remove_references(resource, latest, decision.uids)
        elif isinstance(decision, Delete):
            if decision.unblock_first:
                patch = unblocked_owner_references(latest)
                if patch is not None:
                    await self._patch(resource, latest, patch)
            log.info("garbage collector: deleting %s (propagationPolicy=%s)", item.identity, decision.policy)
            version = (latest.get("metadata") or {}).get("resourceVersion") or ""
            await self._delete(resource, item, decision.policy, resource_version=version)
        return False

    async def _lookup_owner(self, ref: OwnerRef, item: Node) -> Obj | None:
        """The owner as it is now, or None when it is absent (or another object)."""
        for cached in (ref.identity(""), ref.identity(item.identity.namespace)):
            if cached in self.graph.absent_owners:
                return None
        resource = self._resource(ref.api_version, ref.kind)
        namespace = owner_lookup_namespace(item.identity.namespace, resource.namespaced)
        absent_key = ref.identity(namespace)
        try:
            owner = await self.client.get(resource, ref.name, namespace=namespace or None)
        except NotFoundError:
            owner = None
        if is_dangling(ref, owner):
            self.graph.absent_owners.add(absent_key)
            return None
        return owner

    async def _process_deleting_dependents(self, item: Node, latest: Obj) -> None:
        """An owner waiting for its dependents: free it once none blocks it any more."""
        blocking = item.blocking_dependents()
        if not blocking:
            log.info("garbage collector: removing %s from %s", FOREGROUND_FINALIZER, item.identity)
            await self._remove_finalizer(item, FOREGROUND_FINALIZER, latest)
            return
        for dep in blocking:
            if not dep.deleting_dependents:
                self.deleter.queue.add(dep.uid)

    # attempt to orphan

    async def _attempt_to_orphan(self, uid: str) -> Result | None:
        owner = self.graph.get(uid)
        if owner is None:
            return None
        errors: list[str] = []

        async def orphan(dep: Node) -> None:
            try:
                resource = self._resource(dep.identity.api_version, dep.identity.kind)
                await self._remove_references(resource, None, (owner.uid,), identity=dep.identity)
            except NotFoundError:
                pass
            except (StatusError, ClientError, RestMappingError) as err:
                errors.append(f"orphaning {dep.identity} failed, {err}")

        await asyncio.gather(*(orphan(dep) for dep in list(owner.dependents)))
        if errors:
            raise RuntimeError(
                f"failed to orphan dependents of owner {owner.identity}, got errors: {'; '.join(errors)}"
            )
        await self._remove_finalizer(owner, ORPHAN_FINALIZER, None)
        return None

    # writes

    async def _remove_references(
        self,
        resource: Resource,
        latest: Obj | None,
        uids: tuple[str, ...],
        *,
        identity: ObjectReference | None = None,
    ) -> None:
        """Drop owner references by uid: a strategic merge patch (no read needed), or, for
        resources without one (custom resources), a read and a merge patch guarded by
        resourceVersion."""
        meta = (latest or {}).get("metadata") or {}
        name = meta.get("name") or (identity.name if identity else "")
        namespace = meta.get("namespace") or (identity.namespace if identity else "") or None
        directive = {"metadata": {"ownerReferences": [{"$patch": "delete", "uid": uid} for uid in uids]}}
        try:
            await self.client.patch(
                resource, name, directive, namespace=namespace, patch_type=PatchType.STRATEGIC
            )
            return
        except UnsupportedMediaTypeError:
            pass
        current = latest or await self.client.get(resource, name, namespace=namespace)
        patch = without_owner_references(current, uids)
        if patch is not None:
            await self._patch(resource, current, patch)

    async def _patch(self, resource: Resource, obj: Obj, patch: Obj) -> Obj:
        meta = obj.get("metadata") or {}
        return await self.client.patch(resource, meta["name"], patch, namespace=meta.get("namespace") or None)

    async def _delete(
        self, resource: Resource, item: Node, policy: str, *, resource_version: str = ""
    ) -> None:
        """Delete exactly the object (uid) in the state it was judged in (resourceVersion): a
        conflict means it changed, and is raised so the worker looks at it again."""
        preconditions = {"uid": item.uid, "resourceVersion": resource_version}
        try:
            await self.client.delete(
                resource,
                item.identity.name,
                namespace=item.identity.namespace or None,
                propagation_policy=policy,
                preconditions=preconditions,
            )
        except NotFoundError:
            pass

    async def _remove_finalizer(self, item: Node, finalizer: str, latest: Obj | None) -> None:
        """Remove one finalizer with a read-modify-write guarded by resourceVersion; a
        conflict raises and the worker retries with a fresh read."""
        resource = self._resource(item.identity.api_version, item.identity.kind)
        current = latest if latest is not None else await self._get(item.identity)
        if current is None or (current.get("metadata") or {}).get("uid") != item.uid:
            return
        patch = without_finalizer(current, finalizer)
        if patch is None:
            return
        try:
            await self._patch(resource, current, patch)
        except NotFoundError:
            pass

    # events

    def _report_invalid_namespace(self, node: Node, ref: OwnerRef) -> None:
        ident = node.identity
        involved = {
            "kind": ident.kind,
            "apiVersion": ident.api_version,
            "namespace": ident.namespace,
            "name": ident.name,
            "uid": ident.uid,
        }
        invalid = ref.identity(ident.namespace)
        self.recorder.event(
            {"metadata": {"name": ident.name, "namespace": ident.namespace, "uid": ident.uid}, **involved},
            WARNING,
            "OwnerRefInvalidNamespace",
            f'ownerRef {invalid} does not exist in namespace "{ident.namespace}"',
        )


class _Reconcile:
    """Adapts a coroutine function of a uid to the `Reconciler` protocol."""

    def __init__(self, func: Any) -> None:
        self.func = func

    async def reconcile(self, key: str) -> Result | None:
        result: Result | None = await self.func(key)
        return result


def new_garbage_collector(ctx: ControllerContext) -> GarbageCollector:
    workers = ctx.options.workers_by_controller.get("garbagecollector", DEFAULT_WORKERS)
    return GarbageCollector(ctx, workers=max(1, int(workers)))
