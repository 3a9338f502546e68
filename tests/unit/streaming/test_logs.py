"""pods/log parameters applied to CRI log files: records, tail, since, timestamps,
limitBytes, streams, partial lines, and following a file that grows."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from pyk8s.node.streaming.logs import (
    FileWatch,
    LogFormatter,
    LogOptions,
    LogOptionsError,
    format_timestamp,
    parse_record,
    parse_timestamp,
    read_logs,
    stream_logs,
    tail_offset,
)

T0 = "2026-11-22T10:00:00.000000000Z"
T1 = "2026-11-22T10:00:01.500000000Z"
T2 = "2026-11-22T10:00:02.123456789Z"
LOG = (
    f"{T0} stdout F first\n"
    f"{T1} stderr F warning: disk\n"
    f"{T1} stdout P long-\n"
    f"{T1} stdout F line\n"
    f"{T2} stdout F last\n"
)


def render(options: LogOptions, text: str = LOG) -> bytes:
    return LogFormatter(options).lines(text.encode())


def test_records_and_timestamps() -> None:
    record = parse_record(f"{T1} stdout P part of a line".encode())
    assert record is not None and record.partial and record.stream == b"stdout"
    assert record.text == b"part of a line"
    assert parse_record(b"garbage") is None
    assert parse_record(f"{T0} stdout F".encode()).text == b""  # type: ignore[union-attr]
    assert parse_timestamp(T2) == 1795341602 * 10**9 + 123456789
    assert parse_timestamp("2026-11-22T10:00:02Z") == 1795341602 * 10**9
    assert parse_timestamp("2026-11-22T11:00:02.5+01:00") == 1795341602 * 10**9 + 500_000_000
    with pytest.raises(ValueError):
        parse_timestamp("2026-11-22T10:00:02")
    # Go's RFC3339Nano drops trailing zeros, and the dot with them.
    assert format_timestamp(T0.encode()) == b"2026-11-22T10:00:00Z"
    assert format_timestamp(T1.encode()) == b"2026-11-22T10:00:01.5Z"
    assert format_timestamp(T2.encode()) == T2.encode()


def test_everything_with_partial_lines_joined() -> None:
    assert render(LogOptions()) == b"first\nwarning: disk\nlong-line\nlast\n"


def test_timestamps_prefix_every_record() -> None:
    out = render(LogOptions(timestamps=True)).decode().splitlines()
    assert out[0] == "2026-11-22T10:00:00Z first"
    assert out[2] == "2026-11-22T10:00:01.5Z long-2026-11-22T10:00:01.5Z line"  # as the kubelet does


def test_since_limit_and_stream() -> None:
    assert render(LogOptions(since_ns=parse_timestamp(T1))) == b"warning: disk\nlong-line\nlast\n"
    assert render(LogOptions(since_ns=parse_timestamp(T2) + 1)) == b""
    assert render(LogOptions(limit_bytes=8)) == b"first\nwa"
    assert render(LogOptions(limit_bytes=6)) == b"first\n"
    assert render(LogOptions(stream=b"stderr")) == b"warning: disk\n"
    assert render(LogOptions(stream=b"stdout", timestamps=True, limit_bytes=3)) == b"202"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [(0, b""), (1, b"last\n"), (2, b"line\nlast\n"), (4, b"warning: disk\nlong-line\nlast\n"), (99, None)],
)
def test_tail_counts_file_lines(tmp_path: Path, lines: int, expected: bytes | None) -> None:
    path = tmp_path / "0.log"
    path.write_text(LOG)
    out = b"".join(read_logs(path, LogOptions(tail_lines=lines)))
    assert out == (expected if expected is not None else b"first\nwarning: disk\nlong-line\nlast\n")


def test_tail_offset_across_read_blocks() -> None:
    lines = [f"{T0} stdout F {'x' * (i % 97)}-{i}\n" for i in range(5000)]
    data = "".join(lines).encode()
    handle = io.BytesIO(data)
    for n in (1, 7, 1234, 4999, 5000):
        offset = tail_offset(handle, n)
        assert data[offset:].decode().splitlines(keepends=True) == lines[-n:]
    assert tail_offset(io.BytesIO(b""), 3) == 0
    assert tail_offset(io.BytesIO(b"no newline at the end"), 1) == 0


def test_query_parameters() -> None:
    now = 1_795_341_700.0
    options = LogOptions.from_query(
        {
            "follow": "true",
            "tailLines": "10",
            "sinceSeconds": "60",
            "timestamps": "true",
            "limitBytes": "100",
        },
        now,
    )
    assert options.follow and options.timestamps and options.tail_lines == 10 and options.limit_bytes == 100
    assert options.since_ns == int((now - 60) * 1e9)
    assert LogOptions.from_query({"sinceTime": "2026-11-22T10:00:01Z"}, now).since_ns == parse_timestamp(
        "2026-11-22T10:00:01Z"
    )
    assert LogOptions.from_query({"stream": "Stderr"}, now).stream == b"stderr"
    assert LogOptions.from_query({"previous": "1"}, now).previous
    for bad in ({"tailLines": "-1"}, {"limitBytes": "0"}, {"sinceSeconds": "x"}, {"stream": "both"}):
        with pytest.raises(LogOptionsError):
            LogOptions.from_query(bad, now)


async def test_follow_reads_until_the_run_is_over(tmp_path: Path) -> None:
    path = tmp_path / "0.log"
    path.write_text(f"{T0} stdout F one\n")
    over = False
    received: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def follow() -> None:
        async for chunk in stream_logs(path, LogOptions(follow=True), lambda: over):
            received.put_nowait(chunk)
        received.put_nowait(None)

    task = asyncio.create_task(follow())
    assert await asyncio.wait_for(received.get(), 5) == b"one\n"
    with path.open("a") as handle:  # a record arrives in two writes: only whole lines are sent
        handle.write(f"{T1} stdout F tw")
        handle.flush()
        await asyncio.sleep(0.05)
        handle.write("o\n")
    assert await asyncio.wait_for(received.get(), 5) == b"two\n"
    with path.open("a") as handle:
        handle.write(f"{T2} stdout F three\n")
    over = True  # the shim writes its last records before the exit file
    await asyncio.wait_for(task, 5)
    rest = []
    while (chunk := received.get_nowait()) is not None:
        rest.append(chunk)
    assert b"".join(rest) == b"three\n"


async def test_without_follow_the_stream_stops_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "0.log"
    path.write_text(LOG)
    chunks = [c async for c in stream_logs(path, LogOptions(tail_lines=1, timestamps=True), lambda: False)]
    assert b"".join(chunks) == f"{T2} last\n".encode()


async def test_file_watch_wakes_on_writes(tmp_path: Path) -> None:
    path = tmp_path / "w.log"
    path.write_text("")
    with FileWatch(path) as watch:
        assert watch.fd >= 0  # inotify is available on Linux
        waiting = asyncio.create_task(watch.wait(30))
        await asyncio.sleep(0.01)
        path.write_text("more\n")
        await asyncio.wait_for(waiting, 5)
