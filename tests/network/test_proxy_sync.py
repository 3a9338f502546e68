"""When the proxier syncs, and what it sends: a full transaction at start and after a
failure, incremental ones batching the changes of one `min_sync_period`, the table deleted
on stop. An API server in this process and a recording stand-in for `nft` (no root needed);
time is a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.client.resources import ENDPOINTSLICES, SERVICES
from pyk8s.network.proxy import Proxier, ProxyConfig
from pyk8s.network.proxy.nft import Nft, NftError
from tests.client.conftest import Cluster, StartCluster, cluster, pki_template, start_cluster  # noqa: F401
from tests.conftest import eventually

Obj = dict[str, Any]


class RecordingNft(Nft):
    """Keeps the scripts instead of running them; can fail the next one."""

    def __init__(self) -> None:
        super().__init__("recorded")
        self.scripts: list[list[str]] = []
        self.fail_next = False

    def namespace_exists(self) -> bool:
        return True

    def namespace_id(self) -> tuple[int, int] | None:
        return (1, 1)

    async def apply(self, lines: Sequence[str]) -> None:
        if self.fail_next:
            self.fail_next = False
            raise NftError("Error: Could not process rule: No such file or directory")
        self.scripts.append(list(lines))


class Setup:
    def __init__(self, cluster: Cluster) -> None:  # noqa: F811
        self.clock = FakeClock()
        self.client = cluster.client()
        self.nft = RecordingNft()
        config = ProxyConfig(
            kubeconfig=cluster.kubeconfig,
            node_name="node-a",
            netns="recorded",
            min_sync_period=1.0,
            clock=self.clock,
        )
        self.proxier = Proxier(self.client, config, nft=self.nft)
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(self.proxier.run(self.stop))

    async def tick(self, seconds: float) -> None:
        """Let the proxier reach its wait, then move the clock."""
        await eventually(lambda: _sleeping(self.clock))
        self.clock.advance(seconds)


async def _sleeping(clock: FakeClock) -> bool:
    await asyncio.sleep(0.01)
    return clock.sleepers > 0


@pytest.fixture
async def setup(cluster: Cluster) -> AsyncIterator[Setup]:  # noqa: F811
    running = Setup(cluster)
    try:
        await asyncio.wait_for(running.proxier.ready.wait(), 30)
        yield running
    finally:
        running.stop.set()
        await asyncio.wait_for(running.task, 30)


def web_slice(*ips: str, name: str = "web-1") -> Obj:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": name, "namespace": "default", "labels": {"kubernetes.io/service-name": "web"}},
        "addressType": "IPv4",
        "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
        "endpoints": [{"addresses": [ip], "conditions": {"ready": True}} for ip in ips],
    }


async def test_full_then_batched_incremental_syncs_and_cleanup(setup: Setup) -> None:
    first = setup.nft.scripts[0]
    assert first[:3] == [
        "add table inet pyk8s-proxy",
        "delete table inet pyk8s-proxy",
        "add table inet pyk8s-proxy",
    ]
    # the bootstrap `kubernetes` Service: its loopback endpoint is useless without a node address
    assert (
        "add element inet pyk8s-proxy no-endpoint-services { 10.96.0.1 . tcp . 443 : goto reject-chain }"
        in first
    )

    svc = await setup.client.create(
        SERVICES,
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]},
        },
    )
    eps = await setup.client.create(ENDPOINTSLICES, web_slice("10.244.0.2"))
    eps = await setup.client.update(ENDPOINTSLICES, {**eps, **web_slice("10.244.0.2", "10.244.0.3")})
    rv = eps["metadata"]["resourceVersion"]
    await eventually(lambda: _cached(setup, rv))
    before = len(setup.nft.scripts)
    await setup.tick(1.0)
    assert await setup.proxier.wait_until(
        lambda: setup.proxier.applied_slice_versions.get("default/web-1") == rv
    )
    assert len(setup.nft.scripts) == before + 1  # three API writes, one transaction
    script = setup.nft.scripts[-1]
    assert not any(line.startswith("delete table") for line in script)
    cluster_ip = svc["spec"]["clusterIP"]
    assert any(
        line.startswith(f"add element inet pyk8s-proxy service-ips {{ {cluster_ip} . tcp . 80")
        for line in script
    )
    assert sum("dnat ip to" in line for line in script) == 2

    # a failed transaction: the next one starts over with the whole table
    setup.nft.fail_next = True
    eps = await setup.client.update(ENDPOINTSLICES, {**eps, **web_slice("10.244.0.2")})
    rv = eps["metadata"]["resourceVersion"]
    await eventually(lambda: _cached(setup, rv))
    await setup.tick(1.0)  # the min sync period: this sync fails
    await eventually(lambda: _failed(setup))
    await setup.tick(0.5)  # the retry back-off
    assert await setup.proxier.wait_until(
        lambda: setup.proxier.applied_slice_versions.get("default/web-1") == rv
    )
    assert setup.nft.scripts[-1][1] == "delete table inet pyk8s-proxy"
    assert sum("dnat ip to" in line for line in setup.nft.scripts[-1]) == 1

    setup.stop.set()
    await asyncio.wait_for(setup.task, 30)
    assert setup.nft.scripts[-1] == ["add table inet pyk8s-proxy", "delete table inet pyk8s-proxy"]


async def _cached(setup: Setup, rv: str) -> bool:
    cached = setup.proxier.slices.lister.get("web-1", "default")
    return cached is not None and cached["metadata"]["resourceVersion"] == rv


async def _failed(setup: Setup) -> bool:
    return setup.proxier.failures == 1
