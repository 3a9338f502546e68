"""The PersistentVolume binder: binds claims to volumes and releases volumes whose claims
are gone (Kubernetes' persistentvolume-binder controller, without dynamic provisioning).

Claims (keys `namespace/name`):
- unbound, no volumeName: bind to the best match (`binding.find_best_match`); none ->
  stays Pending with an event (FailedBinding, or ExternalProvisioning when its class has a
  provisioner that should create one; WaitForFirstConsumer classes wait for a pod);
- pre-bound by the user (volumeName set): bind to that volume if it is free and fits;
- bound: keep both sides Bound; a claim whose volume disappeared is Lost (ClaimLost).

Volumes (keys: names):
- no claimRef -> Available; bound to a live claim -> Bound;
- its claim is gone (checked with a live read) -> Released, then reclaimed: Retain keeps
  it, Delete deletes the PersistentVolume object when no external provisioner must free
  the storage (hostPath, local and other static volumes), Recycle is Failed (unsupported).

Binding writes the volume first (claimRef, then status Bound), then the claim (volumeName
and annotations, then status Bound), each write guarded by resourceVersion, so two claims
never take one volume and a crash half-way is completed by the next pass.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError
from pyk8s.api.meta import rfc3339
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.resources import PERSISTENTVOLUMECLAIMS, PERSISTENTVOLUMES, STORAGECLASSES
from pyk8s.client.rest import Client
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject, unwrap
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.volume.binding import (
    BIND_COMPLETED,
    BOUND_BY_CONTROLLER,
    NO_PROVISIONER,
    SELECTED_NODE,
    STORAGE_PROVISIONER,
    YES,
    claim_bound_patch,
    claim_bound_status,
    claim_class,
    find_best_match,
    is_available_for,
    needs_external_deleter,
    volume_bound_patch,
    volume_claim_state,
    volume_fits,
    volume_phase,
)

log = logging.getLogger("pyk8s.controllers.volume")

Obj = dict[str, Any]
COMPONENT = "persistentvolume-controller"


def _meta(obj: Obj) -> dict[str, Any]:
    return obj.get("metadata") or {}


class VolumeBinder:
    """Claim and volume reconciles sharing the caches (see the module docstring)."""

    def __init__(
        self,
        client: Client,
        *,
        claims: SharedInformer,
        volumes: SharedInformer,
        classes: SharedInformer,
        recorder: EventRecorder,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.claims, self.volumes, self.classes = claims, volumes, classes
        self.recorder = recorder
        self.claim_queue: Any = None
        self.volume_queue: Any = None

    # claims

    async def sync_claim(self, key: str) -> Result | None:
        claim = self.claims.lister.get_by_key(key)
        if claim is None or _meta(claim).get("deletionTimestamp"):
            return None
        annotations = _meta(claim).get("annotations") or {}
        volume_name = (claim.get("spec") or {}).get("volumeName") or ""
        if annotations.get(BIND_COMPLETED) != YES:
            if not volume_name:
                await self._bind_unbound(claim)
            else:
                await self._bind_prebound(claim, volume_name)
            return None
        if not volume_name:
            await self._lose(
                claim, "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!"
            )
            return None
        volume = self.volumes.lister.get(volume_name)
        if volume is None:
            await self._lose(claim, "Bound claim has lost its PersistentVolume. Data on the volume is lost!")
            return None
        state = volume_claim_state(volume, claim)
        if state == "none":
            await self._bind(volume, claim)
        elif state == "missing":
            await self._lose(claim, "Two claims are bound to the same volume, this one is bound incorrectly")
        else:
            await self._bind(volume, claim)  # completes whatever is missing, a no-op otherwise
        return None

    async def _bind_unbound(self, claim: Obj) -> None:
        cls_name = claim_class(claim)
        storage_class = self.classes.lister.get(cls_name) if cls_name else None
        if (
            storage_class is not None
            and storage_class.get("volumeBindingMode") == "WaitForFirstConsumer"
            and SELECTED_NODE not in (_meta(claim).get("annotations") or {})
        ):
            self.recorder.event(
                claim,
                NORMAL,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding",
            )
            await self._set_claim_phase(claim, "Pending")
            return
        volume = find_best_match(claim, self.volumes.lister.list())
        if volume is not None:
            await self._bind(volume, claim)
            return
        await self._set_claim_phase(claim, "Pending")
        if not cls_name:
            self.recorder.event(
                claim,
                NORMAL,
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set",
            )
        elif storage_class is None:
            self.recorder.event(
                claim, WARNING, "ProvisioningFailed", f'storageclass.storage.k8s.io "{cls_name}" not found'
            )
        elif storage_class.get("provisioner") and storage_class.get("provisioner") != NO_PROVISIONER:
            provisioner = storage_class["provisioner"]
            await self._annotate_provisioner(claim, provisioner)
            self.recorder.event(
                claim,
                NORMAL,
                "ExternalProvisioning",
                f"Waiting for a volume to be created either by the external provisioner '{provisioner}' or "
                "manually by the system administrator. If volume creation is delayed, please verify that the "
                "provisioner is running and correctly registered.",
            )
        else:
            self.recorder.event(
                claim,
                NORMAL,
                "FailedBinding",
                f"no volume plugin matched name: {storage_class.get('provisioner')}",
            )

    async def _bind_prebound(self, claim: Obj, volume_name: str) -> None:
        volume = self.volumes.lister.get(volume_name)
        if volume is None:
            await self._set_claim_phase(claim, "Pending")
            self.recorder.event(claim, NORMAL, "FailedBinding", f'volume "{volume_name}" not found')
            return
        if not is_available_for(volume, claim):
            await self._set_claim_phase(claim, "Pending")
            self.recorder.event(
                claim, WARNING, "FailedBinding", f'volume "{volume_name}" already bound to a different claim.'
            )
            return
        if not volume_fits(claim, volume):
            await self._set_claim_phase(claim, "Pending")
            self.recorder.event(
                claim,
                WARNING,
                "VolumeMismatch",
                f'Cannot bind to requested volume "{volume_name}": it does not satisfy the claim '
                "(storage class, access modes, volume mode or size)",
            )
            return
        await self._bind(volume, claim)

    async def _bind(self, volume: Obj, claim: Obj) -> None:
        """Write both sides of the binding, volume first; each step only if needed."""
        patch = volume_bound_patch(volume, claim)
        if patch is not None:
            volume = await self.client.patch(PERSISTENTVOLUMES, _meta(volume)["name"], patch)
        volume = await self._set_volume_phase(volume, "Bound")
        patch = claim_bound_patch(claim, volume)
        if patch is not None:
            claim = await self.client.patch(
                PERSISTENTVOLUMECLAIMS, _meta(claim)["name"], patch, namespace=_meta(claim)["namespace"]
            )
        status = claim_bound_status(claim, volume)
        if status is not None:
            await self.client.update_status(
                PERSISTENTVOLUMECLAIMS, {**claim, "status": {**(claim.get("status") or {}), **status}}
            )
            log.info("bound claim %s to volume %s", object_key(claim), _meta(volume)["name"])

    async def _lose(self, claim: Obj, message: str) -> None:
        if (claim.get("status") or {}).get("phase") != "Lost":
            await self._set_claim_phase(claim, "Lost")
            self.recorder.event(claim, WARNING, "ClaimLost", message)

    async def _set_claim_phase(self, claim: Obj, phase: str) -> None:
        status = claim.get("status") or {}
        if status.get("phase") == phase:
            return
        try:
            await self.client.update_status(
                PERSISTENTVOLUMECLAIMS, {**claim, "status": {**status, "phase": phase}}
            )
        except NotFoundError:
            pass

    async def _annotate_provisioner(self, claim: Obj, provisioner: str) -> None:
        if (_meta(claim).get("annotations") or {}).get(STORAGE_PROVISIONER) == provisioner:
            return
        patch = {"metadata": {"annotations": {STORAGE_PROVISIONER: provisioner}}}
        await self.client.patch(
            PERSISTENTVOLUMECLAIMS, _meta(claim)["name"], patch, namespace=_meta(claim)["namespace"]
        )

    # volumes

    async def sync_volume(self, name: str) -> Result | None:
        volume = self.volumes.lister.get(name)
        if volume is None:
            return None
        ref = (volume.get("spec") or {}).get("claimRef")
        if not ref or not ref.get("uid"):
            # unused, or reserved for a claim that has not taken it yet
            await self._set_volume_phase(volume, "Available")
            if not ref:
                self._wake_pending_claims()
            elif self.claim_queue is not None:
                self.claim_queue.add(f"{ref.get('namespace') or ''}/{ref.get('name') or ''}")
            return None
        claim = self.claims.lister.get(ref.get("name", ""), ref.get("namespace") or "")
        if claim is None or _meta(claim).get("uid") != ref.get("uid"):
            claim = await self._live_claim(ref)  # never release on a cache that may be behind
        state = volume_claim_state(volume, claim)
        if state == "missing":
            await self._release(volume)
        elif state == "bound":
            await self._set_volume_phase(volume, "Bound")
        elif claim is not None and self.claim_queue is not None:
            self.claim_queue.add(object_key(claim))  # the claim side completes the binding
        return None

    async def _live_claim(self, ref: Obj) -> Obj | None:
        try:
            return await self.client.get(
                PERSISTENTVOLUMECLAIMS, ref.get("name", ""), namespace=ref.get("namespace")
            )
        except NotFoundError:
            return None

    async def _release(self, volume: Obj) -> None:
        if volume_phase(volume) not in ("Released", "Failed"):
            volume = await self._set_volume_phase(volume, "Released")
            log.info("volume %s released: its claim is gone", _meta(volume)["name"])
        if volume_phase(volume) == "Failed":
            return
        policy = (volume.get("spec") or {}).get("persistentVolumeReclaimPolicy") or "Retain"
        if policy == "Delete":
            provisioner = needs_external_deleter(volume)
            if provisioner:
                self.recorder.event(
                    volume,
                    NORMAL,
                    "ExternalDelete",
                    f"waiting for a volume to be deleted either by the external deleter '{provisioner}' or "
                    "manually by the system administrator",
                )
                return
            try:
                await self.client.delete(
                    PERSISTENTVOLUMES,
                    _meta(volume)["name"],
                    preconditions={"uid": _meta(volume).get("uid", "")},
                )
                log.info("deleted released volume %s (reclaim policy Delete)", _meta(volume)["name"])
            except (NotFoundError, ConflictError):
                pass
        elif policy == "Recycle":
            await self._set_volume_phase(volume, "Failed", message="Recycle is not supported by pyk8s")
            self.recorder.event(volume, WARNING, "VolumeFailedRecycle", "Recycle is not supported by pyk8s")

    async def _set_volume_phase(self, volume: Obj, phase: str, *, message: str = "") -> Obj:
        status = dict(volume.get("status") or {})
        if status.get("phase") == phase:
            return volume
        status.update(phase=phase, lastPhaseTransitionTime=rfc3339(self.clock.now()))
        if message:
            status["message"] = message
        else:
            status.pop("message", None)
        try:
            return await self.client.update_status(PERSISTENTVOLUMES, {**volume, "status": status})
        except NotFoundError:
            return volume

    def _wake_pending_claims(self) -> None:
        if self.claim_queue is None:
            return
        for claim in self.claims.lister.list():
            if not (claim.get("spec") or {}).get("volumeName"):
                self.claim_queue.add(object_key(claim))

    # handlers

    def claim_deleted_handler(self) -> EventHandlerFuncs:
        def deleted(obj: Obj | DeletedFinalStateUnknown) -> None:
            volume = ((unwrap(obj).get("spec") or {}).get("volumeName")) or ""
            if volume and self.volume_queue is not None:
                self.volume_queue.add(volume)

        return EventHandlerFuncs(delete=deleted)


class _Sync:
    def __init__(self, func: Any) -> None:
        self.func = func

    async def reconcile(self, key: str) -> Result | None:
        result: Result | None = await self.func(key)
        return result


class PersistentVolumeBinderController:
    """The claim and volume controllers as one runnable."""

    name = "persistentvolume-binder"

    def __init__(self, ctx: ControllerContext) -> None:
        claims = ctx.informers.informer(PERSISTENTVOLUMECLAIMS)
        volumes = ctx.informers.informer(PERSISTENTVOLUMES)
        classes = ctx.informers.informer(STORAGECLASSES)
        self.binder = VolumeBinder(
            ctx.client, claims=claims, volumes=volumes, classes=classes, recorder=ctx.recorder(COMPONENT)
        )
        workers = ctx.workers(self.name)
        self.claim_controller = Controller(
            "persistentvolume-binder-claims", _Sync(self.binder.sync_claim), workers=workers, clock=ctx.clock
        )
        self.volume_controller = Controller(
            "persistentvolume-binder-volumes",
            _Sync(self.binder.sync_volume),
            workers=workers,
            clock=ctx.clock,
        )
        self.binder.claim_queue = self.claim_controller.queue
        self.binder.volume_queue = self.volume_controller.queue
        self.claim_controller.watch(claims, EnqueueObject(self.claim_controller.queue, skip_resync=True))
        self.claim_controller.watch(claims, self.binder.claim_deleted_handler())
        self.claim_controller.wait_for(volumes, classes)
        self.volume_controller.watch(volumes, EnqueueObject(self.volume_controller.queue, skip_resync=True))
        self.volume_controller.wait_for(claims)

    async def run(self) -> None:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self.claim_controller.run())
            tg.create_task(self.volume_controller.run())

    def is_idle(self) -> bool:
        return self.claim_controller.is_idle() and self.volume_controller.is_idle()

    def metrics(self) -> dict[str, Any]:
        return {"claims": self.claim_controller.metrics(), "volumes": self.volume_controller.metrics()}


def new_persistentvolume_binder_controller(ctx: ControllerContext) -> PersistentVolumeBinderController:
    return PersistentVolumeBinderController(ctx)


__all__ = [
    "BOUND_BY_CONTROLLER",
    "PersistentVolumeBinderController",
    "VolumeBinder",
    "new_persistentvolume_binder_controller",
]
