"""Ingress: discovery info, validation (create, update, status) and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.networking.ingress import RESOURCE, IngressStrategy

CTX = RequestContext(namespace="default")
S = IngressStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 90
R, INV, NS, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN

BACKEND = {"service": {"name": "web", "port": {"number": 80}}}


def ingress(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "default", "creationTimestamp": CREATED},
        "spec": spec,
    }


def rule(host: str = "", *paths: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "http": {"paths": list(paths) or [{"path": "/", "pathType": "Prefix", "backend": BACKEND}]}
    }
    if host:
        out["host"] = host
    return out


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.group, RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names) == (
        "networking.k8s.io",
        "ingresses",
        "ingress",
        ("ing",),
    )
    assert RESOURCE.namespaced and [s.name for s in RESOURCE.subresources] == ["status"]
    assert S.tracks_generation


def test_create_clears_status_and_starts_generation() -> None:
    obj = ingress(defaultBackend=BACKEND)
    obj["status"] = {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    assert "status" not in obj and obj["metadata"]["generation"] == 1


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({"defaultBackend": BACKEND}, id="default-backend"),
        pytest.param({"rules": [rule("example.com")]}, id="host-rule"),
        pytest.param({"rules": [rule("*.example.com")]}, id="wildcard-host"),
        pytest.param({"rules": [rule()]}, id="any-host"),
        pytest.param(
            {"rules": [rule("", {"pathType": "ImplementationSpecific", "backend": BACKEND})]}, id="no-path"
        ),
        pytest.param(
            {"defaultBackend": {"service": {"name": "web", "port": {"name": "http"}}}}, id="named-port"
        ),
        pytest.param(
            {
                "defaultBackend": {
                    "resource": {"apiGroup": "k8s.example.com", "kind": "StorageBucket", "name": "b"}
                }
            },
            id="resource-backend",
        ),
        pytest.param(
            {
                "defaultBackend": BACKEND,
                "tls": [{"hosts": ["a.example.com", "*.b.example.com"], "secretName": "tls"}],
            },
            id="tls",
        ),
        pytest.param({"defaultBackend": BACKEND, "ingressClassName": "nginx"}, id="class"),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, ingress(**spec)) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param({}, [(INV, "spec")], id="neither-rules-nor-default-backend"),
        pytest.param({"rules": [rule("1.2.3.4")]}, [(INV, "spec.rules[0].host")], id="ip-host"),
        pytest.param({"rules": [rule("Bad_Host")]}, [(INV, "spec.rules[0].host")], id="bad-host"),
        pytest.param({"rules": [rule("*.*.example.com")]}, [(INV, "spec.rules[0].host")], id="bad-wildcard"),
        pytest.param({"rules": [{"http": {"paths": []}}]}, [(R, "spec.rules[0].http.paths")], id="no-paths"),
        pytest.param(
            {"rules": [rule("", {"path": "/", "backend": BACKEND})]},
            [(R, "spec.rules[0].http.paths[0].pathType")],
            id="no-path-type",
        ),
        pytest.param(
            {"rules": [rule("", {"path": "/", "pathType": "Regex", "backend": BACKEND})]},
            [(NS, "spec.rules[0].http.paths[0].pathType")],
            id="unknown-path-type",
        ),
        pytest.param(
            {"rules": [rule("", {"path": "api", "pathType": "Prefix", "backend": BACKEND})]},
            [(INV, "spec.rules[0].http.paths[0].path")],
            id="relative-path",
        ),
        pytest.param(
            {"rules": [rule("", {"path": "/a//b", "pathType": "Exact", "backend": BACKEND})]},
            [(INV, "spec.rules[0].http.paths[0].path")],
            id="double-slash",
        ),
        pytest.param(
            {"rules": [rule("", {"path": "/a/..", "pathType": "Exact", "backend": BACKEND})]},
            [(INV, "spec.rules[0].http.paths[0].path")],
            id="dot-dot-suffix",
        ),
        pytest.param({"defaultBackend": {}}, [(INV, "spec.defaultBackend")], id="empty-backend"),
        pytest.param(
            {"defaultBackend": {**BACKEND, "resource": {"kind": "K", "name": "n"}}},
            [(INV, "spec.defaultBackend")],
            id="both-backends",
        ),
        pytest.param(
            {"defaultBackend": {"service": {"name": "web"}}}, [(R, "spec.defaultBackend")], id="no-port"
        ),
        pytest.param(
            {"defaultBackend": {"service": {"name": "web", "port": {"name": "http", "number": 80}}}},
            [(INV, "spec.defaultBackend")],
            id="port-name-and-number",
        ),
        pytest.param(
            {"defaultBackend": {"service": {"name": "web", "port": {"number": 70000}}}},
            [(INV, "spec.defaultBackend.service.port.number")],
            id="port-out-of-range",
        ),
        pytest.param(
            {"defaultBackend": {"service": {"name": "web", "port": {"name": "http--x"}}}},
            [(INV, "spec.defaultBackend.service.port.name")],
            id="bad-port-name",
        ),
        pytest.param(
            {"defaultBackend": {"service": {"name": "Web_1", "port": {"number": 80}}}},
            [(INV, "spec.defaultBackend.service.name")],
            id="bad-service-name",
        ),
        pytest.param(
            {"defaultBackend": {"service": {"port": {"number": 80}}}},
            [(R, "spec.defaultBackend.service.name")],
            id="no-service-name",
        ),
        pytest.param(
            {"defaultBackend": {"resource": {"kind": "A/B"}}},
            [(INV, "spec.defaultBackend.resource.kind"), (R, "spec.defaultBackend.resource.name")],
            id="bad-resource-backend",
        ),
        pytest.param(
            {"defaultBackend": BACKEND, "tls": [{"hosts": ["Bad_Host"], "secretName": "Bad_Secret"}]},
            [(INV, "spec.tls[0].hosts[0]"), (INV, "spec.tls[0].secretName")],
            id="bad-tls",
        ),
        pytest.param(
            {"defaultBackend": BACKEND, "ingressClassName": "Not_A_Name"},
            [(INV, "spec.ingressClassName")],
            id="bad-class-name",
        ),
    ],
)
def test_invalid(spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(S.validate(CTX, ingress(**spec))) == expected


def test_error_wording() -> None:
    errs = S.validate(CTX, ingress())
    assert str(errs[0]) == "spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"
    errs = S.validate(CTX, ingress(rules=[rule("", {"path": "/", "backend": BACKEND})]))
    assert str(errs[0]) == "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"


def test_class_annotation_must_match_class_name() -> None:
    obj = ingress(defaultBackend=BACKEND, ingressClassName="nginx")
    obj["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "traefik"}
    assert problems(S.validate(CTX, obj)) == [(INV, "annotations.kubernetes.io/ingress.class")]
    assert S.validate_update(CTX, obj, copy.deepcopy(obj)) == []  # only checked on create


def test_update_tolerates_what_the_stored_object_already_has() -> None:
    old = ingress(defaultBackend=BACKEND, tls=[{"secretName": "Bad_Secret"}])
    new = copy.deepcopy(old)
    assert problems(S.validate(CTX, new)) == [(INV, "spec.tls[0].secretName")]
    assert S.validate_update(CTX, new, old) == []


def test_update_bumps_generation_only_for_spec_changes() -> None:
    old = ingress(defaultBackend=BACKEND)
    old["metadata"]["generation"] = 3
    old["status"] = {"loadBalancer": {"ingress": [{"ip": "10.0.0.1"}]}}
    new = copy.deepcopy(old)
    new["metadata"]["labels"] = {"a": "b"}
    del new["status"]
    S.prepare_for_update(CTX, new, old)
    assert new["metadata"]["generation"] == 3 and new["status"] == old["status"]
    new["spec"]["ingressClassName"] = "nginx"
    S.prepare_for_update(CTX, new, old)
    assert new["metadata"]["generation"] == 4


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        pytest.param([{"ip": "10.0.0.1"}, {"hostname": "lb.example.com"}], [], id="valid"),
        pytest.param([{"ip": "10.0.0.300"}], [(INV, "status.loadBalancer.ingress[0].ip")], id="bad-ip"),
        pytest.param([{"ip": "010.0.0.1"}], [(INV, "status.loadBalancer.ingress[0].ip")], id="leading-zero"),
        pytest.param(
            [{"hostname": "10.0.0.1"}],
            [(INV, "status.loadBalancer.ingress[0].hostname")],
            id="ip-as-hostname",
        ),
    ],
)
def test_status_update(entries: list[dict[str, Any]], expected: list[tuple[ErrorType, str]]) -> None:
    old = ingress(defaultBackend=BACKEND)
    new = copy.deepcopy(old)
    new["status"] = {"loadBalancer": {"ingress": entries}}
    S.prepare_for_status_update(CTX, new, old)
    assert problems(S.validate_status_update(CTX, new, old)) == expected


def test_columns() -> None:
    assert [c["name"] for c in S.table_columns()] == ["Name", "Class", "Hosts", "Address", "Ports", "Age"]


@pytest.mark.parametrize(
    ("spec", "status", "cells"),
    [
        pytest.param({"defaultBackend": BACKEND}, {}, ["web", "<none>", "*", "", "80", "90s"], id="default"),
        pytest.param(
            {
                "ingressClassName": "nginx",
                "rules": [rule("a.example.com"), rule("b.example.com")],
                "tls": [{}],
            },
            {"loadBalancer": {"ingress": [{"ip": "10.0.0.2"}, {"hostname": "lb"}, {"ip": "10.0.0.1"}]}},
            ["web", "nginx", "a.example.com,b.example.com", "10.0.0.1,10.0.0.2,lb", "80, 443", "90s"],
            id="hosts-addresses-tls",
        ),
        pytest.param(
            {"rules": [rule(f"h{i}.example.com") for i in range(5)]},
            {},
            ["web", "<none>", "h0.example.com,h1.example.com,h2.example.com + 2 more...", "", "80", "90s"],
            id="many-hosts",
        ),
        pytest.param({"rules": [rule(), rule()]}, {}, ["web", "<none>", "*", "", "80", "90s"], id="no-hosts"),
    ],
)
def test_table_row(spec: dict[str, Any], status: dict[str, Any], cells: list[Any]) -> None:
    obj = ingress(**spec)
    obj["status"] = status
    assert S.table_row(obj, NOW) == cells
