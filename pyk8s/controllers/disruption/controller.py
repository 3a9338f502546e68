"""The disruption controller: keeps each PodDisruptionBudget's status, which the API
server's pods/eviction reads to allow or refuse an eviction.

One reconcile of `namespace/name`: the pods the budget selects (from the cache), the
scale of their controllers when the budget needs it (ReplicaSets count their Deployment's
replicas; ReplicationControllers and StatefulSets their own; any other controller through
its scale subresource), then `budget.py` computes the status. Evictions recorded in
`disruptedPods` that the pod's deletion has not confirmed expire after two minutes; the
budget is looked at again then. Any pod event wakes the budgets that select it.

A budget that cannot be computed (a percentage that is not one, a controller that cannot
be read) allows no disruption and says why in its DisruptionAllowed condition
(SyncFailed). Pods without a controller are left out of a controller-scaled budget, with
an UnmanagedPods warning, as Kubernetes does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError, StatusError
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.events import WARNING, EventRecorder
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.resources import (
    DEPLOYMENTS,
    PODDISRUPTIONBUDGETS,
    PODS,
    REPLICASETS,
    REPLICATIONCONTROLLERS,
    STATEFULSETS,
    for_kind,
)
from pyk8s.client.rest import Client
from pyk8s.controllers.disruption.budget import (
    BudgetError,
    BudgetStatus,
    current_healthy,
    expected_and_desired,
    failed_status,
    live_disrupted_pods,
    needs_controller_scale,
    new_status,
    status_differs,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject, unwrap
from pyk8s.controllers.runtime.ownership import controller_ref
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.disruption")

Obj = dict[str, Any]
COMPONENT = "controllermanager"  # the event source Kubernetes' disruption controller uses


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def budget_selector(pdb: Mapping[str, Any]) -> LabelSelector | None:
    """policy/v1: a null selector selects nothing, an empty one every pod of the namespace."""
    raw = (pdb.get("spec") or {}).get("selector")
    if raw is None:
        return None
    return LabelSelector.from_object(raw)


class DisruptionReconciler:
    """Computes one budget's status."""

    def __init__(
        self,
        client: Client,
        *,
        budgets: SharedInformer,
        pods: SharedInformer,
        replicasets: SharedInformer,
        deployments: SharedInformer,
        statefulsets: SharedInformer,
        replicationcontrollers: SharedInformer,
        recorder: EventRecorder,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.budgets, self.pods = budgets, pods
        self.replicasets, self.deployments = replicasets, deployments
        self.statefulsets, self.replicationcontrollers = statefulsets, replicationcontrollers
        self.recorder = recorder

    async def reconcile(self, key: str) -> Result | None:
        pdb = self.budgets.lister.get_by_key(key)
        if pdb is None:
            return None
        now = self.clock.now()
        namespace = _meta(pdb).get("namespace") or ""
        try:
            selector = budget_selector(pdb)
            pods = [] if selector is None else self.pods.lister.list(namespace=namespace, selector=selector)
            scale = await self._controller_scale(pdb, pods) if needs_controller_scale(pdb) else 0
            expected, desired = expected_and_desired(pdb, len(pods), scale)
        except (BudgetError, SelectorError, StatusError) as err:
            message = err.message if isinstance(err, StatusError) else str(err)
            self.recorder.event(
                pdb,
                WARNING,
                "CalculateExpectedPodCountFailed",
                f"Failed to calculate the number of expected pods: {message}",
            )
            await self._write(pdb, failed_status(pdb, message, now))
            return None
        disrupted, recheck = live_disrupted_pods(pdb, {_meta(p).get("name", ""): p for p in pods}, now)
        budget = BudgetStatus(current_healthy(pods, disrupted), desired, expected, disrupted)
        await self._write(pdb, new_status(pdb, budget, now))
        return Result(requeue_after=recheck - now + 0.1) if recheck is not None else None

    async def _write(self, pdb: Obj, status: Obj) -> None:
        if not status_differs(pdb, status):
            return
        try:
            await self.client.update_status(PODDISRUPTIONBUDGETS, {**pdb, "status": status})
        except NotFoundError:
            pass
        except ConflictError:
            raise  # an eviction charged it meanwhile: recompute from the new version

    async def _controller_scale(self, pdb: Obj, pods: list[Obj]) -> int:
        """The summed scale of the controllers of `pods` (each controller once)."""
        namespace = _meta(pdb).get("namespace") or ""
        seen: dict[str, int] = {}
        unmanaged: list[str] = []
        for pod in pods:
            ref = controller_ref(pod)
            if ref is None:
                unmanaged.append(_meta(pod).get("name", ""))
                continue
            uid = ref.get("uid", "")
            if uid not in seen:
                seen[uid] = await self._scale_of(namespace, ref)
        if unmanaged:
            selector = (pdb.get("spec") or {}).get("selector")
            self.recorder.event(
                pdb,
                WARNING,
                "UnmanagedPods",
                f"Pods selected by this PodDisruptionBudget (selector: {selector}) were found to be "
                "unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may "
                'result in undefined behavior. To account for these pods please set ".spec.minAvailable" '
                "field of the PDB to an integer value.",
            )
        return sum(seen.values())

    async def _scale_of(self, namespace: str, ref: Mapping[str, Any]) -> int:
        kind, name, uid = ref.get("kind"), ref.get("name", ""), ref.get("uid")
        group = (
            (ref.get("apiVersion") or "").rpartition("/")[0] if "/" in (ref.get("apiVersion") or "") else ""
        )
        cached: Obj | None = None
        if (group, kind) == ("apps", "ReplicaSet"):
            cached = self.replicasets.lister.get(name, namespace)
            if cached is not None and _meta(cached).get("uid") == uid:
                owner = controller_ref(cached)
                if owner is not None and owner.get("kind") == "Deployment":
                    deployment = self.deployments.lister.get(owner.get("name", ""), namespace)
                    if deployment is not None and _meta(deployment).get("uid") == owner.get("uid"):
                        return _replicas(deployment)
                return _replicas(cached)
        elif (group, kind) == ("", "ReplicationController"):
            cached = self.replicationcontrollers.lister.get(name, namespace)
        elif (group, kind) == ("apps", "StatefulSet"):
            cached = self.statefulsets.lister.get(name, namespace)
        if cached is not None and _meta(cached).get("uid") == uid:
            return _replicas(cached)
        resource = for_kind(ref.get("apiVersion", ""), kind or "")
        if resource is None:
            raise BudgetError(f"found no controllers for pod controlled by {kind} {name!r}")
        scale = await self.client.get_scale(resource, name, namespace=namespace)
        if _meta(scale).get("uid") not in (None, "", uid):
            raise BudgetError(f"{kind} {name!r} is not the pods' controller any more")
        return _replicas(scale)

    def pod_handler(self, queue: Any) -> EventHandlerFuncs:
        def enqueue(pod: Obj) -> None:
            namespace = _meta(pod).get("namespace") or ""
            labels = _meta(pod).get("labels") or {}
            for pdb in self.budgets.lister.list(namespace=namespace):
                try:
                    selector = budget_selector(pdb)
                except SelectorError:
                    continue
                if selector is not None and selector.matches(labels):
                    queue.add(object_key(pdb))

        def updated(old: Obj, new: Obj) -> None:
            enqueue(new)
            if (_meta(old).get("labels") or {}) != (_meta(new).get("labels") or {}):
                enqueue(old)

        def deleted(obj: Obj | DeletedFinalStateUnknown) -> None:
            enqueue(unwrap(obj))

        return EventHandlerFuncs(add=lambda pod, _: enqueue(pod), update=updated, delete=deleted)


def _replicas(obj: Mapping[str, Any]) -> int:
    replicas = (obj.get("spec") or {}).get("replicas")
    return 1 if replicas is None else int(replicas)


def new_disruption_controller(ctx: ControllerContext) -> Controller:
    budgets = ctx.informers.informer(PODDISRUPTIONBUDGETS)
    pods = ctx.informers.informer(PODS)
    informers = {
        "replicasets": ctx.informers.informer(REPLICASETS),
        "deployments": ctx.informers.informer(DEPLOYMENTS),
        "statefulsets": ctx.informers.informer(STATEFULSETS),
        "replicationcontrollers": ctx.informers.informer(REPLICATIONCONTROLLERS),
    }
    reconciler = DisruptionReconciler(
        ctx.client, budgets=budgets, pods=pods, recorder=ctx.recorder(COMPONENT), **informers
    )
    controller = Controller("disruption", reconciler, workers=ctx.workers("disruption"), clock=ctx.clock)
    controller.watch(budgets, EnqueueObject(controller.queue))
    controller.watch(pods, reconciler.pod_handler(controller.queue))
    controller.wait_for(*informers.values())
    return controller
