"""LimitRange: container defaults, bounds validation, the default table."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.limitrange import RESOURCE, LimitRangeStrategy

S = LimitRangeStrategy()
CTX = RequestContext(namespace="default")
CREATED = "2026-01-01T00:00:00Z"


def lr(*items: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": {"name": "limits", "namespace": "default", "creationTimestamp": CREATED},
        "spec": {"limits": list(items)},
    }


def test_resource_info_defaults_and_table() -> None:
    assert RESOURCE.short_names == ("limits",)
    obj = lr(
        {"type": "Container", "max": {"cpu": "2"}, "min": {"memory": "64Mi"}, "default": {"memory": "1Gi"}},
        {"type": "Pod", "max": {"cpu": "4"}},
    )
    S.default(obj)
    container = obj["spec"]["limits"][0]
    assert container["default"] == {"memory": "1Gi", "cpu": "2"}
    assert container["defaultRequest"] == {"memory": "1Gi", "cpu": "2"}
    assert "default" not in obj["spec"]["limits"][1]
    assert S.validate(CTX, obj) == []
    assert [(c["name"], c["type"]) for c in S.table_columns()] == [("Name", "string"), ("Created At", "date")]
    assert S.table_row(obj, 0) == ["limits", CREATED]


@pytest.mark.parametrize(
    ("item", "field", "detail"),
    [
        pytest.param(
            {"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}},
            "spec.limits[0].min[cpu]",
            "min value 2 is greater than max value 1",
            id="min-max",
        ),
        pytest.param(
            {"type": "Container", "default": {"cpu": "500m"}, "defaultRequest": {"cpu": "1"}},
            "spec.limits[0].defaultRequest[cpu]",
            "default request value 1 is greater than default limit value 500m",
            id="request-limit",
        ),
        pytest.param(
            {"type": "Container", "maxLimitRequestRatio": {"cpu": "500m"}},
            "spec.limits[0].maxLimitRequestRatio[cpu]",
            "ratio 500m is less than 1",
            id="ratio",
        ),
        pytest.param(
            {"type": "Pod", "default": {"cpu": "1"}},
            "spec.limits[0].default",
            "may not be specified when `type` is 'Pod'",
            id="pod-default",
        ),
        pytest.param(
            {"type": "PersistentVolumeClaim", "max": {"cpu": "1"}},
            "spec.limits[0].limits",
            "either minimum or maximum storage value is required",
            id="claim-storage",
        ),
        pytest.param(
            {"type": "Machine"},
            "spec.limits[0].type",
            "must be a standard limit type or fully qualified",
            id="type",
        ),
        pytest.param(
            {"type": "Container", "max": {"disk": "1"}},
            "spec.limits[0].max[disk]",
            "must be a standard resource type or fully qualified",
            id="resource-name",
        ),
    ],
)
def test_invalid(item: dict[str, Any], field: str, detail: str) -> None:
    obj = lr(item)
    errs = S.validate(CTX, obj)
    assert any(e.field == field and detail in e.detail for e in errs), [str(e) for e in errs]


def test_duplicate_types() -> None:
    errs = S.validate(CTX, lr({"type": "Pod"}, {"type": "Pod"}))
    assert [(e.field, e.type) for e in errs] == [("spec.limits[1].type", ErrorType.DUPLICATE)]
