"""Process lifecycle: ready, SIGTERM drains and exits 0, a restart keeps state and credentials."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from .conftest import start_cluster, stop_cluster


def test_sigterm_drains_open_watches_and_exits_zero(tmp_path: Path) -> None:
    cluster = start_cluster(tmp_path / "data", tmp_path / "home")
    try:
        cluster.kubectl("create", "configmap", "keep", "-n", "default", "--from-literal=a=b")
        watcher = cluster.spawn_kubectl("get", "configmaps", "-w", "-n", "default")
        time.sleep(1.0)
        started = time.monotonic()
        cluster.process.send_signal(signal.SIGTERM)
        code = cluster.process.wait(15)
        assert code == 0
        assert time.monotonic() - started < 10
        watcher.wait(10)  # the stream ended with the server
    finally:
        if cluster.process.poll() is None:
            stop_cluster(cluster)
    again = start_cluster(tmp_path / "data", tmp_path / "home")
    try:
        data = again.kubectl_json("get", "configmap", "keep", "-n", "default")["data"]
        assert data == {"a": "b"}  # state survived, and the old kubeconfig still authenticates
    finally:
        assert stop_cluster(again) == 0
