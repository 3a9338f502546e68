"""Process lifecycle: ready, SIGTERM drains and exits 0, a restart keeps state and credentials."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

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


@pytest.mark.etcd
def test_two_api_servers_share_one_etcd(tmp_path: Path, dedicated_etcd) -> None:
    a = start_cluster(tmp_path / "a", tmp_path / "home-a", "--storage", dedicated_etcd.url)
    b = start_cluster(tmp_path / "b", tmp_path / "home-b", "--storage", dedicated_etcd.url)
    try:
        a.kubectl("create", "configmap", "shared", "-n", "default", "--from-literal=from=a")
        assert b.kubectl_json("get", "configmap", "shared", "-n", "default")["data"] == {"from": "a"}
        watcher = b.spawn_kubectl(
            "get", "configmaps", "-n", "default", "-w", "--output-watch-events", "--request-timeout=6s"
        )
        time.sleep(1.0)
        a.kubectl("delete", "configmap", "shared", "-n", "default")
        out, _ = watcher.communicate(timeout=20)
        assert "DELETED" in out and "shared" in out
        # A resource nobody wrote to is still read at once (etcd progress, not a timeout).
        started = time.monotonic()
        b.kubectl("get", "pods", "-n", "default")
        assert time.monotonic() - started < 2.5
    finally:
        stop_cluster(a)
        stop_cluster(b)
