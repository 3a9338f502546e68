"""ConfigMap: keys, binaryData, size, immutability, table."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType, FieldErrors
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.configmap import RESOURCE, ConfigMapStrategy

S = ConfigMapStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 7200
CTX = RequestContext(namespace="default", now=NOW)
INV, F, TL = ErrorType.INVALID, ErrorType.FORBIDDEN, ErrorType.TOO_LONG


def cm(**fields: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "default", "creationTimestamp": CREATED},
        **fields,
    }


def has(errs: FieldErrors, field: str, kind: ErrorType, detail: str | None = None) -> bool:
    return any(e.field == field and e.type == kind and (detail is None or detail in e.detail) for e in errs)


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names) == ("configmaps", "configmap", ("cm",))


def test_valid() -> None:
    assert S.validate(CTX, cm(data={"a.conf": "x", "B_2": "y"}, binaryData={"bin": "AAEC"})) == []


@pytest.mark.parametrize(
    ("obj", "field", "kind", "detail"),
    [
        pytest.param(cm(data={"a b": "x"}), "data[a b]", INV, "a valid config key", id="data-key"),
        pytest.param(cm(binaryData={"a/b": "AA=="}), "binaryData[a/b]", INV, None, id="binary-key"),
        pytest.param(
            cm(data={"k": "x"}, binaryData={"k": "AA=="}),
            "data[k]",
            INV,
            "duplicate of key present in binaryData",
            id="duplicate-key",
        ),
        pytest.param(
            cm(data={"k": "x" * (1024 * 1024 + 1)}),
            "[]",
            TL,
            "may not be more than 1048576 bytes",
            id="too-big",
        ),
    ],
)
def test_invalid(obj: dict[str, Any], field: str, kind: ErrorType, detail: str | None) -> None:
    errs = S.validate(CTX, obj)
    assert has(errs, field, kind, detail), [str(e) for e in errs]


def test_immutable() -> None:
    old = cm(data={"a": "1"}, immutable=True)
    new = copy.deepcopy(old)
    new["data"]["a"] = "2"
    errs = S.validate_update(CTX, new, old)
    assert has(errs, "data", F, "field is immutable when `immutable` is set")
    new = copy.deepcopy(old)
    new.pop("immutable")
    assert has(S.validate_update(CTX, new, old), "immutable", F)
    labelled = copy.deepcopy(old)
    labelled["metadata"]["labels"] = {"x": "y"}
    assert S.validate_update(CTX, labelled, old) == []


def test_table() -> None:
    assert [(c["name"], c["type"]) for c in S.table_columns()] == [
        ("Name", "string"),
        ("Data", "string"),
        ("Age", "string"),
    ]
    assert S.table_row(cm(data={"a": "1"}, binaryData={"b": "AA=="}), NOW) == ["c", 2, "120m"]
