"""Real containers on crun: a pod sandbox, containers sharing its namespaces, logs in the
CRI format, exit codes, signals and clean-up. Needs root, crun and busybox-static."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pyk8s.node.images.busybox import ensure_busybox
from pyk8s.node.images.store import ImageStore
from pyk8s.node.oci.crun import CrunRuntime
from pyk8s.node.oci.sandbox import PodSandbox, create_sandbox, remove_sandbox
from pyk8s.node.oci.spec import ContainerSpec, Mount, Resources
from tests.oci.conftest import require_oci_runtime

CGROUP_PARENT = f"/pyk8s-test-{os.getpid()}"


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[tuple[CrunRuntime, ImageStore, PodSandbox]]:
    require_oci_runtime("the oci runtime tests")
    store = ImageStore(tmp_path / "images")
    ensure_busybox(store)
    rt = CrunRuntime(tmp_path / "runtime")
    sandbox = await create_sandbox(tmp_path / "sandboxes", str(uuid.uuid4()), "web-0")
    try:
        yield rt, store, sandbox
    finally:
        for cid in rt.list_ids():
            await rt.remove(cid)
        await remove_sandbox(sandbox)
        CrunRuntime.remove_cgroup(CGROUP_PARENT)


def _spec(
    store: ImageStore, sandbox: PodSandbox, *args: str, **kwargs: object
) -> tuple[ContainerSpec, list[Path]]:
    image = store.resolve("busybox")
    assert image is not None
    layers = store.unpack(image)
    spec = ContainerSpec(
        args=list(args),
        rootfs=Path("/"),
        env=["PATH=/bin"],
        namespaces=sandbox.namespaces(),
        mounts=[Mount("/dev/shm", str(sandbox.shm_path))],
        **kwargs,  # type: ignore[arg-type]
    )
    return spec, layers


def _log_records(path: Path) -> list[tuple[str, str, str]]:
    out = []
    for line in path.read_text().splitlines():
        _, stream, tag, text = line.split(" ", 3)
        out.append((stream, tag, text))
    return out


async def test_a_container_runs_logs_and_exits(
    runtime: tuple[CrunRuntime, ImageStore, PodSandbox], tmp_path: Path
) -> None:
    rt, store, sandbox = runtime
    spec, layers = _spec(store, sandbox, "sh", "-c", "echo out; echo err >&2; hostname; echo $$; exit 3")
    log = tmp_path / "logs" / "c1.log"
    await rt.start("c1", spec, layers, log)
    state = await rt.wait("c1", 20)
    assert state.status == "stopped" and state.exit_code == 3
    records = _log_records(log)
    # The two pipes are read independently: order is kept within each stream only.
    assert [r for r in records if r[0] == "stdout"] == [("stdout", "F", t) for t in ("out", "web-0", "1")]
    assert [r for r in records if r[0] == "stderr"] == [("stderr", "F", "err")]


async def test_containers_of_a_pod_share_ipc_uts_and_shm(
    runtime: tuple[CrunRuntime, ImageStore, PodSandbox], tmp_path: Path
) -> None:
    rt, store, sandbox = runtime
    writer, layers = _spec(store, sandbox, "sh", "-c", "echo shared > /dev/shm/note; sleep 30")
    await rt.start("writer", writer, layers, tmp_path / "w.log")
    wait_then_read = (
        "for i in $(seq 50); do [ -f /dev/shm/note ] && break; sleep 0.1; done; cat /dev/shm/note"
    )
    reader, layers = _spec(store, sandbox, "sh", "-c", wait_then_read + "; hostname")
    await rt.start("reader", reader, layers, tmp_path / "r.log")
    assert (await rt.wait("reader", 20)).exit_code == 0
    assert [text for _, _, text in _log_records(tmp_path / "r.log")] == ["shared", "web-0"]
    # SIGTERM to a shell that ignores it as PID 1, then SIGKILL after the grace period.
    state = await rt.stop("writer", grace=0.5)
    assert state.status == "stopped" and state.signal == 9 and state.exit_code == 137


async def test_isolation_limits_and_read_only_root(
    runtime: tuple[CrunRuntime, ImageStore, PodSandbox], tmp_path: Path
) -> None:
    rt, store, sandbox = runtime
    script = "ps -o pid | wc -l; touch /x 2>/dev/null && echo writable || echo read-only"
    script += "; grep CapEff /proc/self/status"
    spec, layers = _spec(
        store,
        sandbox,
        "sh",
        "-c",
        script,
        readonly_rootfs=True,
        resources=Resources(memory_limit=64 << 20, pids_limit=64),
        cgroups_path=f"{CGROUP_PARENT}/{uuid.uuid4()}",
        capabilities_drop=["ALL"],
    )
    await rt.start("iso", spec, layers, tmp_path / "iso.log")
    assert (await rt.wait("iso", 20)).exit_code == 0
    lines = [text for _, _, text in _log_records(tmp_path / "iso.log")]
    assert int(lines[0]) <= 4  # header, sh, ps, wc: nothing of the host is visible
    assert lines[1] == "read-only"
    assert lines[2].split()[-1] == "0000000000000000"
    config = json.loads((rt.container_dir("iso") / "config.json").read_text())
    assert config["linux"]["resources"]["memory"]["limit"] == 64 << 20


async def test_exec_in_a_running_container(
    runtime: tuple[CrunRuntime, ImageStore, PodSandbox], tmp_path: Path
) -> None:
    rt, store, sandbox = runtime
    spec, layers = _spec(store, sandbox, "sleep", "30")
    await rt.start("sleeper", spec, layers, tmp_path / "s.log")
    proc = await rt.exec("sleeper", ["sh", "-c", "echo inside; exit 7"])
    out, _ = await proc.communicate()
    assert out == b"inside\n" and proc.returncode == 7
    await rt.stop("sleeper", grace=0.2)


async def test_state_from_crun_files_agrees_with_crun_state(
    runtime: tuple[CrunRuntime, ImageStore, PodSandbox], tmp_path: Path
) -> None:
    """The runtime answers from crun's status file and /proc (no crun process); `crun
    state` itself says the same."""
    rt, store, sandbox = runtime
    spec, layers = _spec(store, sandbox, "sleep", "30")
    await rt.start("sleeper", spec, layers, tmp_path / "s.log")
    state = await rt.state("sleeper")
    crun = json.loads(await rt._crun("state", "sleeper"))
    assert (state.status, state.pid, state.created_at) == (crun["status"], crun["pid"], crun["created"])
    assert rt.status_files
    stopped = await rt.stop("sleeper", grace=0.2)  # SIGTERM (ignored by PID 1), then SIGKILL
    assert (stopped.status, stopped.exit_code, stopped.signal) == ("stopped", 137, 9)


async def test_a_quickly_exiting_container_is_never_stopped_without_its_exit_code(
    runtime: tuple[CrunRuntime, ImageStore, PodSandbox], tmp_path: Path
) -> None:
    """Polled as closely as possible from start to end, a container is running or exiting
    until its exit code is known (crun forgets it a moment before the shim writes it)."""
    rt, store, sandbox = runtime
    for attempt in range(5):
        cid = f"quick-{attempt}"
        # With a cgroup (as every pod container has) crun's clean-up after the exit takes
        # longest: the window in which crun still lists a container whose process is gone.
        spec, layers = _spec(
            store,
            sandbox,
            "sh",
            "-c",
            "exit 3",
            resources=Resources(memory_limit=64 << 20, pids_limit=64),
            cgroups_path=f"{CGROUP_PARENT}/{uuid.uuid4()}",
        )
        state = await rt.start(cid, spec, layers, tmp_path / f"{cid}.log")
        seen = {state.status}
        give_up = asyncio.get_running_loop().time() + 60  # a generous bound, not a timing check
        while state.status != "stopped" and asyncio.get_running_loop().time() < give_up:
            state = await rt.state(cid)
            seen.add(state.status)
            assert state.status in ("created", "running", "exiting", "stopped"), state
            await asyncio.sleep(0)
        assert state.exit_code == 3, (state, seen)
        await rt.remove(cid)
