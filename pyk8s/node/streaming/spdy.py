"""The subset of SPDY/3.1 that `kubectl port-forward` needs (see WIRE.md §9.6).

`SpdyCodec` turns bytes into frames and frames into bytes for one connection. Header
blocks are zlib streams primed with the SPDY/3 dictionary, one compression context per
direction for the connection's lifetime (as the protocol requires). There is no flow
control: the Go implementation kubectl uses does not enforce it either.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

VERSION = 3
SYN_STREAM = 1
SYN_REPLY = 2
RST_STREAM = 3
SETTINGS = 4
PING = 6
GOAWAY = 7
HEADERS = 8
WINDOW_UPDATE = 9
FLAG_FIN = 0x01
FLAG_UNIDIRECTIONAL = 0x02
MAX_FRAME = 1 << 24

# RST_STREAM status codes
PROTOCOL_ERROR = 1
INVALID_STREAM = 2
REFUSED_STREAM = 3
CANCEL = 5
INTERNAL_ERROR = 6

# The SPDY/3 header compression dictionary: length-prefixed common header names and
# values, then common status lines, dates and media types (draft-mbelshe-httpbis-spdy-00).
_DICTIONARY_WORDS_TEXT = (
    "options head post put delete trace accept accept-charset accept-encoding accept-language "
    "accept-ranges age allow authorization cache-control connection content-base content-encoding "
    "content-language content-length content-location content-md5 content-range content-type date "
    "etag expect expires from host if-match if-modified-since if-none-match if-range "
    "if-unmodified-since last-modified location max-forwards pragma proxy-authenticate "
    "proxy-authorization range referer retry-after server te trailer transfer-encoding upgrade "
    "user-agent vary via warning www-authenticate method get status 200\x00OK version HTTP/1.1 url "
    "public set-cookie keep-alive origin"
)
_DICTIONARY_TAIL = (
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
    "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request"
    "401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented"
    "503 Service Unavailable"
    "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
    "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,"
    "text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8"
    "charset=iso-8859-1,utf-,*,enq=0."
)
DICTIONARY = (
    b"".join(
        struct.pack(">I", len(word)) + word.replace("\x00", " ").encode()
        for word in _DICTIONARY_WORDS_TEXT.split(" ")
    )
    + _DICTIONARY_TAIL.encode()
)


class SpdyProtocolError(Exception):
    """Bytes that are not SPDY/3.1 we can handle."""


@dataclass(slots=True)
class Frame:
    """One decoded frame. Data frames have `kind == 0`."""

    kind: int
    flags: int = 0
    stream_id: int = 0
    data: bytes = b""
    headers: dict[str, list[str]] = field(default_factory=dict)
    associated_id: int = 0
    status: int = 0  # RST_STREAM and GOAWAY
    ping_id: int = 0

    @property
    def fin(self) -> bool:
        return bool(self.flags & FLAG_FIN)

    def header(self, name: str) -> str:
        """The first value of header `name` ("" when absent)."""
        values = self.headers.get(name.lower())
        return values[0] if values else ""


class SpdyCodec:
    """Frame parsing and building for one connection (server side)."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._inflate = zlib.decompressobj(zdict=DICTIONARY)
        self._deflate = zlib.compressobj(zdict=DICTIONARY)

    def feed(self, data: bytes) -> list[Frame]:
        """Add received bytes; returns every complete frame they finish."""
        self._buffer += data
        frames = []
        while len(self._buffer) >= 8:
            length = int.from_bytes(self._buffer[5:8], "big")
            if len(self._buffer) < 8 + length:
                break
            raw = bytes(self._buffer[: 8 + length])
            del self._buffer[: 8 + length]
            frame = self._decode(raw)
            if frame is not None:
                frames.append(frame)
        return frames

    def _decode(self, raw: bytes) -> Frame | None:
        flags = raw[4]
        body = raw[8:]
        if not raw[0] & 0x80:  # data frame
            stream_id = int.from_bytes(raw[0:4], "big") & 0x7FFFFFFF
            return Frame(0, flags, stream_id, data=body)
        version = int.from_bytes(raw[0:2], "big") & 0x7FFF
        if version != VERSION:
            raise SpdyProtocolError(f"unsupported SPDY version {version}")
        kind = int.from_bytes(raw[2:4], "big")
        if kind == SYN_STREAM:
            stream_id, associated = struct.unpack(">II", body[:8])
            headers = self._headers(body[10:])
            return Frame(
                kind, flags, stream_id & 0x7FFFFFFF, associated_id=associated & 0x7FFFFFFF, headers=headers
            )
        if kind in (SYN_REPLY, HEADERS):
            (stream_id,) = struct.unpack(">I", body[:4])
            return Frame(kind, flags, stream_id & 0x7FFFFFFF, headers=self._headers(body[4:]))
        if kind == RST_STREAM:
            stream_id, status = struct.unpack(">II", body[:8])
            return Frame(kind, flags, stream_id & 0x7FFFFFFF, status=status)
        if kind == PING:
            return Frame(kind, flags, ping_id=struct.unpack(">I", body[:4])[0])
        if kind == GOAWAY:
            last, status = struct.unpack(">II", body[:8])
            return Frame(kind, flags, last & 0x7FFFFFFF, status=status)
        if kind in (SETTINGS, WINDOW_UPDATE):
            return Frame(kind, flags)
        return None  # unknown control frames are ignored, as the protocol says

    def _headers(self, block: bytes) -> dict[str, list[str]]:
        try:
            raw = self._inflate.decompress(block)
        except zlib.error as err:
            raise SpdyProtocolError(f"bad header block: {err}") from None
        headers: dict[str, list[str]] = {}
        (count,) = struct.unpack(">I", raw[:4])
        pos = 4
        for _ in range(count):
            (name_len,) = struct.unpack(">I", raw[pos : pos + 4])
            name = raw[pos + 4 : pos + 4 + name_len].decode("latin-1").lower()
            pos += 4 + name_len
            (value_len,) = struct.unpack(">I", raw[pos : pos + 4])
            value = raw[pos + 4 : pos + 4 + value_len].decode("latin-1")
            pos += 4 + value_len
            headers.setdefault(name, []).extend(value.split("\x00"))
        return headers

    def _header_block(self, headers: dict[str, str]) -> bytes:
        raw = struct.pack(">I", len(headers))
        for name, value in headers.items():
            key, val = name.lower().encode("latin-1"), value.encode("latin-1")
            raw += struct.pack(">I", len(key)) + key + struct.pack(">I", len(val)) + val
        return self._deflate.compress(raw) + self._deflate.flush(zlib.Z_SYNC_FLUSH)

    @staticmethod
    def _control(kind: int, flags: int, body: bytes) -> bytes:
        return struct.pack(">HHI", 0x8000 | VERSION, kind, (flags << 24) | len(body)) + body

    def syn_reply(self, stream_id: int, headers: dict[str, str] | None = None, *, fin: bool = False) -> bytes:
        body = struct.pack(">I", stream_id) + self._header_block(headers or {})
        return self._control(SYN_REPLY, FLAG_FIN if fin else 0, body)

    def syn_stream(self, stream_id: int, headers: dict[str, str], *, fin: bool = False) -> bytes:
        """A SYN_STREAM (used by tests acting as the client)."""
        body = struct.pack(">IIH", stream_id, 0, 0) + self._header_block(headers)
        return self._control(SYN_STREAM, FLAG_FIN if fin else 0, body)

    @staticmethod
    def data(stream_id: int, payload: bytes, *, fin: bool = False) -> bytes:
        """DATA frames for `payload` (split below the 24-bit length limit)."""
        out = bytearray()
        chunks = [payload[i : i + MAX_FRAME - 1] for i in range(0, len(payload), MAX_FRAME - 1)] or [b""]
        for index, chunk in enumerate(chunks):
            flags = FLAG_FIN if fin and index == len(chunks) - 1 else 0
            out += struct.pack(">II", stream_id & 0x7FFFFFFF, (flags << 24) | len(chunk)) + chunk
        return bytes(out)

    def rst_stream(self, stream_id: int, status: int = CANCEL) -> bytes:
        return self._control(RST_STREAM, 0, struct.pack(">II", stream_id, status))

    def ping(self, ping_id: int) -> bytes:
        return self._control(PING, 0, struct.pack(">I", ping_id))

    def goaway(self, last_stream_id: int, status: int = 0) -> bytes:
        return self._control(GOAWAY, 0, struct.pack(">II", last_stream_id, status))
