"""PodDisruptionBudget: status on create, minAvailable xor maxUnavailable, selectors, rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.policy.poddisruptionbudget import RESOURCE, PodDisruptionBudgetStrategy

CTX = RequestContext(namespace="default")
S = PodDisruptionBudgetStrategy()
CREATED = "2026-01-01T00:00:00Z"

INV, NS, R, F = ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.REQUIRED, ErrorType.FORBIDDEN


def budget(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "db", "namespace": "default", "creationTimestamp": CREATED},
        "spec": {"selector": {"matchLabels": {"app": "db"}}},
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def test_resource_info() -> None:
    assert (RESOURCE.group, RESOURCE.version, RESOURCE.plural) == ("policy", "v1", "poddisruptionbudgets")
    assert RESOURCE.short_names == ("pdb",) and RESOURCE.categories == ()
    assert [s.name for s in RESOURCE.subresources] == ["status"]


def test_create_writes_zero_status_and_generation() -> None:
    obj = budget(minAvailable=1)
    obj["status"] = {"disruptionsAllowed": 5}
    created(obj)
    assert obj["status"] == {
        "disruptionsAllowed": 0,
        "currentHealthy": 0,
        "desiredHealthy": 0,
        "expectedPods": 0,
    }
    assert obj["metadata"]["generation"] == 1


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({"minAvailable": 2}, id="min-count"),
        pytest.param({"minAvailable": "50%"}, id="min-percent"),
        pytest.param({"maxUnavailable": 0}, id="max-zero"),
        pytest.param({"maxUnavailable": "100%"}, id="max-percent"),
        pytest.param({"minAvailable": 1, "selector": {}}, id="empty-selector-selects-all"),
        pytest.param(
            {"maxUnavailable": 1, "unhealthyPodEvictionPolicy": "AlwaysAllow"}, id="eviction-policy"
        ),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, created(budget(**spec))) == []


@pytest.mark.parametrize(
    ("spec", "expected", "detail"),
    [
        pytest.param(
            {"minAvailable": 1, "maxUnavailable": 1},
            [(INV, "spec")],
            "minAvailable and maxUnavailable cannot be both set",
            id="both",
        ),
        pytest.param(
            {"minAvailable": -1},
            [(INV, "spec.minAvailable")],
            "must be greater than or equal to 0",
            id="negative-min",
        ),
        pytest.param(
            {"maxUnavailable": "150%"},
            [(INV, "spec.maxUnavailable")],
            "must not be greater than 100%",
            id="over-100-percent",
        ),
        pytest.param(
            {"minAvailable": "half"},
            [(INV, "spec.minAvailable")],
            "a valid percent string must be a numeric string followed by an ending '%' "
            "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            id="not-a-percent",
        ),
        pytest.param(
            {
                "minAvailable": 1,
                "selector": {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["x"]}]},
            },
            [(F, "spec.selector.matchExpressions[0].values")],
            "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            id="bad-selector",
        ),
        pytest.param(
            {"minAvailable": 1, "unhealthyPodEvictionPolicy": "Never"},
            [(NS, "spec.unhealthyPodEvictionPolicy")],
            'supported values: "AlwaysAllow", "IfHealthyBudget"',
            id="eviction-policy",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], expected: list[tuple[ErrorType, str]], detail: str) -> None:
    errs = S.validate(CTX, created(budget(**spec)))
    assert [(e.type, e.field) for e in errs] == expected
    assert errs[0].detail == detail


def test_spec_is_mutable_and_counts_generations() -> None:
    old = created(budget(minAvailable=1))
    new = copy.deepcopy(old)
    new["spec"] = {"maxUnavailable": "20%", "selector": {"matchLabels": {"app": "web"}}}
    S.prepare_for_update(CTX, new, old)
    assert S.validate_update(CTX, new, old) == [] and new["metadata"]["generation"] == 2


def test_status_update_rules() -> None:
    old = created(budget(minAvailable=1))
    new = copy.deepcopy(old)
    new["status"]["disruptionsAllowed"] = -1
    assert [(e.type, e.field) for e in S.validate_status_update(CTX, new, old)] == [
        (INV, "status.disruptionsAllowed")
    ]


@pytest.mark.parametrize(
    ("spec", "allowed", "cells"),
    [
        pytest.param({"minAvailable": 1}, 0, ["1", "N/A", 0], id="min"),
        pytest.param({"maxUnavailable": "25%"}, 2, ["N/A", "25%", 2], id="max"),
    ],
)
def test_table_row(spec: dict[str, Any], allowed: int, cells: list[Any]) -> None:
    obj = created(budget(**spec))
    obj["status"]["disruptionsAllowed"] = allowed
    assert S.table_row(obj, parse_time(CREATED) + 3) == ["db", *cells, "3s"]
    assert [(c["name"], c["type"]) for c in S.table_columns()] == [
        ("Name", "string"),
        ("Min Available", "string"),
        ("Max Unavailable", "string"),
        ("Allowed Disruptions", "integer"),
        ("Age", "string"),
    ]
