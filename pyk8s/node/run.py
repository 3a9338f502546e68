"""`run_nodes`: the entry point of a node process (`pyk8s node`, `python -m pyk8s.node`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.client import Client
from pyk8s.node.config import NodeConfig, oci_unavailable_reason
from pyk8s.node.simulated import SimulatedFleet

log = logging.getLogger("pyk8s.node")


async def run_nodes(config: NodeConfig, stop: asyncio.Event, *, clock: Clock | None = None) -> None:
    """Serve the nodes `config` names until `stop` is set.

    `oci` runs real containers on crun (one node per process, root needed); without root
    or crun, and for `process` (not built yet), the node runs simulated pods and says so
    once.
    """
    clock = clock or RealClock()
    runtime = config.runtime
    if runtime == "oci":
        reason = oci_unavailable_reason()
        if reason or config.count is not None:
            reason = reason or "the oci runtime serves one node per process"
            log.warning("%s: node(s) %s run simulated pods instead", reason, _names(config))
            runtime = "simulated"
    elif runtime != "simulated":
        log.warning(
            "the %s runtime is not available yet: node(s) %s run simulated pods instead",
            runtime,
            _names(config),
        )
        runtime = "simulated"
    client = Client.from_kubeconfig(config.kubeconfig, component="node", clock=clock)
    async with client:
        if runtime == "oci":
            from pyk8s.node.kubelet.agent import Kubelet, KubeletConfig

            data_dir = config.data_dir or Path.home() / ".pyk8s" / "node" / config.name
            kubelet = Kubelet(
                KubeletConfig(
                    node_name=config.name, data_dir=data_dir, client=client, labels=dict(config.labels)
                )
            )
            log.info("node %s runs pods on crun (data in %s)", config.name, data_dir)
            await kubelet.run(stop)
            return
        fleet = SimulatedFleet(client, config, clock=clock)
        await serve_fleet(fleet, stop)


def _names(config: NodeConfig) -> str:
    names = config.node_names()
    return ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")


async def serve_fleet(fleet: SimulatedFleet, stop: asyncio.Event) -> None:
    """Run `fleet` until `stop` is set (or it fails, which is raised)."""
    task = asyncio.create_task(fleet.run(), name="simulated nodes")
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait((task, stopped), return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
            return
        log.info("stopping %d node(s)", len(fleet.nodes))
    finally:
        stopped.cancel()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
