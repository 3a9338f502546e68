"""`SharedInformer`: one list-watch feeding a cache and any number of event handlers.

The guarantees (client-go's SharedInformer contract, on one event loop):
- For each object, the cache holds a sequence of the object's states as the server had
  them, in order; a state may be skipped (merged into a later one), never reordered.
- Handlers are called after the cache was updated, in order for each object, on the
  informer's task. They must be quick and must not await: enqueue a key and return.
  An exception in a handler is logged and does not reach the informer.
- `on_delete` receives the last known state, or a `DeletedFinalStateUnknown` tombstone
  when the delete happened while the informer was not watching (found by a relist).
- A handler added late first receives `on_add` for everything already cached.
- Resync (per handler, `resync_period` seconds, 0 = never) replays `on_update(obj, obj)`
  for every cached object from memory: no request is sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.client.informers.lister import Lister
from pyk8s.client.informers.reflector import ListerWatcher, Reflector
from pyk8s.client.informers.store import DeletedFinalStateUnknown, Indexer, IndexFunc, object_key
from pyk8s.client.resources import Resource
from pyk8s.client.timing import cancel_and_wait, wait_event

log = logging.getLogger("pyk8s.client.informer")

Obj = dict[str, Any]


class ResourceEventHandler(Protocol):
    """Told about every change, after the cache. Must not block or await."""

    def on_add(self, obj: Obj, in_initial_list: bool) -> None: ...

    def on_update(self, old: Obj, new: Obj) -> None: ...

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None: ...


@dataclass
class EventHandlerFuncs:
    """A handler from plain functions; any of them may be left out."""

    add: Callable[[Obj, bool], None] | None = None
    update: Callable[[Obj, Obj], None] | None = None
    delete: Callable[[Obj | DeletedFinalStateUnknown], None] | None = None

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        if self.add is not None:
            self.add(obj, in_initial_list)

    def on_update(self, old: Obj, new: Obj) -> None:
        if self.update is not None:
            self.update(old, new)

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        if self.delete is not None:
            self.delete(obj)


class FilteringHandler:
    """Passes on only objects `accept` likes; an update that moves an object in or out of
    the filter becomes an add or a delete (client-go's FilteringResourceEventHandler)."""

    def __init__(self, accept: Callable[[Obj], bool], handler: ResourceEventHandler) -> None:
        self.accept, self.handler = accept, handler

    def on_add(self, obj: Obj, in_initial_list: bool) -> None:
        if self.accept(obj):
            self.handler.on_add(obj, in_initial_list)

    def on_update(self, old: Obj, new: Obj) -> None:
        was, now = self.accept(old), self.accept(new)
        if was and now:
            self.handler.on_update(old, new)
        elif now:
            self.handler.on_add(new, False)
        elif was:
            self.handler.on_delete(old)

    def on_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        target = obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj
        if self.accept(target):
            self.handler.on_delete(obj)


class HandlerRegistration:
    """A handler added to an informer: `remove()` it, or ask whether it has seen the initial list."""

    def __init__(self, informer: SharedInformer, handler: ResourceEventHandler, resync_period: float) -> None:
        self.informer = informer
        self.handler = handler
        self.resync_period = resync_period
        self.next_resync = 0.0

    def has_synced(self) -> bool:
        return self.informer.has_synced() and self in self.informer._handlers

    def remove(self) -> None:
        self.informer.remove_event_handler(self)


class SharedInformer:
    """A cache of one resource (and namespace and selectors) kept by a `Reflector`, with handlers."""

    def __init__(
        self,
        lister_watcher: ListerWatcher,
        *,
        resource: Resource | None = None,
        resync_period: float = 0.0,
        indexers: Mapping[str, IndexFunc] | None = None,
        clock: Clock | None = None,
        use_watch_list: bool = True,
        name: str = "",
    ) -> None:
        self.resource = resource
        self.name = name or (str(resource) if resource else "informer")
        self.clock = clock or RealClock()
        self.default_resync_period = resync_period
        self.indexer = Indexer(indexers)
        self.lister = Lister(self.indexer)
        self.reflector = Reflector(
            lister_watcher,
            self,
            resource=resource,
            name=self.name,
            clock=self.clock,
            use_watch_list=use_watch_list,
        )
        self._handlers: list[HandlerRegistration] = []
        self._synced = asyncio.Event()
        self._resync_changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # handlers

    def add_event_handler(
        self, handler: ResourceEventHandler, *, resync_period: float | None = None
    ) -> HandlerRegistration:
        """Add a handler; if the informer has synced, it first gets `on_add` for every cached object."""
        period = self.default_resync_period if resync_period is None else resync_period
        reg = HandlerRegistration(self, handler, period)
        if period > 0:
            reg.next_resync = self.clock.monotonic() + period
            self._resync_changed.set()
        if self.has_synced():
            for obj in self.indexer.list():
                _call(self.name, handler.on_add, obj, True)
        self._handlers.append(reg)
        return reg

    def remove_event_handler(self, registration: HandlerRegistration) -> None:
        if registration in self._handlers:
            self._handlers.remove(registration)

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        self.indexer.add_indexers(indexers)

    # state

    def has_synced(self) -> bool:
        """True once the first full list is in the cache."""
        return self._synced.is_set()

    async def wait_for_sync(self, timeout: float | None = None) -> bool:
        """Wait until synced (at most `timeout` seconds of the clock); returns has_synced()."""
        if timeout is None:
            await self._synced.wait()
            return True
        await wait_event(self.clock, self._synced, timeout)
        return self.has_synced()

    @property
    def last_sync_resource_version(self) -> str:
        """The resourceVersion the cache reflects (the last list, event or bookmark)."""
        return self.reflector.last_sync_resource_version

    def metrics(self) -> dict[str, Any]:
        return {
            "objects": len(self.indexer),
            "synced": self.has_synced(),
            "resource_version": self.last_sync_resource_version,
            "lists": self.reflector.lists,
            "watches": self.reflector.watches,
            "handlers": len(self._handlers),
        }

    # running

    async def run(self) -> None:
        """List and watch until cancelled."""
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self.reflector.run(), name=f"reflector {self.name}")
            tg.create_task(self._resync_loop(), name=f"resync {self.name}")

    def start(self) -> asyncio.Task[None]:
        """Run in a background task (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(), name=f"informer {self.name}")
            self._task.add_done_callback(self._report_exit)
        return self._task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        task, self._task = self._task, None
        await cancel_and_wait(task)

    def _report_exit(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("informer %s stopped: %r", self.name, task.exception())

    async def _resync_loop(self) -> None:
        while True:
            self._resync_changed.clear()
            due = [r.next_resync for r in self._handlers if r.resync_period > 0]
            if not due:
                await self._resync_changed.wait()
                continue
            delay = min(due) - self.clock.monotonic()
            if delay > 0:
                await wait_event(self.clock, self._resync_changed, delay)
                continue
            now = self.clock.monotonic()
            for reg in list(self._handlers):
                if reg.resync_period > 0 and reg.next_resync <= now:
                    reg.next_resync = now + reg.resync_period
                    if self.has_synced():
                        for obj in self.indexer.list():
                            _call(self.name, reg.handler.on_update, obj, obj)

    # the reflector's store

    def replace(self, objects: list[Obj], resource_version: str) -> None:
        initial = not self.has_synced()
        previous = {object_key(o): o for o in self.indexer.list()}
        self.indexer.replace(objects)
        self._synced.set()
        for obj in objects:
            old = previous.pop(object_key(obj), None)
            if old is None:
                self._dispatch_add(obj, initial)
            elif _rv(old) != _rv(obj) or not _rv(obj):
                self._dispatch_update(old, obj)
        for key, old in previous.items():
            self._dispatch_delete(DeletedFinalStateUnknown(key, old))

    def add(self, obj: Obj) -> None:
        old = self.indexer.add(obj)
        if old is None:
            self._dispatch_add(obj, False)
        else:
            self._dispatch_update(old, obj)

    update = add

    def delete(self, obj: Obj) -> None:
        self.indexer.delete(obj)
        self._dispatch_delete(obj)

    def _dispatch_add(self, obj: Obj, initial: bool) -> None:
        for reg in list(self._handlers):
            _call(self.name, reg.handler.on_add, obj, initial)

    def _dispatch_update(self, old: Obj, new: Obj) -> None:
        for reg in list(self._handlers):
            _call(self.name, reg.handler.on_update, old, new)

    def _dispatch_delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        for reg in list(self._handlers):
            _call(self.name, reg.handler.on_delete, obj)


def _rv(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion") or "")


def _call(name: str, func: Callable[..., None], *args: Any) -> None:
    try:
        func(*args)
    except Exception:
        log.exception("informer %s: event handler failed", name)
