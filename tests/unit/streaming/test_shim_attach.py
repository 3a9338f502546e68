"""The shim's attach socket, with a stand-in for crun that runs a shell command (no root or
crun needed): live output to every attached client, stdin from a client, stdinOnce, and
the log and exit file as before."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from pyk8s.node.oci import shim

FAKE_CRUN = '#!/bin/sh\nexec sh -c "$SHIM_TEST_COMMAND"\n'


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    kind, length = shim.FRAME.unpack(await reader.readexactly(shim.FRAME.size))
    return kind, await reader.readexactly(length)


async def test_attach_streams_output_and_takes_stdin_once(tmp_path: Path) -> None:
    crun = tmp_path / "crun"
    crun.write_text(FAKE_CRUN)
    crun.chmod(0o755)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    log, exit_file = tmp_path / "0.log", tmp_path / "exit.json"
    command = 'while read line; do echo "got $line"; echo "err $line" >&2; done; echo bye'
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pyk8s.node.oci.shim",
        "--id",
        "c1",
        "--bundle",
        str(bundle),
        "--root",
        str(tmp_path / "root"),
        "--log",
        str(log),
        "--exit-file",
        str(exit_file),
        "--crun",
        str(crun),
        "--attach-socket",
        shim.ATTACH_SOCKET,
        "--stdin",
        "--stdin-once",
        env=dict(os.environ, SHIM_TEST_COMMAND=command),
    )
    socket_path = bundle / shim.ATTACH_SOCKET
    for _ in range(500):
        if socket_path.exists():
            break
        await asyncio.sleep(0.01)
    watcher_reader, watcher_writer = await asyncio.open_unix_connection(str(socket_path))
    reader, writer = await asyncio.open_unix_connection(str(socket_path))
    writer.write(shim.frame(shim.STDIN))  # this session uses stdin
    one = shim.frame(shim.STDIN, b"one\n")
    writer.write(one[:3])  # frames may arrive in pieces
    await writer.drain()
    await asyncio.sleep(0.05)
    writer.write(one[3:])
    await writer.drain()
    seen = {await read_frame(reader), await read_frame(reader)}
    assert seen == {(shim.STDOUT, b"got one\n"), (shim.STDERR, b"err one\n")}
    # A client that never used stdin asking to close it changes nothing.
    watcher_writer.write(shim.frame(shim.CLOSE_STDIN))
    watcher_writer.write(shim.frame(shim.RESIZE, b"\x00\x50\x00\x18"))  # no terminal: ignored
    await watcher_writer.drain()
    writer.write(shim.frame(shim.STDIN, b"two\n"))
    await writer.drain()
    watched = [await read_frame(watcher_reader) for _ in range(4)]
    assert (shim.STDOUT, b"got two\n") in watched
    # The stdin session ends: with stdinOnce the container's stdin is closed, so it finishes.
    writer.close()
    rest = []
    while True:
        try:
            rest.append(await asyncio.wait_for(read_frame(watcher_reader), 10))
        except asyncio.IncompleteReadError:
            break  # the shim closed the socket after the container exited
    assert (shim.STDOUT, b"bye\n") in rest
    assert await asyncio.wait_for(proc.wait(), 10) == 0
    assert json.loads(exit_file.read_text())["exitCode"] == 0
    records = [line.split(" ", 3)[1:] for line in log.read_text().splitlines()]
    assert ["stdout", "F", "got one"] in records and ["stderr", "F", "err two"] in records
    assert records[-1] == ["stdout", "F", "bye"]
    assert not socket_path.exists()
