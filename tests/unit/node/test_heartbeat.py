"""Heartbeats of many nodes: batches spread over the interval, one task, the fake clock."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.node.heartbeat import Periodic, lease_spec, node_lease, spread


@pytest.mark.parametrize(("count", "interval"), [(1, 10.0), (3, 10.0), (100, 10.0), (1000, 10.0), (7, 0.25)])
def test_spread_covers_every_node_once_in_even_batches(count: int, interval: float) -> None:
    batches = spread(count, interval, min_gap=0.1)
    indexes = [i for _, batch in batches for i in batch]
    assert indexes == list(range(count))
    sizes = {len(batch) for _, batch in batches}
    assert max(sizes) - min(sizes) <= 1
    offsets = [offset for offset, _ in batches]
    assert offsets[0] == 0 and all(0 <= o < interval for o in offsets)
    gaps = {round(b - a, 9) for a, b in itertools.pairwise(offsets)}
    assert len(gaps) <= 1  # evenly spaced
    assert all(g >= 0.1 - 1e-9 for g in gaps)


def test_a_thousand_nodes_wake_the_loop_at_most_ten_times_a_second() -> None:
    assert len(spread(1000, 10.0)) == 100
    assert spread(0, 10.0) == []


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_periodic_renews_each_member_once_per_interval_at_its_offset() -> None:
    clock = FakeClock()
    calls: list[tuple[float, str]] = []

    async def renew(name: str) -> bool:
        calls.append((clock.monotonic(), name))
        return True

    loop = Periodic(
        clock=clock,
        interval=10.0,
        members=lambda: ["a", "b", "c", "d"],
        action=renew,
        name="t",
        first_delay=0,
    )
    task = asyncio.create_task(loop.run())
    try:
        for _ in range(40):
            await settle()
            clock.advance(0.5)
        await settle()
    finally:
        task.cancel()
    first_cycle = [c for c in calls if c[0] < 10]
    assert first_cycle == [(0.0, "a"), (2.5, "b"), (5.0, "c"), (7.5, "d")]
    assert [n for t, n in calls if 10 <= t < 20] == ["a", "b", "c", "d"]


async def test_periodic_does_not_burst_after_an_overrun() -> None:
    clock = FakeClock()
    calls: list[tuple[float, str]] = []
    stalled = {"once": False}

    async def renew(name: str) -> bool:
        calls.append((clock.monotonic(), name))
        if not stalled["once"]:
            stalled["once"] = True
            await clock.sleep(35.0)  # the API server was down for three intervals
        return False

    loop = Periodic(
        clock=clock, interval=10.0, members=lambda: ["a", "b"], action=renew, name="t", first_delay=0
    )
    task = asyncio.create_task(loop.run())
    try:
        for _ in range(200):
            await settle()
            clock.advance(0.5)
    finally:
        task.cancel()
    # The missed cycles are not replayed: after the stall each node is renewed about once
    # per interval, never twice within half of one.
    after = [(t, n) for t, n in calls if 35 <= t < 95]
    assert 10 <= len(after) <= 14
    for name in "ab":
        times = [t for t, n in after if n == name]
        assert all(b - a >= 5.0 for a, b in itertools.pairwise(times))


def test_the_node_lease_is_owned_by_the_node() -> None:
    lease = node_lease(
        "n1", node_uid="uid-1", now=1_700_000_000.5, duration_seconds=40, namespace="kube-node-lease"
    )
    assert lease["metadata"]["ownerReferences"] == [
        {"apiVersion": "v1", "kind": "Node", "name": "n1", "uid": "uid-1"}
    ]
    assert lease["spec"] == {
        "holderIdentity": "n1",
        "leaseDurationSeconds": 40,
        "renewTime": "2023-11-14T22:13:20.500000Z",
    }
    assert lease_spec("n1", now=1_700_000_000.5, duration_seconds=40) == lease["spec"]
