"""The scheduling queue: pods waiting to be scheduled, in three parts (kube-scheduler's).

    new pod ──► activeQ ──pop──► scheduling cycle ──fits──► (binding)
                  ▲   ▲                 │
                  │   │ backoff over    │ rejected by plugins P        error
                  │   └── backoffQ ◄────┼───────────────────────────────────┘
                  │          ▲          ▼
                  └──────────┴── unschedulable pods ◄── (waits for an event P registered,
                       cluster event for P              or 5 minutes at most)

- activeQ is a heap: higher `spec.priority` first, then the earlier enqueue time
  (the PrioritySort plugin).
- A pod that failed waits out a backoff before it is tried again: 1 s doubled per failed
  attempt, at most 10 s (podInitialBackoffSeconds, podMaxBackoffSeconds).
- A pod that plugins rejected is parked until a cluster event one of those plugins
  registered for (a node added, an assigned pod deleted, ...) moves it back, to backoffQ if
  its backoff has not run out yet, else to activeQ. After 5 minutes it is moved anyway.
- A pod with `spec.schedulingGates` waits aside until an update removes them.
- An update to a parked pod's spec moves it back at once (the user may have fixed it).

Time comes from the injected clock; `run()` sleeps until the next backoff or timeout is
due (never polls), and the flush methods can be called directly by tests.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Callable, Iterable, Mapping

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.scheduler.events import ClusterEvent
from pyk8s.scheduler.nominator import Nominator
from pyk8s.scheduler.podinfo import PodInfo

log = logging.getLogger("pyk8s.scheduler.queue")

DEFAULT_INITIAL_BACKOFF = 1.0
DEFAULT_MAX_BACKOFF = 10.0
DEFAULT_MAX_IN_UNSCHEDULABLE = 300.0
ACTIVE, BACKOFF, UNSCHEDULABLE, GATED = "active", "backoff", "unschedulable", "gated"


class QueuedPodInfo:
    """A pod in the queue, with its scheduling history."""

    __slots__ = ("attempts", "initial_attempt_timestamp", "pod", "seq", "timestamp", "unschedulable_plugins")

    def __init__(self, pod: PodInfo, timestamp: float) -> None:
        self.pod = pod
        self.timestamp = timestamp  # when it was last (re)queued
        self.initial_attempt_timestamp: float | None = None
        self.attempts = 0
        self.unschedulable_plugins: set[str] = set()
        self.seq = 0  # the activeQ heap entry that is current (older entries are stale)

    @property
    def key(self) -> str:
        return self.pod.key

    def __repr__(self) -> str:
        return f"QueuedPodInfo({self.pod.key}, attempts={self.attempts})"


class SchedulingQueue:
    """activeQ, backoffQ and the unschedulable pods, plus the nominator."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        initial_backoff: float = DEFAULT_INITIAL_BACKOFF,
        max_backoff: float = DEFAULT_MAX_BACKOFF,
        max_in_unschedulable: float = DEFAULT_MAX_IN_UNSCHEDULABLE,
        events_to_register: Mapping[str, Iterable[ClusterEvent]] | None = None,
    ) -> None:
        self.clock = clock or RealClock()
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.max_in_unschedulable = max_in_unschedulable
        self.nominator = Nominator()
        self._registrations = {name: list(events) for name, events in (events_to_register or {}).items()}
        self._interested: dict[ClusterEvent, frozenset[str]] = {}
        self._where: dict[str, str] = {}
        self._active: dict[str, QueuedPodInfo] = {}
        self._active_heap: list[tuple[int, float, int, str]] = []
        self._backoff: dict[str, QueuedPodInfo] = {}
        self._backoff_heap: list[tuple[float, int, str]] = []
        self._unschedulable: dict[str, QueuedPodInfo] = {}  # in order of timestamp
        self._rejected_by: dict[str, set[str]] = {}  # plugin ("" for none) -> parked pod keys
        self._gated: dict[str, QueuedPodInfo] = {}
        self._seq = itertools.count(1)
        self._has_active = asyncio.Event()
        self._timers_changed = asyncio.Event()
        self.scheduling_cycle = 0

    def register_events(self, registrations: Mapping[str, Iterable[ClusterEvent]]) -> None:
        """Add plugins' event registrations (several profiles may share plugin names)."""
        for name, registered in registrations.items():
            self._registrations.setdefault(name, []).extend(registered)
        self._interested.clear()

    # sizes (observable queues)

    def metrics(self) -> dict[str, int]:
        return {
            "active": len(self._active),
            "backoff": len(self._backoff),
            "unschedulable": len(self._unschedulable),
            "gated": len(self._gated),
            "nominated": len(self.nominator),
            "scheduling_cycle": self.scheduling_cycle,
        }

    def __len__(self) -> int:
        return len(self._where)

    def where(self, key: str) -> str | None:
        """Which part of the queue holds the pod (None: not queued)."""
        return self._where.get(key)

    def get(self, key: str) -> QueuedPodInfo | None:
        part = self._where.get(key)
        if part is None:
            return None
        return {ACTIVE: self._active, BACKOFF: self._backoff, UNSCHEDULABLE: self._unschedulable}.get(
            part, self._gated
        ).get(key)

    # informer-side operations

    def add(self, pod: PodInfo) -> None:
        """A new pending pod."""
        if pod.key in self._where:
            self.update(None, pod)
            return
        qpi = QueuedPodInfo(pod, self.clock.monotonic())
        if pod.scheduling_gated:
            self._put(qpi, GATED)
        else:
            self._put(qpi, ACTIVE)
        self.nominator.add(pod)

    def update(self, old: PodInfo | None, new: PodInfo) -> None:
        """A new version of a pending pod."""
        self.nominator.update(old, new)
        qpi = self.get(new.key)
        if qpi is None:
            self.add(new)
            return
        part = self._where[new.key]
        spec_changed = old is None or _spec_changed(old, new)
        qpi.pod = new
        if part == ACTIVE:
            if old is None or old.priority != new.priority:
                self._put(qpi, ACTIVE)  # re-heap with the new priority
        elif part == GATED:
            if not new.scheduling_gated:
                self._take(new.key)
                self._put(qpi, ACTIVE)
        elif part == UNSCHEDULABLE and spec_changed:
            self._take(new.key)
            self._requeue(qpi)

    def delete(self, key: str) -> None:
        self._take(key)
        self.nominator.delete(key)

    # the scheduling loop's side

    async def pop(self) -> QueuedPodInfo:
        """The next pod to schedule, waiting for one; always yields to the loop first, so
        informer events and bindings run between scheduling cycles."""
        await asyncio.sleep(0)
        while not self._active:
            self._has_active.clear()
            await self._has_active.wait()
        return self.pop_nowait()

    def pop_nowait(self) -> QueuedPodInfo:
        while self._active_heap:
            _, _, seq, key = heapq.heappop(self._active_heap)
            qpi = self._active.get(key)
            if qpi is None or qpi.seq != seq:
                continue  # stale entry
            del self._active[key]
            del self._where[key]
            qpi.attempts += 1
            if qpi.initial_attempt_timestamp is None:
                qpi.initial_attempt_timestamp = self.clock.monotonic()
            self.scheduling_cycle += 1
            return qpi
        raise IndexError("activeQ is empty")

    def add_unschedulable(self, qpi: QueuedPodInfo, *, rejected: bool) -> None:
        """Requeue a pod that did not fit (`rejected`, to wait for an event) or failed."""
        if qpi.key in self._where:
            return
        qpi.timestamp = self.clock.monotonic()
        if rejected and qpi.unschedulable_plugins:
            self._put(qpi, UNSCHEDULABLE)
        else:
            # No plugin to wait for (an error, an API failure): retry after the backoff.
            self._put(qpi, BACKOFF)

    def activate(self, keys: Iterable[str]) -> None:
        """Move these pods to activeQ now, wherever they wait."""
        for key in keys:
            qpi = self.get(key)
            if qpi is not None and self._where[key] in (BACKOFF, UNSCHEDULABLE):
                self._take(key)
                self._put(qpi, ACTIVE)

    # cluster events

    def move_all_to_active_or_backoff(
        self, event: ClusterEvent, pre_check: Callable[[PodInfo], bool] | None = None
    ) -> int:
        """Move parked pods that `event` may make schedulable; returns how many moved."""
        if not self._unschedulable:
            return 0
        if event.resource == "*":
            candidates: Iterable[QueuedPodInfo] = list(self._unschedulable.values())
        else:
            # Only pods a plugin interested in this event rejected (and pods no plugin
            # rejected): an assigned pod added every millisecond must not walk them all.
            keys = set(self._rejected_by.get("", ()))
            for plugin in self._interested_plugins(event):
                keys |= self._rejected_by.get(plugin, set())
            candidates = [self._unschedulable[k] for k in keys]
        moved = [qpi for qpi in candidates if pre_check is None or pre_check(qpi.pod)]
        for qpi in moved:
            self._take(qpi.key)
            self._requeue(qpi)
        if moved:
            log.debug("%s moved %d pods", event.label or event, len(moved))
        return len(moved)

    def _interested_plugins(self, event: ClusterEvent) -> frozenset[str]:
        found = self._interested.get(event)
        if found is None:
            found = frozenset(
                name for name, events in self._registrations.items() if any(event.matches(e) for e in events)
            )
            self._interested[event] = found
        return found

    # backoff and timeouts

    def backoff_duration(self, qpi: QueuedPodInfo) -> float:
        duration = self.initial_backoff
        for _ in range(1, qpi.attempts):
            duration *= 2
            if duration >= self.max_backoff:
                return self.max_backoff
        return duration

    def backoff_expiry(self, qpi: QueuedPodInfo) -> float:
        return qpi.timestamp + self.backoff_duration(qpi)

    def is_backing_off(self, qpi: QueuedPodInfo) -> bool:
        return self.backoff_expiry(qpi) > self.clock.monotonic()

    def flush_backoff_completed(self) -> int:
        """Move pods whose backoff is over to activeQ."""
        now, moved = self.clock.monotonic(), 0
        while self._backoff_heap and self._backoff_heap[0][0] <= now:
            _, seq, key = heapq.heappop(self._backoff_heap)
            qpi = self._backoff.get(key)
            if qpi is None or qpi.seq != seq:
                continue
            self._take(key)
            self._put(qpi, ACTIVE)
            moved += 1
        return moved

    def flush_unschedulable_left_over(self) -> int:
        """Move pods parked for longer than max_in_unschedulable."""
        now = self.clock.monotonic()
        stale = []
        for qpi in self._unschedulable.values():
            if now - qpi.timestamp < self.max_in_unschedulable:
                break  # the dict is in timestamp order
            stale.append(qpi)
        for qpi in stale:
            self._take(qpi.key)
            self._requeue(qpi)
        return len(stale)

    def next_deadline(self) -> float | None:
        """When the next backoff or unschedulable timeout is due (monotonic), if any."""
        deadlines = []
        while self._backoff_heap:
            expiry, seq, key = self._backoff_heap[0]
            qpi = self._backoff.get(key)
            if qpi is not None and qpi.seq == seq:
                deadlines.append(expiry)
                break
            heapq.heappop(self._backoff_heap)
        first = next(iter(self._unschedulable.values()), None)
        if first is not None:
            deadlines.append(first.timestamp + self.max_in_unschedulable)
        return min(deadlines) if deadlines else None

    async def run(self) -> None:
        """Flush backoffs and timeouts when they are due, until cancelled."""
        while True:
            self._timers_changed.clear()
            self.flush_backoff_completed()
            self.flush_unschedulable_left_over()
            deadline = self.next_deadline()
            if deadline is None:
                await self._timers_changed.wait()
                continue
            delay = deadline - self.clock.monotonic()
            if delay > 0:
                await _sleep_or_event(self.clock, delay, self._timers_changed)

    # internals

    def _requeue(self, qpi: QueuedPodInfo) -> None:
        self._put(qpi, BACKOFF if self.is_backing_off(qpi) else ACTIVE)

    def _put(self, qpi: QueuedPodInfo, part: str) -> None:
        key = qpi.key
        self._where[key] = part
        if part == ACTIVE:
            qpi.seq = next(self._seq)
            self._active[key] = qpi
            heapq.heappush(self._active_heap, (-qpi.pod.priority, qpi.timestamp, qpi.seq, key))
            self._has_active.set()
        elif part == BACKOFF:
            qpi.seq = next(self._seq)
            self._backoff[key] = qpi
            heapq.heappush(self._backoff_heap, (self.backoff_expiry(qpi), qpi.seq, key))
            self._timers_changed.set()
        elif part == UNSCHEDULABLE:
            self._unschedulable[key] = qpi
            for plugin in qpi.unschedulable_plugins or ("",):
                self._rejected_by.setdefault(plugin, set()).add(key)
            self._timers_changed.set()
        else:
            self._gated[key] = qpi

    def _take(self, key: str) -> QueuedPodInfo | None:
        part = self._where.pop(key, None)
        if part is None:
            return None
        store = {ACTIVE: self._active, BACKOFF: self._backoff, UNSCHEDULABLE: self._unschedulable}.get(
            part, self._gated
        )
        qpi = store.pop(key, None)
        if part == UNSCHEDULABLE and qpi is not None:
            for plugin in qpi.unschedulable_plugins or ("",):
                keys = self._rejected_by.get(plugin)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del self._rejected_by[plugin]
        return qpi


def _spec_changed(old: PodInfo, new: PodInfo) -> bool:
    """Whether an update may change the scheduling outcome (isPodUpdated: anything but the
    status and bookkeeping metadata)."""
    o, n = old.obj, new.obj
    if o.get("spec") != n.get("spec"):
        return True
    om, nm = o.get("metadata") or {}, n.get("metadata") or {}
    return om.get("labels") != nm.get("labels") or om.get("annotations") != nm.get("annotations")


async def _sleep_or_event(clock: Clock, seconds: float, event: asyncio.Event) -> None:
    """Sleep `seconds` of the clock, or less if `event` is set."""
    sleeper = asyncio.ensure_future(clock.sleep(seconds))
    waiter = asyncio.ensure_future(event.wait())
    try:
        await asyncio.wait((sleeper, waiter), return_when=asyncio.FIRST_COMPLETED)
    finally:
        sleeper.cancel()
        waiter.cancel()
