import asyncio

from pyk8s._aio.clock import FakeClock, RealClock


async def test_fake_clock_wakes_sleepers_in_deadline_order() -> None:
    clock = FakeClock()
    woke: list[str] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append(name)

    tasks = [asyncio.create_task(sleeper("late", 10)), asyncio.create_task(sleeper("early", 1))]
    await asyncio.sleep(0)
    assert clock.sleepers == 2
    clock.advance(5)
    await asyncio.sleep(0)
    assert woke == ["early"]
    clock.advance(5)
    await asyncio.gather(*tasks)
    assert woke == ["early", "late"]
    assert clock.monotonic() == 10
    assert clock.now() > 1_000_000_000


async def test_real_clock_moves() -> None:
    clock = RealClock()
    before = clock.monotonic()
    await clock.sleep(0.001)
    assert clock.monotonic() > before
