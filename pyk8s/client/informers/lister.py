"""Listers: read-only views of an informer's cache, for reconcilers.

A reconciler reads current state here, not from the events that woke it (level-based).
Objects are shared with the cache: copy before changing one (`copy.deepcopy`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyk8s.api.selectors import LabelSelector
from pyk8s.client.informers.store import NAMESPACE_INDEX, Indexer

Obj = dict[str, Any]
SelectorLike = LabelSelector | str | Mapping[str, str] | None


def as_label_selector(selector: SelectorLike) -> LabelSelector | None:
    """A `LabelSelector` from its string form, a `{k: v}` dict, or as is; None for "all"."""
    if selector is None or isinstance(selector, LabelSelector):
        return selector
    if isinstance(selector, str):
        return LabelSelector.parse(selector)
    return LabelSelector.parse(",".join(f"{k}={v}" for k, v in sorted(selector.items())))


class Lister:
    """Get and list from an informer's indexer."""

    def __init__(self, indexer: Indexer) -> None:
        self.indexer = indexer

    def get(self, name: str, namespace: str | None = None) -> Obj | None:
        """The cached object, or None. `namespace` is required for namespaced objects."""
        return self.indexer.get(f"{namespace}/{name}" if namespace else name)

    def get_by_key(self, key: str) -> Obj | None:
        return self.indexer.get(key)

    def list(self, *, namespace: str | None = None, selector: SelectorLike = None) -> list[Obj]:
        """Objects in `namespace` (None: all) whose labels match `selector` (None: all)."""
        objects = (
            self.indexer.list() if namespace is None else self.indexer.by_index(NAMESPACE_INDEX, namespace)
        )
        sel = as_label_selector(selector)
        if sel is None or sel.empty:
            return objects
        return [o for o in objects if sel.matches((o.get("metadata") or {}).get("labels"))]

    def by_index(self, index: str, value: str) -> list[Obj]:
        return self.indexer.by_index(index, value)

    def namespace(self, namespace: str) -> NamespaceLister:
        return NamespaceLister(self, namespace)


class NamespaceLister:
    """A lister bound to one namespace."""

    def __init__(self, lister: Lister, namespace: str) -> None:
        self._lister = lister
        self.namespace = namespace

    def get(self, name: str) -> Obj | None:
        return self._lister.get(name, self.namespace)

    def list(self, *, selector: SelectorLike = None) -> list[Obj]:
        return self._lister.list(namespace=self.namespace, selector=selector)
