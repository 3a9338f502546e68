"""The CronJob controller: creates a Job for each activation of a CronJob's schedule
(kube-controller-manager's `cronjob-controller`, v2).

One reconcile of `namespace/name`:

1. read the CronJob and the Jobs it controls from the cache;
2. delete the oldest finished Jobs beyond `successfulJobsHistoryLimit` and
   `failedJobsHistoryLimit`;
3. reconcile `status.active` with the Jobs (finished ones leave it, missing ones too) and
   `status.lastSuccessfulTime`;
4. unless the CronJob is being deleted or suspended, or its schedule or time zone is
   invalid: find the most recent activation not yet started (`schedule.py`); if it is
   within `startingDeadlineSeconds`, not already started, and the concurrency policy
   allows (Forbid skips while a Job runs, Replace deletes the running ones), create its Job
   `<cronjob>-<minutes since epoch>` and record it in `status.active` and
   `status.lastScheduleTime`;
5. write the status if it changed, and look again at the next activation.

The time comes from the context's clock, so tests drive schedules with a fake clock.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.cron import CronError, Schedule, local_zone
from pyk8s.api.errors import AlreadyExistsError, NotFoundError, StatusError
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.informers.store import split_key
from pyk8s.client.resources import CRONJOBS, JOBS
from pyk8s.client.rest import Client
from pyk8s.controllers.cronjob import jobs as j
from pyk8s.controllers.cronjob.schedule import (
    InvalidScheduleError,
    Missed,
    formatted_schedule,
    job_name,
    most_recent_schedule_time,
    next_schedule_delay,
    parse_schedule,
    time_zone_problem,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import resource_version, unwrap
from pyk8s.controllers.runtime.ownership import controller_ref, is_controlled_by
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.cronjob")

Obj = dict[str, Any]

NAME = "cronjob"
COMPONENT = "cronjob-controller"
TOO_MANY_MISSED = (
    "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
)
UNSUPPORTED_TZ = (
    "CRON_TZ or TZ used in schedule {schedule!r} is not officially supported, see "
    "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"
)


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rfc1123z(seconds: float) -> str:
    """Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`."""
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


class CronJobReconciler:
    """Reconciles CronJobs; see the module docstring."""

    def __init__(
        self,
        *,
        client: Client,
        cronjobs: SharedInformer,
        jobs: SharedInformer,
        recorder: EventRecorder,
        queue: WorkQueue[str],
        clock: Clock,
        zone: dt.tzinfo | None = None,
    ) -> None:
        self.client = client
        self.cronjobs = cronjobs
        self.jobs = jobs
        self.recorder = recorder
        self.queue = queue
        self.clock = clock
        self.zone = zone or local_zone()  # where a CronJob without spec.timeZone runs

    async def reconcile(self, key: str) -> Result | None:
        namespace, name = split_key(key)
        cached = self.cronjobs.lister.get(name, namespace)
        if cached is None:
            return None
        children = [
            job
            for job in self.jobs.lister.list(namespace=namespace)
            if (ref := controller_ref(job)) is not None
            and ref.get("kind") == "CronJob"
            and ref.get("name") == name
        ]
        cronjob = copy.deepcopy(cached)
        cronjob.setdefault("status", {})
        cleaned = await self.cleanup_finished_jobs(cronjob, children)
        error: Exception | None = None
        try:
            delay, changed = await self.sync(cronjob, children)
        except Exception as err:  # the status may still carry progress worth writing
            delay, changed, error = None, True, err
        if cleaned or changed:
            await self.client.update_status(CRONJOBS, cronjob)
        if error is not None:
            raise error
        return Result(requeue_after=delay) if delay is not None else None

    # history

    async def cleanup_finished_jobs(self, cronjob: Obj, children: list[Obj]) -> bool:
        """Delete the oldest finished Jobs beyond the history limits; whether any went."""
        changed = False
        for job in j.history_to_delete(cronjob, children):
            if await self.delete_job(cronjob, job):
                changed = True
        return changed

    async def delete_job(self, cronjob: Obj, job: Obj) -> bool:
        """Delete a Job (its pods follow, in the background) and drop it from status.active."""
        meta = _meta(job)
        try:
            await self.client.delete(
                JOBS, meta.get("name", ""), namespace=meta.get("namespace"), propagation_policy="Background"
            )
        except StatusError as err:
            self.recorder.event(cronjob, WARNING, "FailedDelete", f"Deleted job: {err.message}")
            log.error("cronjob %s: cannot delete job %s: %s", object_key(cronjob), meta.get("name"), err)
            return False
        j.remove_from_active_list(cronjob["status"], str(meta.get("uid", "")))
        self.recorder.event(cronjob, NORMAL, "SuccessfulDelete", f"Deleted job {meta.get('name', '')}")
        return True

    # the active list and the last success

    async def reconcile_active(self, cronjob: Obj, children: list[Obj]) -> tuple[Obj, bool]:
        """Bring status.active and lastSuccessfulTime in line with the Jobs; returns the
        CronJob (re-read if the cache lagged) and whether the status changed."""
        changed = False
        for job in children:
            uid = str(_meta(job).get("uid", ""))
            found = j.in_active_list(cronjob["status"], uid)
            finished = j.finished_condition(job)
            if not found and finished is None:
                fresh = await self.client.get(
                    CRONJOBS, _meta(cronjob)["name"], namespace=_meta(cronjob)["namespace"]
                )
                if j.in_active_list(fresh.get("status") or {}, uid):
                    cronjob = fresh  # the cache had not seen our own status update yet
                    cronjob.setdefault("status", {})
                    continue
                self.recorder.event(
                    cronjob,
                    WARNING,
                    "UnexpectedJob",
                    f"Saw a job that the controller did not create or forgot: {_meta(job).get('name', '')}",
                )
                continue
            if finished is None:
                continue
            if found:
                j.remove_from_active_list(cronjob["status"], uid)
                self.recorder.event(
                    cronjob,
                    NORMAL,
                    "SawCompletedJob",
                    f"Saw completed job: {_meta(job).get('name', '')}, condition: {finished}",
                )
                changed = True
            if finished == "Complete":
                changed = self.note_success(cronjob, job) or changed
        changed = (
            await self.drop_missing(cronjob, {str(_meta(job).get("uid", "")) for job in children}) or changed
        )
        return cronjob, changed

    def note_success(self, cronjob: Obj, job: Obj) -> bool:
        completed = (job.get("status") or {}).get("completionTime")
        current = cronjob["status"].get("lastSuccessfulTime")
        if completed and (not current or completed > current):
            cronjob["status"]["lastSuccessfulTime"] = completed
            return True
        return False

    async def drop_missing(self, cronjob: Obj, children: set[str]) -> bool:
        """Active references to Jobs that no longer exist (asked of the API, not the cache)."""
        changed = False
        for ref in list(cronjob["status"].get("active") or []):
            if ref.get("uid") in children:
                continue
            try:
                await self.client.get(JOBS, ref.get("name", ""), namespace=ref.get("namespace"))
            except NotFoundError:
                self.recorder.event(
                    cronjob, NORMAL, "MissingJob", f"Active job went missing: {ref.get('name', '')}"
                )
                j.remove_from_active_list(cronjob["status"], str(ref.get("uid", "")))
                changed = True
        return changed

    # scheduling

    async def sync(self, cronjob: Obj, children: list[Obj]) -> tuple[float | None, bool]:
        """Steps 3 and 4 of the module docstring: (requeue delay, status changed)."""
        cronjob_after, changed = await self.reconcile_active(cronjob, children)
        if cronjob_after is not cronjob:
            cronjob.clear()
            cronjob.update(cronjob_after)
        if _meta(cronjob).get("deletionTimestamp"):
            return None, changed
        spec = cronjob.get("spec") or {}
        zone = spec.get("timeZone")
        if zone is not None and (problem := time_zone_problem(zone)) is not None:
            self.recorder.event(
                cronjob, WARNING, "UnknownTimeZone", f"invalid timeZone: {_go_quote(zone)}: {problem}"
            )
            return None, changed
        if spec.get("suspend") is True:
            return None, changed
        schedule = self.parse(cronjob)
        if schedule is None:
            return None, changed
        now = self.clock.now()
        try:
            recent = most_recent_schedule_time(cronjob, now, schedule, self.zone, include_deadline=True)
        except InvalidScheduleError as err:
            self.recorder.event(
                cronjob, WARNING, "InvalidSchedule", f"invalid schedule: {spec.get('schedule')} : {err}"
            )
            return None, changed
        scheduled = recent.most_recent
        next_delay = next_schedule_delay(cronjob, now, schedule, self.zone)
        if scheduled is None:
            return next_delay, changed
        if recent.missed is Missed.MANY:
            self.recorder.event(cronjob, WARNING, "TooManyMissedTimes", TOO_MANY_MISSED)
        started = await self.start(cronjob, scheduled, now)
        return next_delay, changed or started

    def parse(self, cronjob: Obj) -> Schedule | None:
        text, own_zone = formatted_schedule(cronjob)
        raw = (cronjob.get("spec") or {}).get("schedule", "")
        if own_zone:
            self.recorder.event(cronjob, WARNING, "UnsupportedSchedule", UNSUPPORTED_TZ.format(schedule=raw))
        try:
            return parse_schedule(cronjob)
        except CronError as err:
            self.recorder.event(
                cronjob, WARNING, "UnparseableSchedule", f"unparseable schedule: {_go_quote(raw)} : {err}"
            )
            log.info("cronjob %s: unparseable schedule %r (%s)", object_key(cronjob), text, err)
            return None

    async def start(self, cronjob: Obj, scheduled: float, now: float) -> bool:
        """Create the Job of the activation at `scheduled` if nothing forbids it; whether the
        status changed."""
        spec, status, meta = cronjob.get("spec") or {}, cronjob["status"], _meta(cronjob)
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None and scheduled + float(deadline) < now:
            self.recorder.event(
                cronjob,
                WARNING,
                "MissSchedule",
                f"Missed scheduled time to start a job: {rfc1123z(scheduled)}",
            )
            return False
        name = job_name(meta.get("name", ""), scheduled)
        last = status.get("lastScheduleTime")
        if j.in_active_list_by_name(status, meta.get("namespace", ""), name) or (
            last and _same_second(last, scheduled)
        ):
            return False  # this activation was already started
        policy = spec.get("concurrencyPolicy") or "Allow"
        if policy == "Forbid" and status.get("active"):
            self.recorder.event(
                cronjob,
                NORMAL,
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid",
            )
            return False
        changed = False
        if policy == "Replace":
            changed = await self.replace_active(cronjob)
        created = await self.create_job(cronjob, scheduled)
        if created is None:
            return changed
        status.setdefault("active", []).append(j.object_reference(created))
        status["lastScheduleTime"] = _rfc3339(scheduled)
        return True

    async def replace_active(self, cronjob: Obj) -> bool:
        changed = False
        for ref in list(cronjob["status"].get("active") or []):
            try:
                job = await self.client.get(JOBS, ref.get("name", ""), namespace=ref.get("namespace"))
            except StatusError as err:
                self.recorder.event(cronjob, WARNING, "FailedGet", f"Get job: {err.message}")
                raise
            if not await self.delete_job(cronjob, job):
                meta = _meta(job)
                raise RuntimeError(f"could not replace job {meta.get('namespace')}/{meta.get('name')}")
            changed = True
        return changed

    async def create_job(self, cronjob: Obj, scheduled: float) -> Obj | None:
        """Create the Job; None when there is nothing to record (it exists and is not ours,
        or is already active)."""
        request = j.job_from_template(cronjob, scheduled, self.zone)
        meta = request["metadata"]
        try:
            created = await self.client.create(JOBS, request)
        except AlreadyExistsError:
            # Created earlier by us before a status update was lost, or by someone else.
            existing = await self.client.get(JOBS, meta["name"], namespace=meta["namespace"])
            if not is_controlled_by(existing, cronjob):
                return None
            if j.in_active_list(cronjob["status"], str(_meta(existing).get("uid", ""))):
                return None
            log.info("cronjob %s: job %s already exists", object_key(cronjob), meta["name"])
            return existing
        except StatusError as err:
            if not _namespace_terminating(err):
                self.recorder.event(cronjob, WARNING, "FailedCreate", f"Error creating job: {err.message}")
            raise
        self.recorder.event(
            cronjob, NORMAL, "SuccessfulCreate", f"Created job {_meta(created).get('name', '')}"
        )
        return created

    # event handlers: enqueue only

    def resolve_controller_ref(self, namespace: str, ref: Mapping[str, Any]) -> Obj | None:
        if ref.get("kind") != "CronJob":
            return None
        cronjob = self.cronjobs.lister.get(str(ref.get("name", "")), namespace)
        if cronjob is None or _meta(cronjob).get("uid") != ref.get("uid"):
            return None
        return cronjob

    def _enqueue_owner(self, job: Obj) -> None:
        ref = controller_ref(job)
        if ref is None:
            return
        cronjob = self.resolve_controller_ref(_meta(job).get("namespace", ""), ref)
        if cronjob is not None:
            self.queue.add(object_key(cronjob))

    def _job_updated(self, old: Obj, new: Obj) -> None:
        if resource_version(old) == resource_version(new):
            return
        if controller_ref(old) != controller_ref(new):
            self._enqueue_owner(old)
        self._enqueue_owner(new)

    def job_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda obj, _initial: self._enqueue_owner(obj),
            update=self._job_updated,
            delete=lambda obj: self._enqueue_owner(unwrap(obj)),
        )

    def cronjob_handler(self) -> EventHandlerFuncs:
        def enqueue(obj: Obj | DeletedFinalStateUnknown) -> None:
            self.queue.add(object_key(obj))

        return EventHandlerFuncs(
            add=lambda obj, _initial: enqueue(obj), update=lambda _old, new: enqueue(new), delete=enqueue
        )


def _rfc3339(seconds: float) -> str:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _same_second(stamp: str, seconds: float) -> bool:
    return stamp == _rfc3339(seconds)


def _namespace_terminating(err: StatusError) -> bool:
    causes = (err.details or {}).get("causes") or []
    return any(isinstance(cause, dict) and cause.get("type") == "NamespaceTerminating" for cause in causes)


def new_controller(ctx: ControllerContext, *, zone: dt.tzinfo | None = None) -> Controller:
    """The CronJob controller, wired to the context's informers and clock."""
    cronjobs = ctx.informers.informer(CRONJOBS)
    jobs = ctx.informers.informer(JOBS)
    queue: WorkQueue[str] = WorkQueue(name=NAME, clock=ctx.clock)
    reconciler = CronJobReconciler(
        client=ctx.client,
        cronjobs=cronjobs,
        jobs=jobs,
        recorder=ctx.recorder(COMPONENT),
        queue=queue,
        clock=ctx.clock,
        zone=zone,
    )
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock, queue=queue)
    controller.watch(cronjobs, reconciler.cronjob_handler())
    controller.watch(jobs, reconciler.job_handler())
    return controller
