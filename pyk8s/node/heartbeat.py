"""Heartbeats of many nodes from one task: node Leases and periodic node status reports.

A kubelet renews its Lease (`kube-node-lease/<node>`) every 10 seconds and rewrites its
node status only when something changed or every 5 minutes. One process serving a
thousand nodes must not renew a thousand Leases at the same instant, nor keep a thousand
sleeping tasks: `spread` splits the nodes into at most one batch per `min_gap` seconds,
evenly over the interval, and `Periodic` walks those batches with one task, sleeping on the
clock between them. A batch is written concurrently; the next waits for it, so a slow API
server slows the heartbeats instead of piling requests up.

    interval ─┬─ batch 0 (nodes 0..9) ─┬─ batch 1 (10..19) ─┬─ ... ─┬─ batch 99 ─┐
              0 s                      0.1 s                0.2 s    9.9 s      10 s: again
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.meta import rfc3339_micro

log = logging.getLogger("pyk8s.node.heartbeat")

MIN_BATCH_GAP = 0.1  # seconds: at most ten wake-ups a second, however many nodes


def spread(count: int, interval: float, *, min_gap: float = MIN_BATCH_GAP) -> list[tuple[float, range]]:
    """Batches for `count` nodes over `interval` seconds: `(offset, node indexes)` pairs.

    Offsets are evenly spaced and at least `min_gap` apart (fewer batches than nodes when
    the nodes are many); batch sizes differ by at most one; every index appears once.
    """
    if count <= 0:
        return []
    batches = max(1, min(count, int(interval / min_gap) if min_gap > 0 else count))
    return [
        (interval * b / batches, range(b * count // batches, (b + 1) * count // batches))
        for b in range(batches)
    ]


class Periodic:
    """Calls `action(name)` for every member once per `interval`, spread as `spread` says.

    `members()` is read at the start of each cycle, so nodes may come and go. The first
    cycle starts `first_delay` seconds after `run()`. A cycle that overran (the API server
    was slow or down) is followed by the next one at once, not by a burst of catch-up.
    """

    def __init__(
        self,
        *,
        clock: Clock,
        interval: float,
        members: Callable[[], Sequence[str]],
        action: Callable[[str], Awaitable[bool]],
        name: str,
        first_delay: float | None = None,
        min_gap: float = MIN_BATCH_GAP,
    ) -> None:
        self.clock = clock
        self.interval = interval
        self.members = members
        self.action = action
        self.name = name
        self.first_delay = interval if first_delay is None else first_delay
        self.min_gap = min_gap
        self.cycles = 0
        self._failing = False

    async def run(self) -> None:
        start = self.clock.monotonic() + self.first_delay
        while True:
            names = list(self.members())
            failures = 0
            for offset, indexes in spread(len(names), self.interval, min_gap=self.min_gap):
                delay = start + offset - self.clock.monotonic()
                if delay > 0:
                    await self.clock.sleep(delay)
                results = await asyncio.gather(*(self.action(names[i]) for i in indexes))
                failures += results.count(False)
            if not names:
                await self.clock.sleep(max(0.0, start - self.clock.monotonic()))
            self.cycles += 1
            self._report(failures, len(names))
            start = max(start + self.interval, self.clock.monotonic())

    def _report(self, failures: int, total: int) -> None:
        """One log line when writes start failing and one when they recover, not one per node."""
        if failures and not self._failing:
            log.warning(
                "%s: %d of %d writes failed this cycle; retrying next cycle", self.name, failures, total
            )
        elif not failures and self._failing:
            log.info("%s: writes succeed again", self.name)
        self._failing = bool(failures)


def node_lease(
    node: str, *, node_uid: str, now: float, duration_seconds: int, namespace: str
) -> dict[str, Any]:
    """The Lease a node holds (`kube-node-lease/<node>`), owned by its Node object."""
    meta: dict[str, Any] = {"name": node, "namespace": namespace}
    if node_uid:
        meta["ownerReferences"] = [{"apiVersion": "v1", "kind": "Node", "name": node, "uid": node_uid}]
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": meta,
        "spec": lease_spec(node, now=now, duration_seconds=duration_seconds),
    }


def lease_spec(node: str, *, now: float, duration_seconds: int) -> dict[str, Any]:
    """The renewal: holder, duration and a fresh renewTime (MicroTime)."""
    return {"holderIdentity": node, "leaseDurationSeconds": duration_seconds, "renewTime": rfc3339_micro(now)}
