"""WorkQueue: deduplication, fairness, one worker per key, delays and backoff on a fake clock,
shutdown and drain."""

from __future__ import annotations

import asyncio
import random

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.controllers.runtime import ItemExponentialFailureRateLimiter, ShutDownError, WorkQueue


async def settle(rounds: int = 20) -> None:
    """Let every ready task run (the queue's delay task, workers)."""
    for _ in range(rounds):
        await asyncio.sleep(0)


def queue(clock: FakeClock | None = None) -> WorkQueue[str]:
    return WorkQueue(
        name="test", clock=clock or FakeClock(), rate_limiter=ItemExponentialFailureRateLimiter(1.0, 60.0)
    )


async def test_adds_before_get_are_deduplicated() -> None:
    q = queue()
    for key in ["a", "b", "a", "c", "b", "a"]:
        q.add(key)
    assert len(q) == 3
    assert [await q.get() for _ in range(3)] == ["a", "b", "c"]


async def test_items_are_handed_out_in_the_order_they_were_added() -> None:
    q = queue()
    keys = [f"ns/item-{i}" for i in range(50)]
    for key in keys:
        q.add(key)
    taken = []
    for _ in keys:
        key = await q.get()
        taken.append(key)
        q.done(key)
    assert taken == keys


async def test_waiting_workers_are_served_in_the_order_they_asked() -> None:
    q = queue()
    served: list[tuple[int, str]] = []

    async def worker(n: int) -> None:
        served.append((n, await q.get()))

    tasks = [asyncio.create_task(worker(n)) for n in range(3)]
    await settle()
    for key in ["x", "y", "z"]:
        q.add(key)
    await asyncio.gather(*tasks)
    assert served == [(0, "x"), (1, "y"), (2, "z")]


async def test_an_item_added_while_processing_waits_for_done_and_is_not_handed_to_another_worker() -> None:
    q = queue()
    q.add("a")
    first = await q.get()
    q.add("a")  # changed again while a worker holds it
    assert len(q) == 0  # not queued: it would go to a second worker
    second = asyncio.create_task(q.get())
    await settle()
    assert not second.done()
    q.done(first)
    assert await asyncio.wait_for(second, 1) == "a"


async def test_done_without_a_new_add_does_not_requeue() -> None:
    q = queue()
    q.add("a")
    q.done(await q.get())
    assert len(q) == 0
    assert q.is_idle()


async def test_many_workers_never_process_one_key_at_the_same_time() -> None:
    q = queue()
    rng = random.Random(7)
    keys = [f"k{i}" for i in range(5)]
    in_progress: set[str] = set()
    processed: list[str] = []
    violations: list[str] = []

    async def worker() -> None:
        while True:
            try:
                key = await q.get()
            except ShutDownError:
                return
            if key in in_progress:
                violations.append(key)
            in_progress.add(key)
            for _ in range(rng.randint(0, 3)):
                await asyncio.sleep(0)
                q.add(rng.choice(keys))  # events keep arriving while we work
            in_progress.discard(key)
            processed.append(key)
            q.done(key)

    workers = [asyncio.create_task(worker()) for _ in range(4)]
    for _ in range(200):
        q.add(rng.choice(keys))
        await asyncio.sleep(0)
    await settle(200)
    await q.shutdown_with_drain()
    await asyncio.gather(*workers)
    assert violations == []
    assert len(processed) > len(keys)


async def test_a_hot_key_does_not_starve_the_others() -> None:
    q = queue()
    for key in ["hot", "b", "c"]:
        q.add(key)
    order = []
    for _ in range(6):
        key = await q.get()
        order.append(key)
        if key == "hot":
            q.add("hot")  # re-added while processing: goes to the back
        q.done(key)
    assert order[:4] == ["hot", "b", "c", "hot"]


async def test_add_after_waits_on_the_clock() -> None:
    clock = FakeClock()
    q = queue(clock)
    q.add_after("a", 10)
    await settle()
    assert len(q) == 0 and q.waiting == 1
    clock.advance(9.9)
    await settle()
    assert len(q) == 0
    clock.advance(0.2)
    await settle()
    assert len(q) == 1 and q.waiting == 0
    await q.aclose()


async def test_add_after_keeps_the_earlier_time_of_a_waiting_item() -> None:
    clock = FakeClock()
    q = queue(clock)
    q.add_after("a", 10)
    q.add_after("a", 30)  # later: ignored
    q.add_after("b", 5)
    q.add_after("b", 1)  # earlier: wins
    await settle()
    clock.advance(1)
    await settle()
    assert [await q.get()] == ["b"]
    clock.advance(9)
    await settle()
    assert [await q.get()] == ["a"]
    clock.advance(30)
    await settle()
    assert len(q) == 0  # the superseded time does not add it twice
    await q.aclose()


async def test_delayed_items_come_out_in_deadline_order() -> None:
    clock = FakeClock()
    q = queue(clock)
    for key, delay in [("c", 3), ("a", 1), ("b", 2)]:
        q.add_after(key, delay)
    await settle()
    clock.advance(5)
    await settle()
    assert [await q.get() for _ in range(3)] == ["a", "b", "c"]
    await q.aclose()


async def test_add_rate_limited_backs_off_exponentially_and_forget_resets() -> None:
    clock = FakeClock()
    q = queue(clock)  # 1 s doubling, 60 s cap
    delays = []
    for _ in range(4):
        q.add_rate_limited("a")
        await settle()
        waited = 0.0
        while len(q) == 0:
            clock.advance(0.5)
            waited += 0.5
            await settle()
        delays.append(waited)
        q.done(await q.get())
    assert delays == [1.0, 2.0, 4.0, 8.0]
    assert q.num_requeues("a") == 4
    q.forget("a")
    assert q.num_requeues("a") == 0
    q.add_rate_limited("a")
    await settle()
    clock.advance(1.0)
    await settle()
    assert len(q) == 1
    await q.aclose()


async def test_shutdown_hands_out_what_is_queued_then_raises() -> None:
    q = queue()
    q.add("a")
    q.add("b")
    q.shutdown()
    q.add("c")  # refused
    assert await q.get() == "a"
    assert await q.get() == "b"
    with pytest.raises(ShutDownError):
        await q.get()


async def test_shutdown_wakes_idle_workers_and_drops_delayed_items() -> None:
    clock = FakeClock()
    q = queue(clock)
    q.add_after("later", 5)
    waiter = asyncio.create_task(q.get())
    await settle()
    q.shutdown()
    with pytest.raises(ShutDownError):
        await waiter
    clock.advance(10)
    await settle()
    assert len(q) == 0 and q.waiting == 0
    await q.aclose()


async def test_shutdown_with_drain_waits_for_items_in_processing() -> None:
    q = queue()
    q.add("a")
    item = await q.get()
    drained = asyncio.create_task(q.shutdown_with_drain())
    await settle()
    assert not drained.done()
    q.done(item)
    await asyncio.wait_for(drained, 1)


async def test_a_cancelled_getter_passes_its_wakeup_on() -> None:
    q = queue()
    first = asyncio.create_task(q.get())
    second = asyncio.create_task(q.get())
    await settle()
    q.add("a")  # wakes `first`...
    first.cancel()  # ...which is cancelled before it runs
    assert await asyncio.wait_for(second, 1) == "a"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_metrics_report_depth_in_flight_and_waiting() -> None:
    clock = FakeClock()
    q = queue(clock)
    q.add("a")
    q.add("b")
    q.add_after("c", 5)
    await q.get()
    assert q.metrics() | {"adds": 0} == {"depth": 1, "in_flight": 1, "waiting": 1, "adds": 0, "retries": 0}
    assert not q.is_idle()
    await q.aclose()
