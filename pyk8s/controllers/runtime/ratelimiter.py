"""How long a failed item waits before it is retried (client-go's `workqueue` rate limiters).

A rate limiter answers `when(item)`: the delay before the item's next attempt, counting the
attempt. `forget(item)` clears its history once it succeeded. The controller default is the
slower of two limits, as in client-go: a per-item exponential backoff (5 ms doubling up to
1000 s) and an overall token bucket (10 retries a second, bursts of 100), so a storm of
failures cannot flood the API server even when every item fails for the first time.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Protocol

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.client.flowcontrol import TokenBucket

# 2**MAX_EXPONENT x base already exceeds any sensible maximum delay; past it, skip the power.
MAX_EXPONENT = 62


class RateLimiter(Protocol):
    """Delays for retries, per item."""

    def when(self, item: Hashable) -> float:
        """Seconds to wait before retrying `item` (this counts as one more retry)."""
        ...

    def forget(self, item: Hashable) -> None:
        """Stop tracking `item`: it succeeded, or was given up."""
        ...

    def num_requeues(self, item: Hashable) -> int:
        """How many times `item` has been retried since it was last forgotten."""
        ...


class ItemExponentialFailureRateLimiter:
    """`base_delay * 2**failures`, capped at `max_delay`, per item."""

    def __init__(self, base_delay: float = 0.005, max_delay: float = 1000.0) -> None:
        if base_delay <= 0 or max_delay < base_delay:
            raise ValueError("need 0 < base_delay <= max_delay")
        self.base_delay, self.max_delay = base_delay, max_delay
        self._failures: dict[Hashable, int] = {}

    def when(self, item: Hashable) -> float:
        exponent = self._failures.get(item, 0)
        self._failures[item] = exponent + 1
        if exponent > MAX_EXPONENT:
            return self.max_delay
        return min(self.max_delay, self.base_delay * (2**exponent))

    def forget(self, item: Hashable) -> None:
        self._failures.pop(item, None)

    def num_requeues(self, item: Hashable) -> int:
        return self._failures.get(item, 0)


class BucketRateLimiter:
    """One token bucket shared by every item: `qps` retries a second, `burst` saved up."""

    def __init__(self, qps: float = 10.0, burst: int = 100, *, clock: Clock | None = None) -> None:
        self._bucket = TokenBucket(qps, burst, clock=clock or RealClock())

    def when(self, item: Hashable) -> float:
        return self._bucket.reserve()

    def forget(self, item: Hashable) -> None:
        pass

    def num_requeues(self, item: Hashable) -> int:
        return 0


class MaxOfRateLimiter:
    """The longest delay any of `limiters` asks for (each one counts the retry)."""

    def __init__(self, *limiters: RateLimiter) -> None:
        if not limiters:
            raise ValueError("need at least one rate limiter")
        self.limiters = limiters

    def when(self, item: Hashable) -> float:
        return max(limiter.when(item) for limiter in self.limiters)

    def forget(self, item: Hashable) -> None:
        for limiter in self.limiters:
            limiter.forget(item)

    def num_requeues(self, item: Hashable) -> int:
        return max(limiter.num_requeues(item) for limiter in self.limiters)


def default_controller_rate_limiter(clock: Clock | None = None) -> RateLimiter:
    """client-go's `DefaultControllerRateLimiter`: per-item 5 ms..1000 s, overall 10/s burst 100."""
    return MaxOfRateLimiter(
        ItemExponentialFailureRateLimiter(0.005, 1000.0),
        BucketRateLimiter(10.0, 100, clock=clock),
    )
