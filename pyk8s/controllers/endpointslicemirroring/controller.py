"""The EndpointSlice mirroring controller: slices for the Endpoints of selector-less Services.

One reconcile of an Endpoints key (`namespace/name`, the Service's name too): when the
Endpoints should be mirrored (`mirror.should_mirror`), `mirror.plan` says which slices to
write; otherwise every slice this controller made for it is deleted (the Service got a
selector, went away, or the Endpoints asks not to be mirrored).

The API server's own `default/kubernetes` Endpoints is never mirrored: the API server keeps
the `kubernetes` EndpointSlice itself, and its loopback address is only valid when the API
server writes it.

Service events (a selector added or removed), Endpoints events and changes to our slices
made by someone else (`EndpointSliceTracker`) wake the key.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.client.events import WARNING, EventRecorder
from pyk8s.client.informers import EventHandlerFuncs, SharedInformer
from pyk8s.client.resources import ENDPOINTS, ENDPOINTSLICES, SERVICES
from pyk8s.client.rest import Client
from pyk8s.controllers.endpointslice.reconcile import SliceWriter
from pyk8s.controllers.endpointslicemirroring.mirror import (
    CONTROLLER_NAME,
    MAX_ENDPOINTS_PER_SUBSET,
    plan,
    should_mirror,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.endpointslicemirroring")

Obj = dict[str, Any]
NAME = "endpointslicemirroring"
API_SERVER_KEY = "default/kubernetes"  # maintained by the API server itself
STALE_RETRY = 0.05  # seconds before looking again when the cache lags behind our own writes


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


class MirroringReconciler:
    """Converges the mirrored slices of one Endpoints."""

    def __init__(
        self,
        client: Client,
        *,
        endpoints: SharedInformer,
        services: SharedInformer,
        slices: SharedInformer,
        recorder: EventRecorder,
        max_per_subset: int = MAX_ENDPOINTS_PER_SUBSET,
    ) -> None:
        self.client = client
        self.endpoints, self.services, self.slices = endpoints, services, slices
        self.recorder = recorder
        self.max_per_subset = max_per_subset
        self.writer = SliceWriter(client, slices, CONTROLLER_NAME)
        self.tracker = self.writer.tracker

    def mirrored_slices(self, key: str) -> list[Obj]:
        """The cached slices this controller made for the Endpoints `key`."""
        return self.writer.managed(key)

    async def reconcile(self, key: str) -> Result | None:
        endpoints = self.endpoints.lister.get_by_key(key)
        service = self.services.lister.get_by_key(key)
        existing = self.mirrored_slices(key)
        if key == API_SERVER_KEY or not should_mirror(endpoints, service):
            await self.writer.delete_all(key, existing)
            if endpoints is None:
                self.tracker.delete_owner(key)
            return None
        assert endpoints is not None
        if self.tracker.stale_for(key, existing, self.client.clock.monotonic()):
            log.debug("EndpointSlice cache is behind our writes for Endpoints %s", key)
            return Result(requeue_after=STALE_RETRY)
        wanted = plan(endpoints, existing, max_per_subset=self.max_per_subset)
        if wanted.invalid:
            self.recorder.event(
                endpoints,
                WARNING,
                "InvalidIPAddress",
                f"Skipped {wanted.invalid} invalid IP addresses when mirroring to EndpointSlices",
            )
        if wanted.skipped > wanted.invalid:
            self.recorder.event(
                endpoints,
                WARNING,
                "TooManyAddressesToMirror",
                f"A max of {self.max_per_subset} addresses can be mirrored to EndpointSlices per Endpoints "
                f"subset. {wanted.skipped} addresses were skipped",
            )
        await self.writer.write(key, endpoints, wanted.create, wanted.update, wanted.delete)
        return None

    def slice_handler(self, queue: WorkQueue[str]) -> EventHandlerFuncs:
        """Wake the Endpoints when one of its mirrored slices changed under us."""
        return self.writer.handler(queue)


def new_endpointslicemirroring_controller(ctx: ControllerContext) -> Controller:
    """The mirroring controller on the shared informers."""
    reconciler = MirroringReconciler(
        ctx.client,
        endpoints=ctx.informers.informer(ENDPOINTS),
        services=ctx.informers.informer(SERVICES),
        slices=ctx.informers.informer(ENDPOINTSLICES),
        recorder=ctx.recorder("endpointslice-mirroring-controller.k8s.io"),
        max_per_subset=int(
            getattr(ctx.options, "mirroring_max_endpoints_per_subset", MAX_ENDPOINTS_PER_SUBSET)
        ),
    )
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock)
    controller.watch(reconciler.endpoints, EnqueueObject(controller.queue))
    controller.watch(reconciler.services, EnqueueObject(controller.queue))
    controller.watch(reconciler.slices, reconciler.slice_handler(controller.queue))
    return controller
