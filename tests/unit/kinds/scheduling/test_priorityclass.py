"""PriorityClass: defaults, reserved system names, value limits, immutability and rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.scheduling.priorityclass import RESOURCE, PriorityClassStrategy

CTX = RequestContext()
S = PriorityClassStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60


def priority_class(name: str = "high", **fields: Any) -> dict[str, Any]:
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name, "creationTimestamp": CREATED},
        **fields,
    }


def defaulted(name: str = "high", **fields: Any) -> dict[str, Any]:
    obj = priority_class(name, **fields)
    S.default(obj)
    return obj


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names, RESOURCE.namespaced) == (
        "priorityclasses",
        "priorityclass",
        ("pc",),
        False,
    )


def test_defaults() -> None:
    obj = defaulted(value=1000)
    assert obj["preemptionPolicy"] == "PreemptLowerPriority" and obj["value"] == 1000
    assert defaulted(preemptionPolicy="Never")["preemptionPolicy"] == "Never"


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        pytest.param("high", {"value": 1_000_000_000, "globalDefault": True}, id="highest-user-value"),
        pytest.param("low", {"value": -5, "preemptionPolicy": "Never"}, id="negative-never"),
        pytest.param("system-node-critical", {"value": 2_000_001_000}, id="system-node-critical"),
        pytest.param("system-cluster-critical", {"value": 2_000_000_000}, id="system-cluster-critical"),
    ],
)
def test_valid(name: str, fields: dict[str, Any]) -> None:
    assert S.validate(CTX, defaulted(name, **fields)) == []


@pytest.mark.parametrize(
    ("name", "fields", "expected"),
    [
        pytest.param(
            "high",
            {"value": 1_000_000_001},
            ["value: Forbidden: maximum allowed value of a user defined priority is 1000000000"],
            id="too-high",
        ),
        pytest.param(
            "system-custom",
            {"value": 1},
            [
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for "
                "system use only. error: system-custom is not a known system priority class"
            ],
            id="reserved-prefix",
        ),
        pytest.param(
            "system-node-critical",
            {"value": 5},
            [
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for "
                "system use only. error: value of system-node-critical PriorityClass must be 2000001000"
            ],
            id="system-value",
        ),
        pytest.param(
            "system-cluster-critical",
            {"value": 2_000_000_000, "globalDefault": True},
            [
                "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for "
                "system use only. error: globalDefault of system-cluster-critical PriorityClass must be false"
            ],
            id="system-global-default",
        ),
        pytest.param(
            "high",
            {"value": 1, "preemptionPolicy": "Sometimes"},
            [
                'preemptionPolicy: Unsupported value: "Sometimes": supported values: '
                '"PreemptLowerPriority", "Never"'
            ],
            id="bad-policy",
        ),
    ],
)
def test_invalid(name: str, fields: dict[str, Any], expected: list[str]) -> None:
    assert [str(e) for e in S.validate(CTX, defaulted(name, **fields))] == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param({"value": 2}, ["value: Forbidden: may not be changed in an update."], id="value"),
        pytest.param(
            {"preemptionPolicy": "Never"},
            ['preemptionPolicy: Invalid value: "Never": field is immutable'],
            id="policy",
        ),
        pytest.param({"description": "now described", "globalDefault": True}, [], id="mutable"),
    ],
)
def test_update(change: dict[str, Any], expected: list[str]) -> None:
    old = defaulted(value=1)
    new = copy.deepcopy(old)
    new.update(change)
    assert [str(e) for e in S.validate_update(CTX, new, old)] == expected


def test_table_row() -> None:
    columns = S.table_columns()
    assert [(c["name"], c["type"], c["priority"]) for c in columns] == [
        ("Name", "string", 0),
        ("Value", "integer", 0),
        ("Global-Default", "boolean", 0),
        ("Age", "string", 0),
        ("PreemptionPolicy", "string", 0),
    ]
    assert S.table_row(defaulted(value=100, globalDefault=True), NOW) == [
        "high",
        100,
        True,
        "60s",
        "PreemptLowerPriority",
    ]
