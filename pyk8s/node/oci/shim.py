"""The per-container shim: runs `crun run` in the foreground, writes the container's
stdout and stderr to its log file in the CRI format the kubelet reads
(`<RFC3339Nano> <stream> <P|F> <text>`), and records the exit status in a file.

It is a separate, detached process (as conmon and containerd-shim are) so containers and
their logs survive a restart of the node agent, which finds them again by their files.
It imports nothing but the standard library, to start fast.

    python -m pyk8s.node.oci.shim --id ID --bundle DIR --root DIR --log FILE --exit-file FILE
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import selectors
import signal
import subprocess
import sys

MAX_LINE = 16 * 1024  # longer lines are split into partial (P) records, as CRI runtimes do
HIDE_UNIFIED = 'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "$0" "$@"'


def timestamp() -> str:
    """Now as RFC 3339 with nanoseconds (the CRI log timestamp)."""
    now = datetime.datetime.now(datetime.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond:06d}000Z"


def crun_command(crun: str, root: str, hide_unified: bool, *args: str) -> list[str]:
    """A crun invocation; on hosts with a hybrid cgroup layout it runs in a private mount
    namespace without the cgroup2 mount, which crun refuses to work beside."""
    command = [crun, "--root", root, *args]
    if hide_unified:
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c", HIDE_UNIFIED, *command]
    return command


class LogWriter:
    """Splits a stream into CRI log records."""

    def __init__(self, out: int, stream: str) -> None:
        self.out = out
        self.stream = stream.encode()
        self.pending = b""

    def feed(self, data: bytes) -> None:
        self.pending += data
        while True:
            newline = self.pending.find(b"\n")
            if newline < 0 or newline > MAX_LINE:
                break
            self._record(self.pending[:newline], b"F")
            self.pending = self.pending[newline + 1 :]
        while len(self.pending) > MAX_LINE:
            self._record(self.pending[:MAX_LINE], b"P")
            self.pending = self.pending[MAX_LINE:]

    def close(self) -> None:
        if self.pending:
            self._record(self.pending, b"F")
            self.pending = b""

    def _record(self, text: bytes, tag: bytes) -> None:
        os.write(self.out, timestamp().encode() + b" " + self.stream + b" " + tag + b" " + text + b"\n")


def write_json(path: str, doc: dict[str, object]) -> None:
    tmp = f"{path}.tmp"
    with open(tmp, "w") as handle:
        json.dump(doc, handle)
    os.replace(tmp, path)


def run(args: argparse.Namespace) -> int:
    log_fd = os.open(args.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    command = crun_command(args.crun, args.root, args.hide_unified, "run", "--bundle", args.bundle, args.id)
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=True
    )
    assert proc.stdout is not None and proc.stderr is not None
    # The agent stops containers through crun; the shim itself outlives such signals.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    selector = selectors.DefaultSelector()
    writers = {
        proc.stdout.fileno(): LogWriter(log_fd, "stdout"),
        proc.stderr.fileno(): LogWriter(log_fd, "stderr"),
    }
    for fd in writers:
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ)
    open_fds = set(writers)
    while open_fds:
        for key, _ in selector.select():
            fd = key.fd
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if data:
                writers[fd].feed(data)
            else:
                writers[fd].close()
                selector.unregister(fd)
                open_fds.discard(fd)
    code = proc.wait()
    result: dict[str, object] = {"finishedAt": timestamp()}
    if code < 0:  # crun itself was killed
        result.update(exitCode=128 - code, signal=-code)
    elif code > 128:  # crun reports a container killed by signal N as 128+N
        result.update(exitCode=code, signal=code - 128)
    else:
        result["exitCode"] = code
    write_json(args.exit_file, result)
    os.close(log_fd)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pyk8s-shim")
    parser.add_argument("--id", required=True)
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--exit-file", required=True)
    parser.add_argument("--crun", default="crun")
    parser.add_argument("--hide-unified", action="store_true")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
