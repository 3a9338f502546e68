"""One supervised component process: started, logged, restarted after a crash, stopped.

Each component runs in its own session (process group), so a Ctrl-C in the terminal
reaches only the supervisor, which then stops the components in order; each also asks
the kernel for SIGTERM should the supervisor die without stopping it (PR_SET_PDEATHSIG),
so no component outlives `pyk8s up`. Output goes to the component's log file, which the
supervisor marks at every start and exit.

    spawn ──► running ──exit (not stopping)──► wait backoff ──► spawn ...
                 │
               stop(): SIGTERM to the group ──(stop timeout)──► SIGKILL
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pyk8s._aio.clock import Clock
from pyk8s.server.backoff import RestartBackoff

log = logging.getLogger("pyk8s.server")
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ChildSpec:
    """A component: its name (also its log's), its command line and environment additions."""

    name: str
    argv: tuple[str, ...]
    log_path: Path
    env: Mapping[str, str] | None = None


def _die_with_parent(parent: int) -> Callable[[], None]:
    """A preexec function: SIGTERM this child when the supervisor dies (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return lambda: None

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the supervisor died before the line above
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


class ChildProcess:
    """Runs one `ChildSpec`; `supervise()` restarts it until `stop()`."""

    def __init__(
        self, spec: ChildSpec, *, clock: Clock, backoff: RestartBackoff, stop_timeout: float
    ) -> None:
        self.spec = spec
        self.clock = clock
        self.backoff = backoff
        self.stop_timeout = stop_timeout
        self.process: asyncio.subprocess.Process | None = None
        self.started_at = 0.0
        self.starts = 0
        self._stopping = asyncio.Event()
        self._lock = asyncio.Lock()

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def _mark(self, line: str) -> None:
        """A line of the supervisor's in the component's own log."""
        with open(self.spec.log_path, "a") as f:
            f.write(f"---- {time.strftime('%Y-%m-%d %H:%M:%S')} pyk8s up: {line}\n")

    def _open_log(self) -> BinaryIO:
        return open(self.spec.log_path, "ab")  # handed to the child; spawn closes our copy

    async def spawn(self) -> None:
        """Start the process (unless stopping); its output is appended to the log."""
        async with self._lock:
            if self._stopping.is_set():
                return
            self.spec.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._mark(f"starting {self.name}: {' '.join(self.spec.argv)}")
            env = dict(os.environ, PYTHONUNBUFFERED="1", **(self.spec.env or {}))
            output = self._open_log()
            try:
                self.process = await asyncio.create_subprocess_exec(
                    *self.spec.argv,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    env=env,
                    start_new_session=True,
                    preexec_fn=_die_with_parent(os.getpid()),
                )
            finally:
                output.close()  # the child has its own descriptor
            self.started_at = self.clock.monotonic()
            self.starts += 1
            log.info("started %s (pid %d), log %s", self.name, self.process.pid, self.spec.log_path)

    async def supervise(self) -> None:
        """Wait for the process to exit and restart it with backoff, until `stop()`."""
        while self.process is not None:
            code = await self.process.wait()
            if self._stopping.is_set():
                return
            uptime = self.clock.monotonic() - self.started_at
            delay = self.backoff.next(uptime)
            self._mark(f"{self.name} exited with code {code}; restarting in {delay:.1f} s")
            log.warning(
                "%s exited with code %s after %.1f s; restarting in %.1f s (see %s)",
                self.name,
                code,
                uptime,
                delay,
                self.spec.log_path,
            )
            if await _wait_event(self.clock, self._stopping, delay):
                return
            await self.spawn()

    async def stop(self) -> int | None:
        """SIGTERM the process group, SIGKILL it after the stop timeout; the exit code."""
        self._stopping.set()
        async with self._lock:
            process = self.process
            if process is None:
                return None
            if process.returncode is None:
                _signal_group(process.pid, signal.SIGTERM)
                waiter = asyncio.ensure_future(process.wait())
                if not await _wait_future(self.clock, waiter, self.stop_timeout):
                    log.warning("%s did not stop within %.0f s: killing it", self.name, self.stop_timeout)
                    _signal_group(process.pid, signal.SIGKILL)
                await waiter
            # Whatever the component left in its group (it has none today) goes with it.
            _signal_group(process.pid, signal.SIGKILL)
            self._mark(f"{self.name} stopped (exit code {process.returncode})")
            log.info("stopped %s (exit code %s)", self.name, process.returncode)
            return process.returncode


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


async def _wait_event(clock: Clock, event: asyncio.Event, seconds: float) -> bool:
    """Wait until `event` is set (True) or `seconds` of the clock passed (False)."""
    waiter = asyncio.ensure_future(event.wait())
    try:
        return await _wait_future(clock, waiter, seconds)
    finally:
        waiter.cancel()


async def _wait_future(clock: Clock, future: asyncio.Future[object], seconds: float) -> bool:
    """Wait until `future` is done (True) or `seconds` of the clock passed (False)."""
    sleeper = asyncio.ensure_future(clock.sleep(seconds))
    try:
        await asyncio.wait((future, sleeper), return_when=asyncio.FIRST_COMPLETED)
    finally:
        sleeper.cancel()
    return future.done()
