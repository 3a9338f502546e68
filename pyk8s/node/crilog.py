"""Container output written as CRI log records, the format the kubelet reads back:

    <RFC 3339 timestamp with nanoseconds> <stdout|stderr> <F|P> <text>

one record per line of output; a line longer than `MAX_LINE` is split into partial (P)
records ended by a full (F) one, as CRI runtimes write them.

Both per-container shims (`pyk8s.node.oci.shim`, `pyk8s.node.process.shim`) write their
logs with this module. They run by file path with `python -S -E -s`, where the `pyk8s`
package is not importable, and then import this file as the top-level module `crilog`
from the directory above their own (found through their `__file__`). So it must stay a
single file that imports only `os` and `time`: anything more is paid on every container
start.
"""

from __future__ import annotations

import os
import time

MAX_LINE = 16 * 1024  # longer lines become partial (P) records, as CRI runtimes write them


def timestamp() -> str:
    """Now as RFC 3339 with nanoseconds (the CRI log timestamp)."""
    seconds, nanos = divmod(time.time_ns(), 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{nanos:09d}Z"


class LogWriter:
    """Splits one output stream (`stream`: "stdout" or "stderr") into CRI log records
    written to the file descriptor `out`, one `os.write` per record so records of the two
    streams sharing the file never interleave."""

    def __init__(self, out: int, stream: str) -> None:
        self.out = out
        self.stream = stream.encode()
        self.pending = b""

    def feed(self, data: bytes) -> None:
        """Take more output: every complete line becomes a record, a line grown past
        `MAX_LINE` without its end is written in partial records."""
        pending = self.pending + data if self.pending else data
        start = 0  # records are cut from `start` on: the rest is kept once, not copied per line
        while True:
            newline = pending.find(b"\n", start, start + MAX_LINE + 1)
            if newline >= 0:
                self._record(pending[start:newline], b"F")
                start = newline + 1
            elif len(pending) - start > MAX_LINE:
                self._record(pending[start : start + MAX_LINE], b"P")
                start += MAX_LINE
            else:
                self.pending = pending[start:]
                return

    def close(self) -> None:
        """The stream ended: a last line without its newline is still a full record."""
        if self.pending:
            self._record(self.pending, b"F")
            self.pending = b""

    def _record(self, text: bytes, tag: bytes) -> None:
        os.write(self.out, timestamp().encode() + b" " + self.stream + b" " + tag + b" " + text + b"\n")
