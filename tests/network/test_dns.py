"""Cluster DNS against a real API server: real UDP and TCP sockets, queried with dnspython.

Most tests listen on 127.0.0.1 only. The node-listener test (root, iproute2) creates its own
"node host" network namespace holding a 10.240.x address on its loopback and removes it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import dns.asyncquery
import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest

from pyk8s.api import errors
from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.apiserver.certs import ensure_pki
from pyk8s.client import Client
from pyk8s.client.resources import ENDPOINTSLICES, NODES, SERVICES
from pyk8s.network.dns import ClusterDns, DnsConfig, DnsServer, Zone, run_dns
from pyk8s.network.dns.netns import make_socket
from pyk8s.network.dns.view import StaticView

from ..conftest import IN_CI, require_binary

HOST = "127.0.0.1"


def need_root_tools() -> None:
    """Network namespaces need root and iproute2: skip without them, fail in CI."""
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("network namespace tests need root (CI runs as root)")
        pytest.skip("network namespace tests need root")
    require_binary("ip", shutil.which("ip"), "iproute2")


@pytest.fixture(scope="module")
def pki_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki") / "pki"
    ensure_pki(directory)
    return directory


@pytest.fixture
async def api(tmp_path: Path, pki_template: Path) -> AsyncIterator[tuple[RunningServer, Client]]:
    shutil.copytree(pki_template, tmp_path / "data" / "pki")
    config = ApiServerConfig(data_dir=tmp_path / "data", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    running = await start_apiserver(config)
    client = Client.from_kubeconfig(running.kubeconfig, component="test")
    try:
        yield running, client
    finally:
        await client.aclose()
        await running.stop()


async def eventually(check: Any, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            if await check():
                return
        except AssertionError:
            if loop.time() > deadline:
                raise
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def udp(name: str, qtype: str, port: int) -> dns.message.Message:
    return await dns.asyncquery.udp(dns.message.make_query(name, qtype), HOST, port=port, timeout=5)


async def tcp(name: str, qtype: str, port: int) -> dns.message.Message:
    return await dns.asyncquery.tcp(dns.message.make_query(name, qtype), HOST, port=port, timeout=5)


def records(response: dns.message.Message) -> list[str]:
    return sorted(
        " ".join(line.split()[3:]) for rrset in response.answer for line in rrset.to_text().splitlines()
    )


async def create_objects(client: Client) -> None:
    await client.create(
        SERVICES,
        {
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "selector": {"app": "web"},
                "ports": [
                    {"name": "http", "port": 80, "targetPort": 8080},
                    {"name": "metrics", "port": 9090, "protocol": "UDP"},
                ],
            },
        },
        namespace="default",
    )
    await client.create(
        SERVICES,
        {
            "metadata": {"name": "db", "namespace": "default"},
            "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"name": "pg", "port": 5432}]},
        },
        namespace="default",
    )
    await client.create(
        ENDPOINTSLICES,
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": "db-abcde",
                "namespace": "default",
                "labels": {"kubernetes.io/service-name": "db"},
            },
            "addressType": "IPv4",
            "endpoints": [
                {"addresses": ["10.244.1.10"], "hostname": "db-0", "conditions": {"ready": True}},
                {"addresses": ["10.244.2.11"], "hostname": "db-1", "conditions": {"ready": True}},
                {"addresses": ["10.244.3.12"], "hostname": "db-2", "conditions": {"ready": False}},
            ],
            "ports": [{"name": "pg", "port": 5432, "protocol": "TCP"}],
        },
        namespace="default",
    )
    await client.create(
        SERVICES,
        {
            "metadata": {"name": "search", "namespace": "default"},
            "spec": {"type": "ExternalName", "externalName": "search.example.com"},
        },
        namespace="default",
    )


@pytest.fixture
async def cluster_dns(api: tuple[RunningServer, Client]) -> AsyncIterator[tuple[ClusterDns, int, Client]]:
    _, client = api
    await create_objects(client)
    config = DnsConfig(kubeconfig=client, listen=(f"{HOST}:0",), node_listeners=False)
    server = ClusterDns(config, client)
    await server.start()
    try:
        yield server, server.server.listeners[0].port, client
    finally:
        await server.aclose()


async def test_services_headless_externalname_srv_and_pods_over_udp_and_tcp(
    cluster_dns: tuple[ClusterDns, int, Client],
) -> None:
    _, port, client = cluster_dns
    web = await client.get(SERVICES, "web", namespace="default")
    web_ip = web["spec"]["clusterIP"]

    for ask in (udp, tcp):
        response = await ask("web.default.svc.cluster.local", "A", port)
        assert response.rcode() == dns.rcode.NOERROR and response.flags & dns.flags.AA
        assert records(response) == [f"A {web_ip}"]

    headless = await udp("db.default.svc.cluster.local", "A", port)
    assert records(headless) == ["A 10.244.1.10", "A 10.244.2.11"]  # db-2 is not ready
    assert records(await tcp("db-1.db.default.svc.cluster.local", "A", port)) == ["A 10.244.2.11"]
    assert (await udp("db-2.db.default.svc.cluster.local", "A", port)).rcode() == dns.rcode.NXDOMAIN

    srv = await udp("_http._tcp.web.default.svc.cluster.local", "SRV", port)
    assert records(srv) == ["SRV 0 100 80 web.default.svc.cluster.local."]
    assert records(await udp("_metrics._udp.web.default.svc.cluster.local", "SRV", port)) == [
        "SRV 0 100 9090 web.default.svc.cluster.local."
    ]
    headless_srv = await tcp("_pg._tcp.db.default.svc.cluster.local", "SRV", port)
    assert records(headless_srv) == [
        "SRV 0 50 5432 db-0.db.default.svc.cluster.local.",
        "SRV 0 50 5432 db-1.db.default.svc.cluster.local.",
    ]

    assert records(await udp("search.default.svc.cluster.local", "A", port)) == ["CNAME search.example.com."]
    assert records(await udp("10-244-7-7.default.pod.cluster.local", "A", port)) == ["A 10.244.7.7"]

    missing = await udp("nothing.default.svc.cluster.local", "A", port)
    assert missing.rcode() == dns.rcode.NXDOMAIN and missing.authority
    outside = await udp("www.example.com", "A", port)
    assert outside.rcode() == dns.rcode.REFUSED  # no upstream configured: nothing is forwarded

    # the kube-dns Service: fixed ClusterIP, port 53 over UDP and TCP, its own name resolvable
    kube_dns = await client.get(SERVICES, "kube-dns", namespace="kube-system")
    assert kube_dns["spec"]["clusterIP"] == "10.96.0.10"
    assert {(p["port"], p["protocol"]) for p in kube_dns["spec"]["ports"]} == {(53, "UDP"), (53, "TCP")}
    assert records(await udp("kube-dns.kube-system.svc.cluster.local", "A", port)) == ["A 10.96.0.10"]


async def test_records_follow_the_api(cluster_dns: tuple[ClusterDns, int, Client]) -> None:
    _, port, client = cluster_dns
    await client.delete(SERVICES, "web", namespace="default")

    async def web_gone() -> bool:
        return (await udp("web.default.svc.cluster.local", "A", port)).rcode() == dns.rcode.NXDOMAIN

    await eventually(web_gone)

    slice_ = await client.get(ENDPOINTSLICES, "db-abcde", namespace="default")
    slice_["endpoints"][2]["conditions"]["ready"] = True
    await client.update(ENDPOINTSLICES, slice_)

    async def db2_ready() -> bool:
        return records(await udp("db-2.db.default.svc.cluster.local", "A", port)) == ["A 10.244.3.12"]

    await eventually(db2_ready)
    ptr = await udp("12.3.244.10.in-addr.arpa", "PTR", port)
    assert records(ptr) == ["PTR db-2.db.default.svc.cluster.local."]


async def test_names_outside_the_cluster_are_forwarded_to_a_configured_upstream(
    api: tuple[RunningServer, Client],
) -> None:
    _, client = api
    # The upstream is another DNS server on loopback, authoritative for another zone.
    upstream_view = StaticView(
        [{"metadata": {"name": "www", "namespace": "x"}, "spec": {"clusterIP": "192.0.2.80"}}]
    )
    upstream = DnsServer(Zone("example.test"), upstream_view)
    upstream_listener = await upstream.listen(HOST, 0)
    config = DnsConfig(
        kubeconfig=client,
        listen=(f"{HOST}:0",),
        node_listeners=False,
        manage_service=False,
        upstreams=(f"{HOST}:{upstream_listener.port}",),
    )
    server = ClusterDns(config, client)
    await server.start()
    try:
        port = server.server.listeners[0].port
        for ask in (udp, tcp):
            response = await ask("www.x.svc.example.test", "A", port)
            assert response.rcode() == dns.rcode.NOERROR
            assert records(response) == ["A 192.0.2.80"]
        assert records(await udp("kubernetes.default.svc.cluster.local", "A", port)) == ["A 10.96.0.1"]
        assert (await udp("nothing.x.svc.example.test", "A", port)).rcode() == dns.rcode.NXDOMAIN
        assert server.server.forwarded >= 3
    finally:
        await server.aclose()
        await upstream.aclose()
    with pytest.raises(errors.NotFoundError):
        await client.get(SERVICES, "kube-dns", namespace="kube-system")  # manage_service=False


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)


@pytest.fixture
def node_namespace() -> Any:
    need_root_tools()
    suffix = uuid.uuid4().hex[:6]
    node = f"dns-node-{suffix}"
    template = "n3dns-{node}"
    netns = template.format(node=node)
    _run("ip", "netns", "add", netns)
    try:
        _run("ip", "-n", netns, "link", "set", "lo", "up")
        _run("ip", "-n", netns, "addr", "add", "10.240.77.1/32", "dev", "lo")
        yield node, netns, template
    finally:
        subprocess.run(["ip", "netns", "del", netns], capture_output=True)


async def test_node_listener_serves_inside_the_node_host_namespace(
    api: tuple[RunningServer, Client], node_namespace: tuple[str, str, str]
) -> None:
    _, client = api
    node, netns, template = node_namespace
    await client.create(NODES, {"metadata": {"name": node}})
    await client.patch_status(
        NODES, node, {"status": {"addresses": [{"type": "InternalIP", "address": "10.240.77.1"}]}}
    )
    await client.create(
        SERVICES,
        {"metadata": {"name": "web", "namespace": "default"}, "spec": {"ports": [{"port": 80}]}},
        namespace="default",
    )
    config = DnsConfig(kubeconfig=client, netns_template=template, identity="test")
    stop = asyncio.Event()
    task = asyncio.create_task(run_dns(config, stop))
    try:
        await asyncio.wait_for(config.ready.wait(), 30)
        slice_ = await client.get(ENDPOINTSLICES, "kube-dns-test", namespace="kube-system")
        assert [(e["addresses"], e["nodeName"]) for e in slice_["endpoints"]] == [(["10.240.77.1"], node)]
        assert slice_["metadata"]["labels"]["kubernetes.io/service-name"] == "kube-dns"

        # Ask from inside the node namespace, as a pod's traffic arrives after the proxy's DNAT.
        query = dns.message.make_query("web.default.svc.cluster.local", "A")
        sock = make_socket(socket.SOCK_DGRAM, ("0.0.0.0", 0), netns=netns)
        try:
            response = await asyncio.to_thread(dns.query.udp, query, "10.240.77.1", 5, 53, sock=sock)
        finally:
            sock.close()
        assert response.rcode() == dns.rcode.NOERROR and len(records(response)) == 1

        stream = make_socket(socket.SOCK_STREAM, netns=netns)
        try:
            stream.setblocking(True)
            stream.settimeout(5)
            await asyncio.to_thread(stream.connect, ("10.240.77.1", 53))
            response = await asyncio.to_thread(dns.query.tcp, query, "10.240.77.1", 5, 53, sock=stream)
        finally:
            stream.close()
        assert response.rcode() == dns.rcode.NOERROR

        # The host's own namespace has no such address: nothing listens there.
        with pytest.raises(OSError):
            probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                probe.bind(("10.240.77.1", 0))
            finally:
                probe.close()
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    with pytest.raises(errors.NotFoundError):  # its endpoints are withdrawn on shutdown
        await client.get(ENDPOINTSLICES, "kube-dns-test", namespace="kube-system")
