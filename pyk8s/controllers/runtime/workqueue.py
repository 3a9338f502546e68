"""`WorkQueue`: the queue between informer handlers and reconcile workers (client-go's
`workqueue`: the plain, delaying and rate-limiting queues in one class).

Guarantees:
- **Fair**: items are handed out in the order they were added (FIFO), and waiting workers
  are served in the order they asked.
- **Stingy**: an item added several times before a worker takes it is handed out once.
- **Never concurrent**: an item being processed (between `get()` and `done()`) is not
  handed to another worker. Added again meanwhile, it is marked dirty and queued again
  by `done()`, so the latest change is always processed after the current pass.
- **Delays** (`add_after`) wait on the injected clock; an item waiting twice keeps the
  earlier time. `add_rate_limited` delays by the rate limiter's answer for that item;
  `forget` resets its history.
- **Shutdown**: `shutdown()` refuses new items and drops delayed ones; `get()` still hands
  out what is queued, then raises `ShutDownError`. `drain()` waits until every item that
  was handed out is `done()`.

       add ─► [dirty?]──yes──► (nothing: already queued, or requeued by done())
                 │ no
                 ▼
     queue (FIFO) ──get()──► processing ──done()──► dirty again? ──yes──► queue
       ▲
       └── delayed heap ◄── add_after / add_rate_limited (on the clock)

Everything runs on one event loop: no locks. Idle costs nothing: with no delayed items
the delay task waits on an event, not a timer.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import deque
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.client.timing import cancel_and_wait, wait_event
from pyk8s.controllers.runtime.ratelimiter import RateLimiter, default_controller_rate_limiter

T = TypeVar("T", bound=Hashable)


class ShutDownError(Exception):
    """The queue was shut down and has nothing left to hand out."""


class WorkQueue(Generic[T]):
    """A deduplicating, delaying, rate-limited FIFO of keys for N workers."""

    def __init__(
        self, *, name: str = "", rate_limiter: RateLimiter | None = None, clock: Clock | None = None
    ) -> None:
        self.name = name
        self.clock = clock or RealClock()
        self.rate_limiter = rate_limiter or default_controller_rate_limiter(self.clock)
        self._queue: deque[T] = deque()
        self._dirty: set[T] = set()
        self._processing: set[T] = set()
        self._getters: deque[asyncio.Future[None]] = deque()
        self._shutting_down = False
        self._idle = asyncio.Event()
        self._idle.set()
        # delayed items: a heap of (ready at, sequence, item) and each item's earliest time
        self._waiting: list[tuple[float, int, T]] = []
        self._ready_at: dict[T, float] = {}
        self._seq = itertools.count()
        self._delay_changed = asyncio.Event()
        self._delay_task: asyncio.Task[None] | None = None
        # counters, for metrics and tests
        self.adds = 0
        self.retries = 0

    # adding

    def add(self, item: T) -> None:
        """Queue `item` unless it is already queued; ignored after shutdown."""
        if self._shutting_down or item in self._dirty:
            return
        self.adds += 1
        self._dirty.add(item)
        if item in self._processing:
            return  # done() queues it again
        self._queue.append(item)
        self._wake_getter()

    def add_after(self, item: T, delay: float) -> None:
        """Queue `item` once `delay` seconds of the clock have passed."""
        if self._shutting_down:
            return
        if delay <= 0:
            self.add(item)
            return
        ready = self.clock.monotonic() + delay
        current = self._ready_at.get(item)
        if current is not None and current <= ready:
            return
        self._ready_at[item] = ready
        heapq.heappush(self._waiting, (ready, next(self._seq), item))
        self._ensure_delay_task()
        self._delay_changed.set()

    def add_rate_limited(self, item: T) -> None:
        """Queue `item` after the rate limiter's delay for it (a retry)."""
        self.retries += 1
        self.add_after(item, self.rate_limiter.when(item))

    def forget(self, item: T) -> None:
        """The item succeeded (or was given up): its next failure starts the backoff afresh."""
        self.rate_limiter.forget(item)

    def num_requeues(self, item: T) -> int:
        return self.rate_limiter.num_requeues(item)

    # taking

    async def get(self) -> T:
        """The next item, waiting for one; raises `ShutDownError` once shut down and empty.
        Every item returned must be given back with `done()`."""
        while not self._queue:
            if self._shutting_down:
                raise ShutDownError(self.name)
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._getters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake_getter()  # we were woken for an item: pass it on
                else:
                    self._discard_getter(waiter)
                raise
        item = self._queue.popleft()
        self._dirty.discard(item)
        self._processing.add(item)
        self._idle.clear()
        return item

    def done(self, item: T) -> None:
        """Processing of `item` finished; if it was added meanwhile, queue it again."""
        self._processing.discard(item)
        if item in self._dirty:
            self._queue.append(item)
            self._wake_getter()
        if not self._processing:
            self._idle.set()

    # shutting down

    def shutdown(self) -> None:
        """Refuse new items, drop delayed ones, and wake every waiting worker."""
        self._shutting_down = True
        self._waiting.clear()
        self._ready_at.clear()
        if self._delay_task is not None:
            self._delay_task.cancel()
            self._delay_task = None
        while self._getters:
            waiter = self._getters.popleft()
            if not waiter.done():
                waiter.set_result(None)

    async def drain(self) -> None:
        """Wait until no item is being processed."""
        await self._idle.wait()

    async def shutdown_with_drain(self) -> None:
        """`shutdown()`, then wait for the items in processing to be done."""
        self.shutdown()
        await self.drain()

    @property
    def shutting_down(self) -> bool:
        return self._shutting_down

    # introspection

    def __len__(self) -> int:
        """Items queued and not yet handed out (the queue depth)."""
        return len(self._queue)

    @property
    def in_flight(self) -> int:
        return len(self._processing)

    @property
    def waiting(self) -> int:
        """Items waiting for their delay to pass."""
        return len(self._ready_at)

    def is_idle(self) -> bool:
        """Nothing queued, processing or waiting."""
        return not self._queue and not self._processing and not self._ready_at

    def metrics(self) -> dict[str, Any]:
        return {
            "depth": len(self._queue),
            "in_flight": len(self._processing),
            "waiting": len(self._ready_at),
            "adds": self.adds,
            "retries": self.retries,
        }

    # internals

    def _wake_getter(self) -> None:
        while self._getters:
            waiter = self._getters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    def _discard_getter(self, waiter: asyncio.Future[None]) -> None:
        try:
            self._getters.remove(waiter)
        except ValueError:
            pass

    def _ensure_delay_task(self) -> None:
        if self._delay_task is None or self._delay_task.done():
            name = f"workqueue {self.name} delays" if self.name else "workqueue delays"
            self._delay_task = asyncio.get_running_loop().create_task(self._release_delayed(), name=name)

    async def _release_delayed(self) -> None:
        """Move delayed items to the queue as their time comes."""
        while True:
            self._delay_changed.clear()
            now = self.clock.monotonic()
            while self._waiting and self._waiting[0][0] <= now:
                ready, _, item = heapq.heappop(self._waiting)
                if self._ready_at.get(item) == ready:  # else superseded by an earlier time
                    del self._ready_at[item]
                    self.add(item)
            if not self._waiting:
                await self._delay_changed.wait()
            else:
                await wait_event(self.clock, self._delay_changed, self._waiting[0][0] - now)

    async def aclose(self) -> None:
        """Shut down and stop the delay task."""
        task = self._delay_task
        self.shutdown()
        await cancel_and_wait(task)
