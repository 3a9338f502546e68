"""Retention policy, driven by a fake clock over the memory backend."""

import asyncio

from pyk8s._aio.clock import FakeClock
from pyk8s.storage import Compactor, Retention
from pyk8s.storage.memory import MemoryStorage


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_history_beyond_max_revisions_is_compacted() -> None:
    store = MemoryStorage()
    await store.start()
    compactor = Compactor(store, Retention(window_seconds=300, max_revisions=10, interval_seconds=1))
    for i in range(30):
        await store.create(f"/k/{i}", b"x")
    await compactor.step()
    assert await store.compact_revision() == 31 - 10


async def test_history_older_than_the_window_is_compacted_without_further_writes() -> None:
    clock = FakeClock()
    store = MemoryStorage()
    await store.start()
    compactor = Compactor(
        store, Retention(window_seconds=60, max_revisions=10_000, interval_seconds=1), clock=clock
    )
    task = asyncio.create_task(compactor.run())
    try:
        kv = await store.create("/k/a", b"1")
        compactor.observe(kv.mod_revision)
        await settle()
        clock.advance(1)  # the batching interval
        await settle()
        assert await store.compact_revision() == 0  # nothing is old enough yet
        await store.update("/k/a", b"2", expected_revision=0)
        compactor.observe(await store.current_revision())
        await settle()
        clock.advance(1)
        await settle()
        clock.advance(60)  # the first sample passes the horizon: a timer, not a write, wakes it
        await settle()
        clock.advance(1)
        await settle()
        # Revision 2 stopped being current more than a window ago: history up to the
        # current revision is gone, the current state is still readable.
        assert await store.compact_revision() == kv.mod_revision + 1
        assert (await store.get("/k/a")).value == b"2"
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_idle_compactor_sleeps_until_a_commit() -> None:
    clock = FakeClock()
    store = MemoryStorage()
    await store.start()
    compactor = Compactor(store, Retention(), clock=clock)
    task = asyncio.create_task(compactor.run())
    await settle()
    assert clock.sleepers == 0  # waiting on the commit event, no timer armed
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
