"""Waiting on the injectable clock: for an event with a timeout, or for work with a deadline.

asyncio's own timeouts read the loop's clock, which a `FakeClock` does not move; these read
the given `Clock`, so informers, leader election and work queues stay deterministic in tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from pyk8s._aio.clock import Clock

T = TypeVar("T")


async def wait_event(clock: Clock, event: asyncio.Event, seconds: float) -> bool:
    """Until `event` is set or `seconds` of the clock have passed; returns `event.is_set()`."""
    if event.is_set():
        return True
    waiter = asyncio.ensure_future(event.wait())
    sleeper = asyncio.ensure_future(clock.sleep(seconds))
    try:
        await asyncio.wait((waiter, sleeper), return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
        sleeper.cancel()
    return event.is_set()


async def within(clock: Clock, seconds: float, work: Awaitable[T], *, default: T) -> T:
    """`await work`, or `default` if it takes longer than `seconds` of the clock (it is cancelled)."""
    task = asyncio.ensure_future(work)
    timer = asyncio.ensure_future(clock.sleep(seconds))
    try:
        await asyncio.wait((task, timer), return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        raise
    finally:
        timer.cancel()
    if task.done():
        return task.result()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    return default


async def cancel_and_wait(task: asyncio.Future[Any] | None) -> None:
    """Cancel `task` (if running) and wait until it has finished; its outcome is discarded.

    Safe in cleanup code that runs after the caller itself was cancelled: only a new
    cancellation of the caller, during the wait, propagates."""
    if task is None:
        return
    if not task.done():
        task.cancel()
        await asyncio.wait([task])
    if not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log it as never retrieved
