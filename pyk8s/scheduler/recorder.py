"""Event recording for the scheduler: one broadcaster, behind the bindings.

The scheduler records an event for every pod it places (Scheduled) or fails to place
(FailedScheduling): hundreds per second. The client's `EventBroadcaster` writes 16 events
at once (events about one object in order), while up to `max_concurrent_writes` (64)
bindings are in flight: when the API server is the bottleneck, bindings get most of its
attention and events catch up after a burst, as kube-scheduler's events do (it writes them
through a client of their own, with its own rate limit). Until then they wait in the
broadcaster's queues (about 2 KB each).
"""

from __future__ import annotations

from pyk8s._aio.clock import Clock
from pyk8s.client import Client, EventBroadcaster, EventRecorder

QUEUE_SIZE = 20_000


class EventSinks:
    """The scheduler's broadcaster, and a recorder per scheduler name."""

    def __init__(self, client: Client, clock: Clock, *, queue_size: int = QUEUE_SIZE) -> None:
        self.broadcaster = EventBroadcaster(client, clock=clock, queue_size=queue_size)

    def recorder(self, component: str) -> EventRecorder:
        return self.broadcaster.new_recorder(component)

    @property
    def dropped(self) -> int:
        return self.broadcaster.dropped

    async def stop(self, *, flush_timeout: float = 2.0) -> None:
        await self.broadcaster.stop(flush_timeout=flush_timeout)
