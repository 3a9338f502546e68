"""The real node agent end to end: an API server in-process, a Kubelet on crun, pods
created through the API. Needs root, crun and busybox-static."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from pyk8s.client import Client
from pyk8s.client.resources import CONFIGMAPS, PODS
from pyk8s.node.images.busybox import ensure_busybox
from pyk8s.node.images.registry import push
from pyk8s.node.images.store import ImageStore
from pyk8s.node.kubelet.agent import Kubelet
from tests.node_fixtures import NS, log_lines, node_under_test, phase, pod, wait_for
from tests.oci.conftest import require_oci_runtime

Obj = dict[str, Any]


@pytest.fixture
async def node(tmp_path: Path) -> AsyncIterator[tuple[Client, Kubelet]]:
    require_oci_runtime("the oci node tests")
    async with node_under_test(tmp_path, runtime="oci") as running:
        assert running.kubelet is not None
        yield running.client, running.kubelet


def log_text(kubelet: Kubelet, pod_obj: Obj, container: str = "main", restart: int = 0) -> str:
    return "\n".join(log_lines(kubelet, pod_obj, container, restart))


async def test_a_pod_runs_to_completion_with_env_and_volumes(node: tuple[Client, Kubelet]) -> None:
    client, kubelet = node
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
    spec = pod(
        "done",
        kubelet.config.node_name,
        "echo $GREETING $POD_NAME; cat /config/greeting; echo; hostname; cat /etc/hostname",
        restartPolicy="Never",
        volumes=[{"name": "cfg", "configMap": {"name": "settings"}}],
        container={
            "env": [
                {
                    "name": "GREETING",
                    "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "greeting"}},
                },
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
            ],
            "volumeMounts": [{"name": "cfg", "mountPath": "/config"}],
        },
    )
    await client.create(PODS, spec, namespace=NS)
    finished = await wait_for(client, "done", phase("Succeeded"))
    state = finished["status"]["containerStatuses"][0]["state"]["terminated"]
    assert state["exitCode"] == 0 and state["reason"] == "Completed"
    assert log_text(kubelet, finished).splitlines() == ["hi done", "hi", "done", "done"]


async def test_failure_restarts_and_crash_loop(node: tuple[Client, Kubelet]) -> None:
    client, kubelet = node
    await client.create(
        PODS, pod("fails", kubelet.config.node_name, "echo oops; exit 3", restartPolicy="Never"), namespace=NS
    )
    failed = await wait_for(client, "fails", phase("Failed"))
    terminated = failed["status"]["containerStatuses"][0]["state"]["terminated"]
    assert terminated["exitCode"] == 3 and terminated["reason"] == "Error"
    await client.create(PODS, pod("loops", kubelet.config.node_name, "exit 1"), namespace=NS)
    looping = await wait_for(
        client,
        "loops",
        lambda p: any(
            (c.get("state") or {}).get("waiting", {}).get("reason") == "CrashLoopBackOff"
            for c in (p.get("status") or {}).get("containerStatuses") or []
        ),
    )
    status = looping["status"]["containerStatuses"][0]
    assert status["lastState"]["terminated"]["exitCode"] == 1
    assert "back-off 10s restarting failed container=main" in status["state"]["waiting"]["message"]


async def test_readiness_and_graceful_deletion(node: tuple[Client, Kubelet], tmp_path: Path) -> None:
    client, kubelet = node
    out = tmp_path / "out"
    spec = pod(
        "web",
        kubelet.config.node_name,
        "trap 'echo got TERM > /out/term; exit 0' TERM; touch /tmp/ready; while true; do sleep 0.1; done",
        volumes=[{"name": "out", "hostPath": {"path": str(out), "type": "DirectoryOrCreate"}}],
        container={
            "readinessProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 1},
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
    assert ready["status"]["phase"] == "Running"
    assert ready["status"]["containerStatuses"][0]["ready"] is True
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


async def test_images_pull_from_a_registry_and_pull_errors_back_off(
    node: tuple[Client, Kubelet], registry: str, tmp_path: Path
) -> None:
    client, kubelet = node
    source = ImageStore(tmp_path / "source", privileged=False)
    await push(source, ensure_busybox(source), f"{registry}/team/tools:v1")
    await client.create(
        PODS,
        pod(
            "pulled",
            kubelet.config.node_name,
            "echo pulled",
            restartPolicy="Never",
            container={"image": f"{registry}/team/tools:v1"},
        ),
        namespace=NS,
    )
    done = await wait_for(client, "pulled", phase("Succeeded"))
    assert done["status"]["containerStatuses"][0]["imageID"].startswith(f"{registry}/team/tools@sha256:")
    missing = pod(
        "missing", kubelet.config.node_name, "true", container={"image": f"{registry}/team/absent:v1"}
    )
    await client.create(PODS, missing, namespace=NS)

    def reason(p: Obj) -> str:
        statuses = (p.get("status") or {}).get("containerStatuses") or [{}]
        return (statuses[0].get("state") or {}).get("waiting", {}).get("reason", "")

    # ErrImagePull lasts one sync (half a second) before the back-off: too short to poll for.
    backing_off = await wait_for(client, "missing", lambda p: reason(p) == "ImagePullBackOff")
    assert (
        "Back-off pulling image"
        in backing_off["status"]["containerStatuses"][0]["state"]["waiting"]["message"]
    )
