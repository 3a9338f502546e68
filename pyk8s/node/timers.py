"""Deadlines for many keys, served by one task on the injected clock.

Thousands of simulated pods each wait for something (their start, their exit, the end of
their grace period). Rather than a sleeping task per pod, `TimerQueue` keeps one heap of
deadlines and one task that sleeps until the earliest; when a deadline passes it hands the
key to `fire` (which enqueues it for a worker). Scheduling a key that already has an
earlier deadline keeps the earlier one: the worker that handles it schedules the next.
An idle queue sleeps on an event: nothing wakes without a deadline.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from pyk8s._aio.clock import Clock

K = TypeVar("K", bound=Hashable)


class TimerQueue(Generic[K]):
    """`schedule(key, at)` on the clock's monotonic time; `run()` fires due keys until cancelled."""

    def __init__(self, clock: Clock, fire: Callable[[K], None]) -> None:
        self.clock = clock
        self.fire = fire
        self._deadlines: dict[K, float] = {}
        self._heap: list[tuple[float, int, K]] = []
        self._seq = itertools.count()
        self._changed = asyncio.Event()

    def schedule(self, key: K, at: float) -> None:
        """Fire `key` at monotonic time `at`, unless it is already due earlier."""
        current = self._deadlines.get(key)
        if current is not None and current <= at:
            return
        self._deadlines[key] = at
        if not self._heap or at < self._heap[0][0]:
            self._changed.set()
        heapq.heappush(self._heap, (at, next(self._seq), key))

    def cancel(self, key: K) -> None:
        """Forget `key`'s deadline (its heap entry is skipped when reached)."""
        self._deadlines.pop(key, None)

    def deadline(self, key: K) -> float | None:
        return self._deadlines.get(key)

    def __len__(self) -> int:
        return len(self._deadlines)

    def fire_due(self) -> int:
        """Fire every key whose deadline has passed; how many fired."""
        now = self.clock.monotonic()
        fired = 0
        while self._heap and self._heap[0][0] <= now:
            at, _, key = heapq.heappop(self._heap)
            if self._deadlines.get(key) != at:
                continue  # superseded by an earlier deadline, or cancelled
            del self._deadlines[key]
            self.fire(key)
            fired += 1
        while self._heap and self._deadlines.get(self._heap[0][2]) != self._heap[0][0]:
            heapq.heappop(self._heap)  # drop stale entries so the next sleep is exact
        return fired

    async def run(self) -> None:
        while True:
            self._changed.clear()
            self.fire_due()
            if not self._heap:
                await self._changed.wait()
                continue
            await wait_event(self.clock, self._changed, self._heap[0][0] - self.clock.monotonic())


async def wait_event(clock: Clock, event: asyncio.Event, seconds: float) -> None:
    """Until `event` is set or `seconds` of the clock have passed, whichever comes first."""
    if event.is_set():
        return
    if seconds <= 0:
        await asyncio.sleep(0)
        return
    waiter = asyncio.ensure_future(event.wait())
    sleeper = asyncio.ensure_future(clock.sleep(seconds))
    try:
        await asyncio.wait((waiter, sleeper), return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
        sleeper.cancel()
