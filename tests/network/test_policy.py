"""NetworkPolicy enforcement with real nftables between network namespaces this test makes.

A "node host" namespace holds a bridge `cni0` (10.244.77.1/24) and three pod namespaces hang
off it by veth pairs (a: 10.244.77.10 serving TCP 8080, b: .11 a client labelled
role=client, c: .12 another client), the layout the pod network builds. The enforcer runs
against a real API server and writes its table into the node namespace; connections are
attempted from sockets made inside the pod namespaces. Everything is deleted afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.apiserver.certs import ensure_pki
from pyk8s.client import Client
from pyk8s.client.resources import NETWORKPOLICIES, PODS
from pyk8s.network.dns.netns import make_socket
from pyk8s.network.policy import PolicyConfig, PolicyEnforcer
from pyk8s.network.policy.nft import nft
from pyk8s.network.policy.render import delete_script, render, replace_script
from pyk8s.network.policy.rules import compute_node_policy, pod_info

from ..conftest import IN_CI, require_binary

SUBNET = "10.244.77"
PORT = 8080
PODS_ = {"a": f"{SUBNET}.10", "b": f"{SUBNET}.11", "c": f"{SUBNET}.12"}


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["ip", *args], check=check, capture_output=True)


@dataclass
class Topology:
    node: str  # the node host namespace
    pods: dict[str, str]  # pod -> its namespace


def need_root_tools() -> None:
    """Network namespaces need root and iproute2 (and nftables): skip without them, fail in CI."""
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("network namespace tests need root (CI runs as root)")
        pytest.skip("network namespace tests need root")
    require_binary("ip", shutil.which("ip"), "iproute2")
    require_binary("nft", shutil.which("nft"), "nftables")


@pytest.fixture
def topology() -> Iterator[Topology]:
    need_root_tools()
    suffix = uuid.uuid4().hex[:6]
    node = f"n3pol-node-{suffix}"
    pods = {name: f"n3pol-{name}-{suffix}" for name in PODS_}
    created: list[str] = []
    try:
        for ns in (node, *pods.values()):
            ip("netns", "add", ns)
            created.append(ns)
            ip("-n", ns, "link", "set", "lo", "up")
        ip("-n", node, "link", "add", "cni0", "type", "bridge")
        ip("-n", node, "addr", "add", f"{SUBNET}.1/24", "dev", "cni0")
        ip("-n", node, "link", "set", "cni0", "up")
        for name, ns in pods.items():
            host_end = f"veth{name}{suffix}"[:15]
            ip("-n", node, "link", "add", host_end, "type", "veth", "peer", "name", "eth0", "netns", ns)
            ip("-n", node, "link", "set", host_end, "master", "cni0", "up")
            ip("-n", ns, "addr", "add", f"{PODS_[name]}/24", "dev", "eth0")
            ip("-n", ns, "link", "set", "eth0", "up")
            ip("-n", ns, "route", "add", "default", "via", f"{SUBNET}.1")
        yield Topology(node, pods)
    finally:
        for ns in reversed(created):  # the veths and the bridge go with their namespaces
            ip("netns", "del", ns, check=False)


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


@pytest.fixture
async def server_in_a(topology: Topology) -> AsyncIterator[None]:
    """A TCP server in pod a that answers each connection with one byte."""

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"!")
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()

    sock = make_socket(socket.SOCK_STREAM, (PODS_["a"], PORT), netns=topology.pods["a"], reuse_address=True)
    server = await asyncio.start_server(answer, sock=sock)
    try:
        yield
    finally:
        server.close()
        await server.wait_closed()


async def connects(topology: Topology, source: str, destination: str = "a", timeout: float = 0.7) -> bool:
    """Whether a TCP connection from pod `source` to pod `destination`'s port gets its answer."""
    sock = make_socket(socket.SOCK_STREAM, netns=topology.pods[source])
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.sock_connect(sock, (PODS_[destination], PORT)), timeout)
        return await asyncio.wait_for(loop.sock_recv(sock, 1), timeout) == b"!"
    except (TimeoutError, OSError):
        return False
    finally:
        sock.close()


async def eventually(check: Any, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


async def create_pod(client: Client, name: str, node: str, labels: dict[str, str], ports: list[Any]) -> None:
    body = {
        "metadata": {"name": name, "namespace": "default", "labels": labels},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "busybox", "ports": ports}]},
    }
    await client.create(PODS, body, namespace="default")
    status = {"status": {"phase": "Running", "podIP": PODS_[name], "podIPs": [{"ip": PODS_[name]}]}}
    await client.patch_status(PODS, name, status, namespace="default")


def nft_tables(netns: str | None) -> str:
    prefix = ["ip", "netns", "exec", netns] if netns else []
    return subprocess.run(
        [*prefix, "nft", "list", "tables"], check=True, capture_output=True, text=True
    ).stdout


async def test_deny_then_allow_between_pod_namespaces(
    api: tuple[RunningServer, Client], topology: Topology, server_in_a: None
) -> None:
    _, client = api
    node = "policy-node"
    await create_pod(client, "a", node, {"app": "a"}, [{"name": "http", "containerPort": PORT}])
    await create_pod(client, "b", node, {"role": "client"}, [])
    await create_pod(client, "c", node, {"role": "other"}, [])

    config = PolicyConfig(kubeconfig=client, node_name=node, netns=topology.node)
    enforcer = PolicyEnforcer(config, client)
    await enforcer.start()
    try:
        await asyncio.wait_for(config.ready.wait(), 30)
        assert "table inet pyk8s-policy" in nft_tables(topology.node)
        assert "pyk8s-policy" not in nft_tables(None)  # never in the host's namespace
        assert await connects(topology, "b") and await connects(topology, "c")  # nothing isolated yet

        # default deny for pod a's ingress
        await client.create(
            NETWORKPOLICIES,
            {
                "metadata": {"name": "deny-a", "namespace": "default"},
                "spec": {"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Ingress"]},
            },
            namespace="default",
        )
        await eventually(lambda: _not(connects(topology, "b")))
        assert not await connects(topology, "c")

        # allow role=client on the named port "http"
        await client.create(
            NETWORKPOLICIES,
            {
                "metadata": {"name": "allow-clients", "namespace": "default"},
                "spec": {
                    "podSelector": {"matchLabels": {"app": "a"}},
                    "ingress": [
                        {
                            "from": [{"podSelector": {"matchLabels": {"role": "client"}}}],
                            "ports": [{"port": "http"}],
                        }
                    ],
                },
            },
            namespace="default",
        )
        await eventually(lambda: connects(topology, "b"))
        assert not await connects(topology, "c")

        # b's egress denied: a's ingress allows b, but b may not send
        await client.create(
            NETWORKPOLICIES,
            {
                "metadata": {"name": "deny-client-egress", "namespace": "default"},
                "spec": {"podSelector": {"matchLabels": {"role": "client"}}, "policyTypes": ["Egress"]},
            },
            namespace="default",
        )
        await eventually(lambda: _not(connects(topology, "b")))

        # ... until an ipBlock with a port range lets it reach a again
        await client.create(
            NETWORKPOLICIES,
            {
                "metadata": {"name": "client-to-a", "namespace": "default"},
                "spec": {
                    "podSelector": {"matchLabels": {"role": "client"}},
                    "policyTypes": ["Egress"],
                    "egress": [
                        {
                            "to": [{"ipBlock": {"cidr": f"{SUBNET}.0/24", "except": [f"{SUBNET}.12/32"]}}],
                            "ports": [{"port": 8000, "endPort": 8090}],
                        }
                    ],
                },
            },
            namespace="default",
        )
        await eventually(lambda: connects(topology, "b"))

        # relabelling c into the allowed set takes effect too
        await client.patch(PODS, "c", {"metadata": {"labels": {"role": "client"}}}, namespace="default")
        await eventually(lambda: connects(topology, "c"))

        # deleting the policies lifts the isolation
        for name in ("deny-a", "allow-clients", "deny-client-egress", "client-to-a"):
            await client.delete(NETWORKPOLICIES, name, namespace="default")
        await client.patch(PODS, "c", {"metadata": {"labels": {"role": "other"}}}, namespace="default")
        await eventually(lambda: connects(topology, "c"))
    finally:
        await enforcer.aclose()
    assert "pyk8s-policy" not in nft_tables(topology.node)  # the table goes with the enforcer


async def _not(result: Any) -> bool:
    return not await result


async def test_every_rendered_form_is_accepted_by_nft() -> None:
    """The renderer's whole vocabulary (IPv4 and IPv6 peers, blocks with exceptions, ranges,
    protocols without ports, SCTP, comments, both directions) through `nft -c`."""
    need_root_tools()
    pods = [
        pod_info(
            {
                "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
                "spec": {
                    "nodeName": "n",
                    "containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 80}]}],
                },
                "status": {"phase": "Running", "podIPs": [{"ip": "10.244.1.10"}, {"ip": "fd00:244::10"}]},
            }
        ),
        pod_info(
            {
                "metadata": {"name": "db", "namespace": "data", "labels": {"app": "db"}},
                "spec": {"nodeName": "m", "containers": [{"name": "c"}]},
                "status": {"phase": "Running", "podIP": "10.244.2.20"},
            }
        ),
    ]
    policy = {
        "metadata": {"name": 'quoted "name"', "namespace": "default"},
        "spec": {
            "podSelector": {},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {
                    "from": [
                        {"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "db"}}},
                        {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16", "10.2.0.0/16"]}},
                        {"ipBlock": {"cidr": "fd00::/8", "except": ["fd00:1::/32"]}},
                    ],
                    "ports": [
                        {"port": 80},
                        {"port": 8000, "endPort": 8100},
                        {"protocol": "UDP"},
                        {"protocol": "SCTP", "port": 3868},
                        {"port": "http"},
                    ],
                },
                {},
            ],
            "egress": [
                {"to": [{"podSelector": {}}], "ports": [{"port": "http"}]},
                {"ports": [{"port": 53, "protocol": "UDP"}]},
            ],
        },
    }
    text = render(compute_node_policy("n", [p for p in pods if p], {"data": {}}, [policy]))
    netns = f"n3pol-check-{uuid.uuid4().hex[:6]}"
    ip("netns", "add", netns)
    try:
        await nft(replace_script(text), netns=netns, check_only=True)
        await nft(replace_script(text), netns=netns)  # and really applied, then replaced
        await nft(replace_script(text), netns=netns)
        await nft(delete_script(), netns=netns)
        assert "pyk8s-policy" not in nft_tables(netns)
    finally:
        ip("netns", "del", netns, check=False)
