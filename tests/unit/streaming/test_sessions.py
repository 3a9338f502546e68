"""The node's stream sessions and the API server's relay, over real WebSockets on loopback
with local processes and TCP servers in place of containers (no root needed): exec with
and without a terminal, SPDY and channel port-forward, and the message pump."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import WSMsgType, web

from pyk8s.apiserver.proxy import pump_websockets
from pyk8s.node.streaming import channels, portforward, remotecommand, spdy

Handler = Callable[[web.WebSocketResponse, web.Request], Awaitable[None]]


@contextlib.asynccontextmanager
async def ws_server(handler: Handler, protocols: tuple[str, ...]) -> AsyncIterator[str]:
    """A loopback WebSocket server running `handler` on each connection; yields its URL."""

    async def serve(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(protocols=protocols, max_msg_size=0)
        await ws.prepare(request)
        await handler(ws, request)
        return ws

    app = web.Application()
    app.router.add_get("/", serve)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


async def collect(ws: aiohttp.ClientWebSocketResponse) -> dict[int, bytes]:
    """Every channel's bytes until the server closes."""
    out: dict[int, bytes] = {}
    async for message in ws:
        if message.type == WSMsgType.BINARY:
            channel, payload = channels.parse(message.data)
            out[channel] = out.get(channel, b"") + payload
    return out


async def exec_handler(command: list[str]) -> Handler:
    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        options = remotecommand.StreamOptions.from_query(request.query)
        proc = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        await remotecommand.run_exec(remotecommand.ChannelSocket(ws), options, proc)

    return handler


async def test_exec_v5_stdin_close_and_exit_status() -> None:
    handler = await exec_handler(["sh", "-c", "cat; echo to-err >&2; exit 3"])
    async with ws_server(handler, channels.SUPPORTED) as url, aiohttp.ClientSession() as session:
        query = "?command=x&stdin=true&stdout=true&stderr=true"
        async with session.ws_connect(url + query, protocols=[channels.V5, channels.V4]) as ws:
            assert ws.protocol == channels.V5
            await ws.send_bytes(channels.frame(channels.STDIN, b"hello\n"))
            await ws.send_bytes(bytes((channels.CLOSE, channels.STDIN)))  # stdin EOF (v5)
            out = await collect(ws)
    assert out[channels.STDOUT] == b"hello\n" and out[channels.STDERR] == b"to-err\n"
    status = json.loads(out[channels.ERROR])
    assert status["reason"] == "NonZeroExitCode" and status["details"]["causes"][0]["message"] == "3"


async def test_exec_v4_text_frames_and_success() -> None:
    # The Python client writes str data as text frames; v4 has no close signal, so the
    # command must end on its own.
    handler = await exec_handler(["sh", "-c", "read line; echo got $line"])
    async with (
        ws_server(handler, channels.SUPPORTED) as url,
        aiohttp.ClientSession() as session,
        session.ws_connect(url + "?stdin=true&stdout=true", protocols=[channels.V4]) as ws,
    ):
        await ws.send_str("\x00piped\n")
        out = await collect(ws)
    assert out[channels.STDOUT] == b"got piped\n"
    assert json.loads(out[channels.ERROR])["status"] == "Success"


async def test_exec_on_a_terminal_with_resize() -> None:
    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        master, slave = os.openpty()
        proc = await asyncio.create_subprocess_exec(
            "sh",
            "-c",
            "read go; stty size; exit 4",
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
        )
        os.close(slave)
        options = remotecommand.StreamOptions.from_query(request.query)
        await remotecommand.run_exec_tty(remotecommand.ChannelSocket(ws), options, proc, master)

    async with (
        ws_server(handler, channels.SUPPORTED) as url,
        aiohttp.ClientSession() as session,
        session.ws_connect(url + "?stdin=true&stdout=true&tty=true", protocols=[channels.V5]) as ws,
    ):
        await ws.send_bytes(channels.frame(channels.RESIZE, b'{"Width":91,"Height":33}'))
        await ws.send_bytes(channels.frame(channels.STDIN, b"go\n"))
        out = await collect(ws)
    assert b"33 91" in out[channels.STDOUT]
    assert json.loads(out[channels.ERROR])["details"]["causes"][0]["message"] == "4"


@contextlib.asynccontextmanager
async def echo_server(close_after_one: bool = False) -> AsyncIterator[int]:
    """A TCP server echoing what it reads (until EOF, or after one read)."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            writer.write(data.upper())
            await writer.drain()
            if close_after_one:
                break
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


async def local_connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


class SpdyClient:
    """kubectl's side of SPDY-in-WebSocket, enough to drive the node's session."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.codec = spdy.SpdyCodec()
        self.frames: list[spdy.Frame] = []

    async def send(self, data: bytes) -> None:
        await self.ws.send_bytes(data)

    async def until(self, done: Callable[[list[spdy.Frame]], bool]) -> list[spdy.Frame]:
        while not done(self.frames):
            message = await asyncio.wait_for(self.ws.receive(), 5)
            assert message.type == WSMsgType.BINARY, message
            self.frames += self.codec.feed(message.data)
        return self.frames


def fin_on(stream_id: int) -> Callable[[list[spdy.Frame]], bool]:
    return lambda frames: any(f.kind == 0 and f.stream_id == stream_id and f.fin for f in frames)


async def spdy_port_forward(url: str, body: Callable[[SpdyClient], Awaitable[None]]) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url, protocols=[channels.PORT_FORWARD_SPDY]) as ws,
    ):
        assert ws.protocol == channels.PORT_FORWARD_SPDY
        await body(SpdyClient(ws))


async def test_spdy_port_forward_pipes_both_ways_and_closes_streams() -> None:
    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        await portforward.SpdyPortForward(ws, local_connect, "web").run()

    async with echo_server() as port, ws_server(handler, (channels.PORT_FORWARD_SPDY,)) as url:

        async def body(client: SpdyClient) -> None:
            for request_id, (error_id, data_id) in enumerate(((1, 3), (5, 7))):  # two connections
                headers = {"port": str(port), "requestID": str(request_id)}
                await client.send(
                    client.codec.syn_stream(error_id, {"streamType": "error", **headers}, fin=True)
                )
                await client.send(client.codec.syn_stream(data_id, {"streamType": "data", **headers}))
                await client.send(client.codec.data(data_id, b"ping"))
                await client.send(client.codec.data(data_id, b"", fin=True))  # local side done
                frames = await client.until(fin_on(error_id))
                data = b"".join(f.data for f in frames if f.kind == 0 and f.stream_id == data_id)
                assert data == b"PING"
                replies = {f.stream_id for f in frames if f.kind == spdy.SYN_REPLY}
                assert {error_id, data_id} <= replies
                assert not any(f.data for f in frames if f.kind == 0 and f.stream_id == error_id)
            await client.send(client.codec.ping(9))
            frames = await client.until(lambda fs: any(f.kind == spdy.PING for f in fs))
            assert [f.ping_id for f in frames if f.kind == spdy.PING] == [9]

        await spdy_port_forward(url, body)


async def test_spdy_port_forward_reports_a_refused_port_on_the_error_stream() -> None:
    async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
        await portforward.SpdyPortForward(ws, local_connect, "web").run()

    async with echo_server() as port:
        pass  # the port is free again: connecting is refused
    async with ws_server(handler, (channels.PORT_FORWARD_SPDY,)) as url:

        async def body(client: SpdyClient) -> None:
            headers = {"port": str(port), "requestID": "0"}
            await client.send(client.codec.syn_stream(1, {"streamType": "error", **headers}, fin=True))
            await client.send(client.codec.syn_stream(3, {"streamType": "data", **headers}))
            frames = await client.until(fin_on(1))
            error = b"".join(f.data for f in frames if f.kind == 0 and f.stream_id == 1).decode()
            assert error.startswith(f"error forwarding port {port} to pod web") and "refused" in error

        await spdy_port_forward(url, body)


async def test_channel_port_forward() -> None:
    async with echo_server(close_after_one=True) as port:

        async def handler(ws: web.WebSocketResponse, request: web.Request) -> None:
            ports = portforward.parse_ports(request.query.getall("ports", []))
            await portforward.ChannelPortForward(ws, ports, local_connect, "web").run()

        async with (
            ws_server(handler, channels.SUPPORTED) as url,
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{url}?ports={port}", protocols=[channels.V4]) as ws,
        ):
            first = [await ws.receive_bytes(), await ws.receive_bytes()]
            assert first == [b"\x00" + channels.port_prefix(port), b"\x01" + channels.port_prefix(port)]
            await ws.send_bytes(b"\x00hello")
            out = await collect(ws)  # the pod side closed: the WebSocket closes too
    assert out == {0: b"HELLO"}
    with pytest.raises(ValueError):
        portforward.parse_ports(["80,0"])
    assert portforward.parse_ports(["80,8080", "9090"]) == [80, 8080, 9090]


async def test_the_relay_pumps_messages_and_the_close_code() -> None:
    async def node(ws: web.WebSocketResponse, request: web.Request) -> None:
        async for message in ws:
            if message.type == WSMsgType.BINARY:
                await ws.send_bytes(message.data[::-1])
                if message.data == b"bye":
                    await ws.close(code=4000)

    async with ws_server(node, (channels.V5,)) as node_url, aiohttp.ClientSession() as upstream_session:

        async def relay(ws: web.WebSocketResponse, request: web.Request) -> None:
            upstream = await upstream_session.ws_connect(node_url, protocols=[channels.V5])
            await pump_websockets(ws, upstream)

        async with (
            ws_server(relay, (channels.V5,)) as url,
            aiohttp.ClientSession() as session,
            session.ws_connect(url, protocols=[channels.V5]) as ws,
        ):
            await ws.send_bytes(b"abc")
            assert await ws.receive_bytes() == b"cba"
            await ws.send_bytes(b"bye")
            assert await ws.receive_bytes() == b"eyb"
            closing: Any = await ws.receive()
            assert closing.type == WSMsgType.CLOSE and ws.close_code == 4000
