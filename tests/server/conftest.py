"""`pyk8s up` as a subprocess: start it on a free loopback port, wait for /readyz, stop it."""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pyk8s.testing.etcd import free_port

from ..e2e.conftest import REPO


def up_command() -> list[str]:
    """`pyk8s up` once the CLI runs the supervisor (its help lists --simulated-nodes);
    until then the supervisor's own entry point, which takes the same flags."""
    helptext = subprocess.run(
        [sys.executable, "-m", "pyk8s", "up", "--help"], capture_output=True, text=True, cwd=REPO, check=False
    ).stdout
    if "--simulated-nodes" in helptext:
        return [sys.executable, "-m", "pyk8s", "up"]
    return [sys.executable, "-m", "pyk8s.server"]


@dataclass
class Up:
    """A running `pyk8s up` and where it keeps things."""

    process: subprocess.Popen[bytes]
    data_dir: Path
    port: int
    output: Path

    @property
    def kubeconfig(self) -> Path:
        return self.data_dir / "kubeconfig"

    def kubectl(self, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
        """`pyk8s kubectl --data-dir DIR ...`: the bundled kubectl with the cluster's kubeconfig."""
        env = dict(os.environ, HOME=str(home))
        return subprocess.run(
            [sys.executable, "-m", "pyk8s", "kubectl", "--data-dir", str(self.data_dir), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=60,
            check=False,
        )

    def descendants(self) -> list[int]:
        """Every process below this one (from /proc)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
        found, todo = [], [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 30) -> int:
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise


def alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for its parent)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start_up(data_dir: Path, *flags: str, port: int | None = None, timeout: float = 60) -> Up:
    """Start `pyk8s up` and wait until its API server answers /readyz with `ok`."""
    port = port or free_port()
    output = data_dir.parent / f"{data_dir.name}-up-{time.monotonic_ns()}.out"
    with open(output, "wb") as out:
        process = subprocess.Popen(
            [*up_command(), "--data-dir", str(data_dir), "--port", str(port), *flags],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
    up = Up(process, data_dir, port, output)
    deadline = time.monotonic() + timeout
    while not ready(up):
        if process.poll() is not None:
            raise RuntimeError(f"pyk8s up exited ({process.returncode}):\n{output.read_text()}")
        if time.monotonic() > deadline:
            up.stop(signal.SIGKILL)
            raise TimeoutError(f"pyk8s up was not ready:\n{output.read_text()}")
        time.sleep(0.05)
    return up


def ready(up: Up) -> bool:
    ca = up.data_dir / "pki" / "ca.crt"
    if not up.kubeconfig.exists() or not ca.exists():
        return False
    try:
        context = ssl.create_default_context(cafile=str(ca))
        with urllib.request.urlopen(
            f"https://127.0.0.1:{up.port}/readyz", context=context, timeout=2
        ) as resp:
            return bool(resp.read() == b"ok")
    except (OSError, ssl.SSLError):
        return False
