"""What the node agent tests share: an API server in this process with what pods need
from a controller manager (the default ServiceAccount and the root CA ConfigMap), a Kubelet
of one runtime on it that can be stopped and started again, and small pod helpers. The
runtime's specifics (its name, the Kubelet's settings) are parameters."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import CONFIGMAPS, PODS, SERVICEACCOUNTS
from pyk8s.node.kubelet.agent import Kubelet, KubeletConfig

Obj = dict[str, Any]
NS = "default"
TEARDOWN_STEP = 60.0  # seconds for each step of a node fixture's teardown


class NodeUnderTest:
    """One node agent on an in-process API server (`running`, `client`); `kubelet` is the
    agent running now."""

    def __init__(
        self,
        tmp_path: Path,
        running: RunningServer,
        client: Client,
        *,
        runtime: str,
        name: str,
        configure: Callable[[Kubelet], None] | None = None,
    ) -> None:
        self.tmp_path = tmp_path
        self.running = running
        self.client = client
        self.runtime = runtime
        self.name = name
        self.configure = configure
        self.kubelet: Kubelet | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start_kubelet(self) -> Kubelet:
        """Start an agent on the node's data directory (again, after `stop_kubelet`)."""
        config = KubeletConfig(
            node_name=self.name, data_dir=self.tmp_path / "node", client=self.client, runtime=self.runtime
        )
        kubelet = Kubelet(config)
        if self.configure is not None:
            self.configure(kubelet)
        self._stop = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(kubelet.run(self._stop))
        self.kubelet = kubelet
        return kubelet

    async def stop_kubelet(self) -> None:
        """Stop the agent; its containers keep running (as a kubelet restart)."""
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, 30)
            self._task = None


@contextlib.asynccontextmanager
async def node_under_test(
    tmp_path: Path,
    *,
    runtime: str,
    name_prefix: str = "node",
    storage_url: str = "",
    configure: Callable[[Kubelet], None] | None = None,
) -> AsyncIterator[NodeUnderTest]:
    """An API server and a running Kubelet of `runtime`; afterwards every pod's containers,
    sandbox and files are removed and both stop."""
    running = await start_apiserver(
        ApiServerConfig(data_dir=tmp_path / "api", port=0, storage_url=storage_url)
    )
    client = Client.from_kubeconfig(running.kubeconfig)
    try:
        await client.create(
            SERVICEACCOUNTS,
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}},
            namespace=NS,
        )
        root_ca = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-root-ca.crt"}}
        root_ca["data"] = {"ca.crt": (tmp_path / "api" / "pki" / "ca.crt").read_text()}
        await client.create(CONFIGMAPS, root_ca, namespace=NS)
        node = NodeUnderTest(
            tmp_path,
            running,
            client,
            runtime=runtime,
            name=f"{name_prefix}-{uuid.uuid4().hex[:6]}",
            configure=configure,
        )
        await node.start_kubelet()
        try:
            yield node
        finally:
            kubelet = node.kubelet
            assert kubelet is not None
            failures: list[BaseException] = []
            for worker in list(kubelet.workers.values()):
                try:  # one pod failing to clean up must not leave the others running
                    # bounded: a stuck step fails the test instead of hanging the whole run
                    await asyncio.wait_for(worker.stop(), TEARDOWN_STEP)
                    await asyncio.wait_for(worker._kill_all(grace=0), TEARDOWN_STEP)
                    await asyncio.wait_for(worker.cleanup(), TEARDOWN_STEP)
                except Exception as err:
                    failures.append(err)
            await asyncio.wait_for(node.stop_kubelet(), TEARDOWN_STEP)
            if failures:
                raise failures[0]
    finally:
        await client.aclose()
        await running.stop()


def pod(name: str, node: str, command: str, **spec: Any) -> Obj:
    """A busybox pod bound to `node` running `sh -c command`; `container=` adds to the
    container, other keywords to the spec."""
    container: Obj = {"name": "main", "image": "busybox", "command": ["sh", "-c", command]}
    container.update(spec.pop("container", {}))
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"nodeName": node, "containers": [container], "terminationGracePeriodSeconds": 2, **spec},
    }


async def wait_for(client: Client, name: str, check: Callable[[Obj], bool], timeout: float = 60) -> Obj:
    """The pod once `check` holds (polled; generous for loaded machines)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        current = await client.get(PODS, name, namespace=NS)
        if check(current):
            return current
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"pod {name} never got there: {current.get('status')}")
        await asyncio.sleep(0.1)


def phase(expected: str) -> Callable[[Obj], bool]:
    return lambda p: (p.get("status") or {}).get("phase") == expected


def log_lines(kubelet: Kubelet, pod_obj: Obj, container: str = "main", restart: int = 0) -> list[str]:
    """The container's log lines (CRI records without their prefixes)."""
    meta = pod_obj["metadata"]
    path = kubelet.services.logs_dir / f"{NS}_{meta['name']}_{meta['uid']}" / container / f"{restart}.log"
    return [line.split(" ", 3)[3] for line in path.read_text().splitlines()]
