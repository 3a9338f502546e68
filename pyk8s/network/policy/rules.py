"""What NetworkPolicies mean for the pods of one node (pure: no I/O).

For every pod on the node (with an IP, not host-networked, not finished):
- it is **isolated for ingress** when a policy in its namespace selects it (podSelector)
  and lists `Ingress` in policyTypes; then only traffic that some ingress rule of those
  policies allows may reach it. Likewise for egress. A pod no policy selects is not
  isolated: everything is allowed (and nothing about it is rendered).
- a rule allows traffic when its peer matches (no `from`/`to`: any address; otherwise any of
  the peers) and its port matches (no `ports`: any port; otherwise any of them).
- peers: `podSelector` alone = pods of the policy's namespace; `namespaceSelector` alone =
  every pod of the matching namespaces; both = the pods matching both; `ipBlock` = the CIDR
  minus its `except` CIDRs. Pod peers are pods on every node, by IP.
- ports: protocol (default TCP), a number (with `endPort`: a range), a name, or nothing
  (every port of the protocol). A named port is resolved against the pod it names: the
  isolated pod itself for ingress, each destination pod for egress (so an egress rule with
  a named port only reaches pods that have that port).

The result is a `NodePolicy`: per isolated pod, the ordered accept rules of each direction,
as numeric `Match`es ready to render.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyk8s.api.selectors import LabelSelector, SelectorError

Obj = dict[str, Any]
INGRESS, EGRESS = "Ingress", "Egress"
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


@dataclass(frozen=True)
class PodInfo:
    """What policy needs of a pod."""

    namespace: str
    name: str
    labels: Mapping[str, str]
    ips: tuple[str, ...]
    node: str
    named_ports: Mapping[str, tuple[tuple[str, int], ...]]  # name -> ((PROTOCOL, port), ...)

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.name}"


@dataclass(frozen=True)
class PortMatch:
    protocol: str  # TCP, UDP, SCTP
    port: int | None = None  # None: every port of the protocol
    end_port: int | None = None


@dataclass(frozen=True)
class Match:
    """One accept rule. `addresses` None: any peer; `block`: a CIDR with exceptions instead.
    `ports` None: any port."""

    addresses: tuple[str, ...] | None = None
    block: tuple[str, tuple[str, ...]] | None = None
    ports: tuple[PortMatch, ...] | None = None
    comment: str = ""


@dataclass
class PodPolicy:
    pod: PodInfo
    ingress: list[Match] | None = None  # None: not isolated in that direction
    egress: list[Match] | None = None

    @property
    def chain_id(self) -> str:
        return hashlib.sha1(self.pod.key.encode()).hexdigest()[:12]


@dataclass
class NodePolicy:
    """Every isolated pod of the node, in a stable order."""

    pods: list[PodPolicy] = field(default_factory=list)


def pod_info(pod: Obj) -> PodInfo | None:
    """The policy view of a pod, or None when policy does not apply to it (no IP yet,
    host network, finished)."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    if spec.get("hostNetwork") or status.get("phase") in ("Succeeded", "Failed"):
        return None
    ips = tuple(dict.fromkeys(p["ip"] for p in status.get("podIPs") or [] if p.get("ip")))
    if not ips and status.get("podIP"):
        ips = (status["podIP"],)
    if not ips:
        return None
    named: dict[str, list[tuple[str, int]]] = {}
    for container in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        for port in container.get("ports") or []:
            if port.get("name") and port.get("containerPort"):
                entry = (str(port.get("protocol") or "TCP"), int(port["containerPort"]))
                named.setdefault(port["name"], []).append(entry)
    meta = pod.get("metadata") or {}
    return PodInfo(
        namespace=str(meta.get("namespace") or ""),
        name=str(meta.get("name") or ""),
        labels=dict(meta.get("labels") or {}),
        ips=ips,
        node=str(spec.get("nodeName") or ""),
        named_ports={k: tuple(v) for k, v in named.items()},
    )


def policy_types(policy: Obj) -> list[str]:
    spec = policy.get("spec") or {}
    types = spec.get("policyTypes")
    if types:
        return list(types)
    return [INGRESS, EGRESS] if spec.get("egress") else [INGRESS]


def _selector(selector: Obj | None) -> LabelSelector | None:
    """A LabelSelector; None when it cannot be parsed (it then selects nothing)."""
    try:
        return LabelSelector.from_object(selector or {})
    except SelectorError:
        return None


class Cluster:
    """Pods and namespace labels, for peer selection."""

    def __init__(self, pods: Iterable[PodInfo], namespaces: Mapping[str, Mapping[str, str]]) -> None:
        self.pods = sorted(pods, key=lambda p: p.key)
        self.namespace_labels = {
            name: {**labels, NAMESPACE_NAME_LABEL: name} for name, labels in namespaces.items()
        }

    def labels_of_namespace(self, name: str) -> Mapping[str, str]:
        return self.namespace_labels.get(name) or {NAMESPACE_NAME_LABEL: name}

    def peer_pods(self, peer: Obj, policy_namespace: str) -> list[PodInfo]:
        pod_sel = _selector(peer.get("podSelector")) if "podSelector" in peer else None
        if "namespaceSelector" in peer:
            ns_sel = _selector(peer.get("namespaceSelector"))
            if ns_sel is None:
                return []
            namespaces = {
                p.namespace for p in self.pods if ns_sel.matches(self.labels_of_namespace(p.namespace))
            }
        else:
            namespaces = {policy_namespace}
        if "podSelector" in peer and pod_sel is None:
            return []
        return [
            p
            for p in self.pods
            if p.namespace in namespaces and (pod_sel is None or pod_sel.matches(p.labels))
        ]


def compute_node_policy(
    node: str, pods: Iterable[PodInfo], namespaces: Mapping[str, Mapping[str, str]], policies: Sequence[Obj]
) -> NodePolicy:
    """Per isolated pod of `node`, the accept rules of each isolated direction."""
    cluster = Cluster(pods, namespaces)
    ordered = sorted(
        policies,
        key=lambda p: ((p.get("metadata") or {}).get("namespace", ""), p["metadata"].get("name", "")),
    )
    result = NodePolicy()
    for pod in cluster.pods:
        if pod.node != node:
            continue
        selecting = [
            p
            for p in ordered
            if (p.get("metadata") or {}).get("namespace") == pod.namespace
            and (sel := _selector((p.get("spec") or {}).get("podSelector"))) is not None
            and sel.matches(pod.labels)
        ]
        if not selecting:
            continue
        entry = PodPolicy(pod)
        for policy in selecting:
            types = policy_types(policy)
            spec = policy.get("spec") or {}
            name = f"{policy['metadata'].get('namespace')}/{policy['metadata'].get('name')}"
            if INGRESS in types:
                entry.ingress = entry.ingress if entry.ingress is not None else []
                for i, rule in enumerate(spec.get("ingress") or []):
                    entry.ingress += _rule_matches(
                        cluster,
                        pod,
                        rule.get("from"),
                        rule.get("ports"),
                        policy,
                        INGRESS,
                        f"{name} ingress[{i}]",
                    )
            if EGRESS in types:
                entry.egress = entry.egress if entry.egress is not None else []
                for i, rule in enumerate(spec.get("egress") or []):
                    entry.egress += _rule_matches(
                        cluster, pod, rule.get("to"), rule.get("ports"), policy, EGRESS, f"{name} egress[{i}]"
                    )
        if entry.ingress is not None or entry.egress is not None:
            result.pods.append(entry)
    return result


def _rule_matches(
    cluster: Cluster,
    pod: PodInfo,
    peers: list[Obj] | None,
    ports: list[Obj] | None,
    policy: Obj,
    direction: str,
    comment: str,
) -> list[Match]:
    namespace = str(policy["metadata"].get("namespace") or "")
    numeric: list[PortMatch] = []
    named: list[tuple[str, str]] = []  # (PROTOCOL, name)
    for port in ports or []:
        protocol = str(port.get("protocol") or "TCP")
        value = port.get("port")
        if value is None:
            numeric.append(PortMatch(protocol))
        elif isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            end = port.get("endPort")
            numeric.append(PortMatch(protocol, int(value), int(end) if end else None))
        else:
            named.append((protocol, str(value)))
    any_port = not ports

    # Peers: None = anywhere; otherwise address groups (pod IPs) and blocks.
    pod_peers: list[PodInfo] | None = None
    blocks: list[tuple[str, tuple[str, ...]]] = []
    if peers:
        pod_peers = []
        for peer in peers:
            block = peer.get("ipBlock")
            if block:
                blocks.append(
                    (_cidr(block["cidr"]), tuple(sorted({_cidr(e) for e in block.get("except") or []})))
                )
            else:
                pod_peers += [p for p in cluster.peer_pods(peer, namespace) if p not in pod_peers]

    out: list[Match] = []
    port_sets: list[tuple[PortMatch, ...] | None] = (
        [None] if any_port else ([tuple(numeric)] if numeric else [])
    )

    def addresses(of: Iterable[PodInfo]) -> tuple[str, ...]:
        return tuple(sorted({ip for p in of for ip in p.ips}, key=_address_order))

    for port_set in port_sets:
        if pod_peers is None and not blocks:
            out.append(Match(ports=port_set, comment=comment))
            continue
        if pod_peers:
            out.append(Match(addresses=addresses(pod_peers), ports=port_set, comment=comment))
        for block in blocks:
            out.append(Match(block=block, ports=port_set, comment=comment))

    if named:
        if direction == INGRESS:
            # The isolated pod's own ports.
            resolved = tuple(_resolve(pod, named))
            if resolved:
                if pod_peers is None and not blocks:
                    out.append(Match(ports=resolved, comment=comment))
                if pod_peers:
                    out.append(Match(addresses=addresses(pod_peers), ports=resolved, comment=comment))
                for block in blocks:
                    out.append(Match(block=block, ports=resolved, comment=comment))
        else:
            # Each destination pod's ports: pod peers, or any pod (no peers) / pods in a block.
            if pod_peers is None and not blocks:
                candidates = cluster.pods
            else:
                candidates = list(pod_peers or [])
                for cidr, excepts in blocks:
                    candidates += [
                        p for p in cluster.pods if _in_block(p, cidr, excepts) and p not in candidates
                    ]
            by_ports: dict[tuple[PortMatch, ...], list[PodInfo]] = {}
            for destination in candidates:
                resolved = tuple(_resolve(destination, named))
                if resolved:
                    by_ports.setdefault(resolved, []).append(destination)
            for resolved, destinations in sorted(by_ports.items(), key=lambda kv: repr(kv[0])):
                out.append(Match(addresses=addresses(destinations), ports=resolved, comment=comment))
    return out


def _resolve(pod: PodInfo, named: list[tuple[str, str]]) -> list[PortMatch]:
    out: list[PortMatch] = []
    for protocol, name in named:
        for proto, number in pod.named_ports.get(name, ()):
            if proto == protocol and PortMatch(protocol, number) not in out:
                out.append(PortMatch(protocol, number))
    return out


def _cidr(text: str) -> str:
    return str(ipaddress.ip_network(text, strict=False))


def _in_block(pod: PodInfo, cidr: str, excepts: tuple[str, ...]) -> bool:
    network = ipaddress.ip_network(cidr)
    excluded = [ipaddress.ip_network(e) for e in excepts]
    for ip in pod.ips:
        address = ipaddress.ip_address(ip)
        inside = address.version == network.version and address in network
        if inside and not any(address.version == e.version and address in e for e in excluded):
            return True
    return False


def _address_order(ip: str) -> tuple[int, int]:
    address = ipaddress.ip_address(ip)
    return address.version, int(address)
