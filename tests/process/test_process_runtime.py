"""ProcessRuntime on its own: containers as host process groups under their shims, in both
views (symlinks without root, the chrooted view as root). Needs busybox-static."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pyk8s.node.images.busybox import find_busybox
from pyk8s.node.oci.spec import ContainerSpec, Mount
from pyk8s.node.process import ProcessRuntime
from pyk8s.node.runtime import ContainerRuntime
from tests.conftest import require_binary

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="the chrooted view needs root")
VIEWS = ["links", pytest.param("chroot", marks=ROOT_ONLY)]
BUSYBOX = {"io.kubernetes.cri.image-name": "busybox"}


def _busybox() -> str | None:
    try:
        return str(find_busybox())
    except FileNotFoundError:
        return None


@pytest.fixture(params=VIEWS)
async def runtime(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ProcessRuntime]:
    require_binary("busybox", _busybox(), "busybox-static")
    rt = ProcessRuntime(tmp_path / "rt", chroot=request.param == "chroot")
    try:
        yield rt
    finally:
        for cid in rt.list_ids():
            await rt.remove(cid)


def spec(script: str, **fields: object) -> ContainerSpec:
    return ContainerSpec(args=["sh", "-c", script], rootfs=Path("/"), annotations=dict(BUSYBOX), **fields)  # type: ignore[arg-type]


def records(path: Path) -> list[tuple[str, str]]:
    return [(line.split(" ", 3)[1], line.split(" ", 3)[3]) for line in path.read_text().splitlines()]


def shared_dir(tmp_path: Path) -> Path:
    """A directory both views reach as /share (a mount)."""
    share = tmp_path / "share"
    share.mkdir()
    return share


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


async def wait_gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def test_it_implements_the_runtime_interface(runtime: ProcessRuntime) -> None:
    assert isinstance(runtime, ContainerRuntime)


async def test_exit_codes_and_cri_logs(runtime: ProcessRuntime, tmp_path: Path) -> None:
    log = tmp_path / "logs" / "0.log"
    await runtime.start("c", spec("echo out; echo err >&2; exit 7"), [], log)
    state = await runtime.wait("c", 10)
    assert (state.status, state.exit_code, state.signal) == ("stopped", 7, None)
    assert state.created_at and state.finished_at
    assert sorted(records(log)) == [("stderr", "err"), ("stdout", "out")]


async def test_a_command_that_cannot_start_exits_128_with_the_reason(
    runtime: ProcessRuntime, tmp_path: Path
) -> None:
    log = tmp_path / "0.log"
    state = await runtime.start("c", ContainerSpec(args=["no-such-command"], rootfs=Path("/")), [], log)
    assert (state.status, state.exit_code) == ("stopped", 128)
    assert records(log) == [("stderr", 'exec: "no-such-command": executable file not found in $PATH')]


async def test_stop_sends_sigterm_then_kills_the_whole_group(runtime: ProcessRuntime, tmp_path: Path) -> None:
    log = tmp_path / "0.log"
    await runtime.start(
        "polite", spec("trap 'echo bye; exit 0' TERM; echo ready; while true; do sleep 0.1; done"), [], log
    )
    deadline = time.monotonic() + 10
    # a SIGTERM sent before the trap is set would end the container with 143
    while not log.exists() or ("stdout", "ready") not in records(log):
        assert time.monotonic() < deadline, "the container never installed its trap"
        await asyncio.sleep(0.05)
    state = await runtime.stop("polite", 10)
    assert (state.status, state.exit_code) == ("stopped", 0)
    assert records(log) == [("stdout", "ready"), ("stdout", "bye")]
    share = shared_dir(tmp_path)
    out = share / "stubborn.pid"
    script = (
        "trap '' TERM; sleep 300 & echo $! > ${PYK8S_ROOT}/share/stubborn.pid; while true; do sleep 0.1; done"
    )
    await runtime.start(
        "stubborn", spec(script, mounts=[Mount("/share", str(share))]), [], tmp_path / "1.log"
    )
    deadline = time.monotonic() + 10
    while not out.exists() or not out.read_text().strip():
        assert time.monotonic() < deadline, "the container never started its child"
        await asyncio.sleep(0.05)
    state = await runtime.stop("stubborn", 0.5)
    assert (state.status, state.exit_code, state.signal) == ("stopped", 137, 9)
    assert await wait_gone(int(out.read_text()))


async def test_processes_left_behind_end_with_the_main_one(runtime: ProcessRuntime, tmp_path: Path) -> None:
    share = shared_dir(tmp_path)
    out = share / "child.pid"
    script = "sleep 300 & echo $! > ${PYK8S_ROOT}/share/child.pid; exit 0"
    await runtime.start("c", spec(script, mounts=[Mount("/share", str(share))]), [], tmp_path / "0.log")
    state = await runtime.wait("c", 10)
    assert (state.status, state.exit_code) == ("stopped", 0)
    assert await wait_gone(int(out.read_text()))


async def test_exec_runs_with_the_container_environment(runtime: ProcessRuntime, tmp_path: Path) -> None:
    volume = tmp_path / "vol"
    volume.mkdir()
    (volume / "greeting").write_text("hello")
    container = spec(
        "exec sleep 300", env=["GREETING=hi"], mounts=[Mount("/config", str(volume))], cwd="/config"
    )
    await runtime.start("c", container, [], tmp_path / "0.log")
    proc = await runtime.exec(
        "c", ["sh", "-c", "echo $GREETING; cat ./greeting; cat ${PYK8S_ROOT}/config/greeting"]
    )
    out, err = await proc.communicate()
    assert (proc.returncode, out, err) == (0, b"hi\nhellohello", b"")
    proc, master = await runtime.exec_tty("c", ["sh", "-c", "tty"])
    try:
        await proc.wait()
        terminal = os.read(master, 1024)
    finally:
        os.close(master)
    assert terminal.startswith(b"/dev/pts/")


async def test_a_new_runtime_on_the_same_directory_finds_running_containers(
    runtime: ProcessRuntime, tmp_path: Path
) -> None:
    first = await runtime.start("c", spec("exec sleep 300"), [], tmp_path / "0.log")
    again = ProcessRuntime(runtime.state_dir, chroot=runtime.chroot)
    assert again.list_ids() == ["c"]
    state = await again.state("c")
    assert (state.status, state.pid, state.created_at) == ("running", first.pid, first.created_at)
    await again.stop("c", 5)
    assert (await runtime.state("c")).status == "stopped"


@ROOT_ONLY
async def test_the_chrooted_view_shows_mounts_at_their_paths_over_a_read_only_host(tmp_path: Path) -> None:
    require_binary("busybox", _busybox(), "busybox-static")
    runtime = ProcessRuntime(tmp_path / "rt", chroot=True)
    volume = tmp_path / "vol"
    volume.mkdir(mode=0o777)
    volume.chmod(0o777)
    hosts = tmp_path / "hosts"
    hosts.write_text("10.0.0.1 pod\n")
    script = (
        "cat /etc/hosts; echo x > /data/out && echo data-writable; id -u;"
        " touch /usr/pyk8s-test 2>/dev/null && echo usr-writable || echo usr-read-only;"
        f" test -e {tmp_path} && echo host-visible || echo host-hidden"
    )
    container = spec(
        script,
        uid=1000,
        gid=1000,
        mounts=[Mount("/data", str(volume)), Mount("/etc/hosts", str(hosts))],
    )
    log = tmp_path / "0.log"
    try:
        await runtime.start("c", container, [], log)
        state = await runtime.wait("c", 10)
    finally:
        await runtime.remove("c")
    assert state.exit_code == 0
    assert [text for _, text in records(log)] == [
        "10.0.0.1 pod",
        "data-writable",
        "1000",
        "usr-read-only",
        "host-hidden",
    ]
    assert (volume / "out").stat().st_uid == 1000
    assert not await asyncio.to_thread(os.path.exists, "/usr/pyk8s-test")
