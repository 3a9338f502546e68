"""WatchStream framing: events split across chunks, several per chunk, errors, early close."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
import pytest

from pyk8s.api.errors import GoneError
from pyk8s.client.errors import ClientError
from pyk8s.client.watch import EventType, WatchStream


def opener(chunks: list[bytes], closed: list[bool]):
    async def gen() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    async def open_():
        return gen(), lambda: closed.append(True)

    return open_


def line(type_: str, obj: dict) -> bytes:
    return orjson.dumps({"type": type_, "object": obj}) + b"\n"


async def test_events_split_across_and_packed_into_chunks() -> None:
    data = line("ADDED", {"metadata": {"name": "a", "resourceVersion": "5"}}) + line(
        "MODIFIED", {"metadata": {"name": "a", "resourceVersion": "6"}}
    )
    chunks = [data[:7], data[7:40], data[40:]]
    closed: list[bool] = []
    async with WatchStream(opener(chunks, closed)) as stream:
        events = [e async for e in stream]
    assert [(e.type, e.resource_version) for e in events] == [
        (EventType.ADDED, "5"),
        (EventType.MODIFIED, "6"),
    ]
    assert closed


async def test_bookmark_marking_the_end_of_initial_events() -> None:
    bookmark = {"metadata": {"resourceVersion": "9", "annotations": {"k8s.io/initial-events-end": "true"}}}
    async with WatchStream(opener([line("BOOKMARK", bookmark)], [])) as stream:
        (event,) = [e async for e in stream]
    assert event.initial_events_end and event.resource_version == "9"


async def test_error_events_carry_the_status() -> None:
    status = {"kind": "Status", "status": "Failure", "code": 410, "reason": "Expired", "message": "too old"}
    async with WatchStream(opener([line("ERROR", status)], [])) as stream:
        (event,) = [e async for e in stream]
    assert event.type is EventType.ERROR
    assert isinstance(event.error(), GoneError)


async def test_a_stream_ending_inside_an_event_is_an_error() -> None:
    async with WatchStream(opener([b'{"type": "ADDED", "obj'], [])) as stream:
        with pytest.raises(ClientError, match="ended inside an event"):
            [e async for e in stream]


async def test_malformed_lines_are_errors() -> None:
    async with WatchStream(opener([b"not json\n"], [])) as stream:
        with pytest.raises(ClientError, match="malformed watch event"):
            [e async for e in stream]


async def test_closing_early_releases_the_connection() -> None:
    closed: list[bool] = []
    stream = WatchStream(opener([line("ADDED", {}), line("ADDED", {})], closed))
    async for _ in stream:
        break
    stream.close()
    assert closed == [True]
    assert [e async for e in stream] == []
