"""`SliceWriter`: the slice bookkeeping the EndpointSlice and mirroring controllers share.

Both controllers own a set of EndpointSlices per key (`namespace/name` of a Service or of
an Endpoints, which share the name), told apart by the `managed-by` label. Both list the
slices they manage from the cache, write a plan (creates, then updates, then deletes)
while recording every write in an `EndpointSliceTracker`, and wake a key when a slice
they manage changed under them. Only what goes into the plan differs, so that stays in
each controller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import NotFoundError, StatusError
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer
from pyk8s.client.informers.store import split_key
from pyk8s.client.resources import ENDPOINTSLICES
from pyk8s.client.rest import Client
from pyk8s.controllers.endpointslice.slices import LABEL_MANAGED_BY, LABEL_SERVICE_NAME
from pyk8s.controllers.endpointslice.tracker import EndpointSliceTracker
from pyk8s.controllers.runtime.handlers import unwrap
from pyk8s.controllers.runtime.workqueue import WorkQueue

Obj = dict[str, Any]
NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def namespace_terminating(err: BaseException) -> bool:
    """Whether a create was refused because its namespace is being deleted (nothing to retry)."""
    if not isinstance(err, StatusError) or err.code != 403:
        return False
    causes = err.details.get("causes") or []
    return any(c.get("type") == NAMESPACE_TERMINATING_CAUSE for c in causes if isinstance(c, dict))


def service_key_of_slice(endpoint_slice: Mapping[str, Any]) -> str | None:
    """`namespace/<service-name label>`, None for a slice without that label."""
    service = (_meta(endpoint_slice).get("labels") or {}).get(LABEL_SERVICE_NAME)
    if not service:
        return None
    return f"{_meta(endpoint_slice).get('namespace', '')}/{service}"


def managed_by(endpoint_slice: Mapping[str, Any], controller: str) -> bool:
    """Whether the slice carries `controller` in its `managed-by` label."""
    return (_meta(endpoint_slice).get("labels") or {}).get(LABEL_MANAGED_BY) == controller


class SliceWriter:
    """Lists, writes and watches the EndpointSlices one controller manages.

    `controller` is the `managed-by` label value; slices managed by anyone else are neither
    listed nor acted on.
    """

    def __init__(self, client: Client, slices: SharedInformer, controller: str) -> None:
        self.client = client
        self.slices = slices
        self.controller = controller
        self.tracker = EndpointSliceTracker()

    def managed(self, key: str) -> list[Obj]:
        """The cached slices of `key` this controller manages."""
        namespace, name = split_key(key)
        return [
            s
            for s in self.slices.lister.list(namespace=namespace)
            if (_meta(s).get("labels") or {}).get(LABEL_SERVICE_NAME) == name
            and managed_by(s, self.controller)
        ]

    async def write(
        self, key: str, owner: Mapping[str, Any], create: list[Obj], update: list[Obj], delete: list[Obj]
    ) -> None:
        """Create, update, then delete slices for `key`, recording each write.

        No slice is created for an owner being deleted (the garbage collector would race us),
        and a namespace being deleted stops the whole write quietly.
        """
        if not _meta(owner).get("deletionTimestamp"):
            for endpoint_slice in create:
                try:
                    created = await self.client.create(ENDPOINTSLICES, endpoint_slice)
                except StatusError as err:
                    if namespace_terminating(err):
                        return
                    raise
                self.tracker.update(key, created)
        for endpoint_slice in update:
            self.tracker.update(key, await self.client.update(ENDPOINTSLICES, endpoint_slice))
        await self.delete_all(key, delete)

    async def delete_all(self, key: str, slices: list[Obj]) -> None:
        """Delete these slices of `key` (already gone is fine) and expect their deletion events."""
        for endpoint_slice in slices:
            meta = _meta(endpoint_slice)
            try:
                await self.client.delete(
                    ENDPOINTSLICES, str(meta.get("name", "")), namespace=str(meta.get("namespace", ""))
                )
            except NotFoundError:
                pass
            self.tracker.expect_deletion(key, endpoint_slice)

    def handler(self, queue: WorkQueue[str]) -> EventHandlerFuncs:
        """Wake a key when one of its managed slices changed under us (not the echo of our own writes),
        when a slice changes hands, or when someone else deleted one (it is recreated)."""

        def added(obj: Obj, _initial: bool) -> None:
            key = service_key_of_slice(obj)
            if key is not None and managed_by(obj, self.controller) and self.tracker.should_sync(key, obj):
                queue.add(key)

        def updated(old: Obj, new: Obj) -> None:
            for key in {service_key_of_slice(old), service_key_of_slice(new)}:
                if key is None:
                    continue
                ours = managed_by(new, self.controller)
                changed_hands = ours != managed_by(old, self.controller)
                if changed_hands or (ours and self.tracker.should_sync(key, new)):
                    queue.add(key)

        def deleted(obj: Obj | DeletedFinalStateUnknown) -> None:
            endpoint_slice = unwrap(obj)
            key = service_key_of_slice(endpoint_slice)
            if key is None or not managed_by(endpoint_slice, self.controller):
                return
            # a deletion we did not ask for (or a slice we never wrote) is news
            if not self.tracker.handle_deletion(key, endpoint_slice):
                queue.add(key)

        return EventHandlerFuncs(add=added, update=updated, delete=deleted)
