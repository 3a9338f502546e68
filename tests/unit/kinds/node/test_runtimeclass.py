"""RuntimeClass: the handler (a DNS label, immutable), overhead, scheduling and rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.node.runtimeclass import RESOURCE, RuntimeClassStrategy

CTX = RequestContext()
S = RuntimeClassStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
INV, NS, D = ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.DUPLICATE


def runtime_class(handler: str = "runc", **fields: Any) -> dict[str, Any]:
    return {
        "apiVersion": "node.k8s.io/v1",
        "kind": "RuntimeClass",
        "metadata": {"name": "default", "creationTimestamp": CREATED},
        "handler": handler,
        **fields,
    }


def test_resource_info() -> None:
    assert (RESOURCE.group, RESOURCE.plural, RESOURCE.singular, RESOURCE.namespaced) == (
        "node.k8s.io",
        "runtimeclasses",
        "runtimeclass",
        False,
    )


@pytest.mark.parametrize(
    "obj",
    [
        pytest.param(runtime_class(), id="plain"),
        pytest.param(
            runtime_class(
                "kata",
                overhead={"podFixed": {"cpu": "250m", "memory": "120Mi"}},
                scheduling={
                    "nodeSelector": {"runtime": "kata"},
                    "tolerations": [{"key": "kata", "operator": "Exists", "effect": "NoSchedule"}],
                },
            ),
            id="overhead-and-scheduling",
        ),
    ],
)
def test_valid(obj: dict[str, Any]) -> None:
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(runtime_class(""), [(INV, "handler")], id="no-handler"),
        pytest.param(runtime_class("kata.v2"), [(INV, "handler")], id="dots"),
        pytest.param(runtime_class("Kata"), [(INV, "handler")], id="upper-case"),
        pytest.param(
            runtime_class(overhead={"podFixed": {"cpu": "-1"}}),
            [(INV, "overhead.limits[cpu]")],
            id="negative-overhead",
        ),
        pytest.param(
            runtime_class(scheduling={"nodeSelector": {"a": "b c"}}),
            [(INV, "scheduling.nodeSelector")],
            id="bad-node-selector",
        ),
        pytest.param(
            runtime_class(scheduling={"tolerations": [{"operator": "Equal", "value": "x"}]}),
            [(INV, "scheduling.tolerations[0].operator")],
            id="toleration-without-key",
        ),
        pytest.param(
            runtime_class(scheduling={"tolerations": [{"key": "a", "effect": "Sometimes"}]}),
            [(NS, "scheduling.tolerations[0].effect")],
            id="bad-effect",
        ),
        pytest.param(
            runtime_class(scheduling={"tolerations": [{"key": "a", "operator": "Exists"}] * 2}),
            [(D, "scheduling.tolerations[1]")],
            id="duplicate-toleration",
        ),
    ],
)
def test_invalid(obj: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert [(e.type, e.field) for e in S.validate(CTX, obj)] == expected


def test_handler_wording() -> None:
    assert [str(e) for e in S.validate(CTX, runtime_class("kata.v2"))] == [
        'handler: Invalid value: "kata.v2": must not contain dots'
    ]


def test_handler_is_immutable() -> None:
    old = runtime_class()
    new = copy.deepcopy(old)
    new["handler"] = "crun"
    assert [str(e) for e in S.validate_update(CTX, new, old)] == [
        'handler: Invalid value: "crun": field is immutable'
    ]


def test_table_row() -> None:
    assert [c["name"] for c in S.table_columns()] == ["Name", "Handler", "Age"]
    assert S.table_row(runtime_class(), NOW) == ["default", "runc", "60s"]
