"""The watch cache: one storage watch per resource, serving every client watch and list.

A `WatchCache` lists its storage prefix once, then follows one storage watch from that
revision. It keeps every current object as encoded JSON bytes (with its resourceVersion),
held as pieces shared with similar objects (`Compactor`), plus the few values selectors
need (labels, selectable fields), and a bounded ring of recent events. From that it serves:
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


# What response bodies are assembled from: bytes, or views of cached bytes (never copied).
Buffer = bytes | memoryview


class CachedObject:
    """One object as the cache keeps it: encoded once, with what selectors need.

    The encoding is kept as a tuple of byte pieces whose concatenation is the object's JSON
    (one piece until the cache compacts it, see `Compactor`); responses are assembled from
    the pieces, so pieces shared by many objects are never copied per object.
    """

    __slots__ = (
        "_meta",
        "_parts",
        "cells",
        "decoded",
        "fields",
        "key",
        "labels",
        "meta_end",
        "name",
        "namespace",
        "revision",
    )

    def __init__(
        self,
        key: str,
        namespace: str,
        name: str,
        revision: int,
        raw: bytes,
        labels: dict[str, str],
        fields: dict[str, str],
        meta_end: int = 0,
        cells: tuple[bytes, bytes, float | None] | None = None,
    ) -> None:
        self.key = key
        self.namespace = namespace
        self.name = name
        self.revision = revision
        # JSON, resourceVersion included; apiVersion, kind, metadata first
        self._parts: tuple[bytes, ...] = (raw,)
        self.labels = labels
        self.fields = fields
        self.meta_end = meta_end  # raw[metadata_start():meta_end] is the metadata object (0: unknown)
        self._meta: tuple[int, int] | None = None  # _parts[i:j] is the metadata object (compacted)
        # The Table row, encoded on first use (objects never change): the cells' bytes before
        # and after the Age cell, and the creation time the Age is computed from.
        self.cells = cells
        # A decoder that has the object as a dict (resourceVersion included) may leave it here
        # for the cache, which then compacts without parsing the bytes again; dropped there.
        self.decoded: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"CachedObject({self.key!r}, revision={self.revision})"

    @property
    def raw(self) -> bytes:
        """The object's JSON (joined when the object is kept in pieces)."""
        parts = self._parts
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def parts(self) -> tuple[bytes, ...]:
        """The encoded object as pieces to concatenate (for response bodies)."""
        return self._parts

    def compacted(self, parts: tuple[bytes, ...], meta: tuple[int, int] | None) -> None:
        """Keep the encoding as `parts` (the same bytes, shared pieces); see `Compactor`."""
        self._parts = parts
        self._meta = meta

    def obj(self) -> dict[str, Any]:
        """A fresh dict of the object (the cache keeps bytes only)."""
        result: dict[str, Any] = orjson.loads(self.raw)
        return result

    def head(self) -> bytes:
        """The encoded object up to the end of its metadata (all of it when that is unknown)."""
        if self._meta is not None:
            return b"".join(self._parts[: self._meta[1]])
        return self.raw[: self.meta_end] if self.meta_end else self.raw

    def metadata_parts(self) -> tuple[Buffer, ...] | None:
        """The encoded metadata object as buffers, when its place is known."""
        if self._meta is not None:
            return self._parts[self._meta[0] : self._meta[1]]
        if not self.meta_end:
            return None
        raw = self.raw
        return (memoryview(raw)[raw.index(b'"metadata":') + 11 : self.meta_end],)

    def metadata_bytes(self) -> bytes | None:
        """The encoded metadata object, when its place is known."""
        parts = self.metadata_parts()
        return None if parts is None else b"".join(parts)


class Compactor:
    """Keeps cached objects as pieces shared between objects, to hold many objects in less memory.

    Objects of one resource repeat most of their encoding (a Deployment's pods differ in a
    few metadata fields, the node name, a token volume name), but as one JSON buffer each
    object holds its own copy of everything. The compactor cuts an object's JSON into the
    encodings of its values, opening containers of `MIN_OPEN` bytes or more down to `DEPTH`
    levels (small values run together), and replaces each piece by an equal one already
    held, if any: a 7 KB pod keeps about 1.5 KB of its own. Equal label maps are shared the
    same way. Pieces are found through a table that is simply cleared when full, so it never
    grows with the number of objects; a piece seen again after a clear is kept once more,
    which costs little. An object is compacted only if its pieces join to exactly its bytes
    (so the wire form cannot change), and small objects are left alone.
    """

    DEPTH = 3  # containers nested deeper are kept whole, as one piece
    MIN_OBJECT = 1024  # smaller objects stay one buffer: pieces would cost more than they share
    MIN_PIECE = 48  # values encoded shorter than this run together with their neighbours
    MIN_OPEN = 256  # containers encoded shorter than this are one piece (not worth the visit)
    TABLE_SIZE = 8192
    LOOK_AHEAD = 1024  # how far past a changed part a resembling object's next piece is looked for
    MIN_MATCHED = 0.6  # the share of bytes a resembling object must match to be followed

    def __init__(self) -> None:
        # The last object cut afresh: the template later objects follow (never a follower,
        # whose own differences would make a worse template for the next one).
        self._last: CachedObject | None = None
        self._pieces: dict[bytes, bytes] = {}
        self._labels: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self._keys: dict[str, tuple[bytes, bytes]] = {}

    def compact(self, obj: CachedObject, like: CachedObject | None = None) -> None:
        """Keep `obj` in shared pieces, when that is worth it and exact, and share its labels
        with other objects that have the same ones (the cache only reads them).

        `like` is an object `obj` probably resembles (its previous version); without one,
        the last object cut afresh is tried. Following a compacted object's pieces through
        the new bytes costs a few searches; only when too little matches is `obj` parsed
        and cut afresh."""
        if obj.labels:
            labels = self._labels
            items = tuple(obj.labels.items())
            held = labels.get(items)
            if held is None:
                if len(labels) >= self.TABLE_SIZE:
                    labels.clear()
                held = labels[items] = obj.labels
            obj.labels = held
        value, obj.decoded = obj.decoded, None  # never kept: the cache holds bytes only
        parts = obj.parts()
        if len(parts) != 1 or len(parts[0]) < self.MIN_OBJECT:
            return
        raw = parts[0]
        like = like if like is not None and like._meta is not None else self._last
        if like is not None and obj.meta_end and self._follow(obj, raw, like):
            return
        if value is None:
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError:
                return
        if type(value) is not dict:
            return
        if len(self._keys) >= self.TABLE_SIZE:
            self._keys.clear()
        cut = _Cutter(self._keys)
        cut.value(value, 0)
        cut.flush()
        pieces = cut.pieces
        if sum(map(len, pieces)) != len(raw) or b"".join(pieces) != raw:
            return  # an encoding that differs from orjson's: keep the bytes as they are
        table = self._pieces
        if len(table) + len(pieces) > self.TABLE_SIZE:
            table.clear()
        shared = []
        for piece in pieces:
            held = table.get(piece)
            if held is None:
                # an exact-size copy: orjson's buffers carry up to 2x slack
                held = bytes(memoryview(piece))
                table[held] = held
            shared.append(held)
        obj.compacted(tuple(shared), cut.meta)
        if cut.meta is not None:
            self._last = obj

    def _follow(self, obj: CachedObject, raw: bytes, like: CachedObject) -> bool:
        """Compact `obj` as `like` with what differs in between (False: too little matched).

        Each of `like`'s pieces is looked for where the previous one ended (or a little
        further on: the bytes skipped become a piece of their own). The result joins to `raw`
        by construction; it is then cut where the metadata begins and ends."""
        pieces: list[bytes] = []
        pos = matched = 0
        for piece in like._parts:
            if raw.startswith(piece, pos):
                at = pos
            else:
                at = raw.find(piece, pos, pos + len(piece) + self.LOOK_AHEAD)
                if at < 0:
                    continue
                pieces.append(raw[pos:at])
            pieces.append(piece)
            matched += len(piece)
            pos = at + len(piece)
        if pos < len(raw):
            pieces.append(raw[pos:])
        if matched < len(raw) * self.MIN_MATCHED:
            return False
        start = raw.find(b'"metadata":') + 11
        if start < 11 or not start < obj.meta_end <= len(raw):
            return False
        pieces, first = _cut_at(pieces, start)
        pieces, last = _cut_at(pieces, obj.meta_end)
        obj.compacted(tuple(pieces), (first, last))
        return True


def _cut_at(pieces: list[bytes], offset: int) -> tuple[list[bytes], int]:
    """`pieces` with a piece boundary at byte `offset`, and the index of the piece there."""
    at = 0
    for i, piece in enumerate(pieces):
        if at == offset:
            return pieces, i
        end = at + len(piece)
        if offset < end:
            return [*pieces[:i], piece[: offset - at], piece[offset - at :], *pieces[i + 1 :]], i + 1
        at = end
    return pieces, len(pieces)


class _Cutter:
    """Cuts one decoded object's JSON into pieces (see `Compactor`)."""

    __slots__ = ("_keys", "_run", "meta", "pieces")

    def __init__(self, keys: dict[str, tuple[bytes, bytes]]) -> None:
        self.pieces: list[bytes] = []
        self._run: list[bytes] = []
        self._keys = keys  # key -> its encoding with ":" after it, without and with "," before
        self.meta: tuple[int, int] | None = None

    def flush(self) -> None:
        if self._run:
            self.pieces.append(b"".join(self._run))
            self._run.clear()

    def _item(self, item: Any, deeper: bool, depth: int) -> None:
        """A value inside an opened container: cut further if it is a large container."""
        encoded = orjson.dumps(item)
        if deeper and len(encoded) >= Compactor.MIN_OPEN and type(item) in _CONTAINERS:
            self.value(item, depth + 1)
        elif len(encoded) < Compactor.MIN_PIECE:
            self._run.append(encoded)
        else:
            self.flush()
            self.pieces.append(encoded)

    def value(self, value: Any, depth: int) -> None:
        run = self._run
        deeper = depth < Compactor.DEPTH
        if type(value) is dict:
            keys = self._keys
            run.append(b"{")
            later = 0
            for key, item in value.items():
                encoded = keys.get(key)
                if encoded is None:
                    name = orjson.dumps(key) + b":"
                    encoded = keys[key] = (name, b"," + name)
                run.append(encoded[later])
                later = 1
                if depth == 0 and key == "metadata" and type(item) is dict:
                    # cut around the metadata, so a Table row's metadata is a run of pieces
                    self.flush()
                    start = len(self.pieces)
                    self.value(item, 1)
                    self.flush()
                    self.meta = (start, len(self.pieces))
                else:
                    self._item(item, deeper, depth)
            run.append(b"}")
        else:
            run.append(b"[")
            for i, item in enumerate(value):
                if i:
                    run.append(b",")
                self._item(item, deeper, depth)
            run.append(b"]")


_CONTAINERS = (dict, list)


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
    return b"".join((PREFIX[kind], *obj.parts(), SUFFIX))


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
        self._compactor = Compactor()
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
        self._compactor.compact(obj, old)
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
            if (
                flt.labels.empty
                and flt.fields.empty
                and not flt.name
                and (self.namespaced or not flt.namespace)
            ):
                # the key range is the selection: no object needs looking at
                if not limit:
                    return [objects[k] for k in keys], False, None
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
