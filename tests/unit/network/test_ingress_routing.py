"""Ingress routing (hosts, path types, precedence, default backends), class membership, TLS
host selection, endpoint resolution and header rewriting: pure functions over dicts."""

from __future__ import annotations

from typing import Any

import pytest
from multidict import CIMultiDict

from pyk8s.network.ingress.backends import RoundRobin, endpoints_for
from pyk8s.network.ingress.proxy import forward_headers, response_headers
from pyk8s.network.ingress.routing import (
    Backend,
    build_routes,
    is_ours,
    normalise_host,
    our_classes,
    path_matches,
    sni_lookup,
    tls_hosts,
)

Obj = dict[str, Any]


def backend(service: str, port: int | str = 80) -> Obj:
    return {
        "service": {"name": service, "port": {"number": port} if isinstance(port, int) else {"name": port}}
    }


def ingress(
    name: str, rules: list[Obj], *, created: str = "2024-01-01T00:00:00Z", ns: str = "default", **spec: Any
) -> Obj:
    return {
        "metadata": {"name": name, "namespace": ns, "creationTimestamp": created},
        "spec": {"rules": rules, **spec},
    }


def rule(host: str | None, *paths: tuple[str, str, str]) -> Obj:
    out: Obj = {"http": {"paths": [{"path": p, "pathType": t, "backend": backend(s)} for p, t, s in paths]}}
    if host:
        out["host"] = host
    return out


def target(table: Any, host: str, path: str) -> str | None:
    found = table.route(host, path)
    return found.service or found.resource if found else None


@pytest.mark.parametrize(
    ("path_type", "rule_path", "path", "matches"),
    [
        ("Prefix", "/", "/anything", True),
        ("Prefix", "/foo", "/foo", True),
        ("Prefix", "/foo", "/foo/", True),
        ("Prefix", "/foo", "/foo/bar", True),
        ("Prefix", "/foo", "/foobar", False),
        ("Prefix", "/foo/", "/foo", True),  # the trailing slash is ignored
        ("Prefix", "/aaa/bb", "/aaa/bbb", False),
        ("Prefix", "/aaa/bbb/", "/aaa/bbb/ccc", True),
        ("ImplementationSpecific", "/foo", "/foobar", True),  # ingress-nginx: a plain prefix
        ("ImplementationSpecific", "/foo", "/fo", False),
        ("Exact", "/foo", "/foo", True),
        ("Exact", "/foo", "/foo/", False),
    ],
)
def test_path_types(path_type: str, rule_path: str, path: str, matches: bool) -> None:
    assert path_matches(path_type, rule_path, path) is matches


def test_hosts_exact_then_wildcard_then_catch_all_without_fall_through() -> None:
    table = build_routes(
        [
            ingress(
                "a",
                [
                    rule("foo.example.com", ("/api", "Prefix", "foo-api")),
                    rule("*.example.com", ("/", "Prefix", "wild")),
                    rule(None, ("/", "Prefix", "any"), ("/only-here", "Exact", "any-exact")),
                ],
            )
        ]
    )
    assert target(table, "foo.example.com", "/api/v1") == "foo-api"
    assert target(table, "FOO.example.com:8080", "/api") == "foo-api"
    assert target(table, "foo.example.com.", "/api") == "foo-api"
    assert target(table, "foo.example.com", "/other") is None  # the host's group has no such path
    assert target(table, "bar.example.com", "/x") == "wild"
    assert target(table, "a.bar.example.com", "/x") == "any"  # a wildcard covers one label only
    assert target(table, "example.com", "/x") == "any"
    assert target(table, "10.0.0.1", "/only-here") == "any-exact"
    assert target(table, "[::1]:80", "/z") == "any"


def test_exact_beats_prefix_and_longest_prefix_wins() -> None:
    table = build_routes(
        [
            ingress(
                "a",
                [
                    rule(
                        "h",
                        ("/", "Prefix", "root"),
                        ("/foo", "Prefix", "foo"),
                        ("/foo/bar", "ImplementationSpecific", "foobar"),
                        ("/foo", "Exact", "foo-exact"),
                        ("/fo", "ImplementationSpecific", "fo-impl"),
                    )
                ],
            )
        ]
    )
    assert target(table, "h", "/foo") == "foo-exact"
    assert target(table, "h", "/foo/") == "foo"
    assert target(table, "h", "/foo/bar/baz") == "foobar"
    assert target(table, "h", "/foo/barn") == "foobar"  # implementation-specific is a string prefix
    assert target(table, "h", "/fox") == "fo-impl"
    assert target(table, "h", "/elsewhere") == "root"


def test_equal_lengths_prefer_prefix_then_the_oldest_ingress() -> None:
    older = ingress(
        "older", [rule("h", ("/app", "ImplementationSpecific", "impl"))], created="2024-01-01T00:00:00Z"
    )
    newer = ingress(
        "newer",
        [rule("h", ("/app", "Prefix", "prefix"), ("/same", "Prefix", "new-same"))],
        created="2024-06-01T00:00:00Z",
    )
    oldest = ingress("oldest", [rule("h", ("/same", "Prefix", "old-same"))], created="2023-01-01T00:00:00Z")
    table = build_routes([newer, older, oldest])
    assert target(table, "h", "/app") == "prefix"
    assert target(table, "h", "/same/x") == "old-same"  # conflicting rules: the oldest Ingress wins


def test_default_backends() -> None:
    with_default = ingress(
        "site",
        [rule("site.test", ("/app", "Prefix", "app"))],
        created="2024-02-01T00:00:00Z",
        defaultBackend=backend("site-default"),
    )
    global_default = ingress("fallback", [], created="2024-01-01T00:00:00Z", defaultBackend=backend("global"))
    other = ingress("other", [rule("other.test", ("/x", "Exact", "x"))], created="2024-03-01T00:00:00Z")
    table = build_routes([with_default, global_default, other])
    assert target(table, "site.test", "/app") == "app"
    assert target(table, "site.test", "/nope") == "site-default"  # the host's own Ingress default
    assert target(table, "other.test", "/nope") == "global"  # the oldest default of the class
    assert target(table, "unknown.test", "/") == "global"
    assert target(build_routes([other]), "unknown.test", "/") is None


def test_backends_by_port_name_and_resource_backends() -> None:
    ing = ingress(
        "a",
        [
            {
                "host": "h",
                "http": {
                    "paths": [
                        {"path": "/n", "pathType": "Prefix", "backend": backend("svc", "http")},
                        {
                            "path": "/r",
                            "pathType": "Prefix",
                            "backend": {"resource": {"apiGroup": "x.io", "kind": "Bucket", "name": "b"}},
                        },
                    ]
                },
            }
        ],
    )
    table = build_routes([ing])
    assert table.route("h", "/n") == Backend("default", service="svc", port="http", ingress="default/a")
    assert table.route("h", "/r").resource == "Bucket/b"
    assert table.route("h", "/missing-path-type-defaults") is None


def test_class_membership() -> None:
    classes, default = our_classes(
        [
            {
                "metadata": {
                    "name": "pyk8s",
                    "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"},
                },
                "spec": {"controller": "pyk8s.io/ingress"},
            },
            {"metadata": {"name": "internal"}, "spec": {"controller": "pyk8s.io/ingress"}},
            {"metadata": {"name": "nginx"}, "spec": {"controller": "k8s.io/ingress-nginx"}},
        ]
    )
    assert classes == {"pyk8s", "internal"} and default
    assert is_ours({"spec": {"ingressClassName": "internal"}}, classes, default)
    assert not is_ours({"spec": {"ingressClassName": "nginx"}}, classes, default)
    assert is_ours(
        {"metadata": {"annotations": {"kubernetes.io/ingress.class": "pyk8s"}}, "spec": {}}, classes, False
    )
    assert not is_ours(
        {"metadata": {"annotations": {"kubernetes.io/ingress.class": "nginx"}}, "spec": {}}, classes, True
    )
    assert is_ours({"spec": {}}, classes, True)  # classless: ours while our class is the default
    assert not is_ours({"spec": {}}, classes, False)


def test_tls_hosts_and_sni_lookup() -> None:
    a = ingress(
        "a",
        [rule("a.test", ("/", "Prefix", "a")), rule("b.test", ("/", "Prefix", "b"))],
        created="2024-01-01T00:00:00Z",
        tls=[{"hosts": ["a.test"], "secretName": "a-cert"}, {"secretName": "rules-cert"}],
    )
    newer = ingress(
        "z",
        [],
        created="2024-05-01T00:00:00Z",
        tls=[{"hosts": ["a.test", "*.wild.test"], "secretName": "late"}],
    )
    entries = tls_hosts([newer, a])
    assert entries["a.test"].secret == "a-cert"  # the oldest Ingress wins
    assert entries["b.test"].secret == "rules-cert"  # no hosts: its rules' hosts
    assert sni_lookup(entries, "x.wild.test").secret == "late"
    assert sni_lookup(entries, "y.x.wild.test") is None
    assert sni_lookup(entries, "A.TEST").secret == "a-cert"


def test_normalise_host() -> None:
    assert normalise_host("Example.COM:8443") == "example.com"
    assert normalise_host("[fd00::1]:80") == "fd00::1"
    assert normalise_host("fd00::1") == "fd00::1"
    assert normalise_host("example.com.") == "example.com"


SERVICE = {
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {
        "ports": [
            {"name": "http", "port": 80, "targetPort": "web"},
            {"name": "dns", "port": 53, "protocol": "UDP"},
        ]
    },
}


def slice_(name: str, port: int, endpoints: list[Obj], port_name: str = "http") -> Obj:
    return {
        "metadata": {"name": name, "namespace": "default", "labels": {"kubernetes.io/service-name": "web"}},
        "addressType": "IPv4",
        "ports": [{"name": port_name, "port": port, "protocol": "TCP"}],
        "endpoints": endpoints,
    }


def test_endpoints_resolve_named_target_ports_per_slice() -> None:
    slices = [
        slice_(
            "web-a",
            8080,
            [
                {"addresses": ["10.244.1.2"], "conditions": {"ready": True}},
                {"addresses": ["10.244.1.3"], "conditions": {"ready": False}},
            ],
        ),
        slice_("web-b", 9090, [{"addresses": ["10.244.2.2"]}]),  # another pod template: another port
        slice_("web-c", 7070, [{"addresses": ["10.244.3.2"]}], port_name="metrics"),
    ]
    assert endpoints_for(SERVICE, slices, 80) == [("10.244.1.2", 8080), ("10.244.2.2", 9090)]
    assert endpoints_for(SERVICE, slices, "http") == [("10.244.1.2", 8080), ("10.244.2.2", 9090)]
    assert endpoints_for(SERVICE, slices, 53) == []  # UDP ports do not carry HTTP
    assert endpoints_for(SERVICE, slices, 81) == []
    external = {"spec": {"type": "ExternalName", "externalName": "x.example.com", "ports": [{"port": 80}]}}
    assert endpoints_for(external, slices, 80) == []


def test_terminating_but_serving_endpoints_are_used_when_none_is_ready() -> None:
    slices = [
        slice_(
            "web-a",
            8080,
            [
                {
                    "addresses": ["10.244.1.2"],
                    "conditions": {"ready": False, "serving": True, "terminating": True},
                },
                {"addresses": ["10.244.1.3"], "conditions": {"ready": False, "serving": False}},
            ],
        )
    ]
    assert endpoints_for(SERVICE, slices, 80) == [("10.244.1.2", 8080)]


def test_round_robin_rotates_per_backend() -> None:
    rr = RoundRobin()
    eps = [("a", 1), ("b", 1), ("c", 1)]
    assert [rr.order("k", eps)[0] for _ in range(4)] == [("a", 1), ("b", 1), ("c", 1), ("a", 1)]
    assert rr.order("other", eps)[0] == ("a", 1)
    assert rr.order("k", []) == []


def test_forwarded_headers_drop_hop_by_hop_and_spoofed_values() -> None:
    incoming = CIMultiDict(
        [
            ("Host", "site.test"),
            ("Connection", "keep-alive, X-Secret"),
            ("X-Secret", "1"),
            ("Keep-Alive", "timeout=5"),
            ("Upgrade", "websocket"),
            ("X-Forwarded-For", "203.0.113.9"),
            ("X-Real-IP", "1.2.3.4"),
            ("X-Forwarded-Proto", "https"),
            ("Accept", "*/*"),
        ]
    )
    out = forward_headers(incoming, remote="127.0.0.1", host="site.test", port=8080, scheme="http")
    assert out["Host"] == "site.test" and out["Accept"] == "*/*"
    for gone in ("Connection", "X-Secret", "Keep-Alive", "Upgrade"):
        assert gone not in out
    assert out["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"
    assert out["X-Real-IP"] == "127.0.0.1"
    assert out["X-Forwarded-Proto"] == "http" and out["X-Forwarded-Port"] == "8080"
    back = response_headers(
        CIMultiDict([("Transfer-Encoding", "chunked"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
    )
    assert back.getall("Set-Cookie") == ["a=1", "b=2"] and "Transfer-Encoding" not in back
