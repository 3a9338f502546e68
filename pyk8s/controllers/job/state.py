"""What one sync of a Job sees and decides, before it writes anything (pure).

`JobState` is built from the Job (a private copy), its pods as the cache shows them, the
finalizer removals still in flight, the pod-failure backoff record and the time. It computes
the counters (`succeeded`, `failed` as they will be once every finished pod is counted), the
condition that ends the Job if any, the indexes of an Indexed Job, how many pods should be
active, which active pods are extra and which indexes need a pod. `sync.py` carries it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyk8s.api.meta import parse_time
from pyk8s.controllers.job import conditions as c
from pyk8s.controllers.job.backoff import BackoffRecord, index_remaining_time, next_record
from pyk8s.controllers.job.conditions import Condition
from pyk8s.controllers.job.indexes import (
    Intervals,
    duplicate_index_pods,
    first_pending_indexes,
    indexes_of,
)
from pyk8s.controllers.job.pods import (
    UNKNOWN_INDEX,
    completion_index,
    deletion_order,
    finished_time,
    has_tracking_finalizer,
    index_failure_count,
    index_ignored_failure_count,
    is_failed,
    is_pod_active,
    is_pod_ready,
    is_pod_terminating,
    phase,
    restart_count,
)
from pyk8s.controllers.job.policy import FAIL_INDEX, match_failure_policy, match_success_policy

Obj = dict[str, Any]

DEFAULT_BACKOFF_LIMIT = 6


def _uid(pod: Obj) -> str:
    return str((pod.get("metadata") or {}).get("uid") or "")


@dataclass
class JobState:
    """One Job's pods and counters at the start of a sync (see the module docstring)."""

    job: Obj
    pods: list[Obj]
    now: float
    expected_removals: frozenset[str] = frozenset()
    backoff: BackoffRecord = field(default_factory=BackoffRecord)

    def __post_init__(self) -> None:
        self.spec: Obj = self.job.setdefault("spec", {})
        self.status: Obj = self.job.setdefault("status", {})
        self.indexed = c.is_indexed(self.job)
        self.completions: int | None = self.spec.get("completions")
        self.only_replace_failed = c.only_replace_failed_pods(self.job)
        self.active_pods = [p for p in self.pods if is_pod_active(p)]
        self.terminating = sum(1 for p in self.pods if is_pod_terminating(p))
        self.ready = sum(1 for p in self.active_pods if is_pod_ready(p))
        lists = self.status.get("uncountedTerminatedPods") or {}
        self.uncounted_succeeded = set(lists.get("succeeded") or [])
        self.uncounted_failed = set(lists.get("failed") or [])
        new_succeeded = self.valid_pods(self.uncounted_succeeded, lambda p: phase(p) == "Succeeded")
        new_failed = self.valid_pods(self.uncounted_failed, self.pod_failed)
        self.succeeded = (
            int(self.status.get("succeeded") or 0) + len(new_succeeded) + len(self.uncounted_succeeded)
        )
        counted = sum(
            1 for p in new_failed if match_failure_policy(self.spec.get("podFailurePolicy"), p).counts
        )
        self.failed = int(self.status.get("failed") or 0) + counted + len(self.uncounted_failed)
        self.new_backoff = next_record(self.backoff, new_succeeded, new_failed)
        self.prev_succeeded_indexes = Intervals()
        self.succeeded_indexes = Intervals()
        self.failed_indexes: Intervals | None = None
        self.delayed_deletion: dict[int, Obj] = {}

    # pods

    def pod_failed(self, pod: Obj) -> bool:
        return is_failed(pod, only_replace_failed=self.only_replace_failed)

    def valid_index(self, index: int) -> bool:
        return index != UNKNOWN_INDEX and index < int(self.completions or 0)

    def valid_pods(self, skip: set[str], accept: Callable[[Obj], bool]) -> list[Obj]:
        """Pods not counted yet (finalizer on, not listed in `skip`, removal not in flight,
        a valid index for Indexed Jobs) that `accept` takes."""
        result = []
        for pod in self.pods:
            uid = _uid(pod)
            if not has_tracking_finalizer(pod) or uid in skip or uid in self.expected_removals:
                continue
            if self.indexed and not self.valid_index(completion_index(pod)):
                continue
            if accept(pod):
                result.append(pod)
        return result

    # the end of the Job

    @property
    def backoff_limit(self) -> int:
        limit = self.spec.get("backoffLimit")
        return DEFAULT_BACKOFF_LIMIT if limit is None else int(limit)

    def past_backoff_limit_on_failure(self) -> bool:
        """With restartPolicy OnFailure, container restarts of running pods count as failures."""
        if ((self.spec.get("template") or {}).get("spec") or {}).get("restartPolicy") != "OnFailure":
            return False
        restarts = sum(restart_count(p) for p in self.pods if phase(p) in ("Running", "Pending"))
        limit = self.backoff_limit
        return restarts > 0 if limit == 0 else restarts >= limit

    def deadline_remaining(self) -> float | None:
        """Seconds left of activeDeadlineSeconds (None without a deadline or while suspended)."""
        deadline = self.spec.get("activeDeadlineSeconds")
        start = self.status.get("startTime")
        if deadline is None or not start or c.is_suspended(self.job):
            return None
        return float(deadline) - (self.now - parse_time(start))

    def fail_job_message(self) -> str | None:
        """The message of the first failed pod a FailJob rule of the pod failure policy matches."""
        policy = self.spec.get("podFailurePolicy")
        if not policy:
            return None
        for pod in self.pods:
            if self.pod_failed(pod):
                verdict = match_failure_policy(policy, pod)
                if verdict.message is not None:
                    return verdict.message
        return None

    def finish_condition(self) -> tuple[Condition | None, float | None]:
        """The condition that ends the Job now, if any, and when to look again for the deadline."""
        criteria = c.find_condition(self.status, c.SUCCESS_CRITERIA_MET)
        if criteria is not None and criteria.get("status") == "True":
            return Condition(
                c.SUCCESS_CRITERIA_MET, criteria.get("reason", ""), criteria.get("message", "")
            ), None
        target = c.find_condition(self.status, c.FAILURE_TARGET)
        if target is not None and target.get("status") == "True":
            return c.failed_condition_for(target), None
        message = self.fail_job_message()
        if message is not None:
            return Condition(c.FAILURE_TARGET, c.POD_FAILURE_POLICY, message), None
        if self.failed > self.backoff_limit or self.past_backoff_limit_on_failure():
            return Condition(c.FAILURE_TARGET, *c.BACKOFF_LIMIT_EXCEEDED), None
        remaining = self.deadline_remaining()
        if remaining is not None and remaining <= 0:
            return Condition(c.FAILURE_TARGET, *c.DEADLINE_EXCEEDED), None
        return None, remaining

    # Indexed Jobs

    def index_failed(self, pod: Obj) -> bool:
        """The pod's failure uses up its index's backoffLimitPerIndex (or a FailIndex rule)."""
        if not self.pod_failed(pod):
            return False
        verdict = match_failure_policy(self.spec.get("podFailurePolicy"), pod)
        if verdict.action == FAIL_INDEX:
            return True
        return verdict.counts and index_failure_count(pod) >= int(self.spec.get("backoffLimitPerIndex") or 0)

    def compute_indexes(self, finished: Condition | None) -> Condition | None:
        """Succeeded and failed indexes; the condition ending the Job because of them."""
        completions = int(self.completions or 0)
        self.prev_succeeded_indexes = Intervals.parse(self.status.get("completedIndexes"), completions)
        done = {
            completion_index(p)
            for p in self.pods
            if phase(p) == "Succeeded" and has_tracking_finalizer(p) and self.valid_index(completion_index(p))
        }
        self.succeeded_indexes = self.prev_succeeded_indexes.with_indexes(done)
        self.succeeded = self.succeeded_indexes.total()
        if c.has_backoff_limit_per_index(self.job):
            previous = Intervals.parse(self.status.get("failedIndexes"), completions)
            failed = {
                completion_index(p)
                for p in self.pods
                if has_tracking_finalizer(p)
                and self.valid_index(completion_index(p))
                and self.index_failed(p)
            }
            self.failed_indexes = previous.with_indexes(failed)
            if finished is None:
                finished = self.failed_indexes_condition(completions)
            self.delayed_deletion = self.pods_with_delayed_deletion()
        if finished is None:
            message = match_success_policy(
                self.spec.get("successPolicy"), completions, self.succeeded_indexes
            )
            if message is not None:
                finished = Condition(c.SUCCESS_CRITERIA_MET, c.SUCCESS_POLICY, message)
        return finished

    def failed_indexes_condition(self, completions: int) -> Condition | None:
        assert self.failed_indexes is not None
        failed = self.failed_indexes.total()
        max_failed = self.spec.get("maxFailedIndexes")
        if max_failed is not None and failed > int(max_failed):
            return Condition(c.FAILURE_TARGET, *c.MAX_FAILED_INDEXES_EXCEEDED)
        if failed > 0 and failed + self.succeeded_indexes.total() >= completions:
            return Condition(c.FAILURE_TARGET, *c.FAILED_INDEXES)
        return None

    def pods_with_delayed_deletion(self) -> dict[int, Obj]:
        """Per index still to run, its last failed pod: kept (finalizer on) until its
        replacement exists, because the replacement inherits its failure count."""
        active = indexes_of(self.active_pods)
        failed_indexes = self.failed_indexes or Intervals()
        delayed: dict[int, Obj] = {}
        for pod in self.valid_pods(set(), self.pod_failed):
            index = completion_index(pod)
            if index in self.succeeded_indexes or index in failed_indexes or index in active:
                continue
            last = delayed.get(index)
            if last is None or (
                _absolute_failures(last) <= _absolute_failures(pod)
                and finished_time(pod) >= finished_time(last)
            ):
                delayed[index] = pod
        return delayed

    # how many pods to run

    def want_active(self, parallelism: int) -> int:
        if self.completions is None:
            # Without completions any success ends the Job: keep what runs, start nothing.
            return len(self.active_pods) if self.succeeded > 0 else parallelism
        return max(0, min(int(self.completions) - self.succeeded, parallelism))

    def pods_to_remove(self, count: int) -> list[Obj]:
        """Active pods to delete: repeated or invalid indexes first, then the `count` cheapest."""
        remove: list[Obj] = []
        keep = self.active_pods
        if self.indexed:
            remove, keep = duplicate_index_pods(self.active_pods, int(self.completions or 0))
        if len(remove) < count:
            remove += sorted(keep, key=deletion_order)[: count - len(remove)]
        return remove

    def pending_indexes(self, count: int) -> list[int]:
        """The lowest indexes without a pod that is active (or terminating, when only failed
        pods are replaced), success or final failure."""
        non_pending = self.succeeded_indexes.with_indexes(indexes_of(self.active_pods))
        if self.only_replace_failed:
            non_pending = non_pending.with_indexes(indexes_of(p for p in self.pods if is_pod_terminating(p)))
        if self.failed_indexes is not None:
            non_pending = non_pending.merge(self.failed_indexes)
        return first_pending_indexes(non_pending, count, int(self.completions or 0))

    def indexes_ready_to_create(self, indexes: list[int]) -> tuple[list[int], float]:
        """With backoffLimitPerIndex: the indexes whose own backoff is over, or, if none, the
        shortest wait."""
        now_ready: list[int] = []
        wait: float | None = None
        for index in indexes:
            remaining = index_remaining_time(self.delayed_deletion.get(index), self.now)
            if remaining <= 0:
                now_ready.append(index)
            elif wait is None or remaining < wait:
                wait = remaining
        return (now_ready, 0.0) if now_ready else ([], wait or 0.0)


def _absolute_failures(pod: Obj) -> int:
    return index_failure_count(pod) + index_ignored_failure_count(pod)
