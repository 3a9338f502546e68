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
import logging
import os
import signal
import subprocess
from typing import BinaryIO, Protocol

from pyk8s._aio.clock import Clock
from pyk8s.server.backoff import RestartBackoff
from pyk8s.server.spawn import ChildSpec, die_with_parent, mark

__all__ = ["AdoptedProcess", "ChildProcess", "ChildSpec"]

log = logging.getLogger("pyk8s.server")


class Process(Protocol):
    """What supervision needs of a running process (asyncio's, or an adopted one)."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    async def wait(self) -> int: ...


class AdoptedProcess:
    """A process started with `subprocess.Popen` before the event loop ran (see early.py),
    awaited through a pidfd: no thread, no SIGCHLD handler of ours."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    async def wait(self) -> int:
        if self.popen.poll() is not None:
            return self.popen.wait()
        try:
            fd = os.pidfd_open(self.popen.pid)
        except ProcessLookupError:  # reaped between poll() and here
            return self.popen.wait()
        except (AttributeError, OSError):  # pragma: no cover - no pidfds (old kernel)
            return await asyncio.to_thread(self.popen.wait)
        loop = asyncio.get_running_loop()
        exited = loop.create_future()
        loop.add_reader(fd, lambda: exited.done() or exited.set_result(None))
        try:
            await exited  # readable once the process has exited
        finally:
            loop.remove_reader(fd)
            os.close(fd)
        return self.popen.wait()


class ChildProcess:
    """Runs one `ChildSpec`; `supervise()` restarts it until `stop()`."""

    def __init__(
        self, spec: ChildSpec, *, clock: Clock, backoff: RestartBackoff, stop_timeout: float
    ) -> None:
        self.spec = spec
        self.clock = clock
        self.backoff = backoff
        self.stop_timeout = stop_timeout
        self.process: Process | None = None
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
        mark(self.spec.log_path, line)

    def _open_log(self) -> BinaryIO:
        return open(self.spec.log_path, "ab")  # handed to the child; spawn closes our copy

    async def spawn(self) -> None:
        """Start the process (unless stopping); its output is appended to the log."""
        async with self._lock:
            if self._stopping.is_set():
                return
            self.spec.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._mark(f"starting {self.name}: {' '.join(self.spec.argv)}")
            output = self._open_log()
            try:
                self.process = await asyncio.create_subprocess_exec(
                    *self.spec.argv,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    env=self.spec.environment(),
                    start_new_session=True,
                    preexec_fn=die_with_parent(os.getpid()),
                )
            finally:
                output.close()  # the child has its own descriptor
            self.started_at = self.clock.monotonic()
            self.starts += 1
            log.info("started %s (pid %d), log %s", self.name, self.process.pid, self.spec.log_path)

    def adopt(self, popen: subprocess.Popen[bytes]) -> None:
        """Take over a process already started from this spec (its start is marked in the
        log by whoever started it); `supervise()` and `stop()` then work as after spawn()."""
        self.process = AdoptedProcess(popen)
        self.started_at = self.clock.monotonic()
        self.starts += 1
        log.info("started %s (pid %d), log %s", self.name, popen.pid, self.spec.log_path)

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
