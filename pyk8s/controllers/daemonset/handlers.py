"""The DaemonSet controller's informer handlers: they enqueue DaemonSet keys and observe
expectations, nothing else (no API calls, no awaits).

- a DaemonSet event wakes that DaemonSet (a deletion also forgets its expectations);
- a pod appearing lowers its owner's expected creations, a pod deleted or marked for
  deletion its expected deletions; an orphan wakes every DaemonSet selecting it; a pod that
  turns ready wakes its owner again after minReadySeconds (when it becomes available);
- a node added or deleted, or whose labels, taints or condition states changed, wakes every
  DaemonSet (placement may differ).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.controllers.runtime.expectations import ControllerExpectations
from pyk8s.controllers.runtime.handlers import resource_version, unwrap
from pyk8s.controllers.runtime.ownership import controller_ref, is_being_deleted
from pyk8s.controllers.runtime.pods import is_pod_ready
from pyk8s.controllers.runtime.workqueue import WorkQueue

Obj = dict[str, Any]

KIND = "DaemonSet"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _labels(obj: Mapping[str, Any]) -> Mapping[str, str]:
    return _meta(obj).get("labels") or {}


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("spec") or {}


class DaemonSetHandlers:
    """Handlers for the DaemonSet, pod and node informers (see the module docstring)."""

    def __init__(
        self, queue: WorkQueue[str], daemonsets: SharedInformer, expectations: ControllerExpectations
    ) -> None:
        self.queue = queue
        self.daemonsets = daemonsets
        self.expectations = expectations

    def daemonset_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda obj, _initial: self.queue.add(object_key(obj)),
            update=lambda _old, new: self.queue.add(object_key(new)),
            delete=self._daemonset_deleted,
        )

    def _daemonset_deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        key = object_key(obj)
        self.expectations.delete(key)
        self.queue.add(key)

    def pod_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda obj, _initial: self._pod_added(obj), update=self._pod_updated, delete=self._pod_deleted
        )

    def node_handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda _obj, _initial: self._enqueue_all(),
            update=self._node_updated,
            delete=lambda _obj: self._enqueue_all(),
        )

    def _enqueue_all(self) -> None:
        for ds in self.daemonsets.lister.list():
            self.queue.add(object_key(ds))

    def _node_updated(self, old: Obj, new: Obj) -> None:
        if _node_placement(old) != _node_placement(new):
            self._enqueue_all()

    def _owner(self, pod: Obj, ref: Mapping[str, Any] | None) -> Obj | None:
        if ref is None or ref.get("kind") != KIND:
            return None
        owner = self.daemonsets.lister.get(ref.get("name", ""), _meta(pod).get("namespace", ""))
        if owner is None or _meta(owner).get("uid") != ref.get("uid"):
            return None
        return owner

    def _matching(self, pod: Obj) -> list[Obj]:
        matching = []
        for ds in self.daemonsets.lister.list(namespace=_meta(pod).get("namespace", "")):
            try:
                if LabelSelector.from_object(_spec(ds).get("selector")).matches(_labels(pod)):
                    matching.append(ds)
            except SelectorError:
                continue
        return matching

    def _pod_added(self, pod: Obj) -> None:
        if is_being_deleted(pod):
            self._pod_deleted(pod)  # seen for the first time already terminating
            return
        ref = controller_ref(pod)
        if ref is not None:
            owner = self._owner(pod, ref)
            if owner is not None:
                key = object_key(owner)
                self.expectations.creation_observed(key)
                self.queue.add(key)
            return
        for ds in self._matching(pod):
            self.queue.add(object_key(ds))

    def _pod_updated(self, old: Obj, new: Obj) -> None:
        if resource_version(old) == resource_version(new):
            return
        if is_being_deleted(new):
            # A graceful deletion started: act on it now rather than when the pod is gone.
            self._pod_deleted(new)
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
            min_ready = int(_spec(owner).get("minReadySeconds") or 0)
            if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(new):
                self.queue.add_after(key, min_ready + 1.0)  # a second more absorbs clock skew
            return
        if _labels(old) != _labels(new) or old_ref != new_ref:
            for ds in self._matching(new):
                self.queue.add(object_key(ds))

    def _pod_deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        pod = unwrap(obj)
        owner = self._owner(pod, controller_ref(pod))
        if owner is None:
            return
        key = object_key(owner)
        self.expectations.deletion_observed(key)
        self.queue.add(key)


def _node_placement(node: Mapping[str, Any]) -> tuple[Any, ...]:
    """What of a node placement depends on: labels, taints and condition states (not
    heartbeats)."""
    conditions = tuple(
        sorted(
            (c.get("type", ""), c.get("status", ""))
            for c in (node.get("status") or {}).get("conditions") or ()
        )
    )
    return (dict(_labels(node)), _spec(node).get("taints"), _spec(node).get("unschedulable"), conditions)
