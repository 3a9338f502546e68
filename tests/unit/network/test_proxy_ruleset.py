"""The service proxy's nftables rules, rendered from Services and EndpointSlices."""

from __future__ import annotations

from typing import Any

from pyk8s.network.proxy.model import Endpoint, service_ports
from pyk8s.network.proxy.ruleset import (
    NO_ENDPOINT_NODEPORTS,
    NO_ENDPOINT_SERVICES,
    NODEPORT_IPS,
    SERVICE_IPS,
    SERVICE_NODEPORTS,
    Fragment,
    RenderOptions,
    affinity_set,
    base_elements,
    chain_name,
    endpoint_chain,
    full_transaction,
    merge_elements,
    render_service,
    transaction,
)

Obj = dict[str, Any]
OPTIONS = RenderOptions(table="t", cluster_cidr="10.244.0.0/16")
NODE = "node-a"


def service(name: str = "web", *, type_: str = "ClusterIP", **spec: Any) -> Obj:
    ports = spec.pop("ports", [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}])
    return {
        "metadata": {"name": name, "namespace": "ns"},
        "spec": {"type": type_, "clusterIP": "10.96.0.10", "ports": ports, **spec},
        "status": spec.pop("status", {}),
    }


def endpoint(
    ip: str, *, node: str = NODE, ready: bool = True, serving: bool | None = None, terminating: bool = False
) -> Obj:
    conditions: Obj = {"ready": ready, "terminating": terminating}
    if serving is not None:
        conditions["serving"] = serving
    return {"addresses": [ip], "nodeName": node, "conditions": conditions}


def slice_(*endpoints: Obj, name: str = "web-abc", port: int = 8080, port_name: str = "http") -> Obj:
    return {
        "metadata": {"name": name, "namespace": "ns", "labels": {"kubernetes.io/service-name": "web"}},
        "addressType": "IPv4",
        "ports": [{"name": port_name, "port": port, "protocol": "TCP"}],
        "endpoints": list(endpoints),
    }


def render(svc: Obj, *slices: Obj, node: str = NODE) -> Fragment:
    return render_service(service_ports(svc, slices, node), OPTIONS)


def test_cluster_ip_balances_across_ready_endpoints() -> None:
    svc = service()
    fragment = render(svc, slice_(endpoint("10.244.0.2"), endpoint("10.244.1.3", node="node-b")))
    (port,) = service_ports(
        svc, [slice_(endpoint("10.244.0.2"), endpoint("10.244.1.3", node="node-b"))], NODE
    )
    svc_chain = chain_name("service", port)
    assert svc_chain.startswith("service-") and svc_chain.endswith("-ns/web/tcp/http")
    assert fragment.elements == {SERVICE_IPS: {"10.96.0.10 . tcp . 80": f"goto {svc_chain}"}}
    ep_a, ep_b = (endpoint_chain(port, e) for e in port.cluster_endpoints)
    assert fragment.chains[svc_chain] == (
        "ip daddr 10.96.0.10 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade",
        f"numgen random mod 2 vmap {{ 0 : goto {ep_a} , 1 : goto {ep_b} }}",
    )
    assert fragment.chains[ep_a] == (
        "ip saddr 10.244.0.2 jump mark-for-masquerade",
        "meta l4proto tcp dnat ip to 10.244.0.2:8080",
    )
    assert not fragment.sets


def test_no_endpoints_rejects_cluster_ip_and_node_port() -> None:
    svc = service(
        type_="NodePort", ports=[{"name": "http", "port": 80, "protocol": "TCP", "nodePort": 30080}]
    )
    fragment = render(svc, slice_(endpoint("10.244.0.2", ready=False)))
    assert fragment.chains == {}
    assert fragment.elements == {
        NO_ENDPOINT_SERVICES: {"10.96.0.10 . tcp . 80": "goto reject-chain"},
        NO_ENDPOINT_NODEPORTS: {"tcp . 30080": "goto reject-chain"},
    }


def test_terminating_endpoints_serve_only_when_nothing_is_ready() -> None:
    svc = service()
    draining = endpoint("10.244.0.2", ready=False, serving=True, terminating=True)
    (port,) = service_ports(svc, [slice_(draining)], NODE)
    assert [e.ip for e in port.cluster_endpoints] == ["10.244.0.2"]
    (port,) = service_ports(svc, [slice_(draining, endpoint("10.244.0.3"))], NODE)
    assert [e.ip for e in port.cluster_endpoints] == ["10.244.0.3"]
    gone = endpoint("10.244.0.2", ready=False, serving=False, terminating=True)
    (port,) = service_ports(svc, [slice_(gone)], NODE)
    assert not port.has_endpoints


def test_ports_match_by_name_and_unusable_addresses_are_skipped() -> None:
    svc = service(
        ports=[
            {"name": "http", "port": 80, "protocol": "TCP"},
            {"name": "dns", "port": 53, "protocol": "UDP"},
        ]
    )
    slices = [
        slice_(endpoint("10.244.0.2"), endpoint("127.0.0.1"), port=8080, port_name="http"),
        slice_(endpoint("10.244.0.9"), name="web-udp", port=5353, port_name="other"),
    ]
    http, dns = service_ports(svc, slices, NODE)
    assert [(e.ip, e.port) for e in http.cluster_endpoints] == [("10.244.0.2", 8080)]
    assert not dns.has_endpoints


def test_client_ip_affinity_uses_a_timed_set_per_endpoint() -> None:
    svc = service(sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 60}})
    slices = [slice_(endpoint("10.244.0.2"), endpoint("10.244.0.3"))]
    (port,) = service_ports(svc, slices, NODE)
    fragment = render_service([port], OPTIONS)
    first, second = port.cluster_endpoints
    set_a, set_b = affinity_set(port, first), affinity_set(port, second)
    assert fragment.sets == {
        set_a: "{ type ipv4_addr ; flags dynamic,timeout ; timeout 60s ; }",
        set_b: "{ type ipv4_addr ; flags dynamic,timeout ; timeout 60s ; }",
    }
    rules = fragment.chains[chain_name("service", port)]
    assert rules[1:3] == (
        f"ip saddr @{set_a} goto {endpoint_chain(port, first)}",
        f"ip saddr @{set_b} goto {endpoint_chain(port, second)}",
    )
    assert f"update @{set_a} {{ ip saddr }}" in fragment.chains[endpoint_chain(port, first)]


def test_internal_traffic_policy_local() -> None:
    svc = service(internalTrafficPolicy="Local")
    (port,) = service_ports(svc, [slice_(endpoint("10.244.1.3", node="node-b"))], NODE)
    fragment = render_service([port], OPTIONS)
    local = chain_name("local", port)
    assert fragment.elements[SERVICE_IPS] == {"10.96.0.10 . tcp . 80": f"goto {local}"}
    assert fragment.chains[local] == ("drop",)  # endpoints elsewhere only: dropped, not rejected
    assert chain_name("service", port) not in fragment.chains


def test_node_port_with_external_traffic_policy() -> None:
    ports = [{"name": "http", "port": 80, "protocol": "TCP", "nodePort": 30080}]
    slices = [slice_(endpoint("10.244.0.2"), endpoint("10.244.1.3", node="node-b"))]
    cluster = service(type_="NodePort", ports=ports, externalTrafficPolicy="Cluster")
    (port,) = service_ports(cluster, slices, NODE)
    fragment = render_service([port], OPTIONS)
    external, svc_chain = chain_name("external", port), chain_name("service", port)
    assert fragment.elements[SERVICE_NODEPORTS] == {"tcp . 30080": f"goto {external}"}
    assert fragment.chains[external] == ("jump mark-for-masquerade", f"goto {svc_chain}")

    local_policy = service(type_="NodePort", ports=ports, externalTrafficPolicy="Local")
    (port,) = service_ports(local_policy, slices, NODE)
    fragment = render_service([port], OPTIONS)
    local = chain_name("local", port)
    assert fragment.chains[external] == (
        f"ip saddr 10.244.0.0/16 goto {svc_chain}",
        "fib saddr type local jump mark-for-masquerade",
        f"fib saddr type local goto {svc_chain}",
        f"goto {local}",
    )
    assert fragment.chains[local] == (f"goto {endpoint_chain(port, port.local_endpoints[0])}",)
    assert [e.ip for e in port.local_endpoints] == ["10.244.0.2"]


def test_load_balancer_and_external_ips_with_source_ranges() -> None:
    svc = service(
        type_="LoadBalancer",
        ports=[{"name": "http", "port": 80, "protocol": "TCP", "nodePort": 30080}],
        externalIPs=["192.0.2.7"],
        loadBalancerSourceRanges=["10.0.0.0/8", "2001:db8::/32"],
        status={
            "loadBalancer": {
                "ingress": [{"ip": "10.241.0.1", "ipMode": "VIP"}, {"ip": "10.241.0.9", "ipMode": "Proxy"}]
            }
        },
    )
    (port,) = service_ports(svc, [slice_(endpoint("10.244.0.2"))], NODE)
    fragment = render_service([port], OPTIONS)
    external, firewall = chain_name("external", port), chain_name("firewall", port)
    assert fragment.elements[SERVICE_IPS] == {
        "10.96.0.10 . tcp . 80": f"goto {chain_name('service', port)}",
        "192.0.2.7 . tcp . 80": f"goto {external}",
        "10.241.0.1 . tcp . 80": f"goto {firewall}",
    }
    assert fragment.chains[firewall] == (f"ip saddr {{ 10.0.0.0/8 }} goto {external}", "drop")


def test_not_proxied() -> None:
    assert (
        service_ports(service(type_="ExternalName", externalName="example.com", clusterIP=""), [], NODE) == []
    )
    assert service_ports(service(clusterIP="None"), [], NODE) == []


def test_relay_override_for_the_api_server_service() -> None:
    svc = service("kubernetes", ports=[{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}])
    relay = (Endpoint("10.244.0.1", 6443, NODE),)
    (port,) = service_ports(
        svc, [slice_(endpoint("127.0.0.1"), port=6443, port_name="https")], NODE, override=relay
    )
    assert [(e.ip, e.port) for e in port.cluster_endpoints] == [("10.244.0.1", 6443)]


def test_merged_elements_first_service_wins_and_node_ips() -> None:
    a = Fragment(elements={SERVICE_IPS: {"192.0.2.7 . tcp . 80": "goto external-a"}})
    b = Fragment(elements={SERVICE_IPS: {"192.0.2.7 . tcp . 80": "goto external-b"}})
    merged = merge_elements({"ns/b": b, "ns/a": a}, base_elements(["10.240.0.5", "fe80::1", "bad"]))
    assert merged[SERVICE_IPS] == {"192.0.2.7 . tcp . 80": "goto external-a"}
    assert merged[NODEPORT_IPS] == {"10.240.0.5": None}


def test_full_transaction_replaces_the_table() -> None:
    svc = service(sessionAffinity="ClientIP")
    fragment = render(svc, slice_(endpoint("10.244.0.2")))
    lines = full_transaction(
        OPTIONS, {"ns/web": fragment}, merge_elements({"ns/web": fragment}, base_elements(["10.240.0.5"]))
    )
    assert lines[:3] == ["add table inet t", "delete table inet t", "add table inet t"]
    assert (
        "add chain inet t nat-prerouting { type nat hook prerouting priority -100 ; policy accept ; }"
        in lines
    )
    first_set = next(i for i, line in enumerate(lines) if line.startswith("add set inet t affinity-"))
    first_rule = next(i for i, line in enumerate(lines) if line.startswith("add rule inet t service-"))
    first_element = next(i for i, line in enumerate(lines) if line.startswith("add element"))
    assert first_set < first_rule < first_element
    assert "add element inet t nodeport-ips { 10.240.0.5 }" in lines


def test_incremental_transaction_rewrites_only_what_changed() -> None:
    svc = service(sessionAffinity="ClientIP")
    before = render(svc, slice_(endpoint("10.244.0.2"), endpoint("10.244.0.3")))
    after = render(svc, slice_(endpoint("10.244.0.2")))
    old_elements = merge_elements({"ns/web": before}, {})
    new_elements = merge_elements({"ns/web": after}, {})
    lines = transaction(
        OPTIONS, {"ns/web": before}, {"ns/web": after}, {"ns/web"}, old_elements, new_elements
    )
    (port,) = service_ports(svc, [slice_(endpoint("10.244.0.2"), endpoint("10.244.0.3"))], NODE)
    svc_chain = chain_name("service", port)
    kept, removed = port.cluster_endpoints
    removed_chain, removed_set = endpoint_chain(port, removed), affinity_set(port, removed)
    assert lines == [
        f"add chain inet t {svc_chain}",
        f"flush chain inet t {svc_chain}",
        f"add rule inet t {svc_chain} ip daddr 10.96.0.10 tcp dport 80 ip saddr != 10.244.0.0/16 "
        "jump mark-for-masquerade",
        f"add rule inet t {svc_chain} ip saddr @{affinity_set(port, kept)} goto {endpoint_chain(port, kept)}",
        f"add rule inet t {svc_chain} goto {endpoint_chain(port, kept)}",
        f"flush chain inet t {removed_chain}",
        f"delete chain inet t {removed_chain}",
        f"delete set inet t {removed_set}",
    ]
    # nothing changed: nothing to do; a Service gone: its element, chains and sets go
    assert (
        transaction(OPTIONS, {"ns/web": after}, {"ns/web": after}, {"ns/web"}, new_elements, new_elements)
        == []
    )
    lines = transaction(OPTIONS, {"ns/web": after}, {}, {"ns/web"}, new_elements, {})
    assert lines[0] == "delete element inet t service-ips { 10.96.0.10 . tcp . 80 }"
    assert all(line.split()[0] in ("delete", "flush") for line in lines)


def test_endpoints_gone_switches_the_element_to_reject() -> None:
    svc = service()
    before = render(svc, slice_(endpoint("10.244.0.2")))
    after = render(svc)
    lines = transaction(
        OPTIONS,
        {"ns/web": before},
        {"ns/web": after},
        {"ns/web"},
        merge_elements({"ns/web": before}, {}),
        merge_elements({"ns/web": after}, {}),
    )
    assert lines.index("delete element inet t service-ips { 10.96.0.10 . tcp . 80 }") < lines.index(
        "add element inet t no-endpoint-services { 10.96.0.10 . tcp . 80 : goto reject-chain }"
    )
    assert lines[-1].startswith("delete chain")


def test_the_api_server_loopback_endpoint_becomes_the_relay_on_the_node_address() -> None:
    svc = service("kubernetes", ports=[{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}])
    slices = [slice_(endpoint("127.0.0.1"), port=6443, port_name="https")]
    (port,) = service_ports(svc, slices, NODE, loopback_to="10.240.0.5")
    assert [(e.ip, e.port) for e in port.cluster_endpoints] == [("10.240.0.5", 6443)]
    (port,) = service_ports(svc, slices, NODE)  # without a node address: nothing usable
    assert not port.has_endpoints
