"""The scheduler against a real API server in this process (HTTPS on a loopback port,
memory storage, a kubeconfig), with Node objects created through the API (no node agent:
binding is what these tests look at)."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.apiserver.certs import ensure_pki
from pyk8s.client import Client
from pyk8s.client.resources import EVENTS, NODES, PODS
from pyk8s.scheduler import SchedulerConfig, run_scheduler

Obj = dict[str, Any]


@pytest.fixture(scope="session")
def pki_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("scheduler-pki") / "pki"
    ensure_pki(directory)
    return directory


@pytest.fixture
async def apiserver(tmp_path: Path, pki_template: Path) -> AsyncIterator[RunningServer]:
    data_dir = tmp_path / "data"
    shutil.copytree(pki_template, data_dir / "pki")
    config = ApiServerConfig(data_dir=data_dir, port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    running = await start_apiserver(config)
    try:
        yield running
    finally:
        await running.stop()


class Cluster:
    """The test's own client, with helpers to build nodes and pods and wait on them."""

    def __init__(self, running: RunningServer, client: Client) -> None:
        self.running = running
        self.client = client

    async def create_node(
        self,
        name: str,
        *,
        cpu: str = "4",
        memory: str = "8Gi",
        pods: str = "110",
        labels: dict[str, str] | None = None,
        taints: list[Obj] | None = None,
        unschedulable: bool = False,
    ) -> Obj:
        node: Obj = {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
            "spec": {},
        }
        if unschedulable:
            node["spec"]["unschedulable"] = True
        await self.client.create(NODES, node)
        # The API server taints new nodes not-ready; with no node agent or node lifecycle
        # controller here, play their part: report Ready and set the taints wanted.
        await self.client.patch(NODES, name, {"spec": {"taints": taints or None}})
        resources = {"cpu": cpu, "memory": memory, "pods": pods}
        ready = {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "ready"}
        status = {"capacity": resources, "allocatable": resources, "conditions": [ready]}
        return await self.client.patch_status(NODES, name, {"status": status})

    async def create_pod(
        self,
        name: str,
        *,
        namespace: str = "default",
        cpu: str | None = "100m",
        memory: str | None = "64Mi",
        labels: dict[str, str] | None = None,
        **spec: Any,
    ) -> Obj:
        requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
        container: Obj = {"name": "app", "image": "registry.local/app:1"}
        if requests:
            container["resources"] = {"requests": requests}
        pod: Obj = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": labels or {"app": name}},
            "spec": {"containers": [container], **spec},
        }
        return await self.client.create(PODS, pod)

    async def pod(self, name: str, namespace: str = "default") -> Obj:
        return await self.client.get(PODS, name, namespace=namespace)

    async def wait_for_pod(
        self,
        name: str,
        predicate: Callable[[Obj], bool],
        *,
        namespace: str = "default",
        timeout: float = 10.0,
    ) -> Obj:
        """The pod once `predicate` holds for it (polled; fails after `timeout` seconds)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            pod = await self.pod(name, namespace)
            if predicate(pod):
                return pod
            if loop.time() > deadline:
                raise AssertionError(
                    f"pod {namespace}/{name} never satisfied the condition: {pod.get('status')}"
                )
            await asyncio.sleep(0.02)

    async def wait_bound(self, name: str, namespace: str = "default", timeout: float = 10.0) -> str:
        pod = await self.wait_for_pod(
            name, lambda p: bool(p["spec"].get("nodeName")), namespace=namespace, timeout=timeout
        )
        return str(pod["spec"]["nodeName"])

    async def wait_unschedulable(self, name: str, namespace: str = "default") -> Obj:
        """The PodScheduled=False condition, once the scheduler has written it."""

        def failed(pod: Obj) -> bool:
            return scheduled_condition(pod).get("status") == "False"

        return scheduled_condition(await self.wait_for_pod(name, failed, namespace=namespace))

    async def events(
        self, name: str, reason: str, namespace: str = "default", timeout: float = 10.0
    ) -> list[Obj]:
        """The events about pod `name` with `reason`, once there is at least one."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            listed = await self.client.list(
                EVENTS, namespace=namespace, field_selector={"involvedObject.name": name}
            )
            found = [e for e in listed["items"] if e.get("reason") == reason]
            if found:
                return found
            if loop.time() > deadline:
                raise AssertionError(f"no {reason} event for {namespace}/{name}")
            await asyncio.sleep(0.02)


def scheduled_condition(pod: Obj) -> Obj:
    return next((c for c in pod.get("status", {}).get("conditions", []) if c["type"] == "PodScheduled"), {})


@pytest.fixture
async def cluster(apiserver: RunningServer) -> AsyncIterator[Cluster]:
    async with Client.from_kubeconfig(apiserver.kubeconfig, component="test") as client:
        yield Cluster(apiserver, client)


StartScheduler = Callable[..., Awaitable[SchedulerConfig]]


@pytest.fixture
async def start_scheduler(apiserver: RunningServer) -> AsyncIterator[StartScheduler]:
    """Start schedulers (run_scheduler with the cluster's kubeconfig) and wait until each leads."""
    running: list[tuple[asyncio.Event, asyncio.Task[None]]] = []

    async def start(**options: Any) -> SchedulerConfig:
        config = SchedulerConfig(kubeconfig=apiserver.kubeconfig, **options)
        stop = asyncio.Event()
        task = asyncio.create_task(run_scheduler(config, stop))
        running.append((stop, task))
        ready = asyncio.create_task(config.ready.wait())
        await asyncio.wait((ready, task), timeout=15, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
        assert config.ready.is_set(), "the scheduler did not become ready"
        return config

    try:
        yield start
    finally:
        for stop, _ in running:
            stop.set()
        await asyncio.wait_for(asyncio.gather(*(t for _, t in running)), 15)
