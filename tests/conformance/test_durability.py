"""Crash durability: every write a store acknowledged survives the process being killed.

sqlite: a child process writes from many concurrent tasks and reports each acknowledged
write on stdout; it is SIGKILLed mid-stream, and the parent reopens the file and finds every
reported write. A process crash must lose nothing with either `synchronous` setting (NORMAL
only risks the last writes on power loss, which a test cannot simulate).

etcd: a dedicated server (the shared one must not be killed) is SIGKILLed while writers are
in flight, restarted on the same data and ports, and must still hold every acknowledged write.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from pyk8s.storage import KeyExistsError, KeyNotFoundError, KeyValue, Storage, StorageError, open_storage
from pyk8s.testing.etcd import EtcdServer

WRITERS = 16
ACKS = 2_000
TIMEOUT = 20.0
REPO = Path(__file__).resolve().parents[2]  # the child imports pyk8s from here if not installed

# The child: WRITERS tasks create and update keys forever; one stdout line per acknowledged
# write: key, create_revision, mod_revision, version, value (all free of spaces).
CHILD = r"""
import asyncio, sys
from pyk8s.storage import KeyExistsError, KeyNotFoundError, open_storage

async def main(url, root, writers):
    store = await open_storage(url, retention=None)
    out = sys.stdout

    async def writer(w):
        i = 0
        while True:
            i += 1
            value = f"w{w}-{i}".encode()
            if i % 4 == 0:  # a key of its own, created once
                kv = await store.create(f"{root}own/w{w}/k{i}", value)
            else:  # keys shared by every writer: update, or create when missing
                key = f"{root}shared/k{(w * 7 + i) % 40:02d}"
                try:
                    kv = await store.update(key, value, expected_revision=0)
                except KeyNotFoundError:
                    try:
                        kv = await store.create(key, value)
                    except KeyExistsError:
                        continue
            out.write(f"{kv.key} {kv.create_revision} {kv.mod_revision} {kv.version} {kv.value.decode()}\n")
            out.flush()

    await asyncio.gather(*(writer(w) for w in range(writers)))

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


def parse_ack(line: bytes) -> KeyValue:
    key, created, modified, version, value = line.decode().split()
    return KeyValue(key, value.encode(), int(created), int(modified), int(version))


async def check_acknowledged(store: Storage, acked: list[KeyValue], root: str) -> None:
    """Every acknowledged write is in the store's history, and the store takes new writes."""
    assert acked
    revisions = [kv.mod_revision for kv in acked]
    assert len(set(revisions)) == len(revisions), "two acknowledged writes share a revision"
    newest = max(revisions)
    assert await store.current_revision() >= newest
    latest: dict[str, int] = {}
    for kv in acked:
        # Exactly the acknowledged version, at its revision...
        assert await store.get(kv.key, revision=kv.mod_revision) == kv
        latest[kv.key] = max(latest.get(kv.key, 0), kv.mod_revision)
    listed = {kv.key: kv for kv in (await store.list(root)).items}
    for key, revision in latest.items():
        # ...and now that version or a later (perhaps unacknowledged) one; writers never delete.
        assert key in listed, f"acknowledged {key} is gone"
        assert listed[key].mod_revision >= revision
    after = await store.create(root + "after-crash", b"x")
    assert after.mod_revision > newest


@pytest.mark.parametrize("synchronous", ["full", "normal"])
async def test_sqlite_keeps_every_acknowledged_write_when_the_process_is_killed(
    tmp_path: Path, synchronous: str
) -> None:
    path = tmp_path / "state.db"
    url = f"sqlite://{path}?synchronous={synchronous}"
    root = "/registry/durability/"
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        url,
        root,
        str(WRITERS),
        cwd=REPO,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    acked: list[KeyValue] = []
    try:
        assert child.stdout is not None and child.stderr is not None
        async with asyncio.timeout(TIMEOUT):
            while len(acked) < ACKS:
                line = await child.stdout.readline()
                if not line.endswith(b"\n"):  # end of output: the child died on its own
                    await child.wait()
                    err = (await child.stderr.read()).decode(errors="replace")[-2000:]
                    pytest.fail(f"writer exited with {child.returncode} after {len(acked)} writes:\n{err}")
                acked.append(parse_ack(line))
        child.send_signal(signal.SIGKILL)  # in the middle of writing: more are in flight
        assert await child.wait() == -signal.SIGKILL
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()

    # The store itself recovers the killed process's WAL.
    store = await open_storage(url, retention=None)
    try:
        await check_acknowledged(store, acked, root)
    finally:
        await store.aclose()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()


@pytest.mark.etcd
async def test_etcd_keeps_every_acknowledged_write_when_the_server_is_killed(
    dedicated_etcd: EtcdServer,
) -> None:
    server = dedicated_etcd  # the session's shared server must not be killed
    root = "/registry/durability/"
    acked: list[KeyValue] = []
    enough = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    stores: list[Storage] = []

    async def writer(store: Storage, w: int) -> None:
        i = 0
        while True:
            i += 1
            value = f"w{w}-{i}".encode()
            try:
                if i % 4 == 0:
                    kv = await store.create(f"{root}own/w{w}/k{i}", value)
                else:
                    key = f"{root}shared/k{(w * 7 + i) % 40:02d}"
                    try:
                        kv = await store.update(key, value, expected_revision=0)
                    except KeyNotFoundError:
                        kv = await store.create(key, value)
            except KeyExistsError:
                continue
            except StorageError:
                return  # the server is gone: this write's outcome is unknown, and not counted
            acked.append(kv)
            if len(acked) >= ACKS // 2:
                enough.set()

    try:
        store = await open_storage(server.url, retention=None)
        stores.append(store)
        tasks = [asyncio.create_task(writer(store, w)) for w in range(WRITERS)]
        async with asyncio.timeout(TIMEOUT):
            await enough.wait()
        server.kill()  # SIGKILL while writes are in flight
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await store.aclose()

        server.start()  # the same data directory and ports
        reopened = await open_storage(server.url, retention=None)
        stores.append(reopened)
        await check_acknowledged(reopened, acked, root)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for store in stores:
            with contextlib.suppress(Exception):
                await store.aclose()
