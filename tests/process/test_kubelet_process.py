"""The node agent on the process runtime: an API server in-process, a Kubelet whose
containers are host processes, pods created through the API. Runs without root (the
symlink view under $PYK8S_ROOT) and, as root, also with the chrooted view. Needs
busybox-static."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from pyk8s.apiserver.app import ApiServerConfig, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import CONFIGMAPS, NODES, PODS, SECRETS, SERVICEACCOUNTS
from pyk8s.node.images.busybox import find_busybox
from pyk8s.node.kubelet.agent import Kubelet, KubeletConfig
from pyk8s.node.process import ProcessRuntime
from tests.conftest import require_binary

Obj = dict[str, Any]
NS = "default"
VIEWS = ["links", pytest.param("chroot", marks=pytest.mark.skipif(os.geteuid() != 0, reason="needs root"))]


def _busybox() -> str | None:
    try:
        return str(find_busybox())
    except FileNotFoundError:
        return None


class Node:
    """An API server, a client and a process-runtime Kubelet that can be restarted."""

    def __init__(self, tmp_path: Path, view: str) -> None:
        self.tmp_path = tmp_path
        self.view = view
        self.name = f"proc-{uuid.uuid4().hex[:6]}"
        self.kubelet: Kubelet | None = None
        self.stop_event = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def start_kubelet(self, client: Client) -> Kubelet:
        kubelet = Kubelet(
            KubeletConfig(
                node_name=self.name, data_dir=self.tmp_path / "node", client=client, runtime="process"
            )
        )
        assert isinstance(kubelet.runtime, ProcessRuntime)
        kubelet.runtime.chroot = self.view == "chroot"
        self.stop_event = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(kubelet.run(self.stop_event))
        self.kubelet = kubelet
        return kubelet

    async def stop_kubelet(self) -> None:
        self.stop_event.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 30)


@pytest.fixture(params=VIEWS)
async def node(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[Client, Node]]:
    require_binary("busybox", _busybox(), "busybox-static")
    running = await start_apiserver(
        ApiServerConfig(data_dir=tmp_path / "api", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    )
    client = Client.from_kubeconfig(running.kubeconfig)
    await client.create(
        SERVICEACCOUNTS,
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}},
        namespace=NS,
    )
    root_ca = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-root-ca.crt"}}
    root_ca["data"] = {"ca.crt": (tmp_path / "api" / "pki" / "ca.crt").read_text()}
    await client.create(CONFIGMAPS, root_ca, namespace=NS)
    node = Node(tmp_path, request.param)
    await node.start_kubelet(client)
    try:
        yield client, node
    finally:
        kubelet = node.kubelet
        assert kubelet is not None
        for worker in list(kubelet.workers.values()):
            await worker.stop()
            await worker._kill_all(grace=0)
            await worker.cleanup()
        await node.stop_kubelet()
        await client.aclose()
        await running.stop()


def pod(name: str, node: str, command: str, **spec: Any) -> Obj:
    container: Obj = {"name": "main", "image": "busybox", "command": ["sh", "-c", command]}
    container.update(spec.pop("container", {}))
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"nodeName": node, "containers": [container], "terminationGracePeriodSeconds": 2, **spec},
    }


async def wait_for(client: Client, name: str, check: Callable[[Obj], bool], timeout: float = 60) -> Obj:
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
    meta = pod_obj["metadata"]
    path = kubelet.services.logs_dir / f"{NS}_{meta['name']}_{meta['uid']}" / container / f"{restart}.log"
    return [line.split(" ", 3)[3] for line in path.read_text().splitlines()]


async def test_pods_complete_and_fail_with_env_and_volumes(node: tuple[Client, Node]) -> None:
    client, proc = node
    assert proc.kubelet is not None
    await client.create(
        CONFIGMAPS,
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "settings"},
            "data": {"greeting": "hi"},
        },
        namespace=NS,
    )
    await client.create(
        SECRETS,
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "creds"},
            "stringData": {"user": "alice"},
        },
        namespace=NS,
    )
    script = (
        "echo $GREETING $POD_NAME; cat $PYK8S_ROOT/config/greeting; echo; cat $PYK8S_ROOT/creds/user; echo;"
        " cat $PYK8S_ROOT/info/labels; echo; echo done > $PYK8S_ROOT/scratch/out; cat $PYK8S_ROOT/scratch/out"
    )
    spec = pod(
        "done",
        proc.name,
        script,
        restartPolicy="Never",
        volumes=[
            {"name": "cfg", "configMap": {"name": "settings"}},
            {"name": "creds", "secret": {"secretName": "creds"}},
            {
                "name": "info",
                "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]},
            },
            {"name": "scratch", "emptyDir": {}},
        ],
        container={
            "env": [
                {
                    "name": "GREETING",
                    "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "greeting"}},
                },
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            ],
            "volumeMounts": [
                {"name": "cfg", "mountPath": "/config"},
                {"name": "creds", "mountPath": "/creds"},
                {"name": "info", "mountPath": "/info"},
                {"name": "scratch", "mountPath": "/scratch"},
            ],
        },
    )
    spec["metadata"]["labels"] = {"app": "demo"}
    await client.create(PODS, spec, namespace=NS)
    await client.create(
        PODS, pod("fails", proc.name, "echo oops >&2; exit 3", restartPolicy="Never"), namespace=NS
    )
    finished = await wait_for(client, "done", phase("Succeeded"))
    status = finished["status"]["containerStatuses"][0]
    assert status["state"]["terminated"]["reason"] == "Completed"
    assert status["containerID"].startswith("process://")
    assert finished["status"]["podIP"] == "127.0.0.1"  # the node's: pods share the host network
    assert log_lines(proc.kubelet, finished) == ["hi done", "hi", "alice", 'app="demo"', "done"]
    failed = await wait_for(client, "fails", phase("Failed"))
    terminated = failed["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (3, "Error")
    assert log_lines(proc.kubelet, failed) == ["oops"]
    node_obj = await client.get(NODES, proc.name)
    assert node_obj["status"]["nodeInfo"]["containerRuntimeVersion"].startswith("process://")


async def test_readiness_exec_and_graceful_deletion(node: tuple[Client, Node], tmp_path: Path) -> None:
    client, proc = node
    assert proc.kubelet is not None
    out = tmp_path / "out"
    spec = pod(
        "web",
        proc.name,
        "trap 'echo got TERM > $PYK8S_ROOT/out/term; exit 0' TERM; touch $PYK8S_ROOT/out/ready;"
        " while true; do sleep 0.1; done",
        volumes=[{"name": "out", "hostPath": {"path": str(out), "type": "DirectoryOrCreate"}}],
        container={
            "readinessProbe": {
                "exec": {"command": ["sh", "-c", "test -e $PYK8S_ROOT/out/ready"]},
                "periodSeconds": 1,
            },
            "volumeMounts": [{"name": "out", "mountPath": "/out"}],
        },
    )
    await client.create(PODS, spec, namespace=NS)
    ready = await wait_for(
        client,
        "web",
        lambda p: any(
            c["type"] == "Ready" and c["status"] == "True"
            for c in (p.get("status") or {}).get("conditions") or []
        ),
    )
    assert ready["status"]["containerStatuses"][0]["ready"] is True
    worker = proc.kubelet.workers[ready["metadata"]["uid"]]
    code, output = await worker._exec(worker.records["main"], ["sh", "-c", "echo $HOSTNAME"], 10)
    assert (code, output) == (0, b"web\n")
    await client.delete(PODS, "web", namespace=NS)
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        try:
            await client.get(PODS, "web", namespace=NS)
        except Exception:
            break
        assert asyncio.get_running_loop().time() < deadline, "the pod was never removed"
        await asyncio.sleep(0.1)
    assert (out / "term").read_text() == "got TERM\n"


async def test_a_restarted_agent_adopts_running_containers(node: tuple[Client, Node]) -> None:
    client, proc = node
    kubelet = proc.kubelet
    assert kubelet is not None
    await client.create(PODS, pod("long", proc.name, "echo started; sleep 300"), namespace=NS)
    running = await wait_for(client, "long", phase("Running"))
    cid = running["status"]["containerStatuses"][0]["containerID"].split("://", 1)[1]
    state_file = kubelet.runtime.container_dir(cid) / "state.json"
    before = json.loads(state_file.read_text())
    await proc.stop_kubelet()
    restarted = await proc.start_kubelet(client)
    await asyncio.sleep(2)  # several pod-worker ticks: a duplicate would have started by now
    assert restarted.runtime.list_ids() == [cid]
    assert json.loads(state_file.read_text()) == before
    current = await client.get(PODS, "long", namespace=NS)
    status = current["status"]["containerStatuses"][0]
    assert status["restartCount"] == 0 and "running" in status["state"]
    assert log_lines(restarted, current) == ["started"]
