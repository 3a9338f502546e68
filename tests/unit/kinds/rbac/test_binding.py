"""RoleBinding and ClusterRoleBinding: defaults, role references, subjects, the
immutable roleRef, and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.rbac.binding import (
    CLUSTER_ROLE_BINDING,
    ROLE_BINDING,
    ClusterRoleBindingStrategy,
    RoleBindingStrategy,
)

CTX = RequestContext(namespace="default")
RB = RoleBindingStrategy()
CRB = ClusterRoleBindingStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, NS = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED
GROUP = "rbac.authorization.k8s.io"


def binding(
    kind: str = "RoleBinding", role: str = "ClusterRole", subjects: list[Any] | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": "readers", "creationTimestamp": CREATED}
    if kind == "RoleBinding":
        meta["namespace"] = "default"
    obj: dict[str, Any] = {
        "apiVersion": f"{GROUP}/v1",
        "kind": kind,
        "metadata": meta,
        "roleRef": {"kind": role, "name": "view"},
    }
    if subjects is not None:
        obj["subjects"] = subjects
    return obj


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (ROLE_BINDING.plural, ROLE_BINDING.namespaced) == ("rolebindings", True)
    assert (CLUSTER_ROLE_BINDING.plural, CLUSTER_ROLE_BINDING.singular, CLUSTER_ROLE_BINDING.namespaced) == (
        "clusterrolebindings",
        "clusterrolebinding",
        False,
    )


def test_defaults_api_groups() -> None:
    obj = binding(
        subjects=[
            {"kind": "User", "name": "alice"},
            {"kind": "Group", "name": "devs"},
            {"kind": "ServiceAccount", "name": "default", "namespace": "default"},
        ]
    )
    RB.default(obj)
    assert obj["roleRef"]["apiGroup"] == GROUP
    assert [s.get("apiGroup") for s in obj["subjects"]] == [GROUP, GROUP, None]
    assert RB.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("strategy", "obj", "expected"),
    [
        pytest.param(RB, binding(role="Role"), [], id="role"),
        pytest.param(RB, binding(role="Thing"), [(NS, "roleRef.kind")], id="bad-kind"),
        pytest.param(CRB, binding("ClusterRoleBinding", "Role"), [(NS, "roleRef.kind")], id="crb-to-role"),
        pytest.param(
            RB,
            binding(subjects=[{"kind": "ServiceAccount", "name": "sa", "apiGroup": "x"}]),
            [(NS, "subjects[0].apiGroup")],
            id="sa-with-group",
        ),
        pytest.param(
            CRB,
            binding("ClusterRoleBinding", subjects=[{"kind": "ServiceAccount", "name": "sa"}]),
            [(R, "subjects[0].namespace")],
            id="crb-sa-needs-namespace",
        ),
        pytest.param(
            RB,
            binding(subjects=[{"kind": "ServiceAccount", "name": "Bad_SA"}]),
            [(INV, "subjects[0].name")],
            id="bad-sa",
        ),
        pytest.param(
            RB,
            binding(subjects=[{"kind": "Robot", "name": "r"}]),
            [(NS, "subjects[0].kind")],
            id="bad-subject",
        ),
        pytest.param(
            RB,
            binding(subjects=[{"kind": "User", "apiGroup": GROUP}]),
            [(R, "subjects[0].name")],
            id="subject-without-name",
        ),
    ],
)
def test_validation(strategy: Any, obj: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    strategy.default(obj)
    assert problems(strategy.validate(CTX, obj)) == expected


def test_role_ref_name_and_group() -> None:
    obj = binding()
    obj["roleRef"] = {"apiGroup": "example.com", "kind": "ClusterRole"}
    assert problems(RB.validate(CTX, obj)) == [(NS, "roleRef.apiGroup"), (R, "roleRef.name")]


@pytest.mark.parametrize(
    "strategy", [pytest.param(RB, id="rolebinding"), pytest.param(CRB, id="clusterrolebinding")]
)
def test_role_ref_is_immutable(strategy: Any) -> None:
    old = binding("RoleBinding" if strategy is RB else "ClusterRoleBinding")
    strategy.default(old)
    new = copy.deepcopy(old)
    new["roleRef"]["name"] = "edit"
    errs = strategy.validate_update(CTX, new, old)
    assert [(e.type, e.field, e.detail) for e in errs] == [(INV, "roleRef", "cannot change roleRef")]
    new = copy.deepcopy(old)
    new["subjects"] = [{"kind": "User", "name": "bob", "apiGroup": GROUP}]
    assert strategy.validate_update(CTX, new, old) == []


def test_table_row() -> None:
    obj = binding(
        subjects=[
            {"kind": "User", "name": "alice"},
            {"kind": "User", "name": "bob"},
            {"kind": "Group", "name": "devs"},
            {"kind": "ServiceAccount", "name": "default", "namespace": "ci"},
        ]
    )
    assert [c["name"] for c in RB.table_columns()] == [
        "Name",
        "Role",
        "Age",
        "Users",
        "Groups",
        "ServiceAccounts",
    ]
    assert [c["priority"] for c in CRB.table_columns()] == [0, 0, 0, 1, 1, 1]
    assert RB.table_row(obj, NOW) == [
        "readers",
        "ClusterRole/view",
        "60s",
        "alice, bob",
        "devs",
        "ci/default",
    ]
    assert CRB.table_row(binding("ClusterRoleBinding"), NOW) == [
        "readers",
        "ClusterRole/view",
        "60s",
        "",
        "",
        "",
    ]
