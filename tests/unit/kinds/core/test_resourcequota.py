"""ResourceQuota: validation of resources and scopes, status handling, table."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.resourcequota import RESOURCE, ResourceQuotaStrategy

S = ResourceQuotaStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
CTX = RequestContext(namespace="default", now=NOW)


def quota(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "q", "namespace": "default", "creationTimestamp": CREATED},
        "spec": spec,
        "status": {"used": {"pods": "3"}},
    }


def test_resource_info_and_create() -> None:
    assert RESOURCE.short_names == ("quota",) and RESOURCE.subresource("status") is not None
    obj = quota(
        hard={"pods": "10", "requests.cpu": "4", "limits.memory": "8Gi", "count/deployments.apps": "5"}
    )
    S.prepare_for_create(CTX, obj)
    assert "status" not in obj
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("spec", "field", "kind", "detail"),
    [
        pytest.param(
            {"hard": {"gpus": "1"}},
            "spec.hard[gpus]",
            ErrorType.INVALID,
            "must be a standard resource type or fully qualified",
            id="name",
        ),
        pytest.param(
            {"hard": {"storage": "1Gi"}},
            "spec.hard[storage]",
            ErrorType.INVALID,
            "must be a standard resource for quota",
            id="not-for-quota",
        ),
        pytest.param(
            {"hard": {"pods": "1.5"}},
            "spec.hard[pods]",
            ErrorType.INVALID,
            "must be an integer",
            id="integer",
        ),
        pytest.param(
            {"hard": {"cpu": "-1"}},
            "spec.hard[cpu]",
            ErrorType.INVALID,
            "must be greater than or equal to 0",
            id="negative",
        ),
        pytest.param(
            {"hard": {"pods": "1"}, "scopes": ["Whenever"]},
            "spec.scopes",
            ErrorType.INVALID,
            "unsupported scope",
            id="scope",
        ),
        pytest.param(
            {"hard": {"services": "1"}, "scopes": ["BestEffort"]},
            "spec.scopes",
            ErrorType.INVALID,
            "unsupported scope applied to resource",
            id="scope-resource",
        ),
        pytest.param(
            {"hard": {"pods": "1"}, "scopes": ["Terminating", "NotTerminating"]},
            "spec.scopes",
            ErrorType.INVALID,
            "conflicting scopes",
            id="conflict",
        ),
        pytest.param(
            {
                "hard": {"pods": "1"},
                "scopeSelector": {
                    "matchExpressions": [{"scopeName": "BestEffort", "operator": "In", "values": ["x"]}]
                },
            },
            "spec.scopeSelector.matchExpressions.operator",
            ErrorType.INVALID,
            "must be 'Exists'",
            id="selector-operator",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], field: str, kind: ErrorType, detail: str) -> None:
    obj = quota(**spec)
    S.prepare_for_create(CTX, obj)
    errs = S.validate(CTX, obj)
    assert any(e.field == field and e.type == kind and detail in e.detail for e in errs), [
        str(e) for e in errs
    ]


def test_scopes_are_immutable_and_status_is_kept() -> None:
    old = quota(hard={"pods": "10"}, scopes=["BestEffort"])
    new = copy.deepcopy(old)
    new["spec"]["scopes"] = ["NotBestEffort"]
    new["status"] = {"used": {"pods": "0"}}
    S.prepare_for_update(CTX, new, old)
    assert new["status"] == old["status"]
    assert [(e.field, e.detail) for e in S.validate_update(CTX, new, old)] == [
        ("spec.scopes", "field is immutable")
    ]
    bad = copy.deepcopy(old)
    bad["status"] = {"used": {"pods": "-1"}}
    assert S.validate_status_update(CTX, bad, old)[0].field == "status.used[pods]"


def test_table() -> None:
    obj = quota(hard={"pods": "10"})
    obj["status"] = {
        "hard": {"pods": "10", "requests.cpu": "2", "limits.memory": "2Gi", "limits.cpu": "4000m"},
        "used": {"pods": "3", "requests.cpu": "500m", "limits.memory": "1024Mi"},
    }
    # Kubernetes' printer puts Age second for quotas (kubectl get quota: NAME AGE REQUEST LIMIT).
    assert [c["name"] for c in S.table_columns()] == ["Name", "Age", "Request", "Limit"]
    assert S.table_row(obj, NOW) == [
        "q",
        "60s",
        "pods: 3/10, requests.cpu: 500m/2",
        "limits.cpu: 0/4, limits.memory: 1Gi/2Gi",
    ]
