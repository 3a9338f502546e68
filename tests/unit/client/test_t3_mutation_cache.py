"""`MutationCache`: our own writes are read back before the watch brings them, and never
hide a version the cache got from anyone else."""

from __future__ import annotations

from typing import Any

from pyk8s.client.informers import SharedInformer
from pyk8s.client.informers.mutation import MutationCache

Obj = dict[str, Any]


def rs(rv: int, replicas: int = 1, uid: str = "u1", name: str = "web") -> Obj:
    return {
        "metadata": {"name": name, "namespace": "ns", "uid": uid, "resourceVersion": str(rv)},
        "spec": {"replicas": replicas},
    }


def informer() -> SharedInformer:
    """An informer whose cache the test fills by hand (never started)."""
    return SharedInformer(lister_watcher=None)  # type: ignore[arg-type]


def test_without_writes_the_cached_object_is_returned() -> None:
    cache = MutationCache()
    cached = rs(1)
    assert cache.latest(cached) is cached
    assert cache.latest(None) is None


def test_a_write_is_read_back_until_the_cache_has_it() -> None:
    inf = informer()
    cache = MutationCache.for_informer(inf)
    inf.replace([rs(1)], "1")
    cached = inf.lister.get("web", "ns")
    written = rs(5, replicas=3)
    cache.record(cached, written)
    assert cache.latest(inf.lister.get("web", "ns")) is written  # the cache still holds rv 1
    inf.update(rs(5, replicas=3))  # the watch brings our write back
    assert len(cache) == 0
    assert cache.latest(inf.lister.get("web", "ns"))["metadata"]["resourceVersion"] == "5"


def test_a_chain_of_writes_replaces_every_version_it_went_through() -> None:
    cache = MutationCache()
    first, second = rs(2), rs(3)
    cache.record(rs(1), first)
    cache.record(first, second)
    assert cache.latest(rs(1)) is second
    assert cache.latest(rs(2)) is second
    assert cache.latest(rs(3))["metadata"]["resourceVersion"] == "3"


def test_someone_elses_version_wins_and_drops_the_entry() -> None:
    inf = informer()
    cache = MutationCache.for_informer(inf)
    inf.replace([rs(1)], "1")
    cache.record(rs(1), rs(4, replicas=3))
    theirs = rs(7, replicas=9)  # written by another client after ours
    inf.update(theirs)
    assert len(cache) == 0
    assert cache.latest(inf.lister.get("web", "ns")) is theirs
    # a cache that never saw our rv 4 but an unrelated version: that version is returned
    cache.record(rs(7), rs(8))
    assert cache.latest(rs(6))["metadata"]["resourceVersion"] == "6"


def test_deletion_and_recreation_are_not_hidden() -> None:
    inf = informer()
    cache = MutationCache.for_informer(inf)
    inf.replace([rs(1)], "1")
    cache.record(rs(1), rs(2))
    inf.delete(rs(1))
    assert len(cache) == 0
    cache.record(rs(1), rs(2))
    recreated = rs(1, uid="u2")  # same name and (by chance) resourceVersion, another object
    assert cache.latest(recreated) is recreated


def test_writes_that_prove_nothing_are_ignored() -> None:
    cache = MutationCache()
    cache.record({"metadata": {"name": "web", "namespace": "ns", "uid": "u1"}}, rs(2))  # no rv
    cache.record(rs(2), rs(2))  # unchanged (a no-op write)
    cache.record(rs(1, uid="u1"), rs(2, uid="u2"))  # not the same object
    assert len(cache) == 0


def test_one_cache_per_informer() -> None:
    first, second = informer(), informer()
    assert MutationCache.for_informer(first) is MutationCache.for_informer(first)
    assert MutationCache.for_informer(first) is not MutationCache.for_informer(second)
