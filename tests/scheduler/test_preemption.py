"""Preemption: a higher-priority pod that fits nowhere evicts lower-priority pods."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from pyk8s.client.resources import PODS, PRIORITYCLASSES

from .conftest import Cluster, StartScheduler, scheduled_condition


async def _priority_class(
    cluster: Cluster, name: str, value: int, policy: str = "PreemptLowerPriority"
) -> None:
    await cluster.client.create(
        PRIORITYCLASSES,
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": name},
            "value": value,
            "preemptionPolicy": policy,
        },
    )


@pytest.fixture
async def kubelet(cluster: Cluster) -> AsyncIterator[None]:
    """Stands in for the node agent: finishes the deletion of terminating pods at once."""

    async def finish_deletions() -> None:
        while True:
            for pod in (await cluster.client.list(PODS, namespace="default"))["items"]:
                if pod["metadata"].get("deletionTimestamp"):
                    with contextlib.suppress(Exception):
                        await cluster.client.delete(
                            PODS, pod["metadata"]["name"], namespace="default", grace_period_seconds=0
                        )
            await asyncio.sleep(0.05)

    task = asyncio.create_task(finish_deletions())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.mark.usefixtures("kubelet")
async def test_a_higher_priority_pod_preempts_a_lower_priority_one(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    await _priority_class(cluster, "low", 10)
    await _priority_class(cluster, "high", 1000)
    await cluster.create_node("node-0", cpu="1")
    await start_scheduler()
    await cluster.create_pod("victim", cpu="800m", priorityClassName="low")
    assert await cluster.wait_bound("victim") == "node-0"

    await cluster.create_pod("vip", cpu="800m", priorityClassName="high")
    preempted = await cluster.events("victim", "Preempted")
    vip = await cluster.pod("vip")
    assert preempted[0]["message"] == f"Preempted by pod {vip['metadata']['uid']} on node node-0"
    assert await cluster.wait_bound("vip") == "node-0"
    vip = await cluster.pod("vip")
    assert scheduled_condition(vip)["status"] == "True"
    (failed,) = await cluster.events("vip", "FailedScheduling")
    # Preemption succeeded: the message has no "preemption:" part.
    assert failed["message"] == "0/1 nodes are available: 1 Insufficient cpu."
    names = [p["metadata"]["name"] for p in (await cluster.client.list(PODS, namespace="default"))["items"]]
    assert names == ["vip"]


async def test_preemption_policy_never_does_not_preempt(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    await _priority_class(cluster, "low", 10)
    await _priority_class(cluster, "polite", 1000, "Never")
    await cluster.create_node("node-0", cpu="1")
    await start_scheduler()
    await cluster.create_pod("running", cpu="800m", priorityClassName="low")
    await cluster.wait_bound("running")
    await cluster.create_pod("waiting", cpu="800m", priorityClassName="polite")
    condition = await cluster.wait_unschedulable("waiting")
    assert condition["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
    )
    assert (await cluster.pod("running"))["metadata"].get("deletionTimestamp") is None


async def test_equal_priority_pods_are_not_victims(cluster: Cluster, start_scheduler: StartScheduler) -> None:
    await cluster.create_node("node-0", cpu="1")
    await start_scheduler()
    await cluster.create_pod("first", cpu="800m")
    await cluster.wait_bound("first")
    await cluster.create_pod("second", cpu="800m")
    condition = await cluster.wait_unschedulable("second")
    assert condition["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. "
        "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
    )
