"""NetworkPolicy: defaults (policy types, protocols), validation and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.networking.networkpolicy import RESOURCE, NetworkPolicyStrategy

CTX = RequestContext(namespace="default")
S = NetworkPolicyStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, NS, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN


def policy(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "deny", "namespace": "default", "creationTimestamp": CREATED},
        "spec": spec,
    }


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names) == (
        "networkpolicies",
        "networkpolicy",
        ("netpol",),
    )
    assert RESOURCE.namespaced and RESOURCE.subresources == ()


@pytest.mark.parametrize(
    ("spec", "types"),
    [
        pytest.param({}, ["Ingress"], id="ingress-only"),
        pytest.param({"egress": [{}]}, ["Ingress", "Egress"], id="with-egress-rules"),
        pytest.param({"policyTypes": ["Egress"]}, ["Egress"], id="explicit"),
    ],
)
def test_policy_types_default(spec: dict[str, Any], types: list[str]) -> None:
    obj = policy(**spec)
    S.default(obj)
    assert obj["spec"]["policyTypes"] == types and obj["spec"]["podSelector"] == {}


def test_port_protocol_defaults_to_tcp() -> None:
    obj = policy(ingress=[{"ports": [{"port": 80}, {"port": 53, "protocol": "UDP"}]}])
    S.default(obj)
    assert [p["protocol"] for p in obj["spec"]["ingress"][0]["ports"]] == ["TCP", "UDP"]


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({"podSelector": {}}, id="select-all"),
        pytest.param(
            {
                "podSelector": {"matchLabels": {"app": "db"}},
                "ingress": [
                    {
                        "from": [
                            {"podSelector": {"matchLabels": {"app": "web"}}},
                            {
                                "namespaceSelector": {
                                    "matchExpressions": [{"key": "team", "operator": "Exists"}]
                                }
                            },
                            {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}},
                        ],
                        "ports": [{"port": 5432, "endPort": 5440}, {"port": "metrics"}],
                    }
                ],
                "egress": [{"to": [{"ipBlock": {"cidr": "2001:db8::/32"}}]}],
                "policyTypes": ["Ingress", "Egress"],
            },
            id="full",
        ),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, policy(**spec)) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {"podSelector": {"matchExpressions": [{"key": "a", "operator": "In"}]}},
            [(R, "spec.podSelector.matchExpressions[0].values")],
            id="in-without-values",
        ),
        pytest.param(
            {"podSelector": {"matchExpressions": [{"key": "a", "operator": "Like"}]}},
            [(INV, "spec.podSelector.matchExpressions[0].operator")],
            id="bad-operator",
        ),
        pytest.param({"ingress": [{"from": [{}]}]}, [(R, "spec.ingress[0].from[0]")], id="empty-peer"),
        pytest.param(
            {"ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}]}]},
            [(F, "spec.ingress[0].from[0]")],
            id="ip-block-and-selector",
        ),
        pytest.param(
            {"egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/33"}}]}]},
            [(INV, "spec.egress[0].to[0].ipBlock.cidr")],
            id="bad-cidr",
        ),
        pytest.param(
            {"egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.1/8"}}]}]},
            [(INV, "spec.egress[0].to[0].ipBlock.cidr")],
            id="host-bits-set",
        ),
        pytest.param(
            {"egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.0.0/8"]}}]}]},
            [(INV, "spec.egress[0].to[0].ipBlock.except[0]")],
            id="except-not-subset",
        ),
        pytest.param(
            {"egress": [{"to": [{"ipBlock": {}}]}]}, [(R, "spec.egress[0].to[0].ipBlock.cidr")], id="no-cidr"
        ),
        pytest.param(
            {"ingress": [{"ports": [{"protocol": "ICMP"}]}]},
            [(NS, "spec.ingress[0].ports[0].protocol")],
            id="bad-protocol",
        ),
        pytest.param(
            {"ingress": [{"ports": [{"port": 0}]}]}, [(INV, "spec.ingress[0].ports[0].port")], id="port-zero"
        ),
        pytest.param(
            {"ingress": [{"ports": [{"port": 90, "endPort": 80}]}]},
            [(INV, "spec.ingress[0].ports[0].endPort")],
            id="end-before-start",
        ),
        pytest.param(
            {"ingress": [{"ports": [{"port": "http", "endPort": 80}]}]},
            [(INV, "spec.ingress[0].ports[0].endPort")],
            id="end-with-named-port",
        ),
        pytest.param(
            {"ingress": [{"ports": [{"endPort": 80}]}]},
            [(INV, "spec.ingress[0].ports[0].endPort")],
            id="end-without-port",
        ),
        pytest.param({"policyTypes": ["Ingress", "Sideways"]}, [(NS, "spec.policyTypes[1]")], id="bad-type"),
        pytest.param(
            {"policyTypes": ["Ingress", "Egress", "Ingress"]},
            [(INV, "spec.policyTypes")],
            id="too-many-types",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(S.validate(CTX, policy(**spec))) == expected


def test_stored_cidrs_are_not_revalidated() -> None:
    old = policy(egress=[{"to": [{"ipBlock": {"cidr": "10.0.0.1/8"}}]}])
    new = copy.deepcopy(old)
    new["spec"]["policyTypes"] = ["Egress"]
    assert S.validate_update(CTX, new, old) == []


def test_generation_counts_spec_changes() -> None:
    obj = policy()
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    assert obj["metadata"]["generation"] == 1
    new = copy.deepcopy(obj)
    new["spec"]["policyTypes"] = ["Egress"]
    S.prepare_for_update(CTX, new, obj)
    assert new["metadata"]["generation"] == 2


@pytest.mark.parametrize(
    ("selector", "cell"),
    [
        pytest.param({}, "<none>", id="all"),
        pytest.param({"matchLabels": {"app": "db"}}, "app=db", id="labels"),
        pytest.param(
            {
                "matchLabels": {"app": "db"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}],
            },
            "app=db,tier in (a,b)",
            id="expressions",
        ),
    ],
)
def test_table_row(selector: dict[str, Any], cell: str) -> None:
    assert [c["name"] for c in S.table_columns()] == ["Name", "Pod-Selector", "Age"]
    assert S.table_row(policy(podSelector=selector), NOW) == ["deny", cell, "60s"]
