"""Storage errors: the storage vocabulary, translated to API `Status` errors in one place above.

StorageError
├── InvalidKeyError            key outside the key scheme (nothing written)
├── ValueTooLargeError         value over MAX_VALUE_BYTES (nothing written)
├── KeyExistsError             create of a key that exists
├── KeyNotFoundError           update/delete of a key that does not exist
├── RevisionConflictError      expected_revision is not the key's current revision
├── RevisionCompactedError     read or watch at a revision older than retained history
├── RevisionTooNewError        read or watch at a revision the store has not reached
└── StorageUnavailableError    the backend cannot be reached (retried where safe first)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyk8s.storage.interface import KeyValue


class StorageError(Exception):
    """Base of every error a `Storage` raises on purpose."""

    def __init__(self, message: str, *, key: str = "") -> None:
        super().__init__(message)
        self.key = key


class InvalidKeyError(StorageError, ValueError):
    """The key (or prefix) does not follow the key scheme."""


class ValueTooLargeError(StorageError, ValueError):
    """The value is larger than the store accepts."""

    def __init__(self, key: str, size: int, limit: int) -> None:
        super().__init__(f"value for {key!r} is {size} bytes, over the limit of {limit}", key=key)
        self.size = size
        self.limit = limit


class KeyExistsError(StorageError):
    """A create found the key already present."""

    def __init__(self, key: str) -> None:
        super().__init__(f"key {key!r} already exists", key=key)


class KeyNotFoundError(StorageError):
    """An update or delete found no such key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"key {key!r} not found", key=key)


class RevisionConflictError(StorageError):
    """A compare-and-swap failed: the key changed since `expected_revision`.

    `current` is the key's current value, so a read-modify-write loop can retry without a read.
    """

    def __init__(self, key: str, expected_revision: int, current: KeyValue | None) -> None:
        actual = current.mod_revision if current else 0
        super().__init__(
            f"key {key!r} is at revision {actual}, not the expected {expected_revision}", key=key
        )
        self.expected_revision = expected_revision
        self.current = current


class RevisionCompactedError(StorageError):
    """The requested revision is older than the oldest retained revision.

    `compact_revision` is the store's compaction point (0 when the backend does not say).
    """

    def __init__(self, requested: int, compact_revision: int) -> None:
        super().__init__(
            f"revision {requested} has been compacted (oldest retained: {compact_revision})"
            if compact_revision
            else f"revision {requested} has been compacted"
        )
        self.requested = requested
        self.compact_revision = compact_revision


class RevisionTooNewError(StorageError):
    """The requested revision is ahead of the store's current revision."""

    def __init__(self, requested: int, current_revision: int) -> None:
        super().__init__(f"revision {requested} is in the future (current revision is {current_revision})")
        self.requested = requested
        self.current_revision = current_revision


class StorageUnavailableError(StorageError):
    """The backend could not be reached or answered with an internal failure."""
