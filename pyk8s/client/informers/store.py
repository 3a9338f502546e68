"""The informer's cache: objects by key, plus secondary indexes (client-go's `Indexer`).

Keys are `namespace/name` (`name` for cluster-scoped objects). An index maps each object
to a list of values (`namespace` is built in: `by_index("namespace", "default")`); custom
index functions can be added at any time and are computed over what is already stored.

Objects returned are the cached ones, shared by every reader: never mutate them (copy
first). There is no lock: the store lives on the event loop, and only the informer writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

Obj = dict[str, Any]
IndexFunc = Callable[[Obj], Iterable[str]]
KeyFunc = Callable[[Obj], str]

NAMESPACE_INDEX = "namespace"


def object_key(obj: Mapping[str, Any]) -> str:
    """`namespace/name`, or `name` for cluster-scoped objects (MetaNamespaceKeyFunc)."""
    if isinstance(obj, DeletedFinalStateUnknown):
        return obj.key
    meta = obj.get("metadata") or {}
    namespace, name = meta.get("namespace") or "", meta.get("name") or ""
    return f"{namespace}/{name}" if namespace else name


def split_key(key: str) -> tuple[str, str]:
    """(namespace, name) of a key ("" namespace for cluster-scoped)."""
    namespace, sep, name = key.partition("/")
    return (namespace, name) if sep else ("", namespace)


def namespace_index(obj: Obj) -> list[str]:
    return [(obj.get("metadata") or {}).get("namespace") or ""]


class DeletedFinalStateUnknown(NamedTuple):
    """A delete the informer did not see happen: the object was gone when it relisted.
    `obj` is the last state it knew, which may be stale."""

    key: str
    obj: Obj


class Indexer:
    """Objects by key with secondary indexes."""

    def __init__(
        self, indexers: Mapping[str, IndexFunc] | None = None, *, key_func: KeyFunc = object_key
    ) -> None:
        self.key_func = key_func
        self._items: dict[str, Obj] = {}
        self._indexers: dict[str, IndexFunc] = {NAMESPACE_INDEX: namespace_index}
        self._indices: dict[str, dict[str, set[str]]] = {NAMESPACE_INDEX: {}}
        if indexers:
            self.add_indexers(indexers)

    # reads

    def get(self, key: str) -> Obj | None:
        return self._items.get(key)

    def get_object(self, obj: Obj) -> Obj | None:
        return self._items.get(self.key_func(obj))

    def list(self) -> list[Obj]:
        return list(self._items.values())

    def list_keys(self) -> list[str]:
        return list(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def by_index(self, index: str, value: str) -> list[Obj]:
        """Objects whose index function returned `value`."""
        return [self._items[k] for k in self.index_keys(index, value)]

    def by_index_unordered(self, index: str, value: str) -> list[Obj]:
        """`by_index` in no particular order: no sort, for callers that read a large index
        in full on every pass (a controller counting its 10,000 pods)."""
        try:
            entries = self._indices[index]
        except KeyError:
            raise KeyError(f"no index named {index!r}") from None
        items = self._items
        return [items[k] for k in entries.get(value, ())]

    def index_keys(self, index: str, value: str) -> list[str]:
        try:
            entries = self._indices[index]
        except KeyError:
            raise KeyError(f"no index named {index!r}") from None
        return sorted(entries.get(value, ()))

    def index_values(self, index: str) -> list[str]:
        return sorted(self._indices[index])

    @property
    def indexers(self) -> dict[str, IndexFunc]:
        return dict(self._indexers)

    # writes (the informer's)

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        for name, func in indexers.items():
            if name in self._indexers:
                raise ValueError(f"indexer {name!r} already exists")
            self._indexers[name] = func
            index: dict[str, set[str]] = {}
            self._indices[name] = index
            for key, obj in self._items.items():
                for value in func(obj):
                    index.setdefault(value, set()).add(key)

    def add(self, obj: Obj) -> Obj | None:
        """Store `obj` (insert or replace); returns the previous version."""
        key = self.key_func(obj)
        old = self._items.get(key)
        self._items[key] = obj
        self._reindex(key, old, obj)
        return old

    update = add

    def delete(self, obj: Obj) -> Obj | None:
        return self.delete_key(self.key_func(obj))

    def delete_key(self, key: str) -> Obj | None:
        old = self._items.pop(key, None)
        if old is not None:
            self._reindex(key, old, None)
        return old

    def replace(self, objects: Iterable[Obj]) -> None:
        """Swap the whole content (a relist)."""
        self._items = {self.key_func(o): o for o in objects}
        for name, func in self._indexers.items():
            index: dict[str, set[str]] = {}
            for key, obj in self._items.items():
                for value in func(obj):
                    index.setdefault(value, set()).add(key)
            self._indices[name] = index

    def _reindex(self, key: str, old: Obj | None, new: Obj | None) -> None:
        for name, func in self._indexers.items():
            values_before = list(func(old)) if old is not None else []
            values_after = list(func(new)) if new is not None else []
            if values_before == values_after:
                continue  # the common case (an update that kept the index values): no sets built
            before, after = set(values_before), set(values_after)
            if before == after:
                continue
            index = self._indices[name]
            for value in before - after:
                keys = index.get(value)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del index[value]
            for value in after - before:
                index.setdefault(value, set()).add(key)
