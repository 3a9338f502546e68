"""The namespace controller: empties a deleted namespace, then lets the API server remove it.

One reconcile of a namespace marked for deletion:

1. discover every namespaced resource the server can delete (failures become the
   NamespaceDeletionDiscoveryFailure / GroupVersionParsingFailure conditions; what could
   be discovered is still deleted);
2. delete pods first (deletecollection), and only once no pod is left everything else
   (Kubernetes' ordered namespace deletion: workloads stop before their config goes);
   a resource without deletecollection is listed and deleted one by one;
3. list again: what remains, and which finalizers hold it, becomes the
   NamespaceContentRemaining / NamespaceFinalizersRemaining conditions, and the
   namespace is looked at again after an estimate (a pod's remaining grace period, 15 s
   for finalizers, halved as Kubernetes does, capped so small clusters move on quickly);
4. once empty, remove the `kubernetes` finalizer through namespaces/finalize; the API
   server deletes the namespace when no finalizer is left.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from pyk8s.api.errors import ConflictError, MethodNotSupportedError, NotFoundError, StatusError
from pyk8s.api.meta import parse_time
from pyk8s.client.errors import ClientError
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import NAMESPACES, Resource
from pyk8s.client.rest import Client
from pyk8s.controllers.garbagecollector.discovery import Discovery, discover
from pyk8s.controllers.namespace.conditions import DeletionReport, updated_conditions
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.namespace")

Obj = dict[str, Any]

FINALIZER = "kubernetes"
FINALIZER_ESTIMATE_SECONDS = 15
MAX_RECHECK_SECONDS = 2.0
DISCOVERY_TTL = 10.0


@dataclass
class _Content:
    """The outcome of one pass over a namespace's content."""

    report: DeletionReport
    estimate: float  # seconds until what remains is likely gone (0: nothing remains)


class NamespaceReconciler:
    """Deletes everything in terminating namespaces (see the module docstring)."""

    def __init__(
        self, client: Client, namespaces: SharedInformer, *, max_recheck: float = MAX_RECHECK_SECONDS
    ) -> None:
        self.client = client
        self.namespaces = namespaces
        self.clock = client.clock
        self.max_recheck = max_recheck
        self._discovery: Discovery | None = None
        self._discovered_at = -1e18
        self._no_deletecollection: set[Resource] = set()

    async def reconcile(self, key: str) -> Result | None:
        cached = self.namespaces.lister.get(key)
        if cached is None or not (cached.get("metadata") or {}).get("deletionTimestamp"):
            return None
        try:
            namespace = await self.client.get(NAMESPACES, key)  # several writers touch it: read fresh
        except NotFoundError:
            return None
        meta = namespace.get("metadata") or {}
        if not meta.get("deletionTimestamp"):
            return None
        if FINALIZER not in ((namespace.get("spec") or {}).get("finalizers") or []):
            return None  # finalized already; the API server removes it
        content = await self._delete_content(key, str(meta["deletionTimestamp"]))
        await self._update_conditions(namespace, content.report)
        if content.estimate > 0:
            return Result(requeue_after=min(self.max_recheck, content.estimate / 2 + 1))
        if content.report.content_errors:
            raise RuntimeError(f"namespace {key}: {'; '.join(sorted(content.report.content_errors))}")
        await self._finalize(key)
        return None

    # discovery

    async def _discover(self, report: DeletionReport) -> Discovery:
        now = self.clock.monotonic()
        if self._discovery is None or now - self._discovered_at > DISCOVERY_TTL or self._discovery.failed:
            try:
                self._discovery = await discover(self.client, all_versions=False)
                self._discovered_at = now
            except (StatusError, ClientError) as err:
                report.discovery_error = str(err)
                return self._discovery or Discovery()
        discovery = self._discovery
        if discovery.failed:
            report.failed_groups = len(discovery.failed)
            report.discovery_error = "; ".join(f"{gv}: {err}" for gv, err in sorted(discovery.failed.items()))
        if discovery.bad_group_versions:
            report.group_version_error = "; ".join(discovery.bad_group_versions)
        return discovery

    # content

    async def _delete_content(self, namespace: str, deleted_at: str) -> _Content:
        report = DeletionReport()
        discovery = await self._discover(report)
        deletable = [api for api in discovery.preferred("delete") if api.namespaced]
        pods = [api for api in deletable if api.group == "" and api.resource.plural == "pods"]
        others = [api for api in deletable if api not in pods]
        estimate = 0.0
        for batch in (pods, others):
            results = await asyncio.gather(
                *(
                    self._delete_resource(namespace, api.resource, api.supports("deletecollection"), report)
                    for api in batch
                )
            )
            estimate = max([estimate, *results])
            if report.remaining:
                break  # ordered deletion: nothing else goes while pods remain
        if report.remaining and not estimate:
            estimate = float(FINALIZER_ESTIMATE_SECONDS)
        return _Content(report, estimate)

    async def _delete_resource(
        self, namespace: str, resource: Resource, collection: bool, report: DeletionReport
    ) -> float:
        """Delete one resource's objects in the namespace; returns the wait estimate."""
        try:
            if collection and resource not in self._no_deletecollection:
                try:
                    await self.client.delete_collection(
                        resource, namespace=namespace, propagation_policy="Background"
                    )
                except (MethodNotSupportedError, NotFoundError):
                    self._no_deletecollection.add(resource)
                    await self._delete_each(namespace, resource)
            else:
                await self._delete_each(namespace, resource)
            remaining = (await self.client.list(resource, namespace=namespace)).get("items") or []
        except (MethodNotSupportedError, NotFoundError):
            return 0.0
        except (StatusError, ClientError) as err:
            report.content_errors.append(f"failed to delete {resource.qualified}: {_text(err)}")
            return 0.0
        report.add_remaining(resource.plural, resource.group, remaining)
        if not remaining:
            return 0.0
        if resource.group == "" and resource.plural == "pods":
            return self._pod_estimate(remaining)
        if not any((item.get("metadata") or {}).get("finalizers") for item in remaining):
            report.content_errors.append(
                f"unexpected items still remain in namespace: {namespace} for gvr: {_gvr(resource)}"
            )
            return 0.0
        return float(FINALIZER_ESTIMATE_SECONDS)

    async def _delete_each(self, namespace: str, resource: Resource) -> None:
        listed = await self.client.list(resource, namespace=namespace)
        for item in listed.get("items") or []:
            name = (item.get("metadata") or {}).get("name")
            try:
                await self.client.delete(resource, name, namespace=namespace, propagation_policy="Background")
            except (NotFoundError, MethodNotSupportedError):
                pass

    def _pod_estimate(self, pods: list[Obj]) -> float:
        """The longest grace period any remaining pod still has (at least one second)."""
        now = self.clock.now()
        estimate = 1.0
        for pod in pods:
            meta = pod.get("metadata") or {}
            grace = meta.get("deletionGracePeriodSeconds")
            if grace is None or not meta.get("deletionTimestamp"):
                estimate = max(estimate, float(FINALIZER_ESTIMATE_SECONDS))
                continue
            try:
                left = parse_time(str(meta["deletionTimestamp"])) - now
            except ValueError:
                left = float(grace)
            estimate = max(estimate, left)
        return estimate

    # writes

    async def _update_conditions(self, namespace: Obj, report: DeletionReport) -> None:
        status = namespace.get("status") or {}
        conditions, changed = updated_conditions(
            list(status.get("conditions") or []), report, self.clock.now()
        )
        if not changed and status.get("phase") == "Terminating":
            return
        updated = {**namespace, "status": {**status, "phase": "Terminating", "conditions": conditions}}
        try:
            await self.client.update_status(NAMESPACES, updated)
        except (ConflictError, NotFoundError):
            pass  # the next pass writes them

    async def _finalize(self, name: str) -> None:
        """Remove our finalizer through namespaces/finalize (retried on conflict)."""
        for _ in range(5):
            try:
                namespace = await self.client.get(NAMESPACES, name)
            except NotFoundError:
                return
            finalizers = (namespace.get("spec") or {}).get("finalizers") or []
            if FINALIZER not in finalizers:
                return
            kept = sorted({f for f in finalizers if f != FINALIZER})
            namespace = {**namespace, "spec": {**(namespace.get("spec") or {}), "finalizers": kept}}
            try:
                await self.client.update(NAMESPACES, namespace, subresource="finalize")
                log.info("namespace %s finalized", name)
                return
            except NotFoundError:
                return
            except ConflictError:
                continue
        raise ConflictError(f"namespace {name}: finalize kept conflicting")


def _gvr(resource: Resource) -> str:
    # Go's %v of a GroupVersionResource
    return f"{resource.group}/{resource.version}, Resource={resource.plural}"


def _text(err: Exception) -> str:
    return err.message if isinstance(err, StatusError) else str(err)


def new_namespace_controller(ctx: ControllerContext) -> Controller:
    namespaces = ctx.informers.informer(NAMESPACES)
    reconciler = NamespaceReconciler(ctx.client, namespaces)
    controller = Controller("namespace", reconciler, workers=ctx.workers("namespace"), clock=ctx.clock)
    controller.watch(namespaces, EnqueueObject(controller.queue))
    return controller
