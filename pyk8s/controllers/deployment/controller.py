"""The Deployment controller: rolls a Deployment's pod template out through ReplicaSets.

It watches Deployments, ReplicaSets (an owned ReplicaSet wakes its Deployment; an orphan
wakes every Deployment whose selector matches it, which may adopt it) and pod deletions (a
Recreate rollout waits for old pods to be gone). One reconcile of `namespace/name`:

    Deployment gone                      nothing (its ReplicaSets go by garbage collection)
    selector empty                       SelectingAll warning, observedGeneration only
    claim ReplicaSets                    adopt matching orphans, release non-matching ones
    being deleted                        status only
    paused / resumed                     Progressing Unknown DeploymentPaused / Resumed
    paused                               resize only, no rollout
    rollback annotation                  copy the old template back
    spec.replicas changed                resize (proportionally during a rollout)
    otherwise                            one RollingUpdate or Recreate step

Creating and deleting pods is the ReplicaSet controller's work; this controller only sizes
ReplicaSets.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from pyk8s.api.errors import StatusError
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.events import WARNING
from pyk8s.client.informers import DeletedFinalStateUnknown, SharedInformer, split_key
from pyk8s.client.resources import DEPLOYMENTS, PODS, REPLICASETS
from pyk8s.controllers.deployment import replicasets as rsutil
from pyk8s.controllers.deployment import revisions, rollout
from pyk8s.controllers.deployment.fenceposts import RECREATE, ROLLING_UPDATE, strategy_type
from pyk8s.controllers.deployment.sync import DeploymentSync
from pyk8s.controllers.runtime import (
    Controller,
    ControllerContext,
    ControllerDescriptor,
    EnqueueMapped,
    EnqueueObject,
    Result,
    TerminalError,
    WorkQueue,
    controller_ref,
    unwrap,
)
from pyk8s.controllers.runtime.ownership import add_controller_uid_index, api_group, controlled_by

log = logging.getLogger("pyk8s.controllers.deployment")

Obj = dict[str, Any]

NAME = "deployment"
COMPONENT = "deployment-controller"


class DeploymentReconciler:
    """Reconciles Deployments (see the module docstring)."""

    def __init__(
        self,
        *,
        deployments: SharedInformer,
        replica_sets: SharedInformer,
        pods: SharedInformer,
        ops: DeploymentSync,
        queue: WorkQueue[str],
    ) -> None:
        self.deployments = deployments
        self.replica_sets = replica_sets
        self.pods = pods
        self.ops = ops
        self.queue = queue

    # event mapping (handlers: no I/O)

    def keys_for_replica_set(self, rs: Obj) -> list[str]:
        """The owning Deployment of a ReplicaSet, or for an orphan every Deployment that
        selects it (one of them may adopt it)."""
        namespace = (rs.get("metadata") or {}).get("namespace", "")
        ref = controller_ref(rs)
        if ref is not None:
            if ref.get("kind") == "Deployment" and api_group(ref.get("apiVersion", "")) == "apps":
                return [f"{namespace}/{ref.get('name', '')}"]
            return []
        if rsutil.is_deleting(rs):
            return []
        return [f"{namespace}/{rsutil.name(d)}" for d in self.deployments_selecting(rs)]

    def deployments_selecting(self, rs: Obj) -> list[Obj]:
        labels = (rs.get("metadata") or {}).get("labels") or {}
        found = []
        for d in self.deployments.lister.list(namespace=(rs.get("metadata") or {}).get("namespace")):
            selector = (d.get("spec") or {}).get("selector")
            if _selects(selector, labels):
                found.append(d)
        return found

    def recreate_key_for_pod(self, pod: Obj) -> str | None:
        """The Deployment (if Recreate) whose ReplicaSet controlled a deleted pod."""
        ref = controller_ref(pod)
        namespace = (pod.get("metadata") or {}).get("namespace", "")
        if ref is None or ref.get("kind") != "ReplicaSet":
            return None
        rs = self.replica_sets.lister.get(ref.get("name", ""), namespace)
        owner = controller_ref(rs) if rs is not None else None
        if owner is None or owner.get("kind") != "Deployment":
            return None
        d = self.deployments.lister.get(owner.get("name", ""), namespace)
        if d is None or strategy_type(d) != RECREATE:
            return None
        return f"{namespace}/{rsutil.name(d)}"

    # reconcile

    async def reconcile(self, key: str) -> Result | None:
        namespace, name = split_key(key)
        cached = self.ops.deployment_writes.latest(self.deployments.lister.get(name, namespace))
        if cached is None:
            return None
        d = copy.deepcopy(cached)
        if _selects_everything((d.get("spec") or {}).get("selector")):
            await self._selecting_all(d)
            return None
        rs_list = await self.ops.replica_sets_for(d)
        if rsutil.is_deleting(d):
            new_rs, old = await self.ops.all_replica_sets(d, rs_list, create=False)
            await self.ops.sync_status([*old, new_rs], new_rs, d)
            return None
        after = await self._sync(d, rs_list)
        return Result(requeue_after=after) if after is not None else None

    async def _sync(self, d: Obj, rs_list: list[Obj]) -> float | None:
        await self.ops.check_paused_conditions(d)
        new_rs, old = await self.ops.all_replica_sets(d, rs_list, create=False)
        if (d.get("spec") or {}).get("paused"):
            await rollout.sync(self.ops, d, new_rs, old)
            return None
        if revisions.rollback_to(d) is not None:
            await rollout.rollback(self.ops, d, new_rs, old)
            return None
        if rollout.is_scaling_event(d, new_rs, old):
            await rollout.sync(self.ops, d, new_rs, old)
            return None
        kind = strategy_type(d)
        if kind == RECREATE:
            return await rollout.recreate(
                self.ops, d, rs_list, new_rs, old, self._pods_by_replica_set(d, rs_list)
            )
        if kind == ROLLING_UPDATE:
            return await rollout.rolling(self.ops, d, rs_list, new_rs, old)
        raise TerminalError(f"unexpected deployment strategy type: {kind}")

    def _pods_by_replica_set(self, d: Obj, rs_list: list[Obj]) -> dict[str, list[Obj]]:
        """The Deployment's pods grouped by the UID of the ReplicaSet controlling them."""
        return {rsutil.uid(rs): controlled_by(self.pods, rs) for rs in rs_list}

    async def _selecting_all(self, d: Obj) -> None:
        self.ops.event(
            d,
            WARNING,
            "SelectingAll",
            "This deployment is selecting all pods. A non-empty selector is required.",
        )
        status = d.setdefault("status", {})
        generation = d["metadata"].get("generation", 0)
        if status.get("observedGeneration", 0) < generation:
            status["observedGeneration"] = generation
            try:
                await self.ops.update_status(d)
            except StatusError as err:
                log.debug("could not record observedGeneration of %s: %s", d["metadata"].get("name"), err)


class _PodDeletions:
    """Wakes a Recreate Deployment when one of its pods is deleted."""

    def __init__(self, owner: DeploymentReconciler) -> None:
        self.owner = owner

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        pass

    def on_update(self, old: Obj, new: Obj) -> None:
        pass

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        key = self.owner.recreate_key_for_pod(unwrap(obj))
        if key is not None:
            self.owner.queue.add(key)


def _selects_everything(selector: Any) -> bool:
    return (
        isinstance(selector, dict)
        and not selector.get("matchLabels")
        and not selector.get("matchExpressions")
    )


def _selects(selector: Any, labels: dict[str, str]) -> bool:
    if not isinstance(selector, dict) or _selects_everything(selector):
        return False
    try:
        return LabelSelector.from_object(selector).matches(labels)
    except SelectorError:
        return False


def new_deployment_controller(ctx: ControllerContext) -> Controller:
    """The Deployment controller, wired to the context's shared informers."""
    deployments = ctx.informers.informer(DEPLOYMENTS)
    replica_sets = ctx.informers.informer(REPLICASETS)
    pods = ctx.informers.informer(PODS)
    add_controller_uid_index(replica_sets)
    add_controller_uid_index(pods)
    queue: WorkQueue[str] = WorkQueue(name=NAME, clock=ctx.clock)
    ops = DeploymentSync(
        ctx.client,
        replica_sets=replica_sets,
        recorder=ctx.recorder(COMPONENT),
        clock=ctx.clock,
        deployments=deployments,
    )
    reconciler = DeploymentReconciler(
        deployments=deployments, replica_sets=replica_sets, pods=pods, ops=ops, queue=queue
    )
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock, queue=queue)
    controller.watch(deployments, EnqueueObject(queue))
    controller.watch(replica_sets, EnqueueMapped(queue, reconciler.keys_for_replica_set))
    controller.watch(pods, _PodDeletions(reconciler))
    return controller


DEPLOYMENT_CONTROLLER = ControllerDescriptor(
    NAME,
    new_deployment_controller,
    aliases=("deployment-controller",),
    description="rolls Deployments out through ReplicaSets",
)
