"""Watch events and the stream that yields them.

A watch response is newline-delimited JSON on a chunked HTTP response, one
`{"type": ..., "object": ...}` per line. `WatchStream` splits the byte stream on newlines
itself (an object may be megabytes, more than a line reader's buffer) and yields typed
`WatchEvent`s. An `ERROR` event is yielded like any other (its object is a Status;
`event.error()` rebuilds the exception): the caller decides whether it means relist.

Use it as an async context manager so the connection is released when the loop stops early:

    async with client.watch(PODS, namespace="default") as events:
        async for event in events:
            ...
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import orjson

from pyk8s.api.errors import StatusError, from_status
from pyk8s.client.errors import ClientError

Obj = dict[str, Any]
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


class EventType(enum.StrEnum):
    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"
    BOOKMARK = "BOOKMARK"
    ERROR = "ERROR"


@dataclass(frozen=True, slots=True)
class WatchEvent:
    """One watch event. For ADDED/MODIFIED/DELETED `object` is the object (DELETED: its last
    state); for BOOKMARK an object with only `metadata.resourceVersion`; for ERROR a Status."""

    type: EventType
    object: Obj

    @property
    def resource_version(self) -> str:
        meta = self.object.get("metadata") or {}
        return str(meta.get("resourceVersion") or "")

    @property
    def initial_events_end(self) -> bool:
        """A watch-list's marker: every object that existed at the start has been sent."""
        if self.type is not EventType.BOOKMARK:
            return False
        annotations = (self.object.get("metadata") or {}).get("annotations") or {}
        return annotations.get(INITIAL_EVENTS_END) == "true"

    def error(self) -> StatusError:
        """The error an ERROR event carries."""
        return from_status(self.object)


def parse_event(line: bytes) -> WatchEvent:
    try:
        data = orjson.loads(line)
        return WatchEvent(EventType(data["type"]), data.get("object") or {})
    except (orjson.JSONDecodeError, KeyError, ValueError, TypeError) as err:
        raise ClientError(f"malformed watch event: {line[:200]!r}") from err


# A connection to read the events from: (byte chunks, a function that closes it).
Opened = tuple[AsyncIterator[bytes], Callable[[], None]]


class WatchStream:
    """The events of one watch request, opened on `__aenter__` (or the first iteration)."""

    def __init__(self, opener: Callable[[], Awaitable[Opened]], *, describe: str = "watch") -> None:
        self._opener = opener
        self._describe = describe
        self._chunks: AsyncIterator[bytes] | None = None
        self._close: Callable[[], None] | None = None
        self._buffer = bytearray()
        self._pending: list[WatchEvent] = []
        self._done = False

    async def open(self) -> None:
        """Send the request; raises the server's error (410, 422, ...) if it refuses the watch."""
        if self._chunks is None and not self._done:
            self._chunks, self._close = await self._opener()

    async def __aenter__(self) -> WatchStream:
        await self.open()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._done = True
        if self._close is not None:
            close, self._close = self._close, None
            close()

    def __aiter__(self) -> WatchStream:
        return self

    async def __anext__(self) -> WatchEvent:
        if self._pending:
            return self._pending.pop(0)
        if self._done:
            raise StopAsyncIteration
        await self.open()
        assert self._chunks is not None
        while not self._pending:
            try:
                chunk = await self._chunks.__anext__()
            except StopAsyncIteration:
                self.close()
                if self._buffer.strip():
                    raise ClientError(f"{self._describe}: stream ended inside an event") from None
                raise
            self._feed(chunk)
        return self._pending.pop(0)

    def _feed(self, chunk: bytes) -> None:
        buf = self._buffer
        start = len(buf)
        buf += chunk
        pos = buf.find(b"\n", start)
        if pos < 0:
            return
        begin = 0
        while pos >= 0:
            line = bytes(buf[begin:pos])
            if line.strip():
                self._pending.append(parse_event(line))
            begin = pos + 1
            pos = buf.find(b"\n", begin)
        del buf[:begin]
