"""The Controller's retry policy, worker exclusivity and shutdown, on a fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.api.errors import ConflictError
from pyk8s.controllers.runtime import (
    Controller,
    ItemExponentialFailureRateLimiter,
    Result,
    TerminalError,
)


async def settle(rounds: int = 30) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)


class Scripted:
    """A reconciler whose outcome per call comes from `script(key, attempt)`."""

    def __init__(self, script: Callable[[str, int], Result | None]) -> None:
        self.script = script
        self.calls: list[str] = []
        self.running: set[str] = set()
        self.overlaps: list[str] = []
        self.gate: asyncio.Event | None = None

    async def reconcile(self, key: str) -> Result | None:
        if key in self.running:
            self.overlaps.append(key)
        self.running.add(key)
        try:
            attempt = self.calls.count(key)
            self.calls.append(key)
            if self.gate is not None:
                await self.gate.wait()
            return self.script(key, attempt)
        finally:
            self.running.discard(key)


def controller(reconciler: Scripted, clock: FakeClock, **kwargs: object) -> Controller:
    return Controller(
        "test",
        reconciler,
        clock=clock,
        rate_limiter=ItemExponentialFailureRateLimiter(1.0, 100.0),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def running(c: Controller) -> asyncio.Task[None]:
    task = asyncio.create_task(c.run())
    await c.started.wait()
    return task


async def test_success_forgets_the_key(clock: FakeClock) -> None:
    rec = Scripted(lambda key, attempt: None)
    c = controller(rec, clock)
    task = await running(c)
    c.enqueue("ns/a")
    await settle()
    assert rec.calls == ["ns/a"]
    assert c.queue.num_requeues("ns/a") == 0 and c.is_idle()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_errors_are_retried_with_per_item_backoff(clock: FakeClock) -> None:
    def script(key: str, attempt: int) -> None:
        if attempt < 3:
            raise ConflictError("the object has been modified")

    rec = Scripted(script)
    c = controller(rec, clock)
    task = await running(c)
    c.enqueue("ns/a")
    await settle()
    assert rec.calls == ["ns/a"]
    for expected_calls, wait in [(2, 1.0), (3, 2.0), (4, 4.0)]:
        clock.advance(wait - 0.01)
        await settle()
        assert len(rec.calls) == expected_calls - 1  # not yet
        clock.advance(0.01)
        await settle()
        assert len(rec.calls) == expected_calls
    assert c.failures == 3
    assert c.queue.num_requeues("ns/a") == 0  # the success forgot the history
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_requeue_after_comes_back_after_the_delay(clock: FakeClock) -> None:
    rec = Scripted(lambda key, attempt: Result(requeue_after=30.0) if attempt == 0 else None)
    c = controller(rec, clock)
    task = await running(c)
    c.enqueue("ns/a")
    await settle()
    clock.advance(29)
    await settle()
    assert rec.calls == ["ns/a"]
    assert not c.is_idle()  # waiting counts as work to do
    clock.advance(1)
    await settle()
    assert rec.calls == ["ns/a", "ns/a"]
    assert c.is_idle()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_terminal_errors_are_not_retried(clock: FakeClock) -> None:
    def script(key: str, attempt: int) -> None:
        raise TerminalError("spec.selector is invalid")

    rec = Scripted(script)
    c = controller(rec, clock)
    task = await running(c)
    c.enqueue("ns/a")
    await settle()
    clock.advance(1000)
    await settle()
    assert rec.calls == ["ns/a"]
    assert c.is_idle()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_max_retries_gives_up(clock: FakeClock) -> None:
    def script(key: str, attempt: int) -> None:
        raise RuntimeError("boom")

    rec = Scripted(script)
    c = controller(rec, clock, max_retries=2)
    task = await running(c)
    c.enqueue("ns/a")
    for _ in range(5):
        await settle()
        clock.advance(100)
    await settle()
    assert rec.calls == ["ns/a"] * 3
    assert c.is_idle()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_one_key_is_never_reconciled_twice_at_once(clock: FakeClock) -> None:
    rec = Scripted(lambda key, attempt: None)
    rec.gate = asyncio.Event()
    c = controller(rec, clock, workers=4)
    task = await running(c)
    c.enqueue("ns/a")
    await settle()
    c.enqueue("ns/a")  # changed while being reconciled
    c.enqueue("ns/b")
    await settle()
    assert sorted(rec.running) == ["ns/a", "ns/b"]
    rec.gate.set()
    await settle()
    assert rec.overlaps == []
    assert rec.calls.count("ns/a") == 2  # the change is seen by a second pass
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_cancelling_run_lets_in_flight_reconciles_finish(clock: FakeClock) -> None:
    finished: list[str] = []
    gate = asyncio.Event()

    class Slow:
        async def reconcile(self, key: str) -> None:
            await gate.wait()
            finished.append(key)

    c = Controller("test", Slow(), clock=clock, workers=2)
    task = await running(c)
    c.enqueue("ns/a")
    c.enqueue("ns/b")
    c.enqueue("ns/c")  # queued behind the two workers: never started
    await settle()
    task.cancel()
    await settle()
    gate.set()
    await asyncio.gather(task, return_exceptions=True)
    assert sorted(finished) == ["ns/a", "ns/b"]
    assert c.queue.shutting_down


async def test_run_waits_for_the_informers_to_sync(clock: FakeClock) -> None:
    class NotYetSynced:
        def __init__(self) -> None:
            self.synced = asyncio.Event()

        async def wait_for_sync(self) -> bool:
            await self.synced.wait()
            return True

        def has_synced(self) -> bool:
            return self.synced.is_set()

    rec = Scripted(lambda key, attempt: None)
    c = controller(rec, clock)
    informer = NotYetSynced()
    c.wait_for(informer)  # type: ignore[arg-type]
    c.enqueue("ns/a")
    task = asyncio.create_task(c.run())
    await settle()
    assert rec.calls == [] and not c.started.is_set()
    informer.synced.set()
    await settle()
    assert rec.calls == ["ns/a"]
    assert c.metrics()["synced"] is True
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
