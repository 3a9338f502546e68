"""Port-forward sessions: TCP connections to ports inside a pod, carried over the client's
WebSocket in one of two protocols (WIRE.md §9.6).

- `SPDY/3.1+portforward.k8s.io` (kubectl ≥ 1.31): SPDY/3.1 frames inside binary WebSocket
  messages. Each local connection opens an error stream and a data stream sharing a
  `requestID` and naming the `port`; the node connects, pipes DATA both ways, writes any
  failure on the error stream and closes both (FIN).
- the channel protocol with `?ports=` (the Python client): port i uses channel 2i for data
  and 2i+1 for errors; the first message on each channel is the port, 2 bytes little
  endian. One connection per port, opened at once; the WebSocket closes when all are done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from pyk8s.node.streaming import channels, spdy

log = logging.getLogger("pyk8s.node.streaming")

READ_SIZE = 32 * 1024
Connect = Callable[[int], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]


def parse_ports(values: list[str]) -> list[int]:
    """Ports from `ports=` query values (repeated or comma-separated); ValueError if bad."""
    ports: list[int] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            port = int(item)
            if not 0 < port < 65536:
                raise ValueError(f"port {port} is out of range")
            ports.append(port)
    return ports


def forward_error(port: int, pod: str, err: BaseException) -> str:
    """What the client is told when the pod's port cannot be reached (Go's dial wording)."""
    prefix = f"error forwarding port {port} to pod {pod}"
    if isinstance(err, ConnectionRefusedError):
        return f"{prefix}: dial tcp4 127.0.0.1:{port}: connect: connection refused"
    if isinstance(err, TimeoutError):
        return f"{prefix}: dial tcp4 127.0.0.1:{port}: i/o timeout"
    return f"{prefix}: {getattr(err, 'strerror', None) or str(err) or type(err).__name__}"


@dataclass(eq=False)
class _Pair:
    """The two SPDY streams of one forwarded connection."""

    request_id: str
    error_id: int = 0
    data_id: int = 0
    port: int = 0
    port_text: str = ""
    inbound: asyncio.Queue[bytes | None] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None

    @property
    def complete(self) -> bool:
        return bool(self.error_id and self.data_id)


class SpdyPortForward:
    """Serves kubectl's SPDY-in-WebSocket port-forward on one WebSocket."""

    def __init__(self, ws: web.WebSocketResponse, connect: Connect, pod: str) -> None:
        self.ws = ws
        self.connect = connect
        self.pod = pod
        self.codec = spdy.SpdyCodec()
        self.pairs: dict[str, _Pair] = {}
        self.by_stream: dict[int, _Pair] = {}
        self._send_lock = asyncio.Lock()

    async def run(self) -> None:
        """Until the client closes the WebSocket (or sends GOAWAY)."""
        try:
            async for message in self.ws:
                if message.type != WSMsgType.BINARY:
                    continue
                try:
                    frames = self.codec.feed(message.data)
                except spdy.SpdyProtocolError as err:
                    log.info("port-forward to %s: %s", self.pod, err)
                    break
                for frame in frames:
                    if not await self._on_frame(frame):
                        return
        finally:
            for pair in list(self.pairs.values()):
                if pair.task is not None:
                    pair.task.cancel()
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.close()

    async def _send(self, build: Callable[[], bytes]) -> bool:
        # Header blocks share one compression context: frames are built and sent in order.
        async with self._send_lock:
            if self.ws.closed:
                return False
            try:
                await self.ws.send_bytes(build())
            except (ConnectionError, RuntimeError):
                return False
            return True

    async def _on_frame(self, frame: spdy.Frame) -> bool:
        if frame.kind == spdy.SYN_STREAM:
            await self._on_syn_stream(frame)
        elif frame.kind == 0:
            pair = self.by_stream.get(frame.stream_id)
            if pair is not None and frame.stream_id == pair.data_id:
                if frame.data:
                    pair.inbound.put_nowait(frame.data)
                if frame.fin:
                    pair.inbound.put_nowait(None)
        elif frame.kind == spdy.RST_STREAM:
            pair = self.by_stream.get(frame.stream_id)
            if pair is not None:
                self._forget(pair)
        elif frame.kind == spdy.PING:
            await self._send(lambda: self.codec.ping(frame.ping_id))
        elif frame.kind == spdy.GOAWAY:
            return False
        return True

    async def _on_syn_stream(self, frame: spdy.Frame) -> None:
        stream_id = frame.stream_id
        await self._send(lambda: self.codec.syn_reply(stream_id))
        request_id = frame.header("requestID")
        pair = self.pairs.get(request_id)
        if pair is None:
            pair = self.pairs[request_id] = _Pair(request_id)
        kind = frame.header("streamType")
        if kind == "error":
            pair.error_id = stream_id
        elif kind == "data":
            pair.data_id = stream_id
            pair.port_text = frame.header("port")
        else:
            await self._send(lambda: self.codec.rst_stream(stream_id, spdy.PROTOCOL_ERROR))
            return
        self.by_stream[stream_id] = pair
        if pair.complete and pair.task is None:
            pair.task = asyncio.get_running_loop().create_task(self._forward(pair))

    def _forget(self, pair: _Pair) -> None:
        self.pairs.pop(pair.request_id, None)
        self.by_stream.pop(pair.error_id, None)
        self.by_stream.pop(pair.data_id, None)
        if pair.task is not None and not pair.task.done():
            pair.task.cancel()

    async def _forward(self, pair: _Pair) -> None:
        try:
            try:
                pair.port = int(pair.port_text)
                if not 0 < pair.port < 65536:
                    raise ValueError
            except ValueError:
                await self._fail(pair, f'invalid port "{pair.port_text}"')
                return
            try:
                reader, writer = await self.connect(pair.port)
            except (OSError, TimeoutError) as err:
                await self._fail(pair, forward_error(pair.port, self.pod, err))
                return
            upstream = asyncio.ensure_future(_drain_queue(pair.inbound, writer))
            try:
                while data := await reader.read(READ_SIZE):
                    if not await self._send(lambda d=data: self.codec.data(pair.data_id, d)):
                        break
                await self._send(lambda: self.codec.data(pair.data_id, b"", fin=True))
                await self._send(lambda: self.codec.data(pair.error_id, b"", fin=True))
                await upstream  # until the client closes its side too
            finally:
                upstream.cancel()
                writer.close()
        except ConnectionError:
            await self._send(lambda: self.codec.data(pair.error_id, b"", fin=True))
        finally:
            self._forget(pair)

    async def _fail(self, pair: _Pair, message: str) -> None:
        await self._send(lambda: self.codec.data(pair.error_id, message.encode(), fin=True))
        await self._send(lambda: self.codec.data(pair.data_id, b"", fin=True))


async def _drain_queue(queue: asyncio.Queue[bytes | None], writer: asyncio.StreamWriter) -> None:
    """Client bytes to the pod's port; the client's FIN half-closes the connection."""
    while (data := await queue.get()) is not None:
        writer.write(data)
        await writer.drain()
    if writer.can_write_eof():
        writer.write_eof()


class ChannelPortForward:
    """Serves the channel-based port-forward (`?ports=`) on one WebSocket."""

    def __init__(self, ws: web.WebSocketResponse, ports: list[int], connect: Connect, pod: str) -> None:
        self.ws = ws
        self.ports = ports
        self.connect = connect
        self.pod = pod
        self.queues: list[asyncio.Queue[bytes | None]] = [asyncio.Queue() for _ in ports]

    async def _send(self, channel: int, data: bytes) -> bool:
        if self.ws.closed:
            return False
        try:
            await self.ws.send_bytes(channels.frame(channel, data))
        except (ConnectionError, RuntimeError):
            return False
        return True

    async def run(self) -> None:
        """Until every port's connection has ended or the client leaves."""
        for index, port in enumerate(self.ports):
            await self._send(2 * index, channels.port_prefix(port))
            await self._send(2 * index + 1, channels.port_prefix(port))
        forwards = asyncio.gather(*(self._forward(i, port) for i, port in enumerate(self.ports)))
        receiving = asyncio.ensure_future(self._receive())
        try:
            await asyncio.wait({forwards, receiving}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            forwards.cancel()
            receiving.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await forwards
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.close()

    async def _receive(self) -> None:
        async for message in self.ws:
            if message.type not in (WSMsgType.BINARY, WSMsgType.TEXT):
                continue
            data = message.data if message.type == WSMsgType.BINARY else str(message.data).encode()
            channel, payload = channels.parse(data)
            if channel == channels.CLOSE and payload:
                index = payload[0]
                if index % 2 == 0 and index // 2 < len(self.queues):
                    self.queues[index // 2].put_nowait(None)
            elif 0 <= channel < 2 * len(self.ports) and channel % 2 == 0 and payload:
                self.queues[channel // 2].put_nowait(payload)

    async def _forward(self, index: int, port: int) -> None:
        try:
            reader, writer = await self.connect(port)
        except (OSError, TimeoutError) as err:
            await self._send(2 * index + 1, forward_error(port, self.pod, err).encode())
            return
        upstream = asyncio.ensure_future(_drain_queue(self.queues[index], writer))
        try:
            while data := await reader.read(READ_SIZE):
                if not await self._send(2 * index, data):
                    break
        except ConnectionError:
            pass
        finally:
            upstream.cancel()
            writer.close()
