"""Consistent reads (no resourceVersion) on a storage whose progress reports may overtake its
events (`ordered_progress = False`, etcd 3.4.23) come from storage, never from a cache that
only believes it has caught up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.configmap import ConfigMapStrategy
from pyk8s.registry.options import ListOptions
from pyk8s.registry.store import ResourceStore
from pyk8s.storage.memory import MemoryStorage

CTX = RequestContext(namespace="ns", field_manager="test", now=1_800_000_000.0)


class LyingStream:
    """A watch that yields nothing yet reports progress far ahead: etcd's bug at its worst."""

    def __init__(self) -> None:
        self._closed = asyncio.Event()

    def __aiter__(self) -> LyingStream:
        return self

    async def __anext__(self) -> list[Any]:
        await self._closed.wait()
        raise StopAsyncIteration

    @property
    def progress_revision(self) -> int:
        return 10**9

    async def request_progress(self) -> None:
        return None

    async def aclose(self) -> None:
        self._closed.set()


class LyingStorage(MemoryStorage):
    def watch(self, prefix: str, *, after_revision: int = 0) -> Any:  # type: ignore[override]
        return LyingStream()


async def store_on(storage: MemoryStorage) -> AsyncIterator[ResourceStore]:
    await storage.start()
    resources = ResourceStore(ConfigMapStrategy(), storage)
    await resources.start()
    try:
        yield resources
    finally:
        await resources.stop()
        await storage.aclose()


def configmap(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ns"}}


@pytest.mark.parametrize("ordered", [True, False])
async def test_consistent_reads_trust_progress_only_where_it_is_ordered(ordered: bool) -> None:
    storage = LyingStorage()
    storage.ordered_progress = ordered  # type: ignore[misc]
    async for resources in store_on(storage):
        await resources.create(CTX, configmap("seen-by-storage-only"))  # the cache never hears of it
        listed = await resources.list("ns", ListOptions())
        names = [item.name for item in listed.items]
        if ordered:
            assert names == []  # believed the (lying) progress: what a real etcd bug would cost
        else:
            assert names == ["seen-by-storage-only"]
            assert (await resources.get("ns", "seen-by-storage-only"))["metadata"][
                "name"
            ] == "seen-by-storage-only"
