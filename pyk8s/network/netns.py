"""Network namespaces and iproute2, as the pod network uses them.

Every change goes through `ip` (iproute2) run as a child process: it is the reference
netlink client, its error messages are what operators know, and one `ip -batch` applies
many changes in one exec. A socket is opened inside a namespace by a thread that enters
it only for the `socket()` call: the socket stays in that namespace for its whole life,
while the process (and its event loop) never leaves the root namespace.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import json
import os
import socket
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

NETNS_DIR = Path("/run/netns")
CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


class NetnsError(Exception):
    """An `ip` command (or another network helper) failed; the message is its stderr."""


def netns_path(name: str) -> Path:
    """Where `ip netns` keeps the namespace called `name`."""
    return NETNS_DIR / name


def netns_exists(name: str) -> bool:
    return netns_path(name).exists()


async def run(
    *command: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None, check: bool = True
) -> tuple[int, bytes, bytes]:
    """Run `command`; return (exit code, stdout, stderr). With `check`, a non-zero exit
    raises `NetnsError` carrying stderr."""
    proc = await asyncio.create_subprocess_exec(
        *command,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env) if env is not None else None,
    )
    out, err = await proc.communicate(stdin)
    code = proc.returncode or 0
    if check and code != 0:
        text = err.decode(errors="replace").strip() or out.decode(errors="replace").strip()
        raise NetnsError(f"{' '.join(command)}: {text}")
    return code, out, err


async def ip(*args: str, netns: str | None = None, check: bool = True) -> str:
    """`ip [-n netns] args...`; returns stdout."""
    prefix = ("ip", "-n", netns) if netns else ("ip",)
    _, out, _ = await run(*prefix, *args, check=check)
    return out.decode()


async def ip_json(*args: str, netns: str | None = None) -> list[dict[str, Any]]:
    """`ip -j [-n netns] args...`, decoded (an empty answer is an empty list)."""
    prefix = ("ip", "-j", "-n", netns) if netns else ("ip", "-j")
    _, out, _ = await run(*prefix, *args)
    text = out.decode().strip()
    return list(json.loads(text)) if text else []


async def ip_batch(commands: Sequence[str], *, netns: str | None = None) -> None:
    """Several `ip` commands in one exec (`ip -batch -`); stops at the first failure."""
    if not commands:
        return
    prefix = ("ip", "-n", netns) if netns else ("ip",)
    await run(*prefix, "-batch", "-", stdin=("\n".join(commands) + "\n").encode())


async def add_netns(name: str) -> bool:
    """Create the namespace `name` with its loopback up; False if it already existed."""
    if netns_exists(name):
        return False
    code, _, err = await run("ip", "netns", "add", name, check=False)
    if code != 0:
        if netns_exists(name):  # created concurrently by another agent
            return False
        raise NetnsError(f"ip netns add {name}: {err.decode(errors='replace').strip()}")
    await ip("link", "set", "lo", "up", netns=name)
    return True


async def delete_netns(name: str) -> None:
    """Delete the namespace `name` (its links go with it); nothing if it does not exist."""
    if not netns_exists(name):
        return
    code, _, err = await run("ip", "netns", "delete", name, check=False)
    if code != 0 and netns_exists(name):
        raise NetnsError(f"ip netns delete {name}: {err.decode(errors='replace').strip()}")


async def link_exists(name: str, *, netns: str | None = None) -> bool:
    code, _, _ = await run(*(("ip", "-n", netns) if netns else ("ip",)), "link", "show", name, check=False)
    return code == 0


async def sysctl(netns: str, key: str, value: str) -> None:
    """Set a per-namespace sysctl (`net.*`) inside `netns`."""
    path = "/proc/sys/" + key.replace(".", "/")
    await asyncio.to_thread(_write_in_netns, netns_path(netns), path, value)


def _write_in_netns(netns: Path, path: str, value: str) -> None:
    with _entered(netns), open(path, "w") as handle:
        handle.write(value)


def socket_in_netns(
    netns: Path, family: int = socket.AF_INET, kind: int = socket.SOCK_STREAM, proto: int = 0
) -> socket.socket:
    """A socket that belongs to the network namespace at `netns` (blocking: call it from a
    thread, as `open_socket_in_netns` does)."""
    with _entered(netns):
        return socket.socket(family, kind, proto)


async def open_socket_in_netns(
    netns: Path, family: int = socket.AF_INET, kind: int = socket.SOCK_STREAM
) -> socket.socket:
    """`socket_in_netns` on a worker thread, so the event loop's thread never changes
    namespace."""
    return await asyncio.to_thread(socket_in_netns, netns, family, kind)


class _entered:
    """Switch the calling thread into a network namespace and back."""

    def __init__(self, netns: Path) -> None:
        self.netns = netns
        self.own = -1

    def __enter__(self) -> None:
        self.own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        try:
            target = os.open(self.netns, os.O_RDONLY)
        except OSError:
            os.close(self.own)  # no namespace to enter: __exit__ will not run
            raise
        try:
            if _libc.setns(target, CLONE_NEWNET) != 0:
                errno = ctypes.get_errno()
                os.close(self.own)
                raise NetnsError(f"setns {self.netns}: {os.strerror(errno)}")
        finally:
            os.close(target)

    def __exit__(self, *exc: object) -> None:
        try:
            if _libc.setns(self.own, CLONE_NEWNET) != 0:
                # A pooled thread left in another namespace would open the next socket there.
                os._exit(70)
        finally:
            os.close(self.own)
