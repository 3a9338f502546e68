"""Informer event handlers: keep the cache and the queue in step with the cluster.

    pods (not Succeeded/Failed) ─┬─ assigned (spec.nodeName) ──────► cache   (+ cluster events)
                                 └─ unassigned, one of our names ──► queue
    nodes ─────────────────────────────────────────────────────────► cache   (+ cluster events)
    claims, volumes, storage classes ──────────────────────────────► cluster events
    namespaces, PodDisruptionBudgets ──────────────────────────────► listers only

A pod moving from unassigned to assigned (its binding came back through the watch) leaves
the queue and confirms the assumed pod in the cache: `FilteringHandler` turns that update
into a delete for the queue's handler and an add for the cache's. Handlers never await.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pyk8s.client.informers import (
    DeletedFinalStateUnknown,
    EventHandlerFuncs,
    FilteringHandler,
    SharedInformerFactory,
    object_key,
)
from pyk8s.client.resources import (
    NAMESPACES,
    NODES,
    PERSISTENTVOLUMECLAIMS,
    PERSISTENTVOLUMES,
    PODDISRUPTIONBUDGETS,
    PODS,
    STORAGECLASSES,
)
from pyk8s.scheduler import events
from pyk8s.scheduler.events import Action, ClusterEvent
from pyk8s.scheduler.podinfo import DEFAULT_SCHEDULER, PodInfo

if TYPE_CHECKING:
    from pyk8s.scheduler.scheduler import Scheduler

log = logging.getLogger("pyk8s.scheduler.events")

Obj = dict[str, Any]
# Finished pods hold no resources: the watch leaves them out, as kube-scheduler's does.
NOT_TERMINAL = "status.phase!=Succeeded,status.phase!=Failed"


def _obj(obj: Obj | DeletedFinalStateUnknown) -> Obj:
    return obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj


def is_assigned(pod: Obj) -> bool:
    return bool((pod.get("spec") or {}).get("nodeName"))


def register(scheduler: Scheduler, factory: SharedInformerFactory) -> None:
    """Create the scheduler's informers in `factory` and wire them to its cache and queue."""
    pods = factory.informer(PODS, field_selector=NOT_TERMINAL)
    names = set(scheduler.frameworks)

    def responsible(pod: Obj) -> bool:
        return (
            not is_assigned(pod)
            and ((pod.get("spec") or {}).get("schedulerName") or DEFAULT_SCHEDULER) in names
        )

    pods.add_event_handler(FilteringHandler(is_assigned, AssignedPodHandler(scheduler)))
    pods.add_event_handler(FilteringHandler(responsible, PendingPodHandler(scheduler)))
    scheduler.pod_lister = pods.indexer
    scheduler.informers = {"pods": pods}

    nodes = factory.informer(NODES)
    nodes.add_event_handler(NodeHandler(scheduler))
    scheduler.informers["nodes"] = nodes

    listers = scheduler.listers
    listers.namespaces = factory.informer(NAMESPACES).indexer
    listers.pod_disruption_budgets = factory.informer(PODDISRUPTIONBUDGETS).indexer
    for resource, kind, attribute in (
        (PERSISTENTVOLUMECLAIMS, events.PVC, "persistent_volume_claims"),
        (PERSISTENTVOLUMES, events.PV, "persistent_volumes"),
        (STORAGECLASSES, events.STORAGE_CLASS, "storage_classes"),
    ):
        informer = factory.informer(resource)
        setattr(listers, attribute, informer.indexer)
        informer.add_event_handler(_mover(scheduler, kind))


def _mover(scheduler: Scheduler, kind: str) -> EventHandlerFuncs:
    """A handler that only tells the queue something of `kind` was added or changed."""

    def moved(action: Action) -> Callable[..., None]:
        event = ClusterEvent(kind, action, f"{kind}{action.name}")
        return lambda *_: scheduler.queue.move_all_to_active_or_backoff(event)

    return EventHandlerFuncs(add=moved(Action.ADD), update=moved(Action.UPDATE_OTHER))


class AssignedPodHandler:
    """Assigned pods go to the cache; their changes may make parked pods schedulable."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        self.scheduler.cache.add_pod(self._confirmed(obj) or PodInfo(obj))
        self.scheduler.queue.move_all_to_active_or_backoff(events.ASSIGNED_POD_ADD)

    def _confirmed(self, obj: Obj) -> PodInfo | None:
        """The assumed PodInfo, re-pointed at the bound version, when the binding changed
        nothing else the plugins read (saves parsing every pod twice)."""
        cache = self.scheduler.cache
        key = object_key(obj)
        assumed = cache.get_pod(key) if cache.is_assumed(key) else None
        if assumed is None:
            return None
        spec, meta = obj.get("spec") or {}, obj.get("metadata") or {}
        pending = assumed.obj.get("spec") or {}
        if (
            spec.get("nodeName") != assumed.node_name
            or meta.get("uid") != assumed.uid
            or (meta.get("labels") or {}) != assumed.labels
            or bool(meta.get("deletionTimestamp")) != assumed.deleting
        ):
            return None
        rest = {k: v for k, v in spec.items() if k != "nodeName"}
        if "nodeName" in pending:
            rest["nodeName"] = pending["nodeName"]
        if rest != pending:
            return None
        confirmed = assumed.assumed_on(assumed.node_name)
        confirmed.obj = obj
        return confirmed

    def on_update(self, old: Obj, new: Obj) -> None:
        self.scheduler.cache.update_pod(PodInfo(new))
        action = events.pod_update_action(old, new)
        if action:
            self.scheduler.queue.move_all_to_active_or_backoff(
                ClusterEvent(events.POD, action, "AssignedPodUpdate")
            )

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self.scheduler.cache.remove_pod(object_key(_obj(obj)))
        self.scheduler.queue.move_all_to_active_or_backoff(events.ASSIGNED_POD_DELETE)


class PendingPodHandler:
    """Unassigned pods for one of our scheduler names go to the queue."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        if not self.scheduler.cache.is_assumed(object_key(obj)):
            self.scheduler.queue.add(PodInfo(obj))

    def on_update(self, old: Obj, new: Obj) -> None:
        key = object_key(new)
        if self.scheduler.cache.is_assumed(key):
            return  # being bound: the binding's own update will take it out of the queue
        current = self.scheduler.queue.get(key)
        self.scheduler.queue.update(current.pod if current else PodInfo(old), PodInfo(new))

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self.scheduler.queue.delete(object_key(_obj(obj)))


class NodeHandler:
    """Nodes go to the cache; new or changed nodes may make parked pods schedulable."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        self.scheduler.cache.add_node(obj)
        self.scheduler.queue.move_all_to_active_or_backoff(events.NODE_ADD)

    def on_update(self, old: Obj, new: Obj) -> None:
        self.scheduler.cache.update_node(new)
        action = events.node_update_action(old, new)
        if action:
            self.scheduler.queue.move_all_to_active_or_backoff(
                ClusterEvent(events.NODE, action, "NodeUpdate")
            )

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        name = (_obj(obj).get("metadata") or {}).get("name") or ""
        self.scheduler.cache.remove_node(name)
        self.scheduler.queue.move_all_to_active_or_backoff(events.NODE_DELETE)
