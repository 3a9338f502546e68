"""StorageClass: defaults, validation, immutable fields, the default-class annotation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.storage.storageclass import RESOURCE, StorageClassStrategy

CTX = RequestContext()
S = StorageClassStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, NS, F, D, TL = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.NOT_SUPPORTED,
    ErrorType.FORBIDDEN,
    ErrorType.DUPLICATE,
    ErrorType.TOO_LONG,
)


def storage_class(**fields: Any) -> dict[str, Any]:
    fields.setdefault("provisioner", "csi.example.com")
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": "fast", "creationTimestamp": CREATED},
        **fields,
    }


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names, RESOURCE.namespaced) == (
        "storageclasses",
        "storageclass",
        ("sc",),
        False,
    )


def test_defaults() -> None:
    obj = storage_class()
    S.default(obj)
    assert (obj["reclaimPolicy"], obj["volumeBindingMode"]) == ("Delete", "Immediate")
    assert S.validate(CTX, obj) == []
    kept = storage_class(reclaimPolicy="Retain", volumeBindingMode="WaitForFirstConsumer")
    S.default(kept)
    assert (kept["reclaimPolicy"], kept["volumeBindingMode"]) == ("Retain", "WaitForFirstConsumer")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"provisioner": ""}, [(R, "provisioner")], id="no-provisioner"),
        pytest.param({"provisioner": "a/b/c"}, [(INV, "provisioner")], id="bad-provisioner"),
        pytest.param({"reclaimPolicy": "Recycle"}, [(NS, "reclaimPolicy")], id="recycle"),
        pytest.param({"volumeBindingMode": "Later"}, [(NS, "volumeBindingMode")], id="bad-binding-mode"),
        pytest.param({"parameters": {"": "x"}}, [(INV, "parameters")], id="empty-parameter-key"),
        pytest.param(
            {"parameters": {f"k{i}": "v" for i in range(513)}}, [(TL, "parameters")], id="too-many-parameters"
        ),
        pytest.param(
            {"allowedTopologies": [{"matchLabelExpressions": [{"key": "zone", "values": []}]}]},
            [(R, "allowedTopologies[0].matchLabelExpressions[0].values")],
            id="topology-without-values",
        ),
        pytest.param(
            {"allowedTopologies": [{"matchLabelExpressions": [{"key": "zone", "values": ["a", "a"]}]}]},
            [(D, "allowedTopologies[0].matchLabelExpressions[0].values[1]")],
            id="duplicate-topology-value",
        ),
        pytest.param(
            {"allowedTopologies": [{"matchLabelExpressions": [{"key": "zone", "values": ["a"]}]}] * 2},
            [(D, "allowedTopologies[1].matchLabelExpressions")],
            id="duplicate-term",
        ),
    ],
)
def test_invalid(fields: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    obj = storage_class(**fields)
    S.default(obj)
    assert problems(S.validate(CTX, obj)) == expected


def test_provisioner_is_checked_lower_cased() -> None:
    obj = storage_class(provisioner="CSI.Example.com")
    S.default(obj)
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            {"parameters": {"type": "ssd"}},
            ["parameters: Forbidden: updates to parameters are forbidden."],
            id="parameters",
        ),
        pytest.param(
            {"provisioner": "other.example.com"},
            ["provisioner: Forbidden: updates to provisioner are forbidden."],
            id="provisioner",
        ),
        pytest.param(
            {"reclaimPolicy": "Retain"},
            ["reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden."],
            id="reclaim",
        ),
        pytest.param(
            {"volumeBindingMode": "WaitForFirstConsumer"},
            ['volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable'],
            id="binding-mode",
        ),
        pytest.param({"allowVolumeExpansion": True, "mountOptions": ["ro"]}, [], id="mutable-fields"),
    ],
)
def test_update(change: dict[str, Any], expected: list[str]) -> None:
    old = storage_class()
    S.default(old)
    new = copy.deepcopy(old)
    new.update(change)
    assert [str(e) for e in S.validate_update(CTX, new, old)] == expected


@pytest.mark.parametrize(
    ("annotations", "fields", "cells"),
    [
        pytest.param({}, {}, ["fast", "csi.example.com", "Delete", "Immediate", False, "60s"], id="plain"),
        pytest.param(
            {"storageclass.kubernetes.io/is-default-class": "true"},
            {
                "reclaimPolicy": "Retain",
                "volumeBindingMode": "WaitForFirstConsumer",
                "allowVolumeExpansion": True,
            },
            ["fast (default)", "csi.example.com", "Retain", "WaitForFirstConsumer", True, "60s"],
            id="default-class",
        ),
        pytest.param(
            {"storageclass.beta.kubernetes.io/is-default-class": "true"},
            {},
            ["fast (default)", "csi.example.com", "Delete", "Immediate", False, "60s"],
            id="beta-annotation",
        ),
        pytest.param(
            {"storageclass.kubernetes.io/is-default-class": "false"},
            {},
            ["fast", "csi.example.com", "Delete", "Immediate", False, "60s"],
            id="not-default",
        ),
    ],
)
def test_table_row(annotations: dict[str, str], fields: dict[str, Any], cells: list[Any]) -> None:
    obj = storage_class(**fields)
    obj["metadata"]["annotations"] = annotations
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Provisioner",
        "ReclaimPolicy",
        "VolumeBindingMode",
        "AllowVolumeExpansion",
        "Age",
    ]
    assert S.table_row(obj, NOW) == cells
