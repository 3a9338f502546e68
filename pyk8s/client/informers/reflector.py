"""The reflector: keeps a store in step with the server by listing, then watching.

    ┌──────────── need a list ────────────┐
    │ watch-list (sendInitialEvents=true) │ ── 400/422: server has no watch-list ──┐
    │   ADDED... BOOKMARK(initial-end)    │                                        ▼
    │   -> store.replace(snapshot, rv)    │                 paginated list -> store.replace
    └──────────────┬──────────────────────┘                                        │
                   ▼                                                               ▼
        watch from rv (allowWatchBookmarks) ◄──────────────────────────────────────┘
          ADDED/MODIFIED/DELETED -> store, rv advances (BOOKMARKs too)
          stream ends cleanly            -> watch again from rv
          410 Gone / an ERROR event      -> need a list
          connection lost                -> back off, watch again from rv

The watch-list snapshot is collected aside and swapped in only when its end bookmark
arrives, so readers never see a half-listed store. Watches carry no `timeoutSeconds` by
default: the server ends them when it wants to, so an idle reflector sends no requests
(the server's bookmarks keep the resourceVersion fresh). Every wait reads the clock.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, Protocol

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api.errors import BadRequestError, GoneError, InvalidError, StatusError
from pyk8s.client.errors import ClientError
from pyk8s.client.flowcontrol import Backoff
from pyk8s.client.informers.store import object_key
from pyk8s.client.resources import Resource
from pyk8s.client.rest import Client, FieldSelectorLike, LabelSelectorLike
from pyk8s.client.watch import EventType, WatchEvent

log = logging.getLogger("pyk8s.client.reflector")

Obj = dict[str, Any]
RELIST_GRACE = 1.0  # seconds: a second expiry within this backs off before relisting


class WatchSource(Protocol):
    """An open-on-enter stream of watch events (`WatchStream` is one)."""

    async def __aenter__(self) -> AsyncIterator[WatchEvent]: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class ListerWatcher(Protocol):
    """The two requests a reflector makes (tests pass fakes)."""

    async def list(self, *, resource_version: str | None, limit: int, continue_token: str | None) -> Obj: ...

    def watch(self, *, resource_version: str | None, send_initial_events: bool) -> WatchSource: ...


class ReflectorStore(Protocol):
    """Where the reflector puts what it learns (the informer)."""

    def replace(self, objects: list[Obj], resource_version: str) -> None: ...

    def add(self, obj: Obj) -> None: ...

    def update(self, obj: Obj) -> None: ...

    def delete(self, obj: Obj) -> None: ...


class ClientListerWatcher:
    """List and watch one resource (optionally one namespace and selectors) with a `Client`."""

    def __init__(
        self,
        client: Client,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: LabelSelectorLike = None,
        field_selector: FieldSelectorLike = None,
        watch_timeout_seconds: int | None = None,
    ) -> None:
        self.client, self.resource, self.namespace = client, resource, namespace
        self.label_selector, self.field_selector = label_selector, field_selector
        self.watch_timeout_seconds = watch_timeout_seconds

    async def list(self, *, resource_version: str | None, limit: int, continue_token: str | None) -> Obj:
        return await self.client.list(
            self.resource,
            namespace=self.namespace,
            label_selector=self.label_selector,
            field_selector=self.field_selector,
            limit=limit,
            continue_token=continue_token,
            resource_version=None if continue_token else resource_version,
        )

    def watch(self, *, resource_version: str | None, send_initial_events: bool) -> WatchSource:
        return self.client.watch(
            self.resource,
            namespace=self.namespace,
            label_selector=self.label_selector,
            field_selector=self.field_selector,
            resource_version=resource_version,
            allow_bookmarks=True,
            send_initial_events=send_initial_events,
            timeout_seconds=self.watch_timeout_seconds,
        )


class _WatchListRefused(Exception):
    """The server does not do watch-list (it answered the request with 400/422)."""


class Reflector:
    """Lists and watches through `lister_watcher` into `store` until cancelled."""

    def __init__(
        self,
        lister_watcher: ListerWatcher,
        store: ReflectorStore,
        *,
        resource: Resource | None = None,
        name: str = "",
        clock: Clock | None = None,
        use_watch_list: bool = True,
        page_size: int = 500,
        backoff: Backoff | None = None,
    ) -> None:
        self.lister_watcher = lister_watcher
        self.store = store
        self.resource = resource
        self.name = name or (str(resource) if resource else "reflector")
        self.clock = clock or RealClock()
        self.use_watch_list = use_watch_list
        self.page_size = page_size
        self.backoff = backoff or Backoff(initial=0.8, maximum=30.0, jitter=1.0, clock=self.clock)
        self.last_sync_resource_version = ""
        # counters, for metrics and tests
        self.lists = 0
        self.watches = 0

    async def run(self) -> None:
        need_list, relist_from = True, ""
        last_expired = -float("inf")
        while True:
            try:
                if need_list:
                    await self._list_and_watch(relist_from)
                    need_list = False
                else:
                    await self._watch()
                continue
            except GoneError as err:
                log.info("%s: %s; relisting", self.name, err.message)
                need_list, relist_from = True, ""
                now = self.clock.monotonic()
                expired_again = now - last_expired < RELIST_GRACE
                last_expired = now
                if not expired_again:
                    continue  # relist at once; an expiry right after the last one backs off
            except StatusError as err:
                log.warning("%s: watch failed: %s %s; relisting", self.name, err.code, err.message)
                need_list, relist_from = True, self.last_sync_resource_version
            except ClientError as err:
                log.info("%s: %s; retrying", self.name, err)
            except Exception:
                log.exception("%s: unexpected failure; retrying", self.name)
            await self.backoff.sleep()

    async def _list_and_watch(self, resource_version: str) -> None:
        """Fill the store from scratch, then keep watching (returns when the watch ends)."""
        if self.use_watch_list:
            try:
                await self._watch(initial=True, resource_version=resource_version)
                return
            except _WatchListRefused as err:
                log.info(
                    "%s: the server refused watch-list (%s); falling back to list and watch", self.name, err
                )
                self.use_watch_list = False
        await self._list()
        await self._watch()

    async def _list(self) -> None:
        items: list[Obj] = []
        token: str | None = None
        resource_version = ""
        while True:
            page = await self.lister_watcher.list(
                resource_version="", limit=self.page_size, continue_token=token
            )
            meta = page.get("metadata") or {}
            items += page.get("items") or []
            resource_version = str(meta.get("resourceVersion") or resource_version)
            token = meta.get("continue") or None
            if not token:
                break
        self.lists += 1
        self.store.replace([self._typed(o) for o in items], resource_version)
        self.last_sync_resource_version = resource_version
        self.backoff.reset()

    async def _watch(self, *, initial: bool = False, resource_version: str | None = None) -> None:
        """One watch request, consumed until the server ends it. With `initial`, a watch-list
        whose snapshot replaces the store once its end bookmark arrives."""
        rv = resource_version if initial else self.last_sync_resource_version
        source = self.lister_watcher.watch(resource_version=rv or None, send_initial_events=initial)
        try:
            stream = await source.__aenter__()
        except (InvalidError, BadRequestError) as err:
            if initial:
                raise _WatchListRefused(f"{err.code} {err.message}") from err
            raise
        self.watches += 1
        snapshot: dict[str, Obj] | None = {} if initial else None
        started = self.clock.monotonic()
        events = 0
        try:
            async for event in stream:
                events += 1
                if event.type is EventType.ERROR:
                    raise event.error()
                if snapshot is not None:
                    if self._collect(snapshot, event):
                        self.lists += 1
                        self.store.replace(list(snapshot.values()), event.resource_version)
                        self.last_sync_resource_version = event.resource_version
                        snapshot = None
                        self.backoff.reset()
                    continue
                self._apply(event)
        finally:
            await source.__aexit__(None, None, None)
        if snapshot is not None:
            raise ClientError("the watch-list ended before its initial events did")
        if events == 0 and self.clock.monotonic() - started < 1.0:
            # A server ending every watch at once must not make us spin.
            await self.backoff.sleep()

    def _collect(self, snapshot: dict[str, Obj], event: WatchEvent) -> bool:
        """Add a watch-list event to the snapshot; True once the snapshot is complete."""
        if event.type is EventType.BOOKMARK:
            return event.initial_events_end
        obj = self._typed(event.object)
        if event.type is EventType.DELETED:
            snapshot.pop(object_key(obj), None)
        else:
            snapshot[object_key(obj)] = obj
        return False

    def _apply(self, event: WatchEvent) -> None:
        if event.type is EventType.ADDED:
            self.store.add(self._typed(event.object))
        elif event.type is EventType.MODIFIED:
            self.store.update(self._typed(event.object))
        elif event.type is EventType.DELETED:
            self.store.delete(self._typed(event.object))
        if event.resource_version:
            self.last_sync_resource_version = event.resource_version

    def _typed(self, obj: Obj) -> Obj:
        """List items come without kind and apiVersion; give every cached object both."""
        if self.resource is not None and ("kind" not in obj or "apiVersion" not in obj):
            obj.setdefault("kind", self.resource.kind)
            obj.setdefault("apiVersion", self.resource.api_version)
        return obj
