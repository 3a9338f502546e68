"""The Endpoints controller: keeps the v1 Endpoints of every Service with a selector.

v1 Endpoints are deprecated but still read by older clients (and `kubectl get ep`), so
kube-controller-manager still writes them; so does pyk8s. One reconcile of a Service key:

- Service gone: its Endpoints are deleted (the Endpoints has no owner reference);
- ExternalName or no selector: nothing (the user writes those Endpoints);
- otherwise `subsets.desired_endpoints` from the cached pods, written only when it
  differs (create, or a conditional update).

At start every cached Endpoints is looked at once, so Endpoints left behind by Services
deleted while the controller was down go too (those holding a leader-election record are
spared, as in Kubernetes). An Endpoints deleted by someone else is recreated. After an
update the replaced resourceVersion is remembered: while the cache still shows it, the
Service is looked at again shortly instead of acting on stale data.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError, StatusError
from pyk8s.client.events import WARNING, EventRecorder
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer, object_key
from pyk8s.client.informers.store import split_key
from pyk8s.client.resources import ENDPOINTS, PODS, SERVICES
from pyk8s.client.rest import Client
from pyk8s.controllers.endpoints.subsets import desired_endpoints
from pyk8s.controllers.endpointslice.pods import service_pod_handler
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.endpoints")

Obj = dict[str, Any]
NAME = "endpoints"
LEADER_ANNOTATION = "control-plane.alpha.kubernetes.io/leader"
NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"
STALE_RETRY = 0.05  # seconds before looking again when the cache lags behind our own writes


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


class EndpointsReconciler:
    """Converges the Endpoints of one Service."""

    def __init__(
        self,
        client: Client,
        *,
        services: SharedInformer,
        pods: SharedInformer,
        endpoints: SharedInformer,
        recorder: EventRecorder,
    ) -> None:
        self.client = client
        self.services, self.pods, self.endpoints = services, pods, endpoints
        self.recorder = recorder
        self._replaced: dict[str, str] = {}  # key -> resourceVersion we replaced

    async def reconcile(self, key: str) -> Result | None:
        namespace, name = split_key(key)
        service = self.services.lister.get_by_key(key)
        if service is None:
            current = self.endpoints.lister.get_by_key(key)
            if current is not None and LEADER_ANNOTATION in (_meta(current).get("annotations") or {}):
                return None
            try:
                await self.client.delete(ENDPOINTS, name, namespace=namespace)
            except NotFoundError:
                pass
            self._replaced.pop(key, None)
            return None
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            return None
        pods = self.pods.lister.list(namespace=namespace, selector=dict(spec["selector"]))
        current = self.endpoints.lister.get_by_key(key)
        if current is not None and _meta(current).get("resourceVersion") == self._replaced.get(key):
            log.debug("Endpoints cache is behind our writes for %s", key)
            return Result(requeue_after=STALE_RETRY)
        wanted = desired_endpoints(service, pods, current)
        if wanted is None:
            return None
        try:
            if current is None:
                await self.client.create(ENDPOINTS, wanted)
            else:
                updated = await self.client.update(ENDPOINTS, wanted)
                if _meta(updated).get("resourceVersion") != _meta(current).get("resourceVersion"):
                    self._replaced[key] = str(_meta(current).get("resourceVersion", ""))
        except (AlreadyExistsError, ConflictError):
            raise  # the cache has not seen the latest version yet: retried with it
        except StatusError as err:
            if current is None and err.code == 403 and _terminating(err):
                return None
            reason = "FailedToCreateEndpoint" if current is None else "FailedToUpdateEndpoint"
            what = "create endpoint for service" if current is None else "update endpoint"
            self.recorder.event(wanted, WARNING, reason, f"Failed to {what} {key}: {err.message}")
            raise
        return None

    def pod_handler(self, queue: WorkQueue[str]) -> EventHandlerFuncs:
        """Wake the Services a pod event concerns."""
        return service_pod_handler(self.services.lister, queue)

    def endpoints_handler(self, queue: WorkQueue[str]) -> EventHandlerFuncs:
        """Look at every Endpoints once at start (leftovers) and at any deleted one."""

        def added(obj: Obj, initial: bool) -> None:
            if initial:
                queue.add(object_key(obj))

        def deleted(obj: Obj | DeletedFinalStateUnknown) -> None:
            queue.add(object_key(obj))

        return EventHandlerFuncs(add=added, delete=deleted)


def _terminating(err: StatusError) -> bool:
    causes = err.details.get("causes") or []
    return any(c.get("type") == NAMESPACE_TERMINATING_CAUSE for c in causes if isinstance(c, dict))


def new_endpoints_controller(ctx: ControllerContext) -> Controller:
    """The Endpoints controller on the shared informers."""
    reconciler = EndpointsReconciler(
        ctx.client,
        services=ctx.informers.informer(SERVICES),
        pods=ctx.informers.informer(PODS),
        endpoints=ctx.informers.informer(ENDPOINTS),
        recorder=ctx.recorder("endpoint-controller"),
    )
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock)
    controller.watch(reconciler.services, EnqueueObject(controller.queue))
    controller.watch(reconciler.pods, reconciler.pod_handler(controller.queue))
    controller.watch(reconciler.endpoints, reconciler.endpoints_handler(controller.queue))
    return controller
