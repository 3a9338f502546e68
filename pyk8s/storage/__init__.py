"""Revisioned key-value storage: one contract (`Storage`), backends chosen by URL scheme.

Knows keys and bytes, never kinds. See `interface` for the guarantees, `keys` for the key
scheme, and `factory.open_storage` to open a store.
"""

from pyk8s.storage.compactor import Compactor, Retention
from pyk8s.storage.errors import (
    InvalidKeyError,
    KeyExistsError,
    KeyNotFoundError,
    RevisionCompactedError,
    RevisionConflictError,
    RevisionTooNewError,
    StorageError,
    StorageUnavailableError,
    ValueTooLargeError,
)
from pyk8s.storage.factory import open_storage, storage_for_url
from pyk8s.storage.interface import (
    EventType,
    KeyValue,
    ListResult,
    Revision,
    Storage,
    StorageEvent,
    WatchStream,
)
from pyk8s.storage.util import guaranteed_update

__all__ = [
    "Compactor",
    "EventType",
    "InvalidKeyError",
    "KeyExistsError",
    "KeyNotFoundError",
    "KeyValue",
    "ListResult",
    "Retention",
    "Revision",
    "RevisionCompactedError",
    "RevisionConflictError",
    "RevisionTooNewError",
    "Storage",
    "StorageError",
    "StorageEvent",
    "StorageUnavailableError",
    "ValueTooLargeError",
    "WatchStream",
    "guaranteed_update",
    "open_storage",
    "storage_for_url",
]
