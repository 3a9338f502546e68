"""httpGet probes follow redirects as the kubelet's prober does, against real HTTP and HTTPS
servers on loopback (netns None: the host's network namespace, as on the process runtime):
same-host redirects of every followed code, relative Locations, the 10-redirect limit, a
redirect to another host (a success with a warning), the Host and Referer headers, the
scheme changing, one timeout for the whole chain, and the response body limit."""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from pyk8s._aio.clock import FakeClock
from pyk8s.node.kubelet.probes import MAX_BODY, ProbeResult, ProbeWorker, run_probe
from pyk8s.node.kubelet.server import ensure_serving_certificate

Obj = dict[str, Any]
AWAITING_HEADERS = "(Client.Timeout exceeded while awaiting headers)"


@dataclass
class Route:
    """What the test server answers on one path."""

    status: int = 200
    location: str | None = None
    body: str = ""
    delay: float = 0.0  # seconds before answering
    hang_body: bool = False  # send the headers, then hold the body back


@dataclass
class Server:
    """A loopback HTTP(S) server answering from `routes` and recording every request."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((request.path_qs, dict(request.headers)))
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="no route")
        if route.delay:
            await asyncio.sleep(route.delay)
        if route.hang_body:
            response = web.StreamResponse(status=route.status, headers={"Content-Length": "100"})
            await response.prepare(request)
            await response.write(b"x" * 10)
            # held until the test ends (bounded, should the teardown never come)
            await asyncio.wait_for(self.release.wait(), 60)
            return response
        headers = {"Location": route.location} if route.location is not None else {}
        return web.Response(status=route.status, headers=headers, text=route.body)


async def _serve(
    tls: ssl.SSLContext | None = None,
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]] | None = None,
) -> AsyncIterator[Server]:
    """A `Server` on a free loopback port (`handler`, when given, answers every request)."""
    server = Server()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler or server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls)
    await site.start()
    server.port = int(runner.addresses[0][1])
    try:
        yield server
    finally:
        server.release.set()
        await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[Server]:
    async for server in _serve():
        yield server


@pytest.fixture
async def other() -> AsyncIterator[Server]:
    """A second server on the same host name, another port."""
    async for server in _serve():
        yield server


@pytest.fixture
async def https(tmp_path: Path) -> AsyncIterator[Server]:
    cert, key = ensure_serving_certificate(tmp_path, "probe-test", "127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    async for server in _serve(context):
        yield server


async def _no_exec(command: list[str], timeout: float) -> tuple[int, bytes]:
    raise AssertionError("no exec expected")


async def probe(port: int, path: str, *, timeout: int = 10, **http_get: Any) -> ProbeResult:
    spec = {"httpGet": {"port": port, "path": path, **http_get}, "timeoutSeconds": timeout}
    return await run_probe(spec, {"name": "c"}, netns=None, pod_ip="127.0.0.1", exec_runner=_no_exec)


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
async def test_same_host_redirects_are_followed_to_the_final_answer(http: Server, code: int) -> None:
    http.routes.update(
        {
            "/start": Route(code, "/ok", "moved"),
            "/to-fail": Route(code, f"http://127.0.0.1:{http.port}/fail"),
            "/ok": Route(200, body="fine"),
            "/fail": Route(500, body="broken"),
        }
    )
    assert await probe(http.port, "/start") == ProbeResult(True)
    assert http.paths() == ["/start", "/ok"]
    assert await probe(http.port, "/to-fail") == ProbeResult(False, "HTTP probe failed with statuscode: 500")
    assert http.paths()[2:] == ["/to-fail", "/fail"]


async def test_relative_locations_resolve_against_the_current_url(http: Server) -> None:
    http.routes.update(
        {
            "/a/b": Route(302, "c?x=1"),  # a relative path: /a/c
            "/a/c": Route(302, "../d/e"),
            "/d/e": Route(307, f"//127.0.0.1:{http.port}/f"),  # scheme-relative, same host
            "/f": Route(200),
        }
    )
    assert await probe(http.port, "a/b") == ProbeResult(True)  # the path gets its leading slash
    assert http.paths() == ["/a/b", "/a/c?x=1", "/d/e", "/f"]


async def test_a_redirect_to_another_port_of_the_same_host_is_followed(http: Server, other: Server) -> None:
    other.routes["/ok"] = Route(200)
    http.routes["/start"] = Route(302, f"http://127.0.0.1:{other.port}/ok")
    assert await probe(http.port, "/start") == ProbeResult(True)
    assert other.paths() == ["/ok"]


async def test_the_tenth_redirect_in_a_row_fails_the_probe(http: Server) -> None:
    http.routes["/loop"] = Route(302, "/loop")
    result = await probe(http.port, "/loop")
    assert result == ProbeResult(False, 'Get "/loop": stopped after 10 redirects')
    assert http.paths() == ["/loop"] * 10
    # nine redirects and a final answer: ten requests, within the limit
    for hop in range(1, 11):
        http.routes[f"/hop/{hop}"] = Route(301, f"/hop/{hop - 1}")
    http.routes["/hop/0"] = Route(200)
    assert await probe(http.port, "/hop/9") == ProbeResult(True)
    assert (await probe(http.port, "/hop/10")).message == 'Get "/hop/0": stopped after 10 redirects'


async def test_a_redirect_to_another_host_succeeds_with_a_warning(http: Server) -> None:
    http.routes["/start"] = Route(302, f"http://localhost:{http.port}/ok", body="gone over there")
    http.routes["/ok"] = Route(200)
    result = await probe(http.port, "/start")
    assert result == ProbeResult(True, "Probe terminated redirects, Response body: gone over there", True)
    assert http.paths() == ["/start"]  # localhost is another host name: not followed


@pytest.mark.parametrize(
    "route",
    [
        Route(302, None, "no location"),  # nothing to follow
        Route(300, "/ok", "choices"),  # not a code Go follows
    ],
)
async def test_a_3xx_that_is_not_followed_is_a_success_with_a_warning(http: Server, route: Route) -> None:
    http.routes.update({"/start": route, "/ok": Route(200)})
    result = await probe(http.port, "/start")
    assert result == ProbeResult(True, f"Probe terminated redirects, Response body: {route.body}", True)
    assert http.paths() == ["/start"]


async def test_host_and_referer_headers_through_redirects(http: Server) -> None:
    http.routes.update(
        {
            "/relative": Route(302, "/ok"),
            "/absolute": Route(302, f"http://127.0.0.1:{http.port}/ok"),
            "/ok": Route(200),
        }
    )
    headers = [{"name": "host", "value": "probe.example"}, {"name": "X-Probe", "value": "1"}]
    assert await probe(http.port, "/relative", httpHeaders=headers) == ProbeResult(True)
    assert await probe(http.port, "/absolute", httpHeaders=headers) == ProbeResult(True)
    seen = [(path, h["Host"], h.get("Referer"), h["X-Probe"], h["User-Agent"]) for path, h in http.requests]
    first = f"http://127.0.0.1:{http.port}"
    agent = seen[0][4]
    assert agent.startswith("kube-probe/")
    assert seen == [
        ("/relative", "probe.example", None, "1", agent),
        ("/ok", "probe.example", f"{first}/relative", "1", agent),  # kept on a relative redirect
        ("/absolute", "probe.example", None, "1", agent),
        ("/ok", f"127.0.0.1:{http.port}", f"{first}/absolute", "1", agent),  # the Location's own
    ]


async def test_redirects_between_http_and_https(http: Server, https: Server) -> None:
    http.routes["/to-tls"] = Route(302, f"https://127.0.0.1:{https.port}/secure")
    http.routes["/ok"] = Route(200)
    https.routes.update(
        {
            "/secure": Route(200),
            "/relative": Route(308, "/secure"),
            "/to-plain": Route(302, f"http://127.0.0.1:{http.port}/ok"),
        }
    )
    assert await probe(http.port, "/to-tls") == ProbeResult(True)
    assert await probe(https.port, "/relative", scheme="HTTPS") == ProbeResult(True)
    assert await probe(https.port, "/to-plain", scheme="HTTPS") == ProbeResult(True)
    assert https.paths() == ["/secure", "/relative", "/secure", "/to-plain"]
    assert https.requests[0][1]["Referer"] == f"http://127.0.0.1:{http.port}/to-tls"
    assert "Referer" not in http.requests[-1][1]  # an https URL is not leaked to http


async def test_failures_on_the_way(http: Server) -> None:
    closed = await _closed_port()
    http.routes.update(
        {
            "/closed": Route(302, f"http://127.0.0.1:{closed}/x"),
            "/ftp": Route(302, "ftp://127.0.0.1/file"),
        }
    )
    refused = await probe(http.port, "/closed")
    assert refused == ProbeResult(
        False, f'Get "http://127.0.0.1:{closed}/x": dial tcp 127.0.0.1:{closed}: connect: connection refused'
    )
    scheme = await probe(http.port, "/ftp")
    assert scheme == ProbeResult(False, 'Get "ftp://127.0.0.1/file": unsupported protocol scheme "ftp"')


async def _closed_port() -> int:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    server.close()
    await server.wait_closed()
    return port


async def test_one_timeout_covers_the_whole_chain(http: Server) -> None:
    """Each hop answers well within the timeout; together they do not."""
    for hop in range(4):
        http.routes[f"/slow/{hop}"] = Route(302, f"/slow/{hop + 1}", delay=0.6)
    http.routes["/slow/4"] = Route(200)
    result = await probe(http.port, "/slow/0", timeout=1)
    assert not result.ok
    assert result.message.startswith('Get "http://127.0.0.1:') and result.message.endswith(AWAITING_HEADERS)


async def test_a_body_that_never_ends_times_out_while_reading(http: Server) -> None:
    http.routes["/start"] = Route(302, "/hang")
    http.routes["/hang"] = Route(200, hang_body=True)
    # the headers of both answers must arrive within the timeout, even on a loaded machine
    result = await probe(http.port, "/start", timeout=4)
    assert result == ProbeResult(
        False, "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
    )


async def test_the_response_body_is_read_up_to_10k(http: Server) -> None:
    big = "".join(chr(ord("a") + i % 26) for i in range(3 * MAX_BODY))
    http.routes["/big"] = Route(302, f"http://localhost:{http.port}/", body=big)
    result = await probe(http.port, "/big")
    assert result.ok and result.warning
    assert result.message == "Probe terminated redirects, Response body: " + big[:MAX_BODY]


async def test_a_chunked_body_is_decoded(http: Server) -> None:
    async def chunked(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(status=301, headers={"Location": "http://elsewhere.example/"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for part in (b"moved ", b"in ", b"chunks"):
            await response.write(part)
        await response.write_eof()
        return response

    async for server in _serve(handler=chunked):
        result = await probe(server.port, "/")
    assert result == ProbeResult(True, "Probe terminated redirects, Response body: moved in chunks", True)


def test_redirects_on_uvloop(caplog: pytest.LogCaptureFixture) -> None:
    """The node agent runs on uvloop: the chain (and its timeout) work there too."""
    import uvloop

    async def main() -> ProbeResult:
        async for server in _serve():
            server.routes.update({"/start": Route(302, "/ok"), "/ok": Route(200)})
            return await probe(server.port, "/start")
        raise AssertionError("no server")

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        assert uvloop.run(main()) == ProbeResult(True)
    assert not [r for r in caplog.records if r.name == "asyncio"], caplog.text


async def test_the_worker_reports_warnings_of_successful_runs() -> None:
    clock = FakeClock()
    warnings: list[tuple[str, str]] = []
    changes: list[tuple[str, bool, str]] = []

    async def run() -> ProbeResult:
        return ProbeResult(True, "Probe terminated redirects, Response body: x", warning=True)

    worker = ProbeWorker(
        "readiness",
        {"periodSeconds": 10},
        run,
        lambda kind, ok, message: changes.append((kind, ok, message)),
        clock,
        on_warning=lambda kind, message: warnings.append((kind, message)),
    )
    worker.start()
    try:
        for _ in range(200):  # until the first run has happened (no wall-clock wait)
            if clock.sleepers and warnings:
                break
            await asyncio.sleep(0)
        assert worker.result is True
        assert changes == [("readiness", True, "")]
        assert warnings == [("readiness", "Probe terminated redirects, Response body: x")]
    finally:
        await worker.stop()


MALFORMED = "net/http: HTTP/1.x transport connection broken: malformed HTTP response"


@pytest.mark.parametrize(
    ("answer", "hold", "expected"),
    [
        pytest.param(b"", False, (False, 'Get "{url}": EOF'), id="closed-at-once"),
        pytest.param(b"garbage\r\n", True, (False, f'Get "{{url}}": {MALFORMED} "garbage"'), id="not-http"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort",
            False,
            (False, "unexpected EOF"),
            id="short-body",
        ),
        pytest.param(
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
            True,
            (True, ""),
            id="1xx-skipped",
        ),
        pytest.param(
            # an endless chunk: the probe reads its 10 KiB and does not wait for the rest
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffff\r\n" + b"y" * (2 * MAX_BODY),
            True,
            (True, ""),
            id="endless-body",
        ),
    ],
)
async def test_raw_answers(answer: bytes, hold: bool, expected: tuple[bool, str]) -> None:
    """Answers no HTTP library would send, from a raw TCP server; with `hold` it keeps the
    connection open until the probe has returned."""
    done = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(answer)
            await writer.drain()
            if hold:
                await asyncio.wait_for(done.wait(), 60)
        except (OSError, asyncio.IncompleteReadError):
            pass  # the probe left first
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    try:
        result = await probe(port, "/raw", timeout=5)
    finally:
        done.set()
        server.close()
        await server.wait_closed()
    ok, message = expected
    assert (result.ok, result.message) == (ok, message.format(url=f"http://127.0.0.1:{port}/raw"))
