"""Simulated nodes against a real API server in this process: registration, Leases,
pods that run, complete and are deleted, and a restart that resumes."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from pyk8s._aio.clock import RealClock
from pyk8s.api.errors import NotFoundError
from pyk8s.apiserver.app import RunningServer
from pyk8s.client import Client
from pyk8s.client.resources import LEASES, NODES, PODS
from pyk8s.node import NodeConfig, run_nodes
from pyk8s.node.run import serve_fleet
from pyk8s.node.simulated import SimulatedFleet
from pyk8s.node.simulated.lifecycle import EXIT_CODE_ANNOTATION

from ..conftest import eventually

FAST = {
    "pod_start_delay_seconds": 0.1,
    "max_shutdown_delay_seconds": 0.2,
    "lease_renew_interval_seconds": 0.3,
    "node_status_report_seconds": 1.0,
}


def fast_config(kubeconfig: Path, **overrides: Any) -> NodeConfig:
    return NodeConfig(kubeconfig=kubeconfig, **{"name": "sim", "count": 3, **FAST, **overrides})


@asynccontextmanager
async def running_fleet(kubeconfig: Path, **overrides: Any) -> AsyncIterator[SimulatedFleet]:
    """A fleet registered and serving; stopped on exit."""
    config = fast_config(kubeconfig, **overrides)
    async with Client.from_kubeconfig(kubeconfig, component="node") as node_client:
        fleet = SimulatedFleet(node_client, config, clock=RealClock())
        stop = asyncio.Event()
        task = asyncio.create_task(serve_fleet(fleet, stop))
        try:
            await asyncio.wait_for(fleet.registered.wait(), 10)
            yield fleet
        finally:
            stop.set()
            await task


async def settled(fleet: SimulatedFleet) -> None:
    await eventually(_idle(fleet))


def _idle(fleet: SimulatedFleet) -> Any:
    async def check() -> bool:
        return len(fleet.queue) == 0 and fleet.queue.processing == 0

    return check


def pod(name: str, node: str, **spec: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": "default"}
    if "annotations" in spec:
        meta["annotations"] = spec.pop("annotations")
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"nodeName": node, "containers": [{"name": "app", "image": "nginx"}], **spec},
    }


async def get_pod(client: Client, name: str) -> dict[str, Any] | None:
    try:
        return await client.get(PODS, name, namespace="default")
    except NotFoundError:
        return None


async def wait_pod(client: Client, name: str, predicate: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}

    async def check() -> bool:
        obj = await get_pod(client, name)
        if obj is not None and predicate(obj):
            found["pod"] = obj
            return True
        return False

    await eventually(check)
    return found["pod"]


def ready(obj: dict[str, Any]) -> bool:
    conditions = {c["type"]: c["status"] for c in (obj.get("status") or {}).get("conditions") or []}
    return conditions.get("Ready") == "True"


def phase(obj: dict[str, Any]) -> str:
    return str((obj.get("status") or {}).get("phase"))


async def test_nodes_register_and_stay_ready_with_renewed_leases(
    apiserver: RunningServer, client: Client
) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(run_nodes(fast_config(apiserver.kubeconfig), stop))
    try:

        async def three_ready_nodes() -> bool:
            nodes = (await client.list(NODES))["items"]
            return len(nodes) == 3 and all(ready(n) for n in nodes)

        await eventually(three_ready_nodes)

        async def three_leases() -> bool:
            return len((await client.list(LEASES, namespace="kube-node-lease"))["items"]) == 3

        await eventually(three_leases)
        nodes = {n["metadata"]["name"]: n for n in (await client.list(NODES))["items"]}
        assert sorted(nodes) == ["sim-0", "sim-1", "sim-2"]
        addresses = {n["status"]["addresses"][0]["address"] for n in nodes.values()}
        assert len(addresses) == 3
        first = {
            lease["metadata"]["name"]: lease
            for lease in (await client.list(LEASES, namespace="kube-node-lease"))["items"]
        }
        assert sorted(first) == ["sim-0", "sim-1", "sim-2"]
        for name, lease in first.items():
            assert lease["spec"]["holderIdentity"] == name
            assert lease["spec"]["leaseDurationSeconds"] == 40
            assert lease["metadata"]["ownerReferences"][0]["uid"] == nodes[name]["metadata"]["uid"]

        async def renewed() -> bool:
            leases = (await client.list(LEASES, namespace="kube-node-lease"))["items"]
            return all(
                lease["spec"]["renewTime"] > first[lease["metadata"]["name"]]["spec"]["renewTime"]
                for lease in leases
            )

        await eventually(renewed)
        heartbeat = {
            name: next(c for c in n["status"]["conditions"] if c["type"] == "Ready")["lastHeartbeatTime"]
            for name, n in nodes.items()
        }

        async def status_reported() -> bool:
            current = (await client.list(NODES))["items"]
            return all(
                ready(n)
                and next(c for c in n["status"]["conditions"] if c["type"] == "Ready")["lastHeartbeatTime"]
                > heartbeat[n["metadata"]["name"]]
                for n in current
            )

        await eventually(status_reported)
    finally:
        stop.set()
        await task


async def test_a_bound_pod_turns_running_and_ready(apiserver: RunningServer, client: Client) -> None:
    async with running_fleet(apiserver.kubeconfig) as fleet:
        await client.create(PODS, pod("web-a", "sim-1"))
        await client.create(
            PODS, pod("web-b", "sim-2", initContainers=[{"name": "init", "image": "busybox"}])
        )
        a = await wait_pod(client, "web-a", lambda p: phase(p) == "Running" and ready(p))
        b = await wait_pod(client, "web-b", lambda p: phase(p) == "Running" and ready(p))
        node = await client.get(NODES, "sim-1")
        status = a["status"]
        assert status["hostIP"] == node["status"]["addresses"][0]["address"]
        assert status["hostIPs"] == [{"ip": status["hostIP"]}]
        assert ipaddress.ip_address(status["podIP"]) in ipaddress.ip_network("10.244.0.0/16")
        assert status["podIP"] != b["status"]["podIP"]
        assert status["qosClass"] == "BestEffort" and status["startTime"]
        (app,) = status["containerStatuses"]
        assert app["ready"] and app["started"] and app["restartCount"] == 0
        assert "running" in app["state"] and app["containerID"].startswith("simulated://")
        types = [c["type"] for c in status["conditions"]]
        assert types == [
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled",
        ]
        assert b["status"]["initContainerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
        assert fleet.counters.pod_status_writes >= 4  # ContainerCreating, then Running, for each


async def test_completion_annotation_makes_pods_succeed_or_fail(
    apiserver: RunningServer, client: Client
) -> None:
    async with running_fleet(apiserver.kubeconfig):
        await client.create(
            PODS, pod("ok", "sim-0", restartPolicy="Never", annotations={EXIT_CODE_ANNOTATION: "0"})
        )
        await client.create(PODS, pod("bad", "sim-0", restartPolicy="OnFailure"))
        await wait_pod(client, "bad", lambda p: phase(p) == "Running")
        await client.patch(
            PODS, "bad", {"metadata": {"annotations": {EXIT_CODE_ANNOTATION: "2"}}}, namespace="default"
        )
        ok = await wait_pod(client, "ok", lambda p: phase(p) == "Succeeded")
        bad = await wait_pod(client, "bad", lambda p: phase(p) == "Failed")
        assert ok["status"]["containerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
        terminated = bad["status"]["containerStatuses"][0]["state"]["terminated"]
        assert terminated["exitCode"] == 2 and terminated["reason"] == "Error"
        assert not ready(bad)


async def test_graceful_deletion_terminates_then_removes_the_pod(
    apiserver: RunningServer, client: Client
) -> None:
    async with running_fleet(apiserver.kubeconfig) as fleet:
        await client.create(PODS, pod("doomed", "sim-2"))
        await wait_pod(client, "doomed", lambda p: phase(p) == "Running")
        marked = await client.delete(PODS, "doomed", namespace="default")
        assert marked["metadata"]["deletionGracePeriodSeconds"] == 30  # only marked: the node finishes it

        async def gone() -> bool:
            return await get_pod(client, "doomed") is None

        await eventually(gone)
        assert fleet.counters.pod_deletes == 1

        async def forgotten() -> bool:  # once the fleet's informer has seen the deletion too
            return "default/doomed" not in fleet.records

        await eventually(forgotten)


async def test_a_restarted_node_process_resumes_without_rewriting_running_pods(
    apiserver: RunningServer, client: Client
) -> None:
    async with running_fleet(apiserver.kubeconfig):
        await client.create(PODS, pod("steady", "sim-0"))
        before = await wait_pod(client, "steady", lambda p: phase(p) == "Running" and ready(p))
        node_before = await client.get(NODES, "sim-0")
    async with running_fleet(apiserver.kubeconfig) as fleet:
        await settled(fleet)
        after = await get_pod(client, "steady")
        node_after = await client.get(NODES, "sim-0")
    assert after is not None
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert fleet.counters.pod_status_writes == 0
    assert node_after["status"]["addresses"] == node_before["status"]["addresses"]
    assert node_after["metadata"]["uid"] == node_before["metadata"]["uid"]
    assert ready(node_after)


async def test_taints_and_labels_are_registered_and_tolerating_pods_run(
    apiserver: RunningServer, client: Client
) -> None:
    taint = {"key": "dedicated", "value": "infra", "effect": "NoSchedule"}
    async with running_fleet(apiserver.kubeconfig, count=1, labels={"zone": "a"}, taints=(taint,)):
        node = await client.get(NODES, "sim-0")
        assert taint in node["spec"]["taints"]  # beside the not-ready taint admission adds
        assert node["metadata"]["labels"]["zone"] == "a"
        # What a DaemonSet pod looks like once its controller has added the tolerations.
        toleration = {"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}
        await client.create(PODS, pod("agent", "sim-0", tolerations=[toleration]))
        await wait_pod(client, "agent", lambda p: phase(p) == "Running" and ready(p))


async def test_a_deleted_node_is_not_registered_again(apiserver: RunningServer, client: Client) -> None:
    async with running_fleet(apiserver.kubeconfig, count=2) as fleet:
        await client.delete(NODES, "sim-0")

        async def noticed() -> bool:
            return fleet.nodes["sim-0"].gone

        await eventually(noticed)
        renewals = fleet.counters.lease_renewals

        async def others_renewed() -> bool:
            return fleet.counters.lease_renewals >= renewals + 2

        await eventually(others_renewed)
        with pytest.raises(NotFoundError):
            await client.get(NODES, "sim-0")
        assert ready(await client.get(NODES, "sim-1"))
