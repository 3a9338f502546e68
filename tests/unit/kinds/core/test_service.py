"""Service: discovery info, defaults, validation, update rules and table rows."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType, FieldErrors
from pyk8s.api.meta import parse_time, validate_object_meta
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.service import RESOURCE, ServiceStrategy

S = ServiceStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 3600
CTX = RequestContext(namespace="default", now=NOW)
R, INV, D, NS, F = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.DUPLICATE,
    ErrorType.NOT_SUPPORTED,
    ErrorType.FORBIDDEN,
)


def service(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "uid": "u1", "creationTimestamp": CREATED},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
    }
    obj["spec"].update(spec)
    return obj


def allocated(obj: dict[str, Any], ip: str = "10.96.0.10") -> dict[str, Any]:
    """What the API server's allocator adds before validation."""
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    spec = obj["spec"]
    if spec["type"] != "ExternalName":
        if not spec.get("clusterIP"):
            spec["clusterIP"], spec["clusterIPs"] = ip, [ip]
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")
    for i, port in enumerate(spec.get("ports") or []):
        if spec["type"] in ("NodePort", "LoadBalancer") and not port.get("nodePort"):
            port["nodePort"] = 30080 + i
    return obj


def errors(obj: dict[str, Any]) -> FieldErrors:
    return S.validate(CTX, allocated(obj))


def has(errs: FieldErrors, field: str, kind: ErrorType, detail: str | None = None) -> bool:
    return any(e.field == field and e.type == kind and (detail is None or detail in e.detail) for e in errs)


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names, RESOURCE.categories) == (
        "services",
        "service",
        ("svc",),
        ("all",),
    )
    assert "deletecollection" in RESOURCE.verbs
    proxy = RESOURCE.subresource("proxy")
    assert proxy is not None and proxy.kind == "ServiceProxyOptions"
    assert RESOURCE.subresource("status") is not None


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {},
            {"type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"},
            id="cluster-ip",
        ),
        pytest.param(
            {"type": "NodePort"},
            {"type": "NodePort", "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster"},
            id="node-port",
        ),
        pytest.param(
            {"type": "LoadBalancer"},
            {"externalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True},
            id="load-balancer",
        ),
        pytest.param(
            {"sessionAffinity": "ClientIP"},
            {"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}}},
            id="client-ip-timeout",
        ),
        pytest.param(
            {"externalIPs": ["192.0.2.1"]},
            {"externalTrafficPolicy": "Cluster"},
            id="external-ips-are-external",
        ),
        pytest.param(
            {"type": "ExternalName", "externalName": "db.example.com", "ports": []},
            {"sessionAffinity": "None"},
            id="external-name",
        ),
    ],
)
def test_defaults(spec: dict[str, Any], expected: dict[str, Any]) -> None:
    obj = service(**spec)
    S.default(obj)
    for key, value in expected.items():
        assert obj["spec"][key] == value
    if obj["spec"]["type"] == "ExternalName":
        assert "internalTrafficPolicy" not in obj["spec"]
    if obj["spec"]["type"] == "ClusterIP" and not spec.get("externalIPs"):
        assert "externalTrafficPolicy" not in obj["spec"]


def test_ports_default_protocol_and_target_port() -> None:
    obj = service(ports=[{"port": 80}, {"port": 53, "protocol": "UDP", "targetPort": "dns"}])
    S.default(obj)
    assert obj["spec"]["ports"] == [
        {"port": 80, "protocol": "TCP", "targetPort": 80},
        {"port": 53, "protocol": "UDP", "targetPort": "dns"},
    ]


def test_create_normalises_cluster_ips_and_status() -> None:
    obj = service(clusterIP="10.96.0.50")
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    assert obj["spec"]["clusterIPs"] == ["10.96.0.50"]
    assert obj["status"] == {"loadBalancer": {}}


def test_valid_services() -> None:
    assert errors(service()) == []
    assert (
        errors(service(type="NodePort", ports=[{"name": "a", "port": 80}, {"name": "b", "port": 443}])) == []
    )
    assert errors(service(type="LoadBalancer", loadBalancerSourceRanges=["10.0.0.0/8"])) == []
    assert errors(service(type="ExternalName", externalName="db.example.com.", ports=[])) == []
    assert errors(service(clusterIP="None", ports=[])) == []


INVALID = [
    pytest.param(service(ports=[]), "spec.ports", R, None, id="ports-required"),
    pytest.param(
        service(ports=[{"port": 80}, {"port": 81}]),
        "spec.ports[0].name",
        R,
        None,
        id="names-for-multiple-ports",
    ),
    pytest.param(
        service(ports=[{"name": "a", "port": 80}, {"name": "a", "port": 81}]),
        "spec.ports[1].name",
        D,
        None,
        id="duplicate-port-name",
    ),
    pytest.param(
        service(ports=[{"port": 0}]),
        "spec.ports[0].port",
        INV,
        "must be between 1 and 65535, inclusive",
        id="port-range",
    ),
    pytest.param(
        service(ports=[{"port": 80, "protocol": "HTTP"}]), "spec.ports[0].protocol", NS, None, id="protocol"
    ),
    pytest.param(
        service(ports=[{"port": 80, "targetPort": "Web_Port"}]),
        "spec.ports[0].targetPort",
        INV,
        None,
        id="target-port-name",
    ),
    pytest.param(
        service(ports=[{"name": "a", "port": 80}, {"name": "b", "port": 80}]),
        "spec.ports[1]",
        D,
        None,
        id="duplicate-port",
    ),
    pytest.param(
        service(type="NodePort", ports=[{"port": 80, "nodePort": 80}]),
        "spec.ports[0].nodePort",
        INV,
        "The range of valid ports is 30000-32767",
        id="node-port-range",
    ),
    pytest.param(
        service(ports=[{"port": 80, "nodePort": 30001}]),
        "spec.ports[0].nodePort",
        F,
        "may not be used when `type` is 'ClusterIP'",
        id="node-port-on-cluster-ip",
    ),
    pytest.param(service(type="Balanced"), "spec.type", NS, None, id="type"),
    pytest.param(
        service(type="ExternalName", ports=[]), "spec.externalName", R, None, id="external-name-required"
    ),
    pytest.param(
        service(type="ExternalName", externalName="Not A Name", ports=[]),
        "spec.externalName",
        INV,
        None,
        id="external-name-syntax",
    ),
    pytest.param(
        service(type="ExternalName", externalName="x.example", clusterIP="10.96.0.3", ports=[]),
        "spec.clusterIPs",
        F,
        "may not be set for ExternalName services",
        id="external-name-ip",
    ),
    pytest.param(
        service(type="NodePort", clusterIP="None"),
        "spec.clusterIPs[0]",
        INV,
        "may not be set to 'None' for NodePort services",
        id="headless-node-port",
    ),
    pytest.param(service(sessionAffinity="Sticky"), "spec.sessionAffinity", NS, None, id="affinity"),
    pytest.param(
        service(sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 0}}),
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
        INV,
        "must be greater than 0 and less than 86400",
        id="affinity-timeout",
    ),
    pytest.param(
        service(externalTrafficPolicy="Local"),
        "spec.externalTrafficPolicy",
        INV,
        "may only be set for externally-accessible services",
        id="etp-on-cluster-ip",
    ),
    pytest.param(
        service(type="NodePort", externalTrafficPolicy="Nearest"),
        "spec.externalTrafficPolicy",
        NS,
        None,
        id="etp-value",
    ),
    pytest.param(service(internalTrafficPolicy="Nearest"), "spec.internalTrafficPolicy", NS, None, id="itp"),
    pytest.param(
        service(allocateLoadBalancerNodePorts=True),
        "spec.allocateLoadBalancerNodePorts",
        F,
        "may only be used when `type` is 'LoadBalancer'",
        id="alloc-node-ports",
    ),
    pytest.param(
        service(loadBalancerSourceRanges=["10.0.0.0/8"]),
        "spec.LoadBalancerSourceRanges",
        F,
        None,
        id="source-ranges",
    ),
    pytest.param(
        service(type="LoadBalancer", loadBalancerSourceRanges=["10.0.0.1/8"]),
        "spec.LoadBalancerSourceRanges[0]",
        INV,
        None,
        id="source-range-cidr",
    ),
    pytest.param(
        service(externalIPs=["127.0.0.1"]), "spec.externalIPs[0]", INV, "loopback", id="external-ip"
    ),
    pytest.param(service(selector={"app": "bad value!"}), "spec.selector", INV, None, id="selector"),
    pytest.param(
        service(trafficDistribution="Anywhere"),
        "spec.trafficDistribution",
        NS,
        None,
        id="traffic-distribution",
    ),
    pytest.param(
        service(clusterIP="10.96.0.5", clusterIPs=["10.96.0.6"]),
        "spec.clusterIPs",
        INV,
        "first value must match `clusterIP`",
        id="cluster-ips-mismatch",
    ),
    pytest.param(service(ipFamilies=["IPv5"]), "spec.ipFamilies[0]", NS, None, id="ip-family"),
]


@pytest.mark.parametrize(("obj", "field", "kind", "detail"), INVALID)
def test_invalid_services(obj: dict[str, Any], field: str, kind: ErrorType, detail: str | None) -> None:
    errs = errors(obj)
    assert has(errs, field, kind, detail), [str(e) for e in errs]


def test_load_balancer_needs_allocate_node_ports() -> None:
    obj = allocated(service(type="LoadBalancer"))
    del obj["spec"]["allocateLoadBalancerNodePorts"]
    assert has(S.validate(CTX, obj), "allocateLoadBalancerNodePorts", R)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        pytest.param("web", True, id="label"),
        pytest.param("1web", False, id="starts-with-digit"),
        pytest.param("web.example", False, id="dots"),
    ],
)
def test_names_are_dns1035_labels(name: str, ok: bool) -> None:
    obj = service()
    obj["metadata"]["name"] = name
    errs = validate_object_meta(obj, namespaced=True, validate_name=S.validate_name)
    assert (errs == []) == ok
    if not ok:
        assert "DNS-1035 label" in errs[0].detail


# update


def update(old: dict[str, Any], change: Any) -> tuple[dict[str, Any], FieldErrors]:
    new = copy.deepcopy(old)
    change(new)
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    return new, S.validate_update(CTX, new, old)


def test_replace_keeps_allocated_values() -> None:
    old = allocated(service(type="NodePort", ports=[{"name": "http", "port": 80}]))

    def replace(s: dict[str, Any]) -> None:
        s["spec"] = {"type": "NodePort", "selector": {"app": "web"}, "ports": [{"name": "http", "port": 80}]}

    new, errs = update(old, replace)
    assert errs == []
    assert new["spec"]["clusterIP"] == "10.96.0.10" and new["spec"]["clusterIPs"] == ["10.96.0.10"]
    assert new["spec"]["ports"][0]["nodePort"] == 30080
    assert new["spec"]["ipFamilyPolicy"] == "SingleStack"


def test_cluster_ip_is_immutable() -> None:
    old = allocated(service())

    def move(s: dict[str, Any]) -> None:
        s["spec"]["clusterIP"] = "10.96.0.11"
        s["spec"]["clusterIPs"] = ["10.96.0.11"]

    _, errs = update(old, move)
    assert has(errs, "spec.clusterIPs[0]", INV, "may not change once set")


def test_type_changes() -> None:
    old = allocated(service())
    new, errs = update(old, lambda s: s["spec"].update(type="NodePort"))
    assert errs == [] and new["spec"]["externalTrafficPolicy"] == "Cluster"
    # To ExternalName: the allocated IPs and families are dropped when left as they were.
    new, errs = update(old, lambda s: s["spec"].update(type="ExternalName", externalName="db.example.com"))
    assert errs == []
    assert "clusterIP" not in new["spec"] and "ipFamilies" not in new["spec"]
    node_port = allocated(service(type="NodePort"))
    new, errs = update(node_port, lambda s: s["spec"].update(type="ClusterIP"))
    assert errs == [] and "nodePort" not in new["spec"]["ports"][0]
    assert "externalTrafficPolicy" not in new["spec"]


def test_load_balancer_class_is_fixed() -> None:
    old = allocated(service(type="LoadBalancer", loadBalancerClass="example.com/lb"))
    _, errs = update(old, lambda s: s["spec"].update(loadBalancerClass="example.com/other"))
    assert has(errs, "spec.loadBalancerClass", INV, "may not change once set")


def test_status_updates() -> None:
    old = allocated(service(type="LoadBalancer"))
    ctx = RequestContext(namespace="default", subresource="status", now=NOW)
    new = copy.deepcopy(old)
    new["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}}
    S.prepare_for_status_update(ctx, new, old)
    assert new["status"]["loadBalancer"]["ingress"][0]["ipMode"] == "VIP"
    assert S.validate_status_update(ctx, new, old) == []
    plain = allocated(service())
    new = copy.deepcopy(plain)
    new["status"] = {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}}
    errs = S.validate_status_update(ctx, new, plain)
    assert has(errs, "status.loadBalancer.ingress", F, "may only be used when `spec.type` is 'LoadBalancer'")


# table


def test_columns() -> None:
    assert [(c["name"], c["priority"]) for c in S.table_columns()] == [
        ("Name", 0),
        ("Type", 0),
        ("Cluster-IP", 0),
        ("External-IP", 0),
        ("Port(s)", 0),
        ("Age", 0),
        ("Selector", 1),
    ]


def lb_with(ingress: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
    obj = allocated(service(type="LoadBalancer", **spec))
    obj["status"] = {"loadBalancer": {"ingress": ingress}}
    return obj


@pytest.mark.parametrize(
    ("obj", "cells"),
    [
        pytest.param(
            allocated(service()),
            ["web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP", "60m", "app=web"],
            id="cluster-ip",
        ),
        pytest.param(
            allocated(
                service(
                    type="NodePort",
                    ports=[{"name": "a", "port": 80}, {"name": "b", "port": 53, "protocol": "UDP"}],
                )
            ),
            ["web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53:30081/UDP", "60m", "app=web"],
            id="node-port",
        ),
        pytest.param(
            lb_with([]),
            ["web", "LoadBalancer", "10.96.0.10", "<pending>", "80:30080/TCP", "60m", "app=web"],
            id="lb-pending",
        ),
        pytest.param(
            lb_with([{"ip": "192.0.2.9"}, {"hostname": "lb.example.com"}], externalIPs=["198.51.100.1"]),
            [
                "web",
                "LoadBalancer",
                "10.96.0.10",
                "192.0.2.9,lb.example.com,198.51.100.1",
                "80:30080/TCP",
                "60m",
                "app=web",
            ],
            id="lb-ingress",
        ),
        pytest.param(
            allocated(service(type="ExternalName", externalName="db.example.com", ports=[], selector=None)),
            ["web", "ExternalName", "<none>", "db.example.com", "<none>", "60m", "<none>"],
            id="external-name",
        ),
        pytest.param(
            allocated(service(clusterIP="None", ports=[])),
            ["web", "ClusterIP", "None", "<none>", "<none>", "60m", "app=web"],
            id="headless",
        ),
    ],
)
def test_table_rows(obj: dict[str, Any], cells: list[Any]) -> None:
    assert S.table_row(obj, NOW) == cells


def test_field_selectors() -> None:
    obj = allocated(service(type="NodePort"))
    fields = S.selectable_fields(obj)
    assert (fields["spec.clusterIP"], fields["spec.type"]) == ("10.96.0.10", "NodePort")
