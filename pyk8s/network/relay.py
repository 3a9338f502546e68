"""The API server relay: how pods reach an API server that listens on the machine's loopback.

The node agent opens a listening socket inside its node host namespace, on the node
address and the API server's port, and pipes every connection to the API server on the
machine's 127.0.0.1. TLS passes through untouched (the pod talks to the API server
itself). No address is added to the machine's root namespace, and the API server keeps
listening on loopback only.

The `kubernetes` Service's endpoint names the API server on a loopback address; the
service proxy of a node sends it to this relay (`<node address>:<same port>`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from pathlib import Path

from pyk8s.network.netns import open_socket_in_netns

log = logging.getLogger("pyk8s.network.relay")

CHUNK = 64 * 1024
BACKLOG = 256


class ApiServerRelay:
    """Listens on `address:port` in the namespace at `netns`; forwards to `target`."""

    def __init__(self, netns: Path, address: str, port: int, target: tuple[str, int]) -> None:
        self.netns = netns
        self.address = address
        self.port = port
        self.target = target
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        sock = await open_socket_in_netns(self.netns, socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.address, self.port))
            sock.listen(BACKLOG)
            sock.setblocking(False)
            self._server = await asyncio.start_server(self._serve, sock=sock)
        except BaseException:
            sock.close()
            raise
        log.info("API server relay on %s:%d -> %s:%d", self.address, self.port, *self.target)

    async def aclose(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if server is not None:
            await server.wait_closed()  # waits for open connections too (3.12+): cancelled above

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            try:
                up_reader, up_writer = await asyncio.open_connection(*self.target)
            except OSError as err:
                log.warning("API server relay: cannot reach %s:%d: %s", *self.target, err)
                return
            try:
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
            finally:
                up_writer.close()
                with contextlib.suppress(OSError):
                    await up_writer.wait_closed()
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            self._tasks.discard(task)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Copy until end of stream, then half-close the other side (TLS close_notify and
    HTTP/1.0 clients rely on it)."""
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        writer.close()
