"""`Scheduler`: pops pods from the queue, runs the scheduling cycle, and binds.

    loop:  pod = await queue.pop()
           scheduling cycle (synchronous): algorithm ─► fits: assume in the cache, Reserve,
               │                                        start the binding cycle (a task)
               └─ no fit: PostFilter (preemption), then handle_failure
    binding cycle (many at once, at most max_concurrent_writes): PreBind, Bind
           ─► success: "Scheduled" event
           ─► failure: Unreserve, forget the assumed pod, handle_failure

handle_failure, as kube-scheduler does: requeue the pod (parked until an event if plugins
rejected it, backoff otherwise), record a FailedScheduling Warning event with the
"0/N nodes are available: ..." message, and set the PodScheduled=False condition (reason
Unschedulable or SchedulerError) and any nomination in the pod's status, skipping the
write when nothing changed.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api.errors import NotFoundError, StatusError
from pyk8s.api.meta import rfc3339
from pyk8s.client import NORMAL, WARNING, PatchType
from pyk8s.client.errors import ClientError
from pyk8s.client.informers import Indexer, SharedInformer
from pyk8s.client.resources import PODS
from pyk8s.scheduler import events
from pyk8s.scheduler.algorithm import Algorithm, SchedulingError
from pyk8s.scheduler.cache import Cache
from pyk8s.scheduler.config import SchedulerConfig
from pyk8s.scheduler.framework import CycleState, Framework, Listers
from pyk8s.scheduler.plugins import install_default_plugins
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.queue import QueuedPodInfo, SchedulingQueue
from pyk8s.scheduler.recorder import EventSinks
from pyk8s.scheduler.status import FitError, NoNodesAvailableError

if TYPE_CHECKING:
    from pyk8s.client import Client

log = logging.getLogger("pyk8s.scheduler")

Obj = dict[str, Any]
NOTE_LENGTH_LIMIT = 1024  # an event message longer than this is cut
UNSCHEDULABLE = "Unschedulable"
SCHEDULER_ERROR = "SchedulerError"


def truncate_message(message: str) -> str:
    if len(message) <= NOTE_LENGTH_LIMIT:
        return message
    suffix = " ..."
    return message[: NOTE_LENGTH_LIMIT - len(suffix)] + suffix


class Scheduler:
    """The scheduler's state (cache, queue, one Framework per profile) and its loop."""

    def __init__(
        self,
        client: Client | None,
        config: SchedulerConfig | None = None,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config = config or SchedulerConfig()
        self.client = client
        self.clock = clock or config.clock or (client.clock if client is not None else RealClock())
        self.rng = rng or random.Random()
        self.cache = Cache()
        self.listers = Listers()
        self.pod_lister: Indexer | None = None  # set when informers are registered
        self.informers: dict[str, SharedInformer] = {}
        self.queue = SchedulingQueue(
            clock=self.clock,
            initial_backoff=config.pod_initial_backoff_seconds,
            max_backoff=config.pod_max_backoff_seconds,
            max_in_unschedulable=config.pod_max_in_unschedulable_seconds,
        )
        self.frameworks: dict[str, Framework] = {}
        # Every pod gets a Scheduled or FailedScheduling event (see recorder.py).
        self.events = EventSinks(client, self.clock) if client is not None else None
        for profile in config.all_profiles():
            recorder = self.events.recorder(profile.scheduler_name) if self.events is not None else None
            fw = Framework(
                profile_name=profile.scheduler_name,
                cache=self.cache,
                nominator=self.queue.nominator,
                listers=self.listers,
                client=client,
                recorder=recorder,
                clock=self.clock,
                rng=self.rng,
                percentage_of_nodes_to_score=profile.percentage_of_nodes_to_score,
            )
            install_default_plugins(fw, profile)
            self.frameworks[profile.scheduler_name] = fw
            self.queue.register_events(fw.events_to_register())
        self.algorithm = Algorithm(self.cache)
        self.stats: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._write_slots = asyncio.Semaphore(config.max_concurrent_writes)

    # the loop

    async def run(self) -> None:
        """Schedule pods until cancelled (the caches must be synced first)."""
        flusher = asyncio.create_task(self.queue.run(), name="scheduler queue timers")
        try:
            while True:
                qpi = await self.queue.pop()
                try:
                    self.schedule_one(qpi)
                except Exception:
                    log.exception("scheduling %s failed", qpi.key)
                    self.queue.add_unschedulable(qpi, rejected=False)
        finally:
            flusher.cancel()
            await self.cancel_tasks()
            for task in (flusher,):
                try:
                    await task
                except asyncio.CancelledError:
                    pass

    async def cancel_tasks(self) -> None:
        """Stop bindings and status writes in flight (their pods are forgotten and requeued)."""
        tasks = list(self._tasks)
        for fw in self.frameworks.values():
            for plugin in fw.plugins:
                tasks += list(getattr(plugin, "tasks", ()))
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def aclose(self) -> None:
        await self.cancel_tasks()
        if self.events is not None:
            await self.events.stop(flush_timeout=2.0)

    def metrics(self) -> dict[str, Any]:
        """Queue depths, cache sizes, counters, bindings in flight and the last resourceVersion
        seen of pods and nodes (for "has the cluster settled" barriers)."""
        seen = {
            f"{name}_resource_version": i.last_sync_resource_version for name, i in self.informers.items()
        }
        return {
            **self.queue.metrics(),
            **self.cache.metrics(),
            **self.stats,
            "bindings_in_flight": len(self._tasks),
            **seen,
        }

    # the scheduling cycle

    def schedule_one(self, qpi: QueuedPodInfo) -> None:
        """One scheduling cycle for `qpi`; never awaits."""
        pod = qpi.pod
        fw = self.frameworks.get(pod.scheduler_name)
        if fw is None or pod.deleting or self.cache.is_assumed(pod.key):
            return
        state = CycleState()
        try:
            result = self.algorithm.schedule_pod(fw, state, pod)
        except FitError as err:
            self._unschedulable(fw, state, qpi, err)
            return
        except NoNodesAvailableError as err:
            qpi.unschedulable_plugins = set()
            self.handle_failure(fw, qpi, str(err), reason=UNSCHEDULABLE)
            return
        except SchedulingError as err:
            self.handle_failure(fw, qpi, str(err), reason=SCHEDULER_ERROR)
            return
        assumed = pod.assumed_on(result.node)
        self.cache.assume_pod(assumed)
        self.queue.nominator.delete(pod.key)
        status = fw.run_reserve(state, assumed, result.node)
        if status is not None:
            fw.run_unreserve(state, assumed, result.node)
            self.cache.forget_pod(assumed.key)
            reason = UNSCHEDULABLE if status.is_rejected() else SCHEDULER_ERROR
            if status.is_rejected():
                qpi.unschedulable_plugins = {status.plugin}
            self.handle_failure(fw, qpi, status.message, reason=reason)
            return
        task = self._spawn(self._binding_cycle(fw, state, qpi, assumed, result.node))
        task.add_done_callback(lambda t: self._binding_done(t, qpi))

    def _unschedulable(self, fw: Framework, state: CycleState, qpi: QueuedPodInfo, err: FitError) -> None:
        """No node fits: try PostFilter (preemption), then report."""
        nominated: str | None = None
        if fw.post_filter_plugins:
            result, status = fw.run_post_filter(state, qpi.pod, err.diagnosis)
            if status is not None:
                err.diagnosis.post_filter_msg = status.message
            if result is not None:
                nominated = result.nominated_node_name
                if nominated:
                    self.stats["preemptions"] += 1
        qpi.unschedulable_plugins = set(err.diagnosis.unschedulable_plugins)
        self.handle_failure(fw, qpi, str(err), reason=UNSCHEDULABLE, nominated=nominated)

    # the binding cycle

    async def _binding_cycle(
        self, fw: Framework, state: CycleState, qpi: QueuedPodInfo, assumed: PodInfo, node: str
    ) -> None:
        async with self._write_slots:
            status = await fw.run_pre_bind(state, assumed, node)
            if status is None:
                status = await fw.run_bind(state, assumed, node)
        if status is not None:
            fw.run_unreserve(state, assumed, node)
            self.cache.forget_pod(assumed.key)
            self.queue.move_all_to_active_or_backoff(events.ASSIGNED_POD_DELETE)
            self.stats["binding_errors"] += 1
            qpi.unschedulable_plugins = set()
            self.handle_failure(fw, qpi, status.message, reason=SCHEDULER_ERROR)
            return
        self.stats["scheduled"] += 1
        if fw.recorder is not None:
            message = f"Successfully assigned {assumed.namespace}/{assumed.name} to {node}"
            fw.recorder.event(assumed.obj, NORMAL, "Scheduled", message)

    def _binding_done(self, task: asyncio.Task[None], qpi: QueuedPodInfo) -> None:
        """A binding cancelled (stopping, or leadership lost; perhaps before it started) or
        crashed may or may not have happened, and the watch will tell. Meanwhile the pod
        waits in the queue rather than in the cache."""
        if not task.cancelled() and task.exception() is None:
            return
        if not task.cancelled():
            log.error("binding %s failed", qpi.key, exc_info=task.exception())
        if self.cache.is_assumed(qpi.key):
            self.cache.forget_pod(qpi.key)
            self.queue.add_unschedulable(qpi, rejected=False)

    # failures

    def handle_failure(
        self, fw: Framework, qpi: QueuedPodInfo, message: str, *, reason: str, nominated: str | None = None
    ) -> None:
        """Requeue the pod, record FailedScheduling and update its PodScheduled condition.
        `nominated`: a node preemption nominated the pod to ("" clears a nomination)."""
        self.stats["unschedulable" if reason == UNSCHEDULABLE else "errors"] += 1
        key = qpi.key
        current = self.pod_lister.get(key) if self.pod_lister is not None else qpi.pod.obj
        if current is None:
            log.debug("pod %s was deleted while it was being scheduled", key)
            return
        if (current.get("spec") or {}).get("nodeName"):
            log.debug("pod %s was bound while it was being scheduled", key)
            return
        if current is not qpi.pod.obj:
            qpi.pod = PodInfo(current)
        self.queue.add_unschedulable(qpi, rejected=reason == UNSCHEDULABLE)
        if nominated is not None:
            if nominated:
                self.queue.nominator.add(qpi.pod, nominated)
            else:
                self.queue.nominator.delete(key)
        log.debug("unable to schedule %s: %s", key, message)
        if fw.recorder is not None:
            fw.recorder.event(current, WARNING, "FailedScheduling", truncate_message(message))
        patch = self._status_patch(current, reason, message, nominated)
        if patch is not None and self.client is not None:
            self._spawn(self._patch_status(qpi.pod, patch))

    def _status_patch(self, pod: Obj, reason: str, message: str, nominated: str | None) -> Obj | None:
        """The status patch for a failed attempt, or None if it would change nothing."""
        status = pod.get("status") or {}
        old = next((c for c in status.get("conditions") or () if c.get("type") == "PodScheduled"), None)
        condition: Obj = {"type": "PodScheduled", "status": "False", "reason": reason, "message": message}
        generation = (pod.get("metadata") or {}).get("generation")
        if generation:
            condition["observedGeneration"] = generation
        changed = old is None or any(old.get(k) != v for k, v in condition.items())
        renominate = nominated is not None and (status.get("nominatedNodeName") or "") != nominated
        if not changed and not renominate:
            return None
        keep_time = old is not None and old.get("status") == "False" and old.get("lastTransitionTime")
        condition["lastProbeTime"] = None
        condition["lastTransitionTime"] = keep_time or rfc3339(self.clock.now())
        patch: Obj = {"status": {"conditions": [condition]}}
        if renominate:
            patch["status"]["nominatedNodeName"] = nominated or None
        return patch

    async def _patch_status(self, pod: PodInfo, patch: Obj) -> None:
        assert self.client is not None
        try:
            async with self._write_slots:
                await self.client.patch_status(
                    PODS, pod.name, patch, namespace=pod.namespace, patch_type=PatchType.STRATEGIC
                )
        except NotFoundError:
            pass
        except (StatusError, ClientError) as err:
            log.warning("updating the status of pod %s failed: %s", pod.key, err)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
