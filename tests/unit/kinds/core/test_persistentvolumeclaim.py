"""PersistentVolumeClaim: defaults, validation, what an update may change, table."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.persistentvolumeclaim import RESOURCE, PersistentVolumeClaimStrategy

S = PersistentVolumeClaimStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
CTX = RequestContext(namespace="default", now=NOW)


def pvc(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "data", "namespace": "default", "creationTimestamp": CREATED},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def test_resource_info_and_defaults() -> None:
    assert RESOURCE.short_names == ("pvc",) and RESOURCE.subresource("status") is not None
    obj = created(pvc())
    assert obj["spec"]["volumeMode"] == "Filesystem"
    assert obj["status"] == {"phase": "Pending"}
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("spec", "field", "kind", "detail"),
    [
        pytest.param(
            {"accessModes": []},
            "spec.accessModes",
            ErrorType.REQUIRED,
            "at least 1 access mode is required",
            id="modes",
        ),
        pytest.param({"resources": {}}, "spec.resources[storage]", ErrorType.REQUIRED, None, id="storage"),
        pytest.param(
            {"resources": {"requests": {"storage": "0"}}},
            "spec.resources[storage]",
            ErrorType.INVALID,
            "must be greater than zero",
            id="zero-storage",
        ),
        pytest.param(
            {"volumeMode": "Raw"}, "spec.volumeMode", ErrorType.NOT_SUPPORTED, None, id="volume-mode"
        ),
        pytest.param(
            {"selector": {"matchExpressions": [{"key": "k", "operator": "In"}]}},
            "spec.selector.matchExpressions[0].values",
            ErrorType.REQUIRED,
            None,
            id="selector",
        ),
        pytest.param(
            {"dataSource": {"kind": "Snapshot", "name": "s"}},
            "spec.dataSource",
            ErrorType.INVALID,
            "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
            id="data-source",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], field: str, kind: ErrorType, detail: str | None) -> None:
    errs = S.validate(CTX, created(pvc(**spec)))
    assert any(
        e.field == field and e.type == kind and (detail is None or detail in e.detail) for e in errs
    ), [str(e) for e in errs]


def update(old: dict[str, Any], change: Any) -> tuple[dict[str, Any], list[Any]]:
    new = copy.deepcopy(old)
    change(new)
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    return new, S.validate_update(CTX, new, old)


def bound() -> dict[str, Any]:
    obj = created(pvc(storageClassName="fast"))
    obj["spec"]["volumeName"] = "pv1"
    obj["status"] = {"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}
    return obj


def test_bound_claims_may_grow() -> None:
    _, errs = update(bound(), lambda c: c["spec"]["resources"]["requests"].update(storage="2Gi"))
    assert errs == []
    _, errs = update(bound(), lambda c: c["spec"]["resources"]["requests"].update(storage="512Mi"))
    assert [(e.field, e.detail) for e in errs] == [
        ("spec.resources.requests.storage", "field can not be less than status.capacity")
    ]


def test_spec_is_otherwise_immutable() -> None:
    _, errs = update(bound(), lambda c: c["spec"].update(accessModes=["ReadWriteMany"]))
    assert errs[0].field == "spec" and errs[0].type == ErrorType.FORBIDDEN
    assert errs[0].detail.startswith(
        "spec is immutable after creation except resources.requests and "
        "volumeAttributesClassName for bound claims\n"
    )
    pending = created(pvc())
    _, errs = update(pending, lambda c: c["spec"]["resources"]["requests"].update(storage="2Gi"))
    assert errs and errs[0].field == "spec"
    _, errs = update(pending, lambda c: c["spec"].update(volumeName="pv1"))
    assert errs == []  # the volume name may be set once
    _, errs = update(pending, lambda c: c["spec"].update(storageClassName="fast"))
    assert errs == []  # a class may be set where there was none


def test_status_table_and_selectors() -> None:
    obj = bound()
    errs = S.validate_status_update(CTX, obj, obj)
    assert errs == []
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Status",
        "Volume",
        "Capacity",
        "Access Modes",
        "StorageClass",
        "VolumeAttributesClass",
        "Age",
        "VolumeMode",
    ]
    assert S.table_row(obj, NOW) == [
        "data",
        "Bound",
        "pv1",
        "1Gi",
        "RWO",
        "fast",
        "<unset>",
        "60s",
        "Filesystem",
    ]
    assert S.table_row(created(pvc()), NOW)[:5] == ["data", "Pending", "", "", ""]
