"""The shared field-validation rules: names, ports, addresses, labels and selectors, webhook
client configs, with Kubernetes' wording and paths."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.api.fields import FieldPath
from pyk8s.api.validation import (
    dns1035_label,
    dns1123_label,
    is_fully_qualified_name,
    path_segment_name,
    port_name,
    validate_cidr,
    validate_cidr_for_legacy_field,
    validate_enum,
    validate_field_selector_requirement,
    validate_immutable,
    validate_ip,
    validate_ip_for_legacy_field,
    validate_label_selector,
    validate_labels,
    validate_nonnegative,
    validate_port_num_or_name,
    validate_webhook_service,
    validate_webhook_url,
    wildcard_dns1123_subdomain,
)

LABEL_REGEX_ERROR = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def texts(errs: list[Any]) -> list[str]:
    return [str(e) for e in errs]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("runc", [], id="valid"),
        pytest.param("a.b", ["must not contain dots"], id="dots"),
        pytest.param("A", [LABEL_REGEX_ERROR], id="upper-case"),
        pytest.param("a" * 64, ["must be no more than 63 characters"], id="too-long"),
        pytest.param(
            "a." * 32 + "a",
            ["must be no more than 63 characters", "must not contain dots"],
            id="long-subdomain",
        ),
        pytest.param("-a.b", [LABEL_REGEX_ERROR], id="not-a-subdomain"),
    ],
)
def test_dns1123_label(value: str, expected: list[str]) -> None:
    assert dns1123_label(value) == expected


def test_dns1035_label() -> None:
    assert dns1035_label("v1beta1") == []
    assert dns1035_label("1v") == [
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
        "alphabetic "
        "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
        "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
    ]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param("*.example.com", True, id="valid"),
        pytest.param("*.*.example.com", False, id="double"),
        pytest.param("a.*.com", False, id="inner"),
        pytest.param("*", False, id="bare"),
    ],
)
def test_wildcard(value: str, valid: bool) -> None:
    assert (wildcard_dns1123_subdomain(value) == []) is valid


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("http", [], id="valid"),
        pytest.param("80", ["must contain at least one letter (a-z)"], id="digits"),
        pytest.param("-http", ["must not begin or end with a hyphen"], id="hyphen"),
        pytest.param("a--b", ["must not contain consecutive hyphens"], id="double-hyphen"),
        pytest.param(
            "a_b", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"], id="underscore"
        ),
        pytest.param("abcdefghijklmnop", ["must be no more than 15 characters"], id="long"),
    ],
)
def test_port_name(value: str, expected: list[str]) -> None:
    assert port_name(value) == expected


def test_path_segment_names() -> None:
    assert path_segment_name("system:node:a") == []
    assert path_segment_name("a/b%c") == ["may not contain '/'", "may not contain '%'"]
    assert path_segment_name(".") == ["may not be '.'"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("10.0.0.1", [], id="ipv4"),
        pytest.param("2001:db8::1", [], id="ipv6"),
        pytest.param(
            "10.0.0.256",
            [
                'ip: Invalid value: "10.0.0.256": '
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
            ],
            id="bad",
        ),
        pytest.param(
            "010.0.0.1", ['ip: Invalid value: "010.0.0.1": must not have leading 0s'], id="leading-zero"
        ),
        pytest.param(
            "::ffff:10.0.0.1",
            ['ip: Invalid value: "::ffff:10.0.0.1": must not be an IPv4-mapped IPv6 address'],
            id="mapped",
        ),
    ],
)
def test_ip_for_legacy_field(value: str, expected: list[str]) -> None:
    assert texts(validate_ip_for_legacy_field(value, "ip")) == expected


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        pytest.param("10.0.0.0/8", None, id="valid"),
        pytest.param("2001:db8::/32", None, id="ipv6"),
        pytest.param(
            "10.0.0.0", "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)", id="no-prefix"
        ),
        pytest.param(
            "10.0.0.0/33", "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)", id="prefix"
        ),
        pytest.param(
            "10.0.0.0/08", "must not have leading 0s in IP or prefix length", id="leading-zero-prefix"
        ),
        pytest.param("010.0.0.0/8", "must not have leading 0s in IP or prefix length", id="leading-zero-ip"),
        pytest.param("10.0.0.1/8", "must not have bits set beyond the prefix length", id="host-bits"),
    ],
)
def test_cidr_for_legacy_field(value: str, detail: str | None) -> None:
    assert [e.detail for e in validate_cidr_for_legacy_field(value, "cidr")] == (
        [] if detail is None else [detail]
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://hooks.example.com:8443/check", [], id="valid"),
        pytest.param(
            "http://hooks.example.com",
            [
                "url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]"
            ],
            id="http",
        ),
        pytest.param(
            "https:///path",
            ['url: Invalid value: "": host must be specified; desired format: https://host[/path]'],
            id="no-host",
        ),
        pytest.param(
            "https://user@hooks.example.com",
            ['url: Invalid value: "user": user information is not permitted in the URL'],
            id="user",
        ),
        pytest.param(
            "https://hooks.example.com/#x",
            ['url: Invalid value: "x": fragments are not permitted in the URL'],
            id="fragment",
        ),
    ],
)
def test_webhook_url(url: str, expected: list[str]) -> None:
    assert texts(validate_webhook_url("url", url)) == expected


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        pytest.param({"name": "w", "namespace": "d", "path": "/a/b/"}, [], id="valid"),
        pytest.param(
            {"name": "w", "namespace": "d", "path": "/a//b"},
            ['service.path: Invalid value: "/a//b": segment[1] may not be empty'],
            id="empty-segment",
        ),
        pytest.param(
            {"name": "w", "namespace": "d", "port": 70000},
            ["service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive"],
            id="port",
        ),
        pytest.param(
            {},
            [
                "service.name: Required value: service name is required",
                "service.namespace: Required value: service namespace is required",
            ],
            id="empty",
        ),
    ],
)
def test_webhook_service(service: dict[str, Any], expected: list[str]) -> None:
    assert texts(validate_webhook_service(FieldPath("service"), service)) == expected


def test_fully_qualified_name() -> None:
    assert is_fully_qualified_name("name", "a.b.c") == []
    assert texts(is_fully_qualified_name("name", "a.b")) == [
        'name: Invalid value: "a.b": should be a domain with at least three segments separated by dots'
    ]


def test_label_selector() -> None:
    selector = {
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["a b"]},
            {"key": "x", "operator": "Exists", "values": ["y"]},
            {"key": "bad key", "operator": "Near"},
        ],
    }
    errs = validate_label_selector(selector, FieldPath("selector"))
    assert [e.field for e in errs] == [
        "selector.matchExpressions[0].values[0]",
        "selector.matchExpressions[1].values",
        "selector.matchExpressions[2].operator",
        "selector.matchExpressions[2].key",
    ]


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        pytest.param("10.0.0.1", None, id="valid"),
        pytest.param("2001:DB8::1", 'must be in canonical form ("2001:db8::1")', id="not-canonical"),
        pytest.param("010.0.0.1", "must not have leading 0s", id="leading-zero"),
        pytest.param("::ffff:10.0.0.1", "must not be an IPv4-mapped IPv6 address", id="mapped"),
    ],
)
def test_ip(value: str, detail: str | None) -> None:
    assert [e.detail for e in validate_ip(value, "ip")] == ([] if detail is None else [detail])


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        pytest.param("10.0.0.0/8", None, id="valid"),
        pytest.param("10.0.0.1/8", "must not have bits set beyond the prefix length", id="host-bits"),
        pytest.param("2001:DB8::/32", 'must be in canonical form ("2001:db8::/32")', id="not-canonical"),
    ],
)
def test_cidr(value: str, detail: str | None) -> None:
    assert [e.detail for e in validate_cidr(value, "cidr")] == ([] if detail is None else [detail])


def test_port_num_or_name() -> None:
    assert validate_port_num_or_name(8080, "port") == []
    assert validate_port_num_or_name("http", "port") == []
    assert texts(validate_port_num_or_name(0, "port")) == [
        "port: Invalid value: 0: must be between 1 and 65535, inclusive"
    ]
    assert texts(validate_port_num_or_name("80", "port")) == [
        'port: Invalid value: "80": must contain at least one letter (a-z)'
    ]


def test_label_values_are_reported_at_the_map() -> None:
    errs = validate_labels({"app": "a b", "bad key": "x"}, FieldPath("metadata", "labels"))
    assert [(e.field, e.bad_value) for e in errs] == [
        ("metadata.labels", "a b"),
        ("metadata.labels", "bad key"),
    ]


def test_unknown_operators_can_be_allowed() -> None:
    expr = {"key": "tier", "operator": "Near"}
    assert (
        validate_label_selector({"matchExpressions": [expr]}, FieldPath("s"), allow_unknown_operator=True)
        == []
    )
    assert texts(validate_field_selector_requirement({"operator": "In"}, FieldPath("f"))) == [
        "f.key: Required value: must be specified",
        "f.values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]


def test_field_rules() -> None:
    assert validate_immutable("a", "a", "spec.x") == []
    assert texts(validate_immutable("b", "a", "spec.x")) == ['spec.x: Invalid value: "b": field is immutable']
    assert validate_nonnegative(None, "spec.n") == [] and validate_nonnegative(0, "spec.n") == []
    assert texts(validate_nonnegative(-1, "spec.n")) == [
        "spec.n: Invalid value: -1: must be greater than or equal to 0"
    ]
    assert texts(validate_enum("", "spec.e", ["A"])) == ["spec.e: Required value"]
    assert validate_enum("", "spec.e", ["A"], required_if_empty=False) == []
    assert texts(validate_enum("B", "spec.e", ["A"])) == [
        'spec.e: Unsupported value: "B": supported values: "A"'
    ]
