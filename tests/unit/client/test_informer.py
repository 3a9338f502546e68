"""Indexer, reflector and shared informer against a scripted ListerWatcher (no sockets)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.api.errors import GoneError, InvalidError
from pyk8s.client.informers import (
    DeletedFinalStateUnknown,
    EventHandlerFuncs,
    FilteringHandler,
    Indexer,
    SharedInformer,
    split_key,
)
from pyk8s.client.watch import EventType, WatchEvent

Obj = dict[str, Any]


def obj(name: str, rv: int, ns: str = "default", **labels: str) -> Obj:
    return {"metadata": {"name": name, "namespace": ns, "resourceVersion": str(rv), "labels": labels}}


class ScriptedWatch:
    """One watch response: its events, then (optionally) an end; `error` refuses it."""

    def __init__(
        self, events: list[WatchEvent], *, error: Exception | None = None, hold: bool = False
    ) -> None:
        self.events, self.error, self.hold = events, error, hold
        self.release = asyncio.Event()

    async def __aenter__(self) -> AsyncIterator[WatchEvent]:
        if self.error is not None:
            raise self.error
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[WatchEvent]:
        for event in self.events:
            yield event
        if self.hold:
            await self.release.wait()

    async def __aexit__(self, *exc: object) -> None:
        pass


class ScriptedListerWatcher:
    """Answers lists from `pages` and watches from `watches`, recording the requests."""

    def __init__(self, pages: list[Obj], watches: list[ScriptedWatch]) -> None:
        self.pages, self.watches = pages, watches
        self.requests: list[tuple[str, Any]] = []

    async def list(self, *, resource_version: str | None, limit: int, continue_token: str | None) -> Obj:
        self.requests.append(("list", continue_token))
        return self.pages.pop(0)

    def watch(self, *, resource_version: str | None, send_initial_events: bool) -> ScriptedWatch:
        self.requests.append(("watch-list" if send_initial_events else "watch", resource_version))
        if not self.watches:
            return ScriptedWatch([], hold=True)
        return self.watches.pop(0)


def ev(type_: str, o: Obj) -> WatchEvent:
    return WatchEvent(EventType(type_), o)


def end_bookmark(rv: int) -> WatchEvent:
    return ev(
        "BOOKMARK",
        {"metadata": {"resourceVersion": str(rv), "annotations": {"k8s.io/initial-events-end": "true"}}},
    )


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def handler(self) -> EventHandlerFuncs:
        return EventHandlerFuncs(
            add=lambda o, initial: self.seen.append(("add" + ("-initial" if initial else ""), _name(o))),
            update=lambda old, new: self.seen.append(("update", _name(new))),
            delete=lambda o: self.seen.append(
                ("tombstone" if isinstance(o, DeletedFinalStateUnknown) else "delete", _name(o))
            ),
        )


def _name(o: Obj | DeletedFinalStateUnknown) -> str:
    if isinstance(o, DeletedFinalStateUnknown):
        return split_key(o.key)[1]
    return o["metadata"]["name"]


async def settle(rounds: int = 30) -> None:
    for _ in range(rounds):
        await asyncio.sleep(0)


async def run_informer(lw: ScriptedListerWatcher, **kwargs: Any) -> tuple[SharedInformer, Recorder]:
    informer = SharedInformer(lw, clock=kwargs.pop("clock", FakeClock()), **kwargs)
    recorder = Recorder()
    informer.add_event_handler(recorder.handler())
    informer.start()
    return informer, recorder


# indexer


def test_indexer_maintains_custom_indexes_through_updates_and_deletes() -> None:
    indexer = Indexer({"by-app": lambda o: [o["metadata"]["labels"].get("app", "")]})
    indexer.add(obj("a", 1, app="web"))
    indexer.add(obj("b", 1, app="web"))
    indexer.add(obj("a", 2, app="db"))
    assert indexer.index_keys("by-app", "web") == ["default/b"]
    assert indexer.index_keys("by-app", "db") == ["default/a"]
    indexer.delete(obj("b", 3))
    assert indexer.index_values("by-app") == ["db"]
    assert [o["metadata"]["name"] for o in indexer.by_index("namespace", "default")] == ["a"]


def test_indexers_added_later_cover_what_is_stored_and_names_are_unique() -> None:
    indexer = Indexer()
    indexer.replace([obj("a", 1, "ns1"), obj("b", 1, "ns2")])
    indexer.add_indexers({"ns-upper": lambda o: [o["metadata"]["namespace"].upper()]})
    assert indexer.index_keys("ns-upper", "NS2") == ["ns2/b"]
    with pytest.raises(ValueError):
        indexer.add_indexers({"namespace": lambda o: []})
    with pytest.raises(KeyError):
        indexer.by_index("nope", "x")


# reflector + informer


async def test_watch_list_fills_the_cache_then_changes_arrive() -> None:
    lw = ScriptedListerWatcher(
        [],
        [
            ScriptedWatch(
                [
                    ev("ADDED", obj("a", 5)),
                    ev("ADDED", obj("b", 6)),
                    end_bookmark(6),
                    ev("MODIFIED", obj("a", 7)),
                ],
                hold=True,
            )
        ],
    )
    informer, rec = await run_informer(lw)
    assert await informer.wait_for_sync(timeout=1)
    await settle()
    assert rec.seen == [("add-initial", "a"), ("add-initial", "b"), ("update", "a")]
    assert informer.last_sync_resource_version == "7"
    assert lw.requests == [("watch-list", None)]
    await informer.stop()


async def test_a_server_without_watch_list_gets_paginated_list_then_watch() -> None:
    refused = ScriptedWatch([], error=InvalidError("sendInitialEvents is forbidden"))
    pages = [
        {"metadata": {"resourceVersion": "10", "continue": "t1"}, "items": [obj("a", 3)]},
        {"metadata": {"resourceVersion": "10"}, "items": [obj("b", 4)]},
    ]
    lw = ScriptedListerWatcher(pages, [refused, ScriptedWatch([ev("DELETED", obj("a", 11))], hold=True)])
    informer, rec = await run_informer(lw)
    assert await informer.wait_for_sync(timeout=1)
    await settle()
    assert lw.requests == [("watch-list", None), ("list", None), ("list", "t1"), ("watch", "10")]
    assert rec.seen == [("add-initial", "a"), ("add-initial", "b"), ("delete", "a")]
    assert informer.reflector.use_watch_list is False
    await informer.stop()


async def test_gone_relists_and_reports_what_vanished_as_tombstones() -> None:
    lw = ScriptedListerWatcher(
        [],
        [
            ScriptedWatch([ev("ADDED", obj("a", 5)), ev("ADDED", obj("b", 5)), end_bookmark(5)]),  # then ends
            ScriptedWatch([], error=GoneError("too old resource version: 5 (20)")),
            ScriptedWatch(
                [ev("ADDED", obj("b", 21)), ev("ADDED", obj("c", 22)), end_bookmark(22)], hold=True
            ),
        ],
    )
    informer, rec = await run_informer(lw)
    await informer.wait_for_sync(timeout=1)
    await settle(60)
    assert lw.requests == [("watch-list", None), ("watch", "5"), ("watch-list", None)]
    assert rec.seen[2:] == [("update", "b"), ("add", "c"), ("tombstone", "a")]
    assert sorted(informer.indexer.list_keys()) == ["default/b", "default/c"]
    assert informer.reflector.lists == 2
    await informer.stop()


async def test_bookmarks_advance_the_resource_version_without_touching_the_cache() -> None:
    lw = ScriptedListerWatcher(
        [],
        [
            ScriptedWatch(
                [end_bookmark(5), ev("BOOKMARK", {"metadata": {"resourceVersion": "40"}})], hold=True
            )
        ],
    )
    informer, rec = await run_informer(lw)
    await informer.wait_for_sync(timeout=1)
    await settle()
    assert informer.last_sync_resource_version == "40"
    assert rec.seen == []
    await informer.stop()


async def test_resync_replays_updates_from_memory_on_the_clock() -> None:
    clock = FakeClock()
    lw = ScriptedListerWatcher([], [ScriptedWatch([ev("ADDED", obj("a", 5)), end_bookmark(5)], hold=True)])
    informer, rec = await run_informer(lw, clock=clock, resync_period=30.0)
    await informer.wait_for_sync(timeout=1)
    await settle()
    assert rec.seen == [("add-initial", "a")]
    clock.advance(29)
    await settle()
    assert len(rec.seen) == 1
    clock.advance(1)
    await settle()
    assert rec.seen[1:] == [("update", "a")]
    assert len(lw.requests) == 1  # no request for a resync
    await informer.stop()


async def test_a_late_handler_first_gets_the_cached_objects() -> None:
    lw = ScriptedListerWatcher([], [ScriptedWatch([ev("ADDED", obj("a", 5)), end_bookmark(5)], hold=True)])
    informer, _ = await run_informer(lw)
    await informer.wait_for_sync(timeout=1)
    late = Recorder()
    registration = informer.add_event_handler(late.handler())
    assert late.seen == [("add-initial", "a")]
    assert registration.has_synced()
    registration.remove()
    assert not registration.has_synced()
    await informer.stop()


async def test_a_failing_handler_does_not_stop_the_others() -> None:
    lw = ScriptedListerWatcher([], [ScriptedWatch([ev("ADDED", obj("a", 5)), end_bookmark(5)], hold=True)])
    informer = SharedInformer(lw, clock=FakeClock())

    def boom(o: Obj, initial: bool) -> None:
        raise RuntimeError("handler bug")

    informer.add_event_handler(EventHandlerFuncs(add=boom))
    rec = Recorder()
    informer.add_event_handler(rec.handler())
    informer.start()
    await informer.wait_for_sync(timeout=1)
    assert rec.seen == [("add-initial", "a")]
    await informer.stop()


def test_filtering_handler_turns_updates_across_the_filter_into_adds_and_deletes() -> None:
    rec = Recorder()
    handler = FilteringHandler(lambda o: o["metadata"]["labels"].get("app") == "web", rec.handler())
    handler.on_update(obj("a", 1, app="db"), obj("a", 2, app="web"))
    handler.on_update(obj("a", 2, app="web"), obj("a", 3, app="web"))
    handler.on_update(obj("a", 3, app="web"), obj("a", 4, app="db"))
    handler.on_delete(obj("b", 5, app="db"))
    assert rec.seen == [("add", "a"), ("update", "a"), ("delete", "a")]
