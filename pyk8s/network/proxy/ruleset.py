"""The proxy's nftables ruleset, rendered as `nft -f` scripts from `model.ServicePort`s.

Everything lives in one table of the `inet` family (default `pyk8s-proxy`), IPv4 only,
in the node's network namespace. Its layout follows kube-proxy's nftables mode:

    nat-prerouting / nat-output (-100)     jump services
    services                               ip daddr . proto . port vmap @service-ips
                                           ip daddr @nodeport-ips proto . port vmap @service-nodeports
    filter-prerouting / filter-output      new connections to a Service without endpoints:
      (-110)                               vmap @no-endpoint-services / @no-endpoint-nodeports
                                           -> reject-chain (TCP reset, else ICMP port
                                           unreachable: "connection refused" at once)
    nat-postrouting (100)                  masquerade what was marked for it

Per Service port (`<ns>/<svc>/<proto>/<port name>`, prefixed with a hash so names stay
unique and valid):

    service-H-...   cluster-wide: masquerade traffic from outside the cluster CIDR, then
                    ClientIP affinity (a dynamic set with timeout per endpoint) and
                    `numgen random mod N vmap` over the usable endpoints
    local-H-...     the same over this node's endpoints (traffic policy Local), or drop
    external-H-...  node port, external and load balancer IPs: masquerade and go
                    cluster-wide (policy Cluster), or keep the client address and go local
                    (policy Local; pods and the node itself still go cluster-wide)
    firewall-H-...  loadBalancerSourceRanges in front of external-H for LB addresses
    endpoint-H-...  per endpoint: masquerade hairpin traffic (a pod reaching itself),
                    record affinity, DNAT

Incremental updates (`transaction`) rewrite only the chains of the Services that changed,
and diff the map elements, so affinity sets survive; a full sync (`full_transaction`)
replaces the whole table atomically.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pyk8s.network.proxy.model import Endpoint, ServicePort

DEFAULT_TABLE = "pyk8s-proxy"
MASQUERADE_MARK = 0x4000  # kube-proxy's default masquerade bit (14)
DSTNAT, SRCNAT = -100, 100  # netfilter's NAT priorities
CHECK = "ct state new jump endpoints-check"

# map and set names
SERVICE_IPS = "service-ips"
SERVICE_NODEPORTS = "service-nodeports"
NO_ENDPOINT_SERVICES = "no-endpoint-services"
NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports"
NODEPORT_IPS = "nodeport-ips"
REJECT_CHAIN = "reject-chain"
MARK_CHAIN = "mark-for-masquerade"

IP_PORT_MAP = "ipv4_addr . inet_proto . inet_service : verdict"
PORT_MAP = "inet_proto . inet_service : verdict"
MAPS = {
    SERVICE_IPS: IP_PORT_MAP,
    SERVICE_NODEPORTS: PORT_MAP,
    NO_ENDPOINT_SERVICES: IP_PORT_MAP,
    NO_ENDPOINT_NODEPORTS: PORT_MAP,
}
SETS = {NODEPORT_IPS: "ipv4_addr"}

Elements = dict[str, dict[str, str | None]]  # map or set name -> key -> verdict (None in sets)


@dataclass
class Fragment:
    """The chains, sets and map elements of one Service."""

    chains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sets: dict[str, str] = field(default_factory=dict)  # name -> definition
    elements: Elements = field(default_factory=dict)

    def add_element(self, name: str, key: str, value: str | None) -> None:
        self.elements.setdefault(name, {})[key] = value


@dataclass(frozen=True)
class RenderOptions:
    """What rendering needs to know about the node."""

    table: str = DEFAULT_TABLE
    cluster_cidr: str = ""  # traffic from elsewhere to a cluster IP is masqueraded
    masquerade_all: bool = False  # masquerade all cluster IP traffic


def short_hash(text: str) -> str:
    """8 characters of base32 SHA-256: unique chain names whatever the readable part."""
    return base64.b32encode(hashlib.sha256(text.encode()).digest())[:8].decode()


def chain_name(kind: str, port: ServicePort) -> str:
    return f"{kind}-{short_hash(port.key)}-{port.key}"


def endpoint_chain(port: ServicePort, endpoint: Endpoint) -> str:
    readable = f"{port.key}__{endpoint.ip}/{endpoint.port}"
    return f"endpoint-{short_hash(readable)}-{readable}"


def affinity_set(port: ServicePort, endpoint: Endpoint) -> str:
    # the timeout is part of the name: a changed timeout is a new set (sets keep their state)
    return f"affinity-{short_hash(f'{endpoint_chain(port, endpoint)}:{port.affinity_timeout}')}"


def _ipv4_ranges(ranges: Iterable[str]) -> list[str]:
    out = []
    for text in ranges:
        try:
            network = ipaddress.ip_network(text.strip(), strict=False)
        except ValueError:
            continue
        if network.version == 4:
            out.append(str(network))
    return out


# base objects


def base_commands(options: RenderOptions) -> list[str]:
    """The table's fixed maps, sets and chains (after `add table`)."""
    t = f"inet {options.table}"
    mark = f"0x{MASQUERADE_MARK:x}"
    lines = [f"add map {t} {name} {{ type {spec} ; }}" for name, spec in MAPS.items()]
    lines += [f"add set {t} {name} {{ type {spec} ; }}" for name, spec in SETS.items()]
    chains: list[tuple[str, str, list[str]]] = [
        (MARK_CHAIN, "", [f"meta mark set meta mark | {mark}"]),
        (
            "masquerading",
            "",
            [
                f"meta mark & {mark} == 0 return",
                f"meta mark set meta mark ^ {mark}",
                "masquerade fully-random",
            ],
        ),
        (REJECT_CHAIN, "", ["meta l4proto tcp reject with tcp reset", "reject"]),
        (
            "endpoints-check",
            "",
            [
                f"ip daddr . meta l4proto . th dport vmap @{NO_ENDPOINT_SERVICES}",
                f"ip daddr @{NODEPORT_IPS} meta l4proto . th dport vmap @{NO_ENDPOINT_NODEPORTS}",
            ],
        ),
        (
            "services",
            "",
            [
                f"ip daddr . meta l4proto . th dport vmap @{SERVICE_IPS}",
                f"ip daddr @{NODEPORT_IPS} meta l4proto . th dport vmap @{SERVICE_NODEPORTS}",
            ],
        ),
        # Rejects happen before routing: the service range is unreachable in the node's
        # namespace, and a packet routed there would get "no route to host" instead.
        # (numeric priorities: nft 1.0.6 knows `dstnat` for prerouting only)
        ("filter-prerouting", f"type filter hook prerouting priority {DSTNAT - 10}", [CHECK]),
        ("filter-output", f"type filter hook output priority {DSTNAT - 10}", [CHECK]),
        ("nat-prerouting", f"type nat hook prerouting priority {DSTNAT}", ["jump services"]),
        ("nat-output", f"type nat hook output priority {DSTNAT}", ["jump services"]),
        ("nat-postrouting", f"type nat hook postrouting priority {SRCNAT}", ["jump masquerading"]),
    ]
    for name, hook, rules in chains:
        lines.append(
            f"add chain {t} {name} {{ {hook} ; policy accept ; }}" if hook else f"add chain {t} {name}"
        )
        lines += [f"add rule {t} {name} {rule}" for rule in rules]
    return lines


def base_elements(node_ips: Iterable[str]) -> Elements:
    """Elements that do not belong to a Service: the node addresses node ports answer on."""
    ips = sorted({ip for ip in node_ips if _is_ipv4(ip)}, key=ipaddress.ip_address)
    return {NODEPORT_IPS: dict.fromkeys(ips)}


def _is_ipv4(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 4
    except ValueError:
        return False


# per Service


def _balance(port: ServicePort, endpoints: Sequence[Endpoint]) -> list[str]:
    """Rules sending a new connection to one of `endpoints` (affinity first)."""
    rules: list[str] = []
    if port.affinity_timeout:
        rules += [f"ip saddr @{affinity_set(port, e)} goto {endpoint_chain(port, e)}" for e in endpoints]
    if len(endpoints) == 1:
        rules.append(f"goto {endpoint_chain(port, endpoints[0])}")
    else:
        targets = " , ".join(f"{i} : goto {endpoint_chain(port, e)}" for i, e in enumerate(endpoints))
        rules.append(f"numgen random mod {len(endpoints)} vmap {{ {targets} }}")
    return rules


def render_port(port: ServicePort, options: RenderOptions, fragment: Fragment) -> None:
    """Add one Service port's chains, sets and elements to `fragment`."""
    proto = port.protocol.lower()
    entry = f"{port.cluster_ip} . {proto} . {port.port}"
    outside = [*port.external_ips, *port.load_balancer_ips]
    if not port.has_endpoints:
        fragment.add_element(NO_ENDPOINT_SERVICES, entry, f"goto {REJECT_CHAIN}")
        for ip in outside:
            fragment.add_element(
                NO_ENDPOINT_SERVICES, f"{ip} . {proto} . {port.port}", f"goto {REJECT_CHAIN}"
            )
        if port.node_port:
            fragment.add_element(NO_ENDPOINT_NODEPORTS, f"{proto} . {port.node_port}", f"goto {REJECT_CHAIN}")
        return

    service_chain = chain_name("service", port)
    local_chain = chain_name("local", port)
    external_chain = chain_name("external", port)
    needs_service = not port.internal_local or port.has_external
    needs_local = port.internal_local or (port.has_external and port.external_local)

    if needs_service:
        rules: list[str] = []
        if options.masquerade_all:
            rules.append(f"ip daddr {port.cluster_ip} {proto} dport {port.port} jump {MARK_CHAIN}")
        elif options.cluster_cidr:
            rules.append(
                f"ip daddr {port.cluster_ip} {proto} dport {port.port} ip saddr != {options.cluster_cidr} "
                f"jump {MARK_CHAIN}"
            )
        fragment.chains[service_chain] = (*rules, *_balance(port, port.cluster_endpoints))
    if needs_local:
        fragment.chains[local_chain] = (
            tuple(_balance(port, port.local_endpoints)) if port.local_endpoints else ("drop",)
        )
    for endpoint in sorted({*port.cluster_endpoints, *port.local_endpoints}):
        rules = [f"ip saddr {endpoint.ip} jump {MARK_CHAIN}"]
        if port.affinity_timeout:
            name = affinity_set(port, endpoint)
            fragment.sets[name] = (
                f"{{ type ipv4_addr ; flags dynamic,timeout ; timeout {port.affinity_timeout}s ; }}"
            )
            rules.append(f"update @{name} {{ ip saddr }}")
        rules.append(f"meta l4proto {proto} dnat ip to {endpoint.ip}:{endpoint.port}")
        fragment.chains[endpoint_chain(port, endpoint)] = tuple(rules)

    fragment.add_element(SERVICE_IPS, entry, f"goto {local_chain if port.internal_local else service_chain}")
    if not port.has_external:
        return
    if port.external_local:
        rules = []
        if options.cluster_cidr:
            rules.append(f"ip saddr {options.cluster_cidr} goto {service_chain}")  # pods go cluster-wide
        rules += [
            f"fib saddr type local jump {MARK_CHAIN}",
            f"fib saddr type local goto {service_chain}",  # so does the node itself
            f"goto {local_chain}",
        ]
        fragment.chains[external_chain] = tuple(rules)
    else:
        fragment.chains[external_chain] = (f"jump {MARK_CHAIN}", f"goto {service_chain}")
    for ip in port.external_ips:
        fragment.add_element(SERVICE_IPS, f"{ip} . {proto} . {port.port}", f"goto {external_chain}")
    lb_target = external_chain
    if port.load_balancer_ips and port.source_ranges:
        lb_target = chain_name("firewall", port)
        allowed = _ipv4_ranges(port.source_ranges)
        rules = [f"ip saddr {{ {' , '.join(allowed)} }} goto {external_chain}"] if allowed else []
        fragment.chains[lb_target] = (*rules, "drop")
    for ip in port.load_balancer_ips:
        fragment.add_element(SERVICE_IPS, f"{ip} . {proto} . {port.port}", f"goto {lb_target}")
    if port.node_port:
        fragment.add_element(SERVICE_NODEPORTS, f"{proto} . {port.node_port}", f"goto {external_chain}")


def render_service(ports: Iterable[ServicePort], options: RenderOptions) -> Fragment:
    """The fragment of one Service (all its ports)."""
    fragment = Fragment()
    for port in ports:
        render_port(port, options, fragment)
    return fragment


def merge_elements(fragments: Mapping[str, Fragment], base: Elements) -> Elements:
    """Every element the table should hold; if two Services claim the same key (the same
    external IP and port, say), the first by namespace/name wins."""
    merged: Elements = {name: dict(values) for name, values in base.items()}
    for key in sorted(fragments):
        for name, values in fragments[key].elements.items():
            target = merged.setdefault(name, {})
            for element, value in values.items():
                target.setdefault(element, value)
    return merged


# transactions


def _element_list(values: Mapping[str, str | None], keys: Iterable[str]) -> str:
    return " , ".join(k if values[k] is None else f"{k} : {values[k]}" for k in keys)


def _element_commands(table: str, old: Elements, new: Elements) -> tuple[list[str], list[str]]:
    deletes: list[str] = []
    adds: list[str] = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name, {}), new.get(name, {})
        gone = [k for k in before if k not in after or after[k] != before[k]]
        fresh = [k for k in after if k not in before or after[k] != before[k]]
        if gone:
            deletes.append(f"delete element inet {table} {name} {{ {' , '.join(gone)} }}")
        if fresh:
            adds.append(f"add element inet {table} {name} {{ {_element_list(after, fresh)} }}")
    return deletes, adds


def full_transaction(
    options: RenderOptions, fragments: Mapping[str, Fragment], elements: Elements
) -> list[str]:
    """Replace the whole table at once (start-up, or after a failed update)."""
    t = f"inet {options.table}"
    lines = [f"add table {t}", f"delete table {t}", f"add table {t}", *base_commands(options)]
    ordered = [fragments[k] for k in sorted(fragments)]
    for fragment in ordered:
        lines += [f"add set {t} {name} {spec}" for name, spec in sorted(fragment.sets.items())]
    for fragment in ordered:
        lines += [f"add chain {t} {name}" for name in sorted(fragment.chains)]
    for fragment in ordered:
        for name in sorted(fragment.chains):
            lines += [f"add rule {t} {name} {rule}" for rule in fragment.chains[name]]
    _, adds = _element_commands(options.table, {}, elements)
    return lines + adds


def transaction(
    options: RenderOptions,
    old: Mapping[str, Fragment],
    new: Mapping[str, Fragment],
    changed: Iterable[str],
    old_elements: Elements,
    new_elements: Elements,
) -> list[str]:
    """Commands taking the table from `old` to `new`, where only the Services `changed`
    differ (their chains and sets are compared; elements are diffed everywhere). Order:
    new sets, new and rewritten chains, element deletes and adds, then removed chains
    (flushed first, so nothing still jumps to them) and removed sets."""
    t = f"inet {options.table}"
    empty = Fragment()
    new_sets: list[str] = []
    gone_sets: list[str] = []
    written: list[str] = []
    rules: list[str] = []
    gone_chains: list[str] = []
    for key in sorted(set(changed)):
        before, after = old.get(key, empty), new.get(key, empty)
        # a set's name encodes its definition: sets are only ever added or removed
        new_sets += [f"add set {t} {n} {s}" for n, s in sorted(after.sets.items()) if n not in before.sets]
        gone_sets += [n for n in sorted(before.sets) if n not in after.sets]
        for name in sorted(after.chains):
            if before.chains.get(name) == after.chains[name]:
                continue
            written.append(f"add chain {t} {name}")
            if name in before.chains:
                rules.append(f"flush chain {t} {name}")
            rules += [f"add rule {t} {name} {rule}" for rule in after.chains[name]]
        gone_chains += [n for n in sorted(before.chains) if n not in after.chains]
    deletes, adds = _element_commands(options.table, old_elements, new_elements)
    return [
        *new_sets,
        *written,
        *rules,
        *deletes,
        *adds,
        *(f"flush chain {t} {name}" for name in gone_chains),
        *(f"delete chain {t} {name}" for name in gone_chains),
        *(f"delete set {t} {name}" for name in gone_sets),
    ]


def delete_table_commands(table: str) -> list[str]:
    """Remove the table whether or not it exists."""
    return [f"add table inet {table}", f"delete table inet {table}"]
