"""Informers against a real API server: list+watch, watch-list, relist after 410, bookmarks,
resync, indexers, and one watch per resource through the shared factory."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.apiserver import watchstream
from pyk8s.client import Client
from pyk8s.client.informers import (
    ClientListerWatcher,
    DeletedFinalStateUnknown,
    EventHandlerFuncs,
    SharedInformer,
    SharedInformerFactory,
)
from pyk8s.client.resources import CONFIGMAPS, NAMESPACES
from pyk8s.client.watch import WatchStream

from .conftest import StartCluster
from .test_retries import InstantClock


def configmap(name: str, namespace: str = "default", **labels: str) -> dict:
    return {"metadata": {"name": name, "namespace": namespace, "labels": labels}, "data": {}}


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def handler(self) -> EventHandlerFuncs:
        def name(o: Any) -> str:
            return o.key if isinstance(o, DeletedFinalStateUnknown) else o["metadata"]["name"]

        return EventHandlerFuncs(
            add=lambda o, initial: self.seen.append(("add", name(o))),
            update=lambda old, new: self.seen.append(("update", name(new))),
            delete=lambda o: self.seen.append(
                ("tombstone" if isinstance(o, DeletedFinalStateUnknown) else "delete", name(o))
            ),
        )


async def eventually(check: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("watch_list", [True, False], ids=["watch-list", "list-then-watch"])
async def test_informer_lists_then_follows_changes(client: Client, watch_list: bool) -> None:
    for name in ("a", "b"):
        await client.create(CONFIGMAPS, configmap(name))
    factory = SharedInformerFactory(client, use_watch_list=watch_list)
    informer = factory.informer(CONFIGMAPS, namespace="default")
    rec = Recorder()
    informer.add_event_handler(rec.handler())
    factory.start()
    assert await factory.wait_for_sync(timeout=10)
    assert sorted(informer.indexer.list_keys()) == ["default/a", "default/b"]
    await client.create(CONFIGMAPS, configmap("c"))
    await client.patch(CONFIGMAPS, "a", {"data": {"x": "1"}}, namespace="default")
    await client.delete(CONFIGMAPS, "b", namespace="default")
    await eventually(lambda: len(rec.seen) == 5)
    assert rec.seen == [("add", "a"), ("add", "b"), ("add", "c"), ("update", "a"), ("delete", "b")]
    assert informer.lister.get("a", "default")["data"] == {"x": "1"}
    assert informer.lister.get("a", "default")["kind"] == "ConfigMap"  # list items get their kind
    assert informer.reflector.lists == 1 and informer.reflector.watches == 1
    await factory.shutdown()


class GatedListerWatcher:
    """Passes list and watch through, except that a watch waits while the gate is closed;
    `cut()` closes the gate and ends the current watch, as a lost connection would."""

    def __init__(self, inner: ClientListerWatcher) -> None:
        self.inner = inner
        self.gate = asyncio.Event()
        self.gate.set()
        self.current: WatchStream | None = None
        self.waiting = asyncio.Event()

    async def list(self, **kwargs: Any) -> dict:
        return await self.inner.list(**kwargs)

    def watch(self, **kwargs: Any) -> Any:
        outer = self

        class Gated:
            async def __aenter__(self) -> Any:
                if not outer.gate.is_set():
                    outer.waiting.set()
                await outer.gate.wait()
                self.stream = outer.inner.watch(**kwargs)
                outer.current = self.stream
                return await self.stream.__aenter__()

            async def __aexit__(self, *exc: object) -> None:
                await self.stream.__aexit__(*exc)

        return Gated()

    def cut(self) -> None:
        self.gate.clear()
        if self.current is not None:
            self.current.close()


async def test_a_watch_resumed_after_the_history_is_gone_relists(start_cluster: StartCluster) -> None:
    cluster = await start_cluster(watch_cache_size=20)
    client = cluster.client()
    for name in ("a", "b", "c"):
        await client.create(CONFIGMAPS, configmap(name))
    lw = GatedListerWatcher(ClientListerWatcher(client, CONFIGMAPS, namespace="default"))
    informer = SharedInformer(lw, resource=CONFIGMAPS, clock=InstantClock())  # type: ignore[arg-type]
    rec = Recorder()
    informer.add_event_handler(rec.handler())
    informer.start()
    await informer.wait_for_sync()
    lw.cut()
    await asyncio.wait_for(lw.waiting.wait(), 10)  # the reflector is trying to watch again

    await client.delete(CONFIGMAPS, "a", namespace="default")
    await client.patch(CONFIGMAPS, "b", {"data": {"v": "2"}}, namespace="default")
    await client.create(CONFIGMAPS, configmap("d"))
    await client.create(CONFIGMAPS, configmap("filler"))
    for i in range(30):  # push the missed events out of the server's watch cache
        await client.patch(CONFIGMAPS, "filler", {"data": {"i": str(i)}}, namespace="default")
    lw.gate.set()

    await eventually(lambda: informer.reflector.lists == 2)
    await eventually(
        lambda: (
            sorted(informer.indexer.list_keys()) == ["default/b", "default/c", "default/d", "default/filler"]
        )
    )
    assert ("tombstone", "default/a") in rec.seen  # the delete happened while not watching
    assert ("update", "b") in rec.seen and ("add", "d") in rec.seen
    assert ("update", "c") not in rec.seen  # unchanged objects are not reported
    await informer.stop()


async def test_bookmarks_keep_an_idle_watch_current(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watchstream, "BOOKMARK_INTERVAL", 0.1)
    factory = SharedInformerFactory(client)
    informer = factory.informer(CONFIGMAPS, label_selector={"app": "nothing-matches"})
    rec = Recorder()
    informer.add_event_handler(rec.handler())
    factory.start()
    await factory.wait_for_sync()
    start = int(informer.last_sync_resource_version)
    created = await client.create(CONFIGMAPS, configmap("unrelated"))
    await eventually(
        lambda: int(informer.last_sync_resource_version) >= int(created["metadata"]["resourceVersion"])
    )
    assert int(informer.last_sync_resource_version) > start
    assert rec.seen == []  # a bookmark carries a resourceVersion, never an object
    await factory.shutdown()


async def test_resync_replays_the_cache_on_the_clock(client: Client) -> None:
    await client.create(CONFIGMAPS, configmap("a"))
    clock = FakeClock()
    factory = SharedInformerFactory(client, clock=clock, resync_period=60.0)
    informer = factory.informer(CONFIGMAPS, namespace="default")
    rec = Recorder()
    informer.add_event_handler(rec.handler())
    quiet = Recorder()
    informer.add_event_handler(quiet.handler(), resync_period=0)  # this one never resyncs
    factory.start()
    await factory.wait_for_sync()
    assert rec.seen == [("add", "a")]
    await eventually(lambda: clock.sleepers >= 1)
    clock.advance(60)
    await eventually(lambda: len(rec.seen) == 2)
    assert rec.seen[1] == ("update", "a")
    assert quiet.seen == [("add", "a")]
    await factory.shutdown()


async def test_indexers_by_namespace_and_by_function(client: Client) -> None:
    for namespace in ("team-a", "team-b"):
        await client.create(NAMESPACES, {"metadata": {"name": namespace}})
    await client.create(CONFIGMAPS, configmap("x", "team-a", tier="web"))
    await client.create(CONFIGMAPS, configmap("y", "team-a", tier="db"))
    await client.create(CONFIGMAPS, configmap("z", "team-b", tier="web"))
    factory = SharedInformerFactory(client)
    informer = factory.informer(CONFIGMAPS)
    informer.add_indexers({"tier": lambda o: [(o["metadata"].get("labels") or {}).get("tier", "")]})
    factory.start()
    await factory.wait_for_sync()
    assert sorted(o["metadata"]["name"] for o in informer.lister.by_index("tier", "web")) == ["x", "z"]
    assert [o["metadata"]["name"] for o in informer.lister.namespace("team-b").list()] == ["z"]
    assert [o["metadata"]["name"] for o in informer.lister.list(namespace="team-a", selector="tier=db")] == [
        "y"
    ]
    await client.patch(CONFIGMAPS, "y", {"metadata": {"labels": {"tier": "web"}}}, namespace="team-a")
    await eventually(lambda: len(informer.lister.by_index("tier", "web")) == 3)
    assert informer.lister.by_index("tier", "db") == []
    await factory.shutdown()


async def test_the_factory_shares_one_informer_and_one_watch_per_resource(client: Client) -> None:
    factory = SharedInformerFactory(client)
    first = factory.informer(CONFIGMAPS)
    assert factory.informer(CONFIGMAPS) is first
    assert factory.informer(CONFIGMAPS, namespace="default") is not first
    recorders = [Recorder(), Recorder()]
    for rec in recorders:
        first.add_event_handler(rec.handler())
    factory.start()
    await factory.wait_for_sync()
    await client.create(CONFIGMAPS, configmap("shared"))
    await eventually(lambda: all(("add", "shared") in r.seen for r in recorders))
    assert first.reflector.watches == 1
    assert set(factory.metrics()) == {"configmaps/v1", "configmaps/v1/default"}
    await factory.shutdown()
