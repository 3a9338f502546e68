"""The DaemonSet controller end to end: a real API server (in this process), the controller
manager running the daemonset controller, Node objects created directly, and the FakeNodes
stand-in binding and readying pods. The real kubectl checks `rollout status` and `undo`."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pyk8s.client import Client
from pyk8s.client.resources import CONTROLLERREVISIONS, DAEMONSETS, EVENTS, NODES, PODS
from pyk8s.client.rest import PatchType
from pyk8s.controllers.daemonset.placement import target_node
from pyk8s.controllers.manager import ControllerManager
from pyk8s.controllers.runtime import Result
from pyk8s.testing.nodes import FakeNodes

from .conftest import Kubectl, StartManager, eventually

NS = "default"


class PinnedNodes(FakeNodes):
    """FakeNodes binds unscheduled pods round robin; the scheduler honours the required node
    affinity a DaemonSet pins its pods with (`metadata.name In (<node>)`), so this binds
    pinned pods to their node, and leaves pods pinned to nodes it does not run alone."""

    async def reconcile(self, key: str) -> Result | None:
        pod = self.pods.lister.get_by_key(key)
        if pod is not None and not (pod.get("spec") or {}).get("nodeName"):
            node = target_node(pod)
            if node and not pod["metadata"].get("deletionTimestamp"):
                if node in self.nodes:
                    meta = pod["metadata"]
                    await self.client.bind(meta["namespace"], meta["name"], node, uid=meta.get("uid"))
                return None
        return await super().reconcile(key)


@pytest.fixture
async def manager(start_manager: StartManager) -> ControllerManager:
    """The controller manager running only the daemonset controller."""
    return (await start_manager(controllers=("daemonset",))).manager


async def settled(manager: ControllerManager, nodes: FakeNodes) -> None:
    """Wait until the controller and the node stand-in have nothing left to do, a few polls
    in a row (one's writes wake the other)."""
    quiet = 0
    while quiet < 3:
        await asyncio.sleep(0.05)
        quiet = quiet + 1 if manager.is_idle() and nodes.is_idle() else 0


async def create_node(
    client: Client, name: str, labels: dict[str, str] | None = None, taints: Any = None
) -> None:
    """A Ready node with these labels and taints. The API server taints a new node
    not-ready (NoSchedule) until the node lifecycle controller sees it Ready; that controller
    does not run here, so the test clears the taint itself."""
    node: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": labels or {}},
    }
    created = await client.create(NODES, node)
    created["spec"]["taints"] = list(taints or [])
    await client.update(NODES, created)
    ready = {"type": "Ready", "status": "True", "reason": "KubeletReady"}
    await client.patch_status(NODES, name, {"status": {"conditions": [ready]}})


def daemonset(name: str = "agent", *, image: str = "agent:1", **pod_spec: Any) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "agent", "image": image}], **pod_spec},
            },
        },
    }


async def pods_of(client: Client, app: str) -> list[dict]:
    listed = await client.list(PODS, namespace=NS, label_selector={"app": app})
    return [p for p in listed["items"] if not p["metadata"].get("deletionTimestamp")]


async def ready_on(client: Client, app: str) -> dict[str, dict]:
    """Running-and-ready pods by node."""
    ready = {}
    for pod in await pods_of(client, app):
        conditions = {c["type"]: c["status"] for c in (pod.get("status") or {}).get("conditions") or []}
        if conditions.get("Ready") == "True":
            ready[pod["spec"]["nodeName"]] = pod
    return ready


async def test_one_pod_per_eligible_node_honouring_selector_and_taints(
    client: Client, manager: ControllerManager
) -> None:
    await create_node(client, "worker-1", {"role": "worker"})
    await create_node(client, "worker-2", {"role": "worker"})
    await create_node(
        client, "gpu-1", {"role": "worker"}, [{"key": "gpu", "value": "yes", "effect": "NoSchedule"}]
    )
    await create_node(client, "infra-1", {"role": "infra"})
    names = ("worker-1", "worker-2", "gpu-1", "infra-1", "worker-3")
    async with PinnedNodes(client, nodes=names, register=False) as nodes:
        await client.create(DAEMONSETS, daemonset(nodeSelector={"role": "worker"}))

        async def two_ready() -> dict[str, dict] | None:
            ready = await ready_on(client, "agent")
            return ready if set(ready) == {"worker-1", "worker-2"} else None

        ready = await eventually(two_ready)
        await settled(manager, nodes)
        assert len(await pods_of(client, "agent")) == 2
        pod = ready["worker-1"]
        assert pod["metadata"]["generateName"] == "agent-"
        assert pod["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet"
        labels = pod["metadata"]["labels"]
        assert labels["pod-template-generation"] == "1"
        assert labels["controller-revision-hash"]
        pin = pod["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        assert pin == {
            "nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-1"]}]}
            ]
        }
        tolerated = {(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]}
        assert ("node.kubernetes.io/not-ready", "NoExecute") in tolerated
        assert ("node.kubernetes.io/unschedulable", "NoSchedule") in tolerated

        ds = await client.get(DAEMONSETS, "agent", namespace=NS)
        status = ds["status"]
        assert status["desiredNumberScheduled"] == 2
        assert status["currentNumberScheduled"] == 2
        assert status["numberReady"] == 2
        assert status["numberAvailable"] == 2
        assert status["updatedNumberScheduled"] == 2
        assert status["numberMisscheduled"] == 0
        assert status.get("numberUnavailable", 0) == 0
        assert status["observedGeneration"] == ds["metadata"]["generation"]

        revisions = (await client.list(CONTROLLERREVISIONS, namespace=NS))["items"]
        assert len(revisions) == 1
        assert revisions[0]["metadata"]["name"] == f"agent-{labels['controller-revision-hash']}"
        assert revisions[0]["revision"] == 1
        assert revisions[0]["data"]["spec"]["template"]["$patch"] == "replace"

        events = (await client.list(EVENTS, namespace=NS))["items"]
        created = [e for e in events if e["reason"] == "SuccessfulCreate"]
        assert {e["message"] for e in created} == {
            f"Created pod: {p['metadata']['name']}" for p in ready.values()
        }

        # a new eligible node gets a pod; tolerating the taint brings the GPU node in
        await create_node(client, "worker-3", {"role": "worker"})
        await eventually(lambda: _nodes_ready(client, {"worker-1", "worker-2", "worker-3"}))
        tolerations = {
            "spec": {"template": {"spec": {"tolerations": [{"key": "gpu", "operator": "Exists"}]}}}
        }
        await client.patch(DAEMONSETS, "agent", tolerations, namespace=NS)
        await eventually(lambda: _nodes_ready(client, {"worker-1", "worker-2", "worker-3", "gpu-1"}))


async def _nodes_ready(client: Client, wanted: set[str]) -> bool:
    return set(await ready_on(client, "agent")) == wanted


async def test_noexecute_taint_and_label_change_remove_the_pod(
    client: Client, manager: ControllerManager
) -> None:
    await create_node(client, "n1", {"role": "worker"})
    await create_node(client, "n2", {"role": "worker"})
    async with PinnedNodes(client, nodes=("n1", "n2"), register=False):
        await client.create(DAEMONSETS, daemonset(nodeSelector={"role": "worker"}))
        await eventually(lambda: _nodes_ready(client, {"n1", "n2"}))
        await client.patch(NODES, "n1", {"spec": {"taints": [{"key": "maintenance", "effect": "NoExecute"}]}})
        await client.patch(NODES, "n2", {"metadata": {"labels": {"role": "spare"}}})

        async def gone() -> bool:
            return not await pods_of(client, "agent")

        await eventually(gone)
        await eventually(
            lambda: _status_is(client, "agent", desiredNumberScheduled=0, currentNumberScheduled=0)
        )


async def _status_is(client: Client, name: str, **expected: int) -> bool:
    status = (await client.get(DAEMONSETS, name, namespace=NS)).get("status") or {}
    return all(int(status.get(k) or 0) == v for k, v in expected.items())


async def test_rolling_update_replaces_every_pod_and_rollout_status_finishes(
    client: Client, manager: ControllerManager, kubectl: Kubectl
) -> None:
    names = ("r1", "r2", "r3")
    for name in names:
        await create_node(client, name)
    async with PinnedNodes(client, nodes=names, register=False):
        spec = daemonset(image="agent:1")
        spec["spec"]["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}
        await client.create(DAEMONSETS, spec)
        await eventually(lambda: _nodes_ready(client, set(names)))
        out = await kubectl.run("rollout", "status", "ds/agent", "-n", NS, "--timeout=30s")
        assert 'daemon set "agent" successfully rolled out' in out

        old_hash = (await pods_of(client, "agent"))[0]["metadata"]["labels"]["controller-revision-hash"]
        image = {"spec": {"template": {"spec": {"containers": [{"name": "agent", "image": "agent:2"}]}}}}
        await client.patch(DAEMONSETS, "agent", image, namespace=NS, patch_type=PatchType.STRATEGIC)

        out = await kubectl.run("rollout", "status", "ds/agent", "-n", NS, "--timeout=30s")
        assert 'daemon set "agent" successfully rolled out' in out

        async def all_new() -> list[dict] | None:
            pods = await pods_of(client, "agent")
            images = {p["spec"]["containers"][0]["image"] for p in pods}
            return pods if len(pods) == 3 and images == {"agent:2"} else None

        pods = await eventually(all_new)
        new_hash = pods[0]["metadata"]["labels"]["controller-revision-hash"]
        assert new_hash != old_hash
        assert {p["metadata"]["labels"]["pod-template-generation"] for p in pods} == {"2"}
        revisions = sorted(
            (await client.list(CONTROLLERREVISIONS, namespace=NS))["items"], key=lambda r: r["revision"]
        )
        assert [r["metadata"]["name"] for r in revisions] == [f"agent-{old_hash}", f"agent-{new_hash}"]
        assert [r["revision"] for r in revisions] == [1, 2]
        status = (await client.get(DAEMONSETS, "agent", namespace=NS))["status"]
        assert status["updatedNumberScheduled"] == 3
        assert status["numberAvailable"] == 3

        events = (await client.list(EVENTS, namespace=NS))["items"]
        assert sum(1 for e in events if e["reason"] == "SuccessfulDelete") == 3

        # kubectl finds the revisions and recognises the current one byte for byte
        out = await kubectl.run("rollout", "undo", "ds/agent", "-n", NS, "--to-revision=2")
        assert "skipped rollback (current template already matches revision 2)" in out
