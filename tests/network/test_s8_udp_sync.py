"""When the proxier deletes stale UDP conntrack entries, and what it asks for (no root): an
API server in this process, a recording stand-in for `nft` and one for the conntrack
clean-up. A scale-up or a TCP change costs no conntrack dump; an endpoint leaving, a new
Service and a deleted one do; a failed clean-up is retried after the next sync."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyk8s.client.resources import ENDPOINTSLICES, SERVICES
from pyk8s.network.conntrack import ConntrackError
from pyk8s.network.proxy import Proxier, ProxyConfig
from pyk8s.network.proxy.udp import Address, ConntrackCleaner, Frontends
from tests.client.conftest import Cluster, StartCluster, cluster, pki_template, start_cluster  # noqa: F401
from tests.network.test_proxy_sync import RecordingNft

Obj = dict[str, Any]


class RecordingCleaner(ConntrackCleaner):
    """Keeps what it was asked to clean; can fail the next call."""

    def __init__(self) -> None:
        super().__init__("recorded")
        self.calls: list[tuple[Frontends, set[Address]]] = []
        self.fail_next = False

    async def clean(self, frontends: Frontends, retired: Any) -> int:
        if self.fail_next:
            self.fail_next = False
            raise ConntrackError(1, "conntrack dump: Operation not permitted")
        self.calls.append((dict(frontends), set(retired)))
        return 0


class Setup:
    def __init__(self, cluster: Cluster) -> None:  # noqa: F811
        self.client = cluster.client()
        self.cleaner = RecordingCleaner()
        config = ProxyConfig(
            kubeconfig=cluster.kubeconfig, node_name="node-a", netns="recorded", min_sync_period=0.01
        )
        self.proxier = Proxier(self.client, config, nft=RecordingNft(), conntrack=self.cleaner)
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(self.proxier.run(self.stop))

    async def applied(self, endpoint_slice: Obj) -> None:
        key = f"default/{endpoint_slice['metadata']['name']}"
        rv = endpoint_slice["metadata"]["resourceVersion"]
        assert await self.proxier.wait_until(lambda: self.proxier.applied_slice_versions.get(key) == rv)


@pytest.fixture
async def setup(cluster: Cluster) -> AsyncIterator[Setup]:  # noqa: F811
    running = Setup(cluster)
    try:
        await asyncio.wait_for(running.proxier.ready.wait(), 30)
        yield running
    finally:
        running.stop.set()
        await asyncio.wait_for(running.task, 30)


def service(name: str, protocol: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"ports": [{"name": "p", "port": 53, "targetPort": 5353, "protocol": protocol}]},
    }


def endpoint_slice(name: str, protocol: str, *ips: str, metadata: Obj | None = None) -> Obj:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": metadata
        or {"name": f"{name}-1", "namespace": "default", "labels": {"kubernetes.io/service-name": name}},
        "addressType": "IPv4",
        "ports": [{"name": "p", "port": 5353, "protocol": protocol}],
        "endpoints": [{"addresses": [ip], "conditions": {"ready": True}} for ip in ips],
    }


async def test_conntrack_is_cleaned_only_when_something_can_be_stale(setup: Setup) -> None:
    calls = setup.cleaner.calls
    assert len(calls) == 1  # the full sync at start: whatever an earlier run left

    udp = await setup.client.create(SERVICES, service("dns", "UDP"))
    frontend = (udp["spec"]["clusterIP"], 53)
    eps = await setup.client.create(ENDPOINTSLICES, endpoint_slice("dns", "UDP", "10.244.0.2"))
    await setup.applied(eps)
    assert calls[-1] == ({frontend: frozenset({("10.244.0.2", 5353)})}, set())  # a new frontend
    count = len(calls)

    # a scale-up: nothing can be stale, no dump
    eps = await setup.client.update(
        ENDPOINTSLICES, endpoint_slice("dns", "UDP", "10.244.0.2", "10.244.0.3", metadata=eps["metadata"])
    )
    await setup.applied(eps)
    assert len(calls) == count

    # TCP changes never dump
    await setup.client.create(SERVICES, service("web", "TCP"))
    web = await setup.client.create(ENDPOINTSLICES, endpoint_slice("web", "TCP", "10.244.0.4"))
    await setup.applied(web)
    web = await setup.client.update(
        ENDPOINTSLICES, endpoint_slice("web", "TCP", "10.244.0.5", metadata=web["metadata"])
    )
    await setup.applied(web)
    assert len(calls) == count

    # an endpoint leaves: cleaned (the first attempt fails and the next sync retries)
    setup.cleaner.fail_next = True
    eps = await setup.client.update(
        ENDPOINTSLICES, endpoint_slice("dns", "UDP", "10.244.0.3", metadata=eps["metadata"])
    )
    await setup.applied(eps)
    assert len(calls) == count
    web = await setup.client.update(
        ENDPOINTSLICES, endpoint_slice("web", "TCP", "10.244.0.6", metadata=web["metadata"])
    )
    await setup.applied(web)
    assert calls[-1] == ({frontend: frozenset({("10.244.0.3", 5353)})}, set())
    count = len(calls)

    # the Service deleted: every entry to its cluster IP goes
    await setup.client.delete(SERVICES, "dns", namespace="default")
    assert await setup.proxier.wait_until(lambda: setup.proxier.programmed("default/dns") is None)
    assert len(calls) == count + 1
    assert calls[-1] == ({}, {frontend})
