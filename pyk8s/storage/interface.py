"""The revisioned key-value contract every storage backend implements.

Revisions are one store-wide, strictly increasing integer: every successful write gets the
next one. A fresh store is at revision 1 (as etcd is), so the first write is revision 2 and
revision 0 is free to mean "latest" in reads. Keys and prefixes follow `pyk8s.storage.keys`.

Guarantees every backend gives (checked by one conformance suite, `tests/conformance`):
- A write is acknowledged only after it is durable to the backend's stated degree.
- Reads at a revision see exactly the state after that revision: a paginated list at one
  revision is one consistent snapshot while writes continue.
- `watch(prefix, after_revision=N)` yields every event on matching keys with revision > N,
  in revision order, each once, with no gap, each carrying the previous value.
- History older than the compaction point is gone: reads and watches that need it raise
  `RevisionCompactedError`. A revision ahead of the store raises `RevisionTooNewError`.
- Bad input (key outside the scheme, oversized value) raises before anything is written.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

Revision = int


@dataclass(frozen=True, slots=True)
class KeyValue:
    """One stored version of a key.

    `version` counts writes since the key was (re)created, as etcd does: 1 after create.
    """

    key: str
    value: bytes
    create_revision: Revision
    mod_revision: Revision
    version: int


class EventType(enum.Enum):
    """What a write did to a key."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class StorageEvent:
    """One write as seen by a watcher.

    `kv.mod_revision` is the revision of the write. For DELETE, `kv` carries the last value
    with the delete's revision, and `prev` is that last value as it was stored.
    `prev` is None for CREATE.
    """

    type: EventType
    kv: KeyValue
    prev: KeyValue | None

    @property
    def revision(self) -> Revision:
        return self.kv.mod_revision


@dataclass(frozen=True, slots=True)
class ListResult:
    """One page of a list, consistent at `revision`.

    When `more` is true, the next page is `list(prefix, revision=result.revision,
    start_after=result.items[-1].key, ...)`.
    """

    items: list[KeyValue]
    revision: Revision
    more: bool = False


@runtime_checkable
class WatchStream(Protocol):
    """An async iterator of event batches in strictly increasing revision order.

    A batch holds the events of one or more consecutive commits. An empty batch only
    reports progress: `progress_revision` advanced (after `request_progress()`). Iteration
    ends with `RevisionCompactedError` when the watcher needs history that is gone, or
    stops after `aclose()`.
    """

    def __aiter__(self) -> AsyncIterator[list[StorageEvent]]: ...

    async def __anext__(self) -> list[StorageEvent]: ...

    @property
    def progress_revision(self) -> Revision:
        """Every matching event up to this revision has been yielded (for bookmarks)."""
        ...

    async def request_progress(self) -> None:
        """Ask for an empty batch once `progress_revision` reflects the store's current revision
        (a no-op where progress is always current while the stream is idle)."""
        ...

    async def aclose(self) -> None: ...


class Storage(Protocol):
    """A revisioned key-value store (see the module docstring for the guarantees)."""

    url: str
    # Whether a watch's progress report can be trusted to follow every event before it.
    # False for etcd: before 3.4.25/3.5.8 (Debian ships 3.4.23) etcd may send a requested
    # progress notification ahead of events still queued for the same watch (etcd issue
    # 15220), so a cache that trusts it can claim a revision whose events it lacks.
    ordered_progress: bool

    async def start(self) -> None:
        """Open connections and files; a store must be started before use."""
        ...

    async def aclose(self) -> None:
        """Release everything; acknowledged writes survive a later reopen."""
        ...

    async def current_revision(self) -> Revision:
        """The revision of the latest committed write (1 for a fresh store)."""
        ...

    async def get(self, key: str, *, revision: Revision = 0) -> KeyValue | None:
        """The key's value at `revision` (0: latest), or None when absent."""
        ...

    async def list(
        self, prefix: str, *, revision: Revision = 0, start_after: str = "", limit: int = 0
    ) -> ListResult:
        """Keys under `prefix` in byte order, after `start_after`, at most `limit` (0: all)."""
        ...

    async def count(self, prefix: str) -> int:
        """How many keys exist under `prefix` now."""
        ...

    async def create(self, key: str, value: bytes) -> KeyValue:
        """Create `key`; raise `KeyExistsError` if it exists."""
        ...

    async def update(self, key: str, value: bytes, *, expected_revision: Revision) -> KeyValue:
        """Replace `key` if its mod_revision is `expected_revision` (0: any).

        Raises `KeyNotFoundError` or `RevisionConflictError` (carrying the current value).
        """
        ...

    async def delete(self, key: str, *, expected_revision: Revision = 0) -> KeyValue:
        """Delete `key` (if at `expected_revision`, unless 0) and return its last value,
        whose mod_revision is the revision of the delete."""
        ...

    def watch(self, prefix: str, *, after_revision: Revision) -> WatchStream:
        """Events on keys under `prefix` with revision > `after_revision`."""
        ...

    async def compact(self, revision: Revision) -> None:
        """Forget history before `revision`; reads at `revision` or later still work."""
        ...

    async def compact_revision(self) -> Revision:
        """The oldest revision that can still be read (0 or 1 when nothing was compacted)."""
        ...
