"""The `process` runtime: containers as host process groups, for machines without root or
crun.

Each container has a directory under `containers/<id>` holding what its shim needs
(`process.json`), what the shim reports (`state.json`, `exit.json`) and, as root, its
root directory; see `pyk8s.node.process.shim` for the files and the filesystem view. The
shim is a detached process, so containers and their logs outlive the agent, which finds
them again from these files.

What is not isolated, and what differs from the oci runtime:
- processes, network (the pod's IP is the node's; two pods cannot listen on one port),
  IPC, host name and users are the host's; without root every container runs as the
  agent's user (runAsUser is ignored), as root runAsUser/runAsGroup are applied;
- without root the container sees the host's filesystem: a volume mounted at `/data` is at
  `$PYK8S_ROOT/data`, and `$PYK8S_ROOT` (also the working directory, with workingDir
  below it) holds every mount, `/etc/hosts` and the termination-message file;
- as root the container is chrooted into a view of the host's system directories
  (read-only) with its mounts at their real paths;
- no resource limits (no cgroups), no capabilities, seccomp or read-only root; no attach
  (logs and exec work, on a terminal too).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import pty
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from pyk8s.node.oci.crun import ContainerState, RuntimeError_, StdinPolicy
from pyk8s.node.oci.spec import ContainerSpec
from pyk8s.node.process import shim as shim_module
from pyk8s.node.process.commands import HostCommands, container_path
from pyk8s.node.process.shim import ProcessConfig, find_executable, process_start_time

log = logging.getLogger("pyk8s.node.process")

START_TIMEOUT = 30.0
STOP_POLL = 0.05
IMAGE_ANNOTATION = "io.kubernetes.cri.image-name"
VIEW_BIN = "/.pyk8s/bin"  # where the image's host commands appear in a chrooted view


class ProcessRuntime:
    """Runs containers as host process groups under their shims."""

    scheme = "process"
    uses_image_layers = False

    def __init__(self, state_dir: Path, *, chroot: bool | None = None, python: str | None = None) -> None:
        self.state_dir = state_dir
        self.containers_dir = state_dir / "containers"
        self.containers_dir.mkdir(parents=True, exist_ok=True)
        # As root a container gets a chrooted view of the host with its mounts in place;
        # otherwise the symlink view under $PYK8S_ROOT.
        self.chroot = os.geteuid() == 0 if chroot is None else chroot
        self.python = python or shim_python()
        self.commands = HostCommands(state_dir / "bin")
        self.stdin_policy: StdinPolicy | None = None  # stdin is not supported: no attach

    def container_dir(self, cid: str) -> Path:
        return self.containers_dir / cid

    def list_ids(self) -> list[str]:
        return sorted(p.name for p in self.containers_dir.iterdir() if p.is_dir())

    @staticmethod
    def remove_cgroup(path: str) -> None:
        """Nothing to do: the process runtime makes no cgroups."""

    # starting

    async def start(
        self, cid: str, spec: ContainerSpec, layers: list[Path], log_path: Path
    ) -> ContainerState:
        """Write the container's `process.json`, start its shim and return once the command
        runs (or could not start: then it is `stopped` with exit code 128 and the reason in
        its log). `layers` are ignored."""
        cdir = self.container_dir(cid)
        cdir.mkdir(parents=True, exist_ok=True)
        config = await asyncio.to_thread(self.process_config, cdir, spec, log_path)
        (cdir / "process.json").write_text(json.dumps(config.to_json()))
        log_path.parent.mkdir(parents=True, exist_ok=True)
        for name in ("exit.json", "state.json"):
            with contextlib.suppress(FileNotFoundError):
                (cdir / name).unlink()
        shim_log = os.open(cdir / "shim.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        # The shim forks itself away at once (it is nobody's child here, so nothing waits
        # on it) and closes its stdout when the command runs or failed to start.
        try:
            proc = await asyncio.create_subprocess_exec(
                self.python,
                "-S",
                "-E",
                "-s",
                shim_module.__file__ or "",
                str(cdir),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=shim_log,
                start_new_session=True,
            )
        finally:
            os.close(shim_log)
        assert proc.stdout is not None
        try:
            await asyncio.wait_for(proc.stdout.read(), START_TIMEOUT)  # EOF: started or failed
        except TimeoutError:
            pass
        await proc.wait()
        state = await self.state(cid)
        if state.status == "unknown":
            detail = (cdir / "shim.log").read_text(errors="replace").strip()[-2000:]
            raise RuntimeError_(f"container {cid} did not start: {detail or 'no output'}")
        return state

    def process_config(self, cdir: Path, spec: ContainerSpec, log_path: Path) -> ProcessConfig:
        """What the shim runs for `spec` (see `ProcessConfig`)."""
        env = dict(item.partition("=")[::2] for item in spec.env)
        bin_dir = self.commands.bin_dir(spec.annotations.get(IMAGE_ANNOTATION, ""))
        root = cdir / "root"
        mounts = [
            {"destination": m.destination, "source": m.source, "readOnly": m.read_only}
            for m in spec.mounts
            if m.type == "bind"
        ]
        if self.chroot:
            env["PATH"] = container_path(env, VIEW_BIN if bin_dir else None)
            extra = {VIEW_BIN: str(bin_dir)} if bin_dir else {}
            user = (spec.uid, spec.gid, sorted(set(spec.additional_gids)))
        else:
            env["PATH"] = container_path(env, str(bin_dir) if bin_dir else None)
            env["PYK8S_ROOT"] = str(root)
            extra, user = {}, None
        return ProcessConfig(
            args=list(spec.args),
            env=[f"{k}={v}" for k, v in env.items()],
            root=str(root),
            log=str(log_path),
            cwd=spec.cwd or "/",
            chroot=self.chroot,
            terminal=spec.terminal,
            mounts=mounts,
            extra_dirs=extra,
            user=user,
        )

    # watching

    async def state(self, cid: str) -> ContainerState:
        """From the shim's files: `exit.json` means stopped; `state.json` with the process
        still there means running; a live shim without either means created."""
        cdir = self.container_dir(cid)
        started = _read_json(cdir / "state.json")
        exited = _read_json(cdir / "exit.json")
        created_at = str(started.get("startedAt", "")) if started else ""
        if exited is not None:
            return ContainerState.stopped(cid, exited, created_at)
        shim_alive = _alive(_read_int(cdir / "shim.pid"))
        if started is not None:
            pid = int(started.get("pid") or 0)
            if _process_state(pid, int(started.get("startTime") or 0)) == "running":
                return ContainerState(cid, "running", pid=pid, created_at=created_at)
            if shim_alive:  # ended; the shim is writing down how
                return ContainerState(cid, "exiting", created_at=created_at)
            return ContainerState(cid, "unknown", created_at=created_at)
        return ContainerState(cid, "created" if shim_alive else "unknown")

    async def wait(self, cid: str, timeout: float) -> ContainerState:
        """Wait up to `timeout` seconds for the container to be stopped."""
        deadline = time.monotonic() + timeout
        while True:
            state = await self.state(cid)
            if state.status in ("stopped", "unknown") or time.monotonic() >= deadline:
                return state
            await asyncio.sleep(STOP_POLL)

    # signals

    async def kill(self, cid: str, sig: int = signal.SIGTERM) -> None:
        """Send `sig` to the container's main process (as to a container's init)."""
        self._signal(cid, sig, group=False)

    def _signal(self, cid: str, sig: int, *, group: bool) -> None:
        cdir = self.container_dir(cid)
        started = _read_json(cdir / "state.json")
        if started is None or (cdir / "exit.json").exists():
            return
        pid = int(started.get("pid") or 0)
        if pid <= 0:
            return
        try:
            fd = os.pidfd_open(pid)
        except OSError:
            return
        try:
            # The shim keeps the process unreaped until exit.json is written, so a process
            # with this pid and start time is the container's.
            if process_start_time(pid) != int(started.get("startTime") or 0):
                return
            with contextlib.suppress(OSError):
                if group:
                    os.killpg(pid, sig)
                else:
                    signal.pidfd_send_signal(fd, sig)
        finally:
            os.close(fd)

    async def stop(self, cid: str, grace: float) -> ContainerState:
        """SIGTERM to the main process, then SIGKILL to its process group after `grace`."""
        state = await self.state(cid)
        if state.status in ("stopped", "unknown"):
            return state
        if state.status == "running":
            self._signal(cid, signal.SIGTERM, group=False)
        state = await self.wait(cid, grace)
        if state.status in ("running", "exiting", "created"):
            self._signal(cid, signal.SIGKILL, group=True)
            state = await self.wait(cid, 10.0)
        return state

    async def remove(self, cid: str) -> None:
        """Kill whatever still runs and delete the container's directory (not its log)."""
        state = await self.state(cid)
        if state.status in ("running", "exiting", "created"):
            self._signal(cid, signal.SIGKILL, group=True)
            await self.wait(cid, 10.0)
        # rmtree unlinks symlinks without following them: volumes stay untouched.
        await asyncio.to_thread(shutil.rmtree, self.container_dir(cid), True)

    # exec

    async def exec(self, cid: str, args: list[str]) -> asyncio.subprocess.Process:
        """Run `args` with the container's environment, working directory and view."""
        command, env, cwd = self._exec_command(cid, args)
        return await asyncio.create_subprocess_exec(
            *command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
        )

    async def exec_tty(self, cid: str, args: list[str]) -> tuple[asyncio.subprocess.Process, int]:
        """`exec` on a new terminal (its master end is returned; the caller closes it)."""
        command, env, cwd = self._exec_command(cid, args)
        master, slave = pty.openpty()
        try:
            # setsid -c: a new session whose controlling terminal is the pty (the agent's own
            # PATH finds it: the container's might find an image's command of that name).
            proc = await asyncio.create_subprocess_exec(
                shutil.which("setsid") or "setsid",
                "-c",
                *command,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                cwd=cwd,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        return proc, master

    async def attach(self, cid: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        raise OSError("attach is not supported by the process runtime")

    def _exec_command(self, cid: str, args: list[str]) -> tuple[list[str], dict[str, str], str | None]:
        if not args:
            raise RuntimeError_("no command")
        cdir = self.container_dir(cid)
        started = _read_json(cdir / "state.json")
        config_doc = _read_json(cdir / "process.json")
        if started is None or config_doc is None or (cdir / "exit.json").exists():
            raise RuntimeError_(f"container {cid} is not running")
        config = ProcessConfig.from_json(config_doc)
        env = dict(item.partition("=")[::2] for item in config.env)
        if config.chroot:
            # nsenter takes the main process' mount namespace, root and working directory.
            nsenter = shutil.which("nsenter") or "nsenter"
            command = [nsenter, f"--target={started['pid']}", "--mount", "--root", "--wd"]
            if config.user is not None:
                command += [f"--setuid={config.user[0]}", f"--setgid={config.user[1]}"]
            return [*command, "--", *args], env, None
        try:
            executable = find_executable(args[0], env.get("PATH", ""))
        except FileNotFoundError as err:
            raise RuntimeError_(err.strerror) from None
        return [executable, *args[1:]], env, config.root + "/" + config.cwd.strip("/")


def shim_python() -> str:
    """An interpreter this user may run for the shim (it needs only the standard library):
    ours, else the one it was made from, else python3 on PATH."""
    candidates = [sys.executable, os.path.join(sys.base_prefix, "bin", "python3"), shutil.which("python3")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return sys.executable


def _read_json(path: Path) -> dict[str, object] | None:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _read_int(path: Path) -> int:
    try:
        return int(path.read_text())
    except (OSError, ValueError):
        return 0


def _alive(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie."""
    return pid > 0 and _stat(pid)[0] not in ("", "Z")


def _process_state(pid: int, start_time: int) -> str:
    """`running`, `ended` (a zombie: its shim has not reaped it yet) or `gone`, for the
    process with this pid and start time."""
    state, started = _stat(pid) if pid > 0 else ("", 0)
    if not state or started != start_time:
        return "gone"
    return "ended" if state == "Z" else "running"


def _stat(pid: int) -> tuple[str, int]:
    """(state letter, start time) from /proc/PID/stat; ("", 0) when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return "", 0
    fields = data[data.rindex(b")") + 2 :].split()
    return fields[0].decode(), int(fields[19])
