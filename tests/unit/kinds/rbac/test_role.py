"""Role and ClusterRole: names, policy rules, aggregation rules and table rows."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.rbac.role import CLUSTER_ROLE, ROLE, ClusterRoleStrategy, RoleStrategy

CTX = RequestContext(namespace="default")
ROLES = RoleStrategy()
CLUSTER_ROLES = ClusterRoleStrategy()
CREATED = "2026-01-01T00:00:00Z"
R, INV = ErrorType.REQUIRED, ErrorType.INVALID


def role(kind: str = "Role", **fields: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "system:reader", "creationTimestamp": CREATED}
    if kind == "Role":
        meta["namespace"] = "default"
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta, **fields}


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (ROLE.plural, ROLE.singular, ROLE.namespaced) == ("roles", "role", True)
    assert (CLUSTER_ROLE.plural, CLUSTER_ROLE.singular, CLUSTER_ROLE.namespaced) == (
        "clusterroles",
        "clusterrole",
        False,
    )
    assert ROLE.short_names == CLUSTER_ROLE.short_names == () and not ROLES.has_status


@pytest.mark.parametrize(
    ("name", "problems_"),
    [
        pytest.param("system:controller:foo", [], id="colons-allowed"),
        pytest.param("Mixed_Case", [], id="anything-but-slash"),
        pytest.param("a/b", ["may not contain '/'"], id="slash"),
        pytest.param("..", ["may not be '..'"], id="dot-dot"),
        pytest.param("50%", ["may not contain '%'"], id="percent"),
    ],
)
def test_names_are_path_segments(name: str, problems_: list[str]) -> None:
    assert RoleStrategy.validate_name(name) == problems_
    assert ClusterRoleStrategy.validate_name(name) == problems_


RULE = {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        pytest.param([RULE], [], id="valid"),
        pytest.param([{**RULE, "verbs": []}], [(R, "rules[0].verbs")], id="no-verbs"),
        pytest.param(
            [{"verbs": ["get"]}], [(R, "rules[0].apiGroups"), (R, "rules[0].resources")], id="no-resources"
        ),
        pytest.param(
            [{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}],
            [(INV, "rules[0].nonResourceURLs")],
            id="urls-in-role",
        ),
    ],
)
def test_role_rules(rules: list[Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(ROLES.validate(CTX, role(rules=rules))) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param({"rules": [{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]}, [], id="urls"),
        pytest.param(
            {"rules": [{"verbs": ["get"], "nonResourceURLs": ["/healthz"], "resources": ["pods"]}]},
            [(INV, "rules[0].nonResourceURLs")],
            id="urls-and-resources",
        ),
        pytest.param(
            {
                "aggregationRule": {
                    "clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate": "true"}}]
                }
            },
            [],
            id="aggregated",
        ),
        pytest.param(
            {"aggregationRule": {}},
            [(R, "aggregationRule.clusterRoleSelectors")],
            id="aggregation-without-selectors",
        ),
        pytest.param(
            {
                "aggregationRule": {
                    "clusterRoleSelectors": [
                        {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}
                    ]
                }
            },
            [(ErrorType.FORBIDDEN, "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values")],
            id="bad-selector",
        ),
    ],
)
def test_cluster_role(fields: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(CLUSTER_ROLES.validate(CTX, role("ClusterRole", **fields))) == expected


def test_wording() -> None:
    errs = CLUSTER_ROLES.validate(CTX, role("ClusterRole", aggregationRule={}))
    assert str(errs[0]) == (
        "aggregationRule.clusterRoleSelectors: Required value: "
        "at least one clusterRoleSelector required if aggregationRule is non-nil"
    )


def test_table_is_name_and_creation_time() -> None:
    for strategy in (ROLES, CLUSTER_ROLES):
        columns = strategy.table_columns()
        assert [(c["name"], c["type"]) for c in columns] == [("Name", "string"), ("Created At", "date")]
        assert strategy.table_row(role(), 0) == ["system:reader", CREATED]
