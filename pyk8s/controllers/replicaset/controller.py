"""The ReplicaSet (and ReplicationController) controller: keeps `spec.replicas` pods running.

One reconcile of `namespace/name`:

1. read the ReplicaSet from the cache (gone: forget its expectations, done);
2. take its pods from the cache (the facts of the pods it controls, kept by controller UID
   in `PodFactsCache`, plus the namespace's orphans) and claim them: adopt matching orphans,
   release controlled pods that stopped matching;
3. if its expectations are satisfied (the cache shows every create and delete it sent) and
   it is not being deleted: create the missing pods in slow-start batches, or delete the
   surplus, best candidates first — recording what it expects to observe; the counts are
   written first (they are those of the pods found in step 2 either way);
4. write the status (counts, observedGeneration, ReplicaFailure) if it changed;
5. a create/delete failure raises (a backoff retry); a ReplicaSet with minReadySeconds
   whose ready pods are not all available yet is looked at again after minReadySeconds.

Handlers only enqueue ReplicaSet keys and observe expectations: a pod appearing lowers
its owner's expected creations, a pod deleted (or marked for deletion) its expected
deletions; an orphan wakes every ReplicaSet whose selector matches it.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError, StatusError
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.events import EventRecorder
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.informers.mutation import MutationCache
from pyk8s.client.informers.store import NAMESPACE_INDEX, split_key
from pyk8s.client.resources import PODS
from pyk8s.client.rest import Client
from pyk8s.controllers.replicaset import logic
from pyk8s.controllers.replicaset.flavor import Flavor
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.expectations import UIDTrackingControllerExpectations
from pyk8s.controllers.runtime.handlers import resource_version, unwrap
from pyk8s.controllers.runtime.ownership import (
    CONTROLLER_UID_INDEX,
    ORPHAN_PREFIX,
    ControllerRefManager,
    add_controller_uid_index,
    controlled_by,
    controller_ref,
    is_being_deleted,
    new_controller_ref,
)
from pyk8s.controllers.runtime.podcontrol import PodControl
from pyk8s.controllers.runtime.podfacts import PodFacts, PodFactsCache
from pyk8s.controllers.runtime.pods import is_pod_ready, rank_pods_for_deletion
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.replicaset")

Obj = dict[str, Any]
NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def _labels(obj: Mapping[str, Any]) -> Mapping[str, str]:
    return _meta(obj).get("labels") or {}


def _namespace_terminating(err: BaseException) -> bool:
    """A create refused because the namespace is being deleted: nothing to retry."""
    if not isinstance(err, StatusError) or err.code != 403:
        return False
    causes = err.details.get("causes") or []
    if any(c.get("type") == NAMESPACE_TERMINATING_CAUSE for c in causes if isinstance(c, dict)):
        return True
    return "because it is being terminated" in err.message


class ReplicaSetReconciler:
    """Reconciles one flavor (ReplicaSet or ReplicationController); see the module docstring."""

    def __init__(
        self,
        flavor: Flavor,
        *,
        client: Client,
        owners: SharedInformer,
        pods: SharedInformer,
        recorder: EventRecorder,
        expectations: UIDTrackingControllerExpectations,
        burst_replicas: int,
        queue: WorkQueue[str],
    ) -> None:
        self.flavor = flavor
        self.client = client
        self.owners = owners
        self.pods = pods
        self.recorder = recorder
        self.expectations = expectations
        self.burst_replicas = burst_replicas
        self.pod_control = PodControl(client, recorder)
        self.clock = client.clock
        self.queue = queue
        self._selectors: dict[str, tuple[Any, LabelSelector]] = {}
        self.pod_facts = PodFactsCache(pods)
        # Status writes (ours) and scale writes (the Deployment controller's) not yet back
        # through the watch: starting from them spares a conflict and a re-read.
        self.writes = MutationCache.for_informer(owners)

    # reconcile

    async def reconcile(self, key: str) -> Result | None:
        """One pass over the ReplicaSet `key` (see the module docstring)."""
        namespace, name = split_key(key)
        rs = self.writes.latest(self.owners.lister.get(name, namespace))
        if rs is None:
            self.expectations.delete(key)
            return None
        needs_sync = self.expectations.satisfied(key)
        try:
            selector = self.selector(rs)
        except SelectorError as err:
            log.error("%s %s has an invalid selector: %s", self.flavor.kind, key, err)
            return None
        owned, to_claim, terminating = self._candidates(rs, selector)
        adopted = await self._claim(rs, selector, to_claim) if to_claim else []
        active = owned + [self.pod_facts.facts(p) for p in adopted]
        now = self.clock.now()
        counts = self._count(rs, active, now)  # the pods found at the start of the pass, as Kubernetes counts
        terminating_count = terminating if self.flavor.counts_terminating else None
        manage_error: Exception | None = None
        if needs_sync and not is_being_deleted(rs):
            if logic.replica_diff(len(active), rs, self.burst_replicas):
                # Creating or deleting pods takes a while (slow-start batches wait for each
                # other); the status (the same counts Kubernetes writes after them) goes first,
                # so the Deployment controller reads today's availability meanwhile. Failure
                # conditions wait for the outcome. Only a head start: a failed write (it is made
                # again below) must not hold up the pods.
                observed = logic.status_from_counts(
                    rs, counts, terminating_count, manage_error=None, now=now, keep_conditions=True
                )
                try:
                    rs = await self._update_status(rs, observed)
                except StatusError as err:
                    log.debug("early status of %s %s not written: %s", self.flavor.kind, key, err)
            try:
                await self.manage_replicas(key, rs, owned, adopted)
            except Exception as err:
                manage_error = err
        status = logic.status_from_counts(
            rs, counts, terminating_count, manage_error=_message(manage_error), now=self.clock.now()
        )
        updated = await self._update_status(rs, status)
        if manage_error is not None:
            raise manage_error
        return self._availability_check(updated)

    def _candidates(self, rs: Obj, selector: LabelSelector) -> tuple[list[PodFacts], list[Obj], int]:
        """From the cache: the active pods `rs` controls that match its selector (kept as
        they are), the active pods that need a claim (its non-matching ones, to release,
        and the namespace's orphans, to adopt if they match), and how many of its matching
        pods are terminating."""
        self.pod_facts.prune()
        facts = self.pod_facts.facts
        indexer = self.pods.indexer
        meta = _meta(rs)
        owned: list[PodFacts] = []
        to_claim: list[Obj] = []
        terminating = 0
        for f in self.pod_facts.owned_by(str(meta.get("uid") or "")):
            if f.active:
                if f.matches(selector):
                    owned.append(f)
                else:
                    to_claim.append(f.pod)
            elif f.terminating and f.matches(selector):
                terminating += 1
        orphans = indexer.by_index_unordered(
            CONTROLLER_UID_INDEX, ORPHAN_PREFIX + str(meta.get("namespace") or "")
        )
        if orphans:
            # Claimed in key order, as the sorted index gave them before.
            to_claim.extend(sorted((p for p in orphans if facts(p).active), key=object_key))
        return owned, to_claim, terminating

    def _count(self, rs: Obj, active: list[PodFacts], now: float) -> logic.PodCounts:
        """`logic.count_pods` over pod facts."""
        template_labels = self.pod_facts.labels_key(logic.template_labels(rs))
        min_ready = logic.min_ready_seconds(rs)
        fully_labeled = ready = available = 0
        for f in active:
            if f.fully_labeled(template_labels):
                fully_labeled += 1
            if f.ready:
                ready += 1
                if f.available(min_ready, now):
                    available += 1
        return logic.PodCounts(len(active), fully_labeled, ready, available)

    def _availability_check(self, rs: Obj) -> Result | None:
        """Look again after minReadySeconds while ready pods are not yet available."""
        min_ready = logic.min_ready_seconds(rs)
        status, desired = rs.get("status") or {}, logic.desired_replicas(rs)
        if (
            min_ready > 0
            and status.get("readyReplicas", 0) == desired
            and status.get("availableReplicas", 0) != desired
        ):
            return Result(requeue_after=float(min_ready))
        return None

    async def _claim(self, rs: Obj, selector: LabelSelector, pods: list[Obj]) -> list[Obj]:
        async def recheck() -> Obj:
            meta = _meta(rs)
            return await self.client.get(self.flavor.resource, meta["name"], namespace=meta["namespace"])

        manager = ControllerRefManager(
            self.client,
            PODS,
            rs,
            selector,
            owner_api_version=self.flavor.api_version,
            owner_kind=self.flavor.kind,
            recheck_owner=recheck,
        )
        return await manager.claim(pods)

    async def manage_replicas(
        self, key: str, rs: Obj, owned: list[PodFacts], adopted: list[Obj] | None = None
    ) -> None:
        """Create or delete pods towards spec.replicas (at most burst_replicas this pass);
        `owned` are the active pods it controls, `adopted` those it adopted this pass."""
        adopted = adopted or []
        diff = logic.replica_diff(len(owned) + len(adopted), rs, self.burst_replicas)
        if diff > 0:
            await self._create_pods(key, rs, diff)
        elif diff < 0:
            # Key order (controlled first, then adopted) decides between pods that rank equal.
            active = sorted((f.pod for f in owned), key=object_key) + adopted
            await self._delete_pods(key, rs, active, -diff)

    async def _create_pods(self, key: str, rs: Obj, count: int) -> None:
        self.expectations.expect_creations(key, count)
        log.info("%s %s: too few replicas, creating %d", self.flavor.kind, key, count)
        template = (rs.get("spec") or {}).get("template") or {}
        ref = new_controller_ref(rs, api_version=self.flavor.api_version, kind=self.flavor.kind)
        created, error = 0, None
        for batch in logic.slow_start_batches(count):
            results = await asyncio.gather(
                *(self.pod_control.create_pod(template, rs, ref) for _ in range(batch)),
                return_exceptions=True,
            )
            failures = [r for r in results if isinstance(r, BaseException)]
            for failure in failures:
                if not isinstance(failure, Exception):
                    raise failure  # cancelled
            real = [f for f in failures if not _namespace_terminating(f)]
            created += batch - len(real)
            if real:
                error = real[0]
                break
        skipped = count - created
        for _ in range(skipped):  # never sent, or failed: the informer will not see them
            self.expectations.creation_observed(key)
        if error is not None:
            raise error

    async def _delete_pods(self, key: str, rs: Obj, active: list[Obj], count: int) -> None:
        victims = self._pods_to_delete(rs, active, count)
        victim_keys = [object_key(p) for p in victims]
        self.expectations.expect_deletions(key, victim_keys)
        log.info("%s %s: too many replicas, deleting %d", self.flavor.kind, key, count)
        namespace = _meta(rs).get("namespace", "")

        async def delete(pod_key: str) -> Exception | None:
            try:
                await self.pod_control.delete_pod(namespace, split_key(pod_key)[1], rs)
            except Exception as err:
                self.expectations.deletion_observed(key, pod_key)
                return None if isinstance(err, NotFoundError) else err
            return None

        errors = [e for e in await asyncio.gather(*(delete(k) for k in victim_keys)) if e is not None]
        if errors:
            raise errors[0]

    def _pods_to_delete(self, rs: Obj, active: list[Obj], count: int) -> list[Obj]:
        """`logic.pods_to_delete(active, related pods, count)` over pod facts."""
        if count >= len(active):
            return list(active)
        on_node: dict[str, int] = {}
        for f in self._related_pods(rs):
            if f.active:
                on_node[f.node_name] = on_node.get(f.node_name, 0) + 1
        ranked = []
        for pod in active:
            f = self.pod_facts.facts(pod)
            ranked.append(f.deletion(on_node.get(f.node_name, 0)))
        return rank_pods_for_deletion(active, now=self.clock.now(), limit=count, facts=ranked)

    def _related_pods(self, rs: Obj) -> list[PodFacts]:
        """Pods of every ReplicaSet controlled by the same owner (a Deployment's old and new):
        those matching any of their selectors."""
        ref = controller_ref(rs)
        facts = self.pod_facts.facts
        if ref is None:
            return [facts(p) for p in controlled_by(self.pods, rs)]
        selectors: dict[str, list[LabelSelector]] = {}
        for sibling in self.owners.indexer.by_index(CONTROLLER_UID_INDEX, str(ref.get("uid", ""))):
            try:
                selector = self.selector(sibling)
            except SelectorError:
                continue
            selectors.setdefault(_meta(sibling).get("namespace", ""), []).append(selector)
        related: list[PodFacts] = []
        for namespace, wanted in selectors.items():
            # One canonical tuple per set of selectors: each pod remembers its answer, so the
            # next scale-down walks the namespace's pods without matching them again.
            key = self.pod_facts.selectors_key(wanted)
            for pod in self.pods.indexer.by_index_unordered(NAMESPACE_INDEX, namespace):
                f = facts(pod)
                if f.matches_any(key):
                    related.append(f)
        return related

    async def _update_status(self, rs: Obj, status: Obj) -> Obj:
        """Write the status if it changed; on a conflict, once more on a fresh read."""
        if not logic.status_changed(rs, status):
            return rs
        current = rs
        for attempt in range(2):
            updated = {**current, "status": status}  # only serialized: no deep copy needed
            try:
                written = await self.client.update_status(self.flavor.resource, updated)
            except ConflictError:
                if attempt:
                    raise
            else:
                self.writes.record(current, written)
                return written
            meta = _meta(rs)
            current = await self.client.get(self.flavor.resource, meta["name"], namespace=meta["namespace"])
        return current  # not reached

    # selectors, parsed once per object version

    def selector(self, rs: Mapping[str, Any]) -> LabelSelector:
        """The parsed selector of `rs`, cached by UID while the selector is unchanged."""
        meta = _meta(rs)
        uid, raw = str(meta.get("uid", "")), (rs.get("spec") or {}).get("selector")
        cached = self._selectors.get(uid)
        if cached is not None and cached[0] == raw:
            return cached[1]
        selector = self.flavor.selector(rs)
        self._selectors[uid] = (copy.deepcopy(raw), selector)
        return selector

    # event handlers: enqueue and observe expectations, nothing else

    def owner_handler(self) -> EventHandlerFuncs:
        """Handler for the ReplicaSet (or RC) informer."""
        return EventHandlerFuncs(
            add=lambda obj, _initial: self.queue.add(object_key(obj)),
            update=self._owner_updated,
            delete=self._owner_deleted,
        )

    def pod_handler(self) -> EventHandlerFuncs:
        """Handler for the pod informer: wakes owners and observes expectations."""
        return EventHandlerFuncs(
            add=lambda obj, _initial: self._pod_added(obj), update=self._pod_updated, delete=self._pod_deleted
        )

    def _owner_updated(self, old: Obj, new: Obj) -> None:
        if _meta(old).get("uid") != _meta(new).get("uid"):
            self._owner_deleted(DeletedFinalStateUnknown(object_key(old), old))
        self.queue.add(object_key(new))

    def _owner_deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        key = object_key(obj)
        self.expectations.delete(key)
        self._selectors.pop(str(_meta(unwrap(obj)).get("uid", "")), None)
        self.queue.add(key)

    def resolve_controller_ref(self, namespace: str, ref: Mapping[str, Any]) -> Obj | None:
        """The owner `ref` names, if it is ours and still the same object (by UID)."""
        if ref.get("kind") != self.flavor.kind:
            return None
        owner = self.owners.lister.get(ref.get("name", ""), namespace)
        if owner is None or _meta(owner).get("uid") != ref.get("uid"):
            return None
        return owner

    def _matching_owners(self, pod: Obj) -> list[Obj]:
        """Every owner in the pod's namespace whose selector matches it (for orphans)."""
        matching = []
        for owner in self.owners.lister.list(namespace=_meta(pod).get("namespace", "")):
            try:
                if self.selector(owner).matches(_labels(pod)):
                    matching.append(owner)
            except SelectorError:
                continue
        if len(matching) > 1:
            log.warning(
                "more than one %s selects pod %s with labels %s",
                self.flavor.kind,
                object_key(pod),
                _labels(pod),
            )
        return matching

    def _pod_added(self, pod: Obj) -> None:
        if is_being_deleted(pod):
            # Seen for the first time already terminating (a restart): not a creation.
            self._pod_deleted(pod)
            return
        ref = controller_ref(pod)
        if ref is not None:
            owner = self.resolve_controller_ref(_meta(pod).get("namespace", ""), ref)
            if owner is not None:
                key = object_key(owner)
                self.expectations.creation_observed(key)
                self.queue.add(key)
            return
        for owner in self._matching_owners(pod):
            self.queue.add(object_key(owner))

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        if resource_version(old) == resource_version(new):
            return  # a resync: nothing changed
        label_changed = _labels(old) != _labels(new)
        if is_being_deleted(new):
            # Graceful deletion: count it as deleted now, so a replacement starts at once.
            self._pod_deleted(new)
            if label_changed:
                self._pod_deleted(old)
            return
        namespace = _meta(new).get("namespace", "")
        new_ref, old_ref = controller_ref(new), controller_ref(old)
        if new_ref != old_ref and old_ref is not None:
            previous = self.resolve_controller_ref(namespace, old_ref)
            if previous is not None:
                self.queue.add(object_key(previous))
        if new_ref is not None:
            owner = self.resolve_controller_ref(namespace, new_ref)
            if owner is None:
                return
            key = object_key(owner)
            self.queue.add(key)
            min_ready = logic.min_ready_seconds(owner)
            if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(new):
                # Available only minReadySeconds later; one second more absorbs clock skew.
                self.queue.add_after(key, min_ready + 1.0)
            return
        if label_changed or new_ref != old_ref:
            for owner in self._matching_owners(new):
                self.queue.add(object_key(owner))

    def _pod_deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        pod = unwrap(obj)
        ref = controller_ref(pod)
        if ref is None:
            return  # nobody waits for an orphan to go
        owner = self.resolve_controller_ref(_meta(pod).get("namespace", ""), ref)
        if owner is None:
            return
        key = object_key(owner)
        self.expectations.deletion_observed(key, object_key(pod))
        self.queue.add(key)


def _message(err: Exception | None) -> str | None:
    if err is None:
        return None
    if isinstance(err, StatusError):
        return err.message
    return str(err) or type(err).__name__


def new_controller(flavor: Flavor, ctx: ControllerContext) -> Controller:
    """The controller for `flavor`, wired to the context's informers."""
    owners = ctx.informers.informer(flavor.resource)
    pods = ctx.informers.informer(PODS)
    add_controller_uid_index(owners)
    add_controller_uid_index(pods)
    queue: WorkQueue[str] = WorkQueue(name=flavor.name, clock=ctx.clock)
    reconciler = ReplicaSetReconciler(
        flavor,
        client=ctx.client,
        owners=owners,
        pods=pods,
        recorder=ctx.recorder(flavor.component),
        expectations=UIDTrackingControllerExpectations(clock=ctx.clock),
        burst_replicas=ctx.options.burst_replicas,
        queue=queue,
    )
    controller = Controller(
        flavor.name, reconciler, workers=ctx.workers(flavor.name), clock=ctx.clock, queue=queue
    )
    controller.watch(owners, reconciler.owner_handler())
    controller.watch(pods, reconciler.pod_handler())
    return controller
