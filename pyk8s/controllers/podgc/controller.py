"""The pod garbage collector: every 20 s (on the injected clock), from the informer caches,

- deletes the oldest terminated pods beyond `--terminated-pod-gc-threshold` (12500);
- fails and deletes pods bound to nodes that no longer exist: a node missing from the
  cache is quarantined for 40 s, then confirmed absent with a live read, so a node being
  re-registered keeps its pods; the pod gets phase Failed and a DisruptionTarget
  condition first (reason DeletionByPodGC);
- force-deletes (grace period 0) unscheduled pods that are being deleted.

A pass that finds nothing sends no request.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError, StatusError
from pyk8s.client.errors import ClientError
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import NODES, PODS
from pyk8s.client.rest import Client
from pyk8s.controllers.podgc.selection import (
    DEFAULT_TERMINATED_POD_THRESHOLD,
    failed_with_disruption,
    node_name,
    orphaned,
    terminated_to_delete,
    unscheduled_terminating,
)
from pyk8s.controllers.runtime.context import ControllerContext

log = logging.getLogger("pyk8s.controllers.podgc")

Obj = dict[str, Any]
GC_CHECK_PERIOD = 20.0
QUARANTINE = 40.0


class PodGarbageCollector:
    """Runs a collection pass every `period` seconds until cancelled."""

    name = "podgc"

    def __init__(
        self,
        client: Client,
        *,
        pods: SharedInformer,
        nodes: SharedInformer,
        threshold: int = DEFAULT_TERMINATED_POD_THRESHOLD,
        period: float = GC_CHECK_PERIOD,
        quarantine: float = QUARANTINE,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.pods, self.nodes = pods, nodes
        self.threshold = threshold
        self.period = period
        self.quarantine = quarantine
        self._missing_since: dict[str, float] = {}  # node name -> first seen missing
        self.passes = 0
        self.deleted = 0

    async def run(self) -> None:
        await asyncio.gather(self.pods.wait_for_sync(), self.nodes.wait_for_sync())
        while True:
            try:
                await self.gc()
            except (StatusError, ClientError) as err:
                log.warning("pod gc pass failed: %s", err)
            await self.clock.sleep(self.period)

    async def gc(self) -> None:
        """One pass."""
        self.passes += 1
        pods = self.pods.lister.list()
        for pod in terminated_to_delete(pods, self.threshold):
            await self._delete(pod)
        await self._collect_orphans(pods)
        for pod in unscheduled_terminating(pods):
            await self._delete(pod, grace=0)

    async def _collect_orphans(self, pods: list[Obj]) -> None:
        now = self.clock.monotonic()
        known = {(n.get("metadata") or {}).get("name") for n in self.nodes.lister.list()}
        candidates = orphaned(pods, {n for n in known if n})
        missing = {node_name(p) for p in candidates}
        for gone in set(self._missing_since) - missing:
            del self._missing_since[gone]
        for node in missing:
            self._missing_since.setdefault(node, now)
        confirmed: set[str] = set()
        for node in missing:
            if now - self._missing_since[node] < self.quarantine:
                continue
            try:
                await self.client.get(NODES, node)
                self._missing_since.pop(node, None)  # it exists after all: the cache is behind
            except NotFoundError:
                confirmed.add(node)
        for pod in candidates:
            if node_name(pod) not in confirmed:
                continue
            marked = failed_with_disruption(pod, self.clock.now())
            if marked is not None:
                try:
                    await self.client.update_status(PODS, marked)
                except (NotFoundError, ConflictError):
                    continue
            await self._delete(pod, grace=0)

    async def _delete(self, pod: Obj, *, grace: int | None = None) -> None:
        meta = pod.get("metadata") or {}
        try:
            await self.client.delete(
                PODS,
                meta["name"],
                namespace=meta.get("namespace"),
                grace_period_seconds=grace,
                preconditions={"uid": meta.get("uid", "")},
            )
            self.deleted += 1
            log.info("pod gc deleted %s/%s", meta.get("namespace"), meta.get("name"))
        except (NotFoundError, ConflictError):
            pass

    def is_idle(self) -> bool:
        return True

    def metrics(self) -> dict[str, Any]:
        return {"passes": self.passes, "deleted": self.deleted, "nodes_missing": len(self._missing_since)}


def new_podgc_controller(
    ctx: ControllerContext,
    *,
    threshold: int | None = None,
    period: float | None = None,
    quarantine: float | None = None,
) -> PodGarbageCollector:
    return PodGarbageCollector(
        ctx.client,
        pods=ctx.informers.informer(PODS),
        nodes=ctx.informers.informer(NODES),
        threshold=threshold
        if threshold is not None
        else int(getattr(ctx.options, "terminated_pod_gc_threshold", DEFAULT_TERMINATED_POD_THRESHOLD)),
        period=period if period is not None else GC_CHECK_PERIOD,
        quarantine=quarantine if quarantine is not None else QUARANTINE,
    )
