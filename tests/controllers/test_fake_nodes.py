"""FakeNodes, the test stand-in for scheduler and node agents: registration, binding, start
after a delay, readiness, completion, and deletion of terminating pods."""

from __future__ import annotations

import asyncio
from typing import Any

from pyk8s._aio.clock import FakeClock
from pyk8s.client import Client
from pyk8s.client.resources import NODES, PODS
from pyk8s.testing.nodes import FakeNodes

from .conftest import eventually


def pod(name: str, **labels: str) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "namespace": "default", "labels": labels},
        "spec": {"containers": [{"name": "main", "image": "busybox"}, {"name": "side", "image": "busybox"}]},
    }


async def get(client: Client, name: str) -> dict[str, Any]:
    return await client.get(PODS, name, namespace="default")


async def test_pods_are_bound_started_and_made_ready(client: Client) -> None:
    async with FakeNodes(
        client, nodes=("n1", "n2"), ready=lambda p: p["metadata"].get("labels", {}).get("ready") != "no"
    ):
        nodes = (await client.list(NODES))["items"]
        assert sorted(n["metadata"]["name"] for n in nodes) == ["n1", "n2"]
        assert all(
            {"type": "Ready", "status": "True"}.items() <= n["status"]["conditions"][0].items() for n in nodes
        )
        await client.create(PODS, pod("a"))
        await client.create(PODS, pod("b", ready="no"))

        async def running(name: str, ready: str) -> dict[str, Any] | None:
            p = await get(client, name)
            conditions = {c["type"]: c["status"] for c in p["status"].get("conditions", [])}
            ok = p["status"].get("phase") == "Running" and conditions.get("Ready") == ready
            return p if ok else None

        a = await eventually(lambda: running("a", "True"))
        b = await eventually(lambda: running("b", "False"))
        assert {a["spec"]["nodeName"], b["spec"]["nodeName"]} == {"n1", "n2"}  # round robin
        assert [c["name"] for c in a["status"]["containerStatuses"]] == ["main", "side"]
        assert a["status"]["podIP"] and a["status"]["hostIP"]


async def test_set_ready_complete_and_terminating_pods(client: Client) -> None:
    async with FakeNodes(client) as nodes:
        await client.create(PODS, pod("job"))
        await client.create(PODS, pod("svc"))

        async def phase(name: str, wanted: str) -> bool:
            return (await get(client, name))["status"].get("phase") == wanted

        await eventually(lambda: phase("job", "Running"))
        await eventually(lambda: phase("svc", "Running"))
        nodes.set_ready("default", "svc", False)

        async def not_ready() -> bool:
            conditions = (await get(client, "svc"))["status"]["conditions"]
            return any(c["type"] == "Ready" and c["status"] == "False" for c in conditions)

        await eventually(not_ready)
        done = await nodes.complete("default", "job", succeeded=False, exit_code=3)
        assert done["status"]["phase"] == "Failed"
        assert done["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"] == 3
        await asyncio.sleep(0.1)
        assert (await get(client, "job"))["status"]["phase"] == "Failed"  # stays finished

        await client.delete(PODS, "svc", namespace="default")  # bound: a grace period applies

        async def gone() -> bool:
            pods = (await client.list(PODS, namespace="default"))["items"]
            return "svc" not in [p["metadata"]["name"] for p in pods]

        await eventually(gone)


async def test_ready_delay_waits_on_the_clock(client: Client) -> None:
    clock = FakeClock()
    async with FakeNodes(client, ready_delay=10.0, clock=clock):
        await client.create(PODS, pod("slow"))

        async def bound() -> bool:
            return bool((await get(client, "slow"))["spec"].get("nodeName"))

        await eventually(bound)
        await asyncio.sleep(0.2)
        assert (await get(client, "slow"))["status"].get("phase") == "Pending"
        clock.advance(10)

        async def started() -> bool:
            return (await get(client, "slow"))["status"].get("phase") == "Running"

        await eventually(started)
