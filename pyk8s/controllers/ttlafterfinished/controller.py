"""The TTL-after-finished controller: deletes finished Jobs once `ttlSecondsAfterFinished` has
passed (kube-controller-manager's `ttl-after-finished-controller`).

A Job is due when it is finished (Complete or Failed condition True) and not being deleted,
`ttlSecondsAfterFinished` after the finishing condition's lastTransitionTime. One reconcile:

1. read the Job from the cache; not due yet: look again when it will be;
2. due: read it again from the API server (the TTL may just have been changed, the cache
   may lag) and check again;
3. delete it with foreground propagation (its pods go first) and its UID as a
   precondition, so that a re-created Job of the same name is never deleted.

Times come from the context's clock, so tests expire Jobs with a fake clock.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.errors import ConflictError, NotFoundError
from pyk8s.api.meta import parse_time
from pyk8s.client.informers import EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.informers.store import split_key
from pyk8s.client.resources import JOBS
from pyk8s.client.rest import Client
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.ttlafterfinished")

Obj = dict[str, Any]

NAME = "ttl-after-finished"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def finish_time(job: Mapping[str, Any]) -> float | None:
    """When the Job finished: the lastTransitionTime of its Complete or Failed condition."""
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("type") in ("Complete", "Failed") and condition.get("status") == "True":
            stamp = condition.get("lastTransitionTime")
            return parse_time(stamp) if stamp else None
    return None


def is_finished(job: Mapping[str, Any]) -> bool:
    return any(
        c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
        for c in (job.get("status") or {}).get("conditions") or []
    )


def needs_cleanup(job: Mapping[str, Any]) -> bool:
    """The Job has a TTL, is finished and is not already being deleted."""
    ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
    return ttl is not None and is_finished(job) and not _meta(job).get("deletionTimestamp")


def time_left(job: Mapping[str, Any], now: float) -> float | None:
    """Seconds until the Job expires (<= 0: expired); None if it does not need cleanup or
    its finish time is unknown."""
    if not needs_cleanup(job):
        return None
    finished = finish_time(job)
    if finished is None:
        log.warning("job %s is finished but has no finish time", object_key(dict(job)))
        return None
    if finished > now:
        log.warning("job %s finished in the future (clock skew?)", object_key(dict(job)))
    return finished + float((job.get("spec") or {})["ttlSecondsAfterFinished"]) - now


class TTLAfterFinishedReconciler:
    """Deletes expired finished Jobs; see the module docstring."""

    def __init__(self, *, client: Client, jobs: SharedInformer, clock: Clock, queue: WorkQueue[str]) -> None:
        self.client = client
        self.jobs = jobs
        self.clock = clock
        self.queue = queue

    async def reconcile(self, key: str) -> Result | None:
        namespace, name = split_key(key)
        job = self.jobs.lister.get(name, namespace)
        if job is None:
            return None
        left = time_left(job, self.clock.now())
        if left is None:
            return None
        if left > 0:
            return Result(requeue_after=left)
        try:
            fresh = await self.client.get(JOBS, name, namespace=namespace)
        except NotFoundError:
            return None
        left = time_left(fresh, self.clock.now())
        if left is None:
            return None
        if left > 0:
            return Result(requeue_after=left)
        log.info("deleting job %s: ttlSecondsAfterFinished expired", key)
        try:
            await self.client.delete(
                JOBS,
                name,
                namespace=namespace,
                propagation_policy="Foreground",
                preconditions={"uid": str(_meta(fresh).get("uid", ""))},
            )
        except (NotFoundError, ConflictError):
            pass  # already gone, or a new Job of the same name (its own TTL applies)
        return None

    def _enqueue_if_due(self, job: Obj) -> None:
        if needs_cleanup(job):
            self.queue.add(object_key(job))

    def job_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda obj, _initial: self._enqueue_if_due(obj),
            update=lambda _old, new: self._enqueue_if_due(new),
        )


def new_controller(ctx: ControllerContext) -> Controller:
    """The TTL-after-finished controller, wired to the context's Job informer and clock."""
    jobs = ctx.informers.informer(JOBS)
    queue: WorkQueue[str] = WorkQueue(name=NAME, clock=ctx.clock)
    reconciler = TTLAfterFinishedReconciler(client=ctx.client, jobs=jobs, clock=ctx.clock, queue=queue)
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock, queue=queue)
    controller.watch(jobs, reconciler.job_handler())
    return controller
