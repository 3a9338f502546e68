"""Containers on crun: create and start through the shim, state, signals, exec, removal.

Each container has a directory under the runtime's state dir holding its bundle
(config.json, rootfs), the shim's pid and the exit file; crun keeps its own state under
`<state>/crun`. Everything the agent needs to find a container again after a restart is
on disk.

Status queries do not run crun. `crun state` is a process (three on a hybrid cgroup host:
`unshare`, `sh`, `crun`) and the agent asks often (while a container starts, and on every
pod worker's tick); crun answers it from its own files anyway: `<root>/<id>/status` (the
init's pid and start time), an `exec.fifo` while created-not-started, and /proc to see
whether that process still lives. `CrunRuntime` reads the same files (`read_crun_status`,
`crun_status`) and signals through a pidfd after the same start-time check, so a reused
pid is never taken for the container. It runs crun only where the files are not as
expected (unreadable, or a layout it has not yet seen from this crun), and for what only
crun can do (run, exec, delete).

A container whose init has ended but whose shim has not yet written `exit.json` is
`exiting`, never `stopped`: a stopped state always carries the exit code (crun forgets the
container and the shim writes the exit file a moment after the process ends, longer on a
loaded machine; reporting `stopped` in between made the agent record exit code 137).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyk8s.node.oci.rootfs import overlay_supported, prepare_rootfs, release_rootfs
from pyk8s.node.oci.shim import ATTACH_SOCKET, crun_command
from pyk8s.node.oci.spec import ContainerSpec

log = logging.getLogger("pyk8s.node.oci")

START_TIMEOUT = 30.0
CONSOLE_TIMEOUT = 10.0
CRUN_TIMEOUT = 30.0  # no crun call may hold the agent longer (delete, kill, state)
START_POLL_FIRST, START_POLL_MAX = 0.002, 0.02
SHIM_PATH = str(Path(__file__).with_name("shim.py"))

# (the container's OCI annotations) -> (stdin, stdinOnce): whether crun gets a stdin pipe
# the shim holds for `kubectl attach -i`. The node agent answers from the pod spec.
StdinPolicy = Callable[[dict[str, str]], tuple[bool, bool]]


class RuntimeError_(Exception):
    """crun failed; the message is crun's own."""


@dataclass(frozen=True, slots=True)
class CrunStatus:
    """What crun's status file says about a container: its init's pid, that process' start
    time (clock ticks since boot; 0 when crun did not record it) and when it was created."""

    pid: int
    start_time: int
    created: str


def read_crun_status(crun_root: Path, cid: str) -> CrunStatus | bool | None:
    """crun's status file for `cid`: the parsed status, False when crun has no state
    directory for it (not created yet, or deleted), None when the file is missing or not
    in a format known here (the caller asks crun instead)."""
    directory = crun_root / cid
    try:
        raw = (directory / "status").read_bytes()
    except FileNotFoundError:
        return None if directory.exists() else False
    except OSError:
        return None
    try:
        doc = json.loads(raw)
        pid = doc["pid"]
        start_time = doc.get("process-start-time", 0)
        created = doc.get("created", "")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if (
        not isinstance(pid, int)
        or pid <= 0
        or not isinstance(start_time, int)
        or not isinstance(created, str)
    ):
        return None
    return CrunStatus(pid, start_time, created)


def process_alive(pid: int, start_time: int) -> bool:
    """Whether process `pid` lives (not a zombie) and, when `start_time` is set, is the one
    that started then; crun's own test for a container's init."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    fields = data[data.rindex(b")") + 2 :].split()
    if fields[0] in (b"Z", b"X"):
        return False
    return not start_time or int(fields[19]) == start_time


def crun_status(crun_root: Path, cid: str, status: CrunStatus) -> str:
    """`created`, `running` or `stopped`, as `crun state` would answer from `status` (pause
    is never used here, so crun's freezer check is not needed)."""
    if not process_alive(status.pid, status.start_time):
        return "stopped"
    return "created" if (crun_root / cid / "exec.fifo").exists() else "running"


@dataclass(slots=True)
class ContainerState:
    """What the runtime knows about one container."""

    id: str
    status: str  # created | running | exiting | stopped | unknown
    pid: int = 0
    created_at: str = ""
    exit_code: int | None = None
    signal: int | None = None
    finished_at: str = ""

    @classmethod
    def stopped(cls, cid: str, exit_doc: dict[str, Any], created_at: str) -> ContainerState:
        """A finished container, from the exit document its shim wrote."""
        return cls(
            cid,
            "stopped",
            exit_code=exit_doc.get("exitCode"),
            signal=exit_doc.get("signal"),
            finished_at=exit_doc.get("finishedAt", ""),
            created_at=created_at,
        )


def hybrid_cgroups() -> bool:
    """Whether the host mounts cgroup v1 controllers plus a cgroup2 hierarchy that has
    controllers of its own (crun refuses such a layout unless the cgroup2 mount is hidden)."""
    controllers = Path("/sys/fs/cgroup/unified/cgroup.controllers")
    try:
        return bool(controllers.read_text().split())
    except OSError:
        return False


class CrunRuntime:
    """Runs OCI containers through crun."""

    def __init__(self, state_dir: Path, *, crun: str = "crun") -> None:
        self.state_dir = state_dir
        self.crun = crun
        self.crun_root = state_dir / "crun"
        self.containers_dir = state_dir / "containers"
        self.crun_root.mkdir(parents=True, exist_ok=True)
        self.containers_dir.mkdir(parents=True, exist_ok=True)
        self.hide_unified = hybrid_cgroups()
        self.overlay = overlay_supported()
        self.stdin_policy: StdinPolicy | None = None
        # Whether this crun keeps `<root>/<id>/status`: learnt from the first one seen. Until
        # then a container crun has no directory for is asked about through crun.
        self.status_files = any(self.crun_root.glob("*/status"))

    def _crun_status(self, cid: str) -> CrunStatus | bool | None:
        status = read_crun_status(self.crun_root, cid)
        if isinstance(status, CrunStatus):
            self.status_files = True
        elif status is False and not self.status_files:
            return None
        return status

    def container_dir(self, cid: str) -> Path:
        return self.containers_dir / cid

    async def _crun(self, *args: str, check: bool = True) -> bytes:
        command = crun_command(self.crun, str(self.crun_root), self.hide_unified, *args)
        proc = await asyncio.create_subprocess_exec(
            *command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            out, err = await asyncio.wait_for(proc.communicate(), CRUN_TIMEOUT)
        except TimeoutError:
            # A crun that hangs (or a process that inherited its pipes) must not hang the
            # agent: callers see a failure and may retry.
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            raise RuntimeError_(f"crun {args[0]} did not finish in {CRUN_TIMEOUT:.0f}s") from None
        if check and proc.returncode != 0:
            raise RuntimeError_(err.decode(errors="replace").strip() or f"crun {args[0]} failed")
        return out

    async def start(
        self, cid: str, spec: ContainerSpec, layers: list[Path], log_path: Path
    ) -> ContainerState:
        """Create the rootfs and bundle, start the container under its shim, and return once
        crun reports it running (or already exited)."""
        cdir = self.container_dir(cid)
        cdir.mkdir(parents=True, exist_ok=True)
        if self.overlay:
            # A few mkdirs and one mount(2): done inline. A hop through the default thread
            # pool waited behind every other pod's file work when many pods started at once.
            rootfs = prepare_rootfs(cdir, layers, overlay=True)
        else:  # a full copy of the image: not on the event loop
            rootfs = await asyncio.to_thread(prepare_rootfs, cdir, layers, overlay=False)
        spec.rootfs = rootfs
        (cdir / "config.json").write_text(json.dumps(spec.to_oci()))
        log_path.parent.mkdir(parents=True, exist_ok=True)
        exit_file = cdir / "exit.json"
        with contextlib.suppress(FileNotFoundError):
            exit_file.unlink()
        # By path, without site packages or the pyk8s package: a fifth of the start-up of
        # `python -m pyk8s.node.oci.shim` (see the shim's docstring).
        shim = [
            sys.executable,
            "-S",
            "-E",
            "-s",
            SHIM_PATH,
            "--id",
            cid,
            "--bundle",
            str(cdir),
            "--root",
            str(self.crun_root),
            "--log",
            str(log_path),
            "--exit-file",
            str(exit_file),
            "--crun",
            self.crun,
            "--attach-socket",
            ATTACH_SOCKET,
        ]
        shim.append("--terminal" if spec.terminal else "--no-terminal")
        if self.hide_unified:
            shim.append("--hide-unified")
        stdin, stdin_once = self.stdin_policy(spec.annotations) if self.stdin_policy else (False, False)
        if stdin:
            shim.append("--stdin")
        if stdin_once:
            shim.append("--stdin-once")
        shim_log = os.open(cdir / "shim.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        try:
            proc = await asyncio.create_subprocess_exec(
                *shim,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=shim_log,
                start_new_session=True,
            )
        finally:
            os.close(shim_log)
        (cdir / "shim.pid").write_text(str(proc.pid))
        deadline = time.monotonic() + START_TIMEOUT
        delay = START_POLL_FIRST
        while time.monotonic() < deadline:
            state = await self.state(cid)  # file reads: cheap enough to poll closely
            if state.status in ("running", "stopped"):
                return state
            if proc.returncode is not None and state.status != "running":
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, START_POLL_MAX)
        state = await self.state(cid)
        if state.status == "unknown":
            detail = (cdir / "shim.log").read_text(errors="replace").strip()[-2000:]
            raise RuntimeError_(f"container {cid} did not start: {detail or 'no output'}")
        return state

    async def state(self, cid: str) -> ContainerState:
        """The container's state from its exit file, else crun's status file and /proc
        (crun itself only when those cannot tell)."""
        stopped = self._exit_state(cid)
        if stopped is not None:
            return stopped
        status = self._crun_status(cid)
        if isinstance(status, CrunStatus):
            return self._from_crun(cid, crun_status(self.crun_root, cid, status), status.pid, status.created)
        if status is False:  # crun does not know it: being created, or already forgotten
            return self._after_crun(cid)
        try:
            raw = await self._crun("state", cid)
        except RuntimeError_:
            return self._after_crun(cid)
        doc = json.loads(raw)
        return self._from_crun(
            cid, doc.get("status", "unknown"), int(doc.get("pid") or 0), doc.get("created", "")
        )

    def _exit_state(self, cid: str) -> ContainerState | None:
        """`stopped` with the exit status from the shim's exit file, None without one."""
        exit_file = self.container_dir(cid) / "exit.json"
        try:
            text = exit_file.read_text()
        except FileNotFoundError:
            return None
        except OSError:
            text = ""
        try:
            doc = json.loads(text)
        except ValueError:
            doc = {}
        return ContainerState.stopped(cid, doc, self._created(cid))

    def _from_crun(self, cid: str, status: str, pid: int, created: str) -> ContainerState:
        if status == "stopped":  # ended; the exit status comes from the shim's file
            return self._after_crun(cid)
        if status == "running":
            self._remember_created(cid, created)
        return ContainerState(cid, status, pid=pid, created_at=created)

    def _after_crun(self, cid: str) -> ContainerState:
        """The state of a container whose init is gone or that crun does not know."""
        stopped = self._exit_state(cid)  # the shim may have written it meanwhile
        if stopped is not None:
            return stopped
        if self._shim_alive(cid):  # the shim is about to write the exit file (or crun starts)
            return ContainerState(cid, "exiting", created_at=self._created(cid))
        stopped = self._exit_state(cid)
        return stopped if stopped is not None else ContainerState(cid, "unknown")

    def _remember_created(self, cid: str, created: str) -> None:
        """Keep crun's creation time for after crun has forgotten the container (once)."""
        path = self.container_dir(cid) / "created"
        if created and not path.exists():
            with contextlib.suppress(OSError):
                path.write_text(created)

    def _shim_alive(self, cid: str) -> bool:
        """Whether the container's shim still runs (a zombie shim will write nothing more)."""
        try:
            pid = int((self.container_dir(cid) / "shim.pid").read_text())
        except (OSError, ValueError):
            return False
        return process_alive(pid, 0)

    def _created(self, cid: str) -> str:
        try:
            return (self.container_dir(cid) / "created").read_text()
        except OSError:
            return ""

    async def kill(self, cid: str, sig: int = signal.SIGTERM) -> None:
        """Send `sig` to the container's init process (ignored when it has exited), as
        `crun kill` does: through a pidfd, once the process is known to be the init crun
        started (pid and start time)."""
        status = self._crun_status(cid)
        if status is None:
            await self._crun("kill", cid, str(int(sig)), check=False)
            return
        if isinstance(status, CrunStatus):
            signal_process(status.pid, status.start_time, sig)

    async def wait(self, cid: str, timeout: float) -> ContainerState:
        """Wait up to `timeout` seconds for the container to exit."""
        deadline = time.monotonic() + timeout
        while True:
            state = await self.state(cid)
            if state.status in ("stopped", "unknown") or time.monotonic() >= deadline:
                return state
            await asyncio.sleep(0.05)

    async def stop(self, cid: str, grace: float) -> ContainerState:
        """SIGTERM, then SIGKILL after `grace` seconds if it is still running."""
        state = await self.state(cid)
        if state.status not in ("running", "created"):
            return state
        await self.kill(cid, signal.SIGTERM)
        state = await self.wait(cid, grace)
        if state.status == "running":
            await self.kill(cid, signal.SIGKILL)
            state = await self.wait(cid, 10.0)
        return state

    async def remove(self, cid: str) -> None:
        """Delete the container from crun and remove its directory (not its log). crun is
        run only when it still has the container (a shim ending normally has it deleted)."""
        if self._crun_status(cid) is not False:
            with contextlib.suppress(RuntimeError_):  # timed out: the directory still goes
                await self._crun("delete", "--force", cid, check=False)
        await asyncio.to_thread(release_rootfs, self.container_dir(cid))

    async def exec(self, cid: str, args: list[str]) -> asyncio.subprocess.Process:
        """Start `args` inside the container; the caller owns the process' pipes."""
        command = crun_command(self.crun, str(self.crun_root), self.hide_unified, "exec", cid, *args)
        return await asyncio.create_subprocess_exec(
            *command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )

    async def exec_tty(self, cid: str, args: list[str]) -> tuple[asyncio.subprocess.Process, int]:
        """Start `args` inside the container on a new terminal; returns the process and the
        terminal's master end (the caller closes it). crun allocates the terminal inside the
        container and passes the master over a console socket, as containerd does."""
        cdir = self.container_dir(cid)
        name = f"exec-{uuid.uuid4().hex[:12]}.sock"
        with _directory_path(cdir) as directory:
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                listener.bind(f"{directory}/{name}")
                listener.listen(1)
                listener.setblocking(False)
                command = crun_command(
                    self.crun,
                    str(self.crun_root),
                    self.hide_unified,
                    "exec",
                    "--tty",
                    "--console-socket",
                    name,  # crun runs in the container directory: a short relative path
                    cid,
                    *args,
                )
                proc = await asyncio.create_subprocess_exec(
                    *command,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    cwd=cdir,
                )
                try:
                    master = await self._receive_terminal(listener, proc)
                except BaseException:
                    if proc.returncode is None:
                        proc.kill()
                    await proc.wait()
                    raise
            finally:
                listener.close()
                with contextlib.suppress(OSError):
                    os.unlink(f"{directory}/{name}")
        return proc, master

    @staticmethod
    async def _receive_terminal(listener: socket.socket, proc: asyncio.subprocess.Process) -> int:
        loop = asyncio.get_running_loop()
        accept = asyncio.ensure_future(loop.sock_accept(listener))
        exited = asyncio.ensure_future(proc.wait())
        try:
            done, _ = await asyncio.wait(
                {accept, exited}, timeout=CONSOLE_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in (accept, exited):
                if not task.done():
                    task.cancel()
        if accept not in done:
            assert proc.stderr is not None
            error = (await proc.stderr.read()).decode(errors="replace").strip() if exited in done else ""
            raise RuntimeError_(error or "crun did not hand over a terminal")
        conn, _ = accept.result()
        with conn:
            conn.settimeout(CONSOLE_TIMEOUT)  # a crun that connects and sends nothing
            try:
                _, fds, _, _ = await asyncio.to_thread(socket.recv_fds, conn, 16, 1)
            except TimeoutError:
                raise RuntimeError_("crun did not hand over a terminal") from None
        if not fds:
            raise RuntimeError_("crun sent no terminal")
        return fds[0]

    async def attach(self, cid: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A connection to the container's attach socket, held by its shim (frames as
        `pyk8s.node.oci.shim` describes them). Raises OSError when the container has exited."""
        with _directory_path(self.container_dir(cid)) as directory:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.setblocking(False)
                await asyncio.get_running_loop().sock_connect(sock, f"{directory}/{ATTACH_SOCKET}")
            except BaseException:
                sock.close()
                raise
        return await asyncio.open_unix_connection(sock=sock)

    @staticmethod
    def remove_cgroup(path: str) -> None:
        """Remove the cgroup `path` and its empty children in every hierarchy (crun removes a
        container's own cgroup, not the parents the agent groups containers under)."""
        rel = path.strip("/")
        if not rel:
            return
        for hierarchy in Path("/sys/fs/cgroup").iterdir():
            top = hierarchy / rel
            if not top.is_dir():
                continue
            for directory in sorted((p for p in top.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                with contextlib.suppress(OSError):
                    directory.rmdir()
            with contextlib.suppress(OSError):
                top.rmdir()

    def list_ids(self) -> list[str]:
        """Containers with a directory here (running or not), for re-attaching after a restart."""
        return sorted(p.name for p in self.containers_dir.iterdir() if p.is_dir())


def signal_process(pid: int, start_time: int, sig: int) -> bool:
    """Send `sig` to `pid` if it is still the process that started at `start_time` (the
    pidfd pins it between the check and the signal); whether it was sent."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return False
    try:
        if not process_alive(pid, start_time):
            return False
        signal.pidfd_send_signal(fd, sig)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


@contextlib.contextmanager
def _directory_path(directory: Path) -> Iterator[str]:
    """A short path naming `directory` (`/proc/self/fd/N`), for unix sockets inside it:
    socket paths are limited to 108 bytes and container directories can be longer."""
    fd = os.open(directory, os.O_PATH | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}"
    finally:
        os.close(fd)
