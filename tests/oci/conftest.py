"""Fixtures for the real-runtime tests: what they need (root, crun, busybox), and a
docker-registry on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyk8s.node.images.busybox import find_busybox
from tests.conftest import IN_CI, require_binary


def busybox_path() -> str | None:
    """Debian's busybox-static, or None when it is not installed."""
    try:
        return str(find_busybox())
    except FileNotFoundError:
        return None


def require_oci_runtime(what: str) -> None:
    """Skip (fail in CI, which runs as root with the packages) unless `what` can run: root,
    crun and busybox-static."""
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail(f"{what} need root (CI runs as root)")
        pytest.skip(f"{what} need root")
    require_binary("crun", shutil.which("crun"), "crun")
    require_binary("busybox", busybox_path(), "busybox-static")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[str]:
    binary = require_binary("docker-registry", shutil.which("docker-registry"), "docker-registry")
    require_binary("busybox", busybox_path(), "busybox-static")
    port = free_port()
    config = tmp_path / "registry.yml"
    config.write_text(
        "version: 0.1\n"
        "log: {level: error}\n"
        f"storage: {{filesystem: {{rootdirectory: {tmp_path / 'data'}}}}}\n"
        f"http: {{addr: 127.0.0.1:{port}}}\n"
    )
    proc = subprocess.Popen(
        [binary, "serve", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)
