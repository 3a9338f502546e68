"""Informer event handlers that only enqueue keys.

A handler runs on the informer's task: it must not await, call the API or do real work.
It maps an event to the keys of the objects whose reconciler should look again, and adds
them to a work queue. The common mappings:

- `EnqueueObject`: the object's own key (a ReplicaSet event wakes that ReplicaSet);
- `EnqueueOwner`: the key of the object's controller owner of a given kind (a Pod event
  wakes the ReplicaSet controlling it; an update that changes the owner wakes both);
- `EnqueueMapped`: any function from an object to keys (every Service selecting a Pod).

Deletes seen only through a relist arrive as `DeletedFinalStateUnknown`; each handler here
unwraps it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from pyk8s.client.informers import DeletedFinalStateUnknown, object_key
from pyk8s.controllers.runtime.ownership import api_group, controller_ref

log = logging.getLogger("pyk8s.controllers.handlers")

Obj = dict[str, Any]


class Enqueuer(Protocol):
    """What a handler needs of a work queue."""

    def add(self, item: str) -> None: ...


def unwrap(obj: Obj | DeletedFinalStateUnknown) -> Obj:
    """The object of an event, also from a tombstone."""
    return obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj


def resource_version(obj: Mapping[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion") or "")


class EnqueueObject:
    """Enqueue the key of the object itself. With `skip_resync`, an update that carries the
    same resourceVersion (a periodic resync) is ignored."""

    def __init__(self, queue: Enqueuer, *, skip_resync: bool = False) -> None:
        self.queue = queue
        self.skip_resync = skip_resync

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        self.queue.add(object_key(obj))

    def on_update(self, old: Obj, new: Obj) -> None:
        if self.skip_resync and resource_version(old) == resource_version(new):
            return
        self.queue.add(object_key(new))

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self.queue.add(object_key(obj))  # a tombstone carries its key


class EnqueueOwner:
    """Enqueue the controller owner of the object, when it is of `kind` in `group`.

    Owner keys are `namespace/name` of the owner (owners live in the dependent's namespace,
    or are cluster-scoped when `cluster_scoped_owner`). Whether that owner still exists with
    the referenced UID is for the reconciler to find out.
    """

    def __init__(
        self, queue: Enqueuer, *, kind: str, group: str = "", cluster_scoped_owner: bool = False
    ) -> None:
        self.queue = queue
        self.kind = kind
        self.group = group
        self.cluster_scoped_owner = cluster_scoped_owner

    def owner_key(self, obj: Obj) -> str | None:
        ref = controller_ref(obj)
        if ref is None or ref.get("kind") != self.kind or api_group(ref.get("apiVersion", "")) != self.group:
            return None
        name = ref.get("name") or ""
        if not name:
            return None
        if self.cluster_scoped_owner:
            return name
        namespace = (obj.get("metadata") or {}).get("namespace") or ""
        return f"{namespace}/{name}" if namespace else name

    def _enqueue(self, obj: Obj) -> None:
        key = self.owner_key(obj)
        if key is not None:
            self.queue.add(key)

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        self._enqueue(obj)

    def on_update(self, old: Obj, new: Obj) -> None:
        old_key, new_key = self.owner_key(old), self.owner_key(new)
        if old_key is not None and old_key != new_key:
            self.queue.add(old_key)
        if new_key is not None:
            self.queue.add(new_key)

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self._enqueue(unwrap(obj))


class EnqueueMapped:
    """Enqueue whatever keys `mapper(obj)` returns; on update, for both old and new state."""

    def __init__(self, queue: Enqueuer, mapper: Callable[[Obj], Iterable[str]]) -> None:
        self.queue = queue
        self.mapper = mapper

    def _enqueue(self, *objects: Obj) -> None:
        keys: set[str] = set()
        for obj in objects:
            keys.update(self.mapper(obj))
        for key in sorted(keys):
            self.queue.add(key)

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        self._enqueue(obj)

    def on_update(self, old: Obj, new: Obj) -> None:
        self._enqueue(old, new)

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self._enqueue(unwrap(obj))
