"""`SharedInformerFactory`: one informer (one watch) per resource, namespace and selectors
in a process, however many controllers want it.

    factory = SharedInformerFactory(client)
    pods = factory.informer(PODS)            # the same object for every caller
    factory.start()                          # starts informers created so far (call again later)
    await factory.wait_for_sync()
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.client.informers.informer import SharedInformer
from pyk8s.client.informers.lister import Lister
from pyk8s.client.informers.reflector import ClientListerWatcher
from pyk8s.client.resources import Resource
from pyk8s.client.rest import (
    Client,
    FieldSelectorLike,
    LabelSelectorLike,
    field_selector_string,
    label_selector_string,
)

log = logging.getLogger("pyk8s.client.informers")

InformerKey = tuple[Resource, str, str, str]


class SharedInformerFactory:
    """Creates and shares informers; `namespace` (default all) applies to every informer
    unless one asks for another."""

    def __init__(
        self,
        client: Client,
        *,
        resync_period: float = 0.0,
        namespace: str | None = None,
        clock: Clock | None = None,
        use_watch_list: bool = True,
    ) -> None:
        self.client = client
        self.resync_period = resync_period
        self.namespace = namespace
        self.clock = clock or client.clock
        self.use_watch_list = use_watch_list
        self._informers: dict[InformerKey, SharedInformer] = {}

    def informer(
        self,
        resource: Resource,
        *,
        namespace: str | None = None,
        label_selector: LabelSelectorLike = None,
        field_selector: FieldSelectorLike = None,
        resync_period: float | None = None,
    ) -> SharedInformer:
        """The shared informer for this resource, namespace and selectors (created once)."""
        ns = namespace if namespace is not None else (self.namespace or "")
        labels, fields = label_selector_string(label_selector), field_selector_string(field_selector)
        key = (resource, ns if resource.namespaced else "", labels, fields)
        informer = self._informers.get(key)
        if informer is None:
            lw = ClientListerWatcher(
                self.client,
                resource,
                namespace=key[1] or None,
                label_selector=labels or None,
                field_selector=fields or None,
            )
            name = "/".join(p for p in (str(resource), key[1], labels, fields) if p)
            informer = SharedInformer(
                lw,
                resource=resource,
                resync_period=self.resync_period if resync_period is None else resync_period,
                clock=self.clock,
                use_watch_list=self.use_watch_list,
                name=name,
            )
            self._informers[key] = informer
        return informer

    def lister(self, resource: Resource, **kwargs: Any) -> Lister:
        return self.informer(resource, **kwargs).lister

    @property
    def informers(self) -> list[SharedInformer]:
        return list(self._informers.values())

    def start(self) -> None:
        """Start every informer created so far that is not running."""
        for informer in self._informers.values():
            if not informer.running:
                informer.start()

    async def wait_for_sync(self, timeout: float | None = None) -> bool:
        """Wait until every started informer has synced (False if `timeout` passed first)."""
        started = [i for i in self._informers.values() if i.running or i.has_synced()]
        if timeout is None:
            await asyncio.gather(*(i.wait_for_sync() for i in started))
            return True
        results = await asyncio.gather(*(i.wait_for_sync(timeout) for i in started))
        return all(results)

    async def shutdown(self) -> None:
        """Stop every informer (their caches stay readable)."""
        await asyncio.gather(*(i.stop() for i in self._informers.values()))

    def metrics(self) -> dict[str, dict[str, Any]]:
        return {i.name: i.metrics() for i in self._informers.values()}
