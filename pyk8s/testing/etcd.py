"""A throwaway real etcd server on free loopback ports, for tests and benchmarks."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path


def find_etcd() -> str | None:
    """The etcd binary: $PYK8S_ETCD, then PATH (Debian's etcd-server installs /usr/bin/etcd)."""
    explicit = os.environ.get("PYK8S_ETCD")
    if explicit:
        return explicit
    return shutil.which("etcd")


def _die_with_parent() -> None:
    """In the child: ask Linux to kill us when the test process dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EtcdServer:
    """One etcd member on 127.0.0.1, data in a temporary directory, stopped by `stop()`."""

    def __init__(self, *, data_dir: str | Path | None = None, binary: str | None = None) -> None:
        binary = binary or find_etcd()
        if binary is None:
            raise FileNotFoundError("etcd not found: install Debian's etcd-server or set PYK8S_ETCD")
        self.binary = binary
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir or tempfile.mkdtemp(prefix="pyk8s-etcd-"))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.client_port = free_port()
        self.peer_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.client_port}"

    @property
    def url(self) -> str:
        """The storage URL for this server."""
        return f"etcd://{self.endpoint}"

    def start(self, *, timeout: float = 20.0) -> EtcdServer:
        client = f"http://{self.endpoint}"
        peer = f"http://127.0.0.1:{self.peer_port}"
        args = [
            self.binary,
            "--name",
            "pyk8s-test",
            "--data-dir",
            str(self.data_dir / "member-data"),
            "--listen-client-urls",
            client,
            "--advertise-client-urls",
            client,
            "--listen-peer-urls",
            peer,
            "--initial-advertise-peer-urls",
            peer,
            "--initial-cluster",
            f"pyk8s-test={peer}",
            "--initial-cluster-state",
            "new",
            # Objects may be up to 3 MiB, as in Kubernetes; etcd's default is 1.5 MiB.
            "--max-request-bytes",
            str(4 * 1024 * 1024),
            "--quota-backend-bytes",
            str(4 * 1024**3),
            "--auto-compaction-retention",
            "0",
            "--logger",
            "zap",
            "--log-level",
            "error",
        ]
        log = open(self.data_dir / "etcd.log", "ab")  # noqa: SIM115 - owned by the child
        self.process = subprocess.Popen(
            args, stdout=log, stderr=log, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = (self.data_dir / "etcd.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"etcd exited with {self.process.returncode}:\n{tail}")
            try:
                with urllib.request.urlopen(f"{client}/health", timeout=1) as resp:
                    if b'"true"' in resp.read():
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise TimeoutError(f"etcd did not become healthy within {timeout}s")

    def kill(self) -> None:
        """Kill etcd abruptly (SIGKILL), keeping its data, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self.process = None

    def restart(self) -> EtcdServer:
        """Stop (gracefully) and start again on the same ports and data."""
        self._terminate()
        return self.start()

    def _terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def stop(self) -> None:
        """Stop etcd and remove its data if we created the directory."""
        self._terminate()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> EtcdServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
