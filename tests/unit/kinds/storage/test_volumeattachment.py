"""VolumeAttachment: validation, the immutable spec, status and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.storage.volumeattachment import RESOURCE, VolumeAttachmentStrategy

CTX = RequestContext()
S = VolumeAttachmentStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, F, TL = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.FORBIDDEN, ErrorType.TOO_LONG


def attachment(**spec: Any) -> dict[str, Any]:
    full = {"attacher": "csi.example.com", "nodeName": "node-1", "source": {"persistentVolumeName": "pv-1"}}
    full.update(spec)
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "VolumeAttachment",
        "metadata": {"name": "csi-123", "creationTimestamp": CREATED},
        "spec": {k: v for k, v in full.items() if v is not None},
    }


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.namespaced) == (
        "volumeattachments",
        "volumeattachment",
        False,
    )
    assert [s.name for s in RESOURCE.subresources] == ["status"]


def test_create_starts_unattached() -> None:
    obj = attachment()
    obj["status"] = {"attached": True}
    S.prepare_for_create(CTX, obj)
    assert obj["status"] == {"attached": False}
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {"attacher": None},
            [(R, "spec.attacher"), (R, "spec.attacher"), (INV, "spec.attacher")],
            id="no-attacher",
        ),
        pytest.param({"source": {}}, [(R, "spec.source")], id="no-source"),
        pytest.param(
            {"source": {"persistentVolumeName": "pv", "inlineVolumeSpec": {}}},
            [(F, "spec.source")],
            id="both-sources",
        ),
        pytest.param({"nodeName": "Node_1"}, [(INV, "spec.nodeName")], id="bad-node"),
        pytest.param({"attacher": "Bad_Attacher"}, [(INV, "spec.attacher")], id="bad-attacher"),
        pytest.param(
            {"source": {"persistentVolumeName": "PV_1"}},
            [(INV, "spec.source.persistentVolumeName")],
            id="bad-pv-name",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert [(e.type, e.field) for e in S.validate(CTX, attachment(**spec))] == expected


def test_spec_is_immutable() -> None:
    old = attachment()
    new = copy.deepcopy(old)
    new["spec"]["nodeName"] = "node-2"
    assert [(e.type, e.field, e.detail) for e in S.validate_update(CTX, new, old)] == [
        (INV, "spec", "field is immutable")
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param({"attached": True, "attachmentMetadata": {"a": "b"}}, [], id="attached"),
        pytest.param(
            {"attached": False, "attachError": {"message": "x" * 1025}},
            ["status.attachError.message: Too long: may not be more than 262144 bytes"],
            id="long-message",
        ),
        pytest.param(
            {"attached": False, "detachError": {"errorCode": -1}},
            ["status.detachError.errorCode: Invalid value: -1: must be between 0 and 2147483647, inclusive"],
            id="negative-code",
        ),
    ],
)
def test_status_update(status: dict[str, Any], expected: list[str]) -> None:
    old = attachment()
    S.prepare_for_create(CTX, old)
    new = copy.deepcopy(old)
    new["status"] = status
    new["spec"]["nodeName"] = "ignored"
    S.prepare_for_status_update(CTX, new, old)
    assert new["spec"] == old["spec"] and new["status"] == status
    assert [str(e) for e in S.validate_status_update(CTX, new, old)] == expected


def test_table_row() -> None:
    obj = attachment()
    obj["status"] = {"attached": True}
    columns = S.table_columns()
    assert [c["name"] for c in columns] == ["Name", "Attacher", "PV", "Node", "Attached", "Age"]
    assert columns[1]["format"] == "name" and columns[4]["type"] == "boolean"
    assert S.table_row(obj, NOW) == ["csi-123", "csi.example.com", "pv-1", "node-1", True, "60s"]
