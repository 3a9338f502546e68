"""Event recording for the scheduler: several broadcasters, each object always on the same one.

The scheduler records an event for every pod it places (Scheduled) or fails to place
(FailedScheduling): hundreds per second. `EventBroadcaster` writes one event at a time,
so at that rate its queue only grows (each write waits for the server's commit); client-go's
events library writes each event in its own goroutine. Until the client's broadcaster
writes concurrently, events are spread over `SHARDS` broadcasters by object, which keeps
the per-object correlation (repeats counted on one Event, spam filtering) intact.
"""

from __future__ import annotations

import asyncio
import zlib
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.client import Client, EventBroadcaster, EventRecorder

SHARDS = 4
QUEUE_SIZE = 5000  # per shard


class ShardedRecorder:
    """An EventRecorder's `event()` over several broadcasters."""

    def __init__(self, broadcasters: list[EventBroadcaster], component: str) -> None:
        self.recorders: list[EventRecorder] = [b.new_recorder(component) for b in broadcasters]

    def event(
        self, obj: dict[str, Any], type: str, reason: str, message: str, *, field_path: str = ""
    ) -> None:
        meta = obj.get("metadata") or {}
        key = f"{meta.get('namespace', '')}/{meta.get('name', '')}".encode()
        recorder = self.recorders[zlib.crc32(key) % len(self.recorders)]
        recorder.event(obj, type, reason, message, field_path=field_path)


class EventSinks:
    """The scheduler's broadcasters, and a recorder per scheduler name."""

    def __init__(self, client: Client, clock: Clock, *, shards: int = SHARDS) -> None:
        self.broadcasters = [
            EventBroadcaster(client, clock=clock, queue_size=QUEUE_SIZE) for _ in range(shards)
        ]

    def recorder(self, component: str) -> ShardedRecorder:
        return ShardedRecorder(self.broadcasters, component)

    @property
    def dropped(self) -> int:
        return sum(b.dropped for b in self.broadcasters)

    async def stop(self, *, flush_timeout: float = 2.0) -> None:
        await asyncio.gather(*(b.stop(flush_timeout=flush_timeout) for b in self.broadcasters))
