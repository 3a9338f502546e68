"""Event: a report of something that happened to an object."""

from __future__ import annotations

from typing import Any

from pyk8s.api.resource import Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.table import since
from pyk8s.kinds.core import types

RESOURCE = ResourceInfo(
    group="", version="v1", kind="Event", plural="events", singular="event", short_names=("ev",)
)


def _involved(field: str) -> Any:
    return lambda o: str((o.get("involvedObject") or {}).get(field, ""))


class EventStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Event
    has_status = False
    cacheable_cells = False  # Last Seen and First Seen move with time
    field_selectors = {
        "involvedObject.kind": _involved("kind"),
        "involvedObject.namespace": _involved("namespace"),
        "involvedObject.name": _involved("name"),
        "involvedObject.uid": _involved("uid"),
        "involvedObject.apiVersion": _involved("apiVersion"),
        "involvedObject.resourceVersion": _involved("resourceVersion"),
        "involvedObject.fieldPath": _involved("fieldPath"),
        "reason": lambda o: o.get("reason", ""),
        "reportingComponent": lambda o: o.get("reportingComponent", ""),
        "source": lambda o: (o.get("source") or {}).get("component", ""),
        "type": lambda o: o.get("type", ""),
    }
    columns = (
        Column("Last Seen", description="When the event was last seen."),
        Column("Type", description="Normal or Warning."),
        Column("Reason", description="Why the event happened."),
        Column("Object", description="The object the event is about."),
        Column("Subobject", priority=1, description="The part of the object."),
        Column("Source", priority=1, description="Who reported the event."),
        Column("Message", description="What happened."),
        Column("First Seen", priority=1, description="When the event was first seen."),
        Column("Count", priority=1, description="How many times it happened."),
        Column("Name", priority=1, format="name", description="The event's name."),
    )

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        obj.setdefault("involvedObject", {})

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        inv = obj.get("involvedObject") or {}
        last = (
            obj.get("lastTimestamp")
            or (obj.get("series") or {}).get("lastObservedTime")
            or obj.get("eventTime")
        )
        first = obj.get("firstTimestamp") or obj.get("eventTime")
        source = obj.get("source") or {}
        return [
            since(last, now),
            obj.get("type", ""),
            obj.get("reason", ""),
            f"{str(inv.get('kind', '')).lower()}/{inv.get('name', '')}",
            inv.get("fieldPath", ""),
            ", ".join(
                x for x in (source.get("component") or obj.get("reportingComponent"), source.get("host")) if x
            ),
            obj.get("message", ""),
            since(first, now),
            int(obj.get("count") or 1),
            obj["metadata"].get("name", ""),
        ]
