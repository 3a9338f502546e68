"""Event: a report of something that happened to an object.

One resource, served twice: as core/v1 Event (the storage version) and as events.k8s.io/v1
Event, whose fields carry other names (`regarding` for `involvedObject`, `note` for
`message`, the `deprecated*` fields for the core fields the new API retired). The
conversions rename fields and nothing else, so a round trip through either version is
lossless.
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid, required
from pyk8s.api.resource import Column, Obj, RequestContext, ResourceInfo, ResourceStrategy, VersionView
from pyk8s.api.table import since
from pyk8s.api.validation import dns1123_subdomain, qualified_name, validate_immutable
from pyk8s.kinds.core import types
from pyk8s.kinds.events import types as events_types

RESOURCE = ResourceInfo(
    group="", version="v1", kind="Event", plural="events", singular="event", short_names=("ev",)
)
EVENTS_RESOURCE = ResourceInfo(
    group="events.k8s.io",
    version="v1",
    kind="Event",
    plural="events",
    singular="event",
    short_names=("ev",),
)

# events.k8s.io/v1 name -> core/v1 name
RENAMED = {
    "regarding": "involvedObject",
    "note": "message",
    "deprecatedSource": "source",
    "deprecatedFirstTimestamp": "firstTimestamp",
    "deprecatedLastTimestamp": "lastTimestamp",
    "deprecatedCount": "count",
    "reportingController": "reportingComponent",
}
TO_EVENTS = {core: new for new, core in RENAMED.items()}

REPORTING_INSTANCE_LIMIT = 128
ACTION_LIMIT = 128
REASON_LIMIT = 128
NOTE_LIMIT = 1024
EVENT_TYPES = ("Normal", "Warning")


def _rename(obj: Obj, names: dict[str, str], api_version: str) -> Obj:
    out: Obj = {}
    for key, value in obj.items():
        if key == "apiVersion":
            out[key] = api_version
        else:
            out[names.get(key, key)] = value
    out.setdefault("apiVersion", api_version)
    out.setdefault("kind", "Event")
    return out


def events_to_core(obj: Obj) -> Obj:
    """An events.k8s.io/v1 Event in its core/v1 form."""
    return _rename(obj, RENAMED, "v1")


def core_to_events(obj: Obj) -> Obj:
    """A core/v1 Event in its events.k8s.io/v1 form."""
    return _rename(obj, TO_EVENTS, "events.k8s.io/v1")


_REGARDING_FIELDS = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")
EVENTS_V1 = VersionView(
    info=EVENTS_RESOURCE,
    schema=events_types.Event,
    to_storage=events_to_core,
    from_storage=core_to_events,
    # events.k8s.io/v1 field-selector names and the core/v1 fields they mean
    field_labels={
        "reportingController": "reportingComponent",
        **{f"regarding.{part}": f"involvedObject.{part}" for part in _REGARDING_FIELDS},
    },
)


def _involved(field: str) -> Any:
    return lambda o: str((o.get("involvedObject") or {}).get(field, ""))


def _strict(ctx: RequestContext) -> bool:
    """events.k8s.io/v1 requests get the strict rules (core/v1 ones keep the legacy ones)."""
    return str(getattr(ctx, "api_version", "v1")).startswith("events.k8s.io/")


class EventStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Event
    has_status = False
    allow_create_on_update = True
    cacheable_cells = False  # Last Seen and First Seen move with time
    versions = (EVENTS_V1,)
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
        Column("Last Seen", description="How long ago the event was last seen."),
        Column("Type", description="Normal or Warning."),
        Column("Reason", description="Why the event happened."),
        Column("Object", description="The object the event is about."),
        Column("Subobject", priority=1, description="The part of the object, if any."),
        Column("Source", priority=1, description="Who reported the event."),
        Column("Message", description="What happened."),
        Column("First Seen", priority=1, description="How long ago the event was first seen."),
        Column("Count", priority=1, description="How many times it happened."),
        Column("Name", priority=1, format="name", description="The event's name."),
    )

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        if not isinstance(obj.get("involvedObject"), dict):
            obj["involvedObject"] = {}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_event(obj)
        if _strict(ctx):
            errs += validate_strict_event(obj)
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = validate_event(obj)
        if not _strict(ctx):
            return errs
        if obj.get("series") != old.get("series"):
            errs += _validate_series(obj)
        for key in (
            "involvedObject",
            "reason",
            "message",
            "source",
            "firstTimestamp",
            "lastTimestamp",
            "count",
            "type",
            "eventTime",
            "action",
            "related",
            "reportingComponent",
            "reportingInstance",
        ):
            where = "reportingController" if key == "reportingComponent" else key
            errs += validate_immutable(obj.get(key), old.get(key), where)
        return errs

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return event_row(obj, now)


def validate_event(obj: Obj) -> FieldErrors:
    """The rules every Event meets (legacyValidateEvent). Paths use the internal names."""
    errs: FieldErrors = []
    namespace = (obj.get("metadata") or {}).get("namespace", "")
    involved = obj.get("involvedObject") or {}
    involved_ns = involved.get("namespace", "")
    ns_path = FieldPath("involvedObject").child("namespace")
    mismatch = "does not match event.namespace"
    if not obj.get("eventTime"):
        if not involved_ns:
            if namespace not in ("", "default"):
                errs.append(invalid(ns_path, involved_ns, mismatch))
        elif namespace != involved_ns:
            errs.append(invalid(ns_path, involved_ns, mismatch))
    else:
        if not involved_ns and namespace not in ("default", "kube-system"):
            errs.append(invalid(ns_path, involved_ns, mismatch))
        controller = obj.get("reportingComponent", "")
        if not controller:
            errs.append(required("reportingController"))
        errs += [invalid("reportingController", controller, msg) for msg in qualified_name(controller)]
        instance = obj.get("reportingInstance", "")
        if not instance:
            errs.append(required("reportingInstance"))
        if len(instance) > REPORTING_INSTANCE_LIMIT:
            errs.append(
                invalid("reportingInstance", "", f"can have at most {REPORTING_INSTANCE_LIMIT} characters")
            )
        action = obj.get("action", "")
        if not action:
            errs.append(required("action"))
        if len(action) > ACTION_LIMIT:
            errs.append(invalid("action", "", f"can have at most {ACTION_LIMIT} characters"))
        reason = obj.get("reason", "")
        if not reason:
            errs.append(required("reason"))
        if len(reason) > REASON_LIMIT:
            errs.append(invalid("reason", "", f"can have at most {REASON_LIMIT} characters"))
        if len(obj.get("message", "")) > NOTE_LIMIT:
            errs.append(invalid("message", "", f"can have at most {NOTE_LIMIT} characters"))
    errs += [invalid("namespace", namespace, msg) for msg in dns1123_subdomain(namespace)]
    return errs


def _validate_series(obj: Obj) -> FieldErrors:
    series = obj.get("series")
    if not isinstance(series, dict):
        return []
    errs: FieldErrors = []
    if (series.get("count") or 0) < 2:
        errs.append(invalid("series.count", "", "should be at least 2"))
    if not series.get("lastObservedTime"):
        errs.append(required("series.lastObservedTime"))
    return errs


def validate_strict_event(obj: Obj) -> FieldErrors:
    """What events.k8s.io/v1 adds on create (ValidateEventCreate)."""
    errs = _validate_series(obj)
    if not obj.get("eventTime"):
        errs.append(required("eventTime"))
    if obj.get("type") not in EVENT_TYPES:
        errs.append(invalid("type", "", f"has invalid value: {obj.get('type', '')}"))
    for key in ("firstTimestamp", "lastTimestamp", "count"):
        if obj.get(key):
            errs.append(invalid(key, "", "needs to be unset"))
    source = obj.get("source") or {}
    if source.get("component") or source.get("host"):
        errs.append(invalid("source", "", "needs to be unset"))
    return errs


def event_row(obj: Obj, now: float) -> list[Any]:
    """The row `kubectl get events` prints (printEvent, wide)."""
    first = (
        since(obj.get("firstTimestamp"), now)
        if obj.get("firstTimestamp")
        else since(obj.get("eventTime"), now)
    )
    last = since(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = obj.get("count") or 0
    series = obj.get("series")
    if isinstance(series, dict):
        last = since(series.get("lastObservedTime"), now)
        count = series.get("count") or 0
    elif not count:
        count = 1  # singleton events of the new API have no count
    involved = obj.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    source = obj.get("source") or {}
    component = source.get("component") or obj.get("reportingComponent", "")
    instance = source.get("host") or obj.get("reportingInstance", "")
    return [
        last,
        obj.get("type", ""),
        obj.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        f"{component}, {instance}" if instance else component,
        str(obj.get("message", "")).strip(),
        first,
        int(count),
        (obj.get("metadata") or {}).get("name", ""),
    ]
