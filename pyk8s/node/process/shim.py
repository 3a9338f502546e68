"""The process runtime's per-container shim: starts the container's command as a host
process group, writes its output to the log file in the CRI format, and records how it
ended.

It is a detached process (as the oci runtime's shim is) so containers survive a restart of
the node agent, which finds them again through the files the shim keeps in the container
directory:

    process.json   what to run (written by the agent)
    state.json     {"pid", "startTime", "startedAt"}: written once the command runs
    exit.json      {"exitCode", "signal"?, "finishedAt"}: written once it has ended
    shim.log       the shim's own errors

The agent starts it by file path with `python -S -E -s` and it imports only the standard
library, and of that no dataclasses, typing, datetime or ctypes.util (each costs
milliseconds per container on a loaded node; ctypes.util's library lookup runs
`ldconfig`), so it starts in a few milliseconds. Its log writer is `pyk8s/node/crilog.py`,
shared with the oci shim and imported (run by path) as the top-level module `crilog` from
the directory above its own. It closes its stdout once the command runs
(or could not start): the agent waits for that instead of polling.

The container's process is a session and process-group leader. When it exits, whatever it
left behind in its group is killed, as a container's processes end with its init process.
The shim learns of the exit without reaping (`waitid(WNOWAIT)`), so the pid cannot be
reused until `exit.json` is written; signals from the agent therefore reach the right
process.

Filesystem view. Without root the command runs in the host's filesystem; each mount of the
container is a symlink at `<root>/<mountPath>` and the working directory is
`<root>/<workingDir>` (`$PYK8S_ROOT` names `<root>`). As root the shim makes a private
mount namespace and a root directory holding read-only binds of the host's system
directories (bin, sbin, lib*, usr, etc, opt), /proc, /sys, a minimal /dev, a private /tmp,
and the container's mounts at their paths, then chroots into it: absolute paths work as in
a container, but processes, network and users are the host's (`plan_view`).
"""

from __future__ import annotations

import errno
import json
import os
import selectors
import signal
import stat
import sys
from collections import namedtuple
from collections.abc import Callable

if __package__:  # imported as part of pyk8s (the agent, tests)
    from pyk8s.node.crilog import LogWriter, timestamp
else:  # run by path: no pyk8s package, but its node directory holds the log writer
    sys.path.append(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from crilog import LogWriter, timestamp

DRAIN_SECONDS = 2.0  # output still read after the main process ended
START_ERROR_EXIT = 128  # the exit code of a command that could not be started
HOST_DIRS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "opt")
EMPTY_DIRS = ("proc", "sys", "dev", "tmp", "run", "var", "var/tmp", "home", "root", "mnt")
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
DEV_LINKS = {
    "fd": "/proc/self/fd",
    "stdin": "/proc/self/fd/0",
    "stdout": "/proc/self/fd/1",
    "stderr": "/proc/self/fd/2",
    "ptmx": "pts/ptmx",
}

MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x1, 0x20, 0x1000, 0x4000, 0x40000
CLONE_NEWNS = 0x00020000


def write_json(path: str, doc: dict[str, object]) -> None:
    """Replace `path` with `doc` in one rename."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as handle:
        json.dump(doc, handle)
    os.replace(tmp, path)


def write_text(path: str, text: str) -> None:
    """Replace `path` with `text` in one rename."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def process_start_time(pid: int) -> int:
    """The process' start time in clock ticks since boot (field 22 of /proc/PID/stat), which
    tells a process from a later one that got the same pid; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return 0
    return int(data[data.rindex(b")") + 2 :].split()[19])


# the filesystem view (as root)


# Named tuples rather than dataclasses: importing dataclasses costs the shim's start-up more.
class Op(namedtuple("Op", "kind target source recursive read_only", defaults=("", False, False))):
    """One step of building the view (kind: str, target: str, source: str, recursive: bool,
    read_only: bool): `mkdir`, `touch`, `symlink` (source is the link's text), `bind`
    (source onto target; `recursive`, `read_only`)."""

    __slots__ = ()


class HostEntry(namedtuple("HostEntry", "kind link", defaults=("",))):
    """What a host path is (kind: str, link: str): `dir`, `file` (anything else that can be
    bound) or `link` (with its text)."""

    __slots__ = ()


Inspect = Callable[[str], HostEntry | None]  # host path -> entry (None: missing)
ListDir = Callable[[str], list[str]]


def inspect_host(path: str) -> HostEntry | None:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISLNK(mode):
        return HostEntry("link", os.readlink(path))
    return HostEntry("dir" if stat.S_ISDIR(mode) else "file")


def plan_view(
    root: str,
    mounts: list[dict[str, object]],
    *,
    cwd: str = "/",
    tmp: str = "",
    extra_dirs: dict[str, str] | None = None,
    inspect: Inspect = inspect_host,
    listdir: ListDir = os.listdir,
) -> list[Op]:
    """The steps that build a container's root at `root` (see the module docstring).

    `mounts` are `{"destination", "source", "readOnly"}` (the container's volumes and pod
    files), `tmp` the directory to bind at /tmp, `extra_dirs` more read-only binds
    (destination -> host directory). A destination inside a bound host directory where the
    host has nothing of the right type (or a symlink) is made by replacing that bind with
    a directory of binds of its entries, down to the destination's parent, so nothing is
    ever created on the host's own filesystem."""
    planner = _Planner(root, inspect, listdir)
    for name in HOST_DIRS:
        planner.host(name)
    for name in EMPTY_DIRS:
        planner.ops.append(Op("mkdir", f"{root}/{name}"))
    planner.ops.append(Op("bind", f"{root}/proc", "/proc", recursive=True))
    planner.ops.append(Op("bind", f"{root}/sys", "/sys", recursive=True, read_only=True))
    for device in DEVICES:
        if inspect(f"/dev/{device}") is not None:
            planner.ops.append(Op("touch", f"{root}/dev/{device}"))
            planner.ops.append(Op("bind", f"{root}/dev/{device}", f"/dev/{device}"))
    if inspect("/dev/pts") is not None:
        planner.ops.append(Op("mkdir", f"{root}/dev/pts"))
        planner.ops.append(Op("bind", f"{root}/dev/pts", "/dev/pts"))
    for name, target in DEV_LINKS.items():
        planner.ops.append(Op("symlink", f"{root}/dev/{name}", target))
    planner.ops.append(Op("mkdir", f"{root}/dev/shm"))
    if tmp:
        planner.ops.append(Op("bind", f"{root}/tmp", tmp))
    for destination, source in sorted((extra_dirs or {}).items()):
        planner.place(destination, "dir")
        planner.ops.append(Op("bind", planner.path(destination), source, read_only=True))
    for mount in sorted(mounts, key=lambda m: _depth(str(m["destination"]))):
        destination, source = str(mount["destination"]), str(mount["source"])
        entry = inspect(source)
        kind = "dir" if entry is None or entry.kind == "dir" else "file"
        planner.place(destination, kind)
        planner.ops.append(
            Op(
                "bind",
                planner.path(destination),
                source,
                recursive=True,
                read_only=bool(mount.get("readOnly")),
            )
        )
    if cwd and cwd != "/":
        planner.place(cwd, "dir")
    return planner.ops


def _depth(path: str) -> int:
    return len([p for p in path.split("/") if p])


class _Planner:
    """Tracks which view paths are binds of host directories (`bound`), splicing them open
    when something must be placed inside."""

    def __init__(self, root: str, inspect: Inspect, listdir: ListDir) -> None:
        self.root = root
        self.inspect = inspect
        self.listdir = listdir
        self.ops: list[Op] = []
        self.bound: dict[str, int] = {}  # view path -> index of its bind op
        self.made: set[str] = set()  # view paths created in the root directory

    def path(self, view_path: str) -> str:
        return self.root + "/" + view_path.strip("/")

    def host(self, name: str) -> None:
        entry = self.inspect(f"/{name}")
        if entry is None:
            return
        if entry.kind == "link":
            self.ops.append(Op("symlink", self.path(name), entry.link))
        elif entry.kind == "dir":
            self.ops.append(Op("mkdir", self.path(name)))
            self.bound["/" + name] = len(self.ops)
            self.ops.append(Op("bind", self.path(name), f"/{name}", recursive=True, read_only=True))

    def place(self, destination: str, kind: str) -> None:
        """Make a mount point of `kind` (`dir`, `file`) at `destination`, splicing bound
        parents open where the host has nothing usable there."""
        parts = [p for p in destination.split("/") if p and p != "."]
        current = ""
        for index, part in enumerate(parts):
            current += "/" + part
            last = index == len(parts) - 1
            if current in self.made:
                continue
            if current in self.bound:
                if self._host_has(current, parts[index + 1 :], kind):
                    return  # bind over what the host has there (private to this view)
                self._splice(current, None if last else parts[index + 1], index + 1 == len(parts) - 1, kind)
                continue
            self.made.add(current)
            self.ops.append(Op("touch" if last and kind == "file" else "mkdir", self.path(current)))

    def _host_has(self, bound: str, rest: list[str], kind: str) -> bool:
        """Whether the host has a `kind` at `bound/rest`, reached through real directories."""
        path = bound
        for part in rest[:-1]:
            path += "/" + part
            entry = self.inspect(path)
            if entry is None or entry.kind != "dir":
                return False
        entry = self.inspect(path + "/" + rest[-1]) if rest else self.inspect(path)
        return entry is not None and entry.kind == kind

    def _splice(self, view_path: str, next_name: str | None, next_is_last: bool, kind: str) -> None:
        """Replace the bind of host `view_path` with a directory of binds of its entries. The
        entry the destination goes through next is left for `place` to make unless it is a
        directory that can be entered (or is the destination, wanted as a directory)."""
        index = self.bound.pop(view_path)
        self.ops[index] = Op("mkdir", self.path(view_path))  # the directory stays, unbound
        self.made.add(view_path)
        for name in sorted(self.listdir(view_path)):
            host_path = f"{view_path}/{name}"
            entry = self.inspect(host_path)
            if entry is None:
                continue
            if name == next_name and not (entry.kind == "dir" and (not next_is_last or kind == "dir")):
                continue
            if entry.kind == "link":
                self.ops.append(Op("symlink", self.path(host_path), entry.link))
                self.made.add(host_path)
                continue
            self.ops.append(Op("mkdir" if entry.kind == "dir" else "touch", self.path(host_path)))
            if entry.kind == "dir":
                self.bound[host_path] = len(self.ops)
            self.ops.append(Op("bind", self.path(host_path), host_path, recursive=True, read_only=True))


def plan_links(root: str, mounts: list[dict[str, object]], *, cwd: str = "/") -> tuple[list[Op], list[str]]:
    """The view without root: each mount is a symlink at `<root>/<destination>`. Returns
    the steps and the destinations that cannot be shown (inside another mount: making them
    would write into that volume)."""
    ops: list[Op] = []
    made: set[str] = set()
    linked: list[str] = []
    skipped: list[str] = []
    for mount in sorted(mounts, key=lambda m: _depth(str(m["destination"]))):
        destination = "/" + str(mount["destination"]).strip("/")
        if any(destination.startswith(link + "/") or destination == link for link in linked):
            skipped.append(destination)
            continue
        _mkdirs(root, destination.rsplit("/", 1)[0], ops, made)
        ops.append(Op("symlink", root + destination, str(mount["source"])))
        linked.append(destination)
    if cwd and cwd != "/" and not any(cwd == link or cwd.startswith(link + "/") for link in linked):
        _mkdirs(root, cwd, ops, made)
    return ops, skipped


def _mkdirs(root: str, path: str, ops: list[Op], made: set[str]) -> None:
    current = ""
    for part in [p for p in path.split("/") if p]:
        current += "/" + part
        if current not in made:
            made.add(current)
            ops.append(Op("mkdir", root + current))


def apply_ops(ops: list[Op]) -> None:
    """Carry out the steps (binds need root and a private mount namespace)."""
    for op in ops:
        if op.kind == "mkdir":
            os.makedirs(op.target, exist_ok=True)
        elif op.kind == "touch":
            os.makedirs(os.path.dirname(op.target), exist_ok=True)
            if not os.path.lexists(op.target):
                os.close(os.open(op.target, os.O_CREAT | os.O_WRONLY, 0o644))
        elif op.kind == "symlink":
            os.makedirs(os.path.dirname(op.target), exist_ok=True)
            if os.path.islink(op.target):
                os.unlink(op.target)
            os.symlink(op.source, op.target)
        elif op.kind == "bind":
            flags = MS_BIND | (MS_REC if op.recursive else 0)
            _mount(op.source, op.target, flags)
            if op.read_only:
                _mount("", op.target, MS_BIND | MS_REMOUNT | MS_RDONLY)


_libc = None


def _load_libc():  # type: ignore[no-untyped-def]
    global _libc
    if _libc is None:
        import ctypes

        # The interpreter's own symbols include libc's. Not ctypes.util.find_library: it
        # imports subprocess, shutil and tempfile and runs `ldconfig -p`, which was most of
        # a chrooted container's start-up (measured ~0.1 s of a loaded machine's time).
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _mount(source: str, target: str, flags: int) -> None:
    import ctypes

    if _load_libc().mount(source.encode() or None, target.encode(), None, flags, None) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"mount {source or '(remount)'} on {target}: {os.strerror(code)}")


def private_mount_namespace() -> None:
    """Move this process into a new mount namespace that shares nothing back with the host."""
    import ctypes

    if _load_libc().unshare(CLONE_NEWNS) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"unshare(CLONE_NEWNS): {os.strerror(code)}")
    _mount("none", "/", MS_REC | MS_PRIVATE)


# running the command


class ProcessConfig:
    """What to run, as the agent writes it to `process.json`.

    `args[0]` is looked up on the PATH of `env` (inside the view when `chroot`); `cwd` is
    the working directory inside the view; `mounts` are `{"destination", "source",
    "readOnly"}`; `user` (uid, gid, supplementary groups) is applied only when set (the
    agent sets it only as root). A plain class, not a dataclass (see `Op`)."""

    __slots__ = ("args", "chroot", "cwd", "env", "extra_dirs", "log", "mounts", "root", "terminal", "user")

    def __init__(
        self,
        args: list[str],
        env: list[str],
        root: str,
        log: str,
        cwd: str = "/",
        chroot: bool = False,
        terminal: bool = False,
        mounts: list[dict[str, object]] | None = None,
        extra_dirs: dict[str, str] | None = None,
        user: tuple[int, int, list[int]] | None = None,
    ) -> None:
        self.args = args
        self.env = env
        self.root = root
        self.log = log
        self.cwd = cwd
        self.chroot = chroot
        self.terminal = terminal
        self.mounts = mounts if mounts is not None else []
        self.extra_dirs = extra_dirs if extra_dirs is not None else {}
        self.user = user

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProcessConfig) and self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"ProcessConfig({fields})"

    def to_json(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "args": self.args,
            "env": self.env,
            "root": self.root,
            "log": self.log,
            "cwd": self.cwd,
            "chroot": self.chroot,
            "terminal": self.terminal,
            "mounts": self.mounts,
            "extraDirs": self.extra_dirs,
        }
        if self.user is not None:
            uid, gid, groups = self.user
            doc["user"] = {"uid": uid, "gid": gid, "groups": groups}
        return doc

    @classmethod
    def from_json(cls, doc: dict) -> ProcessConfig:  # type: ignore[type-arg]  # JSON of any shape
        user = doc.get("user")
        return cls(
            args=[str(a) for a in doc["args"]],
            env=[str(e) for e in doc.get("env") or []],
            root=str(doc["root"]),
            log=str(doc["log"]),
            cwd=str(doc.get("cwd") or "/"),
            chroot=bool(doc.get("chroot")),
            terminal=bool(doc.get("terminal")),
            mounts=list(doc.get("mounts") or []),
            extra_dirs=dict(doc.get("extraDirs") or {}),
            user=(int(user["uid"]), int(user["gid"]), [int(g) for g in user.get("groups") or []])
            if isinstance(user, dict)
            else None,
        )


class Shim:
    """Starts the command of one container and watches it to the end."""

    def __init__(self, container_dir: str) -> None:
        self.dir = os.path.abspath(container_dir)
        with open(os.path.join(self.dir, "process.json")) as handle:
            self.config = ProcessConfig.from_json(json.load(handle))
        self.selector = selectors.DefaultSelector()
        self.writers: dict[int, LogWriter] = {}
        self.pid = 0
        self.status: int | None = None  # the main process' wait status once it ended

    def run(self) -> int:
        config = self.config
        log_fd = os.open(config.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
        wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        # The agent stops containers by signalling them; the shim outlives such signals.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        try:
            self._prepare_view()
        except OSError as err:
            return self._start_failed(log_fd, f"preparing the container's filesystem view: {err}")
        outputs = self._spawn()
        if isinstance(outputs, str):
            return self._start_failed(log_fd, outputs)
        write_json(
            os.path.join(self.dir, "state.json"),
            {"pid": self.pid, "startTime": process_start_time(self.pid), "startedAt": timestamp()},
        )
        _close_stdout()  # tells the agent the command runs
        for fd, stream in outputs:
            os.set_blocking(fd, False)
            self.writers[fd] = LogWriter(log_fd, stream)
            self.selector.register(fd, selectors.EVENT_READ)
        self.selector.register(wake_r, selectors.EVENT_READ)
        self._loop(wake_r)
        for writer in self.writers.values():
            writer.close()
        os.close(log_fd)
        self._write_exit()
        os.waitpid(self.pid, 0)  # only now may the pid be reused
        return 0

    def _prepare_view(self) -> list[Op]:
        config = self.config
        os.makedirs(config.root, exist_ok=True)
        if not config.chroot:
            ops, skipped = plan_links(config.root, config.mounts, cwd=config.cwd)
            for destination in skipped:
                print(f"{destination}: inside another mount, not shown", file=sys.stderr)
            apply_ops(ops)
            return ops
        private_mount_namespace()
        tmp = os.path.join(self.dir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        os.chmod(tmp, 0o1777)
        ops = plan_view(config.root, config.mounts, cwd=config.cwd, tmp=tmp, extra_dirs=config.extra_dirs)
        apply_ops(ops)
        return ops

    def _spawn(self) -> list[tuple[int, str]] | str:
        """Fork and exec the command; its output fds, or why it could not start."""
        terminal = self.config.terminal
        if terminal:
            master, slave = os.openpty()
            pipes = [(master, slave, "stdout")]
        else:
            pipes = [(*os.pipe(), "stdout"), (*os.pipe(), "stderr")]
        report_r, report_w = os.pipe2(os.O_CLOEXEC)
        pid = os.fork()
        if pid == 0:  # the child: nothing here may return
            try:
                os.close(report_r)
                self._child([w for _, w, _ in pipes], terminal)
            except BaseException as err:  # reported to the parent, then the child exits
                message = getattr(err, "strerror", None) or str(err)
                try:
                    os.write(report_w, str(message).encode())
                finally:
                    os._exit(START_ERROR_EXIT)
        self.pid = pid
        os.close(report_w)
        for _, write_end, _ in pipes:
            os.close(write_end)
        failure = b""
        while chunk := os.read(report_r, 4096):
            failure += chunk
        os.close(report_r)
        if failure:
            os.waitpid(pid, 0)
            for read_end, _, _ in pipes:
                os.close(read_end)
            return failure.decode(errors="replace")
        return [(r, stream) for r, _, stream in pipes]

    def _child(self, writes: list[int], terminal: bool) -> None:
        config = self.config
        os.setsid()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGCHLD, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(writes[0], 1)
        os.dup2(writes[-1], 2)
        if terminal:
            import fcntl
            import termios

            fcntl.ioctl(writes[0], termios.TIOCSCTTY, 0)
            os.dup2(writes[0], 0)
        if config.chroot:
            os.chroot(config.root)
            os.chdir(config.cwd or "/")
        else:
            os.chdir(config.root + "/" + config.cwd.strip("/"))
        if config.user is not None:
            uid, gid, groups = config.user
            os.setgroups(groups)
            os.setgid(gid)
            os.setuid(uid)
        env = dict(item.partition("=")[::2] for item in config.env)
        os.execve(find_executable(config.args[0], env.get("PATH", "")), config.args, env)

    def _loop(self, wake_r: int) -> None:
        deadline: float | None = None
        while self.writers and (deadline is None or _monotonic() < deadline):
            timeout = None if deadline is None else max(0.0, deadline - _monotonic())
            for key, _ in self.selector.select(timeout):
                fd = int(key.fd)  # type: ignore[arg-type]
                if fd == wake_r:
                    _drain(wake_r)
                    if self.status is None and self._main_exited():
                        deadline = _monotonic() + DRAIN_SECONDS
                    continue
                self._read(fd)
            if self.status is None and self._main_exited():
                deadline = _monotonic() + DRAIN_SECONDS
        if self.status is None:
            os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOWAIT)
            self._main_exited()

    def _main_exited(self) -> bool:
        """Whether the main process has ended (without reaping it); if so, its process group
        is killed, as a container's processes end with its init."""
        self._reap_others()
        try:
            result = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return False
        if result is None:
            return False
        self.status = result.si_status if result.si_code == os.CLD_EXITED else -result.si_status
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except OSError:
            pass
        return True

    def _reap_others(self) -> None:
        """Reap exited children other than the main process (none unless adopted)."""
        while True:
            try:
                result = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return
            if result is None or result.si_pid == self.pid:
                return
            os.waitpid(result.si_pid, 0)

    def _read(self, fd: int) -> None:
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: a terminal whose last user is gone
            data = b""
        if data:
            self.writers[fd].feed(data)
            return
        self.writers.pop(fd).close()
        self.selector.unregister(fd)
        os.close(fd)

    def _write_exit(self) -> None:
        code = self.status if self.status is not None else START_ERROR_EXIT
        result: dict[str, object] = {"finishedAt": timestamp()}
        if code < 0:  # killed by a signal: reported as 128+N, as shells and crun do
            result.update(exitCode=128 - code, signal=-code)
        else:
            result["exitCode"] = code
        write_json(os.path.join(self.dir, "exit.json"), result)

    def _start_failed(self, log_fd: int, message: str) -> int:
        LogWriter(log_fd, "stderr").feed(f"{message}\n".encode())
        os.close(log_fd)
        write_json(
            os.path.join(self.dir, "exit.json"),
            {"exitCode": START_ERROR_EXIT, "finishedAt": timestamp(), "message": message},
        )
        _close_stdout()
        return 0


def find_executable(name: str, path: str) -> str:
    """`name` as the kernel should run it: a path as given, else the first executable of
    that name on `path` (raises FileNotFoundError with the message runtimes give)."""
    if "/" in name:
        return name
    for directory in path.split(":"):
        candidate = os.path.join(directory or ".", name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(errno.ENOENT, f'exec: "{name}": executable file not found in $PATH')


def _max_fd() -> int:
    try:
        return int(os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        return 65536


def _monotonic() -> float:
    import time

    return time.monotonic()


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass


def _close_stdout() -> None:
    try:
        os.close(1)
        devnull = os.open("/dev/null", os.O_WRONLY)
        if devnull != 1:
            os.dup2(devnull, 1)
            os.close(devnull)
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: shim.py CONTAINER_DIR", file=sys.stderr)
        return 2
    # Whatever the agent's event loop let us inherit (uvloop spawns without closing fds: its
    # sockets, the write end of our own stdout pipe) must not live on in us or the container.
    os.closerange(3, _max_fd())
    shim = Shim(args[0])  # reads process.json first: a bad one fails the start visibly
    if os.fork() > 0:
        os._exit(0)  # the agent waits for this one; the shim goes on detached
    os.setsid()
    write_text(os.path.join(shim.dir, "shim.pid"), str(os.getpid()))
    return shim.run()


if __name__ == "__main__":
    sys.exit(main())
