"""Leader election between two electors on one Lease, on a fake clock, against a real server."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.api.meta import rfc3339_micro
from pyk8s.client import Client, LeaderElectionConfig, LeaderElector
from pyk8s.client.resources import LEASES


class Candidate:
    """An elector plus what happened to it."""

    def __init__(self, client: Client, identity: str, clock: FakeClock, *, release: bool = True) -> None:
        self.leading = asyncio.Event()
        self.stopped = asyncio.Event()
        self.work_cancelled = asyncio.Event()
        self.leaders: list[str] = []
        config = LeaderElectionConfig(name="test-lease", identity=identity, release_on_cancel=release)
        self.elector = LeaderElector(
            client,
            config,
            on_started_leading=self._lead,
            on_stopped_leading=self.stopped.set,
            on_new_leader=self.leaders.append,
            clock=clock,
            rng=random.Random(1),
        )
        self.task: asyncio.Task[None] | None = None

    async def _lead(self) -> None:
        self.leading.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.work_cancelled.set()
            raise

    def start(self) -> None:
        self.task = asyncio.create_task(self.elector.run())

    async def cancel(self) -> None:
        assert self.task is not None
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)


async def until(
    check: Callable[[], bool], clock: FakeClock, *, step: float = 1.0, limit: float = 120.0
) -> float:
    """Advance the clock in steps (letting requests finish) until `check()`; the time it took."""
    waited = 0.0
    while not check():
        if waited > limit:
            raise AssertionError("condition not reached on the fake clock")
        for _ in range(10):  # let HTTP round trips complete in real time
            await asyncio.sleep(0.003)
            if check():
                return waited
        clock.advance(step)
        waited += step
    return waited


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_the_first_candidate_leads_and_the_second_waits(client: Client, clock: FakeClock) -> None:
    a, b = Candidate(client, "a", clock), Candidate(client, "b", clock)
    a.start()
    await until(a.leading.is_set, clock)
    b.start()
    await until(lambda: b.elector.leader == "a", clock)
    for _ in range(10):  # 30 s of renewals: b never gets in
        clock.advance(3)
        await asyncio.sleep(0.02)
    assert a.elector.is_leader() and not b.leading.is_set()
    lease = await client.get(LEASES, "test-lease", namespace="kube-system")
    assert lease["spec"]["holderIdentity"] == "a"
    assert lease["spec"]["leaseDurationSeconds"] == 15
    await a.cancel()
    await b.cancel()


async def test_a_released_lease_is_handed_over_at_once(client: Client, clock: FakeClock) -> None:
    a, b = Candidate(client, "a", clock), Candidate(client, "b", clock)
    a.start()
    await until(a.leading.is_set, clock)
    b.start()
    await until(lambda: b.elector.leader == "a", clock)
    await a.cancel()  # graceful stop: releases the Lease
    assert a.work_cancelled.is_set() and a.stopped.is_set()
    waited = await until(b.leading.is_set, clock)
    assert waited <= 2 * 2.0 * 2.2  # a retry period or two, not a lease duration
    lease = await client.get(LEASES, "test-lease", namespace="kube-system")
    assert lease["spec"]["holderIdentity"] == "b"
    assert lease["spec"]["leaseTransitions"] == 1
    assert b.leaders == ["a", "b"]
    await b.cancel()


async def test_a_vanished_leader_is_replaced_after_the_lease_duration(
    client: Client, clock: FakeClock
) -> None:
    a, b = Candidate(client, "a", clock, release=False), Candidate(client, "b", clock)
    a.start()
    await until(a.leading.is_set, clock)
    b.start()
    await until(lambda: b.elector.leader == "a", clock)
    await a.cancel()  # a crash: nobody releases the Lease
    waited = await until(b.leading.is_set, clock)
    assert waited >= 10  # the holder's last renewal must be a lease duration old (as b saw it)
    await b.cancel()


async def test_a_leader_that_cannot_renew_stops_leading(client: Client, clock: FakeClock) -> None:
    a = Candidate(client, "a", clock)
    a.start()
    await until(a.leading.is_set, clock)
    lease = await client.get(LEASES, "test-lease", namespace="kube-system")
    now = rfc3339_micro(clock.now())
    lease["spec"].update(holderIdentity="intruder", leaseDurationSeconds=3600, renewTime=now, acquireTime=now)
    await client.update(LEASES, lease)
    await until(a.stopped.is_set, clock)
    assert a.work_cancelled.is_set()
    assert a.task is not None
    await asyncio.wait_for(a.task, 5)  # run() returns: leadership is lost for good
    assert not a.elector.is_leader()


def test_timings_must_be_consistent() -> None:
    with pytest.raises(ValueError, match="lease_duration"):
        LeaderElectionConfig(name="x", lease_duration=5, renew_deadline=10)
    with pytest.raises(ValueError, match="retry_period"):
        LeaderElectionConfig(name="x", renew_deadline=2, retry_period=2)
