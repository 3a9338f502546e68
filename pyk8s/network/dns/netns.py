"""Sockets inside a node host's network namespace (DNS, ingress and policy components),
on the shared `pyk8s.network.netns`.

A socket belongs to the network namespace it was created in for its whole life, and
binding or connecting it later uses that namespace whatever thread does it. So only the
`socket()` call runs in the namespace, on a one-off worker thread so the caller's thread
(often the event loop's) never changes namespace; binding and options are set afterwards.
Callers here expect `OSError` for any failure, so the shared `NetnsError` is turned into one.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from pyk8s.network import netns as shared
from pyk8s.network.netns import NetnsError, netns_path, socket_in_netns

T = TypeVar("T")


def netns_inode(name: str) -> int | None:
    """The namespace's identity (nsfs inode), to notice that a name now means a new namespace;
    None when there is no such namespace. `name` is an `ip netns` name or a path."""
    try:
        return os.stat(netns_path(name)).st_ino
    except OSError:
        return None


def _on_fresh_thread(name: str, func: Callable[[], T]) -> T:
    # A fresh thread each time: synchronous callers (a socket factory, the listener setup)
    # need no event loop, and no pooled thread is reused after visiting a namespace.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"netns {name}") as pool:
        try:
            return pool.submit(func).result()
        except NetnsError as err:
            raise OSError(f"network namespace {name}: {err}") from err


def call_in_netns(name: str | None, func: Callable[[], T]) -> T:
    """Run `func` on a thread inside network namespace `name` (None: call it here), blocking
    the caller (a `setns` and a `socket()`: well under a millisecond)."""
    if name is None:
        return func()

    def entered() -> T:
        # `_entered` is the shared module's setns guard; it restores the thread's namespace.
        with shared._entered(netns_path(name)):
            return func()

    return _on_fresh_thread(name, entered)


def _create(kind: int, family: int, netns: str | None) -> socket.socket:
    if netns is None:
        return socket.socket(family, kind)
    return _on_fresh_thread(netns, lambda: socket_in_netns(netns_path(netns), family, kind))


def make_socket(
    kind: int,
    address: tuple[str, int] | None = None,
    *,
    netns: str | None = None,
    reuse_address: bool = False,
) -> socket.socket:
    """A non-blocking socket (`SOCK_STREAM`/`SOCK_DGRAM`) for `address`'s family, created in
    `netns` and bound to `address` when one is given; `OSError` when it cannot be."""
    host = address[0] if address else "0.0.0.0"
    sock = _create(kind, socket.AF_INET6 if ":" in host else socket.AF_INET, netns)
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
