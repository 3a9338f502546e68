"""Listing and deleting connection tracking entries over ctnetlink, in one network namespace.

The service proxy needs two operations only: dump the IPv4 entries of one protocol, and
delete some of them. Both are ctnetlink messages (netfilter netlink, subsystem 1), so they
are encoded here with `struct` over a stdlib `AF_NETLINK` socket rather than by running
the `conntrack` tool: no new system package, no exec per deletion, and a netlink socket
created inside a namespace (`pyk8s.network.netns.socket_in_netns`) talks to that
namespace's table for its whole life, so no `nsenter` either.

    nlmsghdr  len u32 | type u16 = (1 << 8) | GET(1) or DELETE(2) | flags u16 | seq | pid
    nfgenmsg  family u8 = AF_INET | version u8 = 0 | res_id be16 = 0
    attributes (nlattr: len u16, type u16, payload padded to 4 bytes):
      CTA_TUPLE_ORIG / CTA_TUPLE_REPLY (nested)
        CTA_TUPLE_IP (nested): CTA_IP_V4_SRC, CTA_IP_V4_DST (4 bytes, network order)
        CTA_TUPLE_PROTO (nested): CTA_PROTO_NUM (u8), CTA_PROTO_SRC_PORT / _DST_PORT (be16)
      CTA_ID (be32), CTA_ZONE (be16)

Deletions carry the entry's id as well as its original tuple, so an entry created again
with the same addresses after the dump (a fresh, correctly NATed flow) is not deleted: the
kernel answers ENOENT instead. Everything here blocks: call it from a worker thread.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pyk8s.network.netns import socket_in_netns

NETLINK_NETFILTER = 12
NFNL_SUBSYS_CTNETLINK = 1
IPCTNL_MSG_CT_GET, IPCTNL_MSG_CT_DELETE = 1, 2
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x2, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3FFF

CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_ID, CTA_ZONE = 1, 2, 12, 18
CTA_TUPLE_IP, CTA_TUPLE_PROTO = 1, 2
CTA_IP_V4_SRC, CTA_IP_V4_DST = 1, 2
CTA_PROTO_NUM, CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT = 1, 2, 3

PROTOCOL_NUMBERS = {"TCP": socket.IPPROTO_TCP, "UDP": socket.IPPROTO_UDP, "SCTP": 132}
_HEADER = struct.Struct("=IHHII")  # nlmsghdr, host byte order
_NFGEN = struct.Struct("=BBH")
_ATTR = struct.Struct("=HH")
RECV_BUFFER = 1 << 18


class ConntrackError(OSError):
    """The kernel refused a ctnetlink request."""


@dataclass(frozen=True)
class Tuple:
    """One direction of a tracked flow."""

    src: str
    dst: str
    sport: int
    dport: int


@dataclass(frozen=True)
class Flow:
    """One conntrack entry: its original and reply tuples (they differ when NATed)."""

    protocol: int
    original: Tuple
    reply: Tuple
    id: int = 0
    zone: int = 0


# encoding


def _attr(kind: int, payload: bytes) -> bytes:
    size = _ATTR.size + len(payload)
    return _ATTR.pack(size, kind) + payload + b"\0" * (-size % 4)


def _nested(kind: int, *children: bytes) -> bytes:
    return _attr(kind | NLA_F_NESTED, b"".join(children))


def _message(kind: int, flags: int, seq: int, attributes: bytes = b"") -> bytes:
    body = _NFGEN.pack(socket.AF_INET, 0, 0) + attributes
    msg_type = (NFNL_SUBSYS_CTNETLINK << 8) | kind
    return _HEADER.pack(_HEADER.size + len(body), msg_type, flags, seq, 0) + body


def _tuple_attr(kind: int, protocol: int, t: Tuple) -> bytes:
    return _nested(
        kind,
        _nested(
            CTA_TUPLE_IP,
            _attr(CTA_IP_V4_SRC, ipaddress.IPv4Address(t.src).packed),
            _attr(CTA_IP_V4_DST, ipaddress.IPv4Address(t.dst).packed),
        ),
        _nested(
            CTA_TUPLE_PROTO,
            _attr(CTA_PROTO_NUM, struct.pack("B", protocol)),
            _attr(CTA_PROTO_SRC_PORT, struct.pack("!H", t.sport)),
            _attr(CTA_PROTO_DST_PORT, struct.pack("!H", t.dport)),
        ),
    )


def dump_request(seq: int) -> bytes:
    """The request listing every IPv4 entry."""
    return _message(IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_DUMP, seq)


def delete_request(flow: Flow, seq: int) -> bytes:
    """The request deleting `flow` (by original tuple, id and zone)."""
    attributes = _tuple_attr(CTA_TUPLE_ORIG, flow.protocol, flow.original)
    if flow.id:
        attributes += _attr(CTA_ID, struct.pack("!I", flow.id))
    if flow.zone:
        attributes += _attr(CTA_ZONE, struct.pack("!H", flow.zone))
    return _message(IPCTNL_MSG_CT_DELETE, NLM_F_REQUEST | NLM_F_ACK, seq, attributes)


# decoding


def _attributes(data: bytes) -> dict[int, bytes]:
    found: dict[int, bytes] = {}
    offset = 0
    while offset + _ATTR.size <= len(data):
        size, kind = _ATTR.unpack_from(data, offset)
        if size < _ATTR.size:
            break
        found[kind & NLA_TYPE_MASK] = data[offset + _ATTR.size : offset + size]
        offset += size + (-size % 4)
    return found


def _parse_tuple(data: bytes) -> tuple[int, Tuple] | None:
    parts = _attributes(data)
    ip, proto = _attributes(parts.get(CTA_TUPLE_IP, b"")), _attributes(parts.get(CTA_TUPLE_PROTO, b""))
    if CTA_IP_V4_SRC not in ip or CTA_IP_V4_DST not in ip or CTA_PROTO_NUM not in proto:
        return None

    def port(kind: int) -> int:
        raw = proto.get(kind)
        return struct.unpack("!H", raw[:2])[0] if raw and len(raw) >= 2 else 0

    return proto[CTA_PROTO_NUM][0], Tuple(
        src=str(ipaddress.IPv4Address(ip[CTA_IP_V4_SRC][:4])),
        dst=str(ipaddress.IPv4Address(ip[CTA_IP_V4_DST][:4])),
        sport=port(CTA_PROTO_SRC_PORT),
        dport=port(CTA_PROTO_DST_PORT),
    )


def parse_flow(payload: bytes) -> Flow | None:
    """One entry from a ctnetlink message's payload (after nlmsghdr); None if it is not
    an IPv4 entry with both tuples."""
    if len(payload) < _NFGEN.size:
        return None
    attributes = _attributes(payload[_NFGEN.size :])
    original = _parse_tuple(attributes.get(CTA_TUPLE_ORIG, b""))
    reply = _parse_tuple(attributes.get(CTA_TUPLE_REPLY, b""))
    if original is None or reply is None:
        return None
    raw_id, raw_zone = attributes.get(CTA_ID, b""), attributes.get(CTA_ZONE, b"")
    return Flow(
        protocol=original[0],
        original=original[1],
        reply=reply[1],
        id=struct.unpack("!I", raw_id[:4])[0] if len(raw_id) >= 4 else 0,
        zone=struct.unpack("!H", raw_zone[:2])[0] if len(raw_zone) >= 2 else 0,
    )


def messages(data: bytes) -> Iterator[tuple[int, int, int, bytes]]:
    """(type, flags, seq, payload) of each netlink message in one datagram."""
    offset = 0
    while offset + _HEADER.size <= len(data):
        size, kind, flags, seq, _ = _HEADER.unpack_from(data, offset)
        if size < _HEADER.size:
            return
        yield kind, flags, seq, data[offset + _HEADER.size : offset + size]
        offset += size + (-size % 4)


def _error_code(payload: bytes) -> int:
    return -struct.unpack_from("=i", payload)[0] if len(payload) >= 4 else 0


# I/O


class Conntrack:
    """A ctnetlink socket in one network namespace (`netns` path; None: this process's)."""

    def __init__(self, netns: Path | None = None) -> None:
        self.netns = netns
        self._seq = 0
        if netns is None:
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        else:
            self.sock = socket_in_netns(netns, socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        try:
            self.sock.bind((0, 0))
        except OSError:
            self.sock.close()
            raise

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> Conntrack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def flows(self, protocol: int | None = None) -> list[Flow]:
        """Every IPv4 entry (of `protocol` only, when given)."""
        seq = self._next_seq()
        self.sock.send(dump_request(seq))
        found: list[Flow] = []
        while True:
            data = self.sock.recv(RECV_BUFFER)
            for kind, _flags, reply_seq, payload in messages(data):
                if reply_seq != seq:
                    continue
                if kind == NLMSG_DONE:
                    return found
                if kind == NLMSG_ERROR:
                    code = _error_code(payload)
                    if code:
                        raise ConntrackError(code, f"conntrack dump: {os.strerror(code)}")
                    return found
                flow = parse_flow(payload)
                if flow is not None and (protocol is None or flow.protocol == protocol):
                    found.append(flow)

    def delete(self, flows: Iterable[Flow]) -> int:
        """Delete `flows`; returns how many the kernel deleted (gone or replaced ones are
        skipped silently)."""
        deleted = 0
        for flow in flows:
            seq = self._next_seq()
            self.sock.send(delete_request(flow, seq))
            code = self._ack(seq)
            if code == 0:
                deleted += 1
            elif code != errno.ENOENT:
                raise ConntrackError(code, f"conntrack delete: {os.strerror(code)}")
        return deleted

    def _ack(self, seq: int) -> int:
        while True:
            for kind, _flags, reply_seq, payload in messages(self.sock.recv(RECV_BUFFER)):
                if reply_seq == seq and kind == NLMSG_ERROR:
                    return _error_code(payload)
