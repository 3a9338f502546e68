"""PriorityLevelConfiguration: defaults, validation and table rows."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.flowcontrol.prioritylevelconfiguration import RESOURCE, PriorityLevelConfigurationStrategy

CTX = RequestContext()
S = PriorityLevelConfigurationStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, NS, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN


def level(name: str = "workload-low", **spec: Any) -> dict[str, Any]:
    obj = {
        "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
        "kind": "PriorityLevelConfiguration",
        "metadata": {"name": name, "creationTimestamp": CREATED},
        "spec": spec,
    }
    S.default(obj)
    return obj


def queued(**queuing: Any) -> dict[str, Any]:
    return {"type": "Limited", "limited": {"limitResponse": {"type": "Queue", "queuing": queuing}}}


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.namespaced) == (
        "prioritylevelconfigurations",
        "prioritylevelconfiguration",
        False,
    )
    assert [s.name for s in RESOURCE.subresources] == ["status"]


def test_defaults() -> None:
    spec = level(**queued())["spec"]
    assert spec["limited"]["nominalConcurrencyShares"] == 30 and spec["limited"]["lendablePercent"] == 0
    assert spec["limited"]["limitResponse"]["queuing"] == {
        "handSize": 8,
        "queues": 64,
        "queueLengthLimit": 50,
    }
    exempt = level("exempt", type="Exempt", exempt={})["spec"]
    assert exempt["exempt"] == {"nominalConcurrencyShares": 0, "lendablePercent": 0}
    zero = level(type="Limited", limited={"nominalConcurrencyShares": 0, "limitResponse": {"type": "Reject"}})
    assert zero["spec"]["limited"]["nominalConcurrencyShares"] == 0  # v1 keeps an explicit 0


@pytest.mark.parametrize(
    ("name", "spec", "expected"),
    [
        pytest.param("workload-low", queued(), [], id="queued"),
        pytest.param("exempt", {"type": "Exempt"}, [], id="exempt"),
        pytest.param("workload-low", {"type": "Exempt"}, [(INV, "spec.type")], id="exempt-type-wrong-name"),
        pytest.param("exempt", queued(), [(INV, "spec.type")], id="exempt-name-limited-type"),
        pytest.param("workload-low", {"type": "Unlimited"}, [(NS, "spec.type")], id="bad-type"),
        pytest.param("workload-low", {"type": "Limited"}, [(R, "spec.limited")], id="no-limited"),
        pytest.param(
            "workload-low",
            {**queued(), "exempt": {}},
            [(F, "spec.exempt")],
            id="limited-with-exempt",
        ),
        pytest.param(
            "workload-low",
            {"type": "Limited", "limited": {"limitResponse": {"type": "Reject", "queuing": {}}}},
            [(F, "spec.limited.limitResponse.queuing")],
            id="reject-with-queuing",
        ),
        pytest.param(
            "workload-low",
            {"type": "Limited", "limited": {"limitResponse": {"type": "Queue"}}},
            [(R, "spec.limited.limitResponse.queuing")],
            id="queue-without-queuing",
        ),
        pytest.param(
            "workload-low",
            {"type": "Limited", "limited": {"limitResponse": {"type": "Drop"}}},
            [(NS, "spec.limited.limitResponse.type")],
            id="bad-limit-response",
        ),
        pytest.param(
            "workload-low",
            {
                "type": "Limited",
                "limited": {
                    "nominalConcurrencyShares": -1,
                    "lendablePercent": 101,
                    "borrowingLimitPercent": -1,
                    "limitResponse": {"type": "Reject"},
                },
            },
            [
                (INV, "spec.limited.nominalConcurrencyShares"),
                (INV, "spec.limited.lendablePercent"),
                (INV, "spec.limited.borrowingLimitPercent"),
            ],
            id="shares",
        ),
        pytest.param(
            "workload-low",
            queued(handSize=65),
            [(INV, "spec.limited.limitResponse.queuing.handSize")],
            id="hand-too-big",
        ),
        pytest.param(
            "workload-low",
            queued(queues=10_000_000, handSize=40),
            [(INV, "spec.limited.limitResponse.queuing.handSize")],
            id="entropy",
        ),
        pytest.param(
            "workload-low",
            queued(queueLengthLimit=-1),
            [(INV, "spec.limited.limitResponse.queuing.queueLengthLimit")],
            id="length",
        ),
    ],
)
def test_validate(name: str, spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert [(e.type, e.field) for e in S.validate(CTX, level(name, **spec))] == expected


def test_wording() -> None:
    errs = S.validate(CTX, level(**queued(queues=10_000_000, handSize=40)))
    assert [str(e) for e in errs] == [
        "spec.limited.limitResponse.queuing.handSize: Invalid value: 40: required entropy bits of deckSize "
        "10000000 and handSize 40 should not be greater than 60"
    ]


@pytest.mark.parametrize(
    ("name", "spec", "cells"),
    [
        pytest.param(
            "workload-low", queued(), ["workload-low", "Limited", 30, 64, 8, 50, "60s"], id="queued"
        ),
        pytest.param(
            "global",
            {"type": "Limited", "limited": {"limitResponse": {"type": "Reject"}}},
            ["global", "Limited", 30, "<none>", "<none>", "<none>", "60s"],
            id="reject",
        ),
        pytest.param(
            "exempt",
            {"type": "Exempt"},
            ["exempt", "Exempt", "<none>", "<none>", "<none>", "<none>", "60s"],
            id="exempt",
        ),
    ],
)
def test_table_row(name: str, spec: dict[str, Any], cells: list[Any]) -> None:
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Type",
        "NominalConcurrencyShares",
        "Queues",
        "HandSize",
        "QueueLengthLimit",
        "Age",
    ]
    assert S.table_row(level(name, **spec), NOW) == cells
