"""The StatefulSet controller's informer handlers: they only enqueue StatefulSet keys.

A StatefulSet event wakes that set; a pod event wakes its controlling set (both sets when the
controller reference changed), an orphan wakes every set selecting it, and a pod that turns
ready wakes its set again after minReadySeconds (when it becomes available).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.controllers.runtime.handlers import resource_version, unwrap
from pyk8s.controllers.runtime.ownership import controller_ref
from pyk8s.controllers.runtime.pods import is_pod_ready
from pyk8s.controllers.runtime.workqueue import WorkQueue

Obj = dict[str, Any]

KIND = "StatefulSet"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _labels(obj: Mapping[str, Any]) -> Mapping[str, str]:
    return _meta(obj).get("labels") or {}


class StatefulSetHandlers:
    """Handlers for the StatefulSet and pod informers (see the module docstring)."""

    def __init__(self, queue: WorkQueue[str], sets: SharedInformer) -> None:
        self.queue = queue
        self.sets = sets

    def set_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda obj, _initial: self.queue.add(object_key(obj)),
            update=lambda _old, new: self.queue.add(object_key(new)),
            delete=lambda obj: self.queue.add(object_key(obj)),
        )

    def pod_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda obj, _initial: self._pod_added(obj), update=self._pod_updated, delete=self._pod_deleted
        )

    def _owner(self, pod: Obj, ref: Mapping[str, Any] | None) -> Obj | None:
        if ref is None or ref.get("kind") != KIND:
            return None
        owner = self.sets.lister.get(ref.get("name", ""), _meta(pod).get("namespace", ""))
        if owner is None or _meta(owner).get("uid") != ref.get("uid"):
            return None
        return owner

    def _matching(self, pod: Obj) -> list[Obj]:
        matching = []
        for sts in self.sets.lister.list(namespace=_meta(pod).get("namespace", "")):
            try:
                selector = LabelSelector.from_object((sts.get("spec") or {}).get("selector"))
            except SelectorError:
                continue
            if selector.matches(_labels(pod)):
                matching.append(sts)
        return matching

    def _pod_added(self, pod: Obj) -> None:
        if _meta(pod).get("deletionTimestamp"):
            self._pod_deleted(pod)
            return
        ref = controller_ref(pod)
        if ref is not None:
            owner = self._owner(pod, ref)
            if owner is not None:
                self.queue.add(object_key(owner))
            return
        for sts in self._matching(pod):
            self.queue.add(object_key(sts))

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        if resource_version(old) == resource_version(new):
            return
        old_ref, new_ref = controller_ref(old), controller_ref(new)
        if old_ref != new_ref and old_ref is not None:
            previous = self._owner(old, old_ref)
            if previous is not None:
                self.queue.add(object_key(previous))
        if new_ref is not None:
            owner = self._owner(new, new_ref)
            if owner is None:
                return
            key = object_key(owner)
            self.queue.add(key)
            min_ready = int((owner.get("spec") or {}).get("minReadySeconds") or 0)
            if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(new):
                self.queue.add_after(key, min_ready + 1.0)  # a second more absorbs clock skew
            return
        if _labels(old) != _labels(new) or old_ref != new_ref:
            for sts in self._matching(new):
                self.queue.add(object_key(sts))

    def _pod_deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        pod = unwrap(obj)
        owner = self._owner(pod, controller_ref(pod))
        if owner is not None:
            self.queue.add(object_key(owner))
