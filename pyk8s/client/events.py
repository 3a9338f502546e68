"""Recording core/v1 Events about objects, as Kubernetes' `tools/record` does.

    broadcaster = EventBroadcaster(client)                 # one per process
    recorder = broadcaster.new_recorder("replicaset-controller")
    recorder.event(rs, NORMAL, "SuccessfulCreate", f"Created pod: {name}")
    ...
    await broadcaster.stop()                               # writes what is queued

`event()` never blocks and never raises: it stamps the event with the clock's time and puts
it on a bounded queue (a full queue drops it, with a log line); one background task per
broadcaster correlates and writes. `EventCorrelator` is Kubernetes' `EventCorrelator`:

1. **Aggregation of similar events.** Events that differ only in their message (same
   source, object, type and reason) are tracked for 10 minutes; once 10 different messages
   were seen, further ones become a single event whose message starts with
   "(combined from similar events): ".
2. **Counting repeats.** An event identical to one already written (same source, object,
   type, reason and message, remembered in an LRU of 4096) is not created again: the
   existing Event's `count`, `lastTimestamp` and `message` are PATCHed. If it was deleted
   meanwhile, it is created again.
3. **Spam filter.** A token bucket per source and object (burst 25, then one every 5
   minutes) drops events beyond it.

core/v1 is used rather than events.k8s.io/v1 because that is what kube-controller-manager's
recorder writes, what `kubectl describe` reads and what the API server converts to the
events.k8s.io view (`count` there is `series.count`). Names are `<object name>.<hex
nanoseconds>`, in the object's namespace (`default` for cluster-scoped objects).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.errors import AlreadyExistsError, NotFoundError, StatusError
from pyk8s.api.meta import rfc3339
from pyk8s.client.errors import ClientError
from pyk8s.client.flowcontrol import Backoff, TokenBucket
from pyk8s.client.resources import EVENTS
from pyk8s.client.rest import Client, PatchType
from pyk8s.client.timing import cancel_and_wait

log = logging.getLogger("pyk8s.client.events")

Obj = dict[str, Any]
NORMAL = "Normal"
WARNING = "Warning"

AGGREGATION_WINDOW = 600.0  # seconds during which similar events are tracked
MAX_SIMILAR = 10  # distinct messages before similar events are combined
COMBINED_PREFIX = "(combined from similar events): "
SPAM_BURST = 25
SPAM_QPS = 1 / 300
CACHE_SIZE = 4096
QUEUE_SIZE = 5000  # events waiting to be written; beyond it new ones are dropped (logged)
WRITERS = 16  # events written at once (about different objects)
WRITE_ATTEMPTS = 5


def object_reference(obj: Obj, *, field_path: str = "") -> Obj:
    """The `involvedObject` for `obj` (kind, apiVersion, namespace, name, uid, resourceVersion)."""
    meta = obj.get("metadata") or {}
    ref = {
        "kind": obj.get("kind", ""),
        "apiVersion": obj.get("apiVersion", ""),
        "namespace": meta.get("namespace", ""),
        "name": meta.get("name", ""),
        "uid": meta.get("uid", ""),
        "resourceVersion": meta.get("resourceVersion", ""),
        "fieldPath": field_path,
    }
    return {k: v for k, v in ref.items() if v}


def _ref_key(event: Obj) -> tuple[str, ...]:
    ref, source = event.get("involvedObject") or {}, event.get("source") or {}
    return (
        source.get("component", ""),
        source.get("host", ""),
        *(str(ref.get(k, "")) for k in ("kind", "namespace", "name", "uid", "apiVersion")),
    )


def spam_key(event: Obj) -> tuple[str, ...]:
    """Source and object: what the spam filter limits."""
    return _ref_key(event)


def aggregate_key(event: Obj) -> tuple[str, ...]:
    """Everything but the message: events sharing it are "similar"."""
    return (
        *_ref_key(event),
        event.get("type", ""),
        event.get("reason", ""),
        event.get("reportingComponent", ""),
        event.get("reportingInstance", ""),
    )


def event_key(event: Obj) -> tuple[str, ...]:
    """Everything that makes two events the same event (repeats are counted)."""
    ref = event.get("involvedObject") or {}
    return (
        *_ref_key(event),
        str(ref.get("fieldPath", "")),
        event.get("type", ""),
        event.get("reason", ""),
        event.get("message", ""),
    )


@dataclass
class _Similar:
    messages: set[str]
    last: float  # monotonic


@dataclass
class _Observed:
    name: str
    count: int
    first_timestamp: str


@dataclass(frozen=True, slots=True)
class Correlated:
    """What to write: `event` (create it), or `patch` for the existing event `event` names."""

    event: Obj
    key: tuple[str, ...]
    patch: Obj | None = None


class EventCorrelator:
    """Aggregation, repeat counting and spam filtering (see the module docstring). Pure:
    no I/O; time comes from the clock."""

    def __init__(
        self,
        *,
        clock: Clock,
        spam_burst: int = SPAM_BURST,
        spam_qps: float = SPAM_QPS,
        max_similar: int = MAX_SIMILAR,
        aggregation_window: float = AGGREGATION_WINDOW,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.clock = clock
        self.spam_burst, self.spam_qps = spam_burst, spam_qps
        self.max_similar, self.aggregation_window = max_similar, aggregation_window
        self.cache_size = cache_size
        self._similar: OrderedDict[tuple[str, ...], _Similar] = OrderedDict()
        self._observed: OrderedDict[tuple[str, ...], _Observed] = OrderedDict()
        self._spam: OrderedDict[tuple[str, ...], TokenBucket] = OrderedDict()

    def correlate(self, event: Obj) -> Correlated | None:
        """What to write for `event`, or None if the spam filter drops it."""
        event, key = self._aggregate(event)
        correlated = self._observe(event, key)
        if not self._allow(spam_key(event)):
            return None
        return correlated

    def update_state(self, key: tuple[str, ...], written: Obj) -> None:
        """Remember the event as the server stored it (its name and count)."""
        meta = written.get("metadata") or {}
        observed = self._observed.get(key)
        if observed is not None:
            observed.name = meta.get("name", observed.name)
            observed.count = int(written.get("count") or observed.count)

    def _aggregate(self, event: Obj) -> tuple[Obj, tuple[str, ...]]:
        key, now = aggregate_key(event), self.clock.monotonic()
        similar = self._similar.get(key)
        if similar is None or now - similar.last > self.aggregation_window:
            similar = _Similar(set(), now)
        similar.messages.add(event.get("message", ""))
        similar.last = now
        _remember(self._similar, key, similar, self.cache_size)
        if len(similar.messages) < self.max_similar:
            return event, event_key(event)
        similar.messages.pop()  # the set need not grow: it is past the threshold for good
        # Shallow copies here and in _observe: only top-level fields and the name change, and
        # an event is never changed once queued (a deep copy per event cost more than the rest
        # of the correlation when a ReplicaSet creates thousands of pods).
        return {**event, "message": COMBINED_PREFIX + event.get("message", "")}, key

    def _observe(self, event: Obj, key: tuple[str, ...]) -> Correlated:
        observed = self._observed.get(key)
        if observed is None:
            _remember(
                self._observed,
                key,
                _Observed(event["metadata"]["name"], 1, event.get("firstTimestamp", "")),
                self.cache_size,
            )
            return Correlated(event, key)
        observed.count += 1
        self._observed.move_to_end(key)
        event = {**event, "metadata": {**event["metadata"], "name": observed.name}}
        event["count"] = observed.count
        event["firstTimestamp"] = observed.first_timestamp or event.get("firstTimestamp", "")
        patch = {
            "count": observed.count,
            "lastTimestamp": event["lastTimestamp"],
            "message": event["message"],
        }
        return Correlated(event, key, patch)

    def _allow(self, key: tuple[str, ...]) -> bool:
        bucket = self._spam.get(key)
        if bucket is None:
            bucket = TokenBucket(self.spam_qps, self.spam_burst, clock=self.clock)
            _remember(self._spam, key, bucket, self.cache_size)
        else:
            self._spam.move_to_end(key)
        return bucket.try_accept()


def _remember(cache: OrderedDict[tuple[str, ...], Any], key: tuple[str, ...], value: Any, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


class EventRecorder:
    """Records events from one component (and `host`: a node or instance name)."""

    def __init__(self, broadcaster: EventBroadcaster, component: str, host: str = "") -> None:
        self.broadcaster = broadcaster
        self.component = component
        self.host = host

    def event(self, obj: Obj, type: str, reason: str, message: str, *, field_path: str = "") -> None:
        """Record that `reason` happened to `obj` (`type` is NORMAL or WARNING). Never blocks
        or raises; must be called on the broadcaster's event loop."""
        try:
            ref = object_reference(obj, field_path=field_path)
            self.broadcaster.submit(self.broadcaster.make_event(ref, type, reason, message, self))
        except Exception:
            log.exception("cannot record event %s for %s", reason, _describe(obj))

    def eventf(self, obj: Obj, type: str, reason: str, fmt: str, *args: Any) -> None:
        self.event(obj, type, reason, fmt % args if args else fmt)


class EventBroadcaster:
    """Writes the events of every recorder in a process, in order, off the callers' path."""

    def __init__(
        self,
        client: Client,
        *,
        clock: Clock | None = None,
        queue_size: int = QUEUE_SIZE,
        correlator: EventCorrelator | None = None,
    ) -> None:
        self.client = client
        self.clock = clock or client.clock
        self.correlator = correlator or EventCorrelator(clock=self.clock)
        self._queue: asyncio.Queue[Obj] = asyncio.Queue(queue_size)
        self._last_nanos = 0
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        self.written = 0

    def new_recorder(self, component: str, *, host: str = "") -> EventRecorder:
        """A recorder whose events come from `component` (and `host`)."""
        return EventRecorder(self, component, host)

    def make_event(self, ref: Obj, type: str, reason: str, message: str, recorder: EventRecorder) -> Obj:
        """A new core/v1 Event about `ref`, stamped now."""
        now = self.clock.now()
        nanos = max(int(now * 1e9), self._last_nanos + 1)  # unique names even within a tick
        self._last_nanos = nanos
        stamp = rfc3339(now)
        source = {"component": recorder.component}
        if recorder.host:
            source["host"] = recorder.host
        event: Obj = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {
                "name": f"{ref.get('name', '')}.{nanos:x}",
                "namespace": ref.get("namespace") or "default",
            },
            "involvedObject": ref,
            "reason": reason,
            "message": message,
            "type": type,
            "source": source,
            "firstTimestamp": stamp,
            "lastTimestamp": stamp,
            "count": 1,
            "reportingComponent": recorder.component,
        }
        if recorder.host:
            event["reportingInstance"] = recorder.host
        return event

    def submit(self, event: Obj) -> None:
        """Queue an event for writing (dropped, with a log line, when the queue is full)."""
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped += 1
            log.warning("event queue full: dropped %s %s", event.get("reason"), event.get("involvedObject"))
            return
        self.start()

    # the writer

    def start(self) -> None:
        """Start the writer (done by the first event; idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="event broadcaster")

    async def flush(self) -> None:
        """Wait until every queued event has been written (or given up on)."""
        await self._queue.join()

    async def stop(self, *, flush_timeout: float = 5.0) -> None:
        """Write what is queued (for at most `flush_timeout` seconds), then stop."""
        if self._task is None:
            return
        if flush_timeout > 0 and not self._task.done():
            try:
                await asyncio.wait_for(self.flush(), flush_timeout)
            except TimeoutError:
                log.warning("event broadcaster stopped with %d events unwritten", self._queue.qsize())
        task, self._task = self._task, None
        await cancel_and_wait(task)

    async def _run(self) -> None:
        # Events about different objects are written concurrently; those about one object
        # go through one writer in order, so a repeat finds the first one written and
        # PATCHes its count instead of creating a twin.
        shards: list[asyncio.Queue[Obj]] = [asyncio.Queue() for _ in range(WRITERS)]
        writers = [asyncio.get_running_loop().create_task(self._write_shard(q)) for q in shards]
        try:
            while True:
                event = await self._queue.get()
                shards[hash(_ref_key(event)) % WRITERS].put_nowait(event)
        finally:
            for writer in writers:
                await cancel_and_wait(writer)

    async def _write_shard(self, queue: asyncio.Queue[Obj]) -> None:
        while True:
            event = await queue.get()
            try:
                await self._record(event)
            except Exception:
                log.exception("failed to record event %s", event["metadata"]["name"])
            finally:
                self._queue.task_done()

    async def _record(self, event: Obj) -> None:
        correlated = self.correlator.correlate(event)
        if correlated is None:
            self.dropped += 1
            log.debug("event %s %s dropped by the spam filter", event["reason"], event["involvedObject"])
            return
        written: Obj | None = None
        if correlated.patch is not None:
            written = await self._write(correlated, patch=True)
        if written is None:
            written = await self._write(correlated, patch=False)
        if written is not None:
            self.written += 1
            self.correlator.update_state(correlated.key, written)

    async def _write(self, correlated: Correlated, *, patch: bool) -> Obj | None:
        """One create or patch, retried on transient failures; None if it did not happen
        (a patch of an event deleted since returns None, and the caller creates it)."""
        event = correlated.event
        meta = event["metadata"]
        backoff: Backoff | None = None  # built on the first failure (it seeds a random generator)
        for attempt in range(WRITE_ATTEMPTS):
            try:
                if patch:
                    assert correlated.patch is not None
                    return await self.client.patch(
                        EVENTS,
                        meta["name"],
                        correlated.patch,
                        namespace=meta["namespace"],
                        patch_type=PatchType.STRATEGIC,
                    )
                return await self.client.create(EVENTS, event)
            except NotFoundError:
                if patch:
                    return None
                log.warning(
                    "could not write event %s: namespace %s not found", meta["name"], meta["namespace"]
                )
                return None
            except AlreadyExistsError:
                log.debug("event %s already exists", meta["name"])
                return None
            except (StatusError, ClientError) as err:
                transient = isinstance(err, ClientError) or err.code >= 500 or err.code == 429
                if not transient or attempt + 1 == WRITE_ATTEMPTS:
                    log.warning("could not write event %s: %s", meta["name"], err)
                    return None
            if backoff is None:
                backoff = Backoff(initial=0.5, maximum=10.0, jitter=0.5, clock=self.clock)
            await backoff.sleep()
        return None


def _describe(obj: Obj) -> str:
    meta = obj.get("metadata") or {}
    return f"{obj.get('kind', '?')} {meta.get('namespace', '')}/{meta.get('name', '')}"
