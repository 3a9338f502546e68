"""Pod sandboxes without a pause process: the pod's network, IPC and UTS namespaces are
kept alive by bind mounts (as `ip netns add` does for networks), and every container of
the pod joins them by path. The sandbox directory also holds the pod's /etc/hosts,
/etc/resolv.conf, /etc/hostname and a shared /dev/shm.

The namespaces are made with system calls, not by spawning `ip` and `unshare` (three
processes per pod, which dominated sandbox creation on a loaded machine): a short-lived
thread unshares the network, IPC and UTS namespaces, sets the host name and brings `lo`
up inside them, and bind-mounts its `/proc/thread-self/ns/*` files onto the sandbox's
paths. Namespaces belong to the thread that made them, so the thread simply ends: the
agent's other threads never leave theirs. The network namespace is at
`/run/netns/pyk8s-<pod uid>`, exactly where `ip netns add` puts it, so `ip netns exec` and
CNI plugins find it as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import logging
import os
import shutil
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pyk8s.node.oci.rootfs import mount, unmount

log = logging.getLogger("pyk8s.node.oci")

NETNS_DIR = Path("/run/netns")
SHM_SIZE = 64 * 1024 * 1024

CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS = 0x40000000, 0x08000000, 0x04000000
MS_BIND, MS_REC, MS_SHARED = 0x1000, 0x4000, 1 << 20
SIOCGIFFLAGS, SIOCSIFFLAGS = 0x8913, 0x8914
IFF_UP = 0x1
IFREQ = struct.Struct("16sH14x")  # ifr_name, ifr_flags (the rest of the union)

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_netns_dir_ready = threading.Lock()
_netns_dir_shared = False
T = TypeVar("T")


class SandboxError(Exception):
    """A sandbox namespace could not be made or removed."""


@dataclass(slots=True)
class PodSandbox:
    """Paths of one pod's shared namespaces and files."""

    pod_uid: str
    directory: Path
    # pod network (issue 9): a hostNetwork pod joins its node's namespace instead of its own
    host_netns: Path | None = None

    @property
    def netns_name(self) -> str:
        return self.host_netns.name if self.host_netns is not None else f"pyk8s-{self.pod_uid}"

    @property
    def netns_path(self) -> Path:
        return self.host_netns if self.host_netns is not None else NETNS_DIR / self.netns_name

    @property
    def ipc_path(self) -> Path:
        return self.directory / "ns" / "ipc"

    @property
    def uts_path(self) -> Path:
        return self.directory / "ns" / "uts"

    @property
    def shm_path(self) -> Path:
        return self.directory / "shm"

    def namespaces(self) -> dict[str, str]:
        """The OCI `linux.namespaces` paths a container of this pod joins."""
        return {"network": str(self.netns_path), "ipc": str(self.ipc_path), "uts": str(self.uts_path)}

    def exists(self) -> bool:
        return self.netns_path.exists() and self.uts_path.exists()


def _check(result: int, what: str) -> None:
    if result != 0:
        code = ctypes.get_errno()
        raise SandboxError(f"{what}: {os.strerror(code)}")


def _share_netns_dir() -> None:
    """Make /run/netns a shared mount point, as `ip netns add` does, so namespaces pinned
    there later also appear in mount namespaces copied before (crun's, for one)."""
    global _netns_dir_shared
    with _netns_dir_ready:
        if _netns_dir_shared:
            return
        NETNS_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
        target = str(NETNS_DIR).encode()
        if _libc.mount(b"none", target, None, MS_SHARED | MS_REC, None) != 0:
            if ctypes.get_errno() != errno.EINVAL:  # EINVAL: not a mount point yet
                _check(-1, f"mount --make-rshared {NETNS_DIR}")
            _check(_libc.mount(target, target, None, MS_BIND | MS_REC, None), f"bind {NETNS_DIR}")
            _check(_libc.mount(b"none", target, None, MS_SHARED | MS_REC, None), f"share {NETNS_DIR}")
        _netns_dir_shared = True


def _pin(kind: str, target: Path) -> None:
    """Keep this thread's `kind` namespace alive by bind-mounting it onto `target`."""
    if not target.exists():
        target.touch()
    mount(f"/proc/thread-self/ns/{kind}", target, "none", "", MS_BIND)


def _loopback_up() -> None:
    """`ip link set lo up` in the calling thread's network namespace."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = IFREQ.pack(b"lo", 0)
        _, flags = IFREQ.unpack(fcntl.ioctl(sock.fileno(), SIOCGIFFLAGS, request))
        fcntl.ioctl(sock.fileno(), SIOCSIFFLAGS, IFREQ.pack(b"lo", flags | IFF_UP))


def _make_namespaces(sandbox: PodSandbox, hostname: str) -> None:
    """In a thread of its own: new network, IPC and UTS namespaces for the pod, pinned to
    the sandbox's paths. The thread ends with them; nothing else ever enters them here."""
    _share_netns_dir()
    flags = CLONE_NEWIPC | CLONE_NEWUTS | (0 if sandbox.netns_path.exists() else CLONE_NEWNET)
    _check(_libc.unshare(flags), "unshare(network, ipc, uts)")
    name = hostname[:63].encode()
    _check(_libc.sethostname(name, len(name)), f"sethostname {hostname[:63]}")
    if flags & CLONE_NEWNET:
        _loopback_up()
        _pin("net", sandbox.netns_path)
    _pin("ipc", sandbox.ipc_path)
    _pin("uts", sandbox.uts_path)
    # The pod's /dev/shm, here rather than through the default thread pool, where it waited
    # behind other pods' file work when many started at once (mounts are per process, so
    # this thread's other namespaces do not matter to it).
    sandbox.shm_path.mkdir(exist_ok=True)
    mount("shm", sandbox.shm_path, "tmpfs", f"mode=1777,size={SHM_SIZE}", 0)


async def _in_own_thread(work: Callable[[], T]) -> T:
    """Run `work` in a new thread that ends afterwards (whatever namespaces it entered)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        try:
            result = work()
        except BaseException as err:  # handed to the waiting coroutine
            loop.call_soon_threadsafe(_settle, future, None, err)
        else:
            loop.call_soon_threadsafe(_settle, future, result, None)

    threading.Thread(target=run, name="pod-sandbox", daemon=True).start()
    return await future


def _settle(future: asyncio.Future[T], result: T | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]


async def create_sandbox(
    root: Path, pod_uid: str, hostname: str, *, host_netns: Path | None = None
) -> PodSandbox:
    """Make (or find again) the sandbox of pod `pod_uid` under `root` (joining the network
    namespace `host_netns` instead of a new one, when given)."""
    sandbox = PodSandbox(pod_uid, root / pod_uid, host_netns)
    if sandbox.exists():
        return sandbox
    (sandbox.directory / "ns").mkdir(parents=True, exist_ok=True)
    try:
        await _in_own_thread(lambda: _make_namespaces(sandbox, hostname))
    except (SandboxError, OSError) as err:
        await remove_sandbox(sandbox)
        if isinstance(err, SandboxError):
            raise
        raise SandboxError(f"pod sandbox {pod_uid}: {err}") from None
    return sandbox


def _release(sandbox: PodSandbox) -> None:
    for path in (sandbox.ipc_path, sandbox.uts_path, sandbox.shm_path):
        with contextlib.suppress(OSError):
            unmount(path)
    if sandbox.host_netns is None and sandbox.netns_path.exists():  # what `ip netns delete` does
        try:
            unmount(sandbox.netns_path)
            sandbox.netns_path.unlink()
        except OSError as err:
            log.warning("could not delete network namespace %s: %s", sandbox.netns_name, err)
    shutil.rmtree(sandbox.directory, ignore_errors=True)


async def remove_sandbox(sandbox: PodSandbox) -> None:
    """Release the sandbox's namespaces and files; safe to repeat."""
    await asyncio.to_thread(_release, sandbox)


class NamespaceSandboxes:
    """The oci runtime's `SandboxManager` (`pyk8s.node.runtime`): sandboxes under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def create(self, pod_uid: str, hostname: str, *, host_netns: Path | None = None) -> PodSandbox:
        return await create_sandbox(self.root, pod_uid, hostname, host_netns=host_netns)

    async def remove(self, sandbox: PodSandbox) -> None:
        await remove_sandbox(sandbox)
