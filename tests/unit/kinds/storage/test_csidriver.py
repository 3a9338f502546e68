"""CSIDriver: defaults, validation, immutable fields and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.storage.csidriver import RESOURCE, CSIDriverStrategy

CTX = RequestContext()
S = CSIDriverStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
INV, NS, D = ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.DUPLICATE


def driver(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSIDriver",
        "metadata": {"name": "csi.example.com", "creationTimestamp": CREATED},
        "spec": spec,
    }


def defaulted(**spec: Any) -> dict[str, Any]:
    obj = driver(**spec)
    S.default(obj)
    return obj


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.namespaced) == ("csidrivers", "csidriver", False)


def test_defaults() -> None:
    assert defaulted()["spec"] == {
        "attachRequired": True,
        "podInfoOnMount": False,
        "storageCapacity": False,
        "fsGroupPolicy": "ReadWriteOnceWithFSType",
        "volumeLifecycleModes": ["Persistent"],
        "requiresRepublish": False,
        "seLinuxMount": False,
    }
    assert S.validate(CTX, defaulted()) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param({"fsGroupPolicy": "Sometimes"}, [(NS, "spec.fsGroupPolicy")], id="fs-group-policy"),
        pytest.param(
            {"volumeLifecycleModes": ["Forever"]}, [(NS, "spec.volumeLifecycleModes")], id="lifecycle-mode"
        ),
        pytest.param(
            {"tokenRequests": [{"audience": "a"}, {"audience": "a"}]},
            [(D, "spec.tokenRequests[1].audience")],
            id="duplicate-audience",
        ),
        pytest.param(
            {"tokenRequests": [{"audience": "a", "expirationSeconds": 60}]},
            [(INV, "spec.tokenRequests[0].expirationSeconds")],
            id="short-token",
        ),
        pytest.param(
            {"nodeAllocatableUpdatePeriodSeconds": 5},
            [(INV, "spec.nodeAllocatableUpdatePeriodSeconds")],
            id="period",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert [(e.type, e.field) for e in S.validate(CTX, defaulted(**spec))] == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            {"attachRequired": False},
            ["spec.attachedRequired: Invalid value: false: field is immutable"],
            id="attach",
        ),
        pytest.param(
            {"volumeLifecycleModes": ["Ephemeral"]},
            ['spec.volumeLifecycleModes: Invalid value: ["Ephemeral"]: field is immutable'],
            id="modes",
        ),
        pytest.param(
            {"podInfoOnMount": True, "storageCapacity": True, "requiresRepublish": True}, [], id="mutable"
        ),
    ],
)
def test_update(change: dict[str, Any], expected: list[str]) -> None:
    old = defaulted()
    new = copy.deepcopy(old)
    new["spec"].update(change)
    assert [str(e) for e in S.validate_update(CTX, new, old)] == expected


@pytest.mark.parametrize(
    ("spec", "cells"),
    [
        pytest.param(
            {}, ["csi.example.com", True, False, False, "<unset>", False, "Persistent", "60s"], id="defaults"
        ),
        pytest.param(
            {
                "attachRequired": False,
                "podInfoOnMount": True,
                "tokenRequests": [{"audience": "vault"}, {"audience": "gcp"}],
                "volumeLifecycleModes": ["Persistent", "Ephemeral"],
            },
            ["csi.example.com", False, True, False, "vault,gcp", False, "Persistent,Ephemeral", "60s"],
            id="custom",
        ),
    ],
)
def test_table_row(spec: dict[str, Any], cells: list[Any]) -> None:
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "AttachRequired",
        "PodInfoOnMount",
        "StorageCapacity",
        "TokenRequests",
        "RequiresRepublish",
        "Modes",
        "Age",
    ]
    assert S.table_row(defaulted(**spec), NOW) == cells
