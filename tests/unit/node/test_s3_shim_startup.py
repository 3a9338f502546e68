"""The oci shim's cheap start-up (`pyk8s.node.oci.shim`): what it imports when run by path
as the runtime runs it, its hand-written command line and exit file, and the inherited
file descriptors it closes. A stand-in crun runs a shell command: no root or crun needed."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pyk8s.node.oci import shim
from pyk8s.node.oci.crun import SHIM_PATH

HEAVY = ("argparse", "json", "re", "subprocess", "datetime", "contextlib", "dataclasses", "typing", "ctypes")


def test_the_shim_run_by_path_imports_no_heavy_module() -> None:
    """Run exactly as the runtime runs it (a bad option makes it stop after its imports)."""
    out = subprocess.run(
        [sys.executable, "-S", "-E", "-s", "-X", "importtime", SHIM_PATH, "--bogus"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "unknown option '--bogus'" in out.stderr
    imported = {
        line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")
    }
    assert "signal" in imported  # the listing is there
    assert not imported & set(HEAVY), sorted(imported & set(HEAVY))


def test_options_parse_as_the_runtime_passes_them() -> None:
    options = shim.Options(
        [
            "--id",
            "c1",
            "--bundle=/b",
            "--root",
            "/r",
            "--log",
            "/l",
            "--exit-file",
            "/e",
            "--attach-socket",
            "attach.sock",
            "--hide-unified",
            "--stdin",
            "--no-terminal",
        ]
    )
    assert (options.id, options.bundle, options.root, options.log, options.exit_file) == (
        "c1",
        "/b",
        "/r",
        "/l",
        "/e",
    )
    assert (options.crun, options.attach_socket) == ("crun", "attach.sock")
    assert options.hide_unified and options.stdin and not options.stdin_once
    assert options.terminal is False
    assert shim.Options(
        ["--id=x", "--bundle=b", "--root=r", "--log=l", "--exit-file=e", "--terminal"]
    ).terminal
    assert shim.Options(["--id=x", "--bundle=b", "--root=r", "--log=l", "--exit-file=e"]).terminal is None


@pytest.mark.parametrize(
    "argv",
    [
        ["--id", "x"],  # required options missing
        ["--id=x", "--bundle=b", "--root=r", "--log=l", "--exit-file=e", "--bogus"],
        ["--id=x", "--bundle=b", "--root=r", "--log=l", "--exit-file"],  # no value
        ["--id=x", "--bundle=b", "--root=r", "--log=l", "--exit-file=e", "stray"],
        ["--id=x", "--bundle=b", "--root=r", "--log=l", "--exit-file=e", "--stdin=yes"],
    ],
)
def test_bad_command_lines_are_refused(argv: list[str]) -> None:
    with pytest.raises(ValueError):
        shim.Options(argv)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (0, {"exitCode": 0}),
        (3, {"exitCode": 3}),
        (137, {"exitCode": 137, "signal": 9}),  # crun: the container died of SIGKILL
        (-15, {"exitCode": 143, "signal": 15}),  # crun itself was killed
    ],
)
def test_exit_document(code: int, expected: dict[str, int]) -> None:
    doc = json.loads(shim.exit_document(code, "2026-11-22T10:00:00.000000001Z"))
    assert doc == {**expected, "finishedAt": "2026-11-22T10:00:00.000000001Z"}


def test_timestamps_are_rfc3339_with_nanoseconds() -> None:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z", shim.timestamp())


def test_the_shim_closes_file_descriptors_it_inherits(tmp_path: Path) -> None:
    """A pipe the shim inherits (as uvloop lets children inherit the agent's) reaches its
    end while the shim and its container still run: neither holds it."""
    crun = tmp_path / "crun"
    crun.write_text('#!/bin/sh\nexec sh -c "$SHIM_TEST_COMMAND"\n')
    crun.chmod(0o755)
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    read_end, write_end = os.pipe()
    command = [sys.executable, "-S", "-E", "-s", SHIM_PATH, "--id", "c1", "--bundle", str(bundle)]
    command += ["--root", str(tmp_path / "root"), "--log", str(tmp_path / "0.log")]
    command += ["--exit-file", str(tmp_path / "exit.json"), "--crun", str(crun), "--no-terminal"]
    proc = subprocess.Popen(
        command,
        pass_fds=(write_end,),
        env=dict(os.environ, SHIM_TEST_COMMAND="echo started; sleep 60"),
        start_new_session=True,
    )
    os.close(write_end)
    try:
        readable, _, _ = select.select([read_end], [], [], 60)  # a generous bound, not a timing check
        assert readable and os.read(read_end, 1) == b""
        assert proc.poll() is None  # the end came from the shim closing it, not exiting
    finally:
        os.close(read_end)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
