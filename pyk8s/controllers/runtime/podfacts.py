"""What replica controllers read of a pod, read once per pod version.

A ReplicaSet of 10,000 pods is reconciled hundreds of times while it scales: each pass
counts its active, ready, available, fully labeled and terminating pods and checks that
each still matches the selector. Reading those answers out of the pod's nested dicts on
every pass made the walk the controller manager's largest cost. `PodFactsCache` reads them
once per cached pod object (the informer replaces the object on every change, so an object
never changes under its facts) and remembers the last selector and template labels each
pod was matched against, so a pass over unchanged pods is a few attribute reads per pod.

The answers are exactly those of `pods.py` (`is_pod_active`, `is_pod_terminating`,
`is_pod_ready`, `pod_ready_time`, `is_pod_available`) and of `LabelSelector.matches`.

Given the pod informer, the cache follows its events: it forgets a pod's entry when the
informer replaces or deletes the object (entries are found by object identity), and keeps
the facts of each controller's pods by controller UID (`owned_by`), so an owner's pods are
walked without reading the informer's index. A relist that swaps objects without events
(same resourceVersion, equal content) is caught by a size check (`prune`) that drops
entries whose object left the informer's cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pyk8s.api.selectors import LabelSelector
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.controllers.runtime.pods import (
    DeletionFacts,
    is_pod_ready,
    is_pod_terminal,
    node_name,
    pod_ready_time,
)

Obj = dict[str, Any]
TemplateLabels = tuple[tuple[str, Any], ...]

_UNSET: Any = object()


class PodFacts:
    """One pod version's answers (see the module docstring). Never mutate `pod`."""

    __slots__ = (
        "_any_match",
        "_any_selectors",
        "_deletion",
        "_fully_labeled",
        "_labels_key",
        "_match",
        "_ready_time",
        "_selector",
        "active",
        "controller_uid",
        "labels",
        "node_name",
        "pod",
        "ready",
        "terminating",
    )

    def __init__(self, pod: Obj) -> None:
        self.pod = pod
        meta = pod.get("metadata") or {}
        self.labels: Mapping[str, str] = meta.get("labels") or {}
        uid = None
        for ref in meta.get("ownerReferences") or ():
            if isinstance(ref, dict) and ref.get("controller"):
                uid = ref.get("uid")
                break
        self.controller_uid: str | None = uid
        terminal = is_pod_terminal(pod)
        deleting = bool(meta.get("deletionTimestamp"))
        self.active = not terminal and not deleting
        self.terminating = not terminal and deleting
        self.ready = is_pod_ready(pod)
        self.node_name = node_name(pod)
        self._deletion: DeletionFacts | None = None
        self._ready_time: float | None = _UNSET
        self._selector: LabelSelector | None = None
        self._match = False
        self._labels_key: TemplateLabels | None = None
        self._fully_labeled = False
        self._any_selectors: tuple[LabelSelector, ...] | None = None
        self._any_match = False

    @property
    def ready_time(self) -> float | None:
        """When the pod became ready (None if not ready or unknown); parsed on first use."""
        if self._ready_time is _UNSET:
            self._ready_time = pod_ready_time(self.pod) if self.ready else None
        return self._ready_time

    def available(self, min_ready_seconds: float, now: float) -> bool:
        """`is_pod_available(pod, min_ready_seconds, now)`."""
        if not self.ready:
            return False
        if not min_ready_seconds:
            return True
        since = self.ready_time
        return since is not None and since + min_ready_seconds < now

    def matches(self, selector: LabelSelector) -> bool:
        """`selector.matches(labels)`, remembered for the last selector object asked."""
        if self._selector is not selector:
            self._match = selector.matches(self.labels)
            self._selector = selector
        return self._match

    def matches_any(self, selectors: tuple[LabelSelector, ...]) -> bool:
        """Whether any of `selectors` matches (from `PodFactsCache.selectors_key`), remembered
        for the last tuple object asked (apart from `matches`' one selector)."""
        if self._any_selectors is not selectors:
            labels = self.labels
            self._any_match = any(s.matches(labels) for s in selectors)
            self._any_selectors = selectors
        return self._any_match

    def fully_labeled(self, template_labels: TemplateLabels) -> bool:
        """The pod carries every (key, value) of `template_labels` (from `labels_key`);
        remembered for the last tuple object asked."""
        if self._labels_key is not template_labels:
            labels = self.labels
            self._fully_labeled = all(labels.get(k) == v for k, v in template_labels)
            self._labels_key = template_labels
        return self._fully_labeled

    def deletion(self, rank: int) -> DeletionFacts:
        """What the deletion ranking reads of the pod, with `rank` (read once)."""
        if self._deletion is None:
            self._deletion = DeletionFacts(self.pod, 0)
        return self._deletion.ranked(rank)


class PodFactsCache:
    """`PodFacts` per cached pod object (see the module docstring)."""

    def __init__(self, informer: SharedInformer | None = None) -> None:
        self._by_id: dict[int, PodFacts] = {}
        # controller UID -> pod key -> facts of the cached pod: kept by the informer's
        # events, so an owner's pods are found without reading the informer's index.
        self._owned: dict[str, dict[str, PodFacts]] = {}
        self._labels_keys: dict[TemplateLabels, TemplateLabels] = {}
        self._selector_keys: dict[tuple[int, ...], tuple[LabelSelector, ...]] = {}
        self._informer = informer
        if informer is not None:
            informer.add_event_handler(
                EventHandlerFuncs(add=self._added, update=self._updated, delete=self._deleted)
            )

    def owned_by(self, uid: str) -> Iterable[PodFacts]:
        """Facts of the cached pods whose controller has this UID (needs an informer)."""
        if self._informer is None:
            raise RuntimeError("owned_by needs the cache to follow an informer")
        return self._owned.get(uid, {}).values()

    def facts(self, pod: Obj) -> PodFacts:
        """The facts of this pod object (read now if it is new to the cache)."""
        found = self._by_id.get(id(pod))
        if found is not None and found.pod is pod:
            return found
        found = PodFacts(pod)
        self._by_id[id(pod)] = found
        return found

    def forget(self, pod: Obj) -> None:
        """Drop the entry of this pod object (the informer replaced or deleted it)."""
        found = self._by_id.get(id(pod))
        if found is not None and found.pod is pod:
            del self._by_id[id(pod)]

    def _added(self, pod: Obj, _initial: bool = False) -> None:
        facts = self.facts(pod)
        if facts.controller_uid:
            self._owned.setdefault(facts.controller_uid, {})[object_key(pod)] = facts

    def _updated(self, old: Obj, new: Obj) -> None:
        self._remove(old)
        self._added(new)

    def _deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self._remove(obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj)

    def _remove(self, pod: Obj) -> None:
        self.forget(pod)
        meta = pod.get("metadata") or {}
        for ref in meta.get("ownerReferences") or ():
            if isinstance(ref, dict) and ref.get("controller"):
                owned = self._owned.get(ref.get("uid") or "")
                if owned is not None:
                    owned.pop(object_key(pod), None)
                    if not owned:
                        del self._owned[ref.get("uid") or ""]
                break

    def labels_key(self, labels: Mapping[str, Any]) -> TemplateLabels:
        """A canonical tuple of `labels`, the same object for equal labels, for `fully_labeled`."""
        key = tuple(sorted(labels.items()))
        return self._labels_keys.setdefault(key, key)

    def selectors_key(self, selectors: Iterable[LabelSelector]) -> tuple[LabelSelector, ...]:
        """The same tuple object for the same selector objects, for `matches_any`."""
        wanted = tuple(selectors)
        # An entry keeps its selectors alive, so their ids cannot be reused while it exists.
        ids = tuple(id(s) for s in wanted)
        found = self._selector_keys.get(ids)
        if found is None:
            if len(self._selector_keys) > 1000:
                self._selector_keys.clear()
            self._selector_keys[ids] = found = wanted
        return found

    def prune(self) -> None:
        """Drop entries whose object is no longer in the informer's cache (after a relist)."""
        informer = self._informer
        if informer is None or len(self._by_id) <= 2 * len(informer.indexer) + 1000:
            return
        live = {id(obj) for obj in informer.indexer.list()}
        self._by_id = {i: f for i, f in self._by_id.items() if i in live}
        if len(self._labels_keys) > 1000:
            self._labels_keys.clear()

    def __len__(self) -> int:
        return len(self._by_id)
