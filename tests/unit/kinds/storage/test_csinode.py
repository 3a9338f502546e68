"""CSINode: driver validation, per-driver immutability and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.storage.csinode import RESOURCE, CSINodeStrategy

CTX = RequestContext()
S = CSINodeStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, D, TL = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.DUPLICATE, ErrorType.TOO_LONG

DRIVER = {"name": "csi.example.com", "nodeID": "node-1", "topologyKeys": ["topology.example.com/zone"]}


def csinode(*drivers: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSINode",
        "metadata": {"name": "node-1", "creationTimestamp": CREATED},
        "spec": {"drivers": list(drivers)},
    }


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.namespaced) == ("csinodes", "csinode", False)


@pytest.mark.parametrize(
    ("drivers", "expected"),
    [
        pytest.param([DRIVER, {**DRIVER, "name": "other.example.com"}], [], id="valid"),
        pytest.param([DRIVER, DRIVER], [(D, "spec.drivers[1].name")], id="duplicate-driver"),
        pytest.param([{**DRIVER, "name": "Bad_Name"}], [(INV, "spec.drivers[0].name")], id="bad-name"),
        pytest.param([{**DRIVER, "name": "a" * 64}], [(TL, "spec.drivers[0].name")], id="long-name"),
        pytest.param([{**DRIVER, "nodeID": ""}], [(R, "spec.drivers[0].nodeID")], id="no-node-id"),
        pytest.param([{**DRIVER, "nodeID": "x" * 257}], [(INV, "spec.drivers[0].nodeID")], id="long-node-id"),
        pytest.param(
            [{**DRIVER, "allocatable": {"count": -1}}],
            [(INV, "spec.drivers[0].allocatable.count")],
            id="count",
        ),
        pytest.param(
            [{**DRIVER, "topologyKeys": ["zone", "zone"]}],
            [(D, "spec.drivers[0]")],
            id="duplicate-topology-key",
        ),
    ],
)
def test_validate(drivers: list[dict[str, Any]], expected: list[tuple[ErrorType, str]]) -> None:
    assert [(e.type, e.field) for e in S.validate(CTX, csinode(*drivers))] == expected


def test_drivers_cannot_change_but_their_count_can() -> None:
    old = csinode(DRIVER)
    counted = copy.deepcopy(old)
    counted["spec"]["drivers"][0]["allocatable"] = {"count": 10}
    assert S.validate_update(CTX, counted, old) == []
    moved = copy.deepcopy(old)
    moved["spec"]["drivers"][0]["nodeID"] = "node-2"
    assert [(e.type, e.field, e.detail) for e in S.validate_update(CTX, moved, old)] == [
        (INV, "spec.drivers", "field is immutable")
    ]
    added = csinode(DRIVER, {**DRIVER, "name": "other.example.com"})
    assert S.validate_update(CTX, added, old) == []


def test_table_row() -> None:
    assert [(c["name"], c["type"]) for c in S.table_columns()] == [
        ("Name", "string"),
        ("Drivers", "integer"),
        ("Age", "string"),
    ]
    assert S.table_row(csinode(DRIVER, {**DRIVER, "name": "b"}), NOW) == ["node-1", 2, "60s"]
