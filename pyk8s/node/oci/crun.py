"""Containers on crun: create and start through the shim, state, signals, exec, removal.

Each container has a directory under the runtime's state dir holding its bundle
(config.json, rootfs), the shim's pid and the exit file; crun keeps its own state under
`<state>/crun`. Everything the agent needs to find a container again after a restart is
on disk.
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

from pyk8s.node.oci.rootfs import overlay_supported, prepare_rootfs, release_rootfs
from pyk8s.node.oci.shim import ATTACH_SOCKET, crun_command
from pyk8s.node.oci.spec import ContainerSpec

log = logging.getLogger("pyk8s.node.oci")

START_TIMEOUT = 30.0
CONSOLE_TIMEOUT = 10.0

# (the container's OCI annotations) -> (stdin, stdinOnce): whether crun gets a stdin pipe
# the shim holds for `kubectl attach -i`. The node agent answers from the pod spec.
StdinPolicy = Callable[[dict[str, str]], tuple[bool, bool]]


class RuntimeError_(Exception):
    """crun failed; the message is crun's own."""


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

    def container_dir(self, cid: str) -> Path:
        return self.containers_dir / cid

    async def _crun(self, *args: str, check: bool = True) -> bytes:
        command = crun_command(self.crun, str(self.crun_root), self.hide_unified, *args)
        proc = await asyncio.create_subprocess_exec(
            *command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        out, err = await proc.communicate()
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
        rootfs = await asyncio.to_thread(prepare_rootfs, cdir, layers, overlay=self.overlay)
        spec.rootfs = rootfs
        (cdir / "config.json").write_text(json.dumps(spec.to_oci()))
        log_path.parent.mkdir(parents=True, exist_ok=True)
        exit_file = cdir / "exit.json"
        with contextlib.suppress(FileNotFoundError):
            exit_file.unlink()
        shim = [
            sys.executable,
            "-m",
            "pyk8s.node.oci.shim",
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
        delay = 0.002
        while time.monotonic() < deadline:
            state = await self.state(cid)
            if state.status in ("running", "stopped"):
                return state
            if proc.returncode is not None and state.status != "running":
                break
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)
        state = await self.state(cid)
        if state.status == "unknown":
            detail = (cdir / "shim.log").read_text(errors="replace").strip()[-2000:]
            raise RuntimeError_(f"container {cid} did not start: {detail or 'no output'}")
        return state

    async def state(self, cid: str) -> ContainerState:
        """The container's state from its exit file and crun."""
        exit_file = self.container_dir(cid) / "exit.json"
        if exit_file.exists():
            try:
                doc = json.loads(exit_file.read_text())
            except (OSError, ValueError):
                doc = {}
            return ContainerState(
                cid,
                "stopped",
                exit_code=doc.get("exitCode"),
                signal=doc.get("signal"),
                finished_at=doc.get("finishedAt", ""),
                created_at=self._created(cid),
            )
        try:
            raw = await self._crun("state", cid)
        except RuntimeError_:
            # Between crun forgetting the container and the shim writing the exit file.
            if self._shim_alive(cid):
                return ContainerState(cid, "exiting")
            if exit_file.exists():  # the shim finished while crun was asked
                return await self.state(cid)
            return ContainerState(cid, "unknown")
        doc = json.loads(raw)
        status = doc.get("status", "unknown")
        if status == "running":
            (self.container_dir(cid) / "created").write_text(doc.get("created", ""))
        return ContainerState(cid, status, pid=int(doc.get("pid") or 0), created_at=doc.get("created", ""))

    def _shim_alive(self, cid: str) -> bool:
        try:
            pid = int((self.container_dir(cid) / "shim.pid").read_text())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return False
        return True

    def _created(self, cid: str) -> str:
        try:
            return (self.container_dir(cid) / "created").read_text()
        except OSError:
            return ""

    async def kill(self, cid: str, sig: int = signal.SIGTERM) -> None:
        """Send `sig` to the container's init process (ignored when it has exited)."""
        await self._crun("kill", cid, str(int(sig)), check=False)

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
        """Delete the container from crun and remove its directory (not its log)."""
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
            conn.setblocking(True)
            _, fds, _, _ = await asyncio.to_thread(socket.recv_fds, conn, 16, 1)
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


@contextlib.contextmanager
def _directory_path(directory: Path) -> Iterator[str]:
    """A short path naming `directory` (`/proc/self/fd/N`), for unix sockets inside it:
    socket paths are limited to 108 bytes and container directories can be longer."""
    fd = os.open(directory, os.O_PATH | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}"
    finally:
        os.close(fd)
