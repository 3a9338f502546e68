"""The watch cache: one storage watch per resource, serving every client watch and list.

A `WatchCache` lists its storage prefix once, then follows one storage watch from that
revision. It keeps every current object as encoded JSON bytes (with its resourceVersion)
plus the few values selectors need (labels, selectable fields), and a bounded ring of
recent events. From that it serves:
- lists at "any" or "not older than" freshness, and consistent lists once it has caught
  up with the store's current revision (`wait_fresh`);
- watches from any revision still in the ring, with synthetic ADDED events for the
  initial state when asked, and BOOKMARKs;
- fan-out: each event is encoded once and handed to every interested watcher. Watchers
  with an exact selector on an indexed field (pods by spec.nodeName) are found through an
  index, so an event costs only the watchers it concerns.

A watcher whose consumer falls behind by more than its buffer is terminated (its client
re-watches or relists); it never slows the cache, the writers or other watchers.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from pyk8s.api.selectors import FieldSelector, LabelSelector
from pyk8s.storage import EventType, KeyValue, Storage, StorageError, WatchStream
from pyk8s.storage.keys import prefix_end

log = logging.getLogger(__name__)

ADDED, MODIFIED, DELETED, BOOKMARK = "ADDED", "MODIFIED", "DELETED", "BOOKMARK"
DEFAULT_CAPACITY = 10_000
DEFAULT_WATCHER_BUFFER = 1_000


@dataclass(slots=True, eq=False)
class CachedObject:
    """One object as the cache keeps it: encoded once, with what selectors need."""

    key: str
    namespace: str
    name: str
    revision: int
    raw: bytes  # JSON, resourceVersion included; apiVersion, kind, metadata first
    labels: dict[str, str]
    fields: dict[str, str]
    meta_end: int = 0  # raw[metadata_start():meta_end] is the metadata object (0: unknown)
    cells: list[Any] | None = None  # Table cells, computed on first use (objects never change)

    def obj(self) -> dict[str, Any]:
        """A fresh dict of the object (the cache keeps bytes only)."""
        result: dict[str, Any] = orjson.loads(self.raw)
        return result

    def metadata_bytes(self) -> bytes | None:
        """The encoded metadata object, when its place in `raw` is known."""
        if not self.meta_end:
            return None
        return self.raw[self.raw.index(b'"metadata":') + 11 : self.meta_end]


# storage KeyValue (+ delete flag) -> CachedObject; supplied by the registry (it knows the kind)
Decoder = Callable[[KeyValue], CachedObject]


@dataclass(slots=True, eq=False)
class CacheEvent:
    type: str
    obj: CachedObject
    prev: CachedObject | None
    revision: int


# What a watch-stream line is made of: PREFIX[type] + object bytes + SUFFIX. Writers join the
# parts straight into their output, so an event's bytes are never copied per event or kept.
PREFIX = {kind: b'{"type":"' + kind.encode() + b'","object":' for kind in (ADDED, MODIFIED, DELETED)}
SUFFIX = b"}\n"


def line(kind: str, obj: CachedObject) -> bytes:
    """One watch-stream line (for callers that want it whole)."""
    return PREFIX[kind] + obj.raw + SUFFIX


@dataclass(frozen=True, slots=True)
class Filter:
    """What a list or watch selects."""

    namespace: str = ""
    labels: LabelSelector = field(default_factory=LabelSelector)
    fields: FieldSelector = field(default_factory=FieldSelector)
    name: str = ""  # metadata.name pinned by the field selector (or the URL of a single-object watch)

    def matches(self, obj: CachedObject) -> bool:
        if self.namespace and obj.namespace != self.namespace:
            return False
        if self.name and obj.name != self.name:
            return False
        if not self.labels.empty and not self.labels.matches(obj.labels):
            return False
        return self.fields.empty or self.fields.matches(obj.fields)


class WatcherClosed(Exception):
    """The watcher was terminated (slow consumer, or the cache stopped)."""


class CacheWatcher:
    """One client watch on a cache: `next_nowait()` gives (type, object, revision) items."""

    def __init__(self, cache: WatchCache, flt: Filter, *, buffer: int, initial: list[CachedObject]) -> None:
        self.cache = cache
        self.filter = flt
        self._initial = deque(initial)
        self._queue: deque[tuple[str, CacheEvent | CachedObject]] = deque()
        self._buffer = buffer
        self._wakeup = asyncio.Event()
        self.closed = False
        self.terminated_reason = ""
        self.index_key: tuple[str, str] | None = None
        self.start_revision = cache.revision  # the revision the initial state is consistent at

    def offer(self, kind: str, event: CacheEvent) -> None:
        if self.closed:
            return
        if len(self._queue) >= self._buffer:
            self.terminate("the watcher fell too far behind")
            return
        self._queue.append((kind, event))
        self._wakeup.set()

    def terminate(self, reason: str) -> None:
        if not self.closed:
            self.closed = True
            self.terminated_reason = reason
            self.cache._unregister(self)
            self._wakeup.set()

    def close(self) -> None:
        self.terminate("")

    @property
    def initial_pending(self) -> int:
        return len(self._initial)

    def caught_up(self) -> bool:
        """No event is waiting: everything up to the cache's revision was delivered."""
        return not self._initial and not self._queue

    def next_nowait(self) -> tuple[str, CachedObject, int] | None:
        """The next item (type, object, revision) if one is ready."""
        if self._initial:
            obj = self._initial.popleft()
            return ADDED, obj, obj.revision
        if self._queue:
            kind, event = self._queue.popleft()
            assert isinstance(event, CacheEvent)
            if kind == DELETED and event.type == MODIFIED:
                # Left the selector: a DELETED carrying the old state at the new revision.
                obj = self.cache.restamp(event.prev, event.revision) if event.prev else event.obj
                return kind, obj, event.revision
            return kind, event.obj, event.revision
        return None

    async def wait(self, timeout: float | None = None) -> bool:
        """Wait until an item is ready or the watcher closes; False on timeout."""
        if self._initial or self._queue or self.closed:
            return True
        self._wakeup.clear()
        try:
            await asyncio.wait_for(self._wakeup.wait(), timeout)
        except TimeoutError:
            return False
        return True


class WatchCache:
    """See the module docstring."""

    def __init__(
        self,
        storage: Storage,
        prefix: str,
        decoder: Decoder,
        *,
        indexed_fields: Iterable[str] = (),
        capacity: int = DEFAULT_CAPACITY,
        namespaced: bool = True,
        restamper: Callable[[CachedObject, int], CachedObject] | None = None,
    ) -> None:
        self.storage = storage
        self.prefix = prefix
        self._decode = decoder
        self._restamp = restamper
        self.capacity = capacity
        self.namespaced = namespaced
        self.objects: dict[str, CachedObject] = {}
        self._keys: list[str] = []  # every key, sorted: ordered pages without sorting
        self._indexed = tuple(indexed_fields)
        self._index: dict[str, dict[str, set[str]]] = {f: {} for f in self._indexed}
        self._events: deque[CacheEvent] = deque()
        self.horizon = 0  # every event after this revision is in the ring
        self.revision = 0
        self._watchers: set[CacheWatcher] = set()
        self._indexed_watchers: dict[tuple[str, str], set[CacheWatcher]] = {}
        self._stream: WatchStream | None = None
        self._task: asyncio.Task[None] | None = None
        self._fresh_waiters: list[asyncio.Future[None]] = []
        self.ready = asyncio.Event()
        self.failed: BaseException | None = None

    # lifecycle

    async def start(self) -> None:
        """List the prefix, then follow it in the background."""
        await self._load()
        self._task = asyncio.get_running_loop().create_task(self._run(), name=f"watchcache {self.prefix}")
        self.ready.set()

    async def _load(self) -> None:
        self.objects.clear()
        self._keys.clear()
        for values in self._index.values():
            values.clear()
        start_after, revision = "", 0
        while True:
            page = await self.storage.list(
                self.prefix, revision=revision, start_after=start_after, limit=5000
            )
            revision = page.revision
            for kv in page.items:
                self._put(self._decode(kv))
            if not page.more:
                break
            start_after = page.items[-1].key
        self.revision = self.horizon = revision
        self._events.clear()
        self._stream = self.storage.watch(self.prefix, after_revision=revision)

    async def _run(self) -> None:
        while True:
            try:
                assert self._stream is not None
                async for batch in self._stream:
                    self._apply(batch)
                return
            except asyncio.CancelledError:
                raise
            except StorageError as err:
                # Compacted or unavailable: start over from a fresh list, ending every watch
                # (their clients relist), as the Kubernetes cacher does.
                log.warning("watch cache for %s restarts after: %s", self.prefix, err)
                for watcher in self._all_watchers():
                    watcher.terminate(f"the cache restarted: {err}")
                await asyncio.sleep(0.2)
                try:
                    await self._load()
                except StorageError as again:
                    self.failed = again
                    await asyncio.sleep(1.0)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        if self._stream is not None:
            await self._stream.aclose()
        for watcher in self._all_watchers():
            watcher.terminate("the server is shutting down")

    def _all_watchers(self) -> list[CacheWatcher]:
        """Every watcher, field-indexed ones included."""
        out = list(self._watchers)
        for group in self._indexed_watchers.values():
            out.extend(group)
        return out

    # applying storage events

    def _put(self, obj: CachedObject) -> CachedObject | None:
        old = self.objects.get(obj.key)
        self.objects[obj.key] = obj
        if old is None:
            bisect.insort(self._keys, obj.key)
        for name in self._indexed:
            if old is not None:
                self._unindex(name, old)
            self._index[name].setdefault(obj.fields.get(name, ""), set()).add(obj.key)
        return old

    def _unindex(self, name: str, obj: CachedObject) -> None:
        keys = self._index[name].get(obj.fields.get(name, ""))
        if keys is not None:
            keys.discard(obj.key)
            if not keys:
                del self._index[name][obj.fields.get(name, "")]

    def _apply(self, batch: list[Any]) -> None:
        for event in batch:
            obj = self._decode(event.kv)
            if event.type is EventType.DELETE:
                prev = self.objects.pop(obj.key, None)
                if prev is not None:
                    del self._keys[bisect.bisect_left(self._keys, obj.key)]
                for name in self._indexed:
                    if prev is not None:
                        self._unindex(name, prev)
                ce = CacheEvent(DELETED, obj, prev, event.kv.mod_revision)
            else:
                prev = self._put(obj)
                ce = CacheEvent(ADDED if prev is None else MODIFIED, obj, prev, event.kv.mod_revision)
            self._record(ce)
            self._dispatch(ce)
        if batch:
            self.revision = max(self.revision, batch[-1].kv.mod_revision)
        self._notify_fresh()  # an empty batch is a progress report

    def _record(self, event: CacheEvent) -> None:
        self._events.append(event)
        if len(self._events) > self.capacity:
            self.horizon = self._events.popleft().revision

    def _dispatch(self, event: CacheEvent) -> None:
        candidates: set[CacheWatcher] | tuple[CacheWatcher, ...]
        if self._indexed_watchers:
            candidates = set(self._watchers)
            for name in self._indexed:
                for obj in (event.obj, event.prev):
                    if obj is not None:
                        candidates |= self._indexed_watchers.get((name, obj.fields.get(name, "")), set())
        else:
            candidates = tuple(self._watchers)
        for watcher in candidates:
            flt = watcher.filter
            now = flt.matches(event.obj)
            before = event.prev is not None and flt.matches(event.prev)
            if event.type == ADDED:
                if now:
                    watcher.offer(ADDED, event)
            elif event.type == DELETED:
                if now or before:
                    watcher.offer(DELETED, event)
            elif now:
                watcher.offer(MODIFIED if before else ADDED, event)
            elif before:
                watcher.offer(DELETED, event)

    def restamp(self, obj: CachedObject, revision: int) -> CachedObject:
        """`obj` with its resourceVersion set to `revision` (used for selector departures)."""
        if self._restamp is None:
            return obj
        return self._restamp(obj, revision)

    # freshness

    def _notify_fresh(self) -> None:
        waiters, self._fresh_waiters = self._fresh_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def _progress(self) -> int:
        if self._stream is not None:
            self.revision = max(self.revision, self._stream.progress_revision)
        return self.revision

    async def wait_fresh(self, revision: int, timeout: float) -> bool:
        """Wait until the cache reflects every write up to `revision`; False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if self._progress() < revision and self._stream is not None:
            await self._stream.request_progress()
        while self._progress() < revision:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            waiter = loop.create_future()
            self._fresh_waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                return self._progress() >= revision
        return True

    # reading

    def list(self, flt: Filter) -> list[CachedObject]:
        """Matching objects in key order."""
        return self.page(flt, 0)[0]

    def page(self, flt: Filter, limit: int) -> tuple[list[CachedObject], bool, int | None]:
        """Up to `limit` (0: all) matching objects in key order, whether more match, and how
        many remain after the page when that is cheap to know (no selector)."""
        objects = self.objects
        pinned = next(((n, v) for n in self._indexed if (v := flt.fields.exact(n)) is not None), None)
        start = self.prefix + (f"{flt.namespace}/" if flt.namespace and self.namespaced else "")
        keys: Iterable[str]
        if flt.name and (flt.namespace or not self.namespaced):
            key = start + flt.name
            keys = (key,) if key in objects else ()
        elif pinned is not None:
            keys = sorted(self._index[pinned[0]].get(pinned[1], ()))
        else:
            lo = bisect.bisect_left(self._keys, start)
            hi = (
                bisect.bisect_left(self._keys, prefix_end(start)) if start != self.prefix else len(self._keys)
            )
            keys = itertools.islice(self._keys, lo, hi)
            if limit and flt.labels.empty and flt.fields.empty:
                page = [objects[k] for k in itertools.islice(self._keys, lo, min(hi, lo + limit))]
                remaining = (hi - lo) - len(page)
                return page, remaining > 0, remaining if remaining > 0 else None
        out = []
        for key in keys:
            obj = objects[key]
            if flt.matches(obj):
                if limit and len(out) == limit:
                    return out, True, None
                out.append(obj)
        return out, False, None

    def get(self, key: str) -> CachedObject | None:
        return self.objects.get(key)

    # watching

    def can_watch_from(self, revision: int) -> bool:
        return revision >= self.horizon

    def watch(
        self, flt: Filter, *, after_revision: int | None, initial: bool, buffer: int = DEFAULT_WATCHER_BUFFER
    ) -> CacheWatcher:
        """A watcher from `after_revision` (None: now), with ADDED for current objects if `initial`.

        The caller checked `can_watch_from`; replay and registration happen without
        yielding, so no event is missed or repeated.
        """
        snapshot = self.list(flt) if initial else []
        watcher = CacheWatcher(self, flt, buffer=buffer, initial=snapshot)
        if after_revision is not None and not initial:
            events = self._events
            first = bisect.bisect_right(events, after_revision, key=lambda e: e.revision)
            for i in range(first, len(events)):
                self._replay(watcher, events[i])
        self._register(watcher)
        return watcher

    def _replay(self, watcher: CacheWatcher, event: CacheEvent) -> None:
        flt = watcher.filter
        now = flt.matches(event.obj)
        before = event.prev is not None and flt.matches(event.prev)
        kind = {ADDED: ADDED if now else "", DELETED: DELETED if (now or before) else ""}.get(event.type)
        if kind is None:
            kind = (MODIFIED if before else ADDED) if now else (DELETED if before else "")
        if kind:
            watcher._queue.append((kind, event))

    def _register(self, watcher: CacheWatcher) -> None:
        for name in self._indexed:
            value = watcher.filter.fields.exact(name)
            if value is not None:
                watcher.index_key = (name, value)
                self._indexed_watchers.setdefault(watcher.index_key, set()).add(watcher)
                return
        self._watchers.add(watcher)

    def _unregister(self, watcher: CacheWatcher) -> None:
        if watcher.index_key is not None:
            group = self._indexed_watchers.get(watcher.index_key)
            if group is not None:
                group.discard(watcher)
                if not group:
                    del self._indexed_watchers[watcher.index_key]
        else:
            self._watchers.discard(watcher)

    @property
    def watcher_count(self) -> int:
        return len(self._watchers) + sum(len(g) for g in self._indexed_watchers.values())
