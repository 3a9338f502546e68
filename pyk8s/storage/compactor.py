"""Retention: compacts a store's history once it is older than a time window or too long.

A revision is compactable when it stopped being current more than `window_seconds` ago, or
when it is more than `max_revisions` behind the current revision, whichever comes first
(defaults: 5 minutes, 10,000 revisions). Reads and watches that need compacted history get
`RevisionCompactedError`; Kubernetes clients answer that by relisting.

The compactor is driven by commits, not polling: an idle store costs nothing. After a commit
it waits `interval_seconds` (batching the check for busy stores), samples the current
revision and compacts up to the retention point.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.storage.errors import StorageError
from pyk8s.storage.interface import Revision, Storage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Retention:
    """How much history a store keeps."""

    window_seconds: float = 300.0
    max_revisions: int = 10_000
    interval_seconds: float = 5.0


class Compactor:
    """Runs beside a store and keeps its history within `retention`."""

    def __init__(self, storage: Storage, retention: Retention, *, clock: Clock | None = None) -> None:
        self._storage = storage
        self._retention = retention
        self._clock = clock or RealClock()
        self._latest: Revision = 0
        self._wake = asyncio.Event()
        # (monotonic time, revision current at that time), oldest first
        self._samples: deque[tuple[float, Revision]] = deque()
        self.compacted: Revision = 0

    def observe(self, revision: Revision) -> None:
        """Called after each commit (cheap: records and wakes the compactor)."""
        if revision > self._latest:
            self._latest = revision
            self._wake.set()

    def target(self, now: float, current: Revision) -> Revision:
        """The revision to compact to, given the samples seen so far."""
        retention = self._retention
        target = current - retention.max_revisions
        horizon = now - retention.window_seconds
        # The revision that was current at the horizon is no longer needed after it.
        while len(self._samples) > 1 and self._samples[1][0] <= horizon:
            self._samples.popleft()
        if self._samples and self._samples[0][0] <= horizon:
            target = max(target, self._samples[0][1])
        return min(target, current)

    async def run(self) -> None:
        """Until cancelled."""
        while True:
            await self._wait(self._next_due())
            self._wake.clear()
            await self._clock.sleep(self._retention.interval_seconds)
            await self.step()

    def _next_due(self) -> float | None:
        """Seconds until time alone makes more history compactable (None: only a write can)."""
        pending = [t for t, rev in self._samples if rev > self.compacted]
        if not pending:
            return None
        return max(0.0, pending[0] + self._retention.window_seconds - self._clock.monotonic())

    async def _wait(self, timeout: float | None) -> None:
        """Until a commit is observed or `timeout` seconds of clock time pass."""
        if timeout is None:
            await self._wake.wait()
            return
        waiter = asyncio.ensure_future(self._wake.wait())
        timer = asyncio.ensure_future(self._clock.sleep(timeout))
        try:
            await asyncio.wait((waiter, timer), return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            timer.cancel()

    async def step(self) -> None:
        """Sample the store and compact up to the retention point once."""
        now = self._clock.monotonic()
        try:
            current = await self._storage.current_revision()
            self._latest = max(self._latest, current)
            if not self._samples or self._samples[-1][1] != current:
                self._samples.append((now, current))
            target = self.target(now, current)
            if target > self.compacted:
                await self._storage.compact(target)
                self.compacted = target
                log.debug("compacted %s to revision %d", self._storage.url, target)
        except StorageError as err:
            log.warning("compaction of %s failed: %s", self._storage.url, err)
