"""A storage wrapper that times every storage operation into the API server's metrics."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from pyk8s.apiserver.metrics import Metrics

_TIMED = ("get", "list", "count", "create", "update", "delete", "compact")


class InstrumentedStorage:
    """Delegates to a store, observing `etcd_request_duration_seconds{operation,type}`.

    The wrappers are built once: this sits on every request's path.
    """

    def __init__(self, storage: Any, metrics: Metrics) -> None:
        self._storage = storage
        for op in _TIMED:
            setattr(self, op, _timed(getattr(storage, op), metrics.storage_latency.labels(op, "any")))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._storage, name)


def _timed(call: Callable[..., Awaitable[Any]], histogram: Any) -> Callable[..., Awaitable[Any]]:
    async def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await call(*args, **kwargs)
        finally:
            histogram.observe(time.perf_counter() - start)

    return timed
