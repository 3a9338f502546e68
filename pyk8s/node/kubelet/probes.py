"""Liveness, readiness and startup probes (exec, httpGet, tcpSocket), run as the kubelet
runs them: inside the pod's network namespace, with the probe's timing fields."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pyk8s._aio.clock import Clock

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
    netns: str | None, host: str, port: int, timeout: float
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A TCP connection to `host:port` as seen from inside the pod's network namespace."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = await asyncio.to_thread(_socket_in_netns, netns, family)
    sock.setblocking(False)
    try:
        loop = asyncio.get_running_loop()
        await asyncio.wait_for(loop.sock_connect(sock, (host, port)), timeout)
        return await asyncio.open_connection(sock=sock)
    except BaseException:
        sock.close()
        raise


@dataclass(slots=True)
class ProbeResult:
    """One probe run: success, and what the kubelet would report on failure."""

    ok: bool
    message: str = ""


def _port(value: Any, container: Obj) -> int:
    if isinstance(value, int):
        return value
    if str(value).isdigit():
        return int(value)
    for port in container.get("ports") or []:
        if port.get("name") == value:
            return int(port["containerPort"])
    raise ValueError(f"unknown port name {value!r}")


async def http_get(probe: Obj, container: Obj, netns: str | None, pod_ip: str, timeout: float) -> ProbeResult:
    """An httpGet probe: 200 <= status < 400 succeeds."""
    spec = probe["httpGet"]
    host = spec.get("host") or pod_ip or "127.0.0.1"
    port = _port(spec.get("port"), container)
    path = spec.get("path") or "/"
    if (spec.get("scheme") or "HTTP").upper() == "HTTPS":
        return ProbeResult(False, "HTTPS probes are not supported on this node")
    headers = {"Host": f"{host}:{port}", "User-Agent": USER_AGENT, "Accept": "*/*", "Connection": "close"}
    for header in spec.get("httpHeaders") or []:
        headers[header["name"]] = header.get("value", "")
    request = f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    url = f"http://{host}:{port}{path}"
    try:
        reader, writer = await open_connection_in_netns(netns, host, port, timeout)
    except (OSError, TimeoutError) as err:
        return ProbeResult(False, f'Get "{url}": dial tcp {host}:{port}: connect: {_reason(err)}')
    try:
        writer.write(request.encode())
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        parts = status_line.decode("latin-1").split()
        code = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0
    except (OSError, TimeoutError, ValueError) as err:
        return ProbeResult(False, f'Get "{url}": {_reason(err)}')
    finally:
        writer.close()
    if 200 <= code < 400:
        return ProbeResult(True)
    return ProbeResult(False, f"HTTP probe failed with statuscode: {code}")


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
            return ProbeResult(False, "gRPC probes are not supported on this node")
    except ValueError as err:
        return ProbeResult(False, str(err))
    return ProbeResult(False, "the probe has no handler")


class ProbeWorker:
    """Runs one probe of one container on its schedule and keeps its verdict.

    `result` starts False for readiness and startup, True for liveness (as the kubelet's
    initial values); it flips after successThreshold successes or failureThreshold
    failures in a row. `on_change(kind, result)` is called when it flips.
    """

    def __init__(
        self,
        kind: str,
        probe: Obj,
        run: Callable[[], Awaitable[ProbeResult]],
        on_change: Callable[[str, bool, str], None],
        clock: Clock,
    ) -> None:
        self.kind = kind
        self.probe = probe
        self._run = run
        self._on_change = on_change
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

    def _flip(self, value: bool, message: str) -> None:
        changed = value != self.result
        self.result = value
        self.message = message
        if changed:
            self._on_change(self.kind, value, message)
