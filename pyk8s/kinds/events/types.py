"""Types of events.v1: the schema of every object of the group version."""

from __future__ import annotations

from pyk8s.api.schema import (
    MICRO_TIME,
    TIME,
    integer,
    list_of,
    ref,
    string,
    struct,
)
from pyk8s.kinds import meta
from pyk8s.kinds.core import types as core

P = "io.k8s.api.events.v1."

EventSeries = struct(
    P + "EventSeries",
    "Summarises an event that keeps happening, instead of recording each occurrence.",
    required=("count", "lastObservedTime"),
    count=integer("How many times the event has happened so far."),
    lastObservedTime=ref(MICRO_TIME, "When the event was last seen."),
)

Event = struct(
    P + "Event",
    "A report of something that happened to an object, for people and tools to inspect.",
    required=("eventTime",),
    gvk=("events.k8s.io", "v1", "Event"),
    action=string("What the reporting component did or failed to do, in CamelCase; at most 128 characters."),
    apiVersion=string("Group and version of this object's schema."),
    deprecatedCount=integer("Occurrence count carried over from core/v1 events."),
    deprecatedFirstTimestamp=ref(TIME, "First-seen time carried over from core/v1 events."),
    deprecatedLastTimestamp=ref(TIME, "Last-seen time carried over from core/v1 events."),
    deprecatedSource=ref(core.EventSource, "Source carried over from core/v1 events."),
    eventTime=ref(MICRO_TIME, "When the event was first seen."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.OBJECT_META, "Name, namespace, labels and other standard object metadata."),
    note=string("A human-readable account of what happened; at most 1 kB."),
    reason=string("Short CamelCase cause of the action, up to 128 characters."),
    regarding=ref(core.ObjectReference, "The object the event is about."),
    related=ref(core.ObjectReference, "A second object involved, if any, such as the node a pod ran on."),
    reportingController=string("The controller that reported the event, such as example.com/my-controller."),
    reportingInstance=string("The instance of the controller that reported it, such as a pod or host name."),
    series=ref(EventSeries, "Set when the event repeats; absent for one-off events."),
    type=string("Normal or Warning."),
)

EventList = struct(
    P + "EventList",
    "A list of Events.",
    required=("items",),
    gvk=("events.k8s.io", "v1", "EventList"),
    apiVersion=string("Group and version of this object's schema."),
    items=list_of(Event, "The Events."),
    kind=string("The type of this object, in CamelCase."),
    metadata=ref(meta.LIST_META, "Resource version and paging token of the list."),
)
