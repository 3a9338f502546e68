"""The pod network end to end: an API server, the node IPAM controller and two Kubelets on
crun in this process, each with its node host namespace on a fabric of the test's own.

Pods on different nodes reach each other by pod IP without NAT, hostNetwork pods live in
the node host (never the machine's namespace), the API server relay answers on the node
address, addresses are released on deletion and kept across an agent restart, and nothing
is left behind: no namespace, link, address, route or nftables table. Needs root, crun,
busybox-static and the CNI plugins (Debian containernetworking-plugins).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from pyk8s.apiserver.app import ApiServerConfig, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import NODES, PODS
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig
from pyk8s.network.addresses import NODE_NETWORK, internal_ip, node_netns
from pyk8s.network.netns import NETNS_DIR, add_netns, delete_netns, ip, open_socket_in_netns
from pyk8s.network.podnet import NodeNetwork, PodNetworkConfig
from pyk8s.node.images.busybox import find_busybox
from pyk8s.node.kubelet.agent import Kubelet, KubeletConfig
from tests.conftest import IN_CI, require_binary

pytestmark = pytest.mark.asyncio(loop_scope="module")

Obj = dict[str, Any]
NS = "default"
CGI = '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n'


def _busybox() -> str | None:
    try:
        return str(find_busybox())
    except FileNotFoundError:
        return None


def _ten_dot(entries: list[Obj], key: str) -> list[str]:
    """Values of `key` (addresses or route destinations) inside 10.0.0.0/8."""
    found = []
    for value in entries:
        text = str(value.get(key, "")).split("/")[0]
        try:
            if ipaddress.ip_address(text) in ipaddress.ip_network("10.0.0.0/8"):
                found.append(str(value.get(key)))
        except ValueError:
            continue
    return found


def root_namespace_state() -> dict[str, Any]:
    """What the machine's own namespace shows of 10.x, plus its nftables tables."""
    addrs = json.loads(subprocess.run(["ip", "-j", "addr"], capture_output=True, check=True).stdout)
    routes = json.loads(
        subprocess.run(["ip", "-j", "route", "show", "table", "all"], capture_output=True, check=True).stdout
    )
    nft = shutil.which("nft")
    tables = (
        subprocess.run([nft, "list", "tables"], capture_output=True, text=True).stdout.split("\n")
        if nft
        else []
    )
    return {
        "addresses": _ten_dot([i for link in addrs for i in link.get("addr_info") or []], "local"),
        "routes": _ten_dot(routes, "dst"),
        "links": sorted(link["ifname"] for link in addrs),
        "tables": sorted(t for t in tables if t),
    }


@dataclass
class Node:
    kubelet: Kubelet
    network: NodeNetwork
    stop: asyncio.Event
    task: asyncio.Task[None]


@dataclass
class Net:
    client: Client
    fabric: str
    tmp: Path
    nodes: dict[str, Node] = field(default_factory=dict)
    pod_netns: set[str] = field(default_factory=set)

    def names(self) -> list[str]:
        return list(self.nodes)


async def start_node(client: Client, name: str, tmp: Path, fabric: str) -> Node:
    network = NodeNetwork(client, PodNetworkConfig(data_dir=tmp / name / "network", fabric=fabric))
    kubelet = Kubelet(KubeletConfig(node_name=name, data_dir=tmp / name, client=client, network=network))
    stop = asyncio.Event()
    task = asyncio.get_running_loop().create_task(kubelet.run(stop))
    await asyncio.wait_for(network.wait_for_pod_cidr(), 60)
    return Node(kubelet, network, stop, task)


async def stop_node(node: Node) -> None:
    node.stop.set()
    await asyncio.wait_for(node.task, 30)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def net(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Net]:
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("the pod network tests need root (CI runs as root)")
        pytest.skip("the pod network tests need root")
    require_binary("crun", shutil.which("crun"), "crun")
    require_binary("busybox", _busybox(), "busybox-static")
    require_binary(
        "CNI bridge plugin",
        shutil.which("bridge", path="/usr/lib/cni:/opt/cni/bin"),
        "containernetworking-plugins",
    )
    before = root_namespace_state()
    tmp = tmp_path_factory.mktemp("podnet")
    running = await start_apiserver(ApiServerConfig(data_dir=tmp / "api", port=0))
    client = Client.from_kubeconfig(running.kubeconfig)
    manager = ControllerManager(
        ControllerManagerConfig(
            kubeconfig=running.kubeconfig,
            controllers=["nodeipam", "serviceaccount", "root-ca-cert-publisher"],
            leader_elect=False,
        )
    )
    manager_stop = asyncio.Event()
    manager_task = asyncio.get_running_loop().create_task(manager.run(manager_stop))
    tag = uuid.uuid4().hex[:6]
    net = Net(client, f"pyk8s-fabric-{tag}", tmp)
    try:
        for suffix in ("a", "b"):
            name = f"net-{tag}-{suffix}"
            net.nodes[name] = await start_node(client, name, tmp, net.fabric)
        yield net
    finally:
        for node in net.nodes.values():
            for worker in list(node.kubelet.workers.values()):
                await worker.stop()
                await worker._kill_all(grace=0)
                await worker.cleanup()
            if not node.task.done():
                await stop_node(node)
            await node.network.remove()
        for name in net.pod_netns:
            await delete_netns(name)
        manager_stop.set()
        await asyncio.wait_for(manager_task, 30)
        await client.aclose()
        await running.stop()
    leftovers = [
        n
        for n in [net.fabric, *(node_netns(name) for name in net.nodes), *net.pod_netns]
        if (NETNS_DIR / n).exists()
    ]
    assert leftovers == [], f"namespaces left behind: {leftovers}"
    after = root_namespace_state()
    assert after["addresses"] == before["addresses"] == []
    assert after["routes"] == before["routes"] == []
    assert not {"cni0", "pyk8s-nodes"} & set(after["links"])
    assert not [link for link in after["links"] if link.startswith("nd-")]
    assert after["tables"] == before["tables"]


def pod(name: str, node: str, command: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "nodeName": node,
            "containers": [{"name": "main", "image": "busybox", "command": ["sh", "-c", command]}],
            "terminationGracePeriodSeconds": 1,
            **spec,
        },
    }


async def wait_for(client: Client, name: str, check: Callable[[Obj], bool], timeout: float = 60) -> Obj:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        current = await client.get(PODS, name, namespace=NS)
        if check(current):
            return current
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"pod {name} never got there: {current.get('status')}")
        await asyncio.sleep(0.1)


def running(p: Obj) -> bool:
    status = p.get("status") or {}
    return status.get("phase") == "Running" and all(
        "running" in (c.get("state") or {}) for c in status.get("containerStatuses") or [{}]
    )


async def start_pod(net: Net, manifest: Obj) -> Obj:
    created = await net.client.create(PODS, manifest, namespace=NS)
    if not manifest["spec"].get("hostNetwork"):
        net.pod_netns.add(f"pyk8s-{created['metadata']['uid']}")
    return await wait_for(net.client, manifest["metadata"]["name"], running)


async def exec_in(net: Net, p: Obj, *args: str, timeout: float = 20) -> tuple[int, str]:
    node = net.nodes[p["spec"]["nodeName"]]
    cid = p["status"]["containerStatuses"][0]["containerID"].split("://", 1)[1]
    proc = await node.kubelet.runtime.exec(cid, list(args))
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode or 0, (out + err).decode()


def leases(node: Node) -> dict[str, str]:
    """host-local's leases on the node: address -> pod UID."""
    found = {}
    for path in (node.network.ipam_dir / "pyk8s").glob("*"):
        if path.name[0].isdigit():
            found[path.name] = path.read_text().splitlines()[0]
    return found


async def test_nodes_publish_their_node_address_and_get_pod_cidrs(net: Net) -> None:
    cidrs = []
    for name, node in net.nodes.items():
        obj = await net.client.get(NODES, name)
        address = internal_ip(obj)
        assert address == node.network.address == node.kubelet.config.node_ip
        assert ipaddress.ip_address(address) in NODE_NETWORK
        assert obj["spec"]["podCIDRs"] == [obj["spec"]["podCIDR"]] == [node.network.pod_cidr]
        assert ipaddress.ip_network(obj["spec"]["podCIDR"]).subnet_of(ipaddress.ip_network("10.244.0.0/16"))
        cidrs.append(obj["spec"]["podCIDR"])
        assert (NETNS_DIR / node_netns(name)).exists()
    assert len(set(cidrs)) == 2
    assert root_namespace_state()["addresses"] == []


async def test_pods_on_two_nodes_reach_each_other_by_pod_ip_without_nat(net: Net) -> None:
    a, b = net.names()
    setup = f"mkdir -p /www/cgi-bin && printf '{CGI}' > /www/cgi-bin/ip && chmod +x /www/cgi-bin/ip"
    server = await start_pod(net, pod("web-b", b, f"{setup} && exec httpd -f -p 0.0.0.0:8080 -h /www"))
    client = await start_pod(net, pod("client-a", a, "exec sleep 3600"))
    server_ip, client_ip = server["status"]["podIP"], client["status"]["podIP"]
    assert server["status"]["podIPs"] == [{"ip": server_ip}]
    assert ipaddress.ip_address(server_ip) in ipaddress.ip_network(net.nodes[b].network.pod_cidr)
    assert ipaddress.ip_address(client_ip) in ipaddress.ip_network(net.nodes[a].network.pod_cidr)
    assert client["status"]["hostIP"] == net.nodes[a].network.address

    code, out = await exec_in(net, client, "ping", "-c", "1", "-W", "5", server_ip)
    assert code == 0, out
    seen = ""
    # httpd may still be starting. (No `wget -T`: Debian's static busybox 1.35 crashes on it.)
    for _ in range(50):
        code, seen = await exec_in(
            net, client, "timeout", "10", "wget", "-q", "-O", "-", f"http://{server_ip}:8080/cgi-bin/ip"
        )
        if code == 0:
            break
        await asyncio.sleep(0.2)
    assert seen.strip() == client_ip  # the server saw the client's own pod IP: no NAT

    code, hosts = await exec_in(net, client, "cat", "/etc/hosts")
    assert f"{client_ip}\tclient-a" in hosts
    code, addr = await exec_in(net, client, "ip", "-4", "addr", "show", "eth0")
    assert client_ip in addr
    # Nothing outside the pod network answers: no default route leaves the node host.
    code, out = await exec_in(net, client, "ping", "-c", "1", "-W", "1", "10.244.250.1")
    assert code != 0
    assert root_namespace_state()["routes"] == []


async def test_the_api_server_relay_answers_on_the_node_address(net: Net) -> None:
    a = net.names()[0]
    node = net.nodes[a]
    client_pod = await wait_for(net.client, "client-a", running)
    host, port = node.network.api_server_address()
    assert node.network.relay is not None and node.network.relay.port == port
    # A process in the pod connects to the relay (busybox's TLS client cannot talk to the API
    # server's TLS versions, so only the connection is checked here)...
    command = f"nc -w 5 {node.network.address} {port} </dev/null"
    code, out = await exec_in(net, client_pod, "sh", "-c", command)
    assert code == 0, out
    # ...and a TLS request from inside the pod's namespace reaches the API server itself.
    netns = NETNS_DIR / f"pyk8s-{client_pod['metadata']['uid']}"
    response = await https_healthz_from(netns, node.network.address, port, net.client.config.ca_data, host)
    assert response.startswith(b"HTTP/1.1 200") and response.endswith(b"ok")


async def https_healthz_from(netns: Path, address: str, port: int, ca: bytes, server_hostname: str) -> bytes:
    """GET /healthz over TLS from a socket inside `netns` (the pod's view of the network)."""
    sock = await open_socket_in_netns(netns, socket.AF_INET)
    sock.setblocking(False)
    try:
        await asyncio.wait_for(asyncio.get_running_loop().sock_connect(sock, (address, port)), 5)
    except BaseException:
        sock.close()
        raise
    context = ssl.create_default_context(cadata=ca.decode())
    reader, writer = await asyncio.open_connection(sock=sock, ssl=context, server_hostname=server_hostname)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: kubernetes\r\nConnection: close\r\n\r\n")
    try:
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


async def test_a_pod_reaches_the_api_server_through_the_kubernetes_service(net: Net) -> None:
    run = pytest.importorskip("pyk8s.network.proxy.run")
    config = pytest.importorskip("pyk8s.network.proxy.config")
    a = net.names()[0]
    client_pod = await wait_for(net.client, "client-a", running)
    netns = NETNS_DIR / f"pyk8s-{client_pod['metadata']['uid']}"
    host, _ = net.nodes[a].network.api_server_address()
    stop = asyncio.Event()
    proxy = asyncio.get_running_loop().create_task(
        run.run_proxy(config.ProxyConfig(client_config=net.client.config, node_name=a), stop)
    )
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while True:  # until the proxy programmed the Service
            try:
                # the serving certificate names 127.0.0.1, not 10.96.0.1 (yet): verify as that
                response = await https_healthz_from(netns, "10.96.0.1", 443, net.client.config.ca_data, host)
                break
            except OSError:
                if proxy.done() or asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.2)
        assert response.startswith(b"HTTP/1.1 200") and response.endswith(b"ok")
    finally:
        stop.set()
        await asyncio.wait_for(proxy, 30)


async def test_host_network_pods_live_in_the_node_host(net: Net) -> None:
    a = net.names()[0]
    address = net.nodes[a].network.address
    p = await start_pod(net, pod("hostnet-a", a, "exec sleep 3600", hostNetwork=True))
    assert p["status"]["podIP"] == address
    code, out = await exec_in(net, p, "ip", "-4", "addr")
    assert code == 0 and f"{address}/16" in out
    assert all(local.startswith(("127.", "10.")) for local in _inet_addresses(out)), out
    await net.client.delete(PODS, "hostnet-a", namespace=NS)
    await _gone(net.client, "hostnet-a")
    assert (NETNS_DIR / node_netns(a)).exists()  # the node host stays


def _inet_addresses(text: str) -> list[str]:
    return [line.split()[1].split("/")[0] for line in text.splitlines() if line.strip().startswith("inet ")]


async def _gone(client: Client, name: str, timeout: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        pods = await client.list(PODS, namespace=NS)
        if name not in {p["metadata"]["name"] for p in pods["items"]}:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"pod {name} was never deleted")
        await asyncio.sleep(0.1)


async def test_addresses_are_released_on_deletion_and_kept_across_an_agent_restart(net: Net) -> None:
    a, b = net.names()
    client_pod = await wait_for(net.client, "client-a", running)
    client_ip, uid = client_pod["status"]["podIP"], client_pod["metadata"]["uid"]
    assert leases(net.nodes[a])[client_ip] == uid
    await net.client.delete(PODS, "client-a", namespace=NS)
    await _gone(net.client, "client-a")
    assert client_ip not in leases(net.nodes[a])
    assert net.nodes[a].network.cache.get(uid) is None
    assert not (NETNS_DIR / f"pyk8s-{uid}").exists()

    server = await wait_for(net.client, "web-b", running)
    server_ip = server["status"]["podIP"]
    await stop_node(net.nodes[b])
    net.nodes[b] = await start_node(net.client, b, net.tmp, net.fabric)
    assert net.nodes[b].network.address == internal_ip(await net.client.get(NODES, b))
    other = await start_pod(net, pod("other-b", b, "exec sleep 3600"))
    assert other["status"]["podIP"] != server_ip
    assert (await net.client.get(PODS, "web-b", namespace=NS))["status"]["podIP"] == server_ip
    assert sorted(leases(net.nodes[b])) == sorted({server_ip, other["status"]["podIP"]})
    # The restarted node host still routes: a new pod on node a reaches the server on node b.
    prober = await start_pod(net, pod("prober-a", a, "exec sleep 3600"))
    url = f"http://{server_ip}:8080/cgi-bin/ip"
    code, out = await exec_in(net, prober, "timeout", "10", "wget", "-q", "-O", "-", url)
    assert code == 0 and out.strip() == prober["status"]["podIP"], out


async def test_addresses_of_pods_deleted_while_the_agent_was_away_are_collected(net: Net) -> None:
    node = net.nodes[net.names()[0]]
    uid = str(uuid.uuid4())
    netns = f"pyk8s-{uid}"
    net.pod_netns.add(netns)
    await add_netns(netns)
    fake = {"metadata": {"name": "ghost", "namespace": NS, "uid": uid}}
    address = await node.network.setup_pod(fake, NETNS_DIR / netns)
    assert await node.network.setup_pod(fake, NETNS_DIR / netns) == address  # idempotent
    assert leases(node)[address] == uid
    live = {p["metadata"]["uid"] for p in (await net.client.list(PODS, namespace=NS))["items"]}
    assert await node.network.gc(live) == 1
    assert address not in leases(node) and node.network.cache.get(uid) is None
    assert await node.network.gc(live) == 0
    await delete_netns(netns)


async def test_routes_follow_the_nodes(net: Net) -> None:
    a, b = net.names()

    async def routes(node: str) -> list[str]:
        return (await ip("route", netns=node_netns(node))).splitlines()

    async def until(check: Callable[[], Any]) -> None:
        for _ in range(200):
            if await check():
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"routes never converged: {await routes(a)}")

    b_cidr, b_address = net.nodes[b].network.pod_cidr, net.nodes[b].network.address
    assert f"{b_cidr} via {b_address} dev eth0 proto static " in await routes(a)
    assert "unreachable 10.244.0.0/16 " in await routes(a)
    assert "unreachable 10.96.0.0/12 " in await routes(a)
    # A node that appears elsewhere (say, on another machine's fabric) gets a route...
    await net.client.create(
        NODES, {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "elsewhere"}, "spec": {}}
    )
    addresses = [{"type": "InternalIP", "address": "10.240.250.250"}]
    await net.client.patch_status(NODES, "elsewhere", {"status": {"addresses": addresses}})
    wanted = "via 10.240.250.250 dev eth0 proto static "

    async def present() -> bool:
        return any(line.endswith(wanted) for line in await routes(a))

    await until(present)
    # ...that goes with it.
    await net.client.delete(NODES, "elsewhere")

    async def absent() -> bool:
        return not await present()

    await until(absent)
    assert f"{b_cidr} via {b_address} dev eth0 proto static " in await routes(a)
