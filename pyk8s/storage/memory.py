"""`memory://`: the reference implementation of the storage contract, for fast tests.

Every version of every key is kept in a per-key history list, so reads at any retained
revision are exact. Durability is the process's lifetime: `memory://NAME` opened twice in
one process shares the same data, `memory://` alone is private to one instance.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from pyk8s.storage.errors import (
    KeyExistsError,
    KeyNotFoundError,
    RevisionCompactedError,
    RevisionConflictError,
    RevisionTooNewError,
)
from pyk8s.storage.interface import EventType, KeyValue, ListResult, Revision, StorageEvent
from pyk8s.storage.keys import (
    check_key,
    check_prefix,
    check_read_revision,
    check_revision,
    check_value,
    prefix_end,
)
from pyk8s.storage.watch import HubWatchStream, WatchHub


@dataclass(slots=True)
class _Version:
    revision: Revision
    kv: KeyValue | None  # None marks a delete (tombstone)


@dataclass(slots=True)
class _Data:
    """The state one `memory://NAME` shares between its opens."""

    revision: Revision = 1
    compacted: Revision = 0
    history: dict[str, list[_Version]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # sorted, every key with history
    log: list[StorageEvent] = field(default_factory=list)  # retained events by revision


_NAMED: dict[str, _Data] = {}


class MemoryStorage:
    """In-memory MVCC store."""

    ordered_progress = True  # progress is reported by the same task that yields events

    def __init__(self, url: str = "memory://", *, name: str = "") -> None:
        self.url = url
        if name:
            self._data = _NAMED.setdefault(name, _Data())
        else:
            self._data = _Data()
        self._hub = WatchHub(self._history)

    async def start(self) -> None:
        self._hub.revision = self._data.revision

    async def aclose(self) -> None:
        self._hub.close()

    async def current_revision(self) -> Revision:
        return self._data.revision

    async def compact_revision(self) -> Revision:
        return self._data.compacted

    # reads

    def _read_revision(self, revision: Revision) -> Revision:
        return check_read_revision(revision, current=self._data.revision, compacted=self._data.compacted)

    def _at(self, key: str, revision: Revision) -> KeyValue | None:
        versions = self._data.history.get(key)
        if not versions:
            return None
        i = bisect.bisect_right(versions, revision, key=lambda v: v.revision)
        return versions[i - 1].kv if i else None

    async def get(self, key: str, *, revision: Revision = 0) -> KeyValue | None:
        check_key(key)
        return self._at(key, self._read_revision(revision))

    async def list(
        self, prefix: str, *, revision: Revision = 0, start_after: str = "", limit: int = 0
    ) -> ListResult:
        check_prefix(prefix)
        rev = self._read_revision(revision)
        keys = self._data.keys
        lo = (
            bisect.bisect_right(keys, max(start_after, prefix))
            if start_after
            else bisect.bisect_left(keys, prefix)
        )
        hi = bisect.bisect_left(keys, prefix_end(prefix))
        items: list[KeyValue] = []
        for key in keys[lo:hi]:
            kv = self._at(key, rev)
            if kv is None:
                continue
            if limit and len(items) == limit:
                return ListResult(items, rev, more=True)
            items.append(kv)
        return ListResult(items, rev)

    async def count(self, prefix: str) -> int:
        return len((await self.list(prefix)).items)

    # writes

    def _commit(self, key: str, kv: KeyValue | None, event: StorageEvent) -> None:
        data = self._data
        data.revision = event.kv.mod_revision
        versions = data.history.get(key)
        if versions is None:
            versions = data.history[key] = []
            bisect.insort(data.keys, key)
        versions.append(_Version(data.revision, kv))
        data.log.append(event)
        self._hub.notify([event], data.revision)

    async def create(self, key: str, value: bytes) -> KeyValue:
        check_key(key)
        value = check_value(key, value)
        if self._at(key, self._data.revision) is not None:
            raise KeyExistsError(key)
        rev = self._data.revision + 1
        kv = KeyValue(key, value, rev, rev, 1)
        self._commit(key, kv, StorageEvent(EventType.CREATE, kv, None))
        return kv

    def _current_for_write(self, key: str, expected_revision: Revision) -> KeyValue:
        check_revision(expected_revision)
        current = self._at(key, self._data.revision)
        if current is None:
            raise KeyNotFoundError(key)
        if expected_revision and current.mod_revision != expected_revision:
            raise RevisionConflictError(key, expected_revision, current)
        return current

    async def update(self, key: str, value: bytes, *, expected_revision: Revision) -> KeyValue:
        check_key(key)
        value = check_value(key, value)
        prev = self._current_for_write(key, expected_revision)
        rev = self._data.revision + 1
        kv = KeyValue(key, value, prev.create_revision, rev, prev.version + 1)
        self._commit(key, kv, StorageEvent(EventType.UPDATE, kv, prev))
        return kv

    async def delete(self, key: str, *, expected_revision: Revision = 0) -> KeyValue:
        check_key(key)
        prev = self._current_for_write(key, expected_revision)
        rev = self._data.revision + 1
        gone = KeyValue(key, prev.value, prev.create_revision, rev, prev.version)
        self._commit(key, None, StorageEvent(EventType.DELETE, gone, prev))
        return gone

    # watch and history

    def watch(self, prefix: str, *, after_revision: Revision) -> HubWatchStream:
        check_prefix(prefix)
        check_revision(after_revision)
        return self._hub.watch(prefix, after_revision)

    async def _history(self, prefix: str, after: Revision, upto: Revision, limit: int) -> list[StorageEvent]:
        data = self._data
        if after + 1 < data.compacted:
            raise RevisionCompactedError(after + 1, data.compacted)
        log = data.log
        i = bisect.bisect_right(log, after, key=lambda e: e.kv.mod_revision)
        out: list[StorageEvent] = []
        for event in log[i:]:
            if event.kv.mod_revision > upto or len(out) >= limit:
                break
            if event.kv.key.startswith(prefix):
                out.append(event)
        return out

    async def compact(self, revision: Revision) -> None:
        check_revision(revision)
        data = self._data
        if revision > data.revision:
            raise RevisionTooNewError(revision, data.revision)
        if revision <= data.compacted:
            return
        data.compacted = revision
        data.log = data.log[bisect.bisect_left(data.log, revision, key=lambda e: e.kv.mod_revision) :]
        for key in list(data.history):
            versions = data.history[key]
            # Keep the version visible at `revision` and everything after it.
            i = bisect.bisect_right(versions, revision, key=lambda v: v.revision)
            keep = versions[max(i - 1, 0) :]
            if keep and keep[0].revision <= revision and keep[0].kv is None:
                keep = keep[1:]
            if keep:
                data.history[key] = keep
            else:
                del data.history[key]
                data.keys.pop(bisect.bisect_left(data.keys, key))
