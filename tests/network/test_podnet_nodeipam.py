"""The node IPAM controller against a real API server: unique pod CIDRs for nodes created
all at once, a restart that rebuilds from the existing nodes, release on deletion, and an
exhausted range that waits for a free CIDR. No root needed."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from pyk8s.apiserver.app import ApiServerConfig, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import EVENTS, NODES
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig
from pyk8s.controllers.nodeipam import NODEIPAM_CONTROLLER, new_nodeipam_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor, ControllerRegistry

Obj = dict[str, Any]


class Cluster:
    """An API server in this process and controller managers running only nodeipam."""

    def __init__(self, tmp: Path, client: Client, kubeconfig: Path) -> None:
        self.tmp, self.client, self.kubeconfig = tmp, client, kubeconfig
        self._running: list[tuple[asyncio.Event, asyncio.Task[None]]] = []

    async def start_manager(self, cluster_cidr: str = "") -> Callable[[], Awaitable[None]]:
        descriptor = NODEIPAM_CONTROLLER
        if cluster_cidr:
            descriptor = ControllerDescriptor(
                "nodeipam", partial(new_nodeipam_controller, cluster_cidr=cluster_cidr)
            )
        manager = ControllerManager(
            ControllerManagerConfig(kubeconfig=self.kubeconfig, controllers=["nodeipam"], leader_elect=False),
            registry=ControllerRegistry([descriptor]),
        )
        stop = asyncio.Event()
        task = asyncio.get_running_loop().create_task(manager.run(stop))
        self._running.append((stop, task))
        await asyncio.wait_for(manager.leading.wait(), 30)

        async def stop_manager() -> None:
            stop.set()
            await asyncio.wait_for(task, 30)

        return stop_manager

    async def aclose(self) -> None:
        for stop, task in self._running:
            stop.set()
            await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    running = await start_apiserver(ApiServerConfig(data_dir=tmp_path / "api", port=0))
    client = Client.from_kubeconfig(running.kubeconfig, qps=1000, burst=1000)
    c = Cluster(tmp_path, client, running.kubeconfig)
    try:
        yield c
    finally:
        await c.aclose()
        await client.aclose()
        await running.stop()


def node(name: str, cidr: str = "") -> Obj:
    obj: Obj = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}}
    if cidr:
        obj["spec"] = {"podCIDR": cidr}
    return obj


async def cidrs(client: Client) -> dict[str, str]:
    listed = await client.list(NODES)
    return {n["metadata"]["name"]: (n.get("spec") or {}).get("podCIDR", "") for n in listed["items"]}


async def until(check: Callable[[], Awaitable[Any]], timeout: float = 30) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached in {timeout}s: {result!r}")
        await asyncio.sleep(0.05)


async def all_assigned(client: Client, count: int) -> dict[str, str]:
    async def check() -> dict[str, str] | None:
        current = await cidrs(client)
        return current if len(current) == count and all(current.values()) else None

    return await until(check)


async def test_nodes_created_at_once_get_distinct_cidrs(cluster: Cluster) -> None:
    await cluster.start_manager()
    client = cluster.client
    await asyncio.gather(*(client.create(NODES, node(f"n{i}")) for i in range(40)))
    assigned = await all_assigned(client, 40)
    assert len(set(assigned.values())) == 40
    cluster_cidr = ipaddress.ip_network("10.244.0.0/16")
    for value in assigned.values():
        network = ipaddress.ip_network(value)
        assert network.prefixlen == 24 and network.subnet_of(cluster_cidr)
    listed = await client.list(NODES)
    assert all(n["spec"]["podCIDRs"] == [n["spec"]["podCIDR"]] for n in listed["items"])


async def test_a_restarted_controller_rebuilds_from_the_nodes_and_releases_deleted_ones(
    cluster: Cluster,
) -> None:
    client = cluster.client
    # A node that came with its own CIDR (set by hand) before the controller ever ran.
    await client.create(NODES, node("preset", "10.244.0.0/24"))
    stop = await cluster.start_manager()
    for i in range(3):
        await client.create(NODES, node(f"first-{i}"))
    first = await all_assigned(client, 4)
    assert first["preset"] == "10.244.0.0/24"
    assert len(set(first.values())) == 4
    await stop()

    # While no controller runs: one node goes, new ones come.
    await client.delete(NODES, "first-1")
    for i in range(3):
        await client.create(NODES, node(f"second-{i}"))
    await cluster.start_manager()
    after = await all_assigned(client, 6)
    assert len(set(after.values())) == 6
    for name in ("preset", "first-0", "first-2"):
        assert after[name] == first[name]  # CIDRs are immutable


async def test_an_exhausted_range_waits_for_a_released_cidr(cluster: Cluster) -> None:
    client = cluster.client
    await cluster.start_manager(cluster_cidr="10.244.0.0/23")  # two /24s
    await client.create(NODES, node("a"))
    await client.create(NODES, node("b"))
    assigned = await all_assigned(client, 2)
    await client.create(NODES, node("c"))

    async def not_available() -> bool:
        events = await client.list(EVENTS, namespace="default")
        return any(
            e.get("reason") == "CIDRNotAvailable" and (e.get("involvedObject") or {}).get("name") == "c"
            for e in events["items"]
        )

    await until(not_available)
    assert (await cidrs(client))["c"] == ""
    await client.delete(NODES, "a")
    final = await all_assigned(client, 2)
    assert final["c"] == assigned["a"]
