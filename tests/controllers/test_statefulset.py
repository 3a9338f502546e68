"""The StatefulSet controller end to end: a real API server (in this process), the controller
manager running the statefulset controller, and the FakeNodes stand-in scheduling pods and
marking them Ready when the test says so. The real kubectl checks `rollout status` and `undo`."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest

from pyk8s.client import Client, EventType
from pyk8s.client.resources import CONTROLLERREVISIONS, EVENTS, PERSISTENTVOLUMECLAIMS, PODS, STATEFULSETS
from pyk8s.client.rest import PatchType
from pyk8s.controllers.manager import ControllerManager
from pyk8s.testing.nodes import FakeNodes

from .conftest import Kubectl, StartManager, eventually

NS = "default"
NODES = ("node-a", "node-b")


@pytest.fixture
async def manager(start_manager: StartManager) -> ControllerManager:
    """The controller manager running only the statefulset controller."""
    return (await start_manager(controllers=("statefulset",))).manager


async def settled(manager: ControllerManager, nodes: FakeNodes) -> None:
    """Wait until the controller and the node stand-in have nothing left to do, a few polls
    in a row (one's writes wake the other)."""
    quiet = 0
    while quiet < 3:
        await asyncio.sleep(0.05)
        quiet = quiet + 1 if manager.is_idle() and nodes.is_idle() else 0


def statefulset(
    name: str = "web", *, replicas: int = 3, image: str = "nginx:1", policy: str = "OrderedReady", **spec: Any
) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "replicas": replicas,
            "serviceName": "nginx",
            "podManagementPolicy": policy,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": [
                        {
                            "name": "nginx",
                            "image": image,
                            "volumeMounts": [{"name": "www", "mountPath": "/data"}],
                        }
                    ]
                },
            },
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "www"},
                    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
                }
            ],
            **spec,
        },
    }


async def pod_names(client: Client, app: str = "web") -> list[str]:
    listed = await client.list(PODS, namespace=NS, label_selector={"app": app})
    return sorted(
        p["metadata"]["name"] for p in listed["items"] if not p["metadata"].get("deletionTimestamp")
    )


async def running(client: Client, name: str) -> dict | None:
    try:
        pod = await client.get(PODS, name, namespace=NS)
    except Exception:
        return None
    return pod if (pod.get("status") or {}).get("phase") == "Running" else None


async def status_of(client: Client, name: str = "web") -> dict:
    return (await client.get(STATEFULSETS, name, namespace=NS)).get("status") or {}


async def messages(client: Client, reason: str) -> list[str]:
    return [e["message"] for e in (await client.list(EVENTS, namespace=NS))["items"] if e["reason"] == reason]


async def test_ordered_creation_storage_and_reverse_scale_down(
    client: Client, manager: ControllerManager, kubectl: Kubectl
) -> None:
    async with FakeNodes(client, nodes=NODES, ready=False) as nodes:
        await client.create(STATEFULSETS, statefulset())

        # web-0 is created and starts, but is not Ready: web-1 must wait
        await eventually(lambda: running(client, "web-0"))
        await settled(manager, nodes)
        assert await pod_names(client) == ["web-0"]
        nodes.set_ready(NS, "web-0", True)
        await eventually(lambda: running(client, "web-1"))
        await settled(manager, nodes)
        assert await pod_names(client) == ["web-0", "web-1"]
        nodes.set_ready(NS, "web-1", True)
        await eventually(lambda: running(client, "web-2"))
        nodes.set_ready(NS, "web-2", True)

        async def all_ready() -> bool:
            return (await status_of(client)).get("readyReplicas") == 3

        await eventually(all_ready)
        status = await status_of(client)
        assert status["replicas"] == 3
        assert status["availableReplicas"] == 3
        assert status["currentReplicas"] == 3
        assert status["updatedReplicas"] == 3
        assert status["currentRevision"] == status["updateRevision"]
        assert status["currentRevision"].startswith("web-")
        assert status["collisionCount"] == 0

        pod = await client.get(PODS, "web-1", namespace=NS)
        labels = pod["metadata"]["labels"]
        assert labels["statefulset.kubernetes.io/pod-name"] == "web-1"
        assert labels["apps.kubernetes.io/pod-index"] == "1"
        assert labels["controller-revision-hash"] == status["currentRevision"]
        assert pod["spec"]["hostname"] == "web-1"
        assert pod["spec"]["subdomain"] == "nginx"
        volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
        assert volumes["www"]["persistentVolumeClaim"]["claimName"] == "www-web-1"

        claims = (await client.list(PERSISTENTVOLUMECLAIMS, namespace=NS))["items"]
        assert sorted(c["metadata"]["name"] for c in claims) == ["www-web-0", "www-web-1", "www-web-2"]
        assert all(c["metadata"]["labels"] == {"app": "web"} for c in claims)
        assert all(not c["metadata"].get("ownerReferences") for c in claims)  # Retain/Retain

        assert "create Pod web-0 in StatefulSet web successful" in await messages(client, "SuccessfulCreate")
        assert "create Claim www-web-2 Pod web-2 in StatefulSet web success" in await messages(
            client, "SuccessfulCreate"
        )

        out = await kubectl.run("rollout", "status", "sts/web", "-n", NS, "--timeout=30s")
        assert "partitioned roll out complete: 3 new pods have been updated" in out

        # scale down: web-2 goes before web-1, and the claims stay
        deleted: list[str] = []
        watch_started = asyncio.Event()

        async def record_deletions() -> None:
            async with client.watch(PODS, namespace=NS, label_selector={"app": "web"}) as events:
                watch_started.set()
                async for event in events:
                    if event.type is EventType.DELETED:
                        deleted.append(event.object["metadata"]["name"])

        watcher = asyncio.create_task(record_deletions())
        try:
            await asyncio.wait_for(watch_started.wait(), 20)
            await client.patch(STATEFULSETS, "web", {"spec": {"replicas": 1}}, namespace=NS)

            async def scaled_down() -> bool:
                return len(deleted) == 2

            await eventually(scaled_down)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
        assert deleted == ["web-2", "web-1"]
        assert await pod_names(client) == ["web-0"]
        assert len((await client.list(PERSISTENTVOLUMECLAIMS, namespace=NS))["items"]) == 3
        assert "delete Pod web-2 in StatefulSet web successful" in await messages(client, "SuccessfulDelete")


async def test_rolling_update_with_partition(
    client: Client, manager: ControllerManager, kubectl: Kubectl
) -> None:
    async with FakeNodes(client, nodes=NODES, ready=True):
        await client.create(STATEFULSETS, statefulset(image="nginx:1"))

        async def ready(count: int) -> bool:
            return (await status_of(client)).get("readyReplicas") == count

        await eventually(lambda: ready(3))
        first = (await status_of(client))["currentRevision"]

        patch = {
            "spec": {
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}},
                "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:2"}]}},
            }
        }
        await client.patch(STATEFULSETS, "web", patch, namespace=NS, patch_type=PatchType.STRATEGIC)

        async def partitioned() -> dict | None:
            status = await status_of(client)
            done = status.get("updatedReplicas") == 1 and status.get("readyReplicas") == 3
            return status if done and status.get("updateRevision") != first else None

        status = await eventually(partitioned)
        second = status["updateRevision"]
        assert status["currentRevision"] == first
        images = {}
        for name in ("web-0", "web-1", "web-2"):
            pod = await client.get(PODS, name, namespace=NS)
            images[name] = (
                pod["spec"]["containers"][0]["image"],
                pod["metadata"]["labels"]["controller-revision-hash"],
            )
        assert images == {
            "web-0": ("nginx:1", first),
            "web-1": ("nginx:1", first),
            "web-2": ("nginx:2", second),
        }
        out = await kubectl.run("rollout", "status", "sts/web", "-n", NS, "--timeout=30s")
        assert "partitioned roll out complete: 1 new pods have been updated" in out

        await client.patch(
            STATEFULSETS,
            "web",
            {"spec": {"updateStrategy": {"rollingUpdate": {"partition": 0}}}},
            namespace=NS,
            patch_type=PatchType.STRATEGIC,
        )
        await kubectl.run("rollout", "status", "sts/web", "-n", NS, "--timeout=30s")

        async def complete() -> dict | None:
            status = await status_of(client)
            return (
                status
                if status.get("currentRevision") == second and status.get("updatedReplicas") == 3
                else None
            )

        status = await eventually(complete)
        assert status["currentReplicas"] == 3
        revisions = sorted(
            (await client.list(CONTROLLERREVISIONS, namespace=NS))["items"], key=lambda r: r["revision"]
        )
        assert [r["metadata"]["name"] for r in revisions] == [first, second]
        assert [r["revision"] for r in revisions] == [1, 2]
        for revision in revisions:
            assert (
                revision["metadata"]["name"]
                == f"web-{revision['metadata']['labels']['controller.kubernetes.io/hash']}"
            )
            assert revision["metadata"]["ownerReferences"][0]["kind"] == "StatefulSet"
        # kubectl finds the revisions and recognises the current one byte for byte
        out = await kubectl.run("rollout", "undo", "sts/web", "-n", NS, "--to-revision=2")
        assert "skipped rollback (current template already matches revision 2)" in out


async def test_parallel_creates_and_deletes_at_once(client: Client, manager: ControllerManager) -> None:
    async with FakeNodes(client, nodes=NODES, ready=False) as nodes:
        spec = statefulset(policy="Parallel", persistentVolumeClaimRetentionPolicy={"whenScaled": "Delete"})
        await client.create(STATEFULSETS, spec)

        async def three_running() -> bool:
            return all([await running(client, f"web-{i}") for i in range(3)])

        await eventually(three_running)
        status = await status_of(client)
        assert status.get("readyReplicas", 0) == 0

        await client.patch(STATEFULSETS, "web", {"spec": {"replicas": 1}}, namespace=NS)

        async def one_left() -> bool:
            return await pod_names(client) == ["web-0"]

        await eventually(one_left)
        await settled(manager, nodes)
        # whenScaled=Delete: the claims of removed pods are handed to those pods (the garbage
        # collector removes them with the pods); the remaining pod's claim has no owner
        claims = {
            c["metadata"]["name"]: c
            for c in (await client.list(PERSISTENTVOLUMECLAIMS, namespace=NS))["items"]
        }
        for name in ("www-web-1", "www-web-2"):
            refs = claims[name]["metadata"].get("ownerReferences") or []
            assert [(r["kind"], r["name"]) for r in refs] == [("Pod", name.removeprefix("www-"))]
        assert not claims["www-web-0"]["metadata"].get("ownerReferences")


async def test_revision_names_match_kubernetes(client: Client, manager: ControllerManager) -> None:
    """kube-controller-manager 1.34+ names the first revision of this StatefulSet (its own
    compatibility fixture) `test-776999688b`; the API server's defaults and the controller's
    patch encoding must give the same bytes, hence the same name."""
    spec = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "test", "namespace": NS, "labels": {"sslabel": "value"}},
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": {"app": "foo"}},
            "template": {
                "metadata": {"annotations": {"test": "value"}, "labels": {"app": "foo"}},
                "spec": {"containers": [{"image": "test", "name": "test"}]},
            },
        },
    }
    await client.create(STATEFULSETS, spec)

    async def observed() -> dict | None:
        status = await status_of(client, "test")
        return status if status.get("updateRevision") else None

    status = await eventually(observed)
    assert status["updateRevision"] == "test-776999688b"
