"""The Job controller: runs a Job's pods to completion (kube-controller-manager's
`job-controller`).

One reconcile of `namespace/name`:

1. read the Job from the cache (gone: forget its expectations and backoff; finished or
   managed by another controller via `spec.managedBy`: nothing to do);
2. note whether its pod expectations are satisfied, then take its pods from the cache and
   claim them (adopt matching orphans, with the tracking finalizer; release pods that
   stopped matching);
3. run `JobSync` (`sync.py`): create or delete pods, count finished ones, set conditions,
   write the status, record events;
4. look again when a deadline or a backoff ends (`Result.requeue_after`).

A second queue removes the tracking finalizer from pods nobody will count any more (their
Job is gone or finished, or they were orphaned), as Kubernetes' orphan-pod worker does.

Handlers only enqueue keys and observe expectations: a pod appearing lowers its Job's
expected creations, a pod deleted (or marked for deletion) its expected deletions, a pod
seen without the finalizer (or gone) ends the wait for that finalizer's removal.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import NotFoundError
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.events import EventRecorder
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.informers.store import split_key
from pyk8s.client.resources import JOBS, PODS
from pyk8s.client.rest import Client, PatchType
from pyk8s.controllers.job import conditions as c
from pyk8s.controllers.job.backoff import BackoffStore
from pyk8s.controllers.job.pods import TRACKING_FINALIZER, has_tracking_finalizer, is_deleting
from pyk8s.controllers.job.sync import NORMAL, WARNING, JobSync
from pyk8s.controllers.job.tracking import FinalizerExpectations
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.expectations import ControllerExpectations
from pyk8s.controllers.runtime.handlers import resource_version, unwrap
from pyk8s.controllers.runtime.ownership import (
    ControllerRefManager,
    add_controller_uid_index,
    api_group,
    controlled_by,
    controller_ref,
    is_controlled_by,
)
from pyk8s.controllers.runtime.podcontrol import PodControl
from pyk8s.controllers.runtime.ratelimiter import ItemExponentialFailureRateLimiter
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.job")

Obj = dict[str, Any]

NAME = "job"
COMPONENT = "job-controller"
# Retries of a failed sync: 1 s doubling to 1 minute, as Kubernetes' Job controller.
API_BACKOFF, MAX_API_BACKOFF = 1.0, 60.0
REMOVE_FINALIZER_PATCH = {"metadata": {"$deleteFromPrimitiveList/finalizers": [TRACKING_FINALIZER]}}


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def job_selector(job: Mapping[str, Any]) -> LabelSelector | None:
    """`spec.selector`; None when missing (selects nothing). Raises SelectorError."""
    raw = (job.get("spec") or {}).get("selector")
    return None if raw is None else LabelSelector.from_object(raw)


class ClientJobActions:
    """`JobActions` through the API, with Kubernetes' events on the Job."""

    def __init__(self, client: Client, recorder: EventRecorder) -> None:
        self.client = client
        self.recorder = recorder
        self.pod_control = PodControl(client, recorder)

    async def create_pod(self, job: Obj, pod: Obj) -> Obj:
        try:
            created = await self.client.create(PODS, pod)
        except Exception as err:
            self.recorder.event(
                job, WARNING, "FailedCreate", f"Error creating: {getattr(err, 'message', err)}"
            )
            raise
        self.recorder.event(job, NORMAL, "SuccessfulCreate", f"Created pod: {_meta(created).get('name', '')}")
        return created

    async def delete_pod(self, job: Obj, pod: Obj) -> None:
        meta = _meta(pod)
        await self.pod_control.delete_pod(meta.get("namespace", ""), meta.get("name", ""), job)

    async def remove_tracking_finalizer(self, pod: Obj) -> None:
        meta = _meta(pod)
        await self.client.patch(
            PODS,
            meta.get("name", ""),
            REMOVE_FINALIZER_PATCH,
            namespace=meta.get("namespace"),
            patch_type=PatchType.STRATEGIC,
        )

    async def update_status(self, job: Obj) -> Obj:
        return await self.client.update_status(JOBS, job)

    def event(self, job: Obj, type: str, reason: str, message: str) -> None:
        self.recorder.event(job, type, reason, message)


class JobReconciler:
    """Reconciles Jobs; see the module docstring."""

    def __init__(
        self,
        *,
        client: Client,
        jobs: SharedInformer,
        pods: SharedInformer,
        recorder: EventRecorder,
        queue: WorkQueue[str],
        orphans: WorkQueue[str],
    ) -> None:
        self.client = client
        self.jobs = jobs
        self.pods = pods
        self.recorder = recorder
        self.queue = queue
        self.orphans = orphans
        self.clock = client.clock
        self.actions = ClientJobActions(client, recorder)
        self.expectations = ControllerExpectations(clock=self.clock)
        self.finalizers = FinalizerExpectations()
        self.backoff = BackoffStore()

    async def reconcile(self, key: str) -> Result | None:
        namespace, name = split_key(key)
        shared = self.jobs.lister.get(name, namespace)
        if shared is None:
            self.expectations.delete(key)
            self.finalizers.delete(key)
            self.backoff.remove(key)
            return None
        if c.managed_by_other(shared):
            return None  # another controller (spec.managedBy) runs this Job
        if c.is_finished(shared):
            self.backoff.remove(key)
            return None
        mode = (shared.get("spec") or {}).get("completionMode")
        if mode not in (None, "NonIndexed", "Indexed"):
            self.recorder.event(
                shared,
                WARNING,
                "UnknownCompletionMode",
                "Skipped Job sync because completion mode is unknown",
            )
            return None
        job = copy.deepcopy(shared)
        satisfied = self.expectations.satisfied(key)
        pods = await self.pods_for_job(job)
        sync = JobSync(
            job,
            pods,
            key=key,
            now=self.clock.now(),
            actions=self.actions,
            expectations=self.expectations,
            finalizers=self.finalizers,
            backoff=self.backoff,
            satisfied=satisfied,
        )
        delay = await sync.run()
        return Result(requeue_after=delay) if delay is not None else None

    async def pods_for_job(self, job: Obj) -> list[Obj]:
        """The pods the Job controls after adopting matching orphans and releasing pods that
        no longer match; adopted pods get the tracking finalizer."""
        try:
            selector = job_selector(job)
        except SelectorError as err:
            raise ValueError(f"couldn't convert Job selector: {err}") from err
        candidates = controlled_by(self.pods, job, orphans=True)
        if selector is None:
            return [p for p in candidates if is_controlled_by(p, job)]
        meta = _meta(job)

        async def recheck() -> Obj:
            fresh = await self.client.get(JOBS, meta["name"], namespace=meta["namespace"])
            if _meta(fresh).get("uid") != meta.get("uid"):
                raise NotFoundError(f"original Job {meta['namespace']}/{meta['name']} is gone")
            return fresh

        manager = ControllerRefManager(
            self.client,
            PODS,
            job,
            selector,
            owner_api_version="batch/v1",
            owner_kind="Job",
            recheck_owner=recheck,
        )
        claimed = await manager.claim(candidates)
        adopted = [p for p in claimed if not is_controlled_by(p, job) and not has_tracking_finalizer(p)]
        if not adopted:
            return claimed
        patched = await asyncio.gather(*(self._add_finalizer(p) for p in adopted), return_exceptions=True)
        with_finalizer = {
            id(p): new for p, new in zip(adopted, patched, strict=True) if isinstance(new, dict)
        }
        return [with_finalizer.get(id(p), p) for p in claimed]

    async def _add_finalizer(self, pod: Obj) -> Obj:
        meta = _meta(pod)
        return await self.client.patch(
            PODS,
            meta.get("name", ""),
            {"metadata": {"finalizers": [TRACKING_FINALIZER], "uid": meta.get("uid", "")}},
            namespace=meta.get("namespace"),
            patch_type=PatchType.STRATEGIC,
        )

    # the orphan-pod queue

    async def remove_orphan_finalizer(self, key: str) -> Result | None:
        """Remove the tracking finalizer from a pod no Job will count any more."""
        namespace, name = split_key(key)
        pod = self.pods.lister.get(name, namespace)
        if pod is None or not has_tracking_finalizer(pod):
            return None
        ref = controller_ref(pod)
        if ref is not None:
            if ref.get("kind") != "Job" or ref.get("apiVersion") != "batch/v1":
                return None  # not a Job's pod: not our finalizer to remove
            job = self.resolve_controller_ref(namespace, ref)
            if job is not None and (c.managed_by_other(job) or not c.is_finished(job)):
                return None  # adopted, or another controller's business
        try:
            await self.actions.remove_tracking_finalizer(pod)
        except NotFoundError:
            pass
        return None

    # event handlers: enqueue and observe expectations, nothing else

    def resolve_controller_ref(self, namespace: str, ref: Mapping[str, Any]) -> Obj | None:
        if ref.get("kind") != "Job" or api_group(str(ref.get("apiVersion", ""))) != "batch":
            return None
        job = self.jobs.lister.get(str(ref.get("name", "")), namespace)
        if job is None or _meta(job).get("uid") != ref.get("uid"):
            return None
        return job

    def matching_jobs(self, pod: Obj) -> list[Obj]:
        """Jobs in the pod's namespace whose selector matches it (to adopt an orphan)."""
        labels = _meta(pod).get("labels") or {}
        found = []
        for job in self.jobs.lister.list(namespace=_meta(pod).get("namespace", "")):
            try:
                selector = job_selector(job)
            except SelectorError:
                continue
            if selector is not None and not selector.empty and selector.matches(labels):
                found.append(job)
        if len(found) > 1:
            log.warning("more than one Job selects pod %s with labels %s", object_key(pod), labels)
        return found

    def job_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda obj, _initial: self.queue.add(object_key(obj)),
            update=self._job_updated,
            delete=self._job_deleted,
        )

    def pod_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda obj, _initial: self._pod_added(obj),
            update=self._pod_updated,
            delete=lambda obj: self._pod_deleted(unwrap(obj), final=True),
        )

    def _job_updated(self, old: Obj, new: Obj) -> None:
        self.queue.add(object_key(new))
        if c.is_finished(new):
            # Normally the Job finishes only once its finalizers are gone; this is a backstop.
            self._release_pods_of(new)

    def _job_deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self.queue.add(object_key(obj))
        self._release_pods_of(unwrap(obj))

    def _release_pods_of(self, job: Obj) -> None:
        for pod in controlled_by(self.pods, job):
            if has_tracking_finalizer(pod):
                self.orphans.add(object_key(pod))

    def _pod_added(self, pod: Obj) -> None:
        if is_deleting(pod):
            # Seen for the first time already terminating (a restart): not a creation.
            self._pod_deleted(pod, final=False)
            return
        ref = controller_ref(pod)
        if ref is not None:
            job = self.resolve_controller_ref(_meta(pod).get("namespace", ""), ref)
            if job is not None:
                key = object_key(job)
                self.expectations.creation_observed(key)
                self.queue.add(key)
            return
        if has_tracking_finalizer(pod):
            self.orphans.add(object_key(pod))
        for job in self.matching_jobs(pod):
            self.queue.add(object_key(job))

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        if resource_version(old) == resource_version(new):
            return  # a resync: nothing changed
        if is_deleting(new):
            # Graceful deletion: count it as deleted now, so a replacement may start at once.
            self._pod_deleted(new, final=False)
            return
        namespace, uid = _meta(new).get("namespace", ""), str(_meta(new).get("uid", ""))
        finalizer_removed = not has_tracking_finalizer(new)
        new_ref, old_ref = controller_ref(new), controller_ref(old)
        if new_ref != old_ref and old_ref is not None:
            previous = self.resolve_controller_ref(namespace, old_ref)
            if previous is not None:
                if finalizer_removed:
                    self.finalizers.observed(object_key(previous), uid)
                self.queue.add(object_key(previous))
        if new_ref is not None:
            job = self.resolve_controller_ref(namespace, new_ref)
            if job is None:
                return
            key = object_key(job)
            if finalizer_removed:
                self.finalizers.observed(key, uid)
            self.queue.add(key)
            return
        if has_tracking_finalizer(new):
            self.orphans.add(object_key(new))
        if _meta(old).get("labels") != _meta(new).get("labels") or new_ref != old_ref:
            for job in self.matching_jobs(new):
                self.queue.add(object_key(job))

    def _pod_deleted(self, pod: Obj, *, final: bool) -> None:
        ref = controller_ref(pod)
        has_finalizer = has_tracking_finalizer(pod)
        if ref is None:
            if has_finalizer:  # the garbage collector may have removed the Job's reference
                self.orphans.add(object_key(pod))
            return
        job = self.resolve_controller_ref(_meta(pod).get("namespace", ""), ref)
        if job is None or c.is_finished(job):
            if has_finalizer:  # no sync will remove this finalizer
                self.orphans.add(object_key(pod))
            return
        key = object_key(job)
        self.expectations.deletion_observed(key)
        if final or not has_finalizer:
            self.finalizers.observed(key, str(_meta(pod).get("uid", "")))
        self.queue.add(key)


class _OrphanPods:
    """The orphan-pod queue's reconciler."""

    def __init__(self, reconciler: JobReconciler) -> None:
        self.reconciler = reconciler

    async def reconcile(self, key: str) -> Result | None:
        return await self.reconciler.remove_orphan_finalizer(key)


class JobController:
    """The Job controller and its orphan-pod worker, run together."""

    def __init__(self, jobs: Controller, orphans: Controller, reconciler: JobReconciler) -> None:
        self.name = NAME
        self.jobs = jobs
        self.orphans = orphans
        self.reconciler = reconciler

    async def run(self) -> None:
        await asyncio.gather(self.jobs.run(), self.orphans.run())

    def is_idle(self) -> bool:
        return self.jobs.is_idle() and self.orphans.is_idle()

    def metrics(self) -> dict[str, Any]:
        return {"jobs": self.jobs.metrics(), "orphan_pods": self.orphans.metrics()}


def new_controller(ctx: ControllerContext) -> JobController:
    """The Job controller, wired to the context's informers."""
    jobs = ctx.informers.informer(JOBS)
    pods = ctx.informers.informer(PODS)
    add_controller_uid_index(pods)
    queue: WorkQueue[str] = WorkQueue(
        name=NAME,
        clock=ctx.clock,
        rate_limiter=ItemExponentialFailureRateLimiter(API_BACKOFF, MAX_API_BACKOFF),
    )
    orphan_queue: WorkQueue[str] = WorkQueue(
        name=f"{NAME}-orphan-pod",
        clock=ctx.clock,
        rate_limiter=ItemExponentialFailureRateLimiter(API_BACKOFF, MAX_API_BACKOFF),
    )
    reconciler = JobReconciler(
        client=ctx.client,
        jobs=jobs,
        pods=pods,
        recorder=ctx.recorder(COMPONENT),
        queue=queue,
        orphans=orphan_queue,
    )
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock, queue=queue)
    controller.watch(jobs, reconciler.job_handler())
    controller.watch(pods, reconciler.pod_handler())
    orphans = Controller(f"{NAME}-orphan-pod", _OrphanPods(reconciler), clock=ctx.clock, queue=orphan_queue)
    orphans.wait_for(jobs, pods)
    return JobController(controller, orphans, reconciler)
