"""The DNS component's namespace sockets ride on the shared `pyk8s.network.netns`: a socket
made for a namespace lives there (it can bind an address only that namespace has), the
namespace identity is read from the shared path, and failures surface as `OSError`."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Iterator

import pytest

import pyk8s.network.dns.netns as dns_netns
from pyk8s.network.dns.netns import call_in_netns, make_socket, netns_inode
from pyk8s.network.netns import netns_path

from .test_dns import need_root_tools

ADDRESS = "10.240.78.1"


@pytest.fixture
def namespace() -> Iterator[str]:
    need_root_tools()
    name = f"s7dns-{uuid.uuid4().hex[:6]}"
    subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True, capture_output=True)
        subprocess.run(
            ["ip", "-n", name, "addr", "add", f"{ADDRESS}/32", "dev", "lo"], check=True, capture_output=True
        )
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def test_no_setns_of_its_own() -> None:
    # the duplicate libc/setns machinery is gone: entering a namespace is the shared module's job
    assert not hasattr(dns_netns, "_libc") and not hasattr(dns_netns, "CLONE_NEWNET")


def test_a_missing_namespace_has_no_inode_and_cannot_be_entered() -> None:
    name = f"s7-missing-{uuid.uuid4().hex[:6]}"
    assert netns_inode(name) is None
    with pytest.raises(OSError):
        make_socket(socket.SOCK_DGRAM, ("127.0.0.1", 0), netns=name)


def test_sockets_live_in_the_namespace(namespace: str) -> None:
    assert netns_inode(namespace) == os.stat(netns_path(namespace)).st_ino
    # the address exists only inside the namespace: binding proves where the socket lives
    with pytest.raises(OSError):
        make_socket(socket.SOCK_DGRAM, (ADDRESS, 0)).close()
    udp = make_socket(socket.SOCK_DGRAM, (ADDRESS, 0), netns=namespace)
    tcp = make_socket(socket.SOCK_STREAM, (ADDRESS, 0), netns=namespace, reuse_address=True)
    try:
        assert udp.getsockname()[0] == ADDRESS and tcp.getsockname()[0] == ADDRESS
        assert not udp.getblocking()
    finally:
        udp.close()
        tcp.close()
    raw = call_in_netns(namespace, lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    try:
        raw.bind((ADDRESS, 0))
    finally:
        raw.close()
    # the caller's own thread never left its namespace
    host = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(OSError):
            host.bind((ADDRESS, 0))
    finally:
        host.close()
