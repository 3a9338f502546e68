"""PersistentVolume: defaults, validation, immutable source, status transitions, table."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time, rfc3339
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.persistentvolume import RESOURCE, PersistentVolumeStrategy

S = PersistentVolumeStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
CTX = RequestContext(now=NOW)


def pv(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": "pv1", "creationTimestamp": CREATED},
        "spec": {
            "capacity": {"storage": "10Gi"},
            "accessModes": ["ReadWriteOnce"],
            "hostPath": {"path": "/data"},
        },
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def test_resource_info_and_defaults() -> None:
    assert not RESOURCE.namespaced and RESOURCE.short_names == ("pv",)
    obj = created(pv())
    assert obj["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert obj["spec"]["volumeMode"] == "Filesystem"
    assert obj["spec"]["hostPath"] == {"path": "/data", "type": ""}
    assert obj["status"] == {"phase": "Pending", "lastPhaseTransitionTime": rfc3339(NOW)}
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("spec", "field", "kind", "detail"),
    [
        pytest.param({"accessModes": []}, "spec.accessModes", ErrorType.REQUIRED, None, id="modes"),
        pytest.param(
            {"accessModes": ["ReadWriteSometimes"]},
            "spec.accessModes",
            ErrorType.NOT_SUPPORTED,
            None,
            id="mode",
        ),
        pytest.param(
            {"accessModes": ["ReadWriteOncePod", "ReadOnlyMany"]},
            "spec.accessModes",
            ErrorType.FORBIDDEN,
            "may not use ReadWriteOncePod with other access modes",
            id="rwop",
        ),
        pytest.param({"capacity": {}}, "spec.capacity", ErrorType.REQUIRED, None, id="capacity"),
        pytest.param(
            {"capacity": {"storage": "0"}},
            "spec.capacity[storage]",
            ErrorType.INVALID,
            "must be greater than zero",
            id="zero-capacity",
        ),
        pytest.param(
            {"hostPath": None}, "spec", ErrorType.REQUIRED, "must specify a volume type", id="no-source"
        ),
        pytest.param(
            {"nfs": {"server": "nas", "path": "/x"}},
            "spec.nfs",
            ErrorType.FORBIDDEN,
            "may not specify more than 1 volume type",
            id="two-sources",
        ),
        pytest.param(
            {"persistentVolumeReclaimPolicy": "Recycle", "hostPath": {"path": "/"}},
            "spec.persistentVolumeReclaimPolicy",
            ErrorType.FORBIDDEN,
            "hostPath mount of '/'",
            id="recycle-root",
        ),
        pytest.param(
            {"hostPath": None, "local": {"path": "/mnt"}},
            "spec.nodeAffinity",
            ErrorType.REQUIRED,
            "Local volume requires node affinity",
            id="local-affinity",
        ),
        pytest.param(
            {"volumeMode": "Raw"}, "spec.volumeMode", ErrorType.NOT_SUPPORTED, None, id="volume-mode"
        ),
        pytest.param(
            {"storageClassName": "Fast_Disks"}, "spec.storageClassName", ErrorType.INVALID, None, id="class"
        ),
    ],
)
def test_invalid(spec: dict[str, Any], field: str, kind: ErrorType, detail: str | None) -> None:
    obj = pv(**spec)
    obj["spec"] = {k: v for k, v in obj["spec"].items() if v is not None}
    errs = S.validate(CTX, created(obj))
    assert any(
        e.field == field and e.type == kind and (detail is None or detail in e.detail) for e in errs
    ), [str(e) for e in errs]


def test_updates() -> None:
    old = created(pv())
    new = copy.deepcopy(old)
    new["spec"]["capacity"]["storage"] = "20Gi"
    new["spec"]["claimRef"] = {"namespace": "default", "name": "data"}
    S.prepare_for_update(CTX, new, old)
    assert S.validate_update(CTX, new, old) == []
    new["spec"]["hostPath"]["path"] = "/other"
    new["spec"]["volumeMode"] = "Block"
    errs = S.validate_update(CTX, new, old)
    assert errs[0].field == "spec.persistentvolumesource"
    assert errs[0].detail.startswith("spec.persistentvolumesource is immutable after creation\n")
    assert (errs[1].field, errs[1].detail) == ("volumeMode", "field is immutable")


def test_phase_transitions_are_stamped() -> None:
    old = created(pv())
    later = RequestContext(subresource="status", now=NOW + 120)
    new = copy.deepcopy(old)
    new["status"]["phase"] = "Available"
    S.prepare_for_status_update(later, new, old)
    assert new["status"]["lastPhaseTransitionTime"] == rfc3339(NOW + 120)


def test_table() -> None:
    obj = created(
        pv(claimRef={"namespace": "default", "name": "data"}, accessModes=["ReadWriteMany", "ReadWriteOnce"])
    )
    obj["status"] = {"phase": "Bound"}
    obj["metadata"]["annotations"] = {"volume.beta.kubernetes.io/storage-class": "slow"}
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Capacity",
        "Access Modes",
        "Reclaim Policy",
        "Status",
        "Claim",
        "StorageClass",
        "VolumeAttributesClass",
        "Reason",
        "Age",
        "VolumeMode",
    ]
    assert S.table_row(obj, NOW) == [
        "pv1",
        "10Gi",
        "RWO,RWX",
        "Retain",
        "Bound",
        "default/data",
        "slow",
        "<unset>",
        "",
        "60s",
        "Filesystem",
    ]
    assert S.selectable_fields(obj)["name"] == "pv1"
