"""Pure parts of the UDP conntrack clean-up and the load balancer range (no root needed):
ctnetlink messages round-trip, which entries are stale, frontends of UDP Service ports, and
the LB pool turned into unreachable CIDRs."""

from __future__ import annotations

import socket
import struct
from pathlib import Path

from pyk8s.controllers.loadbalancer.pool import DEFAULT_POOL
from pyk8s.network import conntrack
from pyk8s.network.addresses import LOAD_BALANCER_CIDR, pool_cidrs
from pyk8s.network.conntrack import Flow, Tuple
from pyk8s.network.podnet import PodNetworkConfig
from pyk8s.network.proxy.model import Endpoint, ServicePort
from pyk8s.network.proxy.udp import stale_flows, udp_frontends

UDP = socket.IPPROTO_UDP


def flow(
    client: str, sport: int, dst: str, dport: int, backend: str, bport: int, protocol: int = UDP
) -> Flow:
    return Flow(protocol, Tuple(client, dst, sport, dport), Tuple(backend, client, bport, sport), id=7)


def test_a_delete_request_carries_the_original_tuple_id_and_zone() -> None:
    entry = Flow(
        UDP,
        Tuple("10.244.0.4", "10.96.0.10", 40000, 53),
        Tuple("10.244.0.2", "10.244.0.4", 5353, 40000),
        id=99,
        zone=3,
    )
    data = conntrack.delete_request(entry, seq=5)
    [(kind, flags, seq, payload)] = list(conntrack.messages(data))
    assert kind == (1 << 8) | 2 and seq == 5 and flags & conntrack.NLM_F_ACK
    assert payload[:4] == struct.pack("=BBH", socket.AF_INET, 0, 0)
    # a delete request has the shape of a dumped entry, minus the reply tuple
    attributes = conntrack._attributes(payload[4:])
    assert struct.unpack("!I", attributes[conntrack.CTA_ID])[0] == 99
    assert struct.unpack("!H", attributes[conntrack.CTA_ZONE])[0] == 3
    reply = conntrack._tuple_attr(conntrack.CTA_TUPLE_REPLY, UDP, entry.reply)
    parsed = conntrack.parse_flow(payload + reply)
    assert parsed == entry


def test_a_dump_request_asks_for_every_entry() -> None:
    [(kind, flags, _, payload)] = list(conntrack.messages(conntrack.dump_request(1)))
    assert kind == (1 << 8) | 1 and flags & conntrack.NLM_F_DUMP == conntrack.NLM_F_DUMP
    assert payload == struct.pack("=BBH", socket.AF_INET, 0, 0)


def test_stale_flows() -> None:
    frontends = {("10.96.0.10", 53): frozenset({("10.244.0.3", 5353)})}
    current = flow("10.244.0.4", 40000, "10.96.0.10", 53, "10.244.0.3", 5353)
    dead = flow("10.244.0.4", 40001, "10.96.0.10", 53, "10.244.0.2", 5353)
    unnated = flow("10.244.0.4", 40002, "10.96.0.10", 53, "10.96.0.10", 53)
    other = flow("10.244.0.4", 40003, "10.244.0.9", 53, "10.244.0.9", 53)  # straight to a pod
    tcp = flow("10.244.0.4", 40004, "10.96.0.10", 53, "10.244.0.2", 5353, protocol=socket.IPPROTO_TCP)
    retired = flow("10.244.0.4", 40005, "10.96.0.20", 53, "10.244.0.3", 5353)
    flows = [current, dead, unnated, other, tcp, retired]
    assert stale_flows(flows, frontends, retired=set()) == [dead, unnated]
    assert stale_flows(flows, frontends, retired={("10.96.0.20", 53)}) == [dead, unnated, retired]


def test_udp_frontends() -> None:
    ready = Endpoint("10.244.0.3", 5353, node="a")
    elsewhere = Endpoint("10.244.1.3", 5353, node="b")
    port = ServicePort(
        namespace="ns",
        name="dns",
        port_name="dns",
        protocol="UDP",
        port=53,
        cluster_ip="10.96.0.10",
        node_port=30053,
        external_ips=("192.0.2.1",),
        load_balancer_ips=("10.241.0.5",),
        cluster_endpoints=(ready, elsewhere),
        local_endpoints=(ready,),
    )
    tcp = ServicePort(
        namespace="ns", name="web", port_name="", protocol="TCP", port=80, cluster_ip="10.96.0.11"
    )
    both = frozenset({("10.244.0.3", 5353), ("10.244.1.3", 5353)})
    assert udp_frontends([port, tcp], ["10.240.0.1"]) == {
        ("10.96.0.10", 53): both,
        ("192.0.2.1", 53): both,
        ("10.241.0.5", 53): both,
        ("10.240.0.1", 30053): both,
    }


def test_the_load_balancer_pool_is_unreachable_in_node_hosts(tmp_path: Path) -> None:
    config = PodNetworkConfig(data_dir=tmp_path)
    assert config.node_host("a", "10.240.0.1").unreachable() == [
        "10.244.0.0/16",
        "10.96.0.0/12",
        LOAD_BALANCER_CIDR,
    ]
    assert LOAD_BALANCER_CIDR == DEFAULT_POOL  # the controller's default pool
    custom = PodNetworkConfig(data_dir=tmp_path, load_balancer_pool="10.241.1.10-10.241.1.13")
    assert custom.node_host("a", "10.240.0.1").unreachable()[2:] == ["10.241.1.10/31", "10.241.1.12/31"]
    assert pool_cidrs("10.241.0.0/24") == ("10.241.0.0/24",)
    assert pool_cidrs("10.241.1.10-10.241.1.13, 10.242.0.0/25,bogus,10.242.0.0/25") == (
        "10.241.1.10/31",
        "10.241.1.12/31",
        "10.242.0.0/25",
    )
