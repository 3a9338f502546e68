"""Container status from crun's own files, without running crun (`pyk8s.node.oci.crun`):
the status file's parsing, crun's liveness test, and `CrunRuntime.state`/`kill` on a
container directory laid out as crun and the shim leave it. A stand-in `crun` records any
call, so the tests also show when crun is not run. No root or crun needed."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyk8s.node.oci.crun import (
    CrunRuntime,
    CrunStatus,
    crun_status,
    process_alive,
    read_crun_status,
    signal_process,
)


def start_time(pid: int) -> int:
    data = Path(f"/proc/{pid}/stat").read_bytes()
    return int(data[data.rindex(b")") + 2 :].split()[19])


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(["sleep", "60"])
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has ended and been reaped."""
    gone = subprocess.Popen(["true"])
    gone.wait(10)
    return gone.pid


@pytest.fixture
def runtime(tmp_path: Path) -> CrunRuntime:
    """A runtime whose crun only records that it was called (and fails)."""
    fake = tmp_path / "fake-crun"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "crun-calls"}\nexit 1\n')
    fake.chmod(0o755)
    rt = CrunRuntime(tmp_path / "runtime", crun=str(fake))
    rt.hide_unified = False  # call the stand-in directly, whatever this host's cgroups
    return rt


def crun_calls(tmp_path: Path) -> list[str]:
    path = tmp_path / "crun-calls"
    return path.read_text().splitlines() if path.exists() else []


def write_status(
    rt: CrunRuntime, cid: str, pid: int, started: int, created: str = "2026-11-22T10:00:00Z"
) -> None:
    directory = rt.crun_root / cid
    directory.mkdir(parents=True, exist_ok=True)
    doc = {"pid": pid, "process-start-time": started, "created": created, "bundle": "/x", "owner": "root"}
    (directory / "status").write_text(json.dumps(doc))


def write_shim(rt: CrunRuntime, cid: str, pid: int) -> None:
    directory = rt.container_dir(cid)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "shim.pid").write_text(str(pid))


# the status file


def test_status_file_is_parsed(tmp_path: Path) -> None:
    (tmp_path / "c1").mkdir()
    (tmp_path / "c1" / "status").write_text(
        json.dumps({"pid": 42, "process-start-time": 7, "created": "2026-11-22T10:00:00Z", "detached": False})
    )
    assert read_crun_status(tmp_path, "c1") == CrunStatus(42, 7, "2026-11-22T10:00:00Z")


def test_status_file_absent_or_unknown(tmp_path: Path) -> None:
    assert read_crun_status(tmp_path, "none") is False  # crun has no directory: not known to it
    (tmp_path / "empty").mkdir()
    assert read_crun_status(tmp_path, "empty") is None  # a directory without status: ask crun
    for name, text in {
        "garbage": "{not json",
        "no-pid": "{}",
        "bad-pid": '{"pid": "x"}',
        "list": "[1]",
    }.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "status").write_text(text)
        assert read_crun_status(tmp_path, name) is None, name


def test_process_alive_checks_start_time_and_zombies(sleeper: subprocess.Popen[bytes]) -> None:
    started = start_time(sleeper.pid)
    assert process_alive(sleeper.pid, started)
    assert process_alive(sleeper.pid, 0)  # no start time recorded: liveness only
    assert not process_alive(sleeper.pid, started + 1)  # a later process with the same pid
    sleeper.send_signal(signal.SIGKILL)
    os.waitid(os.P_PID, sleeper.pid, os.WEXITED | os.WNOWAIT)  # ended, not reaped: a zombie
    assert not process_alive(sleeper.pid, started)
    assert not process_alive(2**22 + 12345, 0)


def test_crun_status_values(tmp_path: Path, sleeper: subprocess.Popen[bytes]) -> None:
    status = CrunStatus(sleeper.pid, start_time(sleeper.pid), "")
    (tmp_path / "c1").mkdir()
    assert crun_status(tmp_path, "c1", status) == "running"
    os.mkfifo(tmp_path / "c1" / "exec.fifo")  # `crun create` without `crun start`
    assert crun_status(tmp_path, "c1", status) == "created"
    sleeper.kill()
    sleeper.wait(10)
    assert crun_status(tmp_path, "c1", status) == "stopped"


# the runtime


async def test_state_and_kill_from_files_without_running_crun(
    runtime: CrunRuntime, tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    write_status(runtime, "c1", sleeper.pid, start_time(sleeper.pid))
    write_shim(runtime, "c1", os.getpid())
    state = await runtime.state("c1")
    assert (state.status, state.pid, state.created_at) == ("running", sleeper.pid, "2026-11-22T10:00:00Z")
    await runtime.kill("c1", signal.SIGTERM)
    assert sleeper.wait(10) == -signal.SIGTERM
    assert crun_calls(tmp_path) == []


async def test_an_ended_container_is_exiting_until_the_shim_writes_its_exit_code(
    runtime: CrunRuntime, tmp_path: Path, sleeper: subprocess.Popen[bytes]
) -> None:
    """crun still lists the container (or has just forgotten it) and the shim has not yet
    written exit.json: never `stopped` without an exit code (the agent took that for 137)."""
    write_status(runtime, "c1", sleeper.pid, start_time(sleeper.pid))
    write_shim(runtime, "c1", os.getpid())
    assert (await runtime.state("c1")).status == "running"
    sleeper.kill()
    sleeper.wait(10)
    assert (await runtime.state("c1")).status == "exiting"
    (runtime.crun_root / "c1" / "status").unlink()
    (runtime.crun_root / "c1").rmdir()  # crun deleted the container
    assert (await runtime.state("c1")).status == "exiting"
    (runtime.container_dir("c1") / "exit.json").write_text(
        json.dumps({"exitCode": 3, "finishedAt": "2026-11-22T10:00:01Z"})
    )
    state = await runtime.state("c1")
    assert (state.status, state.exit_code, state.created_at) == ("stopped", 3, "2026-11-22T10:00:00Z")
    assert crun_calls(tmp_path) == []


async def test_a_container_whose_shim_died_without_an_exit_file_is_unknown(
    runtime: CrunRuntime, tmp_path: Path, dead_pid: int
) -> None:
    write_status(runtime, "seen", os.getpid(), 0)
    await runtime.state("seen")  # this crun keeps status files
    write_shim(runtime, "c1", dead_pid)
    assert (await runtime.state("c1")).status == "unknown"
    await runtime.kill("c1")  # nothing to signal
    await runtime.remove("c1")  # crun has nothing for it: not run
    assert not runtime.container_dir("c1").exists()
    assert crun_calls(tmp_path) == []


async def test_crun_is_asked_while_its_file_layout_is_unknown(runtime: CrunRuntime, tmp_path: Path) -> None:
    write_shim(runtime, "c1", os.getpid())
    assert not runtime.status_files
    assert (await runtime.state("c1")).status == "exiting"  # crun failed; the shim lives
    assert crun_calls(tmp_path) == [f"--root {runtime.crun_root} state c1"]
    write_status(runtime, "c2", os.getpid(), start_time(os.getpid()))
    assert (await runtime.state("c2")).status == "running"
    assert runtime.status_files  # learnt: from now on a missing directory means "not known"
    await runtime.state("c1")
    await runtime.kill("c1")
    assert len(crun_calls(tmp_path)) == 1


def test_signal_process_refuses_a_reused_pid(sleeper: subprocess.Popen[bytes]) -> None:
    assert not signal_process(sleeper.pid, start_time(sleeper.pid) + 1, signal.SIGTERM)
    assert sleeper.poll() is None
    assert signal_process(sleeper.pid, start_time(sleeper.pid), signal.SIGTERM)
    assert sleeper.wait(10) == -signal.SIGTERM


async def test_a_hung_crun_call_is_bounded(
    runtime: CrunRuntime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hung = tmp_path / "hung-crun"
    hung.write_text("#!/bin/sh\nexec sleep 60\n")
    hung.chmod(0o755)
    runtime.crun = str(hung)
    monkeypatch.setattr("pyk8s.node.oci.crun.CRUN_TIMEOUT", 0.2)
    write_shim(runtime, "c1", os.getpid())
    state = await asyncio.wait_for(runtime.state("c1"), 30)  # crun state timed out
    assert state.status == "exiting"
