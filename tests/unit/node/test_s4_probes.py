"""gRPC and HTTPS probes (issue 8) against real servers on loopback, from the host's network
namespace (netns None, as on the process runtime): the standard gRPC health service answering
each status, a server without it, a closed port, and an HTTPS server with a self-signed
certificate the probe does not verify."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import pytest
from aiohttp import web

from pyk8s.node.kubelet.probes import (
    GRPC_HEALTH_CHECK,
    health_check_request,
    health_check_status,
    run_probe,
)
from pyk8s.node.kubelet.server import ensure_serving_certificate

Obj = dict[str, Any]
STATUSES = {"": 1, "ready": 1, "draining": 2, "odd": 3}  # service -> ServingStatus


async def _no_exec(command: list[str], timeout: float) -> tuple[int, bytes]:
    raise AssertionError("no exec expected")


async def probe(spec: Obj, timeout: int = 5) -> tuple[bool, str]:
    result = await run_probe(
        {**spec, "timeoutSeconds": timeout},
        {"name": "c"},
        netns=None,
        pod_ip="127.0.0.1",
        exec_runner=_no_exec,
    )
    return result.ok, result.message


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _health_server(handlers: dict[str, Callable[[bytes, Any], bytes]]) -> tuple[grpc.Server, int]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    generic = grpc.method_handlers_generic_handler(
        "grpc.health.v1.Health",
        {name: grpc.unary_unary_rpc_method_handler(h) for name, h in handlers.items()},
    )
    server.add_generic_rpc_handlers((generic,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def _check(request: bytes, context: Any) -> bytes:
    service = request[2:].decode() if request else ""  # field 1, one-byte length (short names)
    if service not in STATUSES:
        context.abort(grpc.StatusCode.NOT_FOUND, "unknown service")
    return b"\x08" + bytes([STATUSES[service]])


@pytest.fixture
def health() -> Iterator[int]:
    server, port = _health_server({"Check": _check})
    try:
        yield port
    finally:
        server.stop(0)


def test_health_messages_round_trip() -> None:
    assert health_check_request("") == b""
    assert health_check_request("ready") == b"\x0a\x05ready"
    assert health_check_status(b"") == 0
    assert health_check_status(b"\x08\x02") == 2
    # unknown fields of every wire type are skipped
    assert health_check_status(b"\x12\x02hi\x08\x01\x19" + bytes(8) + b"\x25" + bytes(4)) == 1
    assert GRPC_HEALTH_CHECK == "/grpc.health.v1.Health/Check"


async def test_grpc_probe_reads_the_serving_status(health: int) -> None:
    assert await probe({"grpc": {"port": health}}) == (True, "")
    assert await probe({"grpc": {"port": health, "service": "ready"}}) == (True, "")
    assert await probe({"grpc": {"port": health, "service": "draining"}}) == (
        False,
        'service unhealthy (responded with "NOT_SERVING")',
    )
    ok, message = await probe({"grpc": {"port": health, "service": "missing"}})
    assert not ok and message == "error: health rpc probe failed: NOT_FOUND: unknown service"


async def test_grpc_probe_without_the_health_service_or_a_server() -> None:
    server, port = _health_server({"Watch": _check})  # the service exists, Check does not
    try:
        ok, message = await probe({"grpc": {"port": port}})
    finally:
        server.stop(0)
    assert not ok and message.startswith("this server does not implement the grpc health protocol")
    closed = free_port()
    ok, message = await probe({"grpc": {"port": closed}}, timeout=2)
    assert not ok
    assert message == f'timeout: failed to connect service "127.0.0.1:{closed}" within 2s: connection refused'


@pytest.fixture
async def https(tmp_path: Path) -> AsyncIterator[int]:
    import ssl

    cert, key = ensure_serving_certificate(tmp_path, "probe-test", "127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))

    async def handle(request: web.Request) -> web.Response:
        if request.path == "/healthz" and request.headers.get("User-Agent", "").startswith("kube-probe/"):
            return web.Response(text="ok")
        return web.Response(status=503, text="no")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port, ssl_context=context)
    await site.start()
    try:
        yield port
    finally:
        await runner.cleanup()


async def test_https_probe_does_not_verify_the_certificate(https: int) -> None:
    spec = {"httpGet": {"scheme": "HTTPS", "port": https, "path": "/healthz"}}
    assert await probe(spec) == (True, "")
    failing = {"httpGet": {"scheme": "HTTPS", "port": https, "path": "/other"}}
    assert await probe(failing) == (False, "HTTP probe failed with statuscode: 503")
    # plain HTTP to the TLS port gets no HTTP answer, and HTTPS to a closed port is refused
    ok, _ = await probe({"httpGet": {"scheme": "HTTP", "port": https, "path": "/healthz"}})
    assert not ok
    closed = free_port()
    ok, message = await probe({"httpGet": {"scheme": "HTTPS", "port": closed}})
    assert (
        not ok
        and message
        == f'Get "https://127.0.0.1:{closed}/": dial tcp 127.0.0.1:{closed}: connect: connection refused'
    )


def test_grpc_probe_on_uvloop(health: int, caplog: pytest.LogCaptureFixture) -> None:
    """The node agent runs on uvloop: the relay works there and ends its connections without
    asyncio logging an error."""
    import uvloop

    async def main() -> list[tuple[bool, str]]:
        return [
            await probe({"grpc": {"port": health}}),
            await probe({"grpc": {"port": health, "service": "odd"}}),
        ]

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        results = uvloop.run(main())
    assert results == [(True, ""), (False, 'service unhealthy (responded with "SERVICE_UNKNOWN")')]
    assert not [r for r in caplog.records if r.name == "asyncio"], caplog.text
