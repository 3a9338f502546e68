"""ControllerRevision: no status, immutable data, and the Controller column."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.apps.controllerrevision import RESOURCE, ControllerRevisionStrategy

CTX = RequestContext(namespace="default")
S = ControllerRevisionStrategy()
CREATED = "2026-01-01T00:00:00Z"


def revision(**fields: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": "db-7c9", "namespace": "default", "creationTimestamp": CREATED},
        "data": {"spec": {"template": {"$patch": "replace"}}},
        "revision": 1,
    }
    obj.update(fields)
    return obj


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.short_names, RESOURCE.categories) == ("controllerrevisions", (), ())
    assert RESOURCE.subresources == ()
    assert S.has_status is False and S.tracks_generation is False


def test_create_keeps_everything() -> None:
    obj = revision()
    before = copy.deepcopy(obj)
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    assert obj == before


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({}, [], id="valid"),
        pytest.param({"revision": 0}, [], id="revision-zero"),
        pytest.param({"data": None}, [(ErrorType.REQUIRED, "data")], id="data-required"),
        pytest.param({"revision": -1}, [(ErrorType.INVALID, "revision")], id="negative-revision"),
    ],
)
def test_validate(fields: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    errs = S.validate(CTX, revision(**fields))
    assert [(e.type, e.field) for e in errs] == expected


def test_data_is_immutable_but_revision_is_not() -> None:
    old = revision()
    assert S.validate_update(CTX, revision(revision=2), old) == []
    errs = S.validate_update(CTX, revision(data={"spec": {}}), old)
    assert [(e.type, e.field, e.detail) for e in errs] == [(ErrorType.INVALID, "data", "field is immutable")]


@pytest.mark.parametrize(
    ("owners", "controller"),
    [
        pytest.param([], "<none>", id="orphan"),
        pytest.param(
            [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db", "uid": "u", "controller": True}],
            "statefulset.apps/db",
            id="statefulset",
        ),
        pytest.param(
            [
                {"apiVersion": "v1", "kind": "Pod", "name": "p", "uid": "u1"},
                {
                    "apiVersion": "example.com/v1",
                    "kind": "MyThing",
                    "name": "t",
                    "uid": "u2",
                    "controller": True,
                },
            ],
            "mything.example.com/t",
            id="custom-controller",
        ),
        pytest.param(
            [
                {
                    "apiVersion": "v1",
                    "kind": "ReplicationController",
                    "name": "rc",
                    "uid": "u",
                    "controller": True,
                }
            ],
            "replicationcontroller/rc",
            id="core-group",
        ),
    ],
)
def test_table_row(owners: list[dict[str, Any]], controller: str) -> None:
    obj = revision(revision=3)
    obj["metadata"]["ownerReferences"] = owners
    assert S.table_row(obj, parse_time(CREATED) + 600) == ["db-7c9", controller, 3, "10m"]
    assert [c["name"] for c in S.table_columns()] == ["Name", "Controller", "Revision", "Age"]
