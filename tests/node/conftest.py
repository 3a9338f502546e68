"""A real API server in this process (HTTPS, memory storage, its own kubeconfig) and a
client for the test's own requests; node processes under test run in the same loop."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.client import Client


@pytest.fixture
async def apiserver(tmp_path: Path) -> AsyncIterator[RunningServer]:
    config = ApiServerConfig(data_dir=tmp_path / "data", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    running = await start_apiserver(config)
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def client(apiserver: RunningServer) -> AsyncIterator[Client]:
    async with Client.from_kubeconfig(apiserver.kubeconfig, component="test") as c:
        yield c
