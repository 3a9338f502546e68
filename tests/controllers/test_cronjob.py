"""The CronJob controller end to end: a real API server in this process and the controller
running in-process on a fake clock, so the test decides when each minute passes. No Job
controller runs: the test finishes Jobs by writing their status."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.api.meta import parse_time, rfc3339
from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import CRONJOBS, EVENTS, JOBS
from pyk8s.controllers.cronjob import new_controller
from pyk8s.controllers.cronjob.jobs import SCHEDULED_TIMESTAMP
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller

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
            raise AssertionError(f"condition not met within {timeout}s: {getattr(check, '__name__', check)}")
        await asyncio.sleep(0.05)


@dataclass
class Setup:
    client: Client
    clock: FakeClock
    controller: Controller

    async def cronjob(self, name: str) -> Obj:
        return await self.client.get(CRONJOBS, name, namespace=NS)

    async def jobs(self, cronjob: str) -> list[Obj]:
        items = (await self.client.list(JOBS, namespace=NS))["items"]
        owned = [
            j for j in items if any(r["name"] == cronjob for r in j["metadata"].get("ownerReferences") or [])
        ]
        return sorted(owned, key=lambda j: j["metadata"]["name"])

    async def events(self, name: str) -> list[Obj]:
        listing = await self.client.list(EVENTS, namespace=NS, field_selector=f"involvedObject.name={name}")
        return listing["items"]

    async def settled(self) -> None:
        """Wait until the controller has nothing to do but wait for the next activation."""

        async def waiting() -> bool:
            queue = self.controller.queue
            return len(queue) == 0 and queue.in_flight == 0 and queue.waiting > 0 and self.clock.sleepers > 0

        await eventually(waiting)

    async def next_minute(self) -> None:
        """Let the controller reach its wait, then move the clock one minute on."""
        await self.settled()
        self.clock.advance(60)

    async def job_count(self, cronjob: str, count: int) -> list[Obj]:
        async def enough() -> list[Obj] | None:
            jobs = await self.jobs(cronjob)
            return jobs if len(jobs) == count else None

        return await eventually(enough)

    async def event(self, name: str, reason: str) -> Obj:
        async def found() -> Obj | None:
            return next((e for e in await self.events(name) if e["reason"] == reason), None)

        return await eventually(found)

    async def finish(self, job: Obj, *, succeeded: bool = True) -> None:
        """Write a finished Job status, as the Job controller would."""
        now = rfc3339(time.time())
        final, interim = ("Complete", "SuccessCriteriaMet") if succeeded else ("Failed", "FailureTarget")
        reason = "CompletionsReached" if succeeded else "BackoffLimitExceeded"
        status: Obj = {
            "startTime": job["metadata"]["annotations"][SCHEDULED_TIMESTAMP],
            "conditions": [
                {"type": interim, "status": "True", "reason": reason, "lastTransitionTime": now},
                {"type": final, "status": "True", "reason": reason, "lastTransitionTime": now},
            ],
        }
        if succeeded:
            status.update(succeeded=1, completionTime=now)
        else:
            status["failed"] = 1
        fresh = await self.client.get(JOBS, job["metadata"]["name"], namespace=NS)
        fresh["status"] = status
        await self.client.update_status(JOBS, fresh)


def cronjob_manifest(name: str, schedule: str = "* * * * *", **spec: Any) -> Obj:
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "template": {
                        "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}
                    }
                },
            },
            **spec,
        },
    }


def minutes_after(stamp: str, count: int) -> int:
    """Minutes since the epoch of the `count`-th minute boundary after `stamp`."""
    return int(parse_time(stamp)) // 60 + count


@pytest.fixture
async def setup(tmp_path: Path) -> AsyncIterator[Setup]:
    config = ApiServerConfig(data_dir=tmp_path / "api", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    apiserver: RunningServer = await start_apiserver(config)
    client = Client.from_kubeconfig(apiserver.kubeconfig, component="test")
    clock = FakeClock(start=time.time() - 1)  # never ahead of the API server's timestamps
    ctx = ControllerContext.for_client(client)
    ctx.clock = clock
    controller = new_controller(ctx, zone=dt.UTC)
    ctx.informers.start()
    runner = asyncio.create_task(controller.run())
    try:
        await asyncio.wait_for(controller.started.wait(), TIMEOUT)
        yield Setup(client, clock, controller)
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        await ctx.informers.shutdown()
        await ctx.events.stop()
        await client.aclose()
        await apiserver.stop()


async def test_creates_a_job_at_each_activation(setup: Setup) -> None:
    created = await setup.client.create(CRONJOBS, cronjob_manifest("tick"))
    await setup.settled()
    assert await setup.jobs("tick") == []  # nothing is due before the first minute boundary
    await setup.next_minute()
    [job] = await setup.job_count("tick", 1)
    minute = minutes_after(created["metadata"]["creationTimestamp"], 1)
    assert job["metadata"]["name"] == f"tick-{minute}"
    assert job["metadata"]["annotations"][SCHEDULED_TIMESTAMP] == rfc3339(minute * 60)
    assert job["metadata"]["labels"]["app"] == "tick"
    ref = job["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"]) == ("CronJob", "tick", True)

    async def recorded() -> Obj | None:
        status = (await setup.cronjob("tick")).get("status") or {}
        return status if status.get("active") else None

    status = await eventually(recorded)
    assert [a["name"] for a in status["active"]] == [job["metadata"]["name"]]
    assert status["lastScheduleTime"] == rfc3339(minute * 60)
    event = await setup.event("tick", "SuccessfulCreate")
    assert event["message"] == f"Created job tick-{minute}"

    await setup.next_minute()
    jobs = await setup.job_count("tick", 2)
    assert jobs[1]["metadata"]["name"] == f"tick-{minute + 1}"  # Allow: both run


async def test_forbid_skips_while_a_job_runs(setup: Setup) -> None:
    created = await setup.client.create(CRONJOBS, cronjob_manifest("lonely", concurrencyPolicy="Forbid"))
    await setup.next_minute()
    [first] = await setup.job_count("lonely", 1)
    await setup.next_minute()
    await setup.event("lonely", "JobAlreadyActive")
    assert len(await setup.jobs("lonely")) == 1
    await setup.finish(first)
    # The missed activation is started as soon as the running Job is done.
    jobs = await setup.job_count("lonely", 2)
    assert (
        jobs[1]["metadata"]["name"] == f"lonely-{minutes_after(created['metadata']['creationTimestamp'], 2)}"
    )

    async def success_recorded() -> Obj | None:
        status = (await setup.cronjob("lonely")).get("status") or {}
        return status if status.get("lastSuccessfulTime") else None

    status = await eventually(success_recorded)
    assert [a["name"] for a in status["active"]] == [jobs[1]["metadata"]["name"]]
    await setup.event("lonely", "SawCompletedJob")


async def test_replace_deletes_the_running_job(setup: Setup) -> None:
    await setup.client.create(CRONJOBS, cronjob_manifest("fresh", concurrencyPolicy="Replace"))
    await setup.next_minute()
    [first] = await setup.job_count("fresh", 1)
    await setup.next_minute()

    async def replaced() -> list[Obj] | None:
        jobs = await setup.jobs("fresh")
        live = [j for j in jobs if not j["metadata"].get("deletionTimestamp")]
        names = [j["metadata"]["name"] for j in live]
        return live if len(live) == 1 and first["metadata"]["name"] not in names else None

    [second] = await eventually(replaced)
    event = await setup.event("fresh", "SuccessfulDelete")
    assert event["message"] == f"Deleted job {first['metadata']['name']}"

    async def active_is_second() -> bool:
        active = ((await setup.cronjob("fresh")).get("status") or {}).get("active") or []
        return [a["name"] for a in active] == [second["metadata"]["name"]]

    await eventually(active_is_second)


async def test_history_limits_keep_the_newest_finished_jobs(setup: Setup) -> None:
    spec = {"successfulJobsHistoryLimit": 1, "failedJobsHistoryLimit": 1}
    await setup.client.create(CRONJOBS, cronjob_manifest("history", **spec))
    for _ in range(2):
        await setup.next_minute()
    first, second = await setup.job_count("history", 2)
    await setup.finish(first)
    await setup.finish(second)

    async def oldest_success_gone() -> list[Obj] | None:
        jobs = [j for j in await setup.jobs("history") if not j["metadata"].get("deletionTimestamp")]
        return jobs if [j["metadata"]["name"] for j in jobs] == [second["metadata"]["name"]] else None

    await eventually(oldest_success_gone)
    for _ in range(2):
        await setup.next_minute()
    third, fourth = (await setup.job_count("history", 3))[1:]
    await setup.finish(third, succeeded=False)
    await setup.finish(fourth, succeeded=False)

    async def oldest_failure_gone() -> list[str] | None:
        names = [
            j["metadata"]["name"]
            for j in await setup.jobs("history")
            if not j["metadata"].get("deletionTimestamp")
        ]
        return names if names == [second["metadata"]["name"], fourth["metadata"]["name"]] else None

    await eventually(oldest_failure_gone)


async def test_suspended_cronjob_creates_nothing(setup: Setup) -> None:
    await setup.client.create(CRONJOBS, cronjob_manifest("asleep", suspend=True))
    await eventually(lambda: _handled(setup, 0))
    setup.clock.advance(180)
    before = setup.controller.reconciles
    await setup.client.patch(CRONJOBS, "asleep", {"metadata": {"labels": {"poke": "1"}}}, namespace=NS)
    await eventually(lambda: _handled(setup, before))
    assert await setup.jobs("asleep") == []
    assert (await setup.cronjob("asleep")).get("status", {}).get("lastScheduleTime") is None


async def _handled(setup: Setup, reconciles: int) -> bool:
    """The controller looked at the CronJob again (more than `reconciles` times in all) and
    has nothing queued or in flight."""
    queue = setup.controller.queue
    return len(queue) == 0 and queue.in_flight == 0 and setup.controller.reconciles > reconciles
