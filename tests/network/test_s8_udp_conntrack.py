"""UDP Services keep answering when their endpoint pod is replaced (issue 9, stale conntrack).

A UDP client that never pauses keeps its conntrack entry alive, and with it the DNAT to the
endpoint its first packet chose. The proxy deletes such entries after a sync: here a client
socket (fixed source port) talks to a UDP Service through its cluster IP and its node port;
the only endpoint is replaced by another pod, and the very same socket gets its answers
from the new pod. Deleting the Service leaves no entry to its cluster IP. Namespaces, the
bridge and the table are the test's own (`proxy/lab.py`) and are removed. Needs root, nft.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest

from pyk8s.client.resources import ENDPOINTSLICES, SERVICES
from pyk8s.network.conntrack import Conntrack
from pyk8s.network.netns import netns_exists, netns_path, open_socket_in_netns
from pyk8s.network.proxy import Proxier, ProxyConfig
from pyk8s.network.proxy.lab import NODE_ADDRESS, Lab
from tests.client.conftest import Cluster, StartCluster, cluster, pki_template, start_cluster  # noqa: F401
from tests.network.test_proxy import NODE, Running, _needs_root

Obj = dict[str, Any]
TARGET = 5353


class Echo(asyncio.DatagramProtocol):
    """Answers every datagram with the pod's name."""

    def __init__(self, name: bytes) -> None:
        self.name = name
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if self.transport is not None:
            self.transport.sendto(self.name, addr)


async def udp_echo(lab: Lab, pod: str) -> asyncio.DatagramTransport:
    sock = await open_socket_in_netns(netns_path(lab.netns(pod)), socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("0.0.0.0", TARGET))
    sock.setblocking(False)
    transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
        lambda: Echo(pod.encode()), sock=sock
    )
    return transport


class Client:
    """One UDP socket in the client pod, connected to one address: one conntrack flow."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    @classmethod
    async def open(cls, lab: Lab, address: str, port: int) -> Client:
        sock = await open_socket_in_netns(netns_path(lab.netns("client")), socket.AF_INET, socket.SOCK_DGRAM)
        sock.setblocking(False)
        sock.connect((address, port))
        return cls(sock)

    async def ask(self, attempts: int = 10) -> str:
        """Send a query; the first answer (a lost datagram or an ICMP error is retried
        from the same socket, so the same flow)."""
        loop = asyncio.get_running_loop()
        for _ in range(attempts):
            with contextlib.suppress(TimeoutError, ConnectionRefusedError):
                await loop.sock_sendall(self.sock, b"query")
                return (await asyncio.wait_for(loop.sock_recv(self.sock, 512), 2.0)).decode()
        return ""

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
async def lab() -> AsyncIterator[Lab]:
    _needs_root()
    net = Lab()
    try:
        await net.create(["b1", "b2", "client"])
        yield net
    finally:
        await net.destroy()
    assert not netns_exists(net.node)


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


def udp_service() -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "echo", "namespace": "default"},
        "spec": {
            "type": "NodePort",
            "ports": [{"name": "dns", "port": 53, "targetPort": TARGET, "protocol": "UDP"}],
        },
    }


def udp_slice(ip: str) -> Obj:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "echo-1",
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": "echo"},
        },
        "addressType": "IPv4",
        "ports": [{"name": "dns", "port": TARGET, "protocol": "UDP"}],
        "endpoints": [{"addresses": [ip], "nodeName": NODE, "conditions": {"ready": True}}],
    }


def flows_to(lab: Lab, address: str, port: int) -> list[tuple[str, int]]:
    """Where the node's UDP entries to `address:port` lead (reply source address, port)."""
    with Conntrack(netns_path(lab.node)) as conntrack:
        return [
            (f.reply.src, f.reply.sport)
            for f in conntrack.flows(socket.IPPROTO_UDP)
            if (f.original.dst, f.original.dport) == (address, port)
        ]


async def test_udp_clients_follow_a_replaced_endpoint(lab: Lab, proxy: Running) -> None:
    old_pod = await udp_echo(lab, "b1")
    new_pod = await udp_echo(lab, "b2")
    svc = await proxy.client.create(SERVICES, udp_service())
    cluster_ip, node_port = svc["spec"]["clusterIP"], svc["spec"]["ports"][0]["nodePort"]
    eps = await proxy.client.create(ENDPOINTSLICES, udp_slice(lab.pods["b1"]))
    await proxy.applied(eps)
    via_cluster_ip = await Client.open(lab, cluster_ip, 53)
    via_node_port = await Client.open(lab, NODE_ADDRESS, node_port)
    try:
        assert [await via_cluster_ip.ask() for _ in range(3)] == ["b1"] * 3
        assert await via_node_port.ask() == "b1"
        assert flows_to(lab, cluster_ip, 53) == [(lab.pods["b1"], TARGET)]

        # the pod is replaced: b1 goes away, b2 is the endpoint now
        old_pod.close()
        replaced = {**udp_slice(lab.pods["b2"]), "metadata": eps["metadata"]}
        eps = await proxy.client.update(ENDPOINTSLICES, replaced)
        await proxy.applied(eps)
        # the same sockets (the same flows, had they survived) now reach the new pod
        assert await via_cluster_ip.ask() == "b2"
        assert await via_node_port.ask() == "b2"
        assert flows_to(lab, cluster_ip, 53) == [(lab.pods["b2"], TARGET)]
        assert proxy.proxier.conntrack.deleted >= 2

        # the Service deleted: nothing is left leading to its cluster IP
        await proxy.client.delete(SERVICES, "echo", namespace="default")
        assert await proxy.proxier.wait_until(lambda: proxy.proxier.programmed("default/echo") is None)
        assert flows_to(lab, cluster_ip, 53) == []
    finally:
        via_cluster_ip.close()
        via_node_port.close()
        new_pod.close()
