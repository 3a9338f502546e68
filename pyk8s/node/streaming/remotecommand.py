"""exec and attach sessions over the channel protocol (`v5.channel.k8s.io`, `v4...`):
the client's WebSocket on one side, a process (`crun exec`) or a container's attach socket
on the other.

The node speaks the protocol; the API server only relays WebSocket messages, so these
sessions are what `kubectl exec` and `kubectl attach` talk to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import WSMessage, WSMsgType, web
from multidict import MultiMapping

from pyk8s.node.oci import shim
from pyk8s.node.streaming import channels

log = logging.getLogger("pyk8s.node.streaming")

READ_SIZE = 32 * 1024
# After the client leaves, a command gets this long to end (its stdin and terminal are
# closed) before it is killed, so an abandoned session never lingers.
ABANDON_GRACE = 5.0


@dataclass(frozen=True, slots=True)
class StreamOptions:
    """PodExecOptions / PodAttachOptions from the query string."""

    stdin: bool = False
    stdout: bool = False
    stderr: bool = False
    tty: bool = False
    command: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query: MultiMapping[str]) -> StreamOptions:
        def flag(name: str) -> bool:
            return (query.get(name) or "").lower() in ("true", "1")

        tty = flag("tty")
        return cls(
            stdin=flag("stdin"),
            stdout=flag("stdout"),
            stderr=flag("stderr") and not tty,  # a terminal has one output stream
            tty=tty,
            command=tuple(query.getall("command", [])),
        )


class ChannelSocket:
    """One side of the channel protocol: a server WebSocket with a negotiated protocol."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.v5 = ws.ws_protocol == channels.V5
        self.open = True

    async def send(self, channel: int, data: bytes) -> bool:
        """Send on `channel`; False once the client is gone."""
        if not self.open or self.ws.closed:
            return False
        try:
            await self.ws.send_bytes(channels.frame(channel, data))
        except (ConnectionError, RuntimeError):
            self.open = False
        return self.open

    async def finish(self, status: bytes) -> None:
        """The final Status on the error channel, then a normal close."""
        await self.send(channels.ERROR, status)
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.close()

    async def receive(
        self,
        on_stdin: Callable[[bytes], Awaitable[None]],
        on_close_stdin: Callable[[], Awaitable[None]],
        on_resize: Callable[[int, int], Awaitable[None]] | None = None,
    ) -> None:
        """Dispatch the client's messages until it closes the connection; stdin is
        considered closed then too."""
        try:
            async for message in self.ws:
                data = _message_bytes(message)
                if data is None:
                    continue
                channel, payload = channels.parse(data)
                if channel == channels.STDIN and payload:
                    await on_stdin(payload)
                elif channel == channels.RESIZE and on_resize is not None:
                    size = channels.parse_resize(payload)
                    if size is not None:
                        await on_resize(*size)
                elif channel == channels.CLOSE and self.v5 and payload[:1] == bytes((channels.STDIN,)):
                    await on_close_stdin()
        finally:
            self.open = False
            await on_close_stdin()


async def run_exec(sock: ChannelSocket, options: StreamOptions, proc: asyncio.subprocess.Process) -> None:
    """A command without a terminal: stdin, stdout and stderr on their channels, the exit
    code as the final Status."""
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    stdin = proc.stdin

    async def write_stdin(data: bytes) -> None:
        if not stdin.is_closing():
            with contextlib.suppress(ConnectionError):
                stdin.write(data)
                await stdin.drain()

    async def close_stdin() -> None:
        if not stdin.is_closing():
            stdin.close()

    if not options.stdin:
        stdin.close()
    receiving = asyncio.ensure_future(sock.receive(write_stdin, close_stdin))
    outputs = asyncio.gather(
        _pump(proc.stdout, sock, channels.STDOUT if options.stdout else None),
        _pump(proc.stderr, sock, channels.STDERR if options.stderr else None),
    )
    await _until_done_or_abandoned(outputs, receiving, sock, proc)
    await _finish(sock, proc, options, receiving)


async def run_exec_tty(
    sock: ChannelSocket, options: StreamOptions, proc: asyncio.subprocess.Process, master: int
) -> None:
    """A command on a terminal: one output stream, stdin and resizes to the terminal."""
    terminal = Terminal(master)

    async def resize(width: int, height: int) -> None:
        with contextlib.suppress(OSError):
            shim.set_window_size(master, width, height)

    async def close_stdin() -> None:
        await terminal.write(b"\x04")  # end of input on a terminal is ^D

    receiving = asyncio.ensure_future(
        sock.receive(terminal.write if options.stdin else _ignore, close_stdin, resize)
    )
    output = asyncio.ensure_future(terminal.pump(sock))
    try:
        await _until_done_or_abandoned(output, receiving, sock, proc)
    finally:
        terminal.close()  # hangs up whatever still uses the terminal
    await _finish(sock, proc, options, receiving)


async def run_attach(
    sock: ChannelSocket,
    options: StreamOptions,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
) -> None:
    """Attach to a container's main process through its shim: live output, stdin and
    resizes. Ends when the container exits or the client leaves."""

    async def send(kind: int, payload: bytes = b"") -> None:
        if not writer.is_closing():
            with contextlib.suppress(ConnectionError):
                writer.write(shim.frame(kind, payload))
                await writer.drain()

    async def write_stdin(data: bytes) -> None:
        await send(shim.STDIN, data)

    async def close_stdin() -> None:
        await send(shim.CLOSE_STDIN)

    async def resize(width: int, height: int) -> None:
        await send(shim.RESIZE, struct.pack(">HH", width, height))

    if options.stdin:
        await send(shim.STDIN)  # marks this session as the stdin user (stdinOnce)
    wanted = {shim.STDOUT: options.stdout, shim.STDERR: options.stderr}

    async def output() -> None:
        while True:
            try:
                header = await reader.readexactly(shim.FRAME.size)
                kind, length = shim.FRAME.unpack(header)
                payload = await reader.readexactly(length)
            except (asyncio.IncompleteReadError, ConnectionError):
                return  # the container exited
            if wanted.get(kind) and not await sock.send(kind, payload):
                return

    receiving = asyncio.ensure_future(
        sock.receive(
            write_stdin if options.stdin else _ignore, close_stdin if options.stdin else _nothing, resize
        )
    )
    streaming = asyncio.ensure_future(output())
    try:
        await asyncio.wait({receiving, streaming}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        streaming.cancel()
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    receiving.cancel()
    if sock.open:
        await sock.finish(channels.success())


def _message_bytes(message: WSMessage) -> bytes | None:
    """A data message's bytes: binary, or text (the Python client writes str data as text
    frames, whose first character is the channel)."""
    if message.type == WSMsgType.BINARY:
        return bytes(message.data)
    if message.type == WSMsgType.TEXT:
        return str(message.data).encode()
    return None


async def _ignore(_data: bytes) -> None:
    return None


async def _nothing() -> None:
    return None


async def _pump(stream: asyncio.StreamReader, sock: ChannelSocket, channel: int | None) -> None:
    """Copy a process pipe to a channel (or drain it when the client did not ask for it)."""
    while data := await stream.read(READ_SIZE):
        if channel is not None:
            await sock.send(channel, data)


async def _until_done_or_abandoned(
    output: asyncio.Future[object],
    receiving: asyncio.Future[None],
    sock: ChannelSocket,
    proc: asyncio.subprocess.Process,
) -> None:
    """Wait for the command's output to end; if the client leaves first, give the command
    a grace period (its stdin is closed) and then kill it."""
    await asyncio.wait({output, receiving}, return_when=asyncio.FIRST_COMPLETED)
    if not output.done():
        try:
            await asyncio.wait_for(asyncio.shield(output), ABANDON_GRACE)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            output.cancel()
    with contextlib.suppress(Exception, asyncio.CancelledError):
        await output


async def _finish(
    sock: ChannelSocket,
    proc: asyncio.subprocess.Process,
    options: StreamOptions,
    receiving: asyncio.Future[None],
) -> None:
    code = await proc.wait()
    if code < 0:  # crun itself died of a signal
        code = 128 - code
    receiving.cancel()
    if sock.open:
        status = channels.success() if code == 0 else channels.exit_code_status(code, list(options.command))
        await sock.finish(status)


class Terminal:
    """The master end of a terminal, read and written without blocking the loop."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        os.set_blocking(fd, False)
        self._loop = asyncio.get_running_loop()
        self._closed = False

    async def pump(self, sock: ChannelSocket) -> None:
        """Copy the terminal's output to the stdout channel until the command is gone."""
        while True:
            data = await self._read()
            if not data:
                return
            await sock.send(channels.STDOUT, data)

    async def _read(self) -> bytes:
        while not self._closed:
            try:
                return os.read(self.fd, READ_SIZE)
            except BlockingIOError:
                await self._readable()
            except OSError:  # EIO: every process using the terminal has exited
                return b""
        return b""

    async def _readable(self) -> None:
        ready = self._loop.create_future()
        self._loop.add_reader(self.fd, lambda: ready.done() or ready.set_result(None))
        try:
            await ready
        finally:
            self._loop.remove_reader(self.fd)

    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view and not self._closed:
            try:
                written = os.write(self.fd, view)
            except BlockingIOError:
                await asyncio.sleep(0.01)  # the terminal's input buffer is full
                continue
            except OSError:
                return
            view = view[written:]

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            os.close(self.fd)
