"""A throwaway node for exercising the proxy: tests and `bench/network.py` use it.

    node host namespace  <prefix>-node   cni0 10.244.0.1/24 (a bridge), node address
                                         10.240.0.1/32 (on lo), forwarding on, the service and
                                         load balancer ranges unreachable, the proxy's table
    pod namespaces       <prefix>-<pod>  eth0 10.244.0.N/24 on the bridge (hairpin on),
                                         default route via 10.244.0.1

Every address exists only inside these namespaces (nothing is added to the machine's own
namespace); `destroy()` deletes the namespaces, and their links go with them. Backends are
tiny HTTP servers on sockets opened inside a pod namespace that answer with the pod's name.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path

from pyk8s.network.addresses import LOAD_BALANCER_CIDR
from pyk8s.network.netns import (
    add_netns,
    delete_netns,
    ip,
    ip_batch,
    netns_path,
    open_socket_in_netns,
    sysctl,
)

NODE_ADDRESS = "10.240.0.1"
GATEWAY = "10.244.0.1"
SERVICE_RANGE = "10.96.0.0/12"
LOAD_BALANCER_RANGE = LOAD_BALANCER_CIDR


@dataclass
class Lab:
    """One node host namespace and pod namespaces on its bridge."""

    prefix: str = field(default_factory=lambda: f"pyk8s-t{secrets.token_hex(3)}")
    pods: dict[str, str] = field(default_factory=dict)  # pod name -> IP
    servers: list[asyncio.Server] = field(default_factory=list)

    @property
    def node(self) -> str:
        return f"{self.prefix}-node"

    def netns(self, pod: str) -> str:
        return f"{self.prefix}-{pod}"

    async def create(self, pods: list[str]) -> None:
        """The node host and one namespace per pod (10.244.0.2, .3, ... in order)."""
        await add_netns(self.node)
        await ip_batch(
            [
                "link add cni0 type bridge",
                f"addr add {GATEWAY}/24 dev cni0",
                "link set cni0 up",
                f"addr add {NODE_ADDRESS}/32 dev lo",
                f"route add unreachable {SERVICE_RANGE}",
                f"route add unreachable {LOAD_BALANCER_RANGE}",
            ],
            netns=self.node,
        )
        await sysctl(self.node, "net.ipv4.ip_forward", "1")
        for index, pod in enumerate(pods):
            address = f"10.244.0.{index + 2}"
            netns = self.netns(pod)
            await add_netns(netns)
            veth = f"v{index}"
            await ip(
                "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns, netns=self.node
            )
            await ip_batch(
                [
                    f"link set {veth} master cni0",
                    f"link set {veth} type bridge_slave hairpin on",
                    f"link set {veth} up",
                ],
                netns=self.node,
            )
            await ip_batch(
                [f"addr add {address}/24 dev eth0", "link set eth0 up", f"route add default via {GATEWAY}"],
                netns=netns,
            )
            self.pods[pod] = address

    async def destroy(self) -> None:
        """Stop the servers and delete every namespace (links go with them)."""
        for server in self.servers:
            server.close()
        for server in self.servers:
            with contextlib.suppress(Exception):
                await server.wait_closed()
        self.servers.clear()
        for pod in list(self.pods):
            await delete_netns(self.netns(pod))
        await delete_netns(self.node)

    async def serve(self, pod: str, port: int, body: str | None = None) -> None:
        """An HTTP server in `pod` on `port` answering every request with `body` (the pod's name)."""
        payload = (body if body is not None else pod).encode()
        response = b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(payload), payload)

        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(response)
                await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
                pass
            finally:
                writer.close()

        sock = await open_socket_in_netns(netns_path(self.netns(pod)))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("0.0.0.0", port))
        sock.listen(512)
        sock.setblocking(False)
        self.servers.append(await asyncio.start_server(answer, sock=sock))

    async def request(self, pod: str, address: str, port: int, *, timeout: float = 5.0) -> str:
        """GET / from inside `pod`; the answer's body. Connection refused raises
        `ConnectionRefusedError`."""
        return await request_in(netns_path(self.netns(pod)), address, port, timeout=timeout)


async def request_in(netns: Path, address: str, port: int, *, timeout: float = 5.0) -> str:
    """One HTTP/1.0 request from a socket in `netns`, on a new connection."""
    sock = await open_socket_in_netns(netns)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.sock_connect(sock, (address, port)), timeout)
        reader, writer = await asyncio.open_connection(sock=sock)
    except BaseException:
        sock.close()
        raise
    try:
        writer.write(b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.0 200"):
        raise ConnectionError(f"unexpected answer from {address}:{port}: {head[:60]!r}")
    return body.decode()
