"""Types of events.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    MICRO_TIME,
    TIME,
    integer,
    list_of,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.events.v1."

EventSeries = struct(
    P + "EventSeries",
    "",
    required=("count", "lastObservedTime"),
    count=integer(),
    lastObservedTime=MICRO_TIME,
)

Event = struct(
    P + "Event",
    "",
    required=("eventTime",),
    gvk=("events.k8s.io", "v1", "Event"),
    action=string(),
    apiVersion=string(),
    deprecatedCount=integer(),
    deprecatedFirstTimestamp=TIME,
    deprecatedLastTimestamp=TIME,
    deprecatedSource=core.EventSource,
    eventTime=MICRO_TIME,
    kind=string(),
    metadata=meta.OBJECT_META,
    note=string(),
    reason=string(),
    regarding=core.ObjectReference,
    related=core.ObjectReference,
    reportingController=string(),
    reportingInstance=string(),
    series=EventSeries,
    type=string(),
)

EventList = struct(
    P + "EventList",
    "",
    required=("items",),
    gvk=("events.k8s.io", "v1", "EventList"),
    apiVersion=string(),
    items=list_of(Event, ""),
    kind=string(),
    metadata=meta.LIST_META,
)
