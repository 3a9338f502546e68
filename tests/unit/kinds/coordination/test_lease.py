"""Lease: validation and table rows."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.coordination.lease import RESOURCE, LeaseStrategy

CTX = RequestContext(namespace="kube-system")
S = LeaseStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 600
INV, NS, F = ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN


def lease(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "node-1", "namespace": "kube-node-lease", "creationTimestamp": CREATED},
        "spec": spec,
    }


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names, RESOURCE.namespaced) == (
        "leases",
        "lease",
        (),
        True,
    )
    assert not S.has_status


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({}, id="empty"),
        pytest.param(
            {
                "holderIdentity": "node-1",
                "leaseDurationSeconds": 40,
                "leaseTransitions": 0,
                "renewTime": "2026-01-01T00:00:00.000000Z",
            },
            id="held",
        ),
        pytest.param({"strategy": "OldestEmulationVersion", "preferredHolder": "a"}, id="coordinated"),
        pytest.param({"strategy": "example.com/mine"}, id="own-strategy"),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, lease(**spec)) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {"leaseDurationSeconds": 0},
            ["spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"],
            id="zero-duration",
        ),
        pytest.param(
            {"leaseTransitions": -1},
            ["spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"],
            id="negative-transitions",
        ),
        pytest.param(
            {"strategy": "Newest"},
            [
                'spec.strategy.strategy: Unsupported value: "Newest": '
                'supported values: "OldestEmulationVersion"'
            ],
            id="unknown-strategy",
        ),
        pytest.param(
            {"preferredHolder": "a"},
            ["spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined"],
            id="preferred-without-strategy",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], expected: list[str]) -> None:
    assert [str(e) for e in S.validate(CTX, lease(**spec))] == expected


@pytest.mark.parametrize(
    ("spec", "holder"),
    [pytest.param({}, "", id="free"), pytest.param({"holderIdentity": "node-1"}, "node-1", id="held")],
)
def test_table_row(spec: dict[str, Any], holder: str) -> None:
    assert [c["name"] for c in S.table_columns()] == ["Name", "Holder", "Age"]
    assert S.table_row(lease(**spec), NOW) == ["node-1", holder, "10m"]
