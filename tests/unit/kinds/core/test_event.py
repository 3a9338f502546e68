"""Event: validation (legacy and events.k8s.io rules), table rows, and the events.k8s.io/v1
view of the same objects, whose conversions lose nothing either way."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.api.schema import decode
from pyk8s.kinds.core.event import EVENTS_V1, RESOURCE, EventStrategy, core_to_events, events_to_core

S = EventStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 3600
CTX = RequestContext(namespace="default", now=NOW)


@dataclass(frozen=True)
class EventsContext:
    """A request context that says it came through events.k8s.io/v1 (see the report)."""

    namespace: str = "default"
    user: str = "u"
    subresource: str = ""
    api_version: str = "events.k8s.io/v1"


def core_event(**fields: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": "web.1", "namespace": "default", "creationTimestamp": CREATED},
        "involvedObject": {
            "kind": "Pod",
            "namespace": "default",
            "name": "web",
            "uid": "u1",
            "fieldPath": "spec.containers{app}",
        },
        "reason": "Pulled",
        "message": "Pulled image  ",
        "source": {"component": "kubelet", "host": "n1"},
        "firstTimestamp": "2026-01-01T00:10:00Z",
        "lastTimestamp": "2026-01-01T00:50:00Z",
        "count": 4,
        "type": "Normal",
    }
    obj.update(fields)
    return obj


FULL_CORE = core_event(
    eventTime="2026-01-01T00:10:00.123456Z",
    series={"count": 4, "lastObservedTime": "2026-01-01T00:50:00.000001Z"},
    action="Pulling",
    related={"kind": "Node", "name": "n1"},
    reportingComponent="kubelet",
    reportingInstance="n1",
)
FULL_EVENTS = {
    "apiVersion": "events.k8s.io/v1",
    "kind": "Event",
    "metadata": {"name": "web.2", "namespace": "default", "labels": {"a": "b"}},
    "eventTime": "2026-01-01T00:10:00.000000Z",
    "series": {"count": 2, "lastObservedTime": "2026-01-01T00:11:00.000000Z"},
    "reportingController": "example.com/controller",
    "reportingInstance": "controller-0",
    "action": "Reconcile",
    "reason": "Synced",
    "regarding": {"kind": "Deployment", "namespace": "default", "name": "web", "apiVersion": "apps/v1"},
    "related": {"kind": "ReplicaSet", "namespace": "default", "name": "web-1"},
    "note": "All good",
    "type": "Normal",
    "deprecatedSource": {"component": "old"},
    "deprecatedFirstTimestamp": "2026-01-01T00:00:00Z",
    "deprecatedLastTimestamp": "2026-01-01T00:01:00Z",
    "deprecatedCount": 7,
}


def test_resource_infos() -> None:
    assert (RESOURCE.plural, RESOURCE.short_names, RESOURCE.group) == ("events", ("ev",), "")
    info = EVENTS_V1.info
    assert (info.group, info.version, info.kind, info.plural, info.singular) == (
        "events.k8s.io",
        "v1",
        "Event",
        "events",
        "event",
    )
    assert EVENTS_V1 in S.versions and S.allow_create_on_update and not S.has_status


def test_core_round_trip_through_events_v1_loses_nothing() -> None:
    original = copy.deepcopy(FULL_CORE)
    served = core_to_events(copy.deepcopy(original))
    assert served["apiVersion"] == "events.k8s.io/v1"
    assert served["regarding"] == original["involvedObject"] and served["note"] == original["message"]
    assert served["deprecatedCount"] == 4 and served["reportingController"] == "kubelet"
    assert "involvedObject" not in served and "message" not in served
    assert decode(copy.deepcopy(served), EVENTS_V1.schema).unknown == []
    assert events_to_core(served) == original


def test_events_v1_round_trip_through_core_loses_nothing() -> None:
    original = copy.deepcopy(FULL_EVENTS)
    stored = events_to_core(copy.deepcopy(original))
    assert stored["apiVersion"] == "v1"
    assert stored["involvedObject"]["kind"] == "Deployment" and stored["count"] == 7
    assert (
        stored["source"] == {"component": "old"} and stored["reportingComponent"] == "example.com/controller"
    )
    assert decode(copy.deepcopy(stored), S.schema).unknown == []
    assert core_to_events(stored) == original


def test_legacy_validation() -> None:
    assert S.validate(CTX, core_event()) == []
    wrong = core_event(involvedObject={"kind": "Pod", "namespace": "other", "name": "web"})
    assert [str(e) for e in S.validate(CTX, wrong)] == [
        'involvedObject.namespace: Invalid value: "other": does not match event.namespace'
    ]
    cluster_scoped = core_event(involvedObject={"kind": "Node", "name": "n1"})
    assert S.validate(CTX, cluster_scoped) == []
    new_style = core_event(eventTime="2026-01-01T00:00:00.000000Z")
    fields = {(e.field, e.type) for e in S.validate(CTX, new_style)}
    assert ("reportingController", ErrorType.REQUIRED) in fields
    assert ("reportingInstance", ErrorType.REQUIRED) in fields
    assert ("action", ErrorType.REQUIRED) in fields


def test_strict_rules_for_events_v1_requests() -> None:
    stored = events_to_core(copy.deepcopy(FULL_EVENTS))
    errs = S.validate(EventsContext(), stored)  # type: ignore[arg-type]
    fields = {(e.field, e.detail) for e in errs}
    assert ("count", "needs to be unset") in fields and ("source", "needs to be unset") in fields
    clean = {k: v for k, v in FULL_EVENTS.items() if not k.startswith("deprecated")}
    assert S.validate(EventsContext(), events_to_core(copy.deepcopy(clean))) == []  # type: ignore[arg-type]
    bad_type = dict(
        clean, type="Fatal", series={"count": 1, "lastObservedTime": "2026-01-01T00:00:00.000000Z"}
    )
    errs = S.validate(EventsContext(), events_to_core(copy.deepcopy(bad_type)))  # type: ignore[arg-type]
    assert {(e.field, e.detail) for e in errs} == {
        ("type", "has invalid value: Fatal"),
        ("series.count", "should be at least 2"),
    }
    old = events_to_core(copy.deepcopy(clean))
    new = copy.deepcopy(old)
    new["message"] = "changed"
    errs = S.validate_update(EventsContext(), new, old)  # type: ignore[arg-type]
    assert [(e.field, e.detail) for e in errs] == [("message", "field is immutable")]
    assert S.validate_update(CTX, new, old) == []  # core/v1 updates keep the legacy rules


def test_columns() -> None:
    assert [(c["name"], c["priority"]) for c in S.table_columns()] == [
        ("Last Seen", 0),
        ("Type", 0),
        ("Reason", 0),
        ("Object", 0),
        ("Subobject", 1),
        ("Source", 1),
        ("Message", 0),
        ("First Seen", 1),
        ("Count", 1),
        ("Name", 1),
    ]


@pytest.mark.parametrize(
    ("obj", "cells"),
    [
        pytest.param(
            core_event(),
            [
                "10m",
                "Normal",
                "Pulled",
                "pod/web",
                "spec.containers{app}",
                "kubelet, n1",
                "Pulled image",
                "50m",
                4,
                "web.1",
            ],
            id="legacy",
        ),
        pytest.param(
            events_to_core(
                copy.deepcopy({k: v for k, v in FULL_EVENTS.items() if not k.startswith("deprecated")})
            ),
            [
                "49m",
                "Normal",
                "Synced",
                "deployment/web",
                "",
                "example.com/controller, controller-0",
                "All good",
                "50m",
                2,
                "web.2",
            ],
            id="series",
        ),
        pytest.param(
            core_event(lastTimestamp=None, count=None, involvedObject={"kind": "Node"}, source={}),
            ["50m", "Normal", "Pulled", "node", "", "", "Pulled image", "50m", 1, "web.1"],
            id="singleton",
        ),
    ],
)
def test_table_rows(obj: dict[str, Any], cells: list[Any]) -> None:
    obj = {k: v for k, v in obj.items() if v is not None}
    assert S.table_row(obj, NOW) == cells


def test_field_selectors() -> None:
    fields = S.selectable_fields(core_event())
    assert (
        fields["involvedObject.name"] == "web"
        and fields["source"] == "kubelet"
        and fields["type"] == "Normal"
    )
    assert S.check_field_selector({"involvedObject.kind", "reason", "reportingComponent"}) is None
