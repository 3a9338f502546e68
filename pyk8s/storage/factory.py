"""Open a store by URL scheme: `memory://[name]`, `sqlite:///abs/path.db`, `etcd://host:port,...`.

Backends are imported when used, so `etcd://` alone loads gRPC. A store opened here is
started, and, unless `retention` is None, runs a `Compactor` that keeps its history within
the retention window until the store is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from pyk8s._aio.clock import Clock
from pyk8s.storage.compactor import Compactor, Retention
from pyk8s.storage.interface import Storage

SCHEMES = ("memory", "sqlite", "etcd")
DEFAULT_RETENTION = Retention()


def storage_for_url(url: str) -> Any:
    """Construct (but do not start) the backend for `url`."""
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        from pyk8s.storage.memory import MemoryStorage

        return MemoryStorage(url, name=urlsplit(url).netloc)
    if scheme == "sqlite":
        from pyk8s.storage.sqlite import SqliteStorage

        return SqliteStorage(url)
    if scheme == "etcd":
        from pyk8s.storage.etcd import EtcdStorage

        return EtcdStorage(url)
    raise ValueError(f"unknown storage URL {url!r}: the scheme must be one of {', '.join(SCHEMES)}")


class ManagedStorage:
    """A started store together with its compactor; closing it stops both."""

    def __init__(self, storage: Any, compactor: Compactor | None) -> None:
        self.storage = storage
        self.compactor = compactor
        self.url = storage.url
        for name in (
            "get",
            "list",
            "count",
            "create",
            "update",
            "delete",
            "watch",
            "compact",
            "current_revision",
            "compact_revision",
        ):
            setattr(self, name, getattr(storage, name))  # bound once: no lookup per call
        self._task: asyncio.Task[None] | None = None
        if compactor is not None:
            storage.on_commit = compactor.observe
            self._task = asyncio.get_running_loop().create_task(compactor.run(), name="pyk8s-compactor")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.storage, name)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        await self.storage.aclose()


async def open_storage(
    url: str, *, retention: Retention | None = DEFAULT_RETENTION, clock: Clock | None = None
) -> Storage:
    """Open and start the store at `url`; with `retention`, also keep its history bounded."""
    storage = storage_for_url(url)
    await storage.start()
    if retention is None:
        return storage  # type: ignore[no-any-return]
    return ManagedStorage(storage, Compactor(storage, retention, clock=clock))  # type: ignore[return-value]
