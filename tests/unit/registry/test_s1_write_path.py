"""The registry's write path over the memory backend: what the cache keeps of a write made
here (stamped, not parsed again) is byte for byte what it would read from storage, and
pods/binding is written as kube-apiserver's binding storage writes it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest

from pyk8s.api import errors
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.pod import PodStrategy
from pyk8s.registry.store import ResourceStore
from pyk8s.registry.watchcache import CachedObject
from pyk8s.storage.memory import MemoryStorage

NOW = 1_800_000_000.0
CTX = RequestContext(namespace="ns", field_manager="test", now=NOW)
BIND = RequestContext(namespace="ns", subresource="binding", now=NOW)


def pod(name: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "ns", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}], **spec},
    }


@pytest.fixture
async def env() -> AsyncIterator[tuple[MemoryStorage, ResourceStore]]:
    storage = MemoryStorage()
    await storage.start()
    store = ResourceStore(PodStrategy(), storage)
    await store.start()
    yield storage, store
    await store.stop()
    await storage.aclose()


async def from_storage(storage: MemoryStorage, key: str) -> CachedObject:
    """The object as a cache that reads it from storage keeps it."""
    fresh = ResourceStore(PodStrategy(), storage)
    await fresh.start()
    try:
        cached = fresh.cache.get(key)
        assert cached is not None
        return cached
    finally:
        await fresh.stop()


def same(a: CachedObject, b: CachedObject) -> None:
    assert (a.key, a.namespace, a.name, a.revision) == (b.key, b.namespace, b.name, b.revision)
    assert a.raw == b.raw
    assert (a.labels, a.fields, a.meta_end) == (b.labels, b.fields, b.meta_end)
    assert a.metadata_bytes() == b.metadata_bytes()


async def test_cached_writes_are_what_storage_holds(env: tuple[MemoryStorage, ResourceStore]) -> None:
    storage, store = env
    created = await store.create(CTX, pod("a", nodeName="n1"))
    key = store.key("ns", "a")
    cached = await store.get_cached("ns", "a")
    assert cached.obj() == created
    same(cached, await from_storage(storage, key))

    def relabel(obj: dict[str, Any]) -> dict[str, Any]:
        obj["metadata"]["labels"]["tier"] = "front"
        obj["metadata"].setdefault("annotations", {})["note"] = "x"
        return obj

    updated, _ = await store.update(CTX, "a", relabel)
    cached = await store.get_cached("ns", "a")
    assert cached.obj() == updated and cached.labels == {"app": "web", "tier": "front"}
    assert cached.fields["spec.nodeName"] == "n1"
    same(cached, await from_storage(storage, key))
    # a watcher sees the same bytes as a reader
    assert orjson.loads(cached.raw)["metadata"]["resourceVersion"] == updated["metadata"]["resourceVersion"]


async def test_bindings_write_the_node_and_condition_only(env: tuple[MemoryStorage, ResourceStore]) -> None:
    storage, store = env
    # Stored without the defaults a create applies: a binding does not default.
    raw = pod("b")
    raw["metadata"].update(uid="u-1", generation=1, creationTimestamp="2027-01-15T08:00:00Z")
    await storage.create(store.key("ns", "b"), orjson.dumps(raw))

    def assign(node: str) -> Any:
        def mutate(obj: dict[str, Any]) -> dict[str, Any]:
            obj["spec"]["nodeName"] = node
            obj.setdefault("status", {})["conditions"] = [{"type": "PodScheduled", "status": "True"}]
            return obj

        return mutate

    bound, _ = await store.update(BIND, "b", assign("n1"))
    assert bound["spec"]["nodeName"] == "n1"
    assert bound["metadata"]["generation"] == 1  # kube-apiserver's binding does not bump it
    assert bound["status"] == {"conditions": [{"type": "PodScheduled", "status": "True"}]}
    assert "enableServiceLinks" not in bound["spec"] and "managedFields" not in bound["metadata"]
    with pytest.raises(errors.InvalidError) as moved:
        await store.update(BIND, "b", assign("n2"))
    assert "pod updates may not change fields" in str(moved.value)


async def test_bindings_to_invalid_node_names_are_refused(env: tuple[MemoryStorage, ResourceStore]) -> None:
    _, store = env
    await store.create(CTX, pod("c"))

    def assign(obj: dict[str, Any]) -> dict[str, Any]:
        obj["spec"]["nodeName"] = "Not_A_Node"
        return obj

    with pytest.raises(errors.InvalidError) as refused:
        await store.update(BIND, "c", assign)
    assert [str(e.field) for e in refused.value.errors] == ["spec.nodeName"]
