"""EndpointSlice: defaults, validation, the immutable address type, generation and rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.discovery.endpointslice import RESOURCE, EndpointSliceStrategy

CTX = RequestContext(namespace="default")
S = EndpointSliceStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 60
R, INV, NS, D, TM = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.NOT_SUPPORTED,
    ErrorType.DUPLICATE,
    ErrorType.TOO_MANY,
)


def eps(
    address_type: str = "IPv4", endpoints: list[Any] | None = None, ports: list[Any] | None = None
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "web-abc", "namespace": "default", "creationTimestamp": CREATED},
        "addressType": address_type,
    }
    if endpoints is not None:
        obj["endpoints"] = endpoints
    if ports is not None:
        obj["ports"] = ports
    return obj


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.group, RESOURCE.plural, RESOURCE.singular) == (
        "discovery.k8s.io",
        "endpointslices",
        "endpointslice",
    )
    assert RESOURCE.namespaced and RESOURCE.short_names == () and RESOURCE.subresources == ()


def test_port_defaults() -> None:
    obj = eps(ports=[{"port": 80}])
    S.default(obj)
    assert obj["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]


def test_create_drops_deprecated_topology_and_starts_generation() -> None:
    obj = eps(endpoints=[{"addresses": ["10.0.0.1"], "deprecatedTopology": {"a": "b"}}])
    S.prepare_for_create(CTX, obj)
    assert obj["endpoints"] == [{"addresses": ["10.0.0.1"]}] and obj["metadata"]["generation"] == 1


@pytest.mark.parametrize(
    "obj",
    [
        pytest.param(eps(), id="empty"),
        pytest.param(
            eps(
                endpoints=[
                    {
                        "addresses": ["10.0.0.1"],
                        "conditions": {"ready": True},
                        "hostname": "web-0",
                        "nodeName": "node-1",
                        "zone": "a",
                        "hints": {"forZones": [{"name": "a"}], "forNodes": [{"name": "node-1"}]},
                    }
                ],
                ports=[{"name": "http", "port": 80, "protocol": "TCP", "appProtocol": "http"}],
            ),
            id="ipv4",
        ),
        pytest.param(eps("IPv6", [{"addresses": ["2001:db8::1"]}]), id="ipv6"),
        pytest.param(eps("FQDN", [{"addresses": ["web.example.com"]}]), id="fqdn"),
        pytest.param(eps(endpoints=[{"addresses": ["10.0.0.1"]}] * 1000), id="at-most-1000"),
    ],
)
def test_valid(obj: dict[str, Any]) -> None:
    S.default(obj)
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(eps(""), [(R, "addressType")], id="no-address-type"),
        pytest.param(eps("IP"), [(NS, "addressType")], id="deprecated-address-type"),
        pytest.param(
            eps(endpoints=[{"addresses": ["10.0.0.1"]}] * 1001), [(TM, "endpoints")], id="more-than-1000"
        ),
        pytest.param(eps(endpoints=[{}]), [(R, "endpoints[0].addresses")], id="no-addresses"),
        pytest.param(
            eps(endpoints=[{"addresses": ["10.0.0.1"] * 101}]),
            [(TM, "endpoints[0].addresses")],
            id="101-addresses",
        ),
        pytest.param(
            eps(endpoints=[{"addresses": ["2001:db8::1"]}]),
            [(INV, "endpoints[0].addresses[0]")],
            id="ipv6-in-ipv4",
        ),
        pytest.param(
            eps(endpoints=[{"addresses": ["127.0.0.1"]}]), [(INV, "endpoints[0].addresses[0]")], id="loopback"
        ),
        pytest.param(
            eps(endpoints=[{"addresses": ["169.254.1.1"]}]),
            [(INV, "endpoints[0].addresses[0]")],
            id="link-local",
        ),
        pytest.param(
            eps("FQDN", [{"addresses": ["localhost"]}]),
            [(INV, "endpoints[0].addresses[0]")],
            id="fqdn-one-label",
        ),
        pytest.param(
            eps(endpoints=[{"addresses": ["10.0.0.1"], "hostname": "Web.0"}]),
            [(INV, "endpoints[0].hostname")],
            id="bad-hostname",
        ),
        pytest.param(
            eps(endpoints=[{"addresses": ["10.0.0.1"], "nodeName": "Node_1"}]),
            [(INV, "endpoints[0].nodeName")],
            id="bad-node-name",
        ),
        pytest.param(
            eps(
                endpoints=[{"addresses": ["10.0.0.1"], "hints": {"forZones": [{"name": "a"}, {"name": "a"}]}}]
            ),
            [(D, "endpoints[0].hints.forZones[1].name")],
            id="duplicate-zone-hint",
        ),
        pytest.param(
            eps(ports=[{"name": "http", "protocol": "TCP"}, {"name": "http", "protocol": "TCP"}]),
            [(D, "ports[1].name")],
            id="duplicate-port-name",
        ),
        pytest.param(
            eps(ports=[{"name": "HTTP", "protocol": "TCP"}]), [(INV, "ports[0].name")], id="bad-port-name"
        ),
        pytest.param(eps(ports=[{"name": "a"}]), [(R, "ports[0].protocol")], id="no-protocol"),
        pytest.param(
            eps(ports=[{"name": "a", "protocol": "ICMP"}]), [(NS, "ports[0].protocol")], id="bad-protocol"
        ),
        pytest.param(
            eps(ports=[{"name": "a", "protocol": "TCP", "appProtocol": "a/b/c"}]),
            [(INV, "ports[0].appProtocol")],
            id="bad-app-protocol",
        ),
    ],
)
def test_invalid(obj: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(S.validate(CTX, obj)) == expected


def test_wording() -> None:
    errs = S.validate(CTX, eps(endpoints=[{"addresses": ["10.0.0.1"]}] * 1001))
    assert str(errs[0]) == "endpoints: Too many: 1001: must have at most 1000 items"
    errs = S.validate(CTX, eps("IP"))
    assert str(errs[0]) == 'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'


def test_address_type_is_immutable() -> None:
    old = eps()
    new = eps("IPv6")
    assert [str(e) for e in S.validate_update(CTX, new, old)] == [
        'addressType: Invalid value: "IPv6": field is immutable'
    ]


def test_generation_counts_endpoint_and_label_changes() -> None:
    old = eps(endpoints=[{"addresses": ["10.0.0.1"]}])
    old["metadata"]["generation"] = 2
    same = copy.deepcopy(old)
    S.prepare_for_update(CTX, same, old)
    assert same["metadata"]["generation"] == 2
    labelled = copy.deepcopy(old)
    labelled["metadata"]["labels"] = {"a": "b"}
    S.prepare_for_update(CTX, labelled, old)
    assert labelled["metadata"]["generation"] == 3
    moved = copy.deepcopy(old)
    moved["endpoints"][0]["addresses"] = ["10.0.0.2"]
    S.prepare_for_update(CTX, moved, old)
    assert moved["metadata"]["generation"] == 3


@pytest.mark.parametrize(
    ("obj", "cells"),
    [
        pytest.param(eps(), ["web-abc", "IPv4", "<unset>", "<unset>", "60s"], id="empty"),
        pytest.param(
            eps(
                endpoints=[{"addresses": ["10.0.0.1", "10.0.0.2"]}], ports=[{"port": 80}, {"name": "dns"}, {}]
            ),
            ["web-abc", "IPv4", "80,dns,*", "10.0.0.1,10.0.0.2", "60s"],
            id="ports-and-endpoints",
        ),
        pytest.param(
            eps(
                endpoints=[{"addresses": [f"10.0.0.{i}"]} for i in range(1, 6)],
                ports=[{"port": p} for p in range(1, 5)],
            ),
            ["web-abc", "IPv4", "1,2,3 + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...", "60s"],
            id="more",
        ),
    ],
)
def test_table_row(obj: dict[str, Any], cells: list[Any]) -> None:
    assert [c["name"] for c in S.table_columns()] == ["Name", "AddressType", "Ports", "Endpoints", "Age"]
    assert S.table_row(obj, NOW) == cells
