"""Node lifecycle, taint-based eviction and pod GC end to end: a real API server, the
controller manager (short grace periods), fake node agents per node whose heartbeats (node
Leases) the test drives, and the real kubectl."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import pytest
import pytest_asyncio

from pyk8s.api.errors import AlreadyExistsError, NotFoundError
from pyk8s.api.meta import rfc3339_micro
from pyk8s.client.resources import LEASES, NODES, PODS
from pyk8s.controllers.nodelifecycle import TAINT_EVICTION_CONTROLLER, new_node_lifecycle_controller
from pyk8s.controllers.podgc import new_podgc_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor
from pyk8s.testing.nodes import FakeNodes

from .housekeeping import Cluster, gone, running_cluster, wait_until

pytestmark = pytest.mark.asyncio(loop_scope="module")

Obj = dict[str, Any]
UNREACHABLE = "node.kubernetes.io/unreachable"
GRACE = 2.0


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cluster]:
    tmp = tmp_path_factory.mktemp("nodelifecycle-e2e")
    descriptors = [
        ControllerDescriptor(
            "nodelifecycle",
            partial(new_node_lifecycle_controller, grace_period=GRACE, startup_grace_period=GRACE),
        ),
        TAINT_EVICTION_CONTROLLER,
        ControllerDescriptor("podgc", partial(new_podgc_controller, threshold=2, period=0.2, quarantine=0.5)),
    ]
    async with running_cluster(tmp, descriptors, start_nodes=False) as c:
        yield c


class Heartbeat:
    """Renews a node's Lease in kube-node-lease, as a node agent does, until stopped."""

    def __init__(self, cluster: Cluster, node: str) -> None:
        self.cluster, self.node = cluster, node
        self.task: asyncio.Task[None] | None = None

    async def beat(self) -> None:
        client = self.cluster.client
        lease = {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": self.node, "namespace": "kube-node-lease"},
            "spec": {
                "holderIdentity": self.node,
                "leaseDurationSeconds": 40,
                "renewTime": rfc3339_micro(client.clock.now()),
            },
        }
        try:
            await client.create(LEASES, lease)
        except AlreadyExistsError:
            patch = {"spec": {"renewTime": rfc3339_micro(client.clock.now())}}
            await client.patch(LEASES, self.node, patch, namespace="kube-node-lease")

    async def _run(self) -> None:
        while True:
            await self.beat()
            await asyncio.sleep(0.3)

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task


def pod(name: str, node: str, toleration_seconds: int | None = -1) -> Obj:
    """A pod on `node`; `toleration_seconds` None: tolerates unreachable forever; -1: the
    admission default (300 s)."""
    spec: Obj = {"nodeName": node, "containers": [{"name": "c", "image": "busybox"}]}
    if toleration_seconds is None or toleration_seconds >= 0:
        toleration: Obj = {"key": UNREACHABLE, "operator": "Exists", "effect": "NoExecute"}
        if toleration_seconds is not None:
            toleration["tolerationSeconds"] = toleration_seconds
        spec["tolerations"] = [toleration]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


async def get(cluster: Cluster, resource: Any, name: str, namespace: str | None = None) -> Obj | None:
    try:
        return await cluster.client.get(resource, name, namespace=namespace)
    except NotFoundError:
        return None


def ready(obj: Obj | None) -> str:
    for cond in ((obj or {}).get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return str(cond.get("status"))
    return ""


def deleting(obj: Obj | None) -> bool:
    return obj is None or bool(obj["metadata"].get("deletionTimestamp"))


async def test_a_silent_node_goes_unknown_is_tainted_and_its_pods_are_evicted(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    alive_agent = FakeNodes(cluster.client, nodes=("node-alive",))
    dying_agent = FakeNodes(cluster.client, nodes=("node-dying",))
    alive, dying = Heartbeat(cluster, "node-alive"), Heartbeat(cluster, "node-dying")
    await alive_agent.start()
    await dying_agent.start()
    alive.start()
    dying.start()
    try:
        pods = {
            "now": pod("now", "node-dying", 0),
            "soon": pod("soon", "node-dying", 3),
            "forever": pod("forever", "node-dying", None),
            "default": pod("default", "node-dying"),
            "elsewhere": pod("elsewhere", "node-alive", 0),
        }
        for p in pods.values():
            await cluster.client.create(PODS, p, namespace=ns)
        for name in pods:
            await wait_until(lambda name=name: _ready_pod(cluster, ns, name), what=f"pod {name} ready")
        created = await cluster.client.get(PODS, "default", namespace=ns)
        assert any(t.get("tolerationSeconds") == 300 for t in created["spec"]["tolerations"])

        # the node agent of node-dying stops: no more heartbeats, no more pod updates
        await dying.stop()
        await dying_agent.stop()

        node = await wait_until(lambda: _unknown(cluster, "node-dying"), what="node-dying Unknown")
        ready_condition = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
        assert (ready_condition["reason"], ready_condition["message"]) == (
            "NodeStatusUnknown",
            "Kubelet stopped posting node status.",
        )
        tainted = await wait_until(lambda: _taints(cluster, "node-dying"), what="unreachable taints")
        assert {(t["key"], t["effect"]) for t in tainted} >= {
            (UNREACHABLE, "NoSchedule"),
            (UNREACHABLE, "NoExecute"),
        }
        assert all(t.get("timeAdded") for t in tainted if t["key"] == UNREACHABLE)

        evicted = await wait_until(lambda: _deleting(cluster, ns, "now"), what="untolerating pod evicted")
        assert evicted is True or any(
            c["type"] == "DisruptionTarget" for c in evicted["status"]["conditions"]
        )
        assert not deleting(await get(cluster, PODS, "soon", ns))  # its countdown is still running
        await wait_until(lambda: _deleting(cluster, ns, "soon"), what="pod evicted after tolerationSeconds")
        for name in ("forever", "default"):
            current = await get(cluster, PODS, name, ns)
            assert not deleting(current)
            assert ready(current) == "False"  # a pod on a lost node does not serve
        events = await wait_until(lambda: cluster.events(ns, "TaintManagerEviction"), what="eviction events")
        assert any(e["message"] == f"Marking for deletion Pod {ns}/now" for e in events)
        node_events = await wait_until(lambda: cluster.events("default", "NodeNotReady"), what="node event")
        assert any(e["message"] == "Node node-dying status is now: NodeNotReady" for e in node_events)

        # the healthy node and its pod are untouched
        healthy = await cluster.client.get(NODES, "node-alive")
        assert ready(healthy) == "True" and not any(
            t["key"] == UNREACHABLE for t in healthy["spec"].get("taints") or []
        )
        assert not deleting(await get(cluster, PODS, "elsewhere", ns))

        # the node comes back: the agent posts Ready again, the taints go, pending evictions are cancelled
        dying.start()
        status = {
            "status": {
                "conditions": [
                    {
                        "type": "Ready",
                        "status": "True",
                        "reason": "KubeletReady",
                        "lastHeartbeatTime": "2030-01-01T00:00:00Z",
                    }
                ]
            }
        }
        await cluster.client.patch_status(
            NODES, "node-dying", status, patch_type="application/strategic-merge-patch+json"
        )
        await wait_until(lambda: _untainted(cluster, "node-dying"), what="taints removed")
        cancelled = await wait_until(lambda: cluster.events(ns, "TaintManagerEviction"), what="events")
        await wait_until(
            lambda: _has_message(cluster, ns, f"Cancelling deletion of Pod {ns}/default"),
            what="cancellation event",
        )
        assert cancelled
        assert not deleting(await get(cluster, PODS, "default", ns))
    finally:
        await alive.stop()
        await dying.stop()
        await alive_agent.stop()
        await dying_agent.stop()


async def test_pods_of_a_deleted_node_are_failed_and_collected(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    agent = FakeNodes(cluster.client, nodes=("node-gone",))
    heartbeat = Heartbeat(cluster, "node-gone")
    await agent.start()
    heartbeat.start()
    await cluster.client.create(PODS, pod("orphan", "node-gone"), namespace=ns)
    await wait_until(lambda: _ready_pod(cluster, ns, "orphan"), what="pod ready")
    seen: list[Obj] = []

    async def record() -> None:
        async with cluster.client.watch(PODS, namespace=ns, name="orphan") as stream:
            async for event in stream:
                seen.append(event.object)

    watcher = asyncio.create_task(record())
    await heartbeat.stop()
    await agent.stop()
    await cluster.kubectl("delete", "node", "node-gone")
    await wait_until(lambda: gone(cluster.client, PODS, "orphan", ns), what="orphaned pod collected")
    await asyncio.sleep(0.1)
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    marked = [p for p in seen if (p.get("status") or {}).get("phase") == "Failed"]
    assert marked, "the pod was deleted without being marked Failed"
    condition = next(c for c in marked[-1]["status"]["conditions"] if c["type"] == "DisruptionTarget")
    assert (condition["reason"], condition["message"]) == ("DeletionByPodGC", "PodGC: node no longer exists")


async def test_terminated_pods_beyond_the_threshold_are_collected_oldest_first(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    agent = FakeNodes(cluster.client, nodes=("node-batch",))
    await agent.start()
    try:
        for i in range(4):
            await cluster.client.create(PODS, pod(f"job-{i}", "node-batch"), namespace=ns)
            await wait_until(lambda i=i: _ready_pod(cluster, ns, f"job-{i}"), what="pod ready")
            await agent.complete(ns, f"job-{i}")
            await asyncio.sleep(1.05)  # creation timestamps have a resolution of one second

        async def two_left() -> list[str] | None:
            names = sorted(
                p["metadata"]["name"] for p in (await cluster.client.list(PODS, namespace=ns))["items"]
            )
            return names if len(names) == 2 else None

        assert await wait_until(two_left, what="threshold enforced") == ["job-2", "job-3"]
    finally:
        await agent.stop()


async def _ready_pod(cluster: Cluster, ns: str, name: str) -> bool:
    return ready(await get(cluster, PODS, name, ns)) == "True"


async def _unknown(cluster: Cluster, node: str) -> Obj | None:
    current = await get(cluster, NODES, node)
    return current if ready(current) == "Unknown" else None


async def _taints(cluster: Cluster, node: str) -> list[Obj] | None:
    current = await get(cluster, NODES, node)
    taints = ((current or {}).get("spec") or {}).get("taints") or []
    return taints if sum(t["key"] == UNREACHABLE for t in taints) == 2 else None


async def _untainted(cluster: Cluster, node: str) -> bool:
    current = await get(cluster, NODES, node)
    return not any(t["key"] == UNREACHABLE for t in ((current or {}).get("spec") or {}).get("taints") or [])


async def _deleting(cluster: Cluster, ns: str, name: str) -> Obj | bool | None:
    current = await get(cluster, PODS, name, ns)
    if current is None:
        return True
    return current if current["metadata"].get("deletionTimestamp") else None


async def _has_message(cluster: Cluster, ns: str, message: str) -> bool:
    return any(e["message"] == message for e in await cluster.events(ns, "TaintManagerEviction"))
