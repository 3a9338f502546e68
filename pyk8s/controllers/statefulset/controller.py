"""The StatefulSet controller: pods with stable names and storage, created, updated and
removed in order (kube-controller-manager's `StatefulSetController`).

One reconcile of `namespace/name`:

1. read the StatefulSet from the cache (gone: done); adopt orphaned ControllerRevisions
   matching its selector, and claim its pods (members by name and selector);
2. find the update revision (the one recording the current template: reused if it is the
   newest, renumbered if it is older — a rollback —, created otherwise) and the current
   revision (`status.currentRevision`, else the update revision);
3. `plan.plan` decides the actions; they run phase by phase, one at a time for
   OrderedReady (stopping at the first error), concurrently in slow-start batches for
   Parallel; claims are created before their pod, with the owner references the
   retention policy asks for;
4. write the status if it changed, prune revisions beyond `revisionHistoryLimit` that no
   pod or status names; with minReadySeconds, look again once pods should be available.

Events, on the StatefulSet, as Kubernetes words them: `SuccessfulCreate` "create Pod web-0
in StatefulSet web successful", "create Claim www-web-0 Pod web-0 in StatefulSet web
success", `SuccessfulDelete`, `SuccessfulUpdate`, and `Failed*` Warnings with the error.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.events import EventRecorder
from pyk8s.client.informers import SharedInformer
from pyk8s.client.informers.store import split_key
from pyk8s.client.resources import CONTROLLERREVISIONS, PERSISTENTVOLUMECLAIMS, PODS, STATEFULSETS
from pyk8s.client.rest import Client
from pyk8s.controllers.history import (
    apply_revision,
    equal_revision,
    find_equal_revisions,
    new_revision,
    next_revision,
    revisions_to_prune,
    sort_revisions,
)
from pyk8s.controllers.history.store import ControllerHistory
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.ownership import (
    ControllerRefManager,
    add_controller_uid_index,
    controlled_by,
    controller_ref,
    is_being_deleted,
    is_controlled_by,
)
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue
from pyk8s.controllers.statefulset import identity as ident
from pyk8s.controllers.statefulset.handlers import StatefulSetHandlers
from pyk8s.controllers.statefulset.plan import Action, Plan, plan, status_changed
from pyk8s.controllers.statefulset.podcontrol import StatefulPodControl

log = logging.getLogger("pyk8s.controllers.statefulset")

Obj = dict[str, Any]

NAME = "statefulset"
COMPONENT = "statefulset-controller"
API_VERSION, KIND = ident.SET_API_VERSION, ident.SET_KIND
MAX_BATCH = 500  # requests in flight at once in Parallel mode


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


class StatefulSetReconciler:
    """See the module docstring."""

    def __init__(
        self,
        *,
        client: Client,
        sets: SharedInformer,
        pods: SharedInformer,
        claims: SharedInformer,
        revisions: SharedInformer,
        recorder: EventRecorder,
        queue: WorkQueue[str],
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.sets = sets
        self.pods = pods
        self.history = ControllerHistory(client, revisions)
        self.pod_control = StatefulPodControl(client, claims, recorder)
        self.handlers = StatefulSetHandlers(queue, sets)

    # reconcile

    async def reconcile(self, key: str) -> Result | None:
        namespace, name = split_key(key)
        sts = self.sets.lister.get(name, namespace)
        if sts is None:
            return None
        try:
            selector = LabelSelector.from_object((sts.get("spec") or {}).get("selector"))
        except SelectorError as err:
            log.error("statefulset %s has an invalid selector: %s", key, err)
            return None  # not retried: only a new spec can fix it
        sts = copy.deepcopy(sts)
        await self.adopt_orphan_revisions(sts, selector)
        pods = await self.claim_pods(sts, selector)
        status = await self.update_statefulset(sts, selector, pods)
        min_ready = int((sts.get("spec") or {}).get("minReadySeconds") or 0)
        if min_ready > 0 and status.get("availableReplicas") != ident.replicas_of(sts):
            return Result(requeue_after=float(min_ready))
        return None

    async def adopt_orphan_revisions(self, sts: Obj, selector: LabelSelector) -> None:
        for revision in self.history.list(sts, selector):
            if controller_ref(revision) is None:
                try:
                    await self.history.adopt(sts, revision, api_version=API_VERSION, kind=KIND)
                except NotFoundError:
                    pass

    async def claim_pods(self, sts: Obj, selector: LabelSelector) -> list[Obj]:
        """Members (by name) matching the selector, after adopting and releasing."""

        async def recheck() -> Obj:
            return await self.client.get(STATEFULSETS, _meta(sts)["name"], namespace=_meta(sts)["namespace"])

        manager = ControllerRefManager(
            self.client,
            PODS,
            sts,
            selector,
            owner_api_version=API_VERSION,
            owner_kind=KIND,
            recheck_owner=recheck,
        )
        candidates = controlled_by(self.pods, sts, orphans=True)
        members = [p for p in candidates if ident.is_member_of(sts, p)]
        if not is_being_deleted(sts):
            for stray in (
                p for p in candidates if not ident.is_member_of(sts, p) and is_controlled_by(p, sts)
            ):
                await manager.release(stray)  # controlled, but its name is not a member's
        return await manager.claim(members)

    async def update_statefulset(self, sts: Obj, selector: LabelSelector, pods: list[Obj]) -> Obj:
        """Decide, act, write the status and prune history; returns the status written."""
        revisions = sort_revisions(self.history.list(sts, selector))
        current, update, collision_count = await self.revisions_of(sts, revisions)
        decided = plan(
            sts,
            pods,
            current_set=apply_revision(sts, current),
            update_set=apply_revision(sts, update),
            current_revision=_meta(current)["name"],
            update_revision=_meta(update)["name"],
            collision_count=collision_count,
            claims=self.pod_control.claim_lookup(_meta(sts).get("namespace", "")),
            now=self.clock.now(),
        )
        error: Exception | None = None
        try:
            await self.execute(sts, decided)
        except Exception as err:
            error = err
        try:
            await self.store_status(sts, decided.status)
        finally:
            await self.truncate_history(sts, pods, revisions, current, update)
        if error is not None:
            raise error
        return decided.status

    async def revisions_of(self, sts: Obj, revisions: list[Obj]) -> tuple[Obj, Obj, int]:
        """(current revision, update revision, collision count) (getStatefulSetRevisions)."""
        collision_count = int((sts.get("status") or {}).get("collisionCount") or 0)
        wanted = new_revision(
            sts,
            api_version=API_VERSION,
            kind=KIND,
            revision=next_revision(revisions),
            collision_count=collision_count,
        )
        equal = find_equal_revisions(revisions, wanted)
        if equal and equal_revision(revisions[-1], equal[-1]):
            update = revisions[-1]  # the template has not changed
        elif equal:
            # Back to an earlier template: that revision becomes the newest again.
            update = await self.history.update_revision(equal[-1], int(wanted["revision"]))
        else:
            update, collision_count = await self.history.create(sts, wanted, collision_count)
        current_name = (sts.get("status") or {}).get("currentRevision")
        current = next((r for r in revisions if _meta(r).get("name") == current_name), update)
        return current, update, collision_count

    # carrying out the plan

    async def execute(self, sts: Obj, decided: Plan) -> None:
        """Run the plan's phases in order; OrderedReady one action at a time, Parallel in
        slow-start batches. The first failure stops everything after it."""
        for phase in decided.phases:
            if decided.monotonic:
                for action in phase:
                    await self.pod_control.act(sts, action)
            else:
                await _slow_start(phase, lambda a: self.pod_control.act(sts, a))

    # status and history

    async def store_status(self, sts: Obj, status: Mapping[str, Any]) -> None:
        """Write `status` unless the set already says it; on a conflict, once more on a
        fresh read."""
        if not status_changed(sts, status):
            return
        current = sts
        for attempt in range(2):
            updated = copy.deepcopy(current)
            updated["status"] = dict(status)
            try:
                written = await self.client.update_status(STATEFULSETS, updated)
            except ConflictError:
                if attempt:
                    raise
                meta = _meta(sts)
                current = await self.client.get(STATEFULSETS, meta["name"], namespace=meta["namespace"])
                continue
            sts.clear()
            sts.update(written)
            return

    async def truncate_history(
        self, sts: Obj, pods: Sequence[Obj], revisions: list[Obj], current: Obj, update: Obj
    ) -> None:
        live = {_meta(current).get("name"), _meta(update).get("name")}
        live.update(ident.pod_revision(p) for p in pods)
        limit = (sts.get("spec") or {}).get("revisionHistoryLimit")
        for revision in revisions_to_prune(revisions, live=live, limit=limit):
            await self.history.delete(revision)


async def _slow_start(actions: Sequence[Action], act: Callable[[Action], Awaitable[None]]) -> None:
    """Run `actions` concurrently in batches of 1, 2, 4, ... (at most MAX_BATCH); stop after
    the first batch with a failure and raise it."""
    done, size = 0, 1
    while done < len(actions):
        batch = actions[done : done + size]
        done += len(batch)
        results = await asyncio.gather(*(act(a) for a in batch), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result
        failures = [r for r in results if isinstance(r, Exception)]
        if failures:
            raise failures[0]
        size = min(size * 2, MAX_BATCH)


def new_controller(ctx: ControllerContext) -> Controller:
    """The StatefulSet controller, wired to the context's shared informers."""
    sets = ctx.informers.informer(STATEFULSETS)
    pods = ctx.informers.informer(PODS)
    claims = ctx.informers.informer(PERSISTENTVOLUMECLAIMS)
    revisions = ctx.informers.informer(CONTROLLERREVISIONS)
    add_controller_uid_index(pods)
    queue: WorkQueue[str] = WorkQueue(name=NAME, clock=ctx.clock)
    reconciler = StatefulSetReconciler(
        client=ctx.client,
        sets=sets,
        pods=pods,
        claims=claims,
        revisions=revisions,
        recorder=ctx.recorder(COMPONENT),
        queue=queue,
    )
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock, queue=queue)
    controller.watch(sets, reconciler.handlers.set_handler())
    controller.watch(pods, reconciler.handlers.pod_handler())
    controller.wait_for(claims, revisions)
    return controller
