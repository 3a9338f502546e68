"""Liveness, readiness and startup probes (exec, httpGet over HTTP or HTTPS following
same-host redirects, tcpSocket, grpc), run as the kubelet runs them: inside the pod's
network namespace, with the probe's timing fields and the kubelet's messages."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import functools
import ipaddress
import logging
import os
import secrets
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from pyk8s._aio.clock import Clock
from pyk8s.api.protobuf import length_delimited, wire_fields

log = logging.getLogger("pyk8s.node.probes")

Obj = dict[str, Any]
CLONE_NEWNET = 0x40000000
USER_AGENT = "kube-probe/1.36"
MAX_BODY = 10 * 1024
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _socket_in_netns(netns: str | None, family: int) -> socket.socket:
    """A TCP socket created inside the network namespace at `netns` (the calling thread
    enters it only for the socket() call)."""
    if not netns:
        return socket.socket(family, socket.SOCK_STREAM)
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open(netns, os.O_RDONLY)
    try:
        if _libc.setns(target, CLONE_NEWNET) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"setns {netns}: {os.strerror(errno)}")
        try:
            return socket.socket(family, socket.SOCK_STREAM)
        finally:
            if _libc.setns(own, CLONE_NEWNET) != 0:
                # A thread stuck in the pod's namespace must not serve anyone else.
                os._exit(70)
    finally:
        os.close(own)
        os.close(target)


async def open_connection_in_netns(
    netns: str | None, host: str, port: int, timeout: float, *, tls: ssl.SSLContext | None = None
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A TCP connection to `host:port` as seen from inside the pod's network namespace
    (with `tls`, a TLS session over it, the handshake within the same timeout)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = await asyncio.to_thread(_socket_in_netns, netns, family)
    sock.setblocking(False)
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        await asyncio.wait_for(loop.sock_connect(sock, (host, port)), timeout)
        if tls is None:
            return await asyncio.open_connection(sock=sock)
        return await asyncio.wait_for(
            asyncio.open_connection(sock=sock, ssl=tls, server_hostname="" if _is_ip(host) else host),
            max(deadline - loop.time(), 0.001),
        )
    except BaseException:
        sock.close()
        raise


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@functools.cache
def insecure_tls() -> ssl.SSLContext:
    """TLS without certificate verification, as the kubelet's HTTPS probes do (one context,
    built once, serves every probe)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["http/1.1"])
    return context


@dataclass(slots=True)
class ProbeResult:
    """One probe run: success, and what the kubelet would report on failure, or with
    `warning`, on a success it warns about (an httpGet probe redirected to another host:
    the kubelet's ProbeWarning event)."""

    ok: bool
    message: str = ""
    warning: bool = False


def _port(value: Any, container: Obj) -> int:
    if isinstance(value, int):
        return value
    if str(value).isdigit():
        return int(value)
    for port in container.get("ports") or []:
        if port.get("name") == value:
            return int(port["containerPort"])
    raise ValueError(f"unknown port name {value!r}")


# httpGet: GET over HTTP/1.1 on connections made inside the pod's network namespace,
# following redirects as the kubelet's prober does: Go's http.Client with the kubelet's
# redirect checker (liveness, readiness and startup probes follow no redirect to another
# host). The whole chain, the last body included, shares the probe's timeout.

MAX_REDIRECTS = 10  # Go's limit: the tenth redirect in a row fails the probe
FOLLOWED = frozenset({301, 302, 303, 307, 308})  # any other 3xx is a final answer
DEFAULT_PORTS = {"http": 80, "https": 443}
AWAITING_HEADERS = "(Client.Timeout exceeded while awaiting headers)"
READING_BODY = "context deadline exceeded (Client.Timeout or context cancellation while reading body)"
BROKEN = "net/http: HTTP/1.x transport connection broken"
MALFORMED = f"{BROKEN}: malformed HTTP response"


class _HTTPError(Exception):
    """A request that got no usable answer; the text is Go's error after `Get "url": `."""


@dataclass(slots=True)
class _Response:
    code: int
    headers: dict[str, str]  # lower-case names, the first value of each
    reader: asyncio.StreamReader


def _canonical(name: str) -> str:
    """A header name as Go's http.Header stores it ("x-custom-id" -> "X-Custom-Id")."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def _join_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _probe_url(scheme: str, host: str, port: int, path: str) -> str:
    """The URL an httpGet probe requests, built as the kubelet builds it: the path (which
    may carry a query) always starts with a slash; an IPv6 host is bracketed."""
    parts = urlsplit(path)
    target = parts.path if parts.path.startswith("/") else "/" + parts.path
    if parts.query:
        target += "?" + parts.query
    return f"{scheme}://{_join_host_port(host, port)}{target}"


def _request_target(parts: SplitResult) -> str:
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    return f"{target}?{parts.query}" if parts.query else target


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Chain:
    """The requests of one httpGet probe: the first one, then each redirect followed.

    `headers` are the probe's (`Host` and `User-Agent` taken out: Go writes those from the
    request itself). `phase` and `url` say where a timeout struck, for its message."""

    def __init__(self, netns: str | None, url: str, headers: list[tuple[str, str]]) -> None:
        self.netns = netns
        self.url = url
        self.phase = "dial"
        self.address = ""
        # Go takes the first value of each: an empty User-Agent sends none
        hosts = [value for name, value in headers if name == "Host"]
        agents = [value for name, value in headers if name == "User-Agent"]
        self.host_header = hosts[0] if hosts else ""
        self.user_agent = agents[0] if agents else USER_AGENT
        explicit = [(name, value) for name, value in headers if name not in ("Host", "User-Agent")]
        names = {name for name, _ in explicit}
        if "Accept" not in names:
            explicit.append(("Accept", "*/*"))
        elif next(value for name, value in explicit if name == "Accept") == "":
            explicit = [(name, value) for name, value in explicit if name != "Accept"]
        self.headers = explicit
        self.has_referer = "Referer" in names

    async def run(self) -> ProbeResult:
        """Follow the chain to its last answer (raises TimeoutError, _HTTPError)."""
        first_host = urlsplit(self.url).hostname
        referer = ""
        for sent in range(1, MAX_REDIRECTS + 1):
            response, writer = await self._send(referer)
            try:
                location = response.headers.get("location", "")
                if response.code not in FOLLOWED or not location:
                    return await self._verdict(response)
                try:
                    target = urljoin(self.url, location)
                    target_host = urlsplit(target).hostname
                except ValueError as err:
                    raise _HTTPError(
                        f"failed to parse Location header {_go_quote(location)}: {err}"
                    ) from None
                if target_host != first_host:
                    return await self._verdict(response)  # not followed: a success with a warning
                if sent == MAX_REDIRECTS:
                    self.url = location  # Go names the Location it refused
                    raise _HTTPError(f"stopped after {MAX_REDIRECTS} redirects")
            finally:
                writer.close()
            # A custom Host survives relative redirects only (Go's rule); the Referer is
            # the previous URL unless that would leak an https URL to http.
            current = urlsplit(self.url)
            if not self.host_header or self.host_header == current.netloc or urlsplit(location).scheme:
                self.host_header = ""
            referer = "" if current.scheme == "https" and target.startswith("http:") else self.url
            self.url = target.partition("#")[0]
        raise AssertionError("unreachable: the last request returns or raises")

    async def _send(self, referer: str) -> tuple[_Response, asyncio.StreamWriter]:
        """One GET of `self.url` on a connection of its own (`Connection: close`): the
        answer's status line and headers are read, its body is left on the reader."""
        parts = urlsplit(self.url)
        if parts.scheme not in DEFAULT_PORTS:
            raise _HTTPError(f"unsupported protocol scheme {_go_quote(parts.scheme)}")
        host = parts.hostname or ""
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError as err:
            raise _HTTPError(str(err)) from None
        self.phase, self.address = "dial", _join_host_port(host, port)
        lines = [f"GET {_request_target(parts)} HTTP/1.1", f"Host: {self.host_header or parts.netloc}"]
        if self.user_agent:
            lines.append(f"User-Agent: {self.user_agent}")
        lines += [f"{name}: {value}" for name, value in self.headers]
        if referer and not self.has_referer:
            lines.append(f"Referer: {referer}")
        lines.append("Connection: close")
        tls = insecure_tls() if parts.scheme == "https" else None
        try:
            # no timeout of its own: the chain's deadline (see http_get) bounds it
            reader, writer = await open_connection_in_netns(self.netns, host, port, 1e9, tls=tls)
        except ssl.SSLError as err:
            raise _HTTPError(_reason(err)) from None
        except OSError as err:
            raise _HTTPError(f"dial tcp {self.address}: connect: {_reason(err)}") from None
        self.phase = "headers"
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", errors="replace"))
            await writer.drain()
            return await _read_head(reader), writer
        except OSError as err:
            writer.close()
            raise _HTTPError(_reason(err)) from None
        except BaseException:
            writer.close()
            raise

    async def _verdict(self, response: _Response) -> ProbeResult:
        self.phase = "body"
        try:
            body = await _read_body(response)
        except _HTTPError as err:
            return ProbeResult(False, str(err))  # the kubelet's message has no URL here
        if 300 <= response.code < 400:
            text = body.decode(errors="replace")
            return ProbeResult(True, f"Probe terminated redirects, Response body: {text}", warning=True)
        if 200 <= response.code < 300:
            return ProbeResult(True)
        return ProbeResult(False, f"HTTP probe failed with statuscode: {response.code}")

    def timed_out(self) -> ProbeResult:
        """The kubelet's message for the probe's timeout striking in the current phase."""
        if self.phase == "body":
            return ProbeResult(False, READING_BODY)
        if self.phase == "dial":
            return ProbeResult(
                False, f'Get "{self.url}": dial tcp {self.address}: i/o timeout {AWAITING_HEADERS}'
            )
        return ProbeResult(False, f'Get "{self.url}": context deadline exceeded {AWAITING_HEADERS}')


async def _read_head(reader: asyncio.StreamReader) -> _Response:
    """The status line and headers; informational (1xx) answers are skipped, as Go does."""
    while True:
        try:
            line = await reader.readline()
        except ValueError:  # no line end within the stream's limit
            raise _HTTPError(MALFORMED) from None
        if not line:
            raise _HTTPError("EOF")
        status = line.decode("latin-1").rstrip("\r\n")
        version, _, rest = status.partition(" ")
        code = rest[:3]
        if not version.startswith("HTTP/") or not code.isdigit() or rest[3:4] not in ("", " "):
            raise _HTTPError(f"{MALFORMED} {_go_quote(status)}")
        headers: dict[str, str] = {}
        while True:
            try:
                field = (await reader.readline()).decode("latin-1").rstrip("\r\n")
            except ValueError:
                raise _HTTPError(MALFORMED) from None
            if not field:
                break
            name, _, value = field.partition(":")
            headers.setdefault(name.strip().lower(), value.strip())
        if not 100 <= int(code) < 200 or int(code) == 101:
            return _Response(int(code), headers, reader)


async def _read_body(response: _Response) -> bytes:
    """At most MAX_BODY bytes of the body, as the kubelet reads (the rest is not waited
    for). Raises _HTTPError when the body ends early."""
    if response.code in (204, 304):
        return b""
    reader, headers = response.reader, response.headers
    body = bytearray()
    try:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            while len(body) < MAX_BODY:
                size_line = (await reader.readline()).split(b";", 1)[0].strip()
                if not size_line:
                    raise asyncio.IncompleteReadError(b"", None)
                size = int(size_line, 16)
                wanted = min(size, MAX_BODY - len(body))
                if size == 0:
                    break
                body += await reader.readexactly(wanted)
                if wanted < size:
                    break  # the limit: the rest of the chunk is not waited for
                await reader.readexactly(2)  # the chunk's CRLF
        elif "content-length" in headers:
            length = headers["content-length"]
            if not length.isdigit():
                raise _HTTPError(f"{BROKEN}: bad Content-Length {_go_quote(length)}")
            body += await reader.readexactly(min(int(length), MAX_BODY))
        else:  # the end of the connection ends the body
            while len(body) < MAX_BODY and (chunk := await reader.read(MAX_BODY - len(body))):
                body += chunk
    except asyncio.IncompleteReadError:
        raise _HTTPError("unexpected EOF") from None
    except ValueError:
        raise _HTTPError("net/http: invalid byte in chunk length") from None
    except OSError as err:
        raise _HTTPError(_reason(err)) from None
    return bytes(body[:MAX_BODY])


async def http_get(probe: Obj, container: Obj, netns: str | None, pod_ip: str, timeout: float) -> ProbeResult:
    """An httpGet probe: 200 <= status < 400 succeeds.

    Redirects (301, 302, 303, 307, 308 with a Location) to the same host name are followed,
    whatever the port or scheme; the tenth in a row fails the probe. A redirect to another
    host is not followed and ends the probe with a success carrying a warning (as the
    kubelet's probes, which follow only "local" redirects)."""
    spec = probe["httpGet"]
    host = spec.get("host") or pod_ip or "127.0.0.1"
    port = _port(spec.get("port"), container)
    scheme = (spec.get("scheme") or "HTTP").lower()
    url = _probe_url(scheme, host, port, spec.get("path") or "")
    headers = [(_canonical(h["name"]), h.get("value", "")) for h in spec.get("httpHeaders") or []]
    chain = _Chain(netns, url, headers)
    try:
        async with asyncio.timeout(timeout):
            return await chain.run()
    except TimeoutError:
        return chain.timed_out()
    except _HTTPError as err:
        return ProbeResult(False, f'Get "{chain.url}": {err}')


async def tcp_socket(
    probe: Obj, container: Obj, netns: str | None, pod_ip: str, timeout: float
) -> ProbeResult:
    """A tcpSocket probe: the connection opens."""
    spec = probe["tcpSocket"]
    host = spec.get("host") or pod_ip or "127.0.0.1"
    port = _port(spec.get("port"), container)
    try:
        _, writer = await open_connection_in_netns(netns, host, port, timeout)
    except (OSError, TimeoutError) as err:
        return ProbeResult(False, f"dial tcp {host}:{port}: connect: {_reason(err)}")
    writer.close()
    return ProbeResult(True)


# gRPC: the standard health service, called through grpcio (already installed for the
# etcd client). grpcio opens its sockets in threads of its own, which cannot enter the pod's
# network namespace, so it talks to a relay on an abstract unix socket of the agent, and the
# relay dials the pod from inside the namespace.

GRPC_HEALTH_CHECK = "/grpc.health.v1.Health/Check"
SERVING_STATUS = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}


def health_check_request(service: str) -> bytes:
    """A `grpc.health.v1.HealthCheckRequest` (field 1: the service name) in protobuf."""
    return length_delimited(1, service.encode()) if service else b""


def health_check_status(message: bytes) -> int:
    """The `status` (field 1, an enum) of a `grpc.health.v1.HealthCheckResponse`; other
    fields are skipped by wire type (a malformed message raises ValueError)."""
    status = 0
    for number, wire_type, value in wire_fields(message):
        if number == 1 and wire_type == 0:
            status = value
    return status


class _NetnsRelay:
    """An abstract unix socket of the agent whose connections are joined to `host:port`
    dialled inside `netns`; remembers the last dial error for the probe's message."""

    def __init__(self, netns: str | None, host: str, port: int, timeout: float) -> None:
        self.netns, self.host, self.port, self.timeout = netns, host, port, timeout
        self.name = f"pyk8s-probe-{secrets.token_hex(8)}"
        self.dial_error: BaseException | None = None
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._done = asyncio.Event()
        self._open = 0

    async def __aenter__(self) -> _NetnsRelay:
        self._server = await asyncio.start_unix_server(self._serve, path="\0" + self.name)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        # Closing the streams ends the pumps (a cancelled handler would be logged by asyncio).
        for writer in list(self._writers):
            writer.close()
        if self._open:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._done.wait(), 1.0)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open += 1
        self._done.clear()
        self._writers.add(writer)
        try:
            try:
                up_reader, up_writer = await open_connection_in_netns(
                    self.netns, self.host, self.port, self.timeout
                )
            except (OSError, TimeoutError) as err:
                self.dial_error = err
                return
            self._writers.add(up_writer)
            try:
                await asyncio.gather(_pump(reader, up_writer), _pump(up_reader, writer))
            finally:
                up_writer.close()
                self._writers.discard(up_writer)
        finally:
            writer.close()
            self._writers.discard(writer)
            self._open -= 1
            if not self._open:
                self._done.set()


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
        if not writer.is_closing() and writer.can_write_eof():
            writer.write_eof()
    except (OSError, RuntimeError):  # the other side is gone, or the relay closed it (uvloop)
        writer.close()


def _grpc_check(target: str, authority: str, request: bytes, timeout: float) -> tuple[bytes | None, str, str]:
    """One blocking Health/Check call: (response, "", "") or (None, status code name, details)."""
    import grpc  # imported on the first gRPC probe only: nothing else on the node needs it

    options = [
        ("grpc.default_authority", authority),
        ("grpc.primary_user_agent", USER_AGENT),
        ("grpc.enable_retries", 0),
    ]
    with grpc.insecure_channel(target, options=options) as channel:
        check = channel.unary_unary(GRPC_HEALTH_CHECK)  # bytes in, bytes out
        try:
            return check(request, timeout=timeout), "", ""
        except grpc.RpcError as err:
            # a failed call is also a grpc.Call, which carries the status
            code = err.code() if isinstance(err, grpc.Call) else None
            details = err.details() if isinstance(err, grpc.Call) else str(err)
            return None, code.name if code is not None else "UNKNOWN", details or ""


async def grpc_health(probe: Obj, netns: str | None, pod_ip: str, timeout: float) -> ProbeResult:
    """A grpc probe: `grpc.health.v1.Health/Check` for `service` must answer SERVING."""
    spec = probe["grpc"]
    host = pod_ip or "127.0.0.1"  # grpc probes have no host field: always the pod's address
    port = int(spec.get("port"))
    address = f"{host}:{port}"
    request = health_check_request(spec.get("service") or "")
    async with _NetnsRelay(netns, host, port, timeout) as relay:
        response, code, details = await asyncio.to_thread(
            _grpc_check, f"unix-abstract:{relay.name}", address, request, timeout
        )
    if response is None:
        if relay.dial_error is not None:
            reason = _reason(relay.dial_error)
            return ProbeResult(
                False, f'timeout: failed to connect service "{address}" within {timeout:g}s: {reason}'
            )
        if code == "UNIMPLEMENTED":
            return ProbeResult(
                False,
                f"this server does not implement the grpc health protocol (grpc.health.v1.Health): {details}",
            )
        if code == "DEADLINE_EXCEEDED":
            return ProbeResult(False, f"timeout: health rpc did not complete within {timeout:g}s")
        return ProbeResult(False, f"error: health rpc probe failed: {code}: {details}")
    try:
        status = health_check_status(response)
    except ValueError as err:
        return ProbeResult(False, f"error: health rpc probe failed: {err}")
    if status != 1:
        return ProbeResult(
            False, f'service unhealthy (responded with "{SERVING_STATUS.get(status, status)}")'
        )
    return ProbeResult(True)


def _reason(err: BaseException) -> str:
    if isinstance(err, TimeoutError):
        return "i/o timeout"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


ExecRunner = Callable[
    [list[str], float], Awaitable[tuple[int, bytes]]
]  # (command, timeout) -> (code, output)


async def run_probe(
    probe: Obj, container: Obj, *, netns: str | None, pod_ip: str, exec_runner: ExecRunner
) -> ProbeResult:
    """Run `probe` once."""
    timeout = float(probe.get("timeoutSeconds") or 1)
    try:
        if "exec" in probe:
            command = list((probe["exec"] or {}).get("command") or [])
            try:
                code, output = await exec_runner(command, timeout)
            except TimeoutError:
                return ProbeResult(False, f"command timed out after {timeout:g}s")
            if code == 0:
                return ProbeResult(True)
            text = output.decode(errors="replace").strip()
            return ProbeResult(False, text or f"command {command!r} exited with {code}")
        if "httpGet" in probe:
            return await http_get(probe, container, netns, pod_ip, timeout)
        if "tcpSocket" in probe:
            return await tcp_socket(probe, container, netns, pod_ip, timeout)
        if "grpc" in probe:
            return await grpc_health(probe, netns, pod_ip, timeout)
    except ValueError as err:
        return ProbeResult(False, str(err))
    return ProbeResult(False, "the probe has no handler")


class ProbeWorker:
    """Runs one probe of one container on its schedule and keeps its verdict.

    `result` starts False for readiness and startup, True for liveness (as the kubelet's
    initial values); it flips after successThreshold successes or failureThreshold
    failures in a row. `on_change(kind, result)` is called when it flips, and
    `on_warning(kind, message)` after each success that carries a warning (where the
    kubelet records a ProbeWarning event; without it the warning is logged).
    """

    def __init__(
        self,
        kind: str,
        probe: Obj,
        run: Callable[[], Awaitable[ProbeResult]],
        on_change: Callable[[str, bool, str], None],
        clock: Clock,
        on_warning: Callable[[str, str], None] | None = None,
    ) -> None:
        self.kind = kind
        self.probe = probe
        self._run = run
        self._on_change = on_change
        self._on_warning = on_warning
        self.clock = clock
        self.result = kind == "liveness"
        self.message = ""
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop(), name=f"probe-{self.kind}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _loop(self) -> None:
        period = float(self.probe.get("periodSeconds") or 10)
        success_needed = int(self.probe.get("successThreshold") or 1)
        failure_needed = int(self.probe.get("failureThreshold") or 3)
        await self.clock.sleep(float(self.probe.get("initialDelaySeconds") or 0))
        successes = failures = 0
        while True:
            outcome = await self._run()
            if outcome.ok:
                successes, failures = successes + 1, 0
                if outcome.warning:
                    self._warn(outcome.message)
                if not self.result and successes >= success_needed:
                    self._flip(True, "")
            else:
                failures, successes = failures + 1, 0
                if self.result and failures >= failure_needed:
                    self._flip(False, outcome.message)
                self.message = outcome.message
            if self.kind == "startup" and self.result:
                return  # a startup probe stops once it has succeeded
            await self.clock.sleep(period)

    def _warn(self, message: str) -> None:
        if self._on_warning is not None:
            self._on_warning(self.kind, message)
        else:
            log.info("%s probe succeeded with a warning: %s", self.kind, message)

    def _flip(self, value: bool, message: str) -> None:
        changed = value != self.result
        self.result = value
        self.message = message
        if changed:
            self._on_change(self.kind, value, message)
