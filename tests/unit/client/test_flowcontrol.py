"""Token bucket and backoff on a fake clock."""

from __future__ import annotations

import random

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.client.flowcontrol import Backoff, TokenBucket


def test_bucket_spends_its_burst_then_spaces_requests_evenly() -> None:
    clock = FakeClock()
    bucket = TokenBucket(2.0, 2, clock=clock)
    assert [bucket.reserve() for _ in range(4)] == [0.0, 0.0, pytest.approx(0.5), pytest.approx(1.0)]
    clock.advance(1.0)
    assert bucket.reserve() == pytest.approx(0.5)


def test_try_accept_refuses_without_a_token() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1.0, 1, clock=clock)
    assert bucket.try_accept()
    assert not bucket.try_accept()
    clock.advance(1.0)
    assert bucket.try_accept()


def test_unlimited_bucket() -> None:
    bucket = TokenBucket(0, 0, clock=FakeClock())
    assert all(bucket.reserve() == 0 for _ in range(1000))
    assert bucket.try_accept()


def test_bucket_rejects_a_zero_burst() -> None:
    with pytest.raises(ValueError):
        TokenBucket(1.0, 0)


def test_backoff_doubles_to_the_maximum_and_resets_after_quiet() -> None:
    clock = FakeClock()
    backoff = Backoff(initial=1.0, maximum=8.0, jitter=0.0, reset_after=60.0, clock=clock)
    assert [backoff.next() for _ in range(5)] == [1.0, 2.0, 4.0, 8.0, 8.0]
    clock.advance(61)
    assert backoff.next() == 1.0
    backoff.reset()
    assert backoff.next() == 1.0


def test_backoff_jitter_stays_within_its_bound() -> None:
    backoff = Backoff(initial=1.0, maximum=1.0, jitter=0.5, clock=FakeClock(), rng=random.Random(1))
    delays = [backoff.next() for _ in range(50)]
    assert all(1.0 <= d <= 1.5 for d in delays)
    assert len(set(delays)) > 1


async def test_backoff_sleeps_on_the_clock() -> None:
    clock = FakeClock()
    backoff = Backoff(initial=2.0, jitter=0.0, clock=clock)
    import asyncio

    task = asyncio.create_task(backoff.sleep())
    await asyncio.sleep(0)
    assert clock.sleepers == 1
    clock.advance(2.0)
    assert await task == 2.0
