"""A storage wrapper that times every operation into the API server's metrics."""

from __future__ import annotations

import time
from typing import Any

from pyk8s.apiserver.metrics import Metrics

_TIMED = ("get", "list", "count", "create", "update", "delete", "compact", "current_revision")


class InstrumentedStorage:
    """Delegates to a store, observing `etcd_request_duration_seconds{operation,type}`."""

    def __init__(self, storage: Any, metrics: Metrics) -> None:
        self._storage = storage
        self._histograms = {op: metrics.storage_latency.labels(op, "any") for op in _TIMED}

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._storage, name)
        histogram = self._histograms.get(name)
        if histogram is None:
            return attr

        async def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return await attr(*args, **kwargs)
            finally:
                histogram.observe(time.perf_counter() - start)

        return timed
