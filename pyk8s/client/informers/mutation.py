"""`MutationCache`: an informer's cache plus the objects this process wrote and has not yet
seen come back through the watch (client-go's `tools/cache` MutationCache).

A controller that writes an object and looks at it again a moment later reads its informer's
cache, which shows the write only once the watch event arrives. Until then the cache holds
the version the write replaced: a second write based on it is refused with 409 Conflict
(a retry, with backoff), and a status compared with it looks changed when it is not. Under
load the watch lags by tens of milliseconds while a ReplicaSet's status is written several
times a second, so during a rollout such conflicts were routine.

`record(before, written)` remembers the server's answer to a write of `before`; `latest(obj)`
returns the remembered answer instead of `obj` while `obj` is a version that write
replaced, and `obj` otherwise. Nothing compares resourceVersions (they are opaque): a cached
object is known to be older only when its resourceVersion is one a recorded write replaced
(a chain of writes replaces each version in turn). The entry is dropped as soon as the cache
shows any other version, the written one included, or the object is deleted: from then on
the cache is at least as new, and whatever someone else wrote meanwhile wins as it would
without this cache.

One cache per informer, shared by every controller of the process that reads and writes that
resource (`for_informer`), so the Deployment controller's writes to a ReplicaSet spare the
ReplicaSet controller a conflict, and the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyk8s.client.informers.informer import EventHandlerFuncs, SharedInformer
from pyk8s.client.informers.store import DeletedFinalStateUnknown, object_key

Obj = dict[str, Any]


def _rv(obj: Mapping[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion") or "")


def _uid(obj: Mapping[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("uid") or "")


class _Written:
    __slots__ = ("replaced", "written")

    def __init__(self, replaced: set[str], written: Obj) -> None:
        self.replaced = replaced  # resourceVersions older than `written`
        self.written = written


class MutationCache:
    """Objects written by this process, newer than the informer's cache (see the module docstring)."""

    def __init__(self, informer: SharedInformer | None = None) -> None:
        self._entries: dict[str, _Written] = {}
        if informer is not None:
            informer.add_event_handler(
                EventHandlerFuncs(
                    add=lambda obj, _initial: self._seen(obj),
                    update=lambda _old, new: self._seen(new),
                    delete=self._deleted,
                )
            )

    @classmethod
    def for_informer(cls, informer: SharedInformer) -> MutationCache:
        """The cache shared by everyone using `informer` (created on first use)."""
        found = getattr(informer, "_mutation_cache", None)
        if found is None:
            found = cls(informer)
            informer._mutation_cache = found  # type: ignore[attr-defined]
        return found

    def record(self, before: Mapping[str, Any], written: Obj) -> None:
        """`written` is the server's answer to a write of `before` (same object, so `before`'s
        resourceVersion is now older). Never mutate `written` afterwards."""
        replaced_rv, written_rv = _rv(before), _rv(written)
        if not replaced_rv or not written_rv or replaced_rv == written_rv or _uid(before) != _uid(written):
            return
        key = object_key(written)
        replaced = {replaced_rv}
        previous = self._entries.get(key)
        if previous is not None and _rv(previous.written) == replaced_rv:
            replaced |= previous.replaced  # a chain of our own writes
        self._entries[key] = _Written(replaced, written)

    def latest(self, obj: Obj | None) -> Obj | None:
        """`obj` (a cached object), or the newer version this process wrote of it."""
        if obj is None or not self._entries:
            return obj
        entry = self._entries.get(object_key(obj))
        if entry is None:
            return obj
        if _rv(obj) in entry.replaced and _uid(obj) == _uid(entry.written):
            return entry.written
        return obj

    def __len__(self) -> int:
        return len(self._entries)

    def _seen(self, obj: Obj) -> None:
        """The cache now holds `obj`: an entry older than it, or equal, is no longer needed."""
        if not self._entries:
            return
        key = object_key(obj)
        entry = self._entries.get(key)
        if entry is not None and (_rv(obj) not in entry.replaced or _uid(obj) != _uid(entry.written)):
            del self._entries[key]

    def _deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        if self._entries:
            self._entries.pop(object_key(obj), None)
