"""Sockets inside a named network namespace, from a process that stays in its own.

A socket belongs to the network namespace of the thread that created it, for its whole
life. So a component running in the host namespace (where it reaches the API server on
127.0.0.1) can still listen on a node host namespace's address, or connect to pod IPs
routed only there: a short-lived thread enters the namespace (`setns`), creates and binds
the socket, and exits; the event loop then serves the socket as any other. Only that
thread ever changes namespace, never the loop's.

Python 3.11 has no `os.setns`, hence libc through ctypes.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

NETNS_DIR = Path("/run/netns")
CLONE_NEWNET = 0x40000000

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def netns_path(name: str) -> Path:
    """The bind mount of namespace `name` (`ip netns` names), or `name` itself if it is a path."""
    return Path(name) if name.startswith("/") else NETNS_DIR / name


def netns_exists(name: str) -> bool:
    return netns_path(name).exists()


def netns_inode(name: str) -> int | None:
    """The namespace's identity (nsfs inode), to notice that a name now means a new namespace."""
    try:
        return os.stat(netns_path(name)).st_ino
    except OSError:
        return None


def _enter(name: str) -> None:
    fd = os.open(netns_path(name), os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns({name}): {os.strerror(err)}")
    finally:
        os.close(fd)


def call_in_netns(name: str | None, func: Callable[[], T]) -> T:
    """Run `func` in a new thread that entered network namespace `name` (None: call it here).

    Blocks the caller until it returns (a `setns` and a few socket calls: well under a
    millisecond), so it may be used from synchronous callbacks such as a socket factory.
    """
    if name is None:
        return func()
    box: dict[str, object] = {}

    def target() -> None:
        try:
            _enter(name)
            box["value"] = func()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"netns {name}", daemon=True)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


async def acall_in_netns(name: str | None, func: Callable[[], T]) -> T:
    """`call_in_netns` without blocking the event loop."""
    if name is None:
        return func()
    return await asyncio.to_thread(call_in_netns, name, func)


def make_socket(
    kind: int,
    address: tuple[str, int] | None = None,
    *,
    netns: str | None = None,
    reuse_address: bool = False,
) -> socket.socket:
    """A non-blocking socket (`SOCK_STREAM`/`SOCK_DGRAM`) for `address`'s family, created in
    `netns` and bound to `address` when one is given."""

    def create() -> socket.socket:
        host = address[0] if address else "0.0.0.0"
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, kind)
        try:
            if reuse_address:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if address is not None:
                sock.bind(address)
            sock.setblocking(False)
        except BaseException:
            sock.close()
            raise
        return sock

    return call_in_netns(netns, create)
