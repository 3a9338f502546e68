"""`sqlite:///abs/path.db`: the default backend, one file, log-structured like etcd's MVCC.

Layout. One table `kv` holds every version of every key: a row per write, keyed by the
global revision (the INTEGER PRIMARY KEY, so the log is the table's own order). A delete
writes a tombstone row. `prev` links a row to the version it replaced, so watch history
carries previous values without storing them twice. `meta` keeps the compaction point.

Threads. All SQL runs off the event loop. One writer thread owns the only write connection
and applies whatever requests are waiting in one transaction (group commit): per-request
durability at batch speed. Each write is checked on its own inside the batch (a failed
precondition fails only that request). After COMMIT the writer hands the results to the
loop in one callback, which advances the revision, feeds the watch hub and only then
resolves the callers' futures, so an acknowledged write is durable and already visible to
watchers. Reads run on a small pool of reader connections; each read is one SQLite read
transaction, so it sees one snapshot even while the writer compacts.

Sharing. With `?shared=1` several processes (the workers of one API server) open the same
file. Writers take turns through an exclusive `flock` on `PATH-shared`, whose first 8 bytes
(mmap'd) hold the last committed revision, so `current_revision` is a memory read. Every
process keeps its own watch hub fed in revision order with every process's commits: a
writer, under the lock, first reads the rows other processes committed since its hub last
heard (usually none), so its batch's events follow them; after COMMIT it sends a datagram
to every peer (abstract unix sockets listed in table `peers`), and a peer reads the new rows
(the *tail*) on a reader thread. Consistent reads see the shared revision and wait for the
hub as they would for etcd's progress.

Durability. WAL with `synchronous=FULL` (the default): every commit is fsynced before it is
acknowledged, so a crash or power loss loses nothing that was acknowledged. With
`?synchronous=normal` commits are fsynced only at checkpoints: a crash of the process still
loses nothing, but a power loss can lose the last acknowledged writes (never corrupts).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import mmap
import os
import queue
import socket
import sqlite3
import struct
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from pyk8s.storage.errors import (
    KeyExistsError,
    KeyNotFoundError,
    RevisionCompactedError,
    RevisionConflictError,
    RevisionTooNewError,
    StorageError,
    StorageUnavailableError,
)
from pyk8s.storage.interface import EventType, KeyValue, ListResult, Revision, StorageEvent
from pyk8s.storage.keys import (
    check_key,
    check_prefix,
    check_read_revision,
    check_revision,
    check_value,
    prefix_end,
)
from pyk8s.storage.watch import HubWatchStream, WatchHub

T = TypeVar("T")

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (
    revision INTEGER PRIMARY KEY,
    key      TEXT    NOT NULL,
    created  INTEGER NOT NULL,
    prev     INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    deleted  INTEGER NOT NULL,
    value    BLOB
);
-- The rowid (revision) is part of every index entry, so this also orders by revision per key.
CREATE INDEX IF NOT EXISTS kv_key ON kv (key);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES ('schema', 1), ('compacted', 0), ('base', 1);
-- Notification addresses of the processes sharing the file (`?shared=1`).
CREATE TABLE IF NOT EXISTS peers (address TEXT PRIMARY KEY) WITHOUT ROWID;
"""

_LATEST = (
    "SELECT revision, created, version, deleted, value FROM kv WHERE key = ? ORDER BY revision DESC LIMIT 1"
)
# One statement is one read snapshot: the compaction point comes with the row.
_GET_AT = (
    "SELECT m.value, k.revision, k.created, k.version, k.deleted, k.value FROM meta m"
    " LEFT JOIN (SELECT revision, created, version, deleted, value FROM kv"
    " WHERE key = ? AND revision <= ? ORDER BY revision DESC LIMIT 1) k WHERE m.name = 'compacted'"
)
# Latest version of each key at a revision, in key order; streams, so LIMIT is cheap.
_LIST_AT = (
    "SELECT key, value, created, revision, version FROM kv"
    " WHERE key >= ? AND key > ? AND key < ? AND revision <= ? AND deleted = 0"
    " AND revision = (SELECT MAX(n.revision) FROM kv n WHERE n.key = kv.key AND n.revision <= ?)"
    " ORDER BY key LIMIT ?"
)
_HISTORY = (
    "SELECT k.revision, k.key, k.created, k.version, k.deleted, k.value,"
    " p.revision, p.created, p.version, p.value"
    " FROM kv k LEFT JOIN kv p ON p.revision = k.prev"
    " WHERE k.revision > ? AND k.revision <= ? AND k.key >= ? AND k.key < ?"
    " ORDER BY k.revision LIMIT ?"
)
_INSERT = (
    "INSERT INTO kv (revision, key, created, prev, version, deleted, value) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# Compaction step: among keys written in [lo, hi), drop every version below hi that is
# superseded below hi, and tombstones below hi (the key was gone at hi).
_COMPACT = (
    "DELETE FROM kv WHERE revision < :hi AND key IN"
    " (SELECT key FROM kv WHERE revision >= :lo AND revision < :hi)"
    " AND (deleted = 1 OR revision < (SELECT MAX(n.revision) FROM kv n"
    " WHERE n.key = kv.key AND n.revision < :hi))"
)

MAX_BATCH_OPS = 1024
MAX_BATCH_BYTES = 16 * 1024 * 1024
COMPACT_STEP = 1_000
TAIL_BATCH = 1_000  # rows per read when catching up with other processes' commits
_REVISION = struct.Struct("<q")


@dataclass(slots=True)
class _Write:
    op: str  # "create" | "update" | "delete" | "compact"
    key: str
    value: bytes
    expected: Revision
    future: asyncio.Future[Any]


class SqliteStorage:
    """The default storage backend (see the module docstring)."""

    ordered_progress = True  # progress is reported by the same task that yields events

    def __init__(self, url: str, *, readers: int = 2) -> None:
        parts = urlsplit(url)
        if parts.scheme != "sqlite" or parts.netloc or not parts.path.startswith("/"):
            raise ValueError(f"sqlite storage URL must be sqlite:///absolute/path.db, not {url!r}")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        sync = query.pop("synchronous", "full").upper()
        shared = query.pop("shared", "0").lower()
        if sync not in ("FULL", "NORMAL") or shared not in ("0", "1", "false", "true") or query:
            raise ValueError(f"unsupported sqlite storage options in {url!r}")
        self.url = url
        self.path = parts.path
        self.synchronous = sync
        self.shared = shared in ("1", "true")
        # shared mode: the writers' lock and shared revision, this process's notification socket
        self._shared_fd: int | None = None
        self._shared_map: mmap.mmap | None = None
        self._notify: socket.socket | None = None
        self._address = ""
        self._catching_up = False
        self._reader_count = readers
        self.cache_kib = 8192
        self._hub = WatchHub(self._history, current=self._current)
        self._revision: Revision = 0  # acknowledged, as the loop sees it
        self._writer_revision: Revision = 0  # committed, as the writer thread sees it
        self._compacted: Revision = 0
        self._writes: queue.SimpleQueue[_Write | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._readers: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._conn_lock = threading.Lock()
        self._lock_fd: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self.on_commit: Callable[[Revision], None] | None = None

    # lifecycle

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await asyncio.to_thread(self._open)
        self._hub.revision = self._revision
        if self._notify is not None:
            self._loop.add_reader(self._notify.fileno(), self._on_notify)
        self._readers = ThreadPoolExecutor(self._reader_count, thread_name_prefix="pyk8s-sqlite-read")
        self._writer = threading.Thread(target=self._write_loop, name="pyk8s-sqlite-write", daemon=True)
        self._writer.start()

    def _open(self) -> None:
        os.makedirs(os.path.dirname(self.path) or "/", exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            # SQLite locks with fcntl byte ranges; flock is independent and says "one owner"
            # (or, shared, "owners that all know the file is shared").
            fcntl.flock(fd, (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            who = "a pyk8s process that does not share it" if self.shared else "another pyk8s process"
            raise StorageUnavailableError(f"{self.path} is in use by {who}") from None
        self._lock_fd = fd
        if self.shared:
            self._open_shared()
        with self._writers_turn():
            conn = self._connect()
            conn.executescript(_SCHEMA)
            if self._notify is not None:
                conn.execute("INSERT OR REPLACE INTO peers (address) VALUES (?)", (self._address,))
            self._write_conn = conn
            self._revision = self._writer_revision = self._max_revision(conn)
            self._compacted = conn.execute("SELECT value FROM meta WHERE name = 'compacted'").fetchone()[0]
            if self._shared_map is not None:
                self._publish_revision(self._revision)

    def _open_shared(self) -> None:
        fd = os.open(self.path + "-shared", os.O_RDWR | os.O_CREAT, 0o600)
        self._shared_fd = fd
        if os.fstat(fd).st_size < mmap.PAGESIZE:
            os.ftruncate(fd, mmap.PAGESIZE)  # zeros: revision 0 until the first writer says more
        self._shared_map = mmap.mmap(fd, mmap.PAGESIZE)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.setblocking(False)
        # Abstract addresses vanish with their process: a crashed peer leaves no file behind.
        self._address = f"pyk8s-sqlite-{os.getpid()}-{id(self):x}"
        sock.bind("\0" + self._address)
        self._notify = sock

    def _writers_turn(self) -> Any:
        """A context holding the writers' lock of a shared file (nothing when not shared)."""
        return _FileLock(self._shared_fd)

    def _shared_revision(self) -> Revision:
        """The last revision any process sharing the file committed (0 when not shared)."""
        m = self._shared_map
        if m is None:
            return 0
        # An 8-byte store is not promised to be read whole while it happens: read until two
        # reads agree (the value only grows, and only under the writers' lock).
        value = _REVISION.unpack_from(m, 0)[0]
        while True:
            again = _REVISION.unpack_from(m, 0)[0]
            if again == value:
                return int(value)
            value = again

    def _publish_revision(self, revision: Revision) -> None:
        """Under the writers' lock: record the last committed revision for every process."""
        assert self._shared_map is not None
        if revision > _REVISION.unpack_from(self._shared_map, 0)[0]:
            _REVISION.pack_into(self._shared_map, 0, revision)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {self.synchronous}")
        conn.execute("PRAGMA busy_timeout = 10000")
        # Page cache per connection (KiB). Reads are mostly served by the API server's watch
        # cache, so a modest SQLite cache keeps memory per stored object low.
        conn.execute(f"PRAGMA cache_size = -{self.cache_kib}")
        conn.execute("PRAGMA temp_store = MEMORY")
        with self._conn_lock:
            self._connections.append(conn)
        return conn

    @staticmethod
    def _max_revision(conn: sqlite3.Connection) -> Revision:
        row = conn.execute(
            "SELECT MAX(revision), (SELECT value FROM meta WHERE name = 'base') FROM kv"
        ).fetchone()
        return max(row[0] or 0, row[1])

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._hub.close()
        if self._writer is not None:
            self._writes.put(None)
            await asyncio.to_thread(self._writer.join)
        if self._readers is not None:
            self._readers.shutdown(wait=True)
        if self._notify is not None:
            if self._loop is not None:
                self._loop.remove_reader(self._notify.fileno())
            await asyncio.to_thread(self._leave)
            self._notify.close()
            self._notify = None
        with self._conn_lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        if self._shared_map is not None:
            self._shared_map.close()
            self._shared_map = None
        for fd in (self._lock_fd, self._shared_fd):
            if fd is not None:
                os.close(fd)
        self._lock_fd = self._shared_fd = None

    def _leave(self) -> None:
        """Take this process off the peers table (a crashed one is dropped by the next writer)."""
        try:
            with self._writers_turn():
                self._write_conn.execute("DELETE FROM peers WHERE address = ?", (self._address,))
        except sqlite3.Error:
            pass

    # reads

    def _reader(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    async def _read(self, fn: Callable[..., T], *args: Any) -> T:
        if self._closed or self._readers is None or self._loop is None:
            raise StorageUnavailableError("storage is closed" if self._closed else "storage not started")
        return await self._loop.run_in_executor(self._readers, fn, *args)

    def _snapshot(self, conn: sqlite3.Connection, revision: Revision) -> None:
        """Begin a read transaction and check `revision` is still retained in it."""
        conn.execute("BEGIN")
        compacted = conn.execute("SELECT value FROM meta WHERE name = 'compacted'").fetchone()[0]
        if revision < compacted:
            conn.execute("COMMIT")
            raise RevisionCompactedError(revision, compacted)

    def _current(self) -> Revision:
        """The store's revision: this process's, or, shared, the last any process committed."""
        if self._shared_map is None:
            return self._revision
        shared = self._shared_revision()
        if shared > self._revision:
            self._catch_up()  # a notification may still be on its way: read now
            return shared
        return self._revision

    def _read_revision(self, revision: Revision) -> Revision:
        return check_read_revision(revision, current=self._current(), compacted=self._compacted)

    async def current_revision(self) -> Revision:
        return self._current()

    async def compact_revision(self) -> Revision:
        return self._compacted

    async def get(self, key: str, *, revision: Revision = 0) -> KeyValue | None:
        check_key(key)
        return await self._read(self._get_sync, key, self._read_revision(revision))

    def _get_sync(self, key: str, revision: Revision) -> KeyValue | None:
        compacted, rev, created, version, deleted, value = (
            self._reader().execute(_GET_AT, (key, revision)).fetchone()
        )
        if revision < compacted:
            raise RevisionCompactedError(revision, compacted)
        if rev is None or deleted:
            return None
        return KeyValue(key, value, created, rev, version)

    async def list(
        self, prefix: str, *, revision: Revision = 0, start_after: str = "", limit: int = 0
    ) -> ListResult:
        check_prefix(prefix)
        if limit < 0:
            raise ValueError("limit must not be negative")
        rev = self._read_revision(revision)
        return await self._read(self._list_sync, prefix, rev, start_after, limit)

    def _list_sync(self, prefix: str, revision: Revision, start_after: str, limit: int) -> ListResult:
        conn = self._reader()
        self._snapshot(conn, revision)
        try:
            rows = conn.execute(
                _LIST_AT,
                (prefix, start_after, prefix_end(prefix), revision, revision, limit + 1 if limit else -1),
            ).fetchall()
        finally:
            conn.execute("COMMIT")
        more = bool(limit) and len(rows) > limit
        if more:
            del rows[limit:]
        return ListResult([KeyValue(*row) for row in rows], revision, more)

    async def count(self, prefix: str) -> int:
        check_prefix(prefix)
        return await self._read(self._count_sync, prefix, self._current())

    def _count_sync(self, prefix: str, revision: Revision) -> int:
        sql = (
            "SELECT COUNT(*) FROM kv WHERE key >= ? AND key < ? AND deleted = 0 AND revision ="
            " (SELECT MAX(n.revision) FROM kv n WHERE n.key = kv.key AND n.revision <= ?)"
        )
        return int(self._reader().execute(sql, (prefix, prefix_end(prefix), revision)).fetchone()[0])

    # watch

    def watch(self, prefix: str, *, after_revision: Revision) -> HubWatchStream:
        check_prefix(prefix)
        check_revision(after_revision)
        # Shared: a revision another process committed is valid before this hub has heard of it.
        return self._hub.watch(prefix, after_revision, current=self._current())

    async def _history(self, prefix: str, after: Revision, upto: Revision, limit: int) -> list[StorageEvent]:
        return await self._read(self._history_sync, prefix, after, upto, limit)

    def _history_sync(self, prefix: str, after: Revision, upto: Revision, limit: int) -> list[StorageEvent]:
        conn = self._reader()
        self._snapshot(conn, after + 1)
        try:
            return self._history_rows(conn, prefix, after, upto, limit)
        finally:
            conn.execute("COMMIT")

    @staticmethod
    def _history_rows(
        conn: sqlite3.Connection, prefix: str, after: Revision, upto: Revision, limit: int
    ) -> list[StorageEvent]:
        """Events after `after` up to `upto` under `prefix`, in the caller's transaction."""
        rows = conn.execute(_HISTORY, (after, upto, prefix, prefix_end(prefix), limit)).fetchall()
        events = []
        for rev, key, created, version, deleted, value, p_rev, p_created, p_version, p_value in rows:
            prev = KeyValue(key, p_value, p_created, p_rev, p_version) if p_rev is not None else None
            if deleted:
                assert prev is not None
                events.append(
                    StorageEvent(
                        EventType.DELETE, KeyValue(key, prev.value, created, rev, prev.version), prev
                    )
                )
            else:
                kind = EventType.UPDATE if prev is not None else EventType.CREATE
                events.append(StorageEvent(kind, KeyValue(key, value, created, rev, version), prev))
        return events

    # writes

    async def _submit(self, op: str, key: str, value: bytes, expected: Revision) -> Any:
        if self._closed or self._loop is None:
            raise StorageUnavailableError("storage is closed" if self._closed else "storage not started")
        future = self._loop.create_future()
        self._writes.put(_Write(op, key, value, expected, future))
        return await future

    async def create(self, key: str, value: bytes) -> KeyValue:
        check_key(key)
        value = check_value(key, value)
        result: KeyValue = await self._submit("create", key, value, 0)
        return result

    async def update(self, key: str, value: bytes, *, expected_revision: Revision) -> KeyValue:
        check_key(key)
        value = check_value(key, value)
        check_revision(expected_revision)
        result: KeyValue = await self._submit("update", key, value, expected_revision)
        return result

    async def delete(self, key: str, *, expected_revision: Revision = 0) -> KeyValue:
        check_key(key)
        check_revision(expected_revision)
        result: KeyValue = await self._submit("delete", key, b"", expected_revision)
        return result

    async def compact(self, revision: Revision) -> None:
        check_revision(revision)
        if revision > self._revision:
            raise RevisionTooNewError(revision, self._revision)
        # In steps, so writes interleave with a long compaction.
        while self._compacted < revision:
            step = min(revision, max(self._compacted, 1) + COMPACT_STEP)
            await self._submit("compact", "", b"", step)

    # the writer thread

    def _write_loop(self) -> None:
        conn = self._write_conn
        while True:
            first = self._writes.get()
            if first is None:
                break
            batch, size, stop = [first], len(first.value), False
            while len(batch) < MAX_BATCH_OPS and size < MAX_BATCH_BYTES:
                try:
                    nxt = self._writes.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                batch.append(nxt)
                size += len(nxt.value)
            self._commit_batch(conn, batch)
            if stop:
                break
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass

    def _commit_batch(self, conn: sqlite3.Connection, batch: list[_Write]) -> None:
        results: list[tuple[_Write, Any]] = []
        events: list[StorageEvent] = []
        revision = self._writer_revision
        compacted = None
        lost = False
        peers: list[str] = []
        with self._writers_turn():
            try:
                conn.execute("BEGIN IMMEDIATE")
                if self.shared:
                    # Other processes' commits since this hub last heard (usually none: the
                    # tail keeps up) go first, so this batch's events follow them.
                    revision = self._max_revision(conn)
                    after = max(self._writer_revision, self._revision)  # the loop's: an int read
                    events, lost, compacted = self._commits_after(conn, after, revision)
                for write in batch:
                    if write.op == "compact":
                        compacted = self._compact_step(conn, write.expected)
                        results.append((write, None))
                        continue
                    try:
                        event = self._apply(conn, write, revision + 1)
                    except StorageError as err:
                        results.append((write, err))
                        continue
                    revision += 1
                    events.append(event)
                    results.append((write, event.kv))
                if self.shared:
                    peers = [row[0] for row in conn.execute("SELECT address FROM peers")]
                conn.execute("COMMIT")
                if self.shared:
                    self._publish_revision(revision)
            except sqlite3.Error as err:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                failure = StorageUnavailableError(f"sqlite commit failed: {err}")
                results = [(w, failure) for w in batch]
                events, revision, compacted, lost, peers = [], self._writer_revision, None, False, []
        self._writer_revision = revision
        if peers:
            self._notify_peers(peers)
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(self._committed, results, events, revision, compacted, lost)
        except RuntimeError:
            pass  # the loop is gone: nobody is waiting any more

    def _commits_after(
        self, conn: sqlite3.Connection, after: Revision, upto: Revision
    ) -> tuple[list[StorageEvent], bool, Revision]:
        """Shared, in the caller's transaction: every event after `after` up to `upto`,
        whether some of them are already compacted away, and the compaction point."""
        compacted = int(conn.execute("SELECT value FROM meta WHERE name = 'compacted'").fetchone()[0])
        if upto <= after:
            return [], False, compacted
        if after + 1 < compacted:
            return [], True, compacted
        return self._history_rows(conn, "/", after, upto, -1), False, compacted

    def _notify_peers(self, peers: list[str]) -> None:
        """After COMMIT: wake every other process sharing the file (a datagram each)."""
        sock = self._notify
        if sock is None:
            return
        gone = []
        for address in peers:
            if address == self._address:
                continue
            try:
                sock.sendto(b"!", "\0" + address)
            except BlockingIOError:
                pass  # its queue is full: it has wake-ups pending already
            except (ConnectionRefusedError, FileNotFoundError):
                gone.append(address)  # that process is gone
            except OSError as err:
                log.debug("could not notify %s: %s", address, err)
        if gone:
            try:
                with self._writers_turn():
                    self._write_conn.executemany("DELETE FROM peers WHERE address = ?", [(a,) for a in gone])
            except sqlite3.Error:
                pass

    def _apply(self, conn: sqlite3.Connection, write: _Write, revision: Revision) -> StorageEvent:
        key = write.key
        row = conn.execute(_LATEST, (key,)).fetchone()
        live = row is not None and not row[3]
        prev = KeyValue(key, row[4], row[1], row[0], row[2]) if live else None
        if write.op == "create":
            if prev is not None:
                raise KeyExistsError(key)
            conn.execute(_INSERT, (revision, key, revision, 0, 1, 0, write.value))
            return StorageEvent(EventType.CREATE, KeyValue(key, write.value, revision, revision, 1), None)
        if prev is None:
            raise KeyNotFoundError(key)
        if write.expected and prev.mod_revision != write.expected:
            raise RevisionConflictError(key, write.expected, prev)
        if write.op == "update":
            kv = KeyValue(key, write.value, prev.create_revision, revision, prev.version + 1)
            conn.execute(
                _INSERT, (revision, key, kv.create_revision, prev.mod_revision, kv.version, 0, kv.value)
            )
            return StorageEvent(EventType.UPDATE, kv, prev)
        conn.execute(_INSERT, (revision, key, prev.create_revision, prev.mod_revision, 0, 1, None))
        gone = KeyValue(key, prev.value, prev.create_revision, revision, prev.version)
        return StorageEvent(EventType.DELETE, gone, prev)

    def _compact_step(self, conn: sqlite3.Connection, revision: Revision) -> Revision:
        lo = conn.execute("SELECT value FROM meta WHERE name = 'compacted'").fetchone()[0]
        if revision <= lo:
            return int(lo)
        conn.execute(_COMPACT, {"lo": lo, "hi": revision})
        conn.execute("UPDATE meta SET value = ? WHERE name = 'compacted'", (revision,))
        return revision

    def _committed(
        self,
        results: list[tuple[_Write, Any]],
        events: list[StorageEvent],
        revision: Revision,
        compacted: Revision | None,
        lost: bool = False,
    ) -> None:
        """On the loop: publish a committed batch, then acknowledge its writers."""
        self._publish(events, revision, compacted, lost)
        for write, result in results:
            if write.future.done():
                continue
            if isinstance(result, BaseException):
                write.future.set_exception(result)
            else:
                write.future.set_result(result)

    def _publish(
        self, events: list[StorageEvent], revision: Revision, compacted: Revision | None, lost: bool
    ) -> None:
        """On the loop: hand events after the hub's revision to it, in order. Shared, the
        writer thread and the tail may both bring a revision: the first one wins."""
        if compacted is not None:
            self._compacted = max(self._compacted, compacted)
        if revision <= self._revision:
            return
        published = self._revision
        self._revision = revision
        if lost:
            # Commits this process never saw are compacted away: every watcher catches up
            # from history, which ends it with RevisionCompactedError, and its owner relists.
            log.warning("storage history after revision %d was compacted before it was read", published)
            self._hub.revision = revision
            self._hub.resync()
            return
        if events and events[0].kv.mod_revision <= published:
            events = [e for e in events if e.kv.mod_revision > published]
        if events:
            self._hub.notify(events, revision)
            if self.on_commit is not None:
                self.on_commit(revision)

    # shared: reading other processes' commits

    def _on_notify(self) -> None:
        sock = self._notify
        if sock is None:
            return
        try:
            while sock.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        self._catch_up()

    def _catch_up(self) -> None:
        """On the loop: read what other processes committed, up to the shared revision.

        On the loop thread itself, not a reader thread: the rows are few and recent (WAL
        pages in memory), and a hop to a thread and back cost more than the read."""
        if self._closed or self._catching_up:
            return
        self._catching_up = True
        try:
            while (head := self._shared_revision()) > self._revision:
                upto = min(head, self._revision + TAIL_BATCH)
                try:
                    events, lost, compacted = self._tail_sync(self._revision, upto)
                except (sqlite3.Error, StorageError) as err:
                    log.warning("could not read other processes' commits: %s", err)
                    return
                self._publish(events, upto, compacted, lost)
        finally:
            self._catching_up = False

    def _tail_sync(self, after: Revision, upto: Revision) -> tuple[list[StorageEvent], bool, Revision]:
        conn = self._reader()  # the loop thread's own connection
        conn.execute("BEGIN")
        try:
            return self._commits_after(conn, after, upto)
        finally:
            conn.execute("COMMIT")


class _FileLock:
    """`with` an exclusive flock on `fd` (nothing when `fd` is None). Blocking waits drop the GIL."""

    __slots__ = ("fd",)

    def __init__(self, fd: int | None) -> None:
        self.fd = fd

    def __enter__(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
