"""The PVC and PV protection controllers: the `kubernetes.io/pvc-protection` and
`kubernetes.io/pv-protection` finalizers (put in place by admission) hold a claim or volume
that is deleted while still in use, and are removed once it is not, so the deletion
completes.

A claim is released only after a live list of its namespace's pods confirms what the
cache says (a cache that has not seen a new pod must not let the claim go). Objects that
lack the finalizer and are not being deleted get it (objects created before the admission
plugin was on).
"""

from __future__ import annotations

import logging
from typing import Any

from pyk8s.api.errors import NotFoundError
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer
from pyk8s.client.resources import PERSISTENTVOLUMECLAIMS, PERSISTENTVOLUMES, PODS, Resource
from pyk8s.client.rest import Client
from pyk8s.controllers.protection.usage import (
    PV_PROTECTION,
    PVC_PROTECTION,
    claim_in_use,
    claim_names,
    finalizer_patch,
    has_finalizer,
    is_deleting,
    volume_in_use,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject, unwrap
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.protection")

Obj = dict[str, Any]


async def _patch(client: Client, resource: Resource, obj: Obj, patch: Obj) -> None:
    meta = obj.get("metadata") or {}
    try:
        await client.patch(resource, meta["name"], patch, namespace=meta.get("namespace") or None)
    except NotFoundError:
        pass


class ClaimProtectionReconciler:
    """Keeps or releases one claim's protection finalizer."""

    def __init__(self, client: Client, claims: SharedInformer, pods: SharedInformer) -> None:
        self.client = client
        self.claims = claims
        self.pods = pods

    async def reconcile(self, key: str) -> Result | None:
        claim = self.claims.lister.get_by_key(key)
        if claim is None:
            return None
        meta = claim.get("metadata") or {}
        namespace, name = meta.get("namespace") or "", meta.get("name") or ""
        if not is_deleting(claim):
            patch = finalizer_patch(claim, PVC_PROTECTION, present=True)
            if patch is not None:
                await _patch(self.client, PERSISTENTVOLUMECLAIMS, claim, patch)
            return None
        if not has_finalizer(claim, PVC_PROTECTION):
            return None
        if claim_in_use(name, self.pods.lister.list(namespace=namespace)):
            return None  # a pod event brings it back
        live = (await self.client.list(PODS, namespace=namespace)).get("items") or []
        if claim_in_use(name, live):
            return None
        patch = finalizer_patch(claim, PVC_PROTECTION, present=False)
        if patch is not None:
            log.info("claim %s is no longer used: removing %s", key, PVC_PROTECTION)
            await _patch(self.client, PERSISTENTVOLUMECLAIMS, claim, patch)
        return None

    def pod_handler(self, queue: Any) -> EventHandlerFuncs:
        def enqueue(pod: Obj) -> None:
            namespace = (pod.get("metadata") or {}).get("namespace") or ""
            for claim in claim_names(pod):
                queue.add(f"{namespace}/{claim}")

        def deleted(obj: Obj | DeletedFinalStateUnknown) -> None:
            enqueue(unwrap(obj))

        return EventHandlerFuncs(
            add=lambda pod, _: enqueue(pod), update=lambda old, new: enqueue(new), delete=deleted
        )


class VolumeProtectionReconciler:
    """Keeps or releases one volume's protection finalizer."""

    def __init__(self, client: Client, volumes: SharedInformer) -> None:
        self.client = client
        self.volumes = volumes

    async def reconcile(self, key: str) -> Result | None:
        volume = self.volumes.lister.get(key)
        if volume is None:
            return None
        if not is_deleting(volume):
            patch = finalizer_patch(volume, PV_PROTECTION, present=True)
        elif has_finalizer(volume, PV_PROTECTION) and not volume_in_use(volume):
            log.info("volume %s is no longer bound: removing %s", key, PV_PROTECTION)
            patch = finalizer_patch(volume, PV_PROTECTION, present=False)
        else:
            patch = None
        if patch is not None:
            await _patch(self.client, PERSISTENTVOLUMES, volume, patch)
        return None


def new_pvc_protection_controller(ctx: ControllerContext) -> Controller:
    claims = ctx.informers.informer(PERSISTENTVOLUMECLAIMS)
    pods = ctx.informers.informer(PODS)
    reconciler = ClaimProtectionReconciler(ctx.client, claims, pods)
    controller = Controller(
        "pvc-protection", reconciler, workers=ctx.workers("pvc-protection"), clock=ctx.clock
    )
    controller.watch(claims, EnqueueObject(controller.queue, skip_resync=True))
    controller.watch(pods, reconciler.pod_handler(controller.queue))
    return controller


def new_pv_protection_controller(ctx: ControllerContext) -> Controller:
    volumes = ctx.informers.informer(PERSISTENTVOLUMES)
    reconciler = VolumeProtectionReconciler(ctx.client, volumes)
    controller = Controller(
        "pv-protection", reconciler, workers=ctx.workers("pv-protection"), clock=ctx.clock
    )
    controller.watch(volumes, EnqueueObject(controller.queue, skip_resync=True))
    return controller
