"""Endpoints: defaults, validation, the table cell."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.endpoints import RESOURCE, EndpointsStrategy

S = EndpointsStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 30
CTX = RequestContext(namespace="default", user="alice", now=NOW)


def endpoints(*subsets: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "web", "namespace": "default", "creationTimestamp": CREATED},
        "subsets": list(subsets),
    }


def addresses(*ips: str) -> list[dict[str, str]]:
    return [{"ip": ip} for ip in ips]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names) == ("endpoints", "endpoints", ("ep",))


def test_defaults_and_valid() -> None:
    obj = endpoints({"addresses": addresses("10.0.0.1"), "ports": [{"port": 80}]})
    S.default(obj)
    assert obj["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]
    assert S.validate(CTX, obj) == []
    assert S.deprecation == "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"


@pytest.mark.parametrize(
    ("subset", "field", "kind", "detail"),
    [
        pytest.param(
            {"ports": [{"port": 80, "protocol": "TCP"}]},
            "subsets[0]",
            ErrorType.REQUIRED,
            "must specify `addresses` or `notReadyAddresses`",
            id="no-addresses",
        ),
        pytest.param(
            {"addresses": addresses("10.0.0.300")},
            "subsets[0].addresses[0].ip",
            ErrorType.INVALID,
            "must be a valid IP address",
            id="bad-ip",
        ),
        pytest.param(
            {"addresses": addresses("127.0.0.1")},
            "subsets[0].addresses[0].ip",
            ErrorType.INVALID,
            "loopback",
            id="loopback",
        ),
        pytest.param(
            {"notReadyAddresses": addresses("169.254.1.1")},
            "subsets[0].notReadyAddresses[0].ip",
            ErrorType.INVALID,
            "link-local",
            id="link-local",
        ),
        pytest.param(
            {
                "addresses": addresses("10.0.0.1"),
                "ports": [{"port": 80, "protocol": "TCP"}, {"port": 81, "protocol": "TCP"}],
            },
            "subsets[0].ports[0].name",
            ErrorType.REQUIRED,
            None,
            id="names-for-multiple-ports",
        ),
        pytest.param(
            {"addresses": addresses("10.0.0.1"), "ports": [{"port": 0, "protocol": "TCP"}]},
            "subsets[0].ports[0].port",
            ErrorType.INVALID,
            None,
            id="port-range",
        ),
    ],
)
def test_invalid(subset: dict[str, Any], field: str, kind: ErrorType, detail: str | None) -> None:
    errs = S.validate(CTX, endpoints(subset))
    assert any(
        e.field == field and e.type == kind and (detail is None or detail in e.detail) for e in errs
    ), [str(e) for e in errs]


@pytest.mark.parametrize(
    ("obj", "cell"),
    [
        pytest.param(endpoints(), "<none>", id="none"),
        pytest.param(
            endpoints({"addresses": addresses("10.0.0.1", "10.0.0.2"), "ports": [{"port": 80}]}),
            "10.0.0.1:80,10.0.0.2:80",
            id="two",
        ),
        pytest.param(
            endpoints(
                {
                    "addresses": addresses("10.0.0.1", "10.0.0.2", "10.0.0.3"),
                    "ports": [{"port": 80}, {"port": 443}],
                }
            ),
            "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 3 more...",
            id="more",
        ),
        pytest.param(endpoints({"addresses": addresses("fd00::1")}), "fd00::1", id="headless"),
        pytest.param(
            endpoints({"addresses": addresses("fd00::1"), "ports": [{"port": 80}]}), "[fd00::1]:80", id="ipv6"
        ),
    ],
)
def test_table_rows(obj: dict[str, Any], cell: str) -> None:
    assert S.table_row(obj, NOW) == ["web", cell, "30s"]
