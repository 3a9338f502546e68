"""Rate limiters: per-item exponential backoff, the overall bucket, and the slower of both."""

from __future__ import annotations

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.controllers.runtime import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    MaxOfRateLimiter,
    default_controller_rate_limiter,
)


def test_exponential_backoff_doubles_per_item_up_to_the_maximum() -> None:
    limiter = ItemExponentialFailureRateLimiter(0.005, 0.1)
    assert [limiter.when("a") for _ in range(6)] == [0.005, 0.01, 0.02, 0.04, 0.08, 0.1]
    assert limiter.when("b") == 0.005  # per item
    assert limiter.num_requeues("a") == 6


def test_exponential_backoff_survives_huge_failure_counts() -> None:
    limiter = ItemExponentialFailureRateLimiter(0.005, 1000.0)
    for _ in range(2000):
        delay = limiter.when("a")
    assert delay == 1000.0


def test_forget_resets_an_item() -> None:
    limiter = ItemExponentialFailureRateLimiter(1.0, 60.0)
    limiter.when("a")
    limiter.when("a")
    limiter.forget("a")
    assert limiter.num_requeues("a") == 0
    assert limiter.when("a") == 1.0


def test_bucket_allows_a_burst_then_spaces_retries() -> None:
    clock = FakeClock()
    limiter = BucketRateLimiter(10.0, 3, clock=clock)
    assert [limiter.when(i) for i in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.when(3) == pytest.approx(0.1)
    assert limiter.when(4) == pytest.approx(0.2)
    clock.advance(10)
    assert limiter.when(5) == 0.0


def test_max_of_takes_the_slowest_answer() -> None:
    clock = FakeClock()
    limiter = MaxOfRateLimiter(
        ItemExponentialFailureRateLimiter(1.0, 60.0), BucketRateLimiter(1.0, 1, clock=clock)
    )
    assert limiter.when("a") == 1.0  # bucket had a token; backoff says 1 s
    assert limiter.when("b") == pytest.approx(1.0)  # backoff 1 s, bucket 1 s
    assert limiter.when("a") == 2.0
    assert limiter.num_requeues("a") == 2
    limiter.forget("a")
    assert limiter.num_requeues("a") == 0


def test_default_controller_rate_limiter_starts_at_five_milliseconds() -> None:
    limiter = default_controller_rate_limiter(FakeClock())
    assert limiter.when("a") == 0.005
    assert limiter.when("a") == 0.01
