"""The EndpointSlice controller: keeps the slices of every Service with a selector.

One reconcile of a Service key reads the Service, the pods its selector matches, the
slices this controller manages for it and the Nodes from the caches, asks `slices.plan`
what to write, and writes it (creates, then updates, then deletes). Slices are owned by
the Service, so the garbage collector removes them with it.

- ExternalName Services and Services without a selector are left alone (the mirroring
  controller turns the Endpoints of selector-less Services into slices).
- A cache that lags behind our own writes (`tracker.py`) is looked at again shortly (a
  requeue, not an error), never acted on.
- Pod events wake only the Services whose selector matches the pod (old and new labels),
  and only when something that shows in an endpoint changed; slice events wake the
  Service unless they are the echo of our own write; a slice deleted by someone else is
  recreated.
- Failures are reported as a `FailedToUpdateEndpointSlices` warning on the Service and
  retried with backoff.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import ConflictError, StatusError
from pyk8s.client.events import WARNING, EventRecorder
from pyk8s.client.informers import EventHandlerFuncs, SharedInformer
from pyk8s.client.resources import ENDPOINTSLICES, NODES, PODS, SERVICES
from pyk8s.client.rest import Client
from pyk8s.controllers.endpointslice.pods import service_pod_handler
from pyk8s.controllers.endpointslice.reconcile import SliceWriter
from pyk8s.controllers.endpointslice.slices import (
    CONTROLLER_NAME,
    MAX_ENDPOINTS_PER_SLICE,
    plan,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.endpointslice")

Obj = dict[str, Any]
NAME = "endpointslice"
MISSING_NODE_RETRY = 1.0  # seconds before looking again at a Service with pods on unknown nodes
STALE_RETRY = 0.05  # seconds before looking again when the cache lags behind our own writes


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


class EndpointSliceReconciler:
    """Converges the EndpointSlices of one Service."""

    def __init__(
        self,
        client: Client,
        *,
        services: SharedInformer,
        pods: SharedInformer,
        slices: SharedInformer,
        nodes: SharedInformer,
        recorder: EventRecorder,
        max_endpoints: int = MAX_ENDPOINTS_PER_SLICE,
    ) -> None:
        self.client = client
        self.services, self.pods, self.slices, self.nodes = services, pods, slices, nodes
        self.recorder = recorder
        self.max_endpoints = max_endpoints
        self.writer = SliceWriter(client, slices, CONTROLLER_NAME)
        self.tracker = self.writer.tracker

    def managed_slices(self, key: str) -> list[Obj]:
        """The cached slices of the Service `key` this controller manages."""
        return self.writer.managed(key)

    async def reconcile(self, key: str) -> Result | None:
        service = self.services.lister.get_by_key(key)
        if service is None:
            self.tracker.delete_owner(key)  # the garbage collector removes the slices it owned
            return None
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            return None
        namespace = str(_meta(service).get("namespace", ""))
        pods = self.pods.lister.list(namespace=namespace, selector=dict(spec["selector"]))
        existing = self.managed_slices(key)
        if self.tracker.stale_for(key, existing, self.client.clock.monotonic()):
            # our own last write has not reached the cache yet: look again shortly
            log.debug("EndpointSlice cache is behind our writes for Service %s", key)
            return Result(requeue_after=STALE_RETRY)
        nodes = {str(_meta(n).get("name", "")): n for n in self.nodes.lister.list()}
        wanted = plan(service, pods, existing, nodes, max_endpoints=self.max_endpoints)
        try:
            await self.writer.write(key, service, wanted.create, wanted.update, wanted.delete)
        except ConflictError:
            raise  # our cache was behind: retried quietly with the newer version
        except StatusError as err:
            self.recorder.event(
                service,
                WARNING,
                "FailedToUpdateEndpointSlices",
                f"Error updating Endpoint Slices for Service {key}: {err.message}",
            )
            raise
        if wanted.missing_nodes:
            log.info(
                "service %s: pods on unknown nodes %s left out for now", key, sorted(wanted.missing_nodes)
            )
            return Result(requeue_after=MISSING_NODE_RETRY)
        return None

    # handlers

    def pod_handler(self, queue: WorkQueue[str]) -> EventHandlerFuncs:
        """Wake the Services a pod event concerns."""
        return service_pod_handler(self.services.lister, queue)

    def slice_handler(self, queue: WorkQueue[str]) -> EventHandlerFuncs:
        """Wake a Service when one of its slices changed under us (not our own writes)."""
        return self.writer.handler(queue)


def new_endpointslice_controller(ctx: ControllerContext, *, max_endpoints: int | None = None) -> Controller:
    """The EndpointSlice controller on the shared informers."""
    reconciler = EndpointSliceReconciler(
        ctx.client,
        services=ctx.informers.informer(SERVICES),
        pods=ctx.informers.informer(PODS),
        slices=ctx.informers.informer(ENDPOINTSLICES),
        nodes=ctx.informers.informer(NODES),
        recorder=ctx.recorder("endpoint-slice-controller"),
        max_endpoints=max_endpoints
        if max_endpoints is not None
        else int(getattr(ctx.options, "max_endpoints_per_slice", MAX_ENDPOINTS_PER_SLICE)),
    )
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock)
    controller.watch(reconciler.services, EnqueueObject(controller.queue))
    controller.watch(reconciler.pods, reconciler.pod_handler(controller.queue))
    controller.watch(reconciler.slices, reconciler.slice_handler(controller.queue))
    controller.wait_for(reconciler.nodes)
    return controller
