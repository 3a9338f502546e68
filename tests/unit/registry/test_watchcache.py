"""The watch cache over the memory backend: fan-out, selectors, replay, slow watchers."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from pyk8s.api.selectors import FieldSelector, LabelSelector
from pyk8s.registry.watchcache import ADDED, DELETED, MODIFIED, CachedObject, Filter, WatchCache
from pyk8s.storage import KeyValue
from pyk8s.storage.memory import MemoryStorage

PREFIX = "/registry/things/"


def decoder(kv: KeyValue) -> CachedObject:
    obj = orjson.loads(kv.value)
    obj["metadata"]["resourceVersion"] = str(kv.mod_revision)
    _, ns, name = kv.key[len("/registry/") :].split("/")
    fields = {"metadata.name": name, "spec.node": obj.get("spec", {}).get("node", "")}
    return CachedObject(
        kv.key, ns, name, kv.mod_revision, orjson.dumps(obj), obj["metadata"].get("labels", {}), fields
    )


def restamp(obj: CachedObject, revision: int) -> CachedObject:
    data = obj.obj()
    data["metadata"]["resourceVersion"] = str(revision)
    return CachedObject(
        obj.key, obj.namespace, obj.name, revision, orjson.dumps(data), obj.labels, obj.fields
    )


def thing(name: str, *, node: str = "", labels: dict[str, str] | None = None) -> bytes:
    return orjson.dumps({"metadata": {"name": name, "labels": labels or {}}, "spec": {"node": node}})


@pytest.fixture
async def env():
    storage = MemoryStorage()
    await storage.start()
    cache = WatchCache(
        storage, PREFIX, decoder, indexed_fields=("spec.node",), capacity=100, restamper=restamp
    )
    await storage.create(PREFIX + "ns/a", thing("a", node="n1", labels={"app": "x"}))
    await cache.start()
    yield storage, cache
    await cache.stop()
    await storage.aclose()


async def drain(watcher, n: int, timeout: float = 2.0) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    async def run() -> None:
        while len(out) < n:
            item = watcher.next_nowait()
            if item is None:
                await watcher.wait(0.5)
                continue
            kind, obj, _rev = item
            out.append((kind, obj.name))

    await asyncio.wait_for(run(), timeout)
    return out


async def settle(cache: WatchCache, storage: MemoryStorage) -> None:
    assert await cache.wait_fresh(await storage.current_revision(), 2.0)


async def test_lists_from_the_initial_state_and_follows_writes(env) -> None:
    storage, cache = env
    assert [o.name for o in cache.list(Filter())] == ["a"]
    await storage.create(PREFIX + "ns/b", thing("b"))
    await settle(cache, storage)
    assert [o.name for o in cache.list(Filter(namespace="ns"))] == ["a", "b"]
    assert cache.list(Filter(namespace="other")) == []


async def test_watch_with_initial_state_then_live_events(env) -> None:
    storage, cache = env
    watcher = cache.watch(Filter(), after_revision=None, initial=True)
    await storage.create(PREFIX + "ns/b", thing("b"))
    await storage.delete(PREFIX + "ns/a")
    assert await drain(watcher, 3) == [(ADDED, "a"), (ADDED, "b"), (DELETED, "a")]


async def test_replay_from_a_revision_and_the_horizon(env) -> None:
    storage, cache = env
    start = await storage.current_revision()
    for i in range(5):
        await storage.update(PREFIX + "ns/a", thing("a", labels={"v": str(i)}), expected_revision=0)
    await settle(cache, storage)
    watcher = cache.watch(Filter(), after_revision=start + 2, initial=False)
    assert await drain(watcher, 3) == [(MODIFIED, "a")] * 3
    for i in range(120):  # beyond the ring's capacity
        await storage.update(PREFIX + "ns/a", thing("a", labels={"v": f"x{i}"}), expected_revision=0)
    await settle(cache, storage)
    assert not cache.can_watch_from(start)
    assert cache.can_watch_from(cache.revision - 10)


async def test_selector_transitions_become_added_and_deleted(env) -> None:
    storage, cache = env
    watcher = cache.watch(
        Filter(labels=LabelSelector.parse("app=x")), after_revision=cache.revision, initial=False
    )
    await storage.update(PREFIX + "ns/a", thing("a", labels={"app": "y"}), expected_revision=0)  # leaves
    await storage.update(PREFIX + "ns/a", thing("a", labels={"app": "x"}), expected_revision=0)  # returns
    events = []
    for _ in range(2):
        await watcher.wait(1.0)
        item = watcher.next_nowait()
        assert item is not None
        events.append(item)
    assert [e[0] for e in events] == [DELETED, ADDED]
    # The DELETED carries the last state that matched, at the revision of the change.
    deleted = events[0][1].obj()
    assert deleted["metadata"]["labels"] == {"app": "x"}
    assert deleted["metadata"]["resourceVersion"] == str(events[0][2])


async def test_indexed_watchers_only_see_their_node(env) -> None:
    storage, cache = env
    mine = cache.watch(
        Filter(fields=FieldSelector.parse("spec.node=n2")), after_revision=cache.revision, initial=False
    )
    everything = cache.watch(Filter(), after_revision=cache.revision, initial=False)
    await storage.create(PREFIX + "ns/b", thing("b", node="n1"))
    await storage.create(PREFIX + "ns/c", thing("c", node="n2"))
    await storage.update(PREFIX + "ns/c", thing("c", node="n3"), expected_revision=0)  # moves away
    assert await drain(mine, 2) == [(ADDED, "c"), (DELETED, "c")]
    assert await drain(everything, 3) == [(ADDED, "b"), (ADDED, "c"), (MODIFIED, "c")]
    listed = cache.list(Filter(fields=FieldSelector.parse("spec.node=n1")))
    assert [o.name for o in listed] == ["a", "b"]


async def test_a_slow_watcher_is_terminated_and_others_are_unaffected(env) -> None:
    storage, cache = env
    slow = cache.watch(Filter(), after_revision=cache.revision, initial=False, buffer=10)
    fast = cache.watch(Filter(), after_revision=cache.revision, initial=False)
    got: list[tuple[str, str]] = []
    reader = asyncio.create_task(drain(fast, 50))
    for i in range(50):
        await storage.update(PREFIX + "ns/a", thing("a", labels={"v": str(i)}), expected_revision=0)
    got = await reader
    assert len(got) == 50
    assert slow.closed and "behind" in slow.terminated_reason
    assert cache.watcher_count == 1
