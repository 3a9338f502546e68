"""The node lifecycle controller and the taint eviction controller.

Node lifecycle (keys: node names). A reconcile records what the node shows (Ready
heartbeat, Lease renewTime) on the controller's clock and, when nothing has been seen for
the grace period (40 s; 60 s for a node that never posted status), sets the node's
conditions Unknown. The taints then follow the Ready condition (see `health.py`), the pods
on a node that is not Ready get Ready=False, and a NodeNotReady event is recorded. There is
no polling loop: a healthy node is looked at again when its grace period would run out, and
every heartbeat (a Lease or Node update) pushes that moment back.

Taint eviction (keys: pods). A pod on a node with NoExecute taints it does not tolerate is
deleted at once; one tolerating them for tolerationSeconds is deleted that long after it
was first seen on the tainted node, unless the taint goes first (see `eviction.py`). The
pod first gets a DisruptionTarget condition saying why.

Kubernetes also rate-limits evictions per zone and stops them when a whole zone is
unreachable (a control-plane network problem looks like that); pyk8s runs single-zone
development clusters and leaves that out.
"""

from __future__ import annotations

import logging
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError
from pyk8s.api.meta import rfc3339
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.resources import LEASES, NODES, PODS
from pyk8s.client.rest import Client, PatchType
from pyk8s.controllers.nodelifecycle.eviction import EvictionSchedule, no_execute_taints, verdict
from pyk8s.controllers.nodelifecycle.health import (
    HealthTracker,
    condition,
    desired_taints,
    pod_not_ready,
    ready_status,
    with_unknown_conditions,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject, unwrap
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.nodelifecycle")

Obj = dict[str, Any]

NODE_LEASE_NAMESPACE = "kube-node-lease"
NODE_MONITOR_GRACE_PERIOD = 50.0  # kube-controller-manager default since 1.32 (40 s before)
NODE_STARTUP_GRACE_PERIOD = 60.0
NODE_NAME_INDEX = "spec.nodeName"
SLACK = 0.1  # look just after the deadline, not at it


def node_name_index(pod: Obj) -> list[str]:
    name = (pod.get("spec") or {}).get("nodeName")
    return [name] if name else []


def ensure_node_index(pods: SharedInformer) -> None:
    try:
        pods.add_indexers({NODE_NAME_INDEX: node_name_index})
    except ValueError:
        pass  # another controller added it


def pods_on(pods: SharedInformer, node: str) -> list[Obj]:
    return pods.lister.by_index(NODE_NAME_INDEX, node)


class NodeLifecycleReconciler:
    """Judges one node's health and writes what follows from it."""

    def __init__(
        self,
        client: Client,
        *,
        nodes: SharedInformer,
        leases: SharedInformer,
        pods: SharedInformer,
        recorder: EventRecorder,
        grace_period: float = NODE_MONITOR_GRACE_PERIOD,
        startup_grace_period: float = NODE_STARTUP_GRACE_PERIOD,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.nodes, self.leases, self.pods = nodes, leases, pods
        self.recorder = recorder
        self.grace_period = grace_period
        self.startup_grace_period = startup_grace_period
        self.tracker = HealthTracker()

    async def reconcile(self, name: str) -> Result | None:
        node = self.nodes.lister.get(name)
        if node is None:
            self.tracker.forget(name)
            return None
        now = self.clock.now()
        lease = self.leases.lister.get(name, NODE_LEASE_NAMESPACE)
        grace = self.grace_period if condition(node, "Ready") is not None else self.startup_grace_period
        probe = self.tracker.observe(node, lease, now)
        observed = ready_status(node)
        if now > probe + grace:
            updated = with_unknown_conditions(node, now)
            if updated is not None:
                log.info("node %s: no heartbeat for %.0fs, conditions set Unknown", name, now - probe)
                node = await self.client.update_status(NODES, updated)
        current = ready_status(node)
        await self._update_taints(node, now)
        if current != "True":
            if observed == "True":
                self.recorder.event(node, NORMAL, "NodeNotReady", f"Node {name} status is now: NodeNotReady")
            await self._mark_pods_not_ready(name, now)
        deadline = probe + grace
        return Result(requeue_after=deadline - now + SLACK) if deadline >= now else None

    async def _update_taints(self, node: Obj, now: float) -> None:
        taints = desired_taints(node, now)
        if taints is None:
            return
        meta = node.get("metadata") or {}
        patch = {
            "metadata": {"resourceVersion": meta.get("resourceVersion")},
            "spec": {"taints": taints or None},
        }
        try:
            await self.client.patch(NODES, meta["name"], patch)
        except NotFoundError:
            pass

    async def _mark_pods_not_ready(self, node: str, now: float) -> None:
        for pod in pods_on(self.pods, node):
            updated = pod_not_ready(pod, now)
            if updated is None:
                continue
            try:
                await self.client.update_status(PODS, updated)
            except (NotFoundError, ConflictError):
                continue  # gone, or changed: its next event brings it back here if needed
            self.recorder.event(pod, WARNING, "NodeNotReady", "Node is not ready")

    def lease_handler(self, queue: Any) -> EventHandlerFuncs:
        def enqueue(lease: Obj) -> None:
            meta = lease.get("metadata") or {}
            if meta.get("namespace") == NODE_LEASE_NAMESPACE:
                queue.add(meta.get("name") or "")

        return EventHandlerFuncs(add=lambda obj, _: enqueue(obj), update=lambda old, new: enqueue(new))


class TaintEvictionReconciler:
    """Deletes pods from nodes whose NoExecute taints they do not tolerate (long enough)."""

    def __init__(
        self, client: Client, *, nodes: SharedInformer, pods: SharedInformer, recorder: EventRecorder
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.nodes, self.pods = nodes, pods
        self.recorder = recorder
        self.schedule = EvictionSchedule()

    async def reconcile(self, key: str) -> Result | None:
        pod = self.pods.lister.get_by_key(key)
        if pod is None or (pod.get("metadata") or {}).get("deletionTimestamp"):
            self.schedule.cancel(key)
            return None
        node_name = (pod.get("spec") or {}).get("nodeName")
        node = self.nodes.lister.get(node_name) if node_name else None
        taints = no_execute_taints(node) if node is not None else []
        now = self.clock.monotonic()
        started = self.schedule.started(key)
        evict_at = verdict(pod, taints, now, started).evict_at
        if evict_at is None:
            if self.schedule.cancel(key):
                self.recorder.event(pod, NORMAL, "TaintManagerEviction", f"Cancelling deletion of Pod {key}")
            return None
        if evict_at > now:
            self.schedule.schedule(key, now if started is None else started, evict_at)
            deadline = self.schedule.deadline(key) or evict_at
            return Result(requeue_after=deadline - now + SLACK)
        self.schedule.cancel(key)
        await self._evict(pod, key)
        return None

    async def _evict(self, pod: Obj, key: str) -> None:
        meta = pod.get("metadata") or {}
        self.recorder.event(pod, NORMAL, "TaintManagerEviction", f"Marking for deletion Pod {key}")
        condition = {
            "type": "DisruptionTarget",
            "status": "True",
            "reason": "DeletionByTaintManager",
            "message": "Taint manager: deleting due to NoExecute taint",
            "lastTransitionTime": rfc3339(self.clock.now()),
        }
        try:
            await self.client.patch_status(
                PODS,
                meta["name"],
                {"status": {"conditions": [condition]}},
                namespace=meta.get("namespace"),
                patch_type=PatchType.STRATEGIC,
            )
            await self.client.delete(
                PODS,
                meta["name"],
                namespace=meta.get("namespace"),
                preconditions={"uid": meta.get("uid", "")},
            )
            log.info("evicted pod %s from a NoExecute-tainted node", key)
        except (NotFoundError, ConflictError):
            pass  # gone, or replaced by another pod of the same name

    def node_handler(self, queue: Any) -> EventHandlerFuncs:
        def changed(old: Obj, new: Obj) -> None:
            if no_execute_taints(old) != no_execute_taints(new):
                for pod in pods_on(self.pods, (new.get("metadata") or {}).get("name") or ""):
                    queue.add(object_key(pod))

        def added(node: Obj, _: bool) -> None:
            if no_execute_taints(node):
                for pod in pods_on(self.pods, (node.get("metadata") or {}).get("name") or ""):
                    queue.add(object_key(pod))

        return EventHandlerFuncs(add=added, update=changed)

    def pod_handler(self, queue: Any) -> EventHandlerFuncs:
        def changed(old: Obj, new: Obj) -> None:
            before, after = old.get("spec") or {}, new.get("spec") or {}
            if before.get("nodeName") != after.get("nodeName") or before.get("tolerations") != after.get(
                "tolerations"
            ):
                queue.add(object_key(new))

        def added(pod: Obj, _: bool) -> None:
            if (pod.get("spec") or {}).get("nodeName"):
                queue.add(object_key(pod))

        def deleted(obj: Obj | DeletedFinalStateUnknown) -> None:
            queue.add(object_key(unwrap(obj)))

        return EventHandlerFuncs(add=added, update=changed, delete=deleted)


def new_node_lifecycle_controller(
    ctx: ControllerContext,
    *,
    grace_period: float | None = None,
    startup_grace_period: float | None = None,
) -> Controller:
    nodes = ctx.informers.informer(NODES)
    leases = ctx.informers.informer(LEASES, namespace=NODE_LEASE_NAMESPACE)
    pods = ctx.informers.informer(PODS)
    ensure_node_index(pods)
    reconciler = NodeLifecycleReconciler(
        ctx.client,
        nodes=nodes,
        leases=leases,
        pods=pods,
        recorder=ctx.recorder("node-controller"),
        grace_period=grace_period
        or float(getattr(ctx.options, "node_monitor_grace_period", NODE_MONITOR_GRACE_PERIOD)),
        startup_grace_period=startup_grace_period
        or float(getattr(ctx.options, "node_startup_grace_period", NODE_STARTUP_GRACE_PERIOD)),
    )
    controller = Controller(
        "nodelifecycle", reconciler, workers=ctx.workers("nodelifecycle"), clock=ctx.clock
    )
    controller.watch(nodes, EnqueueObject(controller.queue))
    controller.watch(leases, reconciler.lease_handler(controller.queue))
    controller.wait_for(pods)
    return controller


def new_taint_eviction_controller(ctx: ControllerContext) -> Controller:
    nodes = ctx.informers.informer(NODES)
    pods = ctx.informers.informer(PODS)
    ensure_node_index(pods)
    reconciler = TaintEvictionReconciler(
        ctx.client, nodes=nodes, pods=pods, recorder=ctx.recorder("taint-eviction-controller")
    )
    controller = Controller(
        "tainteviction", reconciler, workers=ctx.workers("tainteviction"), clock=ctx.clock
    )
    controller.watch(nodes, reconciler.node_handler(controller.queue))
    controller.watch(pods, reconciler.pod_handler(controller.queue))
    return controller
