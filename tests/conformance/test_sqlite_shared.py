"""sqlite `?shared=1`: several stores (processes) on one file see one store.

Two instances in this process stand for two processes (each has its own writer thread,
watch hub, notification socket and flock); one test runs a real second process.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pyk8s.storage import (
    EventType,
    RevisionCompactedError,
    RevisionConflictError,
    Storage,
    StorageUnavailableError,
    open_storage,
)

from ..conftest import collect


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Storage, Storage]]:
    url = f"sqlite://{tmp_path}/state.db?shared=1"
    a = await open_storage(url, retention=None)
    b = await open_storage(url, retention=None)
    try:
        yield a, b
    finally:
        await a.aclose()
        await b.aclose()


async def test_a_write_is_read_at_once_by_the_other_instance(pair: tuple[Storage, Storage]) -> None:
    a, b = pair
    kv = await a.create("/registry/x/one", b"1")
    # A consistent read on the other instance needs no notification to have arrived.
    assert await b.current_revision() == kv.mod_revision
    assert await b.get("/registry/x/one") == kv
    listed = await b.list("/registry/x/")
    assert (listed.items, listed.revision) == ([kv], kv.mod_revision)


async def test_concurrent_writers_give_every_watcher_the_same_gap_free_history(
    pair: tuple[Storage, Storage],
) -> None:
    a, b = pair
    start = await a.current_revision()
    watches = [s.watch("/registry/", after_revision=start) for s in (a, b)]
    n = 150

    async def write(store: Storage, who: str) -> None:
        for i in range(n):
            kv = await store.create(f"/registry/w/{who}{i}", who.encode())
            if i % 3 == 0:
                await store.update(kv.key, b"again", expected_revision=kv.mod_revision)

    await asyncio.gather(write(a, "a"), write(b, "b"))
    total = 2 * (n + len(range(0, n, 3)))
    seen = [await collect(w, total, timeout=30) for w in watches]
    for events in seen:
        revisions = [e.kv.mod_revision for e in events]
        assert revisions == list(range(start + 1, start + total + 1))
    assert [(e.type, e.kv, e.prev) for e in seen[0]] == [(e.type, e.kv, e.prev) for e in seen[1]]
    assert await a.current_revision() == await b.current_revision() == start + total
    for w in watches:
        await w.aclose()


async def test_preconditions_hold_across_instances(pair: tuple[Storage, Storage]) -> None:
    a, b = pair
    created = await a.create("/registry/c/k", b"1")
    updated = await b.update("/registry/c/k", b"2", expected_revision=created.mod_revision)
    with pytest.raises(RevisionConflictError) as conflict:
        await a.update("/registry/c/k", b"3", expected_revision=created.mod_revision)
    assert conflict.value.current == updated
    gone = await a.delete("/registry/c/k", expected_revision=updated.mod_revision)
    assert await b.get("/registry/c/k") is None
    events = await collect(b.watch("/registry/c/", after_revision=created.mod_revision), 2)
    assert [(e.type, e.kv.mod_revision) for e in events] == [
        (EventType.UPDATE, updated.mod_revision),
        (EventType.DELETE, gone.mod_revision),
    ]


async def test_a_watch_may_start_at_a_revision_only_the_other_instance_has_published(
    pair: tuple[Storage, Storage],
) -> None:
    a, b = pair
    first = await a.create("/registry/r/1", b"1")
    stream = b.watch("/registry/r/", after_revision=first.mod_revision)  # not RevisionTooNew
    second = await a.create("/registry/r/2", b"2")
    events = await collect(stream, 1)
    assert [e.kv for e in events] == [second]


async def test_shared_and_exclusive_openers_exclude_each_other(tmp_path: Path) -> None:
    shared = await open_storage(f"sqlite://{tmp_path}/s.db?shared=1", retention=None)
    try:
        with pytest.raises(StorageUnavailableError, match="another pyk8s process"):
            await open_storage(f"sqlite://{tmp_path}/s.db", retention=None)
    finally:
        await shared.aclose()
    exclusive = await open_storage(f"sqlite://{tmp_path}/e.db", retention=None)
    try:
        with pytest.raises(StorageUnavailableError, match="does not share it"):
            await open_storage(f"sqlite://{tmp_path}/e.db?shared=1", retention=None)
    finally:
        await exclusive.aclose()
    with pytest.raises(ValueError, match="unsupported"):
        await open_storage(f"sqlite://{tmp_path}/x.db?shared=maybe", retention=None)


async def test_a_vanished_peer_is_dropped_from_the_peers_table(
    pair: tuple[Storage, Storage], tmp_path: Path
) -> None:
    a, _b = pair
    await a.create("/registry/p/0", b"0")  # the table is read inside write transactions
    inner = a.storage if hasattr(a, "storage") else a
    inner._write_conn.execute("INSERT INTO peers (address) VALUES ('pyk8s-sqlite-gone')")
    await a.create("/registry/p/1", b"1")
    await a.create("/registry/p/2", b"2")
    rows = inner._write_conn.execute("SELECT address FROM peers").fetchall()
    assert ("pyk8s-sqlite-gone",) not in rows
    assert len(rows) == 2


async def test_a_hub_that_missed_compacted_commits_ends_its_watches(pair: tuple[Storage, Storage]) -> None:
    a, b = pair
    start = await b.current_revision()
    stream = b.watch("/registry/", after_revision=start)
    # b stops hearing about a's commits; a writes and compacts past them.
    b._loop.remove_reader(b._notify.fileno())  # type: ignore[attr-defined]
    for i in range(5):
        await a.create(f"/registry/lost/{i}", b"x")
    await a.create("/registry/lost/last", b"x")
    await a.compact(await a.current_revision())
    await b.create("/registry/lost/b", b"b")  # b's writer finds the gap compacted
    with pytest.raises(RevisionCompactedError):
        await collect(stream, 1)


CHILD = """
import asyncio, sys
from pyk8s.storage import open_storage

async def main():
    store = await open_storage(sys.argv[1], retention=None)
    print("open", flush=True)
    sys.stdin.readline()
    for i in range(int(sys.argv[2])):
        await store.create(f"/registry/child/{i}", b"c")
    await store.aclose()

asyncio.run(main())
"""


async def test_another_process_writes_reach_this_process_watchers(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/state.db?shared=1"
    store = await open_storage(url, retention=None)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        url,
        "300",
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert await asyncio.wait_for(child.stdout.readline(), 60) == b"open\n"
        start = await store.current_revision()
        stream = store.watch("/registry/child/", after_revision=start)
        child.stdin.write(b"go\n")
        await child.stdin.drain()
        events = await collect(stream, 300, timeout=60)
        assert [e.kv.mod_revision for e in events] == list(range(start + 1, start + 301))
        assert await asyncio.wait_for(child.wait(), 60) == 0
        assert (await store.count("/registry/child/")) == 300
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
        await store.aclose()


async def test_a_progress_request_is_answered_once_the_hub_has_the_shared_revision(
    pair: tuple[Storage, Storage],
) -> None:
    """A watch cache waiting to be fresh for a revision another process wrote (to keys it
    does not watch) hears progress instead of waiting for its timeout."""
    a, b = pair
    stream = b.watch("/registry/quiet/", after_revision=await b.current_revision())
    b._loop.remove_reader(b._notify.fileno())  # type: ignore[attr-defined]  # no wake-up by datagram
    other = await a.create("/registry/busy/1", b"1")
    assert await b.current_revision() == other.mod_revision  # schedules b's read of a's commits
    await stream.request_progress()
    while stream.progress_revision < other.mod_revision:
        assert await asyncio.wait_for(stream.__anext__(), 10) == []
    await stream.aclose()
