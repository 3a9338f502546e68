"""`etcd://host:port[,host:port...]`: the storage contract on a real etcd v3 cluster.

We talk gRPC through the stubs of `aetcd` (a maintained asyncio etcd client) and build the
requests ourselves, so each operation is exactly one etcd call in the shape kube-apiserver
uses: create is a transaction on `create_revision == 0`, update and delete are
transactions on `mod_revision == expected` that read the current value when they fail, and
watches ask for previous values. gRPC was measured at about twice the put rate of etcd's
JSON gateway on the same server (see the commit that added this module).

Revisions are etcd's own. etcd's watch start revision is inclusive while ours is "after":
the conversion happens once, in `EtcdWatchStream`. Connection loss becomes
`StorageUnavailableError`. Reads and watches are retried on another endpoint (a watch
resumes after its last delivered revision, so nothing is lost or repeated); writes are not
retried, because a write whose answer was lost may or may not have been applied.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

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
from pyk8s.storage.keys import check_key, check_prefix, check_revision, check_value, prefix_end

log = logging.getLogger(__name__)
T = TypeVar("T")

_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", -1),
    ("grpc.max_send_message_length", -1),
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
]
_FUTURE = "required revision is a future revision"
_COMPACTED = "required revision has been compacted"


def parse_endpoints(url: str) -> list[str]:
    """`etcd://h1:p1,h2:p2` -> ["h1:p1", "h2:p2"] (port 2379 when omitted)."""
    parts = urlsplit(url)
    if parts.scheme != "etcd" or not parts.netloc or parts.path not in ("", "/") or parts.query:
        raise ValueError(f"etcd storage URL must be etcd://host:port[,host:port...], not {url!r}")
    endpoints = []
    for item in parts.netloc.split(","):
        host, _, port = item.rpartition(":") if ":" in item else (item, "", "2379")
        if not host or not port.isdigit():
            raise ValueError(f"bad etcd endpoint {item!r} in {url!r}")
        endpoints.append(f"{host}:{port}")
    return endpoints


class EtcdStorage:
    """The storage contract on etcd v3 (see the module docstring)."""

    ordered_progress = False  # see Storage.ordered_progress (etcd issue 15220)

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        # Imported here: only etcd:// users pay for loading gRPC.
        import grpc
        import grpc.aio
        from aetcd import rpc

        self._rpc = rpc
        self._eof = grpc.aio.EOF
        self._ready = grpc.ChannelConnectivity.READY
        self.url = url
        self.endpoints = parse_endpoints(url)
        self.timeout = timeout
        self._current = 0
        self._channels: dict[str, Any] = {}
        self._stubs: dict[str, Any] = {}
        self._closed = False
        self.on_commit: Callable[[Revision], None] | None = None

    # connections

    async def start(self) -> None:
        await self._call_read(lambda kv: kv.Range(self._rpc.RangeRequest(key=b"\0", count_only=True)))

    async def aclose(self) -> None:
        self._closed = True
        channels, self._channels = list(self._channels.values()), {}
        for channel in channels:
            await channel.close()

    def _channel(self, endpoint: str) -> Any:
        channel = self._channels.get(endpoint)
        if channel is None:
            channel = self._rpc.insecure_channel(endpoint, options=_CHANNEL_OPTIONS)
            self._channels[endpoint] = channel
            self._stubs[endpoint] = self._rpc.KVStub(channel)
        return channel

    async def _ready_channel(self) -> Any:
        """A connected channel, trying each endpoint in turn until `timeout`."""
        if self._closed:
            raise StorageUnavailableError("storage is closed")
        channel = self._channels.get(self.endpoints[self._current])
        if channel is not None and channel.get_state() is self._ready:
            return channel
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        per_try = max(0.2, min(2.0, self.timeout / (2 * len(self.endpoints))))
        while True:
            endpoint = self.endpoints[self._current]
            channel = self._channel(endpoint)
            try:
                await asyncio.wait_for(channel.channel_ready(), per_try)
                return channel
            except TimeoutError:
                self._current = (self._current + 1) % len(self.endpoints)
            if loop.time() >= deadline:
                raise StorageUnavailableError(f"etcd at {','.join(self.endpoints)} is unreachable")

    def _translate(self, err: Exception) -> StorageError:
        code = getattr(err, "code", lambda: None)()
        details = getattr(err, "details", lambda: str(err))() or ""
        if code is not None and code.name == "INVALID_ARGUMENT" and "too large" in details:
            return StorageError(
                f"etcd refused the request as too large ({details}); raise --max-request-bytes"
            )
        return StorageUnavailableError(f"etcd: {details or err}")

    async def _call(self, fn: Callable[[Any], Awaitable[T]], *, retry: bool) -> T:
        grpc_error = self._rpc.AioRpcError
        attempts = len(self.endpoints) + 1 if retry else 1
        for attempt in range(attempts):
            await self._ready_channel()
            try:
                return await fn(self._stubs[self.endpoints[self._current]])
            except grpc_error as err:
                if err.code().name != "UNAVAILABLE" or attempt == attempts - 1:
                    raise
                self._current = (self._current + 1) % len(self.endpoints)
                await asyncio.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    async def _call_read(self, fn: Callable[[Any], Awaitable[T]]) -> T:
        try:
            return await self._call(fn, retry=True)
        except self._rpc.AioRpcError as err:
            raise await self._revision_error(err, 0) from None

    async def _revision_error(self, err: Any, requested: Revision) -> StorageError:
        details = err.details() or ""
        if _FUTURE in details:
            return RevisionTooNewError(requested, await self.current_revision())
        if _COMPACTED in details:
            return RevisionCompactedError(requested, 0)
        return self._translate(err)

    # reads

    @staticmethod
    def _kv(kv: Any) -> KeyValue:
        return KeyValue(kv.key.decode(), kv.value, kv.create_revision, kv.mod_revision, kv.version)

    async def current_revision(self) -> Revision:
        resp = await self._call(
            lambda kv: kv.Range(self._rpc.RangeRequest(key=b"\0", count_only=True)), retry=True
        )
        return int(resp.header.revision)

    async def compact_revision(self) -> Revision:
        """etcd does not report its compaction point directly; a watch from revision 1 does."""
        channel = await self._ready_channel()
        call = self._rpc.WatchStub(channel).Watch()
        try:
            await call.write(
                self._rpc.WatchRequest(
                    create_request=self._rpc.WatchCreateRequest(key=b"\0", start_revision=1)
                )
            )
            while True:
                try:
                    resp = await asyncio.wait_for(call.read(), 1.0)
                except TimeoutError:
                    return 0
                if resp.compact_revision:
                    return int(resp.compact_revision)
                if resp.canceled:
                    return 0
        finally:
            call.cancel()

    async def _range(self, request: Any, revision: Revision) -> Any:
        try:
            return await self._call(lambda kv: kv.Range(request), retry=True)
        except self._rpc.AioRpcError as err:
            raise await self._revision_error(err, revision) from None

    async def get(self, key: str, *, revision: Revision = 0) -> KeyValue | None:
        check_key(key)
        check_revision(revision)
        resp = await self._range(self._rpc.RangeRequest(key=key.encode(), revision=revision), revision)
        return self._kv(resp.kvs[0]) if resp.kvs else None

    async def list(
        self, prefix: str, *, revision: Revision = 0, start_after: str = "", limit: int = 0
    ) -> ListResult:
        check_prefix(prefix)
        check_revision(revision)
        if limit < 0:
            raise ValueError("limit must not be negative")
        start = max(prefix, start_after + "\0") if start_after else prefix
        request = self._rpc.RangeRequest(
            key=start.encode(), range_end=prefix_end(prefix).encode(), revision=revision, limit=limit
        )
        resp = await self._range(request, revision)
        items = [self._kv(kv) for kv in resp.kvs]
        return ListResult(items, revision or int(resp.header.revision), bool(resp.more))

    async def count(self, prefix: str) -> int:
        check_prefix(prefix)
        request = self._rpc.RangeRequest(
            key=prefix.encode(), range_end=prefix_end(prefix).encode(), count_only=True
        )
        return int((await self._range(request, 0)).count)

    # writes

    async def _txn(self, compare: list[Any], success: list[Any], failure: list[Any]) -> Any:
        request = self._rpc.TxnRequest(compare=compare, success=success, failure=failure)
        try:
            resp = await self._call(lambda kv: kv.Txn(request), retry=False)
        except self._rpc.AioRpcError as err:
            raise self._translate(err) from None
        if resp.succeeded and self.on_commit is not None:
            self.on_commit(int(resp.header.revision))
        return resp

    def _guard(self, key: bytes, expected: Revision) -> Any:
        cmp = self._rpc.Compare
        if expected:
            return cmp(key=key, target=cmp.MOD, result=cmp.EQUAL, mod_revision=expected)
        return cmp(key=key, target=cmp.CREATE, result=cmp.GREATER, create_revision=0)

    def _read_op(self, key: bytes) -> Any:
        return self._rpc.RequestOp(request_range=self._rpc.RangeRequest(key=key))

    def _failed(self, key: str, expected: Revision, resp: Any) -> StorageError:
        kvs = resp.responses[0].response_range.kvs
        if not kvs:
            return KeyNotFoundError(key)
        return RevisionConflictError(key, expected, self._kv(kvs[0]))

    async def create(self, key: str, value: bytes) -> KeyValue:
        check_key(key)
        value = check_value(key, value)
        k, rpc = key.encode(), self._rpc
        resp = await self._txn(
            [rpc.Compare(key=k, target=rpc.Compare.CREATE, result=rpc.Compare.EQUAL, create_revision=0)],
            [rpc.RequestOp(request_put=rpc.PutRequest(key=k, value=value))],
            [],
        )
        if not resp.succeeded:
            raise KeyExistsError(key)
        rev = int(resp.header.revision)
        return KeyValue(key, value, rev, rev, 1)

    async def update(self, key: str, value: bytes, *, expected_revision: Revision) -> KeyValue:
        check_key(key)
        value = check_value(key, value)
        check_revision(expected_revision)
        k, rpc = key.encode(), self._rpc
        resp = await self._txn(
            [self._guard(k, expected_revision)],
            [rpc.RequestOp(request_put=rpc.PutRequest(key=k, value=value, prev_kv=True))],
            [self._read_op(k)],
        )
        if not resp.succeeded:
            raise self._failed(key, expected_revision, resp)
        prev = resp.responses[0].response_put.prev_kv
        return KeyValue(key, value, prev.create_revision, int(resp.header.revision), prev.version + 1)

    async def delete(self, key: str, *, expected_revision: Revision = 0) -> KeyValue:
        check_key(key)
        check_revision(expected_revision)
        k, rpc = key.encode(), self._rpc
        resp = await self._txn(
            [self._guard(k, expected_revision)],
            [rpc.RequestOp(request_delete_range=rpc.DeleteRangeRequest(key=k, prev_kv=True))],
            [self._read_op(k)],
        )
        if not resp.succeeded:
            raise self._failed(key, expected_revision, resp)
        prev = resp.responses[0].response_delete_range.prev_kvs[0]
        return KeyValue(key, prev.value, prev.create_revision, int(resp.header.revision), prev.version)

    async def compact(self, revision: Revision) -> None:
        check_revision(revision)
        try:
            await self._call(
                lambda kv: kv.Compact(self._rpc.CompactionRequest(revision=revision)), retry=True
            )
        except self._rpc.AioRpcError as err:
            details = err.details() or ""
            if _COMPACTED in details:
                return  # already compacted at or past `revision`
            raise await self._revision_error(err, revision) from None

    # watch

    def watch(self, prefix: str, *, after_revision: Revision) -> EtcdWatchStream:
        check_prefix(prefix)
        check_revision(after_revision)
        return EtcdWatchStream(self, prefix, after_revision)


class EtcdWatchStream:
    """A watch on etcd that resumes on another connection after a transport failure."""

    def __init__(self, store: EtcdStorage, prefix: str, after_revision: Revision) -> None:
        self._store = store
        self._prefix = prefix
        self._delivered = after_revision
        self._progress = after_revision
        self._call: Any = None
        self._closed = False
        self._checked = False

    @property
    def progress_revision(self) -> Revision:
        return self._progress

    def __aiter__(self) -> Self:
        return self

    async def _open(self) -> None:
        rpc = self._store._rpc
        if not self._checked:
            current = await self._store.current_revision()
            if self._delivered > current:
                raise RevisionTooNewError(self._delivered, current)
            self._checked = True
        channel = await self._store._ready_channel()
        call = rpc.WatchStub(channel).Watch()
        create = rpc.WatchCreateRequest(
            key=self._prefix.encode(),
            range_end=prefix_end(self._prefix).encode(),
            start_revision=self._delivered + 1,  # etcd's start is inclusive, ours is "after"
            prev_kv=True,
            progress_notify=True,
        )
        try:
            await call.write(rpc.WatchRequest(create_request=create))
        except BaseException:
            call.cancel()
            raise
        # Published only now: a progress request written while the create request was being
        # written (two writes at once on one gRPC stream) left the watch without any answer,
        # not even `created` (1 in ~10 watches opened while progress was being requested).
        self._call = call

    async def __anext__(self) -> list[StorageEvent]:
        rpc = self._store._rpc
        failures = 0
        while not self._closed:
            try:
                if self._call is None:
                    await self._open()
                resp = await self._call.read()
            except asyncio.CancelledError:
                self._drop()  # a cancelled read ends the gRPC call: reopen after the last event
                raise
            except rpc.AioRpcError as err:
                self._drop()
                if self._closed or err.code().name == "CANCELLED":
                    break
                failures += 1
                if err.code().name != "UNAVAILABLE" or failures > len(self._store.endpoints) + 2:
                    raise self._store._translate(err) from None
                log.info(
                    "etcd watch on %s lost its connection; resuming after %d", self._prefix, self._delivered
                )
                self._store._current = (self._store._current + 1) % len(self._store.endpoints)
                await asyncio.sleep(0.1 * failures)
                continue
            if resp is self._store._eof:  # the server ended the stream: resume like a failure
                self._drop()
                failures += 1
                if failures > len(self._store.endpoints) + 2:
                    raise StorageUnavailableError("etcd keeps closing the watch stream")
                await asyncio.sleep(0.1 * failures)
                continue
            failures = 0
            if resp.compact_revision:
                self._drop()
                raise RevisionCompactedError(self._delivered + 1, int(resp.compact_revision))
            if resp.canceled:
                self._drop()
                raise StorageUnavailableError(f"etcd cancelled the watch: {resp.cancel_reason}")
            if resp.events:
                batch = [self._event(e) for e in resp.events]
                self._delivered = self._progress = batch[-1].kv.mod_revision
                return batch
            if not resp.created:  # a progress notification
                self._progress = max(self._progress, int(resp.header.revision))
                return []
        raise StopAsyncIteration

    def _event(self, e: Any) -> StorageEvent:
        kv = e.kv
        key = kv.key.decode()
        prev = EtcdStorage._kv(e.prev_kv) if e.HasField("prev_kv") else None
        if e.type == e.DELETE:
            value = prev.value if prev else b""
            created = prev.create_revision if prev else 0
            version = prev.version if prev else 0
            return StorageEvent(
                EventType.DELETE, KeyValue(key, value, created, kv.mod_revision, version), prev
            )
        kind = EventType.CREATE if kv.create_revision == kv.mod_revision else EventType.UPDATE
        return StorageEvent(kind, EtcdStorage._kv(kv), prev if kind is EventType.UPDATE else None)

    async def request_progress(self) -> None:
        """etcd answers with an empty response carrying its revision once this watch is synced."""
        if self._call is None:
            return
        rpc = self._store._rpc
        try:
            await self._call.write(rpc.WatchRequest(progress_request=rpc.WatchProgressRequest()))
        except (rpc.AioRpcError, asyncio.InvalidStateError):
            pass  # the stream is being replaced; the caller falls back to storage after a wait

    def _drop(self) -> None:
        if self._call is not None:
            self._call.cancel()
            self._call = None

    async def aclose(self) -> None:
        self._closed = True
        self._drop()
