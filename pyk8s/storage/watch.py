"""In-process watch fan-out for backends that see every commit themselves (memory, sqlite).

The design follows etcd's watchable store. A watcher is *synced* while it keeps up: each
commit's events are appended to its bounded buffer as they are notified. A watcher that
starts behind the store, or whose buffer overflows because its consumer is slow, is
*unsynced*: it drops its buffer and catches up by reading history from the backend, then
becomes synced again. So a slow watcher never delays a writer or another watcher, and it
loses nothing unless the history it needs has been compacted away, in which case it ends
with `RevisionCompactedError`.

Gap-free hand-over: before reading history up to revision R, a watcher starts buffering
live events after R, so every revision lands either in the history read or in the buffer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Self

from pyk8s.storage.errors import RevisionTooNewError, StorageError
from pyk8s.storage.interface import Revision, StorageEvent

# history(prefix, after, upto, limit) -> up to `limit` events with after < revision <= upto.
HistoryReader = Callable[[str, Revision, Revision, int], Awaitable[list[StorageEvent]]]

DEFAULT_BUFFER_LIMIT = 10_000
HISTORY_BATCH = 1_000


class WatchHub:
    """Fans committed events out to watchers; `notify` runs on the event loop after commit."""

    def __init__(
        self,
        history: HistoryReader,
        *,
        buffer_limit: int = DEFAULT_BUFFER_LIMIT,
        current: Callable[[], Revision] | None = None,
    ) -> None:
        self._history = history
        # The store's revision, when it can be ahead of what this hub has been told (a store
        # shared between processes); progress requests wait for the hub to reach it.
        self.current = current or (lambda: self.revision)
        self._buffer_limit = buffer_limit
        self._watchers: set[HubWatchStream] = set()
        # Watchers by prefix (each ends with "/"): an event finds its watchers through its
        # key's few "/"-prefixes instead of every watcher looking at every event.
        self._by_prefix: dict[str, set[HubWatchStream]] = {}
        self._progress_wanted: set[HubWatchStream] = set()
        self.revision: Revision = 0
        self._closed = False

    def notify(self, events: list[StorageEvent], revision: Revision) -> None:
        """Deliver one or more commits' events; `revision` is the store revision after them."""
        self.revision = revision
        by_prefix = self._by_prefix
        offers: dict[HubWatchStream, list[StorageEvent]] = {}
        for event in events:
            key = event.kv.key
            end = key.find("/") + 1
            while end:
                watchers = by_prefix.get(key[:end])
                if watchers:
                    for watcher in watchers:
                        offered = offers.get(watcher)
                        if offered is None:
                            offers[watcher] = [event]
                        else:
                            offered.append(event)
                end = key.find("/", end) + 1
        for watcher, offered in offers.items():
            watcher._offer(offered)
        for watcher in tuple(self._progress_wanted):
            if watcher not in offers:
                watcher._offer(())

    def watch(self, prefix: str, after_revision: Revision, *, current: Revision = 0) -> HubWatchStream:
        """A watcher of events after `after_revision`; `current` is the store's revision when
        the hub may not have heard of it yet (storage shared between processes)."""
        if after_revision > max(self.revision, current):
            raise RevisionTooNewError(after_revision, max(self.revision, current))
        return HubWatchStream(self, prefix, after_revision)

    def resync(self) -> None:
        """Events were missed: every watcher catches up from history (see the module docstring)."""
        for watcher in tuple(self._watchers):
            watcher._resync()

    @property
    def watcher_count(self) -> int:
        return len(self._watchers)

    def close(self) -> None:
        """End every watch (their iteration stops)."""
        self._closed = True
        for watcher in tuple(self._watchers):
            watcher._end()


class HubWatchStream:
    """One watcher of a `WatchHub` (see the module docstring for the sync protocol)."""

    def __init__(self, hub: WatchHub, prefix: str, after_revision: Revision) -> None:
        self._hub = hub
        self._prefix = prefix
        self._delivered = after_revision  # every matching event <= this was yielded
        self._floor = after_revision  # the buffer holds matching events > this
        self._buffer: list[StorageEvent] = []
        self._unsynced = after_revision < hub.revision
        self._wakeup = asyncio.Event()
        self._closed = False
        self._progress_target: Revision = 0  # report progress (empty batches) until the hub is here
        hub._watchers.add(self)
        hub._by_prefix.setdefault(prefix, set()).add(self)
        if hub._closed:
            self._end()

    def _offer(self, events: Sequence[StorageEvent]) -> None:
        """Events under this watcher's prefix (the hub picked them), in revision order."""
        if self._unsynced or self._closed:
            return
        floor = self._floor
        matching = [e for e in events if e.kv.mod_revision > floor]
        if not matching:
            if self._progress_target:
                self._wakeup.set()  # a progress report is owed
            return
        if len(self._buffer) + len(matching) > self._hub._buffer_limit:
            # Too slow: stop buffering and catch up from history instead.
            self._buffer = []
            self._unsynced = True
        else:
            self._buffer.extend(matching)
        self._wakeup.set()

    def _resync(self) -> None:
        self._buffer = []
        self._unsynced = True
        self._wakeup.set()

    def _end(self) -> None:
        self._closed = True
        hub = self._hub
        hub._watchers.discard(self)
        hub._progress_wanted.discard(self)
        same = hub._by_prefix.get(self._prefix)
        if same is not None:
            same.discard(self)
            if not same:
                del hub._by_prefix[self._prefix]
        self._wakeup.set()

    @property
    def progress_revision(self) -> Revision:
        if not self._unsynced and not self._buffer:
            return max(self._delivered, self._hub.revision)
        return self._delivered

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> list[StorageEvent]:
        while not self._closed:
            if self._unsynced:
                batch = await self._catch_up()
                if batch:
                    return batch
                continue
            if self._buffer:
                batch, self._buffer = self._buffer, []
                self._delivered = batch[-1].kv.mod_revision
                self._floor = max(self._floor, self._delivered)
                return batch
            if self._progress_target and self._wakeup.is_set():
                if self._hub.revision >= self._progress_target:
                    self._progress_target = 0
                    self._hub._progress_wanted.discard(self)
                self._wakeup.clear()
                return []  # progress: `progress_revision` moved with the hub
            self._wakeup.clear()
            await self._wakeup.wait()
        raise StopAsyncIteration

    async def _catch_up(self) -> list[StorageEvent]:
        """Read one batch of history; become synced once history reaches the buffer's floor."""
        upto = self._hub.revision
        # From here on, live events after `upto` are buffered.
        self._unsynced = False
        self._buffer = []
        self._floor = upto
        try:
            events = await self._hub._history(self._prefix, self._delivered, upto, HISTORY_BATCH)
        except StorageError:
            self._end()
            raise
        if len(events) >= HISTORY_BATCH:
            # More history remains before `upto`: stay unsynced for the next round.
            self._delivered = events[-1].kv.mod_revision
            self._unsynced = True
            self._buffer = []
        else:
            self._delivered = max(self._delivered, upto)
        return events

    async def request_progress(self) -> None:
        """`progress_revision` is current while idle, up to what the hub has been told: when
        the store is ahead of the hub (shared between processes), report progress with empty
        batches until the hub has caught up with the store's revision of now."""
        target = self._hub.current()
        if target > self._hub.revision:
            self._progress_target = max(self._progress_target, target)
            self._hub._progress_wanted.add(self)

    async def aclose(self) -> None:
        self._end()
