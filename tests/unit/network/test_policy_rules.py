"""NetworkPolicy semantics (isolation, peers, ports, named ports, ipBlock) and the nftables
text they render to: pure functions over dicts."""

from __future__ import annotations

from typing import Any

from pyk8s.network.policy.render import delete_script, render, render_match, replace_script
from pyk8s.network.policy.rules import (
    Match,
    PortMatch,
    compute_node_policy,
    pod_info,
    policy_types,
)

Obj = dict[str, Any]
NODE = "node-a"


def pod(
    name: str,
    ip: str,
    *,
    ns: str = "default",
    node: str = NODE,
    labels: Obj | None = None,
    ports: list[Obj] | None = None,
    **status: Any,
) -> Obj:
    return {
        "metadata": {"name": name, "namespace": ns, "labels": labels or {}},
        "spec": {"nodeName": node, "containers": [{"name": "c", "ports": ports or []}]},
        "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}], **status},
    }


def policy(name: str, spec: Obj, ns: str = "default") -> Obj:
    return {"metadata": {"name": name, "namespace": ns}, "spec": spec}


PODS = [
    pod("web", "10.244.1.10", labels={"app": "web"}, ports=[{"name": "http", "containerPort": 8080}]),
    pod("client", "10.244.1.11", labels={"role": "client"}),
    pod(
        "other",
        "10.244.2.12",
        node="node-b",
        labels={"role": "client"},
        ports=[{"name": "http", "containerPort": 9090}],
    ),
    pod("mon", "10.244.2.13", ns="monitoring", node="node-b", labels={"app": "prom"}),
]
NAMESPACES = {"default": {}, "monitoring": {"team": "ops"}}


def compute(policies: list[Obj], pods: list[Obj] = PODS, node: str = NODE) -> Any:
    infos = [i for p in pods if (i := pod_info(p)) is not None]
    return compute_node_policy(node, infos, NAMESPACES, policies)


def by_pod(result: Any) -> dict[str, Any]:
    return {entry.pod.name: entry for entry in result.pods}


def test_pods_without_policies_are_not_isolated() -> None:
    assert compute([]).pods == []
    only_other_ns = policy("deny", {"podSelector": {}, "policyTypes": ["Ingress"]}, ns="monitoring")
    assert compute([only_other_ns]).pods == []  # mon lives on node-b; default pods are not selected


def test_default_deny_ingress_selects_every_local_pod_of_the_namespace() -> None:
    result = by_pod(compute([policy("deny", {"podSelector": {}, "policyTypes": ["Ingress"]})]))
    assert set(result) == {"web", "client"}  # "other" is on node-b
    assert result["web"].ingress == [] and result["web"].egress is None


def test_policy_types_default() -> None:
    assert policy_types(policy("p", {"podSelector": {}})) == ["Ingress"]
    assert policy_types(policy("p", {"podSelector": {}, "egress": [{}]})) == ["Ingress", "Egress"]
    assert policy_types(policy("p", {"podSelector": {}, "policyTypes": ["Egress"]})) == ["Egress"]


def test_pod_and_namespace_selectors() -> None:
    allow = policy(
        "allow",
        {
            "podSelector": {"matchLabels": {"app": "web"}},
            "ingress": [
                {"from": [{"podSelector": {"matchLabels": {"role": "client"}}}]},
                {"from": [{"namespaceSelector": {"matchLabels": {"team": "ops"}}}]},
                {"from": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "prom"}}}]},
                {
                    "from": [
                        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}
                    ]
                },
            ],
        },
    )
    web = by_pod(compute([allow]))["web"]
    assert [m.addresses for m in web.ingress] == [
        ("10.244.1.11", "10.244.2.12"),  # role=client in the policy's namespace, on every node
        ("10.244.2.13",),
        ("10.244.2.13",),
        ("10.244.2.13",),
    ]
    assert all(m.ports is None for m in web.ingress)


def test_empty_peer_selection_allows_nothing_and_empty_rule_allows_everything() -> None:
    nobody = policy(
        "p", {"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"x": "y"}}}]}]}
    )
    assert by_pod(compute([nobody]))["web"].ingress == []
    everybody = policy("p", {"podSelector": {}, "ingress": [{}]})
    assert by_pod(compute([everybody]))["web"].ingress == [Match(comment="default/p ingress[0]")]


def test_ports_numbers_ranges_protocols_and_named_ports() -> None:
    p = policy(
        "ports",
        {
            "podSelector": {"matchLabels": {"app": "web"}},
            "ingress": [
                {
                    "ports": [
                        {"port": 80},
                        {"protocol": "UDP", "port": 5000, "endPort": 5010},
                        {"protocol": "SCTP"},
                        {"port": "http"},
                        {"port": "missing"},
                    ]
                }
            ],
        },
    )
    web = by_pod(compute([p]))["web"]
    assert web.ingress[0].ports == (PortMatch("TCP", 80), PortMatch("UDP", 5000, 5010), PortMatch("SCTP"))
    assert web.ingress[1].ports == (PortMatch("TCP", 8080),)  # "http" of the web pod itself
    assert len(web.ingress) == 2


def test_egress_named_ports_resolve_per_destination_pod() -> None:
    p = policy(
        "egress",
        {
            "podSelector": {"matchLabels": {"role": "client"}},
            "policyTypes": ["Egress"],
            "egress": [{"ports": [{"port": "http"}]}],
        },
    )
    client = by_pod(compute([p]))["client"]
    assert client.ingress is None
    assert [(m.addresses, m.ports) for m in client.egress] == [
        (("10.244.1.10",), (PortMatch("TCP", 8080),)),
        (("10.244.2.12",), (PortMatch("TCP", 9090),)),
    ]


def test_ip_blocks_with_exceptions() -> None:
    p = policy(
        "block",
        {
            "podSelector": {"matchLabels": {"app": "web"}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {"from": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16", "10.1.2.0/24"]}}]}
            ],
            "egress": [
                {"to": [{"ipBlock": {"cidr": "fd00::/64"}}], "ports": [{"port": 53, "protocol": "UDP"}]}
            ],
        },
    )
    web = by_pod(compute([p]))["web"]
    assert web.ingress[0].block == ("10.0.0.0/8", ("10.1.0.0/16", "10.1.2.0/24"))
    assert web.egress[0].block == ("fd00::/64", ())


def test_pods_policy_ignores() -> None:
    finished = pod("done", "10.244.1.20")
    finished["status"]["phase"] = "Succeeded"
    host = pod("host", "10.240.0.1")
    host["spec"]["hostNetwork"] = True
    pending = pod("pending", "")
    pending["status"] = {"phase": "Pending"}
    assert pod_info(finished) is None and pod_info(host) is None and pod_info(pending) is None
    dual = pod("dual", "10.244.1.30")
    dual["status"]["podIPs"] = [{"ip": "10.244.1.30"}, {"ip": "fd00::30"}]
    assert pod_info(dual).ips == ("10.244.1.30", "fd00::30")


def test_several_policies_add_up() -> None:
    a = policy("a", {"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}]})
    b = policy("b", {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{"ports": [{"port": 443}]}]})
    web = by_pod(compute([b, a]))["web"]
    assert [m.ports for m in web.ingress] == [(PortMatch("TCP", 80),), (PortMatch("TCP", 443),)]


# rendering


def test_render_match_forms() -> None:
    assert render_match(Match(), "ingress") == ["accept"]
    assert render_match(Match(addresses=("10.0.0.1", "fd00::1"), comment="c"), "ingress") == [
        'ip saddr 10.0.0.1 accept comment "c"',
        'ip6 saddr fd00::1 accept comment "c"',
    ]
    ports = (PortMatch("TCP", 80), PortMatch("TCP", 8000, 8080), PortMatch("UDP", 53), PortMatch("SCTP"))
    assert render_match(Match(addresses=("10.0.0.1", "10.0.0.2"), ports=ports), "egress") == [
        "ip daddr { 10.0.0.1, 10.0.0.2 } meta l4proto sctp accept",
        "ip daddr { 10.0.0.1, 10.0.0.2 } tcp dport { 80, 8000-8080 } accept",
        "ip daddr { 10.0.0.1, 10.0.0.2 } udp dport 53 accept",
    ]
    assert render_match(Match(block=("10.0.0.0/8", ("10.1.0.0/16", "fd00::/8"))), "ingress") == [
        "ip saddr 10.0.0.0/8 ip saddr != 10.1.0.0/16 accept"
    ]
    assert render_match(Match(addresses=()), "ingress") == []  # selects nobody
    assert render_match(Match(comment='say "hi"\n'), "ingress") == ['accept comment "say  hi  "']


def test_render_table() -> None:
    deny = policy(
        "deny", {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress", "Egress"]}
    )
    allow = policy(
        "allow",
        {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [{"from": [{"podSelector": {}}]}]},
    )
    text = render(compute([deny, allow]))
    assert text.startswith("table inet pyk8s-policy {\n")
    assert "type filter hook forward priority filter - 1; policy accept;" in text
    assert "type filter hook forward priority filter; policy accept;" in text
    assert text.count("ct state established,related accept") == 2
    entry = by_pod(compute([deny, allow]))["web"]
    assert f"ip daddr vmap {{ 10.244.1.10 : jump ingress-{entry.chain_id} }}" in text
    assert f"ip saddr vmap {{ 10.244.1.10 : jump egress-{entry.chain_id} }}" in text
    ingress_chain = text.split(f"chain ingress-{entry.chain_id} {{")[1].split("\n  }")[0]
    assert "ip saddr { 10.244.1.10, 10.244.1.11, 10.244.2.12 } accept" in ingress_chain
    assert ingress_chain.strip().endswith("drop")
    assert render(compute([deny, allow])) == text  # stable, so unchanged state applies nothing
    empty = render(compute([]))
    assert "vmap" not in empty and "chain ingress {" in empty


def test_transactions() -> None:
    assert replace_script("table inet t {\n}\n", table="t").startswith("table inet t\ndelete table inet t\n")
    assert delete_script(table="t") == "table inet t\ndelete table inet t\n"
