"""The Job and TTL-after-finished controllers end to end: a real API server in this process,
the controller manager running them, and `FakeNodes` standing in for scheduler and nodes
(the test finishes pods through it)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.api.errors import NotFoundError
from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import EVENTS, JOBS, PODS
from pyk8s.controllers.garbagecollector import GARBAGECOLLECTOR_CONTROLLER
from pyk8s.controllers.job import JOB_CONTROLLER
from pyk8s.controllers.job.pods import COMPLETION_INDEX, TRACKING_FINALIZER
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.registry import ControllerRegistry
from pyk8s.controllers.ttlafterfinished import new_controller as new_ttl_controller
from pyk8s.testing.nodes import FakeNodes

Obj = dict[str, Any]
T = TypeVar("T")
NS = "default"
TIMEOUT = 20.0


async def eventually(check: Callable[[], Awaitable[T | None]], *, timeout: float = TIMEOUT) -> T:
    """Poll `check` until it returns something other than None or False."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = await check()
        if result is not None and result is not False:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {check.__name__}")
        await asyncio.sleep(0.05)


@dataclass
class Cluster:
    client: Client
    nodes: FakeNodes
    apiserver: RunningServer

    async def job(self, name: str) -> Obj:
        return await self.client.get(JOBS, name, namespace=NS)

    async def pods(self, job: str) -> list[Obj]:
        listing = await self.client.list(
            PODS, namespace=NS, label_selector=f"batch.kubernetes.io/job-name={job}"
        )
        return listing["items"]

    async def events(self, name: str) -> list[str]:
        listing = await self.client.list(EVENTS, namespace=NS, field_selector=f"involvedObject.name={name}")
        return [e["reason"] for e in listing["items"]]

    async def running_pods(self, job: str, count: int) -> list[Obj]:
        """Wait until `count` pods of the Job run (and none finished since), then return them."""

        async def running() -> list[Obj] | None:
            pods = [
                p
                for p in await self.pods(job)
                if (p.get("status") or {}).get("phase") == "Running"
                and not p["metadata"].get("deletionTimestamp")
            ]
            return pods if len(pods) >= count else None

        running.__name__ = f"{count} running pods of {job}"
        return await eventually(running)

    async def condition(self, job: str, kind: str) -> Obj:
        async def has() -> Obj | None:
            for cond in (await self.job(job)).get("status", {}).get("conditions") or []:
                if cond["type"] == kind and cond["status"] == "True":
                    return cond
            return None

        has.__name__ = f"{job} has condition {kind}"
        return await eventually(has)


def job_manifest(name: str, **spec: Any) -> Obj:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "template": {
                "spec": {"restartPolicy": "Never", "containers": [{"name": "work", "image": "busybox"}]}
            },
            **spec,
        },
    }


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[Cluster]:
    config = ApiServerConfig(data_dir=tmp_path / "api", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    apiserver = await start_apiserver(config)
    manager = ControllerManager(
        ControllerManagerConfig(
            kubeconfig=apiserver.kubeconfig, controllers=["*"], leader_elect=False, min_resync_period=0
        ),
        registry=ControllerRegistry([JOB_CONTROLLER, GARBAGECOLLECTOR_CONTROLLER]),
    )
    stop = asyncio.Event()
    running = asyncio.create_task(manager.run(stop))
    client = Client.from_kubeconfig(apiserver.kubeconfig, component="test")
    nodes = FakeNodes(client, nodes=("node-1", "node-2"))
    try:
        await asyncio.wait_for(manager.leading.wait(), TIMEOUT)
        await nodes.start()
        yield Cluster(client, nodes, apiserver)
    finally:
        stop.set()
        await running
        await nodes.stop()
        await client.aclose()
        await apiserver.stop()


async def test_job_with_parallelism_runs_to_completion(cluster: Cluster) -> None:
    await cluster.client.create(JOBS, job_manifest("work", completions=4, parallelism=2))
    done = 0
    while done < 4:
        pods = await cluster.running_pods("work", 2 if done <= 2 else 1)
        assert len(pods) <= 2  # never more than parallelism
        for pod in pods:
            assert TRACKING_FINALIZER in pod["metadata"]["finalizers"]
            await cluster.nodes.complete(NS, pod["metadata"]["name"])
            done += 1
            if done == 4:
                break
    complete = await cluster.condition("work", "Complete")
    assert complete["reason"] == "CompletionsReached"
    job = await cluster.job("work")
    status = job["status"]
    assert status["succeeded"] == 4
    assert status.get("active", 0) == 0 and status.get("failed", 0) == 0
    assert status["completionTime"] == complete["lastTransitionTime"]
    assert any(c["type"] == "SuccessCriteriaMet" for c in status["conditions"])
    for pod in await cluster.pods("work"):
        assert TRACKING_FINALIZER not in (pod["metadata"].get("finalizers") or [])
        assert pod["metadata"]["labels"]["batch.kubernetes.io/controller-uid"] == job["metadata"]["uid"]
    events = await eventually(lambda: _events_with(cluster, "work", {"SuccessfulCreate", "Completed"}))
    assert events.count("SuccessfulCreate") >= 1


async def _events_with(cluster: Cluster, name: str, wanted: set[str]) -> list[str] | None:
    reasons = await cluster.events(name)
    return reasons if wanted <= set(reasons) else None


async def test_indexed_job_runs_one_pod_per_index(cluster: Cluster) -> None:
    await cluster.client.create(
        JOBS, job_manifest("indexed", completions=3, parallelism=3, completionMode="Indexed")
    )

    async def three_running() -> list[Obj] | None:
        if "FailedCreate" in await cluster.events("indexed"):
            raise AssertionError("the API server refused the indexed pods")
        pods = [p for p in await cluster.pods("indexed") if (p.get("status") or {}).get("phase") == "Running"]
        return pods if len(pods) == 3 else None

    pods = await eventually(three_running)
    by_index = {int(p["metadata"]["annotations"][COMPLETION_INDEX]): p for p in pods}
    assert sorted(by_index) == [0, 1, 2]
    assert by_index[1]["spec"]["hostname"] == "indexed-1"
    assert by_index[1]["metadata"]["labels"][COMPLETION_INDEX] == "1"
    await cluster.nodes.complete(NS, by_index[2]["metadata"]["name"])

    async def index_two_done() -> bool:
        return (await cluster.job("indexed"))["status"].get("completedIndexes") == "2"

    await eventually(index_two_done)
    for index in (0, 1):
        await cluster.nodes.complete(NS, by_index[index]["metadata"]["name"])
    await cluster.condition("indexed", "Complete")
    status = (await cluster.job("indexed"))["status"]
    assert status["completedIndexes"] == "0-2"
    assert status["succeeded"] == 3


async def test_failure_beyond_backoff_limit_fails_the_job(cluster: Cluster) -> None:
    await cluster.client.create(JOBS, job_manifest("doomed", backoffLimit=0, parallelism=2, completions=2))
    pods = await cluster.running_pods("doomed", 2)
    await cluster.nodes.complete(NS, pods[0]["metadata"]["name"], succeeded=False)
    failed = await cluster.condition("doomed", "Failed")
    assert failed["reason"] == "BackoffLimitExceeded"
    assert failed["message"] == "Job has reached the specified backoff limit"
    status = (await cluster.job("doomed"))["status"]
    assert any(c["type"] == "FailureTarget" for c in status["conditions"])
    assert status["failed"] == 2  # the failed pod, and the running one deleted as the Job failed
    assert status.get("active", 0) == 0 and status.get("terminating") == 0
    assert "completionTime" not in status
    await eventually(lambda: _events_with(cluster, "doomed", {"BackoffLimitExceeded"}))


async def test_active_deadline_fails_the_job(cluster: Cluster) -> None:
    # A one-second deadline may pass before the pod is seen running on a busy machine, so the
    # test waits only for the outcome: the Job failed, and its pod was counted as failed.
    await cluster.client.create(JOBS, job_manifest("slow", activeDeadlineSeconds=1))
    failed = await cluster.condition("slow", "Failed")
    assert failed["reason"] == "DeadlineExceeded"
    assert failed["message"] == "Job was active longer than specified deadline"

    async def pod_counted_failed() -> bool:
        return (await cluster.job("slow"))["status"].get("failed") == 1

    await eventually(pod_counted_failed)

    async def pods_gone() -> bool:
        return not [p for p in await cluster.pods("slow") if not p["metadata"].get("deletionTimestamp")]

    await eventually(pods_gone)


async def test_suspend_and_resume(cluster: Cluster) -> None:
    await cluster.client.create(JOBS, job_manifest("paused", suspend=True, parallelism=2, completions=2))
    suspended = await cluster.condition("paused", "Suspended")
    assert suspended["reason"] == "JobSuspended"
    assert await cluster.pods("paused") == []
    assert "startTime" not in (await cluster.job("paused"))["status"]

    await cluster.client.patch(JOBS, "paused", {"spec": {"suspend": False}}, namespace=NS)
    await cluster.running_pods("paused", 2)
    job = await cluster.job("paused")
    cond = next(c for c in job["status"]["conditions"] if c["type"] == "Suspended")
    assert cond["status"] == "False" and cond["reason"] == "JobResumed"
    assert job["status"]["startTime"]

    await cluster.client.patch(JOBS, "paused", {"spec": {"suspend": True}}, namespace=NS)

    async def pods_gone() -> bool:
        return not await cluster.pods("paused")

    await eventually(pods_gone)
    await cluster.condition("paused", "Suspended")
    status = (await cluster.job("paused"))["status"]
    assert status.get("failed", 0) == 0  # pods removed by suspension are not failures
    await eventually(lambda: _events_with(cluster, "paused", {"Suspended", "Resumed", "SuccessfulDelete"}))


async def test_ttl_after_finished_deletes_the_job_and_its_pods(cluster: Cluster) -> None:
    clock = FakeClock(start=cluster.client.clock.now())
    ctx = ControllerContext.for_client(cluster.client)
    ctx.clock = clock
    ttl = new_ttl_controller(ctx)
    ctx.informers.start()
    runner = asyncio.create_task(ttl.run())
    try:
        await cluster.client.create(JOBS, job_manifest("short-lived", ttlSecondsAfterFinished=100))
        pod = (await cluster.running_pods("short-lived", 1))[0]
        await cluster.nodes.complete(NS, pod["metadata"]["name"])
        await cluster.condition("short-lived", "Complete")
        await asyncio.wait_for(ttl.started.wait(), TIMEOUT)

        async def waiting_for_ttl() -> bool:
            return not ttl.queue.is_idle() and clock.sleepers > 0

        await eventually(waiting_for_ttl)
        assert (await cluster.job("short-lived"))["metadata"].get("deletionTimestamp") is None
        clock.advance(200)

        async def job_gone() -> bool:
            try:
                await cluster.job("short-lived")
            except NotFoundError:
                return True
            return False

        await eventually(job_gone)
        await eventually(lambda: _no_pods(cluster, "short-lived"))
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await ctx.informers.shutdown()
        await ctx.events.stop()


async def _no_pods(cluster: Cluster, job: str) -> bool:
    return not await cluster.pods(job)


async def test_deleted_job_leaves_no_pod_behind(cluster: Cluster) -> None:
    await cluster.client.create(JOBS, job_manifest("dropped", parallelism=2, completions=2))
    await cluster.running_pods("dropped", 2)
    await cluster.client.delete(JOBS, "dropped", namespace=NS, propagation_policy="Background")
    # The garbage collector deletes the pods; their tracking finalizers must not hold them.
    await eventually(lambda: _no_pods(cluster, "dropped"))
