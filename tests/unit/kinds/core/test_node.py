"""Node: defaults, validation of taints and CIDRs, update rules, table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.node import RESOURCE, NodeStrategy

S = NodeStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 600
CTX = RequestContext(now=NOW)


def node(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "n1", "creationTimestamp": CREATED, "labels": {}},
        "spec": spec,
        "status": {
            "capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
            "conditions": [{"type": "Ready", "status": "True"}],
            "addresses": [
                {"type": "InternalIP", "address": "192.168.1.10"},
                {"type": "Hostname", "address": "n1"},
            ],
            "nodeInfo": {
                "kubeletVersion": "v1.37.0",
                "osImage": "Debian GNU/Linux 13",
                "kernelVersion": "6.12.0",
                "containerRuntimeVersion": "containerd://2.0.0",
            },
        },
    }


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def test_resource_info() -> None:
    assert not RESOURCE.namespaced and RESOURCE.short_names == ("no",)
    proxy = RESOURCE.subresource("proxy")
    assert proxy is not None and proxy.kind == "NodeProxyOptions"
    assert set(proxy.verbs) == {"create", "delete", "get", "patch", "update"}


def test_create_keeps_status_and_defaults() -> None:
    obj = created(node(podCIDR="10.244.1.0/24"))
    assert obj["status"]["allocatable"] == obj["status"]["capacity"]
    assert obj["spec"]["podCIDRs"] == ["10.244.1.0/24"]
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("spec", "field", "kind"),
    [
        pytest.param(
            {"taints": [{"key": "k", "effect": "Sometimes"}]},
            "metadata.taints[0].effect",
            ErrorType.NOT_SUPPORTED,
            id="effect",
        ),
        pytest.param(
            {"taints": [{"key": "k"}]}, "metadata.taints[0].effect", ErrorType.REQUIRED, id="no-effect"
        ),
        pytest.param(
            {"taints": [{"key": "k", "effect": "NoSchedule"}, {"key": "k", "effect": "NoSchedule"}]},
            "metadata.taints[1]",
            ErrorType.DUPLICATE,
            id="duplicate",
        ),
        pytest.param({"podCIDRs": ["10.244.1.1/24"]}, "spec.podCIDRs[0]", ErrorType.INVALID, id="cidr"),
        pytest.param(
            {"podCIDRs": ["10.244.1.0/24", "10.244.2.0/24"]}, "spec.podCIDRs", ErrorType.INVALID, id="two-v4"
        ),
    ],
)
def test_invalid(spec: dict[str, Any], field: str, kind: ErrorType) -> None:
    errs = S.validate(CTX, created(node(**spec)))
    assert any(e.field == field and e.type == kind for e in errs), [str(e) for e in errs]


def test_update_rules() -> None:
    old = created(node(podCIDRs=["10.244.1.0/24"], providerID="pyk8s://n1"))
    new = copy.deepcopy(old)
    new["spec"]["unschedulable"] = True
    new["spec"]["taints"] = [{"key": "k", "effect": "NoSchedule"}]
    new["status"]["capacity"]["cpu"] = "64"  # ignored on the main resource
    S.prepare_for_update(CTX, new, old)
    assert new["status"] == old["status"]
    assert S.validate_update(CTX, new, old) == []
    new["spec"]["podCIDRs"] = ["10.244.9.0/24"]
    new["spec"]["providerID"] = "other://n1"
    errs = S.validate_update(CTX, new, old)
    assert [(e.field, e.type) for e in errs] == [
        ("spec.podCIDRs", ErrorType.FORBIDDEN),
        ("spec.providerID", ErrorType.FORBIDDEN),
    ]


def test_columns_and_rows() -> None:
    assert [(c["name"], c["priority"]) for c in S.table_columns()] == [
        ("Name", 0),
        ("Status", 0),
        ("Roles", 0),
        ("Age", 0),
        ("Version", 0),
        ("Internal-IP", 1),
        ("External-IP", 1),
        ("OS-Image", 1),
        ("Kernel-Version", 1),
        ("Container-Runtime", 1),
    ]
    obj = created(node(unschedulable=True))
    obj["metadata"]["labels"] = {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "infra"}
    assert S.table_row(obj, NOW) == [
        "n1",
        "Ready,SchedulingDisabled",
        "control-plane,infra",
        "10m",
        "v1.37.0",
        "192.168.1.10",
        "<none>",
        "Debian GNU/Linux 13",
        "6.12.0",
        "containerd://2.0.0",
    ]
    bare = created(node())
    bare["status"] = {}
    assert S.table_row(bare, NOW) == [
        "n1",
        "Unknown",
        "<none>",
        "10m",
        "",
        "<none>",
        "<none>",
        "<unknown>",
        "<unknown>",
        "<unknown>",
    ]
    assert S.selectable_fields(obj)["spec.unschedulable"] == "true"
