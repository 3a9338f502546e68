"""`pyk8s apiserver --workers N`: one API server served by N processes on one port.

Each worker is a whole API server (its own watch caches, admission and metrics) on shared
storage, as kube-apiserver replicas behind a load balancer are; the kernel is the balancer:
every worker listens on the same port with SO_REUSEPORT and each new connection goes to one
of them. The command's own process becomes a small supervisor without an event loop:

- it prepares what the workers would otherwise race for (the data dir, the PKI, the
  service-account signing key) and reserves the port (bound, not listening, so `--port 0`
  has a number to hand out and nobody else takes it meanwhile);
- it starts the workers (`python -m pyk8s apiserver ... --worker-index I`), each with the
  write end of a *ready* pipe (one line once serving) and the read end of a *lifeline* pipe
  whose write end only the supervisor holds: when the supervisor dies, however it dies, the
  workers read EOF and drain as on SIGTERM;
- once every worker is ready it writes the kubeconfig (its appearance is what `pyk8s up` and
  scripts wait for) and stays until a signal (forwarded as SIGTERM) or until a worker exits on
  its own, which stops the others and fails the command: whoever supervises pyk8s restarts it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

if TYPE_CHECKING:
    import asyncio

    from pyk8s.apiserver.app import ApiServerConfig

log = logging.getLogger("pyk8s.apiserver.workers")
# Beyond the workers' own drain time, how long a stop waits before SIGKILL.
KILL_GRACE_SECONDS = 5.0
READY_LINE = b"ready\n"


class WorkersError(ValueError):
    """A configuration `--workers` cannot serve (a usage error: exit code 2)."""


def worker_storage_url(storage_url: str, data_dir: Path, workers: int) -> str:
    """The storage URL every worker opens: sqlite in shared mode (by default the data dir's
    `state.db`), etcd as given; per-process memory cannot be shared."""
    url = storage_url or f"sqlite://{data_dir}/state.db"
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        raise WorkersError(
            f"--workers {workers} needs storage the workers can share: memory:// lives in one "
            "process (use sqlite, the default, or etcd://)"
        )
    if scheme == "sqlite":
        # Split by hand: urlunsplit would turn `sqlite:///path` into `sqlite:/path`.
        base, _, query = url.partition("?")
        params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "shared"]
        return f"{base}?{urlencode([*params, ('shared', '1')])}"
    return url


def reserve_port(bind: str, port: int) -> socket.socket:
    """A socket bound to (bind, port) and not listening. It is bound *before* SO_REUSEPORT is
    set, so the bind fails if anything already holds the port (another pyk8s included, even one
    that listens with SO_REUSEPORT itself); then SO_REUSEPORT lets the workers join it."""
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the workers' sites do
        sock.bind((bind, port))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    except OSError:
        sock.close()
        raise
    return sock


@dataclass
class WorkersConfig:
    """What the supervisor needs. Deliberately not `ApiServerConfig`: importing the API server
    would cost the supervisor ~40 MB for as long as it runs."""

    data_dir: Path
    workers: int
    bind: str = "127.0.0.1"
    port: int = 6443
    storage_url: str = ""
    kubeconfig: Path | None = None  # default: DATA_DIR/kubeconfig
    # The workers' other flags, passed on as given (cache sizes, history, --verbose).
    server_flags: tuple[str, ...] = ()
    shutdown_timeout: float = 10.0  # the workers' drain time (ApiServerConfig's default)
    extra_sans: tuple[str, ...] = ()


def worker_argv(config: WorkersConfig, index: int, *, ready_fd: int, lifeline_fd: int) -> list[str]:
    """The command line of worker `index`: the server's flags (data dir, storage and port
    resolved) plus the hidden worker flags."""
    return [
        sys.executable,
        "-m",
        "pyk8s",
        "apiserver",
        "--data-dir",
        str(config.data_dir),
        "--bind",
        config.bind,
        "--port",
        str(config.port),
        "--storage",
        config.storage_url,
        *config.server_flags,
        "--worker-index",
        str(index),
        "--ready-fd",
        str(ready_fd),
        "--lifeline-fd",
        str(lifeline_fd),
    ]


@dataclass
class Worker:
    """One started worker process and its ready pipe."""

    index: int
    process: subprocess.Popen[bytes]
    ready_fd: int  # read end; -1 once closed
    ready: bool = False
    buffer: bytes = b""


class Supervisor:
    """Starts the workers and watches them, their ready pipes and the signals, without an
    event loop: one selector over the ready pipes and a signal wake-up pipe."""

    def __init__(self, config: WorkersConfig) -> None:
        self.config = config
        self.workers: list[Worker] = []
        self.signalled: int | None = None
        self.selector = selectors.DefaultSelector()
        self._wake_r, self._wake_w = os.pipe()
        for fd in (self._wake_r, self._wake_w):
            os.set_blocking(fd, False)
        self.selector.register(self._wake_r, selectors.EVENT_READ)
        self._lifeline_r, self._lifeline_w = os.pipe()

    # signals

    def install_signals(self) -> None:
        """SIGTERM/SIGINT are remembered; SIGCHLD only wakes the selector (through the wake-up
        fd, which every handled signal writes to)."""
        signal.set_wakeup_fd(self._wake_w, warn_on_full_buffer=False)
        signal.signal(signal.SIGTERM, self._on_stop_signal)
        signal.signal(signal.SIGINT, self._on_stop_signal)
        signal.signal(signal.SIGCHLD, lambda *_: None)

    def _on_stop_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.signalled is None:
            self.signalled = signum

    # workers

    def start(self) -> None:
        """Spawn every worker. Each gets its own session (a terminal's Ctrl-C reaches only the
        supervisor, which forwards it once) and inherits only its two pipe ends."""
        for index in range(self.config.workers):
            ready_r, ready_w = os.pipe()
            argv = worker_argv(self.config, index, ready_fd=ready_w, lifeline_fd=self._lifeline_r)
            try:
                process = subprocess.Popen(
                    argv,
                    stdin=subprocess.DEVNULL,
                    pass_fds=(ready_w, self._lifeline_r),
                    start_new_session=True,
                )
            finally:
                os.close(ready_w)
            self.workers.append(Worker(index, process, ready_r))
            self.selector.register(ready_r, selectors.EVENT_READ, self.workers[-1])
        os.close(self._lifeline_r)  # the workers hold it; only the write end stays here

    def _read_ready(self, worker: Worker) -> None:
        try:
            data = os.read(worker.ready_fd, 64)
        except OSError:
            data = b""
        worker.buffer += data
        if READY_LINE in worker.buffer:
            worker.ready = True
        if not data or worker.ready:
            self.selector.unregister(worker.ready_fd)
            os.close(worker.ready_fd)
            worker.ready_fd = -1

    def _wait(self, timeout: float) -> None:
        """Sleep until a ready pipe, a signal or `timeout`; handle ready lines."""
        for key, _ in self.selector.select(timeout):
            if key.fd == self._wake_r:
                try:
                    while os.read(self._wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
            else:
                self._read_ready(key.data)

    def exited(self) -> list[Worker]:
        return [w for w in self.workers if w.process.poll() is not None]

    def wait_ready(self) -> Worker | None:
        """Until every worker reported ready (None), or one exited first (that one), or a
        stop signal came (None, with `signalled` set)."""
        while self.signalled is None:
            gone = self.exited()
            if gone:
                return gone[0]
            if all(w.ready for w in self.workers):
                return None
            self._wait(1.0)
        return None

    def watch(self) -> Worker | None:
        """Serve until a stop signal (None) or a worker exits on its own (that one)."""
        while self.signalled is None:
            gone = self.exited()
            if gone:
                return gone[0]
            self._wait(5.0)  # SIGCHLD wakes it at once; the timeout is only a safety net
        return None

    def stop(self) -> bool:
        """SIGTERM to every worker, SIGKILL to those still running after their drain time plus
        a grace; whether all ended cleanly (exit 0, or SIGTERM before they could handle it)."""
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.config.shutdown_timeout + KILL_GRACE_SECONDS
        while any(w.process.poll() is None for w in self.workers):
            left = deadline - time.monotonic()
            if left <= 0:
                for worker in self.workers:
                    if worker.process.poll() is None:
                        log.warning("worker %d did not stop in time: killing it", worker.index)
                        worker.process.kill()
                for worker in self.workers:
                    worker.process.wait()
                break
            self._wait(min(left, 1.0))
        return all(w.process.returncode in (0, -signal.SIGTERM) for w in self.workers)

    def close(self) -> None:
        signal.set_wakeup_fd(-1)
        for worker in self.workers:
            if worker.ready_fd >= 0:
                os.close(worker.ready_fd)
                worker.ready_fd = -1
        self.selector.close()
        for fd in (self._wake_r, self._wake_w, self._lifeline_w):
            try:
                os.close(fd)
            except OSError:
                pass


def in_forked_child(task: Callable[[], None]) -> None:
    """Run `task` in a forked child and wait for it; its OSError comes back as an OSError here.
    The supervisor lives as long as the API server: what the task imports and allocates
    (cryptography, key generation: ~45 MB) stays in the child. The supervisor has no threads,
    so forking is safe."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read_fd)
            task()
        except BaseException as err:
            os.write(write_fd, (str(err) or type(err).__name__).encode()[:4096])
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            message = pipe.read().decode(errors="replace")
    finally:
        _, status = os.waitpid(pid, 0)
    if message or os.waitstatus_to_exitcode(status) != 0:
        raise OSError(message or f"helper process failed ({os.waitstatus_to_exitcode(status)})")


def _prepare_pki(data_dir: Path, extra_sans: tuple[str, ...]) -> None:
    """The data dir, PKI and service-account key, made once before the workers start (each
    worker would otherwise create missing files at the same time)."""
    from pyk8s.apiserver.certs import ensure_pki
    from pyk8s.apiserver.tokens import ServiceAccountTokens

    data_dir.mkdir(parents=True, exist_ok=True)
    pki = ensure_pki(data_dir / "pki", extra_sans=extra_sans)
    ServiceAccountTokens(pki.dir / "sa.key")


def _write_kubeconfig(path: Path, pki_dir: Path, url: str) -> None:
    from pyk8s.apiserver.certs import Pki, write_kubeconfig

    write_kubeconfig(path, Pki(pki_dir), url)


def supervise(config: WorkersConfig) -> int:
    """Run `workers` API server processes on one port until a signal; the exit code (0 after a
    clean stop, 1 when a worker failed, 2 for a configuration workers cannot serve)."""
    data_dir, workers = config.data_dir.resolve(), config.workers
    try:
        storage_url = worker_storage_url(config.storage_url, data_dir, workers)
    except WorkersError as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 2
    try:
        in_forked_child(lambda: _prepare_pki(data_dir, config.extra_sans))
        reservation = reserve_port(config.bind, config.port)
    except OSError as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 1
    port = reservation.getsockname()[1]
    host = config.bind if config.bind not in ("0.0.0.0", "::") else "127.0.0.1"
    config.data_dir, config.storage_url, config.port = data_dir, storage_url, port
    supervisor = Supervisor(config)
    try:
        supervisor.install_signals()
        supervisor.start()
        failed = supervisor.wait_ready()
        if failed is None and supervisor.signalled is None:
            reservation.close()  # the workers hold the port now
            url = f"https://{host}:{port}"
            kubeconfig = config.kubeconfig or data_dir / "kubeconfig"
            try:
                in_forked_child(lambda: _write_kubeconfig(kubeconfig, data_dir / "pki", url))
            except OSError as err:
                log.error("cannot write the kubeconfig: %s", err)
                supervisor.stop()
                return 1
            log.info(
                "serving on %s with %d workers (storage %s); kubeconfig at %s",
                url,
                workers,
                storage_url,
                kubeconfig,
            )
            failed = supervisor.watch()
        if failed is not None:
            stage = "exited" if failed.ready else "failed to start"
            log.error(
                "worker %d %s (exit code %s): stopping the others",
                failed.index,
                stage,
                failed.process.returncode,
            )
            supervisor.stop()
            return 1
        log.info("shutting down %d workers", workers)
        return 0 if supervisor.stop() else 1
    finally:
        reservation.close()
        for worker in supervisor.workers:  # only after an unexpected error here
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait()
        supervisor.close()


async def run_worker(
    config: ApiServerConfig, stop: asyncio.Event, *, index: int, ready_fd: int, lifeline_fd: int
) -> None:
    """One worker: the API server of `run_apiserver`, which says "ready" on `ready_fd` once
    serving and stops (draining) when the supervisor's end of `lifeline_fd` closes."""
    import asyncio

    from pyk8s.apiserver.app import run_apiserver

    loop = asyncio.get_running_loop()
    os.set_blocking(lifeline_fd, False)

    def lifeline() -> None:
        try:
            if os.read(lifeline_fd, 64):
                return  # the supervisor never writes; nothing to do
        except BlockingIOError:
            return
        except OSError:
            pass
        loop.remove_reader(lifeline_fd)
        if not stop.is_set():
            log.warning("the supervisor is gone: shutting down")
            stop.set()

    async def report_ready() -> None:
        await config.ready.wait()
        try:
            os.write(ready_fd, READY_LINE)
        finally:
            os.close(ready_fd)

    loop.add_reader(lifeline_fd, lifeline)
    reporter = loop.create_task(report_ready(), name="pyk8s-worker-ready")
    try:
        await run_apiserver(config, stop)
    except OSError as err:
        raise OSError(f"worker {index}: {err}") from err
    finally:
        reporter.cancel()
        loop.remove_reader(lifeline_fd)
    log.info("stopped")


def worker_config(config: ApiServerConfig, index: int) -> ApiServerConfig:
    """Worker `index`'s settings: the shared port, the kubeconfig left to the supervisor, and
    the storage compactor in worker 0 only (one compactor per store is enough)."""
    config.worker = index
    config.reuse_port = True
    config.write_kubeconfig = False
    if index != 0:
        config.retention = None
    return config


def setup_worker_logging(index: int, verbose: bool) -> None:
    """The components' log format with the worker named in every line."""
    from pyk8s._aio.component import setup_logging

    setup_logging(verbose, who=f"worker {index}")


def inherit_fd(fd: int) -> int:
    """Check an inherited descriptor is open (a usage error otherwise)."""
    try:
        fcntl.fcntl(fd, fcntl.F_GETFD)
    except OSError:
        raise WorkersError(f"descriptor {fd} is not open (worker flags are for the supervisor)") from None
    return fd
