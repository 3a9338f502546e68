"""Container logs as `kubectl logs` asks for them: CRI log files read back with the
pods/log parameters (tailLines, sinceSeconds/sinceTime, timestamps, limitBytes, stream,
follow), the way the kubelet reads them.

A CRI log file holds one record per line: `<RFC3339Nano> <stdout|stderr> <P|F> <text>`.
A `P` (partial) record continues in the next record, so its text is written without a
newline; `tailLines` counts records, as the kubelet counts file lines; with `timestamps`
every record gets its own timestamp, as on Kubernetes.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import datetime as dt
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

STREAMS = {"All": None, "Stdout": b"stdout", "Stderr": b"stderr"}
READ_BLOCK = 64 * 1024
FOLLOW_RECHECK = 1.0  # while following, how often to ask whether the container is still running
POLL_INTERVAL = 0.25  # without inotify


class LogOptionsError(ValueError):
    """A pods/log parameter that cannot be used."""


@dataclass(frozen=True, slots=True)
class LogOptions:
    """The pods/log query (PodLogOptions) as the node applies it."""

    follow: bool = False
    previous: bool = False
    timestamps: bool = False
    tail_lines: int | None = None
    since_ns: int | None = None  # records older than this (ns since the epoch) are skipped
    limit_bytes: int | None = None
    stream: bytes | None = None  # only this stream (b"stdout" | b"stderr"); None: both

    @classmethod
    def from_query(cls, query: Mapping[str, str], now: float) -> LogOptions:
        """Options from a pods/log query string; `now` (seconds) anchors sinceSeconds."""
        since_ns: int | None = None
        if query.get("sinceSeconds"):
            since_ns = int((now - _integer(query, "sinceSeconds", 1)) * 1e9)
        elif query.get("sinceTime"):
            try:
                since_ns = parse_timestamp(query["sinceTime"])
            except ValueError:
                raise LogOptionsError(f"sinceTime {query['sinceTime']!r} is not an RFC 3339 time") from None
        stream = query.get("stream") or "All"
        if stream not in STREAMS:
            raise LogOptionsError(f"stream must be one of All, Stdout, Stderr, not {stream!r}")
        return cls(
            follow=_boolean(query, "follow"),
            previous=_boolean(query, "previous"),
            timestamps=_boolean(query, "timestamps"),
            tail_lines=_integer(query, "tailLines", 0) if query.get("tailLines") else None,
            since_ns=since_ns,
            limit_bytes=_integer(query, "limitBytes", 1) if query.get("limitBytes") else None,
            stream=STREAMS[stream],
        )


def _boolean(query: Mapping[str, str], name: str) -> bool:
    return (query.get(name) or "").lower() in ("true", "1")


def _integer(query: Mapping[str, str], name: str, minimum: int) -> int:
    try:
        value = int(query[name])
    except ValueError:
        raise LogOptionsError(f"{name} must be an integer, not {query[name]!r}") from None
    if value < minimum:
        raise LogOptionsError(f"{name} must be at least {minimum}")
    return value


def parse_timestamp(text: str) -> int:
    """Nanoseconds since the epoch from an RFC 3339 time with up to nine fraction digits."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    fraction_ns = 0
    if "." in text:
        head, _, rest = text.partition(".")
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        if not digits or len(digits) > 9:
            raise ValueError(f"bad fraction in {text!r}")
        fraction_ns = int(digits.ljust(9, "0"))
        text = head + rest
    seconds = dt.datetime.fromisoformat(text)
    if seconds.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return int(seconds.timestamp()) * 1_000_000_000 + fraction_ns


def format_timestamp(raw: bytes) -> bytes:
    """A record's timestamp as Go's RFC3339Nano writes it (trailing zeros of the fraction
    dropped), which is how the kubelet prints `--timestamps`."""
    if not raw.endswith(b"Z") or b"." not in raw:
        return raw
    head, _, fraction = raw[:-1].partition(b".")
    fraction = fraction.rstrip(b"0")
    return head + (b"." + fraction if fraction else b"") + b"Z"


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One line of a CRI log file."""

    timestamp: bytes
    stream: bytes
    partial: bool
    text: bytes

    @property
    def time_ns(self) -> int:
        return parse_timestamp(self.timestamp.decode())


def parse_record(line: bytes) -> LogRecord | None:
    """A record from one file line (without its newline); None if the line is malformed."""
    parts = line.split(b" ", 3)
    if len(parts) < 3 or parts[1] not in (b"stdout", b"stderr"):
        return None
    text = parts[3] if len(parts) == 4 else b""
    return LogRecord(parts[0], parts[1], parts[2] == b"P", text)


class LogFormatter:
    """Turns records into the bytes `kubectl logs` receives, applying the filters and
    `limitBytes` (after which `done` is set)."""

    def __init__(self, options: LogOptions) -> None:
        self.options = options
        self.remaining = options.limit_bytes
        self.done = False

    def render(self, record: LogRecord) -> bytes:
        opts = self.options
        if self.done or (opts.stream is not None and record.stream != opts.stream):
            return b""
        if opts.since_ns is not None:
            try:
                if record.time_ns < opts.since_ns:
                    return b""
            except ValueError:
                return b""
        out = record.text if record.partial else record.text + b"\n"
        if opts.timestamps:
            out = format_timestamp(record.timestamp) + b" " + out
        if self.remaining is not None:
            if len(out) >= self.remaining:
                out = out[: self.remaining]
                self.done = True
            self.remaining -= len(out)
        return out

    def lines(self, data: bytes) -> bytes:
        """Render every complete line of `data` (which must end with a newline)."""
        out = bytearray()
        for line in data.splitlines():
            record = parse_record(line)
            if record is not None:
                out += self.render(record)
            if self.done:
                break
        return bytes(out)


def tail_offset(handle: BinaryIO, lines: int) -> int:
    """Where the last `lines` newline-terminated lines of an open binary file start; 0 when
    the file has fewer."""
    end = handle.seek(0, os.SEEK_END)
    if lines == 0:
        return end
    position = end
    seen = 0
    first = True
    while position > 0:
        size = min(READ_BLOCK, position)
        position -= size
        handle.seek(position)
        block = handle.read(size)
        index = len(block)
        if first:
            first = False
            if block.endswith(b"\n"):
                index -= 1  # the file's last newline ends the last line; it does not start one
        while True:
            index = block.rfind(b"\n", 0, index)
            if index < 0:
                break
            seen += 1
            if seen == lines:
                return position + index + 1
    return 0


class LogCursor:
    """Reads one container run's log file forward from where the options start it
    (`tailLines`), rendering complete records; the caller decides when to stop."""

    def __init__(self, path: Path, options: LogOptions) -> None:
        self.formatter = LogFormatter(options)
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        if options.tail_lines is not None:
            self._handle.seek(tail_offset(self._handle, options.tail_lines))
        self._pending = b""

    @property
    def done(self) -> bool:
        """`limitBytes` has been reached."""
        return self.formatter.done

    def read(self) -> bytes | None:
        """The rendered records of the next block (possibly empty); None at the end of
        what has been written so far."""
        block = self._handle.read(READ_BLOCK)
        if not block:
            return None
        self._pending += block
        cut = self._pending.rfind(b"\n") + 1
        if not cut:
            return b""
        chunk = self.formatter.lines(self._pending[:cut])
        self._pending = self._pending[cut:]
        return chunk

    def close(self) -> None:
        self._handle.close()


def read_logs(path: Path, options: LogOptions) -> Iterator[bytes]:
    """The rendered log of one container run, from its file as it is now."""
    cursor = LogCursor(path, options)
    try:
        while not cursor.done:
            chunk = cursor.read()
            if chunk is None:
                break
            if chunk:
                yield chunk
    finally:
        cursor.close()


async def stream_logs(path: Path, options: LogOptions, finished: Callable[[], bool]) -> AsyncIterator[bytes]:
    """The log so far; with `follow`, then what the container writes until `finished()`
    says its run is over and everything it wrote has been read (or `limitBytes` is
    reached). Reading and rendering run in a thread: a large log must not stall the loop."""
    cursor = await asyncio.to_thread(LogCursor, path, options)
    try:
        with FileWatch(path) if options.follow else contextlib.nullcontext() as watch:
            while not cursor.done:
                chunk = await asyncio.to_thread(cursor.read)
                if chunk:
                    yield chunk
                if chunk is not None:
                    continue
                # At the end of what was written. The shim writes the last records before
                # the exit file, so once the run is over one more read finds everything.
                if watch is None:
                    break
                if finished():
                    while not cursor.done and (chunk := await asyncio.to_thread(cursor.read)) is not None:
                        if chunk:
                            yield chunk
                    break
                await watch.wait(FOLLOW_RECHECK)
    finally:
        cursor.close()


class FileWatch:
    """Wakes a follower when a file is written (inotify), or after `timeout`."""

    IN_MODIFY = 0x00000002
    IN_CLOSE_WRITE = 0x00000008
    IN_NONBLOCK = 0o4000
    IN_CLOEXEC = 0o2000000

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1
        self._event = asyncio.Event()

    def __enter__(self) -> FileWatch:
        libc = _libc()
        if libc is None:
            return self
        fd = libc.inotify_init1(self.IN_NONBLOCK | self.IN_CLOEXEC)
        if fd < 0:
            return self
        if libc.inotify_add_watch(fd, os.fsencode(self.path), self.IN_MODIFY | self.IN_CLOSE_WRITE) < 0:
            os.close(fd)
            return self
        self.fd = fd
        asyncio.get_running_loop().add_reader(fd, self._readable)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd >= 0:
            asyncio.get_running_loop().remove_reader(self.fd)
            os.close(self.fd)
            self.fd = -1

    def _readable(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            while os.read(self.fd, 4096):
                pass
        self._event.set()

    async def wait(self, timeout: float) -> None:
        """Until the file changes or `timeout` seconds pass (a short poll without inotify)."""
        if self.fd < 0:
            await asyncio.sleep(min(timeout, POLL_INTERVAL))
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)
        self._event.clear()


_LIBC: list[ctypes.CDLL | None] = []


def _libc() -> ctypes.CDLL | None:
    if not _LIBC:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.inotify_init1.argtypes = [ctypes.c_int]
            libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
            _LIBC.append(libc)
        except (OSError, AttributeError):
            _LIBC.append(None)
    return _LIBC[0]
