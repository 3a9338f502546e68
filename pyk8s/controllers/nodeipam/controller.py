"""The node IPAM controller: every node gets a pod CIDR from the cluster CIDR.

Keys are node names. A node without `spec.podCIDR` gets the next free subnet of each
cluster CIDR (`--cluster-cidr`, default 10.244.0.0/16, /24 per node) written into
`spec.podCIDR` and `spec.podCIDRs` with a merge patch conditional on the node's
resourceVersion; a node that has CIDRs keeps them (they are immutable) and they are
marked used; a deleted node's CIDRs become free.

No duplicates, by construction:
- before the first decision the allocator is rebuilt from every node in the synced cache,
  so a restarted controller never hands out a CIDR some node already holds;
- decisions are synchronous (no await between choosing and recording), so concurrent
  workers cannot choose the same subnet;
- a CIDR written but not yet seen in the cache stays recorded for its node: a second
  reconcile of that node (from a stale cache) proposes the same one, and the conditional
  patch fails rather than overwriting.

When the range is exhausted the node gets a `CIDRNotAvailable` event (once) and waits;
releasing a CIDR wakes the nodes still waiting.
"""

from __future__ import annotations

import logging
from typing import Any

from pyk8s.api.errors import NotFoundError
from pyk8s.client.events import EventRecorder
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import NODES
from pyk8s.client.rest import Client, PatchType
from pyk8s.controllers.nodeipam.cidrset import (
    DEFAULT_MASK_IPV4,
    DEFAULT_MASK_IPV6,
    CidrSetFullError,
    RangeAllocator,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.nodeipam")

Obj = dict[str, Any]
NAME = "nodeipam"
DEFAULT_CLUSTER_CIDR = "10.244.0.0/16"


def pod_cidrs(node: Obj) -> list[str]:
    """What the node holds: `spec.podCIDRs`, else `[spec.podCIDR]`."""
    spec = node.get("spec") or {}
    cidrs = [str(c) for c in spec.get("podCIDRs") or [] if c]
    if not cidrs and spec.get("podCIDR"):
        cidrs = [str(spec["podCIDR"])]
    return cidrs


def cidr_patch(node: Obj, cidrs: list[str]) -> Obj:
    """The merge patch giving `node` its CIDRs, valid only against the version read."""
    meta = node.get("metadata") or {}
    return {
        "metadata": {"resourceVersion": meta.get("resourceVersion"), "uid": meta.get("uid")},
        "spec": {"podCIDR": cidrs[0], "podCIDRs": cidrs},
    }


class NodeIpamReconciler:
    """Gives one node its pod CIDRs (see the module docstring)."""

    def __init__(
        self,
        client: Client,
        nodes: SharedInformer,
        allocator: RangeAllocator,
        queue: WorkQueue[str],
        recorder: EventRecorder | None = None,
    ) -> None:
        self.client = client
        self.nodes = nodes
        self.allocator = allocator
        self.queue = queue
        self.recorder = recorder
        self.rebuilt = False
        self._waiting: set[str] = set()  # nodes told CIDRNotAvailable

    def rebuild(self) -> None:
        """Mark every CIDR some node in the cache holds (once, before any allocation)."""
        if self.rebuilt:
            return
        for node in self.nodes.lister.list():
            cidrs = pod_cidrs(node)
            if cidrs:
                self.allocator.observe(node["metadata"]["name"], cidrs)
        self.rebuilt = True
        log.info("node ipam: %d node(s) already hold pod CIDRs", len(self.allocator.nodes()))

    async def reconcile(self, key: str) -> Result | None:
        self.rebuild()
        node = self.nodes.lister.get(key)
        if node is None:
            if self.allocator.release(key):
                log.info("node ipam: released the pod CIDRs of deleted node %s", key)
                self._wake_waiting()
            self._waiting.discard(key)
            return None
        held = pod_cidrs(node)
        if held:
            self.allocator.observe(key, held)
            self._waiting.discard(key)
            return None
        try:
            cidrs = self.allocator.allocate(key)
        except CidrSetFullError as err:
            # Said once per node (a cluster of simulated nodes may outnumber the subnets);
            # the node waits until a release wakes it.
            if key not in self._waiting:
                log.warning("node ipam: node %s gets no pod CIDR: %s", key, err)
                if self.recorder is not None:
                    message = f"Node {key} status is now: CIDRNotAvailable"
                    self.recorder.event(node, "Normal", "CIDRNotAvailable", message)
            self._waiting.add(key)
            return None
        try:
            await self.client.patch(NODES, key, cidr_patch(node, cidrs), patch_type=PatchType.MERGE)
        except NotFoundError:
            self.allocator.release(key)
            return None
        # A Conflict or Invalid (the node changed, maybe it got CIDRs elsewhere) is retried by
        # the controller with backoff; the choice stays recorded for this node meanwhile.
        self._waiting.discard(key)
        log.info("node ipam: node %s gets pod CIDR(s) %s", key, ", ".join(cidrs))
        return None

    def _wake_waiting(self) -> None:
        for name in sorted(self._waiting):
            self.queue.add(name)


def new_nodeipam_controller(
    ctx: ControllerContext,
    *,
    cluster_cidr: str | None = None,
    mask_ipv4: int | None = None,
    mask_ipv6: int | None = None,
) -> Controller:
    """The controller, configured from `--cluster-cidr`, `--node-cidr-mask-size(-ipv4|-ipv6)` and
    `--service-cluster-ip-range` (`ControllerOptions.cluster_cidr`, `node_cidr_mask_size_ipv4`,
    `node_cidr_mask_size_ipv6`, `service_cluster_ip_range` when the options have them)."""
    options = ctx.options
    allocator = RangeAllocator(
        cluster_cidr or str(getattr(options, "cluster_cidr", "") or DEFAULT_CLUSTER_CIDR),
        mask_ipv4=mask_ipv4 or int(getattr(options, "node_cidr_mask_size_ipv4", 0) or DEFAULT_MASK_IPV4),
        mask_ipv6=mask_ipv6 or int(getattr(options, "node_cidr_mask_size_ipv6", 0) or DEFAULT_MASK_IPV6),
        service_cidrs=str(getattr(options, "service_cluster_ip_range", "") or ""),
    )
    nodes = ctx.informers.informer(NODES)
    queue: WorkQueue[str] = WorkQueue(name=NAME, clock=ctx.clock)
    reconciler = NodeIpamReconciler(ctx.client, nodes, allocator, queue, ctx.recorder("node-controller"))
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock, queue=queue)
    controller.watch(nodes, EnqueueObject(queue, skip_resync=True))
    return controller
