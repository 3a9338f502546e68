"""The local-path provisioner: PersistentVolumes in a directory on a node, for claims of
the `local-path` class (decisions in `provisioning.py`).

At start it creates the `local-path` StorageClass if absent (the cluster's default when no
other class is). Then two reconcilers share the caches:

claims (`namespace/name`), while a claim of one of our classes waits for a volume:
    node chosen -> helper pod `mkdir` on it -> Succeeded -> PV created pre-bound to the claim
    (the PV binder then binds both sides) and the helper deleted. A failed helper is
    reported (ProvisioningFailed), deleted and retried with backoff.
volumes (names), once a Delete-policy volume of ours is Released:
    helper pod `rm -rf` on its node -> Succeeded -> the PV object deleted (uid precondition)
    and the helper deleted; a failure is reported (VolumeFailedDelete) and retried.

Helper pods are watched through an informer on kube-system pods labelled
`pyk8s.io/local-path-helper`; their events enqueue the claim or volume they work for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import NODES, PERSISTENTVOLUMECLAIMS, PERSISTENTVOLUMES, PODS, STORAGECLASSES
from pyk8s.client.rest import Client
from pyk8s.controllers.localpath import provisioning as lp
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueMapped, EnqueueObject
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.localpath")

Obj = dict[str, Any]
COMPONENT = "pyk8s.io/local-path"  # events come from the provisioner, as external ones report
NO_NODE_RETRY = 10.0


class HelperFailedError(Exception):
    """A helper pod failed; the work is retried with backoff."""


class LocalPathProvisioner:
    """Provisions and deletes local-path volumes (see the module docstring)."""

    def __init__(
        self,
        client: Client,
        *,
        claims: SharedInformer,
        volumes: SharedInformer,
        classes: SharedInformer,
        nodes: SharedInformer,
        helpers: SharedInformer,
        recorder: EventRecorder,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.claims, self.volumes, self.classes = claims, volumes, classes
        self.nodes, self.helpers = nodes, helpers
        self.recorder = recorder

    # the storage class

    async def ensure_storage_class(self) -> None:
        """Create `local-path` unless it exists; default unless another class is."""
        try:
            await self.client.get(STORAGECLASSES, lp.CLASS_NAME)
            return
        except NotFoundError:
            pass
        listed = await self.client.list(STORAGECLASSES)
        default = not any(lp.is_default_class(c) for c in listed.get("items") or [])
        try:
            await self.client.create(STORAGECLASSES, lp.storage_class(default=default))
            log.info("created StorageClass %s%s", lp.CLASS_NAME, " (default)" if default else "")
        except AlreadyExistsError:
            pass

    # claims

    async def sync_claim(self, key: str) -> Result | None:
        claim = self.claims.lister.get_by_key(key)
        if claim is None:
            await self._forget_helpers("create", key)
            return None
        cls = self.classes.lister.get(str((claim.get("spec") or {}).get("storageClassName") or ""))
        if not lp.is_ours(cls) or not lp.needs_volume(claim):
            await self._forget_helpers("create", key)
            return None
        assert cls is not None
        name = lp.volume_name(claim)
        if self.volumes.lister.get(name) is not None:
            await self._delete_helper("create", name)
            return None
        problem = lp.unsupported(claim)
        if problem:
            self.recorder.event(claim, WARNING, "ProvisioningFailed", problem)
            return None
        node_name = lp.choose_node(claim, cls, self.nodes.lister.list())
        if not node_name:
            if cls.get("volumeBindingMode") == "WaitForFirstConsumer":
                return None  # waits for the scheduler's selected-node annotation
            self.recorder.event(claim, WARNING, "ProvisioningFailed", "no ready node to put the volume on")
            return Result(requeue_after=NO_NODE_RETRY)
        path = lp.volume_path(claim, lp.node_root(self.nodes.lister.get(node_name)))
        helper = self.helpers.lister.get(lp.helper_name("create", name), lp.HELPER_NAMESPACE)
        state = lp.helper_phase(helper)
        if state == "missing":
            await self._create_helper(lp.helper_pod("create", name, node_name, path, key))
            self.recorder.event(
                claim,
                NORMAL,
                "Provisioning",
                f'External provisioner is provisioning volume for claim "{key}"',
            )
        elif state == "failed":
            assert helper is not None
            message = f"failed to create {path} on node {node_name}: {lp.helper_failure(helper)}"
            self.recorder.event(claim, WARNING, "ProvisioningFailed", message)
            await self._delete_helper("create", name)
            raise HelperFailedError(message)
        elif state == "succeeded":
            await self._create_volume(claim, cls, node_name, path)
            await self._delete_helper("create", name)
        return None

    async def _create_volume(self, claim: Obj, cls: Obj, node: str, path: str) -> None:
        volume = lp.persistent_volume(claim, cls, node, path)
        try:
            await self.client.create(PERSISTENTVOLUMES, volume)
        except AlreadyExistsError:
            return
        name = volume["metadata"]["name"]
        log.info("provisioned %s for claim %s at %s on node %s", name, lp.claim_key(claim), path, node)
        self.recorder.event(claim, NORMAL, "ProvisioningSucceeded", f"Successfully provisioned volume {name}")

    # volumes

    async def sync_volume(self, name: str) -> Result | None:
        volume = self.volumes.lister.get(name)
        if volume is None or not lp.should_delete(volume):
            if volume is None:
                await self._delete_helper("delete", name)
            return None
        node = lp.volume_node(volume)
        path = str(((volume.get("spec") or {}).get("hostPath") or {}).get("path") or "")
        if not node or not path:
            self.recorder.event(volume, WARNING, "VolumeFailedDelete", "the volume names no node or path")
            return None
        helper = self.helpers.lister.get(lp.helper_name("delete", name), lp.HELPER_NAMESPACE)
        state = lp.helper_phase(helper)
        if state == "missing":
            await self._create_helper(lp.helper_pod("delete", name, node, path, name))
        elif state == "failed":
            assert helper is not None
            message = f"failed to delete {path} on node {node}: {lp.helper_failure(helper)}"
            self.recorder.event(volume, WARNING, "VolumeFailedDelete", message)
            await self._delete_helper("delete", name)
            raise HelperFailedError(message)
        elif state == "succeeded":
            try:
                await self.client.delete(
                    PERSISTENTVOLUMES, name, preconditions={"uid": volume["metadata"].get("uid", "")}
                )
                log.info("deleted volume %s and its directory %s on node %s", name, path, node)
            except (NotFoundError, ConflictError):
                pass
            await self._delete_helper("delete", name)
        return None

    # helper pods

    async def _create_helper(self, pod: Obj) -> None:
        try:
            await self.client.create(PODS, pod, namespace=lp.HELPER_NAMESPACE)
        except AlreadyExistsError:
            pass

    async def _delete_helper(self, action: str, volume: str) -> None:
        name = lp.helper_name(action, volume)
        if self.helpers.lister.get(name, lp.HELPER_NAMESPACE) is None:
            return
        try:
            await self.client.delete(PODS, name, namespace=lp.HELPER_NAMESPACE, grace_period_seconds=0)
        except NotFoundError:
            pass

    async def _forget_helpers(self, action: str, owner: str) -> None:
        """Delete the helpers still working for a claim that no longer needs them."""
        for pod in self.helpers.lister.list(namespace=lp.HELPER_NAMESPACE):
            meta = pod.get("metadata") or {}
            if (meta.get("labels") or {}).get(lp.HELPER_LABEL) != action:
                continue
            if (meta.get("annotations") or {}).get(lp.HELPER_FOR_ANNOTATION) != owner:
                continue
            if lp.helper_phase(pod) == "running":
                continue  # let it finish: a directory it makes is removed with the volume
            try:
                await self.client.delete(
                    PODS, meta["name"], namespace=lp.HELPER_NAMESPACE, grace_period_seconds=0
                )
            except NotFoundError:
                pass


def helper_owner(action: str) -> Callable[[Obj], list[str]]:
    """Maps a helper pod event to the key of the claim (`create`) or volume (`delete`)."""

    def mapper(pod: Obj) -> list[str]:
        meta = pod.get("metadata") or {}
        if (meta.get("labels") or {}).get(lp.HELPER_LABEL) != action:
            return []
        owner = (meta.get("annotations") or {}).get(lp.HELPER_FOR_ANNOTATION)
        return [str(owner)] if owner else []

    return mapper


class _Sync:
    def __init__(self, func: Any) -> None:
        self.func = func

    async def reconcile(self, key: str) -> Result | None:
        result: Result | None = await self.func(key)
        return result


class LocalPathProvisionerController:
    """The claim and volume reconcilers as one runnable, after the StorageClass exists."""

    name = "local-path-provisioner"

    def __init__(self, ctx: ControllerContext) -> None:
        claims = ctx.informers.informer(PERSISTENTVOLUMECLAIMS)
        volumes = ctx.informers.informer(PERSISTENTVOLUMES)
        classes = ctx.informers.informer(STORAGECLASSES)
        nodes = ctx.informers.informer(NODES)
        helpers = ctx.informers.informer(PODS, namespace=lp.HELPER_NAMESPACE, label_selector=lp.HELPER_LABEL)
        self.provisioner = LocalPathProvisioner(
            ctx.client,
            claims=claims,
            volumes=volumes,
            classes=classes,
            nodes=nodes,
            helpers=helpers,
            recorder=ctx.recorder(COMPONENT),
        )
        workers = ctx.workers(self.name)
        self.claim_controller = Controller(
            "local-path-provisioner-claims",
            _Sync(self.provisioner.sync_claim),
            workers=workers,
            clock=ctx.clock,
        )
        self.volume_controller = Controller(
            "local-path-provisioner-volumes",
            _Sync(self.provisioner.sync_volume),
            workers=workers,
            clock=ctx.clock,
        )
        claim_queue, volume_queue = self.claim_controller.queue, self.volume_controller.queue
        self.claim_controller.watch(claims, EnqueueObject(claim_queue, skip_resync=True))
        self.claim_controller.watch(helpers, EnqueueMapped(claim_queue, helper_owner("create")))
        # A claim waiting for a node (Immediate class, no node ready) retries on its own timer;
        # a class created after its claims wakes them.
        self.claim_controller.watch(
            classes, EnqueueMapped(claim_queue, lambda _cls: [lp.claim_key(c) for c in claims.lister.list()])
        )
        self.claim_controller.wait_for(volumes, nodes)
        self.volume_controller.watch(volumes, EnqueueObject(volume_queue, skip_resync=True))
        self.volume_controller.watch(helpers, EnqueueMapped(volume_queue, helper_owner("delete")))

    async def run(self) -> None:
        await self._ensure_storage_class()
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self.claim_controller.run())
            tg.create_task(self.volume_controller.run())

    async def _ensure_storage_class(self) -> None:
        delay = 0.5
        while True:
            try:
                await self.provisioner.ensure_storage_class()
                return
            except Exception as err:  # the API server may still be starting: keep trying
                log.warning("could not ensure StorageClass %s: %s; retrying", lp.CLASS_NAME, err)
                await self.provisioner.clock.sleep(delay)
                delay = min(delay * 2, 30.0)

    def is_idle(self) -> bool:
        return self.claim_controller.is_idle() and self.volume_controller.is_idle()

    def metrics(self) -> dict[str, Any]:
        return {"claims": self.claim_controller.metrics(), "volumes": self.volume_controller.metrics()}


def new_local_path_provisioner(ctx: ControllerContext) -> LocalPathProvisionerController:
    return LocalPathProvisionerController(ctx)
