"""The one CRI log writer (`pyk8s/node/crilog.py`) both per-container shims use: shared when
they are imported as part of pyk8s, found next to their directory when they run by path
(as the runtimes run them, without the pyk8s package), also from a copy of the package
laid out as an installed one, and writing the container's output as CRI records."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pyk8s.node import crilog
from pyk8s.node.oci import shim as oci_shim
from pyk8s.node.process import shim as process_shim

NODE = Path(crilog.__file__).parent
SHIMS = {"oci": NODE / "oci" / "shim.py", "process": NODE / "process" / "shim.py"}
REFUSED = {"oci": ["--bogus"], "process": []}  # command lines refused right after the imports
# what the shims avoid at start-up (see their docstrings)
HEAVY = {"argparse", "subprocess", "datetime", "dataclasses", "typing", "ctypes", "contextlib"}


def test_both_shims_use_the_shared_writer() -> None:
    assert oci_shim.LogWriter is crilog.LogWriter
    assert process_shim.LogWriter is crilog.LogWriter
    assert oci_shim.timestamp is process_shim.timestamp is crilog.timestamp


def _imports_when_run_by_path(path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    out = subprocess.run(
        [sys.executable, "-S", "-E", "-s", "-X", "importtime", str(path), *args],
        capture_output=True,
        text=True,
        cwd="/",
    )
    imported = {
        line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")
    }
    return out, imported


@pytest.mark.parametrize("name", sorted(SHIMS))
def test_a_shim_run_by_path_imports_the_writer_and_nothing_heavy(name: str, tmp_path: Path) -> None:
    """Run from the source tree and from a copy laid out as an installed package would be
    (no pyk8s importable from there: -S drops site packages, and the copy is elsewhere)."""
    installed = tmp_path / "site-packages" / "pyk8s" / "node"
    for relative in ("crilog.py", "oci/shim.py", "process/shim.py"):
        (installed / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(NODE / relative, installed / relative)
    for path in (SHIMS[name], installed / name / "shim.py"):
        out, imported = _imports_when_run_by_path(path, *REFUSED[name])
        assert out.returncode == 2, out.stderr
        assert "crilog" in imported and "pyk8s" not in imported
        assert not imported & HEAVY, sorted(imported & HEAVY)


def test_the_oci_shim_run_by_path_writes_cri_records(tmp_path: Path) -> None:
    """A stand-in crun prints on both streams, a line longer than 16 KiB and a last line
    without its newline; the shim (run as the runtime runs it) logs them as CRI records."""
    crun = tmp_path / "crun"
    crun.write_text(
        "#!/bin/sh\necho out; echo err >&2\nhead -c 20000 /dev/zero | tr '\\0' x; echo\nprintf tail; exit 3\n"
    )
    crun.chmod(0o755)
    (tmp_path / "bundle").mkdir()
    log, exit_file = tmp_path / "0.log", tmp_path / "exit.json"
    command = [sys.executable, "-S", "-E", "-s", str(SHIMS["oci"]), "--id", "c1"]
    command += ["--bundle", str(tmp_path / "bundle"), "--root", str(tmp_path / "root"), "--log", str(log)]
    command += ["--exit-file", str(exit_file), "--crun", str(crun), "--no-terminal"]
    proc = subprocess.Popen(command, start_new_session=True)
    try:
        proc.wait(120)  # a generous bound, not a timing check
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)
    assert '"exitCode": 3' in exit_file.read_text()
    records = [line.split(" ", 3) for line in log.read_text().splitlines()]
    assert all(len(stamp) == len("2026-01-01T00:00:00.000000000Z") for stamp, *_ in records)
    # the two streams are read apart: only the order within each is fixed
    stdout = [(tag, text[:5], len(text)) for _, stream, tag, text in records if stream == "stdout"]
    stderr = [(tag, text) for _, stream, tag, text in records if stream == "stderr"]
    assert stdout == [
        ("F", "out", 3),
        ("P", "xxxxx", crilog.MAX_LINE),
        ("F", "xxxxx", 20000 - crilog.MAX_LINE),
        ("F", "tail", 4),
    ]
    assert stderr == [("F", "err")]


def _records(chunks: list[bytes], tmp_path: Path) -> list[tuple[str, bytes]]:
    path = tmp_path / f"log-{len(chunks)}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        writer = crilog.LogWriter(fd, "stdout")
        for chunk in chunks:
            writer.feed(chunk)
        writer.close()
    finally:
        os.close(fd)
    return [
        (tag.decode(), text)
        for _, _, tag, text in (line.split(b" ", 3) for line in path.read_bytes().splitlines())
    ]


def test_records_do_not_depend_on_how_the_output_was_read(tmp_path: Path) -> None:
    """However the pipe hands the output over (all at once under load, or byte by byte), the
    records are the same: a long line's partial records, then every later line on its own."""
    output = (
        b"x" * 20000
        + b"\n"
        + b"y" * crilog.MAX_LINE
        + b"\nshort\n\n"
        + b"z" * (crilog.MAX_LINE + 1)
        + b"\ntail"
    )
    expected = [
        ("P", b"x" * crilog.MAX_LINE),
        ("F", b"x" * (20000 - crilog.MAX_LINE)),
        ("F", b"y" * crilog.MAX_LINE),
        ("F", b"short"),
        ("F", b""),
        ("P", b"z" * crilog.MAX_LINE),
        ("F", b"z"),
        ("F", b"tail"),
    ]
    assert _records([output], tmp_path) == expected
    for size in (1, 7, 4096, crilog.MAX_LINE, crilog.MAX_LINE + 1, 20001):
        chunks = [output[i : i + size] for i in range(0, len(output), size)]
        assert _records(chunks, tmp_path) == expected, size
