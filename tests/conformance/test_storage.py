"""The storage contract, run unchanged against every backend (memory, sqlite, real etcd)."""

from __future__ import annotations

import asyncio
import random

import pytest

from pyk8s.storage import (
    EventType,
    InvalidKeyError,
    KeyExistsError,
    KeyNotFoundError,
    RevisionCompactedError,
    RevisionConflictError,
    RevisionTooNewError,
    Storage,
    StorageEvent,
    ValueTooLargeError,
    guaranteed_update,
)
from pyk8s.storage.keys import MAX_VALUE_BYTES

from ..conftest import Backend, collect


async def test_fresh_or_shared_store_has_a_positive_revision(store: Storage) -> None:
    assert await store.current_revision() >= 1


async def test_create_assigns_the_next_revision_and_version_one(store: Storage, backend: Backend) -> None:
    base = await store.current_revision()
    kv = await store.create(backend.key("a"), b"one")
    assert (kv.key, kv.value, kv.create_revision, kv.mod_revision, kv.version) == (
        backend.key("a"),
        b"one",
        base + 1,
        base + 1,
        1,
    )
    assert await store.current_revision() == base + 1
    assert await store.get(backend.key("a")) == kv


async def test_create_of_existing_key_conflicts_and_writes_nothing(store: Storage, backend: Backend) -> None:
    await store.create(backend.key("a"), b"one")
    before = await store.current_revision()
    with pytest.raises(KeyExistsError):
        await store.create(backend.key("a"), b"two")
    assert await store.current_revision() == before
    assert (await store.get(backend.key("a"))).value == b"one"


async def test_update_with_expected_revision(store: Storage, backend: Backend) -> None:
    created = await store.create(backend.key("a"), b"one")
    updated = await store.update(backend.key("a"), b"two", expected_revision=created.mod_revision)
    assert updated.mod_revision == created.mod_revision + 1
    assert updated.create_revision == created.create_revision
    assert updated.version == 2
    assert await store.get(backend.key("a")) == updated


async def test_update_with_stale_revision_conflicts_and_returns_current(
    store: Storage, backend: Backend
) -> None:
    created = await store.create(backend.key("a"), b"one")
    current = await store.update(backend.key("a"), b"two", expected_revision=created.mod_revision)
    before = await store.current_revision()
    with pytest.raises(RevisionConflictError) as info:
        await store.update(backend.key("a"), b"three", expected_revision=created.mod_revision)
    assert info.value.current == current
    assert await store.current_revision() == before


async def test_unconditional_update_and_update_of_missing_key(store: Storage, backend: Backend) -> None:
    await store.create(backend.key("a"), b"one")
    kv = await store.update(backend.key("a"), b"two", expected_revision=0)
    assert kv.value == b"two" and kv.version == 2
    with pytest.raises(KeyNotFoundError):
        await store.update(backend.key("missing"), b"x", expected_revision=0)
    with pytest.raises(KeyNotFoundError):
        await store.update(backend.key("missing"), b"x", expected_revision=5)


async def test_delete_without_precondition_returns_last_value(store: Storage, backend: Backend) -> None:
    created = await store.create(backend.key("a"), b"one")
    gone = await store.delete(backend.key("a"))
    assert gone.value == b"one"
    assert gone.create_revision == created.create_revision
    assert gone.mod_revision == created.mod_revision + 1 == await store.current_revision()
    assert await store.get(backend.key("a")) is None
    with pytest.raises(KeyNotFoundError):
        await store.delete(backend.key("a"))


async def test_delete_with_precondition(store: Storage, backend: Backend) -> None:
    created = await store.create(backend.key("a"), b"one")
    updated = await store.update(backend.key("a"), b"two", expected_revision=created.mod_revision)
    with pytest.raises(RevisionConflictError) as info:
        await store.delete(backend.key("a"), expected_revision=created.mod_revision)
    assert info.value.current == updated
    assert await store.get(backend.key("a")) == updated
    gone = await store.delete(backend.key("a"), expected_revision=updated.mod_revision)
    assert gone.value == b"two"
    assert await store.get(backend.key("a")) is None


async def test_recreate_after_delete_starts_a_new_generation(store: Storage, backend: Backend) -> None:
    first = await store.create(backend.key("a"), b"one")
    await store.delete(backend.key("a"))
    again = await store.create(backend.key("a"), b"again")
    assert again.version == 1
    assert again.create_revision == again.mod_revision > first.create_revision


async def test_get_at_a_revision_sees_that_revision(store: Storage, backend: Backend) -> None:
    v1 = await store.create(backend.key("a"), b"one")
    v2 = await store.update(backend.key("a"), b"two", expected_revision=v1.mod_revision)
    gone = await store.delete(backend.key("a"))
    assert await store.get(backend.key("a"), revision=v1.mod_revision) == v1
    assert await store.get(backend.key("a"), revision=v2.mod_revision) == v2
    assert await store.get(backend.key("a"), revision=gone.mod_revision) is None
    assert await store.get(backend.key("a"), revision=v1.mod_revision - 1) is None


async def test_list_is_ordered_and_respects_prefix_boundaries(store: Storage, backend: Backend) -> None:
    for name in ("b/2", "b/1", "bc/1", "a/1", "b/10"):
        await store.create(backend.key(name), name.encode())
    result = await store.list(backend.key("b/"))
    assert [kv.key for kv in result.items] == [backend.key(n) for n in ("b/1", "b/10", "b/2")]
    assert result.revision == await store.current_revision()
    assert not result.more
    everything = await store.list(backend.root)
    assert len(everything.items) == 5
    assert await store.count(backend.key("b/")) == 3


async def test_list_skips_deleted_keys_and_sees_latest_values(store: Storage, backend: Backend) -> None:
    a = await store.create(backend.key("a"), b"1")
    await store.create(backend.key("b"), b"1")
    await store.update(backend.key("a"), b"2", expected_revision=a.mod_revision)
    await store.delete(backend.key("b"))
    result = await store.list(backend.root)
    assert [(kv.key, kv.value) for kv in result.items] == [(backend.key("a"), b"2")]


async def test_list_pages_with_limit_and_continuation(store: Storage, backend: Backend) -> None:
    names = [f"k{i:03d}" for i in range(25)]
    for name in names:
        await store.create(backend.key(name), b"x")
    seen, start_after, revision, pages = [], "", 0, 0
    while True:
        page = await store.list(backend.root, limit=10, start_after=start_after, revision=revision)
        pages += 1
        seen += [kv.key for kv in page.items]
        revision = page.revision
        if not page.more:
            break
        start_after = page.items[-1].key
    assert pages == 3
    assert seen == [backend.key(n) for n in names]


async def test_paginated_list_is_one_snapshot_under_concurrent_writes(
    store: Storage, backend: Backend
) -> None:
    for i in range(60):
        await store.create(backend.key(f"k{i:03d}"), b"v0")
    snapshot = await store.list(backend.root)
    stop = asyncio.Event()

    async def churn() -> None:
        i = 0
        while not stop.is_set():
            key = backend.key(f"k{random.randrange(80):03d}")
            try:
                if random.random() < 0.3:
                    await store.delete(key)
                else:
                    await store.update(key, f"v{i}".encode(), expected_revision=0)
            except KeyNotFoundError:
                await store.create(key, b"new")
            i += 1
            await asyncio.sleep(0)  # the memory backend never suspends on its own

    writer = asyncio.create_task(churn())
    try:
        pages, start_after = [], ""
        while True:
            page = await store.list(
                backend.root, limit=7, start_after=start_after, revision=snapshot.revision
            )
            pages += page.items
            await asyncio.sleep(0.005)
            if not page.more:
                break
            start_after = page.items[-1].key
    finally:
        stop.set()
        await writer
    assert await store.current_revision() > snapshot.revision
    assert pages == snapshot.items


async def test_reads_in_the_future_are_refused(store: Storage, backend: Backend) -> None:
    current = await store.current_revision()
    with pytest.raises(RevisionTooNewError):
        await store.get(backend.key("a"), revision=current + 100)
    with pytest.raises(RevisionTooNewError):
        await store.list(backend.root, revision=current + 100)
    with pytest.raises(RevisionTooNewError):
        stream = store.watch(backend.root, after_revision=current + 100)
        await anext(aiter(stream))


async def test_watch_replays_exactly_the_events_after_a_revision(store: Storage, backend: Backend) -> None:
    a = await store.create(backend.key("a"), b"1")
    a2 = await store.update(backend.key("a"), b"2", expected_revision=a.mod_revision)
    b = await store.create(backend.key("b"), b"1")
    gone = await store.delete(backend.key("a"))
    await store.create(backend.root[:-1] + "x/other", b"not watched")

    stream = store.watch(backend.root, after_revision=a.mod_revision)
    try:
        events = await collect(stream, 3)
    finally:
        await stream.aclose()
    assert [(e.type, e.kv.key, e.kv.mod_revision) for e in events] == [
        (EventType.UPDATE, backend.key("a"), a2.mod_revision),
        (EventType.CREATE, backend.key("b"), b.mod_revision),
        (EventType.DELETE, backend.key("a"), gone.mod_revision),
    ]
    assert events[0].prev == a
    assert events[0].kv == a2
    assert events[1].prev is None
    assert events[2].prev == a2
    assert events[2].kv.value == b"2"


async def test_watch_follows_live_writes_after_history(store: Storage, backend: Backend) -> None:
    start = await store.create(backend.key("a"), b"0")
    stream = store.watch(backend.root, after_revision=start.mod_revision - 1)
    try:
        got = await collect(stream, 1)
        assert got[0].kv == start
        written = []
        for i in range(1, 6):
            written.append(await store.update(backend.key("a"), str(i).encode(), expected_revision=0))
        got = await collect(stream, 5)
        assert [e.kv for e in got] == written
        assert [e.prev.value for e in got] == [b"0", b"1", b"2", b"3", b"4"]
        assert stream.progress_revision >= written[-1].mod_revision
    finally:
        await stream.aclose()


async def test_watch_sees_every_event_once_in_order_under_concurrent_writers(
    store: Storage, backend: Backend
) -> None:
    base = await store.current_revision()
    stream = store.watch(backend.root, after_revision=base)

    async def writer(w: int) -> list[int]:
        revs = []
        for i in range(40):
            key = backend.key(f"w{w}/k{i % 5}")
            try:
                kv = await store.update(key, f"{i}".encode(), expected_revision=0)
            except KeyNotFoundError:
                kv = await store.create(key, f"{i}".encode())
            revs.append(kv.mod_revision)
        return revs

    try:
        results = await asyncio.gather(*(writer(w) for w in range(8)))
        events = await collect(stream, 320)
    finally:
        await stream.aclose()
    revisions = [e.kv.mod_revision for e in events]
    assert revisions == sorted(revisions)
    assert len(set(revisions)) == 320
    assert sorted(revisions) == sorted(r for rs in results for r in rs)
    last: dict[str, bytes] = {}
    for event in events:
        assert (event.type is EventType.CREATE) == (event.kv.key not in last)
        if event.prev is not None:
            assert event.prev.value == last[event.kv.key]
        last[event.kv.key] = event.kv.value


async def test_a_stalled_watcher_neither_blocks_writers_nor_loses_events(
    store: Storage, backend: Backend
) -> None:
    base = await store.current_revision()
    stalled = store.watch(backend.root, after_revision=base)
    live = store.watch(backend.root, after_revision=base)
    try:
        first = await store.create(backend.key("k"), b"0")
        assert (await collect(live, 1))[0].kv == first
        # Far more events than any in-memory buffer holds, while `stalled` reads nothing.
        n = 12_000 if backend.name != "etcd" else 2_000
        payload = b"p" * 64
        for i in range(n):
            await store.update(backend.key("k"), payload + str(i).encode(), expected_revision=0)
        got = await collect(live, n)
        assert len(got) == n
        events = await collect(stalled, n + 1, timeout=60)
        revisions = [e.kv.mod_revision for e in events]
        assert revisions == list(range(first.mod_revision, first.mod_revision + n + 1))
    finally:
        await stalled.aclose()
        await live.aclose()


async def test_watch_prefix_filters_other_keys(store: Storage, backend: Backend) -> None:
    base = await store.current_revision()
    stream = store.watch(backend.key("pods/"), after_revision=base)
    try:
        await store.create(backend.key("podsx/a"), b"no")
        await store.create(backend.key("pod"), b"no")
        mine = await store.create(backend.key("pods/a"), b"yes")
        events = await collect(stream, 1)
        assert [e.kv for e in events] == [mine]
    finally:
        await stream.aclose()


async def test_compaction_keeps_current_state_and_refuses_older_history(
    store: Storage, backend: Backend
) -> None:
    a = await store.create(backend.key("a"), b"1")
    await store.update(backend.key("a"), b"2", expected_revision=0)
    await store.create(backend.key("b"), b"1")
    await store.delete(backend.key("b"))
    c = await store.create(backend.key("c"), b"1")
    await store.compact(c.mod_revision)

    with pytest.raises(RevisionCompactedError):
        await store.get(backend.key("a"), revision=a.mod_revision)
    with pytest.raises(RevisionCompactedError):
        await store.list(backend.root, revision=a.mod_revision)
    with pytest.raises(RevisionCompactedError):
        stream = store.watch(backend.root, after_revision=a.mod_revision)
        try:
            await collect(stream, 1)
        finally:
            await stream.aclose()
    assert await store.compact_revision() == c.mod_revision

    # The state at the compaction revision and after it is intact.
    at_c = await store.list(backend.root, revision=c.mod_revision)
    assert [(kv.key, kv.value) for kv in at_c.items] == [(backend.key("a"), b"2"), (backend.key("c"), b"1")]
    stream = store.watch(backend.root, after_revision=c.mod_revision - 1)
    try:
        events = await collect(stream, 1)
        assert events[0].kv == c
        d = await store.update(backend.key("a"), b"3", expected_revision=0)
        events = await collect(stream, 1)
        assert events[0].kv == d and events[0].prev.value == b"2"
    finally:
        await stream.aclose()
    # Compacting again at an older revision is a no-op.
    await store.compact(a.mod_revision)


async def test_compaction_in_the_future_is_refused(store: Storage) -> None:
    current = await store.current_revision()
    with pytest.raises(RevisionTooNewError):
        await store.compact(current + 10)


async def test_concurrent_read_modify_write_loses_no_update(store: Storage, backend: Backend) -> None:
    keys = [backend.key(f"counter-{i}") for i in range(10)]
    for key in keys:
        await store.create(key, b"0")

    async def increment(kv) -> bytes:
        return str(int(kv.value) + 1).encode()

    async def worker(w: int) -> None:
        rng = random.Random(w)
        for _ in range(100):
            await guaranteed_update(store, rng.choice(keys), increment)

    await asyncio.gather(*(worker(w) for w in range(100)))
    values = [int((await store.get(key)).value) for key in keys]
    assert sum(values) == 100 * 100


async def test_close_and_reopen_keeps_every_acknowledged_write(backend: Backend) -> None:
    store = await backend.open()
    written = {}
    for i in range(50):
        kv = await store.create(backend.key(f"k{i}"), f"v{i}".encode())
        written[kv.key] = kv
    for i in range(0, 50, 5):
        kv = await store.update(backend.key(f"k{i}"), b"changed", expected_revision=0)
        written[kv.key] = kv
    revision = await store.current_revision()
    await store.aclose()
    backend.opened.remove(store)

    reopened = await backend.open()
    assert await reopened.current_revision() >= revision
    listed = await reopened.list(backend.root)
    assert {kv.key: kv for kv in listed.items} == written
    after = await reopened.create(backend.key("after"), b"x")
    assert after.mod_revision > revision


@pytest.mark.parametrize(
    "key",
    [
        "",
        "relative/key",
        "/",
        "/trailing/",
        "//double",
        "/a//b",
        "/a/./b",
        "/a/../b",
        "/with space",
        "/tab\tkey",
        "/nul\x00key",
        "/ünïcode",
        "/" + "x" * 2000,
    ],
)
async def test_keys_outside_the_scheme_are_refused_and_nothing_is_written(store: Storage, key: str) -> None:
    before = await store.current_revision()
    with pytest.raises(InvalidKeyError):
        await store.create(key, b"x")
    with pytest.raises(InvalidKeyError):
        await store.update(key, b"x", expected_revision=0)
    with pytest.raises(InvalidKeyError):
        await store.delete(key)
    with pytest.raises(InvalidKeyError):
        await store.get(key)
    assert await store.current_revision() == before


@pytest.mark.parametrize("prefix", ["", "no-slash", "/missing-trailing-slash", "//"])
async def test_bad_prefixes_are_refused(store: Storage, prefix: str) -> None:
    with pytest.raises(InvalidKeyError):
        await store.list(prefix)
    with pytest.raises(InvalidKeyError):
        store.watch(prefix, after_revision=0)


async def test_values_over_the_limit_are_refused_and_nothing_is_written(
    store: Storage, backend: Backend
) -> None:
    before = await store.current_revision()
    with pytest.raises(ValueTooLargeError):
        await store.create(backend.key("big"), b"x" * (MAX_VALUE_BYTES + 1))
    assert await store.current_revision() == before
    assert await store.get(backend.key("big")) is None
    kv = await store.create(backend.key("big"), b"x" * MAX_VALUE_BYTES)
    assert len((await store.get(backend.key("big"))).value) == MAX_VALUE_BYTES
    with pytest.raises(ValueTooLargeError):
        await store.update(
            backend.key("big"), b"y" * (MAX_VALUE_BYTES + 1), expected_revision=kv.mod_revision
        )
    assert (await store.get(backend.key("big"))).mod_revision == kv.mod_revision


async def test_bad_revisions_and_values_are_refused(store: Storage, backend: Backend) -> None:
    with pytest.raises(ValueError):
        await store.get(backend.key("a"), revision=-1)
    with pytest.raises(TypeError):
        await store.create(backend.key("a"), "text, not bytes")  # type: ignore[arg-type]
    assert await store.get(backend.key("a")) is None


async def test_progress_can_be_requested_while_no_event_matches(store: Storage, backend: Backend) -> None:
    stream = store.watch(backend.key("quiet/"), after_revision=await store.current_revision())
    batches: list[list[StorageEvent]] = []

    async def consume() -> None:
        async for batch in stream:
            batches.append(batch)
            if stream.progress_revision >= current:
                return

    task = asyncio.create_task(consume())
    try:
        await store.create(backend.key("busy/a"), b"x")
        current = await store.current_revision()
        deadline = asyncio.get_running_loop().time() + 60  # generous: etcd answers late under load
        while stream.progress_revision < current and asyncio.get_running_loop().time() < deadline:
            await stream.request_progress()
            await asyncio.sleep(0.05)
        assert stream.progress_revision >= current
        assert all(batch == [] for batch in batches)  # progress only: nothing watched changed
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await stream.aclose()
