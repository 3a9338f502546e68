"""The controller manager: leader election on kube-system/kube-controller-manager (and what
ComponentStatus makes of it), hand-over, --controllers, the CLI subcommand, leadership loss."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.api.errors import ConflictError, NotFoundError
from pyk8s.api.meta import rfc3339_micro
from pyk8s.client import Client
from pyk8s.client.resources import LEASES, PODS, REPLICASETS, REPLICATIONCONTROLLERS, Resource
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig, LeaderElectionLostError
from pyk8s.testing.nodes import FakeNodes

from .conftest import Cluster, Kubectl, StartManager, eventually
from .test_replicaset import ready, replicaset
from .test_replicationcontroller import RC

COMPONENT_STATUSES = Resource("", "v1", "componentstatuses", "ComponentStatus", namespaced=False)
REPO = Path(__file__).resolve().parents[2]


async def lease_holder(client: Client) -> str:
    try:
        lease = await client.get(LEASES, "kube-controller-manager", namespace="kube-system")
    except NotFoundError:
        return ""
    return lease["spec"].get("holderIdentity") or ""


async def controller_manager_health(client: Client) -> dict[str, Any]:
    status = await client.get(COMPONENT_STATUSES, "controller-manager")
    return status["conditions"][0]


async def test_the_leader_holds_the_lease_and_component_status_is_healthy(
    client: Client, kubectl: Kubectl, start_manager: StartManager
) -> None:
    before = await controller_manager_health(client)
    assert before["status"] == "False"
    manager = (await start_manager(identity="cm-1")).manager
    assert await lease_holder(client) == "cm-1"
    health = await controller_manager_health(client)
    assert health["status"] == "True"
    table = await kubectl.run("get", "componentstatuses")
    assert any(line.split()[:2] == ["controller-manager", "Healthy"] for line in table.splitlines())
    assert set(manager.controllers) >= {"replicaset", "replicationcontroller"}


async def test_a_standby_takes_over_when_the_leader_stops(
    client: Client, start_manager: StartManager, nodes: FakeNodes
) -> None:
    first = await start_manager(identity="cm-1")
    second = await start_manager(identity="cm-2", wait=False)
    await asyncio.sleep(1.0)  # two retry periods: the standby must not start anything
    assert not second.manager.leading.is_set() and second.manager.controllers == {}
    await first.stop()  # releases the Lease
    await asyncio.wait_for(second.manager.leading.wait(), 10)
    assert await lease_holder(client) == "cm-2"
    await client.create(REPLICASETS, replicaset("after", 2))
    await eventually(lambda: ready(client, "after", 2))


async def test_controllers_flag_disables_a_controller(client: Client, start_manager: StartManager) -> None:
    manager = (await start_manager(controllers=["*", "-replicaset"])).manager
    assert "replicaset" not in manager.controllers and "replicationcontroller" in manager.controllers
    await client.create(REPLICASETS, replicaset("ignored", 1))
    await client.create(REPLICATIONCONTROLLERS, RC)

    async def rc_pods() -> int:
        return len((await client.list(PODS, namespace="default", label_selector={"app": "legacy"}))["items"])

    await eventually(lambda: _equals(rc_pods(), 2))
    assert (await client.list(PODS, namespace="default", label_selector={"app": "ignored"}))["items"] == []


async def _equals(value: Any, expected: Any) -> bool:
    return (await value) == expected


async def test_losing_the_lease_stops_the_controllers(cluster: Cluster, client: Client) -> None:
    manager = ControllerManager(
        ControllerManagerConfig(
            kubeconfig=cluster.kubeconfig,
            identity="cm-1",
            lease_duration=3.0,
            renew_deadline=1.0,
            retry_period=0.25,
        )
    )
    task = asyncio.create_task(manager.run(asyncio.Event()))
    await asyncio.wait_for(manager.leading.wait(), 10)
    while True:  # the leader renews every 0.25 s: retry our write when it wins the race
        lease = await client.get(LEASES, "kube-controller-manager", namespace="kube-system")
        now = rfc3339_micro(time.time())
        lease["spec"].update(holderIdentity="usurper", leaseDurationSeconds=3600, renewTime=now)
        try:
            await client.update(LEASES, lease)
            break
        except ConflictError:
            continue
    with pytest.raises(LeaderElectionLostError):
        await asyncio.wait_for(task, 20)
    assert not manager.leading.is_set()


async def test_min_ready_seconds_on_a_fake_clock(cluster: Cluster, client: Client) -> None:
    clock = FakeClock()
    manager = ControllerManager(
        ControllerManagerConfig(
            kubeconfig=cluster.kubeconfig, leader_elect=False, controllers=["replicaset"], clock=clock
        )
    )
    stop = asyncio.Event()
    task = asyncio.create_task(manager.run(stop))
    async with FakeNodes(client, clock=clock):
        await asyncio.wait_for(manager.leading.wait(), 10)
        await client.create(REPLICASETS, replicaset("slow", 2, min_ready=30))

        async def status() -> dict[str, Any]:
            return (await client.get(REPLICASETS, "slow", namespace="default")).get("status") or {}

        await eventually(lambda: _ready_not_available(status()))
        clock.advance(29)
        await asyncio.sleep(0.2)
        assert (await status()).get("availableReplicas", 0) == 0
        clock.advance(2)  # minReadySeconds + the second of skew the controller adds
        await eventually(lambda: _available(status(), 2))
    stop.set()
    await task


async def _ready_not_available(status: Any) -> bool:
    s = await status
    return s.get("readyReplicas") == 2 and s.get("availableReplicas", 0) == 0


async def _available(status: Any, n: int) -> bool:
    return (await status).get("availableReplicas") == n


async def test_the_controller_manager_command(cluster: Cluster, client: Client, tmp_path: Path) -> None:
    log = tmp_path / "controller-manager.log"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "pyk8s",
            "controller-manager",
            "--kubeconfig",
            str(cluster.kubeconfig),
            "--controllers",
            "*,-replicationcontroller",
            "--leader-elect-retry-period",
            "0.5s",
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
            cwd=REPO,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            await eventually(lambda: lease_holder(client), timeout=30)
            await client.create(REPLICASETS, replicaset("from-cli", 2))

            async def created() -> bool:
                pods = (await client.list(PODS, namespace="default", label_selector={"app": "from-cli"}))[
                    "items"
                ]
                return len(pods) == 2

            await eventually(created, timeout=30)
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), 30) == 0, log.read_text()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert await lease_holder(client) == "", log.read_text()  # released on the way out
    assert "controllers stopped" in log.read_text()
