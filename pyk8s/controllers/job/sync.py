"""One sync of one Job, in Kubernetes' order (`syncJob`):

1. read the pods and compute the counters and the ending condition (`JobState`);
2. if the Job is ending, delete its active pods; otherwise create or delete pods towards
   the wanted number (respecting suspension, the failure backoff and expectations), and
   notice completion and suspension changes;
3. count finished pods through `uncountedTerminatedPods` and remove their finalizers
   (`tracking.py`), then add Complete/Failed once nothing is uncounted or terminating;
4. write the status when anything changed.

All writes go through `JobActions`, so the whole sync runs in unit tests against a recorder.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from pyk8s.api.errors import NotFoundError, StatusError
from pyk8s.api.meta import rfc3339
from pyk8s.controllers.job import conditions as c
from pyk8s.controllers.job.backoff import BackoffStore, record_remaining_time
from pyk8s.controllers.job.conditions import Condition
from pyk8s.controllers.job.indexes import pod_generate_name
from pyk8s.controllers.job.pods import (
    COMPLETION_INDEX,
    INDEX_FAILURE_COUNT,
    INDEX_IGNORED_FAILURE_COUNT,
    TRACKING_FINALIZER,
    completion_index,
    has_tracking_finalizer,
    index_failure_count,
    index_ignored_failure_count,
    is_deleting,
    is_pod_ready,
    phase,
)
from pyk8s.controllers.job.policy import match_failure_policy
from pyk8s.controllers.job.state import JobState
from pyk8s.controllers.job.tracking import FinalizerExpectations, clean_uncounted, uncounted, uncounted_total
from pyk8s.controllers.runtime.expectations import ControllerExpectations

log = logging.getLogger("pyk8s.controllers.job")

Obj = dict[str, Any]

MAX_UNCOUNTED_PODS = 500  # keeps uncountedTerminatedPods under ~20 KB
MAX_POD_CREATE_DELETE_PER_SYNC = 500
SLOW_START_INITIAL_BATCH = 1
MIN_REQUEUE = 1.0  # Kubernetes' sync batching period: delayed syncs wait at least this
INDEX_ENV = "JOB_COMPLETION_INDEX"
NORMAL, WARNING = "Normal", "Warning"


class JobActions(Protocol):
    """The writes a sync makes (the API through `pyk8s.client`, or a recorder in tests)."""

    async def create_pod(self, job: Obj, pod: Obj) -> Obj: ...

    async def delete_pod(self, job: Obj, pod: Obj) -> None: ...

    async def remove_tracking_finalizer(self, pod: Obj) -> None: ...

    async def update_status(self, job: Obj) -> Obj: ...

    def event(self, job: Obj, type: str, reason: str, message: str) -> None: ...


def _uid(pod: Obj) -> str:
    return str((pod.get("metadata") or {}).get("uid") or "")


def _namespace_terminating(err: StatusError) -> bool:
    causes = (err.details or {}).get("causes") or []
    return any(isinstance(cause, dict) and cause.get("type") == "NamespaceTerminating" for cause in causes)


async def _gather_errors(calls: list[Callable[[], Awaitable[bool]]]) -> tuple[int, Exception | None]:
    """Run the calls concurrently: how many returned True, and the first error raised."""
    results = await asyncio.gather(*(call() for call in calls), return_exceptions=True)
    first: Exception | None = None
    done = 0
    for result in results:
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            first = first or result
        elif result:
            done += 1
    return done, first


class JobSync:
    """Carries out one sync (see the module docstring). `run()` returns the delay after
    which the Job wants another look (a deadline, a backoff), or None; it raises the first
    write error after having written what it could."""

    def __init__(
        self,
        job: Obj,
        pods: list[Obj],
        *,
        key: str,
        now: float,
        actions: JobActions,
        expectations: ControllerExpectations,
        finalizers: FinalizerExpectations,
        backoff: BackoffStore,
        satisfied: bool | None = None,
    ) -> None:
        self.key = key
        self.now = now
        self.actions = actions
        self.expectations = expectations
        self.finalizers = finalizers
        self.backoff_store = backoff
        # Checked before the pods were read, so that a pod created since cannot be missed.
        self.satisfied = expectations.satisfied(key) if satisfied is None else satisfied
        self.state = JobState(
            job, pods, now, expected_removals=finalizers.expected(key), backoff=backoff.get(key)
        )
        self.job = self.state.job
        self.requeue: float | None = None
        self.error: Exception | None = None

    # entry point

    async def run(self) -> float | None:
        state, status = self.state, self.state.status
        uncounted(status)
        if not status.get("startTime") and not c.is_suspended(self.job):
            status["startTime"] = rfc3339(self.now)
        finished, deadline = state.finish_condition()
        if finished is None and deadline is not None:
            self.request_requeue(deadline)
        if state.indexed:
            finished = state.compute_indexes(finished)
        active = len(state.active_pods)
        suspend_changed = False
        if finished is not None:
            deleted = await self.delete_active_pods()
            if deleted != active or not self.satisfied:
                finished = None  # pods may remain, or the cache may not show them all yet
            active -= deleted
        else:
            managed = False
            if self.satisfied and not is_deleting(self.job):
                active = await self.manage_pods()
                managed = True
            if self.complete(active):
                finished = Condition(c.SUCCESS_CRITERIA_MET, *c.COMPLETIONS_REACHED)
            elif managed:
                suspend_changed = self.update_suspension()
        counts_changed = self.set_counts(active)
        needs_flush = suspend_changed or counts_changed
        await self.track_and_remove_finalizers(finished, needs_flush)
        if self.error is not None:
            raise self.error
        return self.requeue

    def request_requeue(self, delay: float) -> None:
        delay = max(delay, 0.0)
        self.requeue = delay if self.requeue is None else min(self.requeue, delay)

    def fail(self, err: Exception) -> None:
        self.error = self.error or err

    def complete(self, active: int) -> bool:
        state = self.state
        if state.completions is None:
            # Each pod can tell whether the work is done: one success and nothing running.
            return state.succeeded > 0 and active == 0
        return state.succeeded >= int(state.completions) and active == 0

    def set_counts(self, active: int) -> bool:
        """Write active, ready and terminating; whether they changed."""
        state, status = self.state, self.state.status
        old = (int(status.get("active") or 0), status.get("ready"), status.get("terminating"))
        if active:
            status["active"] = active
        else:
            status.pop("active", None)
        status["ready"] = state.ready
        status["terminating"] = state.terminating
        return old != (active, state.ready, state.terminating)

    def update_suspension(self) -> bool:
        """The Suspended condition, its events, and startTime (cleared while suspended, reset
        on resume, so activeDeadlineSeconds counts continuous activity)."""
        status = self.state.status
        if c.is_suspended(self.job):
            changed = c.ensure_condition(
                status, Condition(c.SUSPENDED, "JobSuspended", "Job suspended"), self.now
            )
            if changed:
                self.actions.event(self.job, NORMAL, "Suspended", "Job suspended")
                status.pop("startTime", None)
            return changed
        changed = c.ensure_condition(
            status, Condition(c.SUSPENDED, "JobResumed", "Job resumed", status="False"), self.now
        )
        if changed:
            self.actions.event(self.job, NORMAL, "Resumed", "Job resumed")
            status["startTime"] = rfc3339(self.now)
        return changed

    # deleting pods

    def _note_deleted(self, pod: Obj) -> None:
        self.state.terminating += 1
        if is_pod_ready(pod):
            self.state.ready -= 1

    async def delete_active_pods(self) -> int:
        """The Job is ending: delete every active pod, finalizers kept (they are counted as
        failed and released while tracking). Returns how many deletions were accepted."""

        async def delete(pod: Obj) -> bool:
            try:
                await self.actions.delete_pod(self.job, pod)
            except NotFoundError:
                pass
            self._note_deleted(pod)
            return True

        done, err = await _gather_errors([lambda p=p: delete(p) for p in self.state.active_pods])
        if err is not None:
            self.fail(err)
        return done

    async def delete_job_pods(self, pods: list[Obj]) -> int:
        """Delete pods the Job no longer wants: finalizer first (they are not counted), then
        the pod. Returns how many are gone or going."""
        self.expectations.expect_deletions(self.key, len(pods))

        async def delete(pod: Obj) -> bool:
            try:
                if has_tracking_finalizer(pod):
                    await self.actions.remove_tracking_finalizer(pod)
                await self.actions.delete_pod(self.job, pod)
            except NotFoundError:
                self.expectations.deletion_observed(self.key)
                return True
            except Exception:
                self.expectations.deletion_observed(self.key)  # this deletion will not be observed
                raise
            self._note_deleted(pod)
            return True

        done, err = await _gather_errors([lambda p=p: delete(p) for p in pods])
        if err is not None:
            self.fail(err)
        return done

    # creating and deleting towards the wanted number (manageJob)

    async def manage_pods(self) -> int:
        """Create or delete pods; returns the number of active pods afterwards."""
        state = self.state
        active = len(state.active_pods)
        if c.is_suspended(self.job):
            return active - await self.delete_job_pods(state.pods_to_remove(active))
        want = state.want_active(int(self.job["spec"].get("parallelism") or 0))
        remove = state.pods_to_remove(max(active - want, 0))[:MAX_POD_CREATE_DELETE_PER_SYNC]
        if remove:
            # Deleting takes precedence: a sync either deletes or creates, never both.
            return active - await self.delete_job_pods(remove)
        waiting = state.terminating if state.only_replace_failed else 0
        diff = want - waiting - active
        if diff <= 0:
            return active
        if not c.has_backoff_limit_per_index(self.job):
            remaining = record_remaining_time(state.new_backoff, self.now)
            if remaining > 0:
                self.request_requeue(max(remaining, MIN_REQUEUE))
                return active
        diff = min(diff, MAX_POD_CREATE_DELETE_PER_SYNC)
        indexes: list[int] | None = None
        if state.indexed:
            indexes = state.pending_indexes(diff)
            if c.has_backoff_limit_per_index(self.job):
                indexes, wait = state.indexes_ready_to_create(indexes)
                if wait > 0:
                    self.request_requeue(max(wait, MIN_REQUEUE))
                    return active
            diff = len(indexes)
        return active + await self.create_pods(diff, indexes)

    def pod_template(self) -> Obj:
        template = copy.deepcopy(self.job["spec"].get("template") or {})
        if self.state.indexed:
            for kind in ("initContainers", "containers"):
                for container in (template.get("spec") or {}).get(kind) or []:
                    _add_index_env(container)
        meta = template.setdefault("metadata", {})
        finalizers = meta.setdefault("finalizers", [])
        if TRACKING_FINALIZER not in finalizers:
            finalizers.append(TRACKING_FINALIZER)
        return template

    def new_pod(self, template: Obj, index: int | None) -> Obj:
        meta = self.job["metadata"]
        tmeta = template.get("metadata") or {}
        pod_meta: Obj = {
            "generateName": f"{meta['name']}-",
            "namespace": meta.get("namespace", ""),
            "ownerReferences": [
                {
                    "apiVersion": "batch/v1",
                    "kind": "Job",
                    "name": meta["name"],
                    "uid": meta.get("uid", ""),
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        }
        for key in ("labels", "annotations", "finalizers"):
            if tmeta.get(key):
                pod_meta[key] = copy.deepcopy(tmeta[key])
        spec = copy.deepcopy(template.get("spec") or {})
        if index is not None:
            pod_meta.setdefault("annotations", {})[COMPLETION_INDEX] = str(index)
            pod_meta.setdefault("labels", {})[COMPLETION_INDEX] = str(index)
            spec["hostname"] = f"{meta['name']}-{index}"
            pod_meta["generateName"] = pod_generate_name(meta["name"], index)
            if c.has_backoff_limit_per_index(self.job):
                self.add_index_failure_counts(pod_meta, self.state.delayed_deletion.get(index))
        return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": spec}

    def add_index_failure_counts(self, pod_meta: Obj, replaced: Obj | None) -> None:
        """A replacement pod carries its index's failure count on (Ignore'd failures apart)."""
        failures = ignored = 0
        if replaced is not None:
            failures, ignored = index_failure_count(replaced), index_ignored_failure_count(replaced)
            verdict = match_failure_policy(self.job["spec"].get("podFailurePolicy"), replaced)
            if verdict.counts:
                failures += 1
            else:
                ignored += 1
        annotations = pod_meta.setdefault("annotations", {})
        annotations[INDEX_FAILURE_COUNT] = str(failures)
        if ignored:
            annotations[INDEX_IGNORED_FAILURE_COUNT] = str(ignored)

    async def create_pods(self, count: int, indexes: list[int] | None) -> int:
        """Create `count` pods in slow-start batches (1, 2, 4, ...): a batch with a failure
        stops the rest, so a quota or admission error costs one request, not hundreds.
        Returns how many were created."""
        self.expectations.expect_creations(self.key, count)
        template = self.pod_template()
        pending = list(indexes) if indexes is not None else [None] * count
        created = 0
        batch = min(count, SLOW_START_INITIAL_BATCH)
        while pending:
            chunk, pending = pending[:batch], pending[batch:]
            done, err = await _gather_errors([lambda i=i: self.create_one(template, i) for i in chunk])
            created += done
            if err is not None:
                self.fail(err)
                for _ in pending:  # never attempted: never observed
                    self.expectations.creation_observed(self.key)
                break
            batch = min(2 * batch, len(pending))
        return created

    async def create_one(self, template: Obj, index: int | None) -> bool:
        try:
            await self.actions.create_pod(self.job, self.new_pod(template, index))
        except StatusError as err:
            self.expectations.creation_observed(self.key)  # it will never show up
            if _namespace_terminating(err):
                return False  # every create fails while the namespace goes away
            raise
        except Exception:
            self.expectations.creation_observed(self.key)
            raise
        return True

    # counting finished pods and ending the Job (trackJobStatusAndRemoveFinalizers)

    def can_remove_finalizer(self, pod: Obj, failed: bool, finished: Condition | None) -> bool:
        if is_deleting(self.job) or finished is not None or phase(pod) == "Succeeded":
            return True
        if not failed:
            return False
        if c.has_backoff_limit_per_index(self.job):
            delayed = self.state.delayed_deletion.get(completion_index(pod))
            if delayed is not None and _uid(delayed) == _uid(pod):
                return False  # kept until its replacement carries the failure count on
        return True

    def collect_finished(self, finished: Condition | None) -> tuple[list[Obj], list[int], bool, bool]:
        """Finished pods to count: add them to the uncounted lists, return the pods whose
        finalizer can go, newly succeeded indexes, whether the status changed and whether
        the per-sync limit was reached."""
        state, status = self.state, self.state.status
        to_release: list[Obj] = []
        new_indexes: list[int] = []
        changed = False
        pods = sorted(state.pods, key=completion_index) if state.indexed else state.pods
        for pod in pods:
            if not has_tracking_finalizer(pod) or _uid(pod) in state.expected_removals:
                continue  # counted in an earlier sync
            failed = state.pod_failed(pod)
            if not self.can_remove_finalizer(pod, failed, finished):
                continue
            to_release.append(pod)
            changed = self.count_pod(pod, failed, finished, new_indexes) or changed
            if len(new_indexes) + uncounted_total(status) >= MAX_UNCOUNTED_PODS:
                return to_release, new_indexes, changed, True
        return to_release, new_indexes, changed, False

    def count_pod(self, pod: Obj, failed: bool, finished: Condition | None, new_indexes: list[int]) -> bool:
        """Record one finished pod as uncounted (or its index as succeeded); whether it was."""
        state = self.state
        uid, index = _uid(pod), completion_index(pod)
        lists = uncounted(state.status)
        if phase(pod) == "Succeeded" and uid not in state.uncounted_failed:
            if state.indexed:
                # The index is enough to never count a success twice.
                if state.valid_index(index) and index not in state.prev_succeeded_indexes:
                    new_indexes.append(index)
                    return True
                return False
            if uid in state.uncounted_succeeded:
                return False
            lists.setdefault("succeeded", []).append(uid)
            return True
        # Once the Job is failing, every pod that did not succeed counts as failed.
        ending_in_failure = finished is not None and finished.type != c.SUCCESS_CRITERIA_MET
        if not (failed or ending_in_failure) or uid in state.uncounted_failed:
            return False
        if state.indexed and not state.valid_index(index):
            return False
        if not match_failure_policy(self.job["spec"].get("podFailurePolicy"), pod).counts:
            return False
        lists.setdefault("failed", []).append(uid)
        return True

    def write_indexes(self, new_indexes: list[int]) -> bool:
        state, status = self.state, self.state.status
        state.succeeded_indexes = state.succeeded_indexes.with_indexes(new_indexes)
        text = str(state.succeeded_indexes)
        changed = text != (status.get("completedIndexes") or "")
        status["succeeded"] = state.succeeded_indexes.total()
        if text:
            status["completedIndexes"] = text
        else:
            status.pop("completedIndexes", None)
        if state.failed_indexes is not None:
            failed = str(state.failed_indexes)
            if (status.get("failedIndexes") or "") != failed:
                status["failedIndexes"] = failed
                changed = True
        return changed

    async def track_and_remove_finalizers(self, finished: Condition | None, needs_flush: bool) -> None:
        state, status = self.state, self.state.status
        with_finalizer = {
            _uid(p)
            for p in state.pods
            if has_tracking_finalizer(p) and _uid(p) not in state.expected_removals
        }
        needs_flush = clean_uncounted(status, with_finalizer) or needs_flush
        to_release, new_indexes, changed, at_limit = self.collect_finished(finished)
        needs_flush = changed or needs_flush
        if state.indexed:
            needs_flush = self.write_indexes(new_indexes) or needs_flush
        if finished is not None and finished.type == c.FAILURE_TARGET:
            # Record the failure before any finalizer goes, so a restart cannot lose it.
            status.setdefault("conditions", []).append(finished.to_dict(self.now))
            needs_flush = True
            finished = c.failed_condition_for(finished)
        elif finished is not None and finished.type == c.SUCCESS_CRITERIA_MET:
            if not c.has_true_condition(status, c.SUCCESS_CRITERIA_MET):
                status.setdefault("conditions", []).append(finished.to_dict(self.now))
                needs_flush = True
            finished = c.complete_condition_for(finished)
        needs_flush = await self.flush_and_remove_finalizers(to_release, with_finalizer, needs_flush)
        ended = not at_limit and self.enact_finished(finished)
        if ended or needs_flush:
            await self.write_status()
            if ended and finished is not None:
                self.record_finished(finished)

    async def write_status(self) -> None:
        self.job = await self.actions.update_status(self.job)
        self.state.status = self.job.setdefault("status", {})

    async def flush_and_remove_finalizers(
        self, pods: list[Obj], with_finalizer: set[str], needs_flush: bool
    ) -> bool:
        """Write the uncounted UIDs, remove the finalizers, move what was released to the
        counters. Returns whether the status still has unwritten changes."""
        if needs_flush:
            await self.write_status()
            self.backoff_store.put(self.key, self.state.new_backoff)
            needs_flush = False
        removal_error: Exception | None = None
        if pods:
            released, removal_error = await self.remove_finalizers(pods)
            with_finalizer -= released
        if clean_uncounted(self.state.status, with_finalizer):
            needs_flush = True
        if removal_error is not None:
            if needs_flush:
                await self.write_status()  # keep the partial progress
            raise removal_error
        return needs_flush

    async def remove_finalizers(self, pods: list[Obj]) -> tuple[set[str], Exception | None]:
        """Remove the tracking finalizer from `pods`; the UIDs released (or already gone)."""
        self.finalizers.expect_removed(self.key, [_uid(p) for p in pods])
        released: set[str] = set()

        async def remove(pod: Obj) -> bool:
            try:
                await self.actions.remove_tracking_finalizer(pod)
            except NotFoundError:
                self.finalizers.observed(self.key, _uid(pod))
            except Exception:
                self.finalizers.observed(self.key, _uid(pod))  # no update will show it removed
                raise
            released.add(_uid(pod))
            return True

        _, err = await _gather_errors([lambda p=p: remove(p) for p in pods])
        return released, err

    def enact_finished(self, finished: Condition | None) -> bool:
        """Add Complete or Failed once every pod is counted and none is terminating."""
        if finished is None:
            return False
        status = self.state.status
        if uncounted_total(status) > 0 or self.state.terminating > 0:
            return False
        c.ensure_condition(status, finished, self.now)
        if finished.type == c.COMPLETE:
            condition = c.find_condition(status, c.COMPLETE) or {}
            status["completionTime"] = condition.get("lastTransitionTime", rfc3339(self.now))
        return True

    def record_finished(self, finished: Condition) -> None:
        if finished.type == c.COMPLETE:
            completions = self.job["spec"].get("completions")
            succeeded = int(self.state.status.get("succeeded") or 0)
            if completions is not None and succeeded > int(completions):
                self.actions.event(
                    self.job,
                    WARNING,
                    "TooManySucceededPods",
                    "Too many succeeded pods running after completion count reached",
                )
            self.actions.event(self.job, NORMAL, "Completed", "Job completed")
        else:
            self.actions.event(self.job, WARNING, finished.reason, finished.message)


def _add_index_env(container: Obj) -> None:
    env = container.setdefault("env", [])
    if any(var.get("name") == INDEX_ENV for var in env):
        return
    env.append(
        {
            "name": INDEX_ENV,
            "valueFrom": {"fieldRef": {"fieldPath": f"metadata.labels['{COMPLETION_INDEX}']"}},
        }
    )
