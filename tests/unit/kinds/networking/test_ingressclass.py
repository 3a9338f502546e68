"""IngressClass: defaults, validation, the immutable controller, and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.networking.ingressclass import RESOURCE, IngressClassStrategy

CTX = RequestContext()
S = IngressClassStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, NS, F, TL = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.NOT_SUPPORTED,
    ErrorType.FORBIDDEN,
    ErrorType.TOO_LONG,
)


def ingress_class(**spec: Any) -> dict[str, Any]:
    spec.setdefault("controller", "example.com/ingress-controller")
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "nginx", "creationTimestamp": CREATED},
        "spec": spec,
    }


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names) == (
        "ingressclasses",
        "ingressclass",
        (),
    )
    assert not RESOURCE.namespaced and RESOURCE.subresources == ()


def test_parameters_scope_defaults_to_cluster() -> None:
    obj = ingress_class(parameters={"kind": "Params", "name": "p"})
    S.default(obj)
    assert obj["spec"]["parameters"]["scope"] == "Cluster"
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param({"controller": ""}, [(R, "spec.controller")], id="no-controller"),
        pytest.param({"controller": "nginx"}, [(INV, "spec.controller")], id="not-domain-prefixed"),
        pytest.param({"controller": "Bad_Domain/x"}, [(INV, "spec.controller")], id="bad-domain"),
        pytest.param({"controller": "example.com/" + "a" * 250}, [(TL, "spec.controller")], id="too-long"),
        pytest.param(
            {"parameters": {"kind": "P", "name": "p", "scope": "Global"}},
            [(NS, "spec.parameters.scope")],
            id="bad-scope",
        ),
        pytest.param(
            {"parameters": {"kind": "P", "name": "p", "scope": "Namespace"}},
            [(R, "spec.parameters.namespace")],
            id="namespace-scope-needs-namespace",
        ),
        pytest.param(
            {"parameters": {"kind": "P", "name": "p", "scope": "Cluster", "namespace": "x"}},
            [(F, "spec.parameters.namespace")],
            id="cluster-scope-forbids-namespace",
        ),
        pytest.param(
            {"parameters": {"scope": "Cluster", "apiGroup": "Bad_Group"}},
            [(INV, "spec.parameters.apiGroup"), (R, "spec.parameters.kind"), (R, "spec.parameters.name")],
            id="incomplete-parameters",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(S.validate(CTX, ingress_class(**spec))) == expected


def test_controller_is_immutable() -> None:
    old = ingress_class()
    new = copy.deepcopy(old)
    new["spec"]["controller"] = "example.com/other"
    errs = S.validate_update(CTX, new, old)
    assert [str(e) for e in errs] == [
        'spec.controller: Invalid value: "example.com/other": field is immutable'
    ]


@pytest.mark.parametrize(
    ("parameters", "cell"),
    [
        pytest.param(None, "<none>", id="none"),
        pytest.param({"kind": "Params", "name": "p"}, "Params/p", id="core"),
        pytest.param(
            {"apiGroup": "k8s.example.com", "kind": "Params", "name": "p"},
            "Params.k8s.example.com/p",
            id="group",
        ),
    ],
)
def test_table_row(parameters: dict[str, Any] | None, cell: str) -> None:
    obj = ingress_class() if parameters is None else ingress_class(parameters=parameters)
    assert [c["name"] for c in S.table_columns()] == ["Name", "Controller", "Parameters", "Age"]
    assert S.table_row(obj, NOW) == ["nginx", "example.com/ingress-controller", cell, "60s"]
