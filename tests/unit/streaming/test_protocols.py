"""SPDY/3.1 framing and the channel protocol, round-tripped through our own codec acting as
both ends (kubectl itself drives them in the end-to-end tests)."""

from __future__ import annotations

import json
import zlib

import pytest

from pyk8s.node.streaming import channels, spdy


def test_the_dictionary_has_the_spdy3_shape() -> None:
    assert len(spdy.DICTIONARY) == 1423
    assert spdy.DICTIONARY.startswith(b"\x00\x00\x00\x07options\x00\x00\x00\x04head")
    assert spdy.DICTIONARY.endswith(b"utf-,*,enq=0.")
    # The zlib dictionary id a peer's header block announces is the Adler-32 of these bytes.
    assert zlib.adler32(spdy.DICTIONARY) == 0xE3C6A7C2


def test_port_forward_streams_round_trip() -> None:
    client, server = spdy.SpdyCodec(), spdy.SpdyCodec()
    wire = client.syn_stream(1, {"streamType": "error", "port": "8080", "requestID": "0"}, fin=True)
    wire += client.syn_stream(3, {"streamType": "data", "port": "8080", "requestID": "0"})
    wire += client.data(3, b"GET / HTTP/1.0\r\n\r\n")
    wire += client.ping(7)
    frames = []
    for i in range(0, len(wire), 5):  # arrives in arbitrary pieces
        frames += server.feed(wire[i : i + 5])
    kinds = [f.kind for f in frames]
    assert kinds == [spdy.SYN_STREAM, spdy.SYN_STREAM, 0, spdy.PING]
    assert frames[0].header("streamType") == "error" and frames[0].fin
    assert frames[1].header("port") == "8080" and frames[1].stream_id == 3
    assert frames[2].data == b"GET / HTTP/1.0\r\n\r\n" and frames[3].ping_id == 7
    reply = server.syn_reply(3) + server.data(3, b"HTTP/1.0 200 OK\r\n", fin=True) + server.rst_stream(1)
    back = client.feed(reply)
    assert [f.kind for f in back] == [spdy.SYN_REPLY, 0, spdy.RST_STREAM]
    assert back[1].fin and back[2].status == spdy.CANCEL


def test_a_wrong_version_is_a_protocol_error() -> None:
    frame = b"\x80\x02\x00\x06\x00\x00\x00\x04\x00\x00\x00\x01"
    with pytest.raises(spdy.SpdyProtocolError):
        spdy.SpdyCodec().feed(frame)


def test_channel_protocol_helpers() -> None:
    assert channels.choose_protocol(["v5.channel.k8s.io,v4.channel.k8s.io"]) == channels.V5
    assert channels.choose_protocol(["v4.channel.k8s.io"]) == channels.V4
    assert channels.choose_protocol(["channel.k8s.io"]) is None
    assert channels.parse(channels.frame(channels.STDOUT, b"hi")) == (1, b"hi")
    status = json.loads(channels.exit_code_status(3, ["false"]))
    assert status["reason"] == "NonZeroExitCode" and status["details"]["causes"][0]["message"] == "3"
    assert channels.parse_resize(b'{"Width":80,"Height":24}') == (80, 24)
    assert channels.port_prefix(8080) == b"\x90\x1f"
