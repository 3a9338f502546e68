"""etcd-specific behaviour: connection loss, endpoint failover, watch resumption."""

from __future__ import annotations

import asyncio

import pytest

from pyk8s.storage import StorageUnavailableError
from pyk8s.storage.etcd import EtcdStorage, parse_endpoints
from pyk8s.testing.etcd import EtcdServer, free_port

pytestmark = pytest.mark.etcd


@pytest.fixture
def etcd(dedicated_etcd: EtcdServer) -> EtcdServer:
    return dedicated_etcd


def test_endpoint_parsing() -> None:
    assert parse_endpoints("etcd://a:1,b:2") == ["a:1", "b:2"]
    assert parse_endpoints("etcd://localhost") == ["localhost:2379"]
    for bad in ("etcd://", "http://a:1", "etcd://a:x", "etcd://a:1/path"):
        with pytest.raises(ValueError):
            parse_endpoints(bad)


async def test_a_dead_first_endpoint_fails_over_to_the_next(etcd: EtcdServer) -> None:
    store = EtcdStorage(f"etcd://127.0.0.1:{free_port()},{etcd.endpoint}", timeout=5)
    await store.start()
    try:
        kv = await store.create("/registry/failover/a", b"x")
        assert (await store.get("/registry/failover/a")) == kv
    finally:
        await store.aclose()


async def test_unreachable_etcd_is_a_clear_unavailable_error() -> None:
    store = EtcdStorage(f"etcd://127.0.0.1:{free_port()}", timeout=1)
    with pytest.raises(StorageUnavailableError, match="unreachable"):
        await store.start()
    with pytest.raises(StorageUnavailableError):
        await store.create("/registry/x", b"x")
    await store.aclose()


async def test_writes_while_etcd_is_down_fail_with_unavailable_then_recover(etcd: EtcdServer) -> None:
    store = EtcdStorage(etcd.url, timeout=1)
    await store.start()
    try:
        await store.create("/registry/down/a", b"1")
        etcd.kill()
        with pytest.raises(StorageUnavailableError):
            await store.create("/registry/down/b", b"2")
        etcd.start()
        store.timeout = 10
        assert (await store.get("/registry/down/a")).value == b"1"
        await store.create("/registry/down/b", b"2")
    finally:
        await store.aclose()


async def test_a_watch_resumes_across_an_etcd_restart_without_gaps(etcd: EtcdServer) -> None:
    store = EtcdStorage(etcd.url, timeout=10)
    await store.start()
    stream = store.watch("/registry/resume/", after_revision=await store.current_revision())
    seen: list[int] = []
    try:
        expected = [(await store.create(f"/registry/resume/k{i}", b"x")).mod_revision for i in range(5)]

        async def read(n: int) -> None:
            async for batch in stream:
                seen.extend(e.kv.mod_revision for e in batch)
                if len(seen) >= n:
                    return

        await asyncio.wait_for(read(5), 10)
        await asyncio.to_thread(etcd.restart)
        expected += [(await store.create(f"/registry/resume/k{i}", b"x")).mod_revision for i in range(5, 10)]
        await asyncio.wait_for(read(10), 20)
        assert seen == expected
    finally:
        await stream.aclose()
        await store.aclose()
