"""Leader election on Lease kube-system/kube-scheduler, which ComponentStatus reads."""

from __future__ import annotations

import asyncio

from pyk8s.client import Resource
from pyk8s.client.resources import LEASES

from .conftest import Cluster, StartScheduler

COMPONENT_STATUSES = Resource("", "v1", "componentstatuses", "ComponentStatus", namespaced=False)


async def test_the_leader_holds_the_lease_and_componentstatus_reports_healthy(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    status = await cluster.client.get(COMPONENT_STATUSES, "scheduler")
    assert status["conditions"][0]["status"] == "False"
    await start_scheduler(identity="scheduler-a")
    lease = await cluster.client.get(LEASES, "kube-scheduler", namespace="kube-system")
    assert lease["spec"]["holderIdentity"] == "scheduler-a"
    status = await cluster.client.get(COMPONENT_STATUSES, "scheduler")
    assert status["conditions"][0] == {"type": "Healthy", "status": "True", "message": "ok"}


async def test_a_standby_takes_over_when_the_leader_stops(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    from pyk8s.scheduler import SchedulerConfig, run_scheduler

    await cluster.create_node("node-0")
    leader = SchedulerConfig(kubeconfig=cluster.running.kubeconfig, identity="leader")
    stop_leader = asyncio.Event()
    leader_task = asyncio.create_task(run_scheduler(leader, stop_leader))
    await asyncio.wait_for(leader.ready.wait(), 10)

    standby = asyncio.create_task(start_scheduler(identity="standby"))
    await cluster.create_pod("first")
    await cluster.wait_bound("first")
    await asyncio.sleep(0.2)
    assert not standby.done()  # it waits for the Lease

    stop_leader.set()
    await asyncio.wait_for(leader_task, 10)  # releases the Lease on the way out
    await asyncio.wait_for(standby, 10)
    lease = await cluster.client.get(LEASES, "kube-scheduler", namespace="kube-system")
    assert lease["spec"]["holderIdentity"] == "standby"
    await cluster.create_pod("second")
    await cluster.wait_bound("second")
