"""APIService: naming, priorities, services, the local Available condition and rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.apiregistration.apiservice import RESOURCE, APIServiceStrategy

NOW_TEXT = "2026-01-01T00:00:00Z"
NOW = parse_time(NOW_TEXT)
CTX = RequestContext(now=NOW)
S = APIServiceStrategy()
R, INV, NS = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED
SERVICE = {"namespace": "kube-system", "name": "metrics-server"}


def apiservice(name: str = "v1beta1.metrics.k8s.io", **spec: Any) -> dict[str, Any]:
    full = {
        "group": "metrics.k8s.io",
        "version": "v1beta1",
        "groupPriorityMinimum": 100,
        "versionPriority": 100,
    }
    full.update(spec)
    return {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": {"name": name, "creationTimestamp": NOW_TEXT},
        "spec": {k: v for k, v in full.items() if v is not None},
    }


def created(name: str = "v1beta1.metrics.k8s.io", **spec: Any) -> dict[str, Any]:
    obj = apiservice(name, **spec)
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.namespaced, RESOURCE.categories) == (
        "apiservices",
        "apiservice",
        False,
        ("api-extensions",),
    )
    assert [s.name for s in RESOURCE.subresources] == ["status"] and not S.allow_unconditional_update


def test_local_services_are_available_at_once() -> None:
    obj = created()
    assert obj["status"] == {
        "conditions": [
            {
                "type": "Available",
                "status": "True",
                "lastTransitionTime": NOW_TEXT,
                "reason": "Local",
                "message": "Local APIServices are always available",
            }
        ]
    }
    remote = created(service=dict(SERVICE))
    assert remote["status"] == {} and remote["spec"]["service"]["port"] == 443


@pytest.mark.parametrize(
    ("name", "spec", "expected"),
    [
        pytest.param("v1beta1.metrics.k8s.io", {"service": SERVICE, "caBundle": "Y2E="}, [], id="remote"),
        pytest.param("v1.", {"group": None, "version": "v1"}, [], id="legacy-v1"),
        pytest.param("v1.metrics.k8s.io", {}, [(INV, "metadata.name")], id="name-mismatch"),
        pytest.param("v2.", {"group": None, "version": "v2"}, [(R, "spec.group")], id="empty-group"),
        pytest.param("V1.metrics.k8s.io", {"version": "V1"}, [(INV, "spec.version")], id="bad-version"),
        pytest.param(
            "v1beta1.metrics.k8s.io",
            {"groupPriorityMinimum": 0},
            [(INV, "spec.groupPriorityMinimum")],
            id="group-priority",
        ),
        pytest.param(
            "v1beta1.metrics.k8s.io",
            {"versionPriority": 1001},
            [(INV, "spec.versionPriority")],
            id="version-priority",
        ),
        pytest.param(
            "v1beta1.metrics.k8s.io",
            {"caBundle": "Y2E="},
            [(INV, "spec.caBundle")],
            id="local-with-ca-bundle",
        ),
        pytest.param(
            "v1beta1.metrics.k8s.io",
            {"service": {**SERVICE, "port": 0}},
            [(INV, "spec.service.port")],
            id="service-port",
        ),
        pytest.param(
            "v1beta1.metrics.k8s.io",
            {"service": {"port": 443}},
            [(R, "spec.service.namespace"), (R, "spec.service.name")],
            id="service-without-name",
        ),
        pytest.param(
            "v1beta1.metrics.k8s.io",
            {"service": SERVICE, "caBundle": "Y2E=", "insecureSkipTLSVerify": True},
            [(INV, "spec.insecureSkipTLSVerify")],
            id="insecure-with-ca",
        ),
    ],
)
def test_validate(name: str, spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert [(e.type, e.field) for e in S.validate(CTX, created(name, **spec))] == expected


def test_wording() -> None:
    errs = S.validate(CTX, created("v1.metrics.k8s.io", caBundle="Y2E="))
    assert [str(e) for e in errs] == [
        'metadata.name: Invalid value: "v1.metrics.k8s.io": must be `spec.version+"."+spec.group`: '
        '"v1beta1.metrics.k8s.io"',
        'spec.caBundle: Invalid value: "2 bytes": local APIServices may not have a caBundle',
    ]


def test_status_update() -> None:
    old = created(service=dict(SERVICE))
    new = copy.deepcopy(old)
    new["status"] = {"conditions": [{"type": "Available", "status": "Maybe"}]}
    S.prepare_for_status_update(CTX, new, old)
    assert [(e.type, e.field) for e in S.validate_status_update(CTX, new, old)] == [
        (NS, "status.conditions[0].status")
    ]


@pytest.mark.parametrize(
    ("service", "conditions", "cells"),
    [
        pytest.param(None, None, ["v1beta1.metrics.k8s.io", "Local", "True", "0s"], id="local"),
        pytest.param(
            SERVICE, [], ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "Unknown", "0s"], id="new"
        ),
        pytest.param(
            SERVICE,
            [{"type": "Available", "status": "False", "reason": "MissingEndpoints"}],
            ["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)", "0s"],
            id="unavailable",
        ),
    ],
)
def test_table_row(service: dict[str, Any] | None, conditions: list[Any] | None, cells: list[Any]) -> None:
    obj = created() if service is None else created(service=dict(service))
    if conditions is not None:
        obj["status"] = {"conditions": conditions}
    assert [c["name"] for c in S.table_columns()] == ["Name", "Service", "Available", "Age"]
    assert S.table_row(obj, NOW) == cells
