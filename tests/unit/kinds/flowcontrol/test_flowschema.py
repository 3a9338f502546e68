"""FlowSchema: defaults, validation, status and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.flowcontrol.flowschema import RESOURCE, FlowSchemaStrategy

CTX = RequestContext()
S = FlowSchemaStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, NS, F, D = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.NOT_SUPPORTED,
    ErrorType.FORBIDDEN,
    ErrorType.DUPLICATE,
)
USERS = {"kind": "Group", "group": {"name": "system:authenticated"}}
READS = {"verbs": ["get", "list"], "apiGroups": ["*"], "resources": ["*"], "namespaces": ["*"]}


def flow_schema(name: str = "reads", **spec: Any) -> dict[str, Any]:
    full: dict[str, Any] = {
        "priorityLevelConfiguration": {"name": "workload-low"},
        "rules": [{"subjects": [USERS], "resourceRules": [READS]}],
    }
    full.update(spec)
    obj = {
        "apiVersion": "flowcontrol.apiserver.k8s.io/v1",
        "kind": "FlowSchema",
        "metadata": {"name": name, "creationTimestamp": CREATED},
        "spec": {k: v for k, v in full.items() if v is not None},
    }
    S.default(obj)
    return obj


def rules(**rule: Any) -> list[dict[str, Any]]:
    base: dict[str, Any] = {"subjects": [USERS], "resourceRules": [READS]}
    base.update(rule)
    return [{k: v for k, v in base.items() if v is not None}]


def test_resource_info() -> None:
    assert (RESOURCE.group, RESOURCE.plural, RESOURCE.singular, RESOURCE.namespaced) == (
        "flowcontrol.apiserver.k8s.io",
        "flowschemas",
        "flowschema",
        False,
    )
    assert [s.name for s in RESOURCE.subresources] == ["status"] and S.tracks_generation


def test_matching_precedence_defaults_to_1000() -> None:
    assert flow_schema()["spec"]["matchingPrecedence"] == 1000
    assert flow_schema(matchingPrecedence=500)["spec"]["matchingPrecedence"] == 500


@pytest.mark.parametrize(
    ("name", "spec", "expected"),
    [
        pytest.param("reads", {}, [], id="valid"),
        pytest.param("exempt", {"matchingPrecedence": 1}, [], id="exempt-precedence-1"),
        pytest.param(
            "reads", {"matchingPrecedence": 1}, [(INV, "spec.matchingPrecedence")], id="precedence-1"
        ),
        pytest.param(
            "reads", {"matchingPrecedence": 10001}, [(INV, "spec.matchingPrecedence")], id="precedence-high"
        ),
        pytest.param(
            "reads",
            {"distinguisherMethod": {"type": "ByPod"}},
            [(NS, "spec.distinguisherMethod.type")],
            id="method",
        ),
        pytest.param(
            "reads",
            {"priorityLevelConfiguration": {}},
            [(R, "spec.priorityLevelConfiguration.name")],
            id="no-level",
        ),
        pytest.param(
            "reads", {"rules": rules(subjects=None)}, [(R, "spec.rules[0].subjects")], id="no-subjects"
        ),
        pytest.param("reads", {"rules": rules(resourceRules=None)}, [(R, "spec.rules[0]")], id="no-rules"),
        pytest.param(
            "reads",
            {"rules": rules(subjects=[{"kind": "Group", "group": {"name": "a"}, "user": {"name": "b"}}])},
            [(F, "spec.rules[0].subjects[0].user")],
            id="subject-with-other-kind",
        ),
        pytest.param(
            "reads",
            {"rules": rules(subjects=[{"kind": "ServiceAccount", "serviceAccount": {"name": "*"}}])},
            [(R, "spec.rules[0].subjects[0].serviceAccount.namespace")],
            id="service-account-namespace",
        ),
        pytest.param(
            "reads",
            {"rules": rules(subjects=[{"kind": "Robot"}])},
            [(NS, "spec.rules[0].subjects[0].kind")],
            id="kind",
        ),
        pytest.param(
            "reads",
            {"rules": rules(resourceRules=[{**READS, "verbs": ["get", "*"]}])},
            [(INV, "spec.rules[0].resourceRules[0].verbs")],
            id="wildcard-and-verb",
        ),
        pytest.param(
            "reads",
            {"rules": rules(resourceRules=[{**READS, "verbs": ["fly"]}])},
            [(NS, "spec.rules[0].resourceRules[0].verbs")],
            id="unknown-verb",
        ),
        pytest.param(
            "reads",
            {"rules": rules(resourceRules=[{**READS, "namespaces": []}])},
            [(R, "spec.rules[0].resourceRules[0].namespaces")],
            id="no-namespaces",
        ),
        pytest.param(
            "reads",
            {
                "rules": rules(
                    resourceRules=None, nonResourceRules=[{"verbs": ["get"], "nonResourceURLs": ["/api/*/x"]}]
                )
            },
            [(INV, "spec.rules[0].nonResourceRules[0].nonResourceURLs[0]")],
            id="inner-wildcard",
        ),
    ],
)
def test_validate(name: str, spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert [(e.type, e.field) for e in S.validate(CTX, flow_schema(name, **spec))] == expected


def test_status_conditions() -> None:
    old = flow_schema()
    new = copy.deepcopy(old)
    new["status"] = {
        "conditions": [{"type": "Dangling", "status": "False"}, {"type": "Dangling", "status": "True"}]
    }
    S.prepare_for_status_update(CTX, new, old)
    assert [(e.type, e.field) for e in S.validate_status_update(CTX, new, old)] == [
        (D, "status.conditions[1].type")
    ]


@pytest.mark.parametrize(
    ("spec", "status", "cells"),
    [
        pytest.param({}, {}, ["reads", "workload-low", 1000, "<none>", "60s", "?"], id="plain"),
        pytest.param(
            {"distinguisherMethod": {"type": "ByUser"}, "matchingPrecedence": 500},
            {"conditions": [{"type": "Dangling", "status": "False"}]},
            ["reads", "workload-low", 500, "ByUser", "60s", "False"],
            id="by-user",
        ),
    ],
)
def test_table_row(spec: dict[str, Any], status: dict[str, Any], cells: list[Any]) -> None:
    obj = flow_schema(**spec)
    obj["status"] = status
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "PriorityLevel",
        "MatchingPrecedence",
        "DistinguisherMethod",
        "Age",
        "MissingPL",
    ]
    assert S.table_row(obj, NOW) == cells
