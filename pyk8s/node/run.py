"""`run_nodes`: the entry point of a node process (`pyk8s node`, `python -m pyk8s.node`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.client import Client
from pyk8s.node.config import PROCESS_RUNTIME_NOTICE, NodeConfig, effective_runtime, oci_unavailable_reason
from pyk8s.node.simulated import SimulatedFleet

log = logging.getLogger("pyk8s.node")


# Builds a node's pod network from its client and network data dir. pyk8s.node may not import
# pyk8s.network (sibling components), so whoever composes the process passes it in.
PodNetworkFactory = Callable[[Client, Path], Any]


async def run_nodes(
    config: NodeConfig,
    stop: asyncio.Event,
    *,
    clock: Clock | None = None,
    pod_network: PodNetworkFactory | None = None,
) -> None:
    """Serve the nodes `config` names until `stop` is set.

    `oci` runs real containers on crun (root needed); without root or crun it falls back to
    `process` (containers as host processes), saying once what is not isolated. Both serve
    one node per process: asked for more, the nodes run simulated pods.
    """
    clock = clock or RealClock()
    runtime = effective_runtime(config.runtime)
    if runtime != config.runtime:
        log.warning("%s: node %s uses the process runtime", oci_unavailable_reason(), config.name)
    if runtime in ("oci", "process") and config.count is not None:
        log.warning(
            "the %s runtime serves one node per process: node(s) %s run simulated pods instead",
            runtime,
            _names(config),
        )
        runtime = "simulated"
    if runtime == "process":
        log.warning("node %s: %s", config.name, PROCESS_RUNTIME_NOTICE)
    client = Client.from_kubeconfig(config.kubeconfig, component="node", clock=clock)
    async with client:
        if runtime in ("oci", "process"):
            from pyk8s.node.kubelet.agent import Kubelet, KubeletConfig

            data_dir = config.data_dir or Path.home() / ".pyk8s" / "node" / config.name
            networked = pod_network is not None and runtime == "oci"
            network = pod_network(client, data_dir / "network") if networked else None
            kubelet = Kubelet(
                KubeletConfig(
                    node_name=config.name,
                    data_dir=data_dir,
                    client=client,
                    labels=dict(config.labels),
                    runtime=runtime,
                    network=network,
                    stop_pods_on_exit=config.stop_pods_on_exit,
                    cluster_dns=["10.96.0.10"] if network is not None else [],
                )
            )
            how = "on crun" if runtime == "oci" else "as host processes"
            log.info("node %s runs pods %s (data in %s)", config.name, how, data_dir)
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
