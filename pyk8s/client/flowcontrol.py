"""Rate limiting and backoff on the injectable clock (client-go's `util/flowcontrol`).

`TokenBucket` is golang.org/x/time/rate's reservation model: a request takes a token now
and waits until the bucket would have had it, so concurrent callers are spaced evenly and
never starve. `Backoff` is the exponential backoff with jitter that reflectors, retries
and leader election share; it resets itself after a quiet period.
"""

from __future__ import annotations

import random

from pyk8s._aio.clock import Clock, RealClock

_SHARED_RNG = random.Random()


class TokenBucket:
    """`qps` tokens a second, at most `burst` saved up. `qps <= 0` means unlimited."""

    def __init__(self, qps: float, burst: int, *, clock: Clock | None = None) -> None:
        if burst < 1 and qps > 0:
            raise ValueError("burst must be at least 1")
        self.qps = qps
        self.burst = burst
        self._clock = clock or RealClock()
        self._tokens = float(burst)
        self._last = self._clock.monotonic()

    def _refill(self) -> float:
        now = self._clock.monotonic()
        self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.qps)
        self._last = now
        return now

    def reserve(self) -> float:
        """Take a token; the seconds to wait before acting on it (0 when one was saved up)."""
        if self.qps <= 0:
            return 0.0
        self._refill()
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.qps

    def try_accept(self) -> bool:
        """Take a token only if one is available now."""
        if self.qps <= 0:
            return True
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    async def wait(self) -> None:
        """Take a token, sleeping on the clock until it is due."""
        delay = self.reserve()
        if delay > 0:
            await self._clock.sleep(delay)


class Backoff:
    """Exponential backoff: `initial`, doubling (`factor`) up to `maximum`, plus up to
    `jitter` x the step at random; forgets past failures after `reset_after` quiet seconds."""

    def __init__(
        self,
        *,
        initial: float = 0.8,
        maximum: float = 30.0,
        factor: float = 2.0,
        jitter: float = 1.0,
        reset_after: float = 120.0,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.initial, self.maximum, self.factor = initial, maximum, factor
        self.jitter, self.reset_after = jitter, reset_after
        self._clock = clock or RealClock()
        # the module's shared generator: seeding a new Random from urandom per request cost the
        # scheduler 5% of its CPU
        self._rng = rng or _SHARED_RNG
        self._step = 0.0
        self._last = -float("inf")

    def next(self) -> float:
        """The delay before the next attempt (and remember this failure)."""
        now = self._clock.monotonic()
        if now - self._last > self.reset_after:
            self._step = 0.0
        self._last = now
        self._step = self.initial if self._step == 0 else min(self.maximum, self._step * self.factor)
        return self._step + (self._rng.random() * self.jitter * self._step if self.jitter else 0.0)

    def reset(self) -> None:
        self._step = 0.0

    async def sleep(self) -> float:
        """Sleep for `next()` seconds on the clock; returns the delay."""
        delay = self.next()
        await self._clock.sleep(delay)
        return delay
