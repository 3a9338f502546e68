"""A real API server in this process: HTTPS on a loopback port, memory storage, a kubeconfig.

Each test gets its own server (about 40 ms to start: the PKI is generated once per session
and copied), so tests can shrink the watch cache or the history to reach 410 paths.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.apiserver.certs import ensure_pki
from pyk8s.client import Client
from pyk8s.storage import Retention


@dataclass
class Cluster:
    """A running API server and clients for it (closed by the fixture)."""

    running: RunningServer
    data_dir: Path
    clients: list[Client] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.running.url

    @property
    def kubeconfig(self) -> Path:
        return self.running.kubeconfig

    @property
    def admin_token(self) -> str:
        return (self.data_dir / "pki" / "admin.token").read_text().strip()

    @property
    def ca_data(self) -> bytes:
        return (self.data_dir / "pki" / "ca.crt").read_bytes()

    def client(self, **kwargs: Any) -> Client:
        """A client from the kubeconfig (admin client certificate)."""
        client = Client.from_kubeconfig(self.kubeconfig, **kwargs)
        self.clients.append(client)
        return client

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()
        await self.running.stop()


StartCluster = Callable[..., Awaitable[Cluster]]


@pytest.fixture(scope="session")
def pki_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki-template") / "pki"
    ensure_pki(directory)
    return directory


@pytest.fixture
async def start_cluster(tmp_path: Path, pki_template: Path) -> AsyncIterator[StartCluster]:
    """Start API servers with options (`watch_cache_size`, `retention`), stopped at teardown."""
    started: list[Cluster] = []

    async def start(*, watch_cache_size: int = 10_000, retention: Retention | None = None) -> Cluster:
        data_dir = tmp_path / f"data-{len(started)}"
        shutil.copytree(pki_template, data_dir / "pki")
        config = ApiServerConfig(
            data_dir=data_dir,
            port=0,
            storage_url=f"memory://{uuid.uuid4().hex}",
            watch_cache_size=watch_cache_size,
            retention=retention or Retention(),
        )
        cluster = Cluster(await start_apiserver(config), data_dir)
        started.append(cluster)
        return cluster

    try:
        yield start
    finally:
        for cluster in started:
            await cluster.aclose()


@pytest.fixture
async def cluster(start_cluster: StartCluster) -> Cluster:
    return await start_cluster()


@pytest.fixture
def client(cluster: Cluster) -> Client:
    return cluster.client()
