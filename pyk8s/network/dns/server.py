"""`DnsServer`: DNS over UDP and TCP (RFC 1035/7766) for the cluster zone, with dnspython
for the wire format.

In-zone questions are answered synchronously from the `Zone` (no task, no await: the
datagram callback replies at once). Questions outside the zone go to the configured
upstream servers (UDP, then TCP when the answer is truncated) or, with none configured,
get REFUSED: the cluster DNS never sends a packet anywhere it was not told to.

Truncation: UDP answers are limited to 512 bytes, or to the client's EDNS payload size;
a larger answer is sent empty with TC set and the client retries over TCP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.opcode
import dns.rcode
import dns.rdataclass

from pyk8s.network.dns.netns import make_socket
from pyk8s.network.dns.records import ClusterView, Zone

log = logging.getLogger("pyk8s.network.dns")

EDNS_PAYLOAD = 1232  # the DNS flag day's safe UDP size
CLASSIC_UDP_LIMIT = 512
TCP_IDLE_SECONDS = 10.0
UPSTREAM_TIMEOUT_SECONDS = 2.0
CACHE_ENTRIES = 10_000  # distinct questions kept between zone changes


def parse_address(text: str, default_port: int = 53) -> tuple[str, int]:
    """`1.2.3.4`, `1.2.3.4:5353`, `[fd00::1]:53` or `fd00::1` as (host, port)."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default_port
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host, int(port)
    return text, default_port


@dataclass
class Listener:
    """One UDP socket and one TCP server on the same address (in some network namespace)."""

    host: str
    port: int
    netns: str | None
    udp: asyncio.DatagramTransport
    tcp: asyncio.Server

    async def aclose(self) -> None:
        self.udp.close()
        self.tcp.close()
        with contextlib.suppress(Exception):
            await self.tcp.wait_closed()


class DnsServer:
    """Answers from `zone` over `view`; forwards other names to `upstreams` (host, port)."""

    def __init__(
        self,
        zone: Zone,
        view: ClusterView,
        *,
        upstreams: Sequence[tuple[str, int]] = (),
        serial: Callable[[], int] = lambda: 1,
        synced: Callable[[], bool] = lambda: True,
        upstream_timeout: float = UPSTREAM_TIMEOUT_SECONDS,
    ) -> None:
        self.zone = zone
        self.view = view
        self.upstreams = list(upstreams)
        self.serial = serial
        self.synced = synced
        self.upstream_timeout = upstream_timeout
        self.listeners: list[Listener] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.queries = 0
        self.forwarded = 0
        self.errors = 0
        self.cache_hits = 0
        self._cache: dict[tuple[bool, bytes], bytes] = {}
        self._cache_serial = -1

    # message handling

    def answer(self, wire: bytes, *, udp: bool) -> bytes | dns.message.Message | None:
        """The reply to one query message: bytes to send, the parsed query when it must be
        forwarded, or None when nothing should be sent (not a query at all).

        In-zone replies are cached by the query's bytes after its id (flags, question, EDNS)
        until the zone's serial moves: a repeated question costs a dict lookup instead of
        parsing and rendering (dnspython takes a few hundred microseconds for both).
        """
        self.queries += 1
        serial = self.serial()
        if serial != self._cache_serial:
            self._cache.clear()
            self._cache_serial = serial
        key = (udp, wire[2:])
        cached = self._cache.get(key)
        if cached is not None:
            self.cache_hits += 1
            return wire[:2] + cached
        reply = self._answer(wire, udp=udp, serial=serial)
        if isinstance(reply, tuple):
            reply = reply[0]
            if len(self._cache) >= CACHE_ENTRIES:
                self._cache.clear()
            self._cache[key] = reply[2:]
        return reply

    def _answer(
        self, wire: bytes, *, udp: bool, serial: int
    ) -> bytes | tuple[bytes] | dns.message.Message | None:
        """`answer` without the cache; a reply worth caching comes as a 1-tuple."""
        try:
            query = dns.message.from_wire(wire)
        except dns.message.ShortHeader:
            return None
        except Exception:
            return _format_error(wire)
        if query.flags & dns.flags.QR:
            return None
        if query.opcode() != dns.opcode.QUERY:
            return self._reply(query, dns.rcode.NOTIMP, udp=udp)
        if len(query.question) != 1:
            return self._reply(query, dns.rcode.FORMERR, udp=udp)
        question = query.question[0]
        if question.rdclass not in (dns.rdataclass.IN, dns.rdataclass.ANY):
            return self._reply(query, dns.rcode.REFUSED, udp=udp)
        try:
            result = self.zone.resolve(question.name, question.rdtype, self.view, serial=serial)
        except Exception:
            self.errors += 1
            log.exception("answering %s %s", question.name, question.rdtype)
            return self._reply(query, dns.rcode.SERVFAIL, udp=udp)
        if result.outside:
            if self.upstreams:
                return query
            return self._reply(query, dns.rcode.REFUSED, udp=udp)
        if not self.synced():
            # An empty cache must not deny names that exist: ask again in a moment.
            return self._reply(query, dns.rcode.SERVFAIL, udp=udp)
        response = self._response(query)
        response.set_rcode(result.rcode)
        if result.authoritative:
            response.flags |= dns.flags.AA
        response.answer = result.answer
        response.authority = result.authority
        response.additional = result.additional
        return (self._encode(response, query, udp=udp),)

    async def handle(self, wire: bytes, *, udp: bool) -> bytes | None:
        """`answer`, forwarding when needed."""
        reply = self.answer(wire, udp=udp)
        if isinstance(reply, dns.message.Message):
            return await self.forward(reply, udp=udp)
        return reply

    async def forward(self, query: dns.message.Message, *, udp: bool) -> bytes:
        """Ask the upstreams in turn; SERVFAIL when none answers."""
        self.forwarded += 1
        for host, port in self.upstreams:
            try:
                response = await dns.asyncquery.udp(query, host, port=port, timeout=self.upstream_timeout)
                if response.flags & dns.flags.TC:
                    response = await dns.asyncquery.tcp(query, host, port=port, timeout=self.upstream_timeout)
            except (dns.exception.DNSException, OSError) as exc:
                log.debug("upstream %s:%d failed for %s: %r", host, port, query.question, exc)
                continue
            response.id = query.id
            return self._encode(response, query, udp=udp)
        return self._reply(query, dns.rcode.SERVFAIL, udp=udp)

    def _response(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(
            query, recursion_available=bool(self.upstreams), our_payload=EDNS_PAYLOAD
        )
        return response

    def _reply(self, query: dns.message.Message, rcode: int, *, udp: bool) -> bytes:
        response = self._response(query)
        response.set_rcode(rcode)
        return self._encode(response, query, udp=udp)

    @staticmethod
    def _encode(response: dns.message.Message, query: dns.message.Message, *, udp: bool) -> bytes:
        limit = 65535
        if udp:
            limit = max(CLASSIC_UDP_LIMIT, query.payload) if query.edns >= 0 else CLASSIC_UDP_LIMIT
        try:
            return response.to_wire(max_size=limit)
        except dns.exception.TooBig:
            response.answer, response.authority, response.additional = [], [], []
            response.flags |= dns.flags.TC
            return response.to_wire(max_size=limit)

    # transports

    async def listen(self, host: str, port: int, *, netns: str | None = None) -> Listener:
        """Serve UDP and TCP on `host:port` (port 0: one free port for both), with the
        sockets created in network namespace `netns` (None: this process's)."""
        loop = asyncio.get_running_loop()
        for _attempt in range(20):
            udp_sock = make_socket(socket.SOCK_DGRAM, (host, port), netns=netns)
            bound = udp_sock.getsockname()[1]
            try:
                tcp_sock = make_socket(socket.SOCK_STREAM, (host, bound), netns=netns, reuse_address=True)
            except OSError:
                udp_sock.close()
                if port:
                    raise
                continue  # the free UDP port is taken for TCP: try another
            break
        else:
            raise OSError(f"no port free for both UDP and TCP on {host}")
        udp_transport, _ = await loop.create_datagram_endpoint(lambda: _UdpProtocol(self), sock=udp_sock)
        tcp_server = await asyncio.start_server(self._serve_tcp, sock=tcp_sock)
        listener = Listener(host, bound, netns, udp_transport, tcp_server)  # type: ignore[arg-type]
        self.listeners.append(listener)
        log.info("serving DNS on %s:%d (udp, tcp)%s", host, bound, f" in netns {netns}" if netns else "")
        return listener

    async def close_listener(self, listener: Listener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)
        await listener.aclose()

    async def aclose(self) -> None:
        for listener in list(self.listeners):
            await self.close_listener(listener)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _spawn(self, coro: object) -> None:
        task = asyncio.ensure_future(coro)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                async with asyncio.timeout(TCP_IDLE_SECONDS):
                    header = await reader.readexactly(2)
                    data = await reader.readexactly(int.from_bytes(header, "big"))
                reply = await self.handle(data, udp=False)
                if reply is None:
                    break
                writer.write(len(reply).to_bytes(2, "big") + reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, server: DnsServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        reply = self.server.answer(data, udp=True)
        if isinstance(reply, dns.message.Message):
            self.server._spawn(self._forward(reply, addr))
        elif reply is not None and self.transport is not None:
            self.transport.sendto(reply, addr)

    async def _forward(self, query: dns.message.Message, addr: tuple[str, int]) -> None:
        reply = await self.server.forward(query, udp=True)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(reply, addr)

    def error_received(self, exc: Exception) -> None:
        log.debug("udp: %r", exc)


def _format_error(wire: bytes) -> bytes | None:
    """FORMERR for a message whose header parsed but whose body did not."""
    if len(wire) < 12:
        return None
    flags = int.from_bytes(wire[2:4], "big")
    if flags & dns.flags.QR:
        return None
    response = dns.message.Message(id=int.from_bytes(wire[:2], "big"))
    response.flags = dns.flags.QR | (flags & dns.flags.RD)
    response.set_rcode(dns.rcode.FORMERR)
    return response.to_wire()
