"""Cluster DNS records from Services and EndpointSlices (pure: `Zone` over a `StaticView`),
and the message handling of `DnsServer` without sockets."""

from __future__ import annotations

from typing import Any

import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdatatype
import dns.reversename
import pytest

from pyk8s.network.dns.records import Zone, dashed, ip_from_dashed
from pyk8s.network.dns.server import DnsServer, parse_address
from pyk8s.network.dns.view import StaticView

Obj = dict[str, Any]


def service(name: str, ns: str = "default", **spec: Any) -> Obj:
    spec.setdefault("clusterIP", "10.96.0.20")
    if spec["clusterIP"] not in ("None", ""):
        spec.setdefault("clusterIPs", [spec["clusterIP"]])
    return {"metadata": {"name": name, "namespace": ns}, "spec": spec}


def endpoint_slice(svc: str, endpoints: list[Obj], ports: list[Obj], ns: str = "default", **kw: Any) -> Obj:
    return {
        "metadata": {
            "name": f"{svc}-{kw.get('suffix', 'a')}",
            "namespace": ns,
            "labels": {"kubernetes.io/service-name": svc},
        },
        "addressType": kw.get("address_type", "IPv4"),
        "endpoints": endpoints,
        "ports": ports,
    }


WEB = service(
    "web",
    clusterIP="10.96.0.20",
    clusterIPs=["10.96.0.20", "fd00:96::20"],
    ports=[
        {"name": "http", "port": 80, "protocol": "TCP"},
        {"name": "dns", "port": 53, "protocol": "UDP"},
        {"port": 9000},
    ],
)
DB = service("db", clusterIP="None", ports=[{"name": "pg", "port": 5432, "protocol": "TCP"}])
DB_SLICE = endpoint_slice(
    "db",
    [
        {"addresses": ["10.244.1.10"], "hostname": "db-0", "conditions": {"ready": True}},
        {"addresses": ["10.244.2.11"], "hostname": "db-1"},  # no condition: ready
        {"addresses": ["10.244.3.12"], "hostname": "db-2", "conditions": {"ready": False}},
        {"addresses": ["10.244.1.13"], "conditions": {"ready": True}},  # no hostname: dashed IP
    ],
    [{"name": "pg", "port": 15432, "protocol": "TCP"}],
)
EXT = service("ext", clusterIP="", type="ExternalName", externalName="db.example.com")
ALIAS = service("alias", clusterIP="", type="ExternalName", externalName="web.default.svc.cluster.local")
NOT_READY = service("nr", clusterIP="None", publishNotReadyAddresses=True)
NOT_READY_SLICE = endpoint_slice("nr", [{"addresses": ["10.244.9.9"], "conditions": {"ready": False}}], [])
VIEW = StaticView([WEB, DB, EXT, ALIAS, NOT_READY], [DB_SLICE, NOT_READY_SLICE])
ZONE = Zone("cluster.local")


def ask(name: str, qtype: str, view: StaticView = VIEW) -> tuple[int, list[str], list[str]]:
    """(rcode, answer records as text, additional records as text)."""
    answer = ZONE.resolve(dns.name.from_text(name), dns.rdatatype.from_text(qtype), view)
    assert not answer.outside
    text = [str(r) for rrset in answer.answer for r in rrset.to_text().splitlines()]
    extra = sorted(str(r) for rrset in answer.additional for r in rrset.to_text().splitlines())
    return answer.rcode, sorted(" ".join(line.split()[3:]) for line in text), extra


@pytest.mark.parametrize(
    ("name", "qtype", "rcode", "records"),
    [
        ("web.default.svc.cluster.local", "A", dns.rcode.NOERROR, ["A 10.96.0.20"]),
        ("WEB.Default.SVC.cluster.local.", "A", dns.rcode.NOERROR, ["A 10.96.0.20"]),
        ("web.default.svc.cluster.local", "AAAA", dns.rcode.NOERROR, ["AAAA fd00:96::20"]),
        ("web.default.svc.cluster.local", "MX", dns.rcode.NOERROR, []),  # NODATA
        ("missing.default.svc.cluster.local", "A", dns.rcode.NXDOMAIN, []),
        ("web.other.svc.cluster.local", "A", dns.rcode.NXDOMAIN, []),
        ("default.svc.cluster.local", "A", dns.rcode.NOERROR, []),  # a namespace with Services
        ("nowhere.svc.cluster.local", "A", dns.rcode.NXDOMAIN, []),
        ("svc.cluster.local", "A", dns.rcode.NOERROR, []),
        ("cluster.local", "A", dns.rcode.NOERROR, []),
        ("something.cluster.local", "A", dns.rcode.NXDOMAIN, []),
        ("a.b.c.web.default.svc.cluster.local", "A", dns.rcode.NXDOMAIN, []),
        # headless: ready endpoints only, by hostname or dashed address
        (
            "db.default.svc.cluster.local",
            "A",
            dns.rcode.NOERROR,
            ["A 10.244.1.10", "A 10.244.1.13", "A 10.244.2.11"],
        ),
        ("db-0.db.default.svc.cluster.local", "A", dns.rcode.NOERROR, ["A 10.244.1.10"]),
        ("db-1.db.default.svc.cluster.local", "A", dns.rcode.NOERROR, ["A 10.244.2.11"]),
        ("db-2.db.default.svc.cluster.local", "A", dns.rcode.NXDOMAIN, []),  # not ready
        ("10-244-1-13.db.default.svc.cluster.local", "A", dns.rcode.NOERROR, ["A 10.244.1.13"]),
        ("db-0.web.default.svc.cluster.local", "A", dns.rcode.NXDOMAIN, []),  # not headless
        ("nr.default.svc.cluster.local", "A", dns.rcode.NOERROR, ["A 10.244.9.9"]),  # publishNotReady
        # ExternalName
        ("ext.default.svc.cluster.local", "A", dns.rcode.NOERROR, ["CNAME db.example.com."]),
        (
            "alias.default.svc.cluster.local",
            "A",
            dns.rcode.NOERROR,
            ["A 10.96.0.20", "CNAME web.default.svc.cluster.local."],
        ),
        # pods
        ("10-244-1-5.default.pod.cluster.local", "A", dns.rcode.NOERROR, ["A 10.244.1.5"]),
        ("fd00--5.default.pod.cluster.local", "AAAA", dns.rcode.NOERROR, ["AAAA fd00::5"]),
        ("10-244-1-5.default.pod.cluster.local", "AAAA", dns.rcode.NOERROR, []),
        ("not-an-ip.default.pod.cluster.local", "A", dns.rcode.NXDOMAIN, []),
        ("default.pod.cluster.local", "A", dns.rcode.NOERROR, []),
        # apex
        ("cluster.local", "NS", dns.rcode.NOERROR, ["NS ns.dns.cluster.local."]),
    ],
)
def test_forward_records(name: str, qtype: str, rcode: int, records: list[str]) -> None:
    got_rcode, got, _ = ask(name, qtype)
    assert (dns.rcode.to_text(got_rcode), got) == (dns.rcode.to_text(rcode), records)


def test_negative_answers_carry_the_soa() -> None:
    answer = ZONE.resolve(
        dns.name.from_text("missing.default.svc.cluster.local"), dns.rdatatype.A, VIEW, serial=7
    )
    assert answer.authority[0].rdtype == dns.rdatatype.SOA
    assert answer.authority[0][0].serial == 7
    soa = ZONE.resolve(dns.name.from_text("cluster.local"), dns.rdatatype.SOA, VIEW, serial=9)
    assert soa.answer[0][0].serial == 9


def test_srv_for_cluster_ip_service_targets_the_service() -> None:
    _, records, extra = ask("_http._tcp.web.default.svc.cluster.local", "SRV")
    assert records == ["SRV 0 100 80 web.default.svc.cluster.local."]
    assert "web.default.svc.cluster.local. 30 IN A 10.96.0.20" in extra
    assert ask("_dns._udp.web.default.svc.cluster.local", "SRV")[1] == [
        "SRV 0 100 53 web.default.svc.cluster.local."
    ]
    # wrong protocol or an unnamed port: no such name
    assert ask("_http._udp.web.default.svc.cluster.local", "SRV")[0] == dns.rcode.NXDOMAIN
    assert ask("_9000._tcp.web.default.svc.cluster.local", "SRV")[0] == dns.rcode.NXDOMAIN
    # the service name itself lists every named port
    assert len(ask("web.default.svc.cluster.local", "SRV")[1]) == 2
    # _tcp.<svc> exists (an empty non-terminal), _sctp.<svc> does not
    assert ask("_tcp.web.default.svc.cluster.local", "A")[:2] == (dns.rcode.NOERROR, [])
    assert ask("_sctp.web.default.svc.cluster.local", "A")[0] == dns.rcode.NXDOMAIN


def test_srv_for_headless_service_targets_each_ready_endpoint_with_its_port() -> None:
    _, records, extra = ask("_pg._tcp.db.default.svc.cluster.local", "SRV")
    assert records == [
        "SRV 0 33 15432 10-244-1-13.db.default.svc.cluster.local.",
        "SRV 0 33 15432 db-0.db.default.svc.cluster.local.",
        "SRV 0 33 15432 db-1.db.default.svc.cluster.local.",
    ]
    assert "db-0.db.default.svc.cluster.local. 30 IN A 10.244.1.10" in extra


def test_duplicate_addresses_across_slices_are_answered_once() -> None:
    second = endpoint_slice("db", [{"addresses": ["10.244.1.10"], "hostname": "db-0"}], [], suffix="b")
    view = StaticView([DB], [DB_SLICE, second])
    assert ask("db.default.svc.cluster.local", "A", view)[1].count("A 10.244.1.10") == 1


def test_fqdn_slices_are_ignored() -> None:
    fqdn = endpoint_slice("db", [{"addresses": ["example.com"]}], [], address_type="FQDN", suffix="f")
    view = StaticView([DB], [fqdn])
    assert ask("db.default.svc.cluster.local", "A", view)[1] == []


def test_cname_chain_is_bounded() -> None:
    loop = service("loop", clusterIP="", type="ExternalName", externalName="loop.default.svc.cluster.local")
    rcode, records, _ = ask("loop.default.svc.cluster.local", "A", StaticView([loop]))
    assert rcode == dns.rcode.NOERROR
    assert 1 < len(records) <= 10


def test_reverse_lookups() -> None:
    def ptr(ip: str) -> Any:
        return ZONE.resolve(dns.reversename.from_address(ip), dns.rdatatype.PTR, VIEW)

    assert ptr("10.96.0.20").answer[0][0].target.to_text() == "web.default.svc.cluster.local."
    assert ptr("fd00:96::20").answer[0][0].target.to_text() == "web.default.svc.cluster.local."
    assert ptr("10.244.1.10").answer[0][0].target.to_text() == "db-0.db.default.svc.cluster.local."
    assert ptr("10.244.1.13").answer[0][0].target.to_text() == "10-244-1-13.db.default.svc.cluster.local."
    assert ptr("192.0.2.1").outside  # not the cluster's: forwarded or refused


def test_names_outside_the_zone_are_not_ours() -> None:
    answer = ZONE.resolve(dns.name.from_text("example.com"), dns.rdatatype.A, VIEW)
    assert answer.outside and not answer.authoritative
    other = Zone("corp.example").resolve(dns.name.from_text("web.default.svc.cluster.local"), 1, VIEW)
    assert other.outside


def test_dashed_names_round_trip() -> None:
    assert dashed("10.244.1.5") == "10-244-1-5"
    assert ip_from_dashed("10-244-1-5") == "10.244.1.5"
    assert ip_from_dashed(dashed("fd00::1:5")) == "fd00::1:5"
    assert ip_from_dashed("10-244-1") is None
    assert ip_from_dashed("web") is None


def test_parse_address() -> None:
    assert parse_address("10.0.0.1") == ("10.0.0.1", 53)
    assert parse_address("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_address("[fd00::1]:54") == ("fd00::1", 54)
    assert parse_address("fd00::1") == ("fd00::1", 53)


# DnsServer message handling (no sockets)


def reply(server: DnsServer, query: dns.message.Message, *, udp: bool = True) -> dns.message.Message:
    wire = server.answer(query.to_wire(), udp=udp)
    assert isinstance(wire, bytes)
    return dns.message.from_wire(wire)


def test_server_sets_authoritative_and_recursion_flags() -> None:
    server = DnsServer(ZONE, VIEW)
    response = reply(server, dns.message.make_query("web.default.svc.cluster.local", "A"))
    assert response.flags & dns.flags.AA and not response.flags & dns.flags.RA
    assert response.rcode() == dns.rcode.NOERROR
    refused = reply(server, dns.message.make_query("example.com", "A"))
    assert refused.rcode() == dns.rcode.REFUSED
    forwarding = DnsServer(ZONE, VIEW, upstreams=[("127.0.0.1", 53)])
    assert isinstance(
        forwarding.answer(dns.message.make_query("example.com", "A").to_wire(), udp=True), dns.message.Message
    )


def test_server_answers_servfail_until_synced() -> None:
    server = DnsServer(ZONE, VIEW, synced=lambda: False)
    assert (
        reply(server, dns.message.make_query("web.default.svc.cluster.local", "A")).rcode()
        == dns.rcode.SERVFAIL
    )


def test_server_truncates_large_udp_answers() -> None:
    many = endpoint_slice(
        "big", [{"addresses": [f"10.244.{i // 250}.{i % 250 + 1}"]} for i in range(100)], []
    )
    view = StaticView([service("big", clusterIP="None")], [many])
    server = DnsServer(ZONE, view)
    query = dns.message.make_query("big.default.svc.cluster.local", "A")
    udp = reply(server, query)
    assert udp.flags & dns.flags.TC and not udp.answer
    tcp = reply(server, query, udp=False)
    assert not tcp.flags & dns.flags.TC and len(tcp.answer[0]) == 100
    edns = dns.message.make_query("big.default.svc.cluster.local", "A", use_edns=0, payload=4096)
    assert len(reply(server, edns).answer[0]) == 100


def test_server_rejects_bad_messages() -> None:
    server = DnsServer(ZONE, VIEW)
    assert server.answer(b"\x00\x01", udp=True) is None  # no header: dropped
    bad = server.answer(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xff", udp=True)
    assert (
        isinstance(bad, bytes) and dns.message.from_wire(bad, question_only=True).rcode() == dns.rcode.FORMERR
    )
    query = dns.message.make_query("web.default.svc.cluster.local", "A")
    query.set_opcode(dns.opcode.NOTIFY)
    assert reply(server, query).rcode() == dns.rcode.NOTIMP
    response = dns.message.make_response(dns.message.make_query("x.cluster.local", "A"))
    assert server.answer(response.to_wire(), udp=True) is None  # a response is never answered
    chaos = dns.message.make_query("version.bind", "TXT", rdclass="CH")
    assert reply(server, chaos).rcode() == dns.rcode.REFUSED


def test_replies_are_cached_until_the_zone_changes() -> None:
    serial = [1]
    services = {"web": service("web", clusterIP="10.96.0.20")}

    class Changing(StaticView):
        def service(self, namespace: str, name: str) -> Obj | None:
            return services.get(name) if namespace == "default" else None

    server = DnsServer(ZONE, Changing(), serial=lambda: serial[0])
    first = dns.message.make_query("web.default.svc.cluster.local", "A")
    second = dns.message.make_query("web.default.svc.cluster.local", "A")  # another id
    assert reply(server, first).answer[0][0].address == "10.96.0.20"
    cached = reply(server, second)
    assert cached.id == second.id and cached.answer[0][0].address == "10.96.0.20"
    assert server.cache_hits == 1
    services["web"] = service("web", clusterIP="10.96.0.21")
    assert reply(server, second).answer[0][0].address == "10.96.0.20"  # same serial: still cached
    serial[0] = 2
    assert reply(server, second).answer[0][0].address == "10.96.0.21"
    tcp = reply(server, second, udp=False)  # UDP and TCP replies are cached apart (truncation)
    assert tcp.answer[0][0].address == "10.96.0.21" and server.cache_hits == 2
