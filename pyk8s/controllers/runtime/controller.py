"""`Controller`: a work queue, its informers' handlers, N workers and one `Reconciler`.

    controller = Controller("replicaset", reconciler, workers=5, clock=ctx.clock)
    controller.watch(rs_informer)                                   # enqueue the RS itself
    controller.watch(pod_informer, EnqueueOwner(controller.queue, kind="ReplicaSet", group="apps"))
    await controller.run()                                          # until cancelled

`run()` waits until every watched informer has synced (a reconciler reading a half-filled
cache would create duplicates), then starts the workers. Each worker takes a key, calls
`reconcile(key)` and applies the retry policy — the only place in the project that does:

    returned None / Result()          forget(key)                        (success)
    Result(requeue_after=s)           forget(key); add_after(key, s)     (look again later)
    raised TerminalError              forget(key), logged                (not retried)
    raised anything else              add_rate_limited(key), logged      (retry with backoff)
    retried max_retries times         forget(key), logged                (given up; a later
                                                                          event enqueues it again)

Cancelling `run()` stops taking keys, lets in-flight reconciles finish for up to
`shutdown_grace` seconds, then cancels them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api.errors import ConflictError, StatusError
from pyk8s.client.errors import ClientError
from pyk8s.client.informers import HandlerRegistration, ResourceEventHandler, SharedInformer
from pyk8s.client.timing import cancel_and_wait
from pyk8s.controllers.runtime.handlers import EnqueueObject
from pyk8s.controllers.runtime.ratelimiter import RateLimiter
from pyk8s.controllers.runtime.reconciler import Reconciler, Result, TerminalError
from pyk8s.controllers.runtime.workqueue import ShutDownError, WorkQueue

log = logging.getLogger("pyk8s.controllers")

SHUTDOWN_GRACE = 5.0


class Controller:
    """Runs `reconciler` for every key its handlers enqueue (see the module docstring)."""

    def __init__(
        self,
        name: str,
        reconciler: Reconciler,
        *,
        workers: int = 1,
        clock: Clock | None = None,
        rate_limiter: RateLimiter | None = None,
        queue: WorkQueue[str] | None = None,
        max_retries: int | None = None,
        shutdown_grace: float = SHUTDOWN_GRACE,
    ) -> None:
        if workers < 1:
            raise ValueError("a controller needs at least one worker")
        self.name = name
        self.reconciler = reconciler
        self.workers = workers
        self.clock = clock or RealClock()
        self.max_retries = max_retries
        self.shutdown_grace = shutdown_grace
        # A reconciler that enqueues itself (requeue after a pod's readiness) shares the queue.
        self.queue: WorkQueue[str] = (
            queue if queue is not None else WorkQueue(name=name, rate_limiter=rate_limiter, clock=self.clock)
        )
        self._informers: list[SharedInformer] = []
        self._stopping = False
        self.started = asyncio.Event()  # set once the caches synced and the workers run
        # counters, for metrics and "has the cluster settled" checks
        self.reconciles = 0
        self.failures = 0
        self.last_key = ""

    # wiring

    def watch(
        self, informer: SharedInformer, handler: ResourceEventHandler | None = None
    ) -> HandlerRegistration:
        """Add `handler` (default: enqueue the object's key) to `informer`; `run()` waits for
        the informer to sync before reconciling anything."""
        if informer not in self._informers:
            self._informers.append(informer)
        return informer.add_event_handler(handler or EnqueueObject(self.queue))

    def wait_for(self, *informers: SharedInformer) -> None:
        """Also wait for these informers (read through listers, no handler) before starting."""
        for informer in informers:
            if informer not in self._informers:
                self._informers.append(informer)

    @property
    def informers(self) -> Sequence[SharedInformer]:
        return tuple(self._informers)

    def enqueue(self, key: str) -> None:
        """Ask for a reconcile of `key`."""
        self.queue.add(key)

    def enqueue_after(self, key: str, delay: float) -> None:
        """Ask for a reconcile of `key` in `delay` seconds."""
        self.queue.add_after(key, delay)

    # running

    async def run(self) -> None:
        """Wait for the caches, then reconcile until cancelled."""
        self._stopping = False
        log.info("starting controller %s", self.name)
        await asyncio.gather(*(informer.wait_for_sync() for informer in self._informers))
        workers = [
            asyncio.create_task(self._worker(), name=f"{self.name} worker {i}") for i in range(self.workers)
        ]
        self.started.set()
        log.info("controller %s: caches synced, %d workers running", self.name, self.workers)
        try:
            await asyncio.wait(workers)  # unlike gather, cancelling this leaves the workers to _stop
        finally:
            await self._stop(workers)

    async def _stop(self, workers: list[asyncio.Task[None]]) -> None:
        self._stopping = True
        self.queue.shutdown()
        if self.queue.in_flight:
            done, _ = await asyncio.wait(
                [asyncio.ensure_future(self.queue.drain())], timeout=self.shutdown_grace
            )
            if not done:
                log.warning("controller %s: in-flight reconciles cancelled at shutdown", self.name)
        for task in workers:
            await cancel_and_wait(task)
        await self.queue.aclose()
        self.started.clear()
        log.info("controller %s stopped", self.name)

    async def _worker(self) -> None:
        while not self._stopping:
            try:
                key = await self.queue.get()
            except ShutDownError:
                return
            if self._stopping:  # woken by the shutdown with items still queued: leave them
                self.queue.done(key)
                return
            try:
                await self.process(key)
            finally:
                self.queue.done(key)

    async def process(self, key: str) -> None:
        """One reconcile of `key` and the retry policy applied to its outcome."""
        self.reconciles += 1
        self.last_key = key
        try:
            result = await self.reconciler.reconcile(key)
        except asyncio.CancelledError:
            raise
        except TerminalError as err:
            self.failures += 1
            self.queue.forget(key)
            log.error("%s: %s cannot be reconciled: %s", self.name, key, err)
            return
        except Exception as err:
            self.failures += 1
            self._retry(key, err)
            return
        self.queue.forget(key)
        if isinstance(result, Result) and result.requeue_after is not None:
            self.queue.add_after(key, result.requeue_after)

    def _retry(self, key: str, err: Exception) -> None:
        retries = self.queue.num_requeues(key)
        if self.max_retries is not None and retries >= self.max_retries:
            self.queue.forget(key)
            log.error("%s: dropping %s after %d retries: %s", self.name, key, retries, _describe(err))
            return
        if isinstance(err, ConflictError):
            # Someone wrote first; the informer brings the new version and the retry uses it.
            log.debug("%s: %s: %s; retrying", self.name, key, err.message)
        elif isinstance(err, StatusError | ClientError):
            log.warning("%s: error syncing %s: %s; retrying", self.name, key, _describe(err))
        else:
            log.error("%s: error syncing %s; retrying", self.name, key, exc_info=err)
        self.queue.add_rate_limited(key)

    # introspection

    def is_idle(self) -> bool:
        """Nothing queued, in flight or waiting for a retry or delay."""
        return self.queue.is_idle()

    def metrics(self) -> dict[str, Any]:
        """Queue depth, in-flight and waiting items, and reconcile counters."""
        return {
            **self.queue.metrics(),
            "workers": self.workers,
            "reconciles": self.reconciles,
            "failures": self.failures,
            "last_key": self.last_key,
            "synced": all(informer.has_synced() for informer in self._informers),
        }


def _describe(err: Exception) -> str:
    if isinstance(err, StatusError):
        return f"{err.code} {err.reason}: {err.message}"
    return str(err) or type(err).__name__
