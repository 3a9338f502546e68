"""Deadlines for many keys on one task."""

from __future__ import annotations

import asyncio

from pyk8s._aio.clock import FakeClock
from pyk8s.node.timers import TimerQueue


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_keys_fire_in_deadline_order_when_the_clock_passes_them() -> None:
    clock = FakeClock()
    fired: list[str] = []
    timers: TimerQueue[str] = TimerQueue(clock, fired.append)
    task = asyncio.create_task(timers.run())
    try:
        timers.schedule("late", 10.0)
        timers.schedule("early", 2.0)
        await settle()
        clock.advance(5)
        await settle()
        assert fired == ["early"]
        timers.schedule("sooner", 6.0)  # earlier than the deadline the task sleeps for
        await settle()
        clock.advance(1.5)
        await settle()
        assert fired == ["early", "sooner"]
        clock.advance(10)
        await settle()
        assert fired == ["early", "sooner", "late"]
        assert len(timers) == 0
    finally:
        task.cancel()


async def test_the_earliest_deadline_of_a_key_wins_and_cancel_forgets_it() -> None:
    clock = FakeClock()
    fired: list[str] = []
    timers: TimerQueue[str] = TimerQueue(clock, fired.append)
    timers.schedule("k", 5.0)
    timers.schedule("k", 9.0)
    assert timers.deadline("k") == 5.0
    timers.schedule("k", 1.0)
    timers.schedule("gone", 1.0)
    timers.cancel("gone")
    clock.advance(20)
    assert timers.fire_due() == 1
    assert fired == ["k"]


async def test_an_idle_timer_queue_sleeps_without_a_clock_sleeper() -> None:
    clock = FakeClock()
    timers: TimerQueue[str] = TimerQueue(clock, lambda key: None)
    task = asyncio.create_task(timers.run())
    try:
        await settle()
        assert clock.sleepers == 0  # waiting on its event, not polling
    finally:
        task.cancel()
