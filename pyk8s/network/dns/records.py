"""The cluster's DNS records, answered from Services and EndpointSlices (pure: no I/O).

Kubernetes' DNS specification (the records CoreDNS's `kubernetes` plugin serves), for the
cluster domain `cluster.local`:

    <svc>.<ns>.svc.cluster.local            A/AAAA  ClusterIP(s); headless: ready endpoint IPs;
                                            ExternalName: CNAME to spec.externalName
    _<port>._<proto>.<svc>.<ns>.svc...      SRV     named ports (headless: one per endpoint)
    <svc>.<ns>.svc... (SRV)                 SRV     every named port
    <host>.<svc>.<ns>.svc...                A/AAAA  endpoints of headless Services, by the
                                            slice's `hostname` (StatefulSet pods) or the
                                            dashed IP when there is none
    <a-b-c-d>.<ns>.pod.cluster.local        A/AAAA  the IP the name spells (CoreDNS's
                                            `pods insecure`)
    <reverse>.in-addr.arpa / ip6.arpa       PTR     ClusterIPs and headless endpoints
    cluster.local                           SOA/NS  the zone apex

Other names in the zone are NXDOMAIN, known names without the asked type are NODATA
(NOERROR, no answer), both with the SOA in the authority section for negative caching.
Names outside the zone (and reverse names of addresses the cluster does not know) are
`Answer.outside`: the server forwards them when upstreams are configured, else refuses.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import dns.exception
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.reversename
import dns.rrset
from dns.rdtypes.ANY.CNAME import CNAME
from dns.rdtypes.ANY.NS import NS
from dns.rdtypes.ANY.PTR import PTR
from dns.rdtypes.ANY.SOA import SOA
from dns.rdtypes.IN.A import A
from dns.rdtypes.IN.AAAA import AAAA
from dns.rdtypes.IN.SRV import SRV

Obj = dict[str, Any]

IN = dns.rdataclass.IN
DEFAULT_TTL = 30  # seconds, as kubeadm's Corefile sets for the kubernetes plugin
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MAX_CNAME_CHAIN = 8
REVERSE_V4 = dns.name.from_text("in-addr.arpa.")
REVERSE_V6 = dns.name.from_text("ip6.arpa.")


class ClusterView(Protocol):
    """What the records are made of: the informers' caches, or plain dicts in tests."""

    def service(self, namespace: str, name: str) -> Obj | None:
        """The Service `namespace/name`, or None."""
        ...

    def endpoint_slices(self, namespace: str, service: str) -> Sequence[Obj]:
        """The EndpointSlices labelled `kubernetes.io/service-name: <service>` in `namespace`."""
        ...

    def has_namespace(self, namespace: str) -> bool:
        """Whether `<ns>.svc.<zone>` exists (a Service lives in that namespace)."""
        ...

    def names_for_ip(self, ip: str) -> Sequence[str]:
        """Names (relative to the zone, e.g. `web.default.svc`) whose records hold `ip`."""
        ...


@dataclass
class Answer:
    """A response's content: rcode, sections, and whether the zone is authoritative for it."""

    rcode: int = dns.rcode.NOERROR
    answer: list[dns.rrset.RRset] = field(default_factory=list)
    authority: list[dns.rrset.RRset] = field(default_factory=list)
    additional: list[dns.rrset.RRset] = field(default_factory=list)
    authoritative: bool = True
    outside: bool = False  # not ours: forward or refuse


@dataclass(frozen=True)
class Endpoint:
    """One endpoint address as DNS sees it."""

    address: str
    hostname: str  # the slice's hostname, else the dashed address
    ports: tuple[tuple[str, str, int], ...]  # (name, protocol, port) from its slice


class Zone:
    """The cluster domain's records over a `ClusterView`."""

    def __init__(self, domain: str = "cluster.local", *, ttl: int = DEFAULT_TTL) -> None:
        self.domain = domain.strip(".").lower()
        self.origin = dns.name.from_text(self.domain + ".")
        self.ttl = ttl
        self.nameserver = dns.name.from_text("ns.dns", origin=self.origin)
        self.hostmaster = dns.name.from_text("hostmaster", origin=self.origin)

    # entry point

    def resolve(self, qname: dns.name.Name, qtype: int, view: ClusterView, *, serial: int = 1) -> Answer:
        """The answer to one question (class IN)."""
        qname = qname.canonicalize()
        if qname.is_subdomain(REVERSE_V4) or qname.is_subdomain(REVERSE_V6):
            return self._reverse(qname, qtype, view)
        if not qname.is_subdomain(self.origin):
            return Answer(authoritative=False, outside=True)
        answer = Answer()
        self._resolve_into(answer, qname, qtype, view, depth=0, serial=serial)
        if not answer.answer:
            answer.authority.append(self.soa(serial))
        return answer

    def soa(self, serial: int = 1) -> dns.rrset.RRset:
        rd = SOA(IN, dns.rdatatype.SOA, self.nameserver, self.hostmaster, serial, 7200, 1800, 86400, self.ttl)
        return _rrset(self.origin, self.ttl, rd)

    # forward names

    def _resolve_into(
        self,
        answer: Answer,
        qname: dns.name.Name,
        qtype: int,
        view: ClusterView,
        *,
        depth: int,
        serial: int = 1,
    ) -> None:
        labels = [label.decode("ascii", "replace").lower() for label in qname.relativize(self.origin).labels]
        if qname == self.origin:
            if qtype in (dns.rdatatype.SOA, dns.rdatatype.ANY):
                answer.answer.append(self.soa(serial))
            if qtype in (dns.rdatatype.NS, dns.rdatatype.ANY):
                answer.answer.append(_rrset(self.origin, self.ttl, NS(IN, dns.rdatatype.NS, self.nameserver)))
            return
        kind = labels[-1]
        if kind == "svc":
            self._service_name(answer, qname, labels[:-1], qtype, view, depth=depth)
        elif kind == "pod":
            self._pod_name(answer, qname, labels[:-1], qtype, view)
        else:
            answer.rcode = dns.rcode.NXDOMAIN

    def _service_name(
        self,
        answer: Answer,
        qname: dns.name.Name,
        labels: list[str],
        qtype: int,
        view: ClusterView,
        *,
        depth: int,
    ) -> None:
        if not labels:  # svc.<zone>: an empty non-terminal
            return
        if len(labels) == 1:  # <ns>.svc.<zone>
            if not view.has_namespace(labels[0]):
                answer.rcode = dns.rcode.NXDOMAIN
            return
        namespace, name = labels[-1], labels[-2]
        service = view.service(namespace, name)
        if service is None:
            answer.rcode = dns.rcode.NXDOMAIN
            return
        prefix = labels[:-2]
        if not prefix:
            self._service_records(answer, qname, service, qtype, view, depth=depth)
        elif len(prefix) == 1 and prefix[0].startswith("_"):  # _<proto>.<svc>: empty non-terminal
            if not any(p[1] == prefix[0][1:] for p in _service_srv_ports(service)):
                answer.rcode = dns.rcode.NXDOMAIN
        elif len(prefix) == 1:
            self._endpoint_records(answer, qname, service, prefix[0], qtype, view)
        elif len(prefix) == 2 and prefix[0].startswith("_") and prefix[1].startswith("_"):
            self._srv_records(answer, qname, service, prefix[0][1:], prefix[1][1:], qtype, view)
        else:
            answer.rcode = dns.rcode.NXDOMAIN

    def _service_records(
        self,
        answer: Answer,
        qname: dns.name.Name,
        service: Obj,
        qtype: int,
        view: ClusterView,
        *,
        depth: int,
    ) -> None:
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName":
            target = str(spec.get("externalName") or "").strip(".")
            if not target:
                return
            target_name = dns.name.from_text(target + ".")
            answer.answer.append(_rrset(qname, self.ttl, CNAME(IN, dns.rdatatype.CNAME, target_name)))
            # Chase targets inside the cluster, as CoreDNS does; others are the client's to resolve.
            if (
                qtype != dns.rdatatype.CNAME
                and target_name.is_subdomain(self.origin)
                and depth < MAX_CNAME_CHAIN
            ):
                chased = Answer()
                self._resolve_into(chased, target_name, qtype, view, depth=depth + 1)
                answer.answer += chased.answer
            return
        if qtype == dns.rdatatype.SRV:
            self._srv_records(answer, qname, service, None, None, qtype, view)
            return
        ips = _addresses(service, view)
        answer.answer += self._address_rrsets(qname, ips, qtype)

    def _endpoint_records(
        self, answer: Answer, qname: dns.name.Name, service: Obj, host: str, qtype: int, view: ClusterView
    ) -> None:
        if not is_headless(service):
            answer.rcode = dns.rcode.NXDOMAIN
            return
        ips = [e.address for e in ready_endpoints(service, view) if e.hostname == host]
        if not ips:
            answer.rcode = dns.rcode.NXDOMAIN
            return
        answer.answer += self._address_rrsets(qname, ips, qtype)

    def _srv_records(
        self,
        answer: Answer,
        qname: dns.name.Name,
        service: Obj,
        port_name: str | None,
        protocol: str | None,
        qtype: int,
        view: ClusterView,
    ) -> None:
        """SRV for `_<port>._<proto>.<svc>` (or every named port when both are None)."""
        ports = [
            p
            for p in _service_srv_ports(service)
            if port_name is None or (p[0] == port_name and p[1] == protocol)
        ]
        if not ports:
            if port_name is not None:
                answer.rcode = dns.rcode.NXDOMAIN
            return
        if qtype not in (dns.rdatatype.SRV, dns.rdatatype.ANY):
            return
        meta = service.get("metadata") or {}
        service_name = dns.name.from_text(
            f"{meta.get('name')}.{meta.get('namespace')}.svc", origin=self.origin
        )
        targets: list[tuple[dns.name.Name, int, list[str]]] = []
        if is_headless(service):
            for endpoint in ready_endpoints(service, view):
                for name, proto, number in endpoint.ports:
                    if any(name == p[0] and proto == p[1] for p in ports):
                        host = dns.name.Name((endpoint.hostname.encode(), *service_name.labels))
                        targets.append((host, number, [endpoint.address]))
        else:
            ips = _addresses(service, view)
            targets = [(service_name, number, ips) for _, _, number in ports]
        if not targets:
            return
        rrset = dns.rrset.RRset(qname, IN, dns.rdatatype.SRV)
        rrset.update_ttl(self.ttl)
        weight = max(1, 100 // len(targets))
        extra: dict[dns.name.Name, list[str]] = {}
        for target, number, ips in targets:
            rrset.add(SRV(IN, dns.rdatatype.SRV, 0, weight, number, target))
            extra.setdefault(target, [])
            extra[target] += [ip for ip in ips if ip not in extra[target]]
        answer.answer.append(rrset)
        for target, ips in extra.items():
            answer.additional += self._address_rrsets(target, ips, dns.rdatatype.ANY)

    def _pod_name(
        self, answer: Answer, qname: dns.name.Name, labels: list[str], qtype: int, view: ClusterView
    ) -> None:
        if len(labels) < 2:  # pod.<zone> and <ns>.pod.<zone> are empty non-terminals
            return
        if len(labels) != 2:
            answer.rcode = dns.rcode.NXDOMAIN
            return
        ip = ip_from_dashed(labels[0])
        if ip is None:
            answer.rcode = dns.rcode.NXDOMAIN
            return
        answer.answer += self._address_rrsets(qname, [ip], qtype)

    def _address_rrsets(self, name: dns.name.Name, ips: Iterable[str], qtype: int) -> list[dns.rrset.RRset]:
        v4 = [ip for ip in ips if ":" not in ip]
        v6 = [ip for ip in ips if ":" in ip]
        out: list[dns.rrset.RRset] = []
        if v4 and qtype in (dns.rdatatype.A, dns.rdatatype.ANY):
            out.append(_rrset(name, self.ttl, *(A(IN, dns.rdatatype.A, ip) for ip in v4)))
        if v6 and qtype in (dns.rdatatype.AAAA, dns.rdatatype.ANY):
            out.append(_rrset(name, self.ttl, *(AAAA(IN, dns.rdatatype.AAAA, ip) for ip in v6)))
        return out

    # reverse names

    def _reverse(self, qname: dns.name.Name, qtype: int, view: ClusterView) -> Answer:
        try:
            ip = dns.reversename.to_address(qname)
        except (dns.exception.SyntaxError, ValueError):
            return Answer(authoritative=False, outside=True)
        names = view.names_for_ip(str(ipaddress.ip_address(ip)))
        if not names:
            return Answer(authoritative=False, outside=True)
        answer = Answer()
        if qtype in (dns.rdatatype.PTR, dns.rdatatype.ANY):
            targets = (dns.name.from_text(n, origin=self.origin) for n in names)
            answer.answer.append(_rrset(qname, self.ttl, *(PTR(IN, dns.rdatatype.PTR, t) for t in targets)))
        return answer


# helpers over objects (shared with the informer-backed view)


def is_headless(service: Obj) -> bool:
    return (service.get("spec") or {}).get("clusterIP") == "None"


def cluster_ips(service: Obj) -> list[str]:
    spec = service.get("spec") or {}
    ips = list(spec.get("clusterIPs") or [])
    if not ips and spec.get("clusterIP"):
        ips = [spec["clusterIP"]]
    return [ip for ip in ips if ip and ip != "None"]


def _addresses(service: Obj, view: ClusterView) -> list[str]:
    if is_headless(service):
        seen: list[str] = []
        for endpoint in ready_endpoints(service, view):
            if endpoint.address not in seen:
                seen.append(endpoint.address)
        return seen
    return cluster_ips(service)


def ready_endpoints(service: Obj, view: ClusterView) -> list[Endpoint]:
    """The endpoints DNS publishes: ready ones (a missing condition counts as ready, as the
    EndpointSlice API says), or all of them when the Service publishes not-ready addresses."""
    meta = service.get("metadata") or {}
    publish_all = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
    out: list[Endpoint] = []
    slices = sorted(view.endpoint_slices(meta.get("namespace", ""), meta.get("name", "")), key=_slice_name)
    for slice_ in slices:
        if slice_.get("addressType") not in ("IPv4", "IPv6"):
            continue
        ports = tuple(
            (str(p.get("name") or ""), str(p.get("protocol") or "TCP").lower(), int(p["port"]))
            for p in slice_.get("ports") or []
            if p.get("port") is not None
        )
        for endpoint in slice_.get("endpoints") or []:
            ready = (endpoint.get("conditions") or {}).get("ready")
            if ready is False and not publish_all:
                continue
            hostname = str(endpoint.get("hostname") or "").lower()
            for address in endpoint.get("addresses") or []:
                out.append(Endpoint(address, hostname or dashed(address), ports))
    return out


def _slice_name(slice_: Obj) -> str:
    return str((slice_.get("metadata") or {}).get("name") or "")


def _service_srv_ports(service: Obj) -> list[tuple[str, str, int]]:
    """(name, lower-case protocol, port) of the Service's named ports."""
    return [
        (str(p["name"]).lower(), str(p.get("protocol") or "TCP").lower(), int(p.get("port") or 0))
        for p in (service.get("spec") or {}).get("ports") or []
        if p.get("name")
    ]


def dashed(ip: str) -> str:
    """`10.244.1.5` -> `10-244-1-5`, `fd00::5` -> `fd00--5` (the DNS spec's pod/endpoint label)."""
    return ip.replace(".", "-").replace(":", "-")


def ip_from_dashed(label: str) -> str | None:
    """The address a dashed label spells, or None."""
    for candidate in (label.replace("-", "."), label.replace("-", ":")):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def _rrset(name: dns.name.Name, ttl: int, *rdatas: Any) -> dns.rrset.RRset:
    rrset = dns.rrset.RRset(name, IN, rdatas[0].rdtype)
    rrset.update_ttl(ttl)
    for rd in rdatas:
        rrset.add(rd)
    return rrset
