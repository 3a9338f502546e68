"""The service proxy on real nftables, in network namespaces this test creates.

A node host namespace with a bridge, three pod namespaces on it (two backends answering
with their name, one client), an API server in this process holding Services and
EndpointSlices, and the proxier programming the node host's table. Checked: cluster IP
load-balancing, connection refused at once without endpoints, a removed endpoint gets no
new connections after the next sync, node ports, ClientIP affinity, Local policies,
hairpin traffic, and that the table goes away with the proxy. Needs root, nft and ip.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyk8s.client import Client
from pyk8s.client.resources import ENDPOINTSLICES, NODES, SERVICES
from pyk8s.network.netns import netns_exists
from pyk8s.network.proxy import Proxier, ProxyConfig
from pyk8s.network.proxy.lab import NODE_ADDRESS, Lab
from pyk8s.network.proxy.nft import Nft, NftError
from tests.client.conftest import Cluster, StartCluster, cluster, pki_template, start_cluster  # noqa: F401
from tests.conftest import IN_CI, eventually, require_binary

Obj = dict[str, Any]
NODE = "node-a"
PORT = 8080


def _needs_root() -> None:
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("the proxy tests need root (CI runs as root)")
        pytest.skip("the proxy tests need root")
    require_binary("nft", shutil.which("nft"), "nftables")
    require_binary("ip", shutil.which("ip"), "iproute2")
    require_binary("nsenter", shutil.which("nsenter"), "util-linux")


@pytest.fixture
async def lab() -> AsyncIterator[Lab]:
    _needs_root()
    net = Lab()
    try:
        await net.create(["b1", "b2", "client"])
        await net.serve("b1", PORT)
        await net.serve("b2", PORT)
        yield net
    finally:
        await net.destroy()
    assert not netns_exists(net.node)


class Running:
    """A proxier running in this process against the test's API server."""

    def __init__(self, client: Client, proxier: Proxier) -> None:
        self.client = client
        self.proxier = proxier
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(proxier.run(self.stop))

    async def applied(self, endpoint_slice: Obj) -> None:
        """Wait until this version of the slice is in the kernel."""
        key = f"{endpoint_slice['metadata']['namespace']}/{endpoint_slice['metadata']['name']}"
        rv = endpoint_slice["metadata"]["resourceVersion"]
        assert await self.proxier.wait_until(lambda: self.proxier.applied_slice_versions.get(key) == rv)

    async def service_applied(self, name: str) -> None:
        assert await self.proxier.wait_until(lambda: self.proxier.programmed(f"default/{name}") is not None)

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 30)


@pytest.fixture
async def proxy(lab: Lab, cluster: Cluster) -> AsyncIterator[Running]:  # noqa: F811
    client = cluster.client()
    config = ProxyConfig(
        kubeconfig=cluster.kubeconfig,
        node_name=NODE,
        netns=lab.node,
        nodeport_addresses=(NODE_ADDRESS,),
        min_sync_period=0.05,
    )
    running = Running(client, Proxier(client, config))
    try:
        await asyncio.wait_for(running.proxier.ready.wait(), 30)
        yield running
    finally:
        await running.close()


def service(name: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"ports": [{"name": "http", "port": 80, "targetPort": PORT, "protocol": "TCP"}], **spec},
    }


def endpoint_slice(service_name: str, *endpoints: tuple[str, str]) -> Obj:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": f"{service_name}-1",
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": service_name},
        },
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": PORT, "protocol": "TCP"}],
        "endpoints": [
            {"addresses": [ip], "nodeName": node, "conditions": {"ready": True}} for ip, node in endpoints
        ],
    }


async def set_endpoints(running: Running, current: Obj, *endpoints: tuple[str, str]) -> Obj:
    updated = {**current, "endpoints": endpoint_slice("x", *endpoints)["endpoints"]}
    written = await running.client.update(ENDPOINTSLICES, updated)
    await running.applied(written)
    return written


async def answers(lab: Lab, address: str, port: int, count: int, *, source: str = "client") -> list[str]:
    return [await lab.request(source, address, port) for _ in range(count)]


async def test_cluster_ip_balances_and_follows_endpoint_changes(lab: Lab, proxy: Running) -> None:
    svc = await proxy.client.create(SERVICES, service("web"))
    cluster_ip = svc["spec"]["clusterIP"]
    b1, b2 = lab.pods["b1"], lab.pods["b2"]
    eps = await proxy.client.create(ENDPOINTSLICES, endpoint_slice("web", (b1, NODE), (b2, "node-b")))
    await proxy.applied(eps)
    assert set(await answers(lab, cluster_ip, 80, 40)) == {"b1", "b2"}

    # an endpoint removed: no new connection reaches it once the change is applied
    eps = await set_endpoints(proxy, eps, (b1, NODE))
    assert set(await answers(lab, cluster_ip, 80, 20)) == {"b1"}

    # no endpoints: refused at once (TCP reset), not a timeout or "no route to host"
    eps = await set_endpoints(proxy, eps)
    with pytest.raises(ConnectionRefusedError):
        await lab.request("client", cluster_ip, 80, timeout=10)
    # the service range is unreachable otherwise: an unknown port is not refused by the proxy
    with pytest.raises(OSError) as unknown:
        await lab.request("client", cluster_ip, 81, timeout=10)
    assert not isinstance(unknown.value, ConnectionRefusedError)

    # hairpin: a backend reaching the Service lands on itself and still gets its answer
    await set_endpoints(proxy, eps, (b1, NODE))
    assert await answers(lab, cluster_ip, 80, 3, source="b1") == ["b1", "b1", "b1"]


async def test_service_without_slices_is_refused(lab: Lab, proxy: Running) -> None:
    svc = await proxy.client.create(SERVICES, service("empty"))
    await proxy.service_applied("empty")
    with pytest.raises(ConnectionRefusedError):
        await lab.request("client", svc["spec"]["clusterIP"], 80, timeout=10)


async def test_node_port_and_client_ip_affinity(lab: Lab, proxy: Running) -> None:
    svc = await proxy.client.create(SERVICES, service("sticky", type="NodePort", sessionAffinity="ClientIP"))
    node_port = svc["spec"]["ports"][0]["nodePort"]
    eps = await proxy.client.create(
        ENDPOINTSLICES, endpoint_slice("sticky", (lab.pods["b1"], NODE), (lab.pods["b2"], NODE))
    )
    await proxy.applied(eps)
    first = await answers(lab, svc["spec"]["clusterIP"], 80, 15)
    assert len(set(first)) == 1  # one client, one backend
    assert set(await answers(lab, NODE_ADDRESS, node_port, 15)) == set(first)  # the same via the node port

    plain = await proxy.client.create(SERVICES, service("plain", type="NodePort"))
    eps = await proxy.client.create(
        ENDPOINTSLICES, endpoint_slice("plain", (lab.pods["b1"], NODE), (lab.pods["b2"], NODE))
    )
    await proxy.applied(eps)
    assert set(await answers(lab, NODE_ADDRESS, plain["spec"]["ports"][0]["nodePort"], 40)) == {"b1", "b2"}


async def test_traffic_policy_local(lab: Lab, proxy: Running) -> None:
    svc = await proxy.client.create(
        SERVICES,
        service("local", type="NodePort", externalTrafficPolicy="Local", internalTrafficPolicy="Local"),
    )
    eps = await proxy.client.create(
        ENDPOINTSLICES, endpoint_slice("local", (lab.pods["b1"], NODE), (lab.pods["b2"], "node-b"))
    )
    await proxy.applied(eps)
    assert set(await answers(lab, svc["spec"]["clusterIP"], 80, 20)) == {"b1"}  # this node's only

    # no local endpoint left: dropped (no answer), not refused
    await set_endpoints(proxy, eps, (lab.pods["b2"], "node-b"))
    with pytest.raises(TimeoutError):
        await lab.request("client", svc["spec"]["clusterIP"], 80, timeout=0.5)


async def test_table_is_removed_on_shutdown(lab: Lab, cluster: Cluster) -> None:  # noqa: F811
    client = cluster.client()
    config = ProxyConfig(kubeconfig=cluster.kubeconfig, node_name=NODE, netns=lab.node, min_sync_period=0.05)
    running = Running(client, Proxier(client, config))
    await asyncio.wait_for(running.proxier.ready.wait(), 30)
    nft = Nft(lab.node)
    assert "chain nat-prerouting" in await nft.list_table(config.table)
    await running.close()
    with pytest.raises(NftError):
        await nft.list_table(config.table)


async def test_the_proxy_command_programs_and_cleans_up(lab: Lab, cluster: Cluster) -> None:  # noqa: F811
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pyk8s.network.proxy",
        "--kubeconfig",
        str(cluster.kubeconfig),
        "--hostname-override",
        NODE,
        "--netns",
        lab.node,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    nft = Nft(lab.node)
    try:

        async def programmed() -> bool:
            try:
                return "10.96.0.1 . tcp . 443" in await nft.list_table("pyk8s-proxy")
            except NftError:
                return False

        await eventually(programmed, timeout=30)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    with pytest.raises(NftError):
        await nft.list_table("pyk8s-proxy")


async def test_pods_reach_the_api_server_relay_through_the_kubernetes_service(
    lab: Lab, proxy: Running
) -> None:
    # the node reports its address; the relay (here a stand-in) listens there on the API
    # server's port, inside the node namespace
    await proxy.client.create(NODES, {"apiVersion": "v1", "kind": "Node", "metadata": {"name": NODE}})
    await proxy.client.patch_status(
        NODES, NODE, {"status": {"addresses": [{"type": "InternalIP", "address": NODE_ADDRESS}]}}
    )
    api = await proxy.client.get(ENDPOINTSLICES, "kubernetes", namespace="default")
    assert api["endpoints"][0]["addresses"] == ["127.0.0.1"]
    await lab.serve("node", api["ports"][0]["port"], body="relay")

    def relayed() -> bool:
        fragment = proxy.proxier.programmed("default/kubernetes")
        return fragment is not None and bool(fragment.chains)

    assert await proxy.proxier.wait_until(relayed)
    kubernetes = await proxy.client.get(SERVICES, "kubernetes", namespace="default")
    assert await lab.request("client", kubernetes["spec"]["clusterIP"], 443) == "relay"
