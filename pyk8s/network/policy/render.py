"""A `NodePolicy` as one nftables script for the node host namespace (pure: text only).

    table inet pyk8s-policy {
      chain egress {                 # forward hook, just before `ingress`
        type filter hook forward priority filter - 1; policy accept;
        ct state established,related accept
        ip saddr vmap { 10.244.1.5 : jump egress-<pod> }
      }
      chain ingress {
        type filter hook forward priority filter; policy accept;
        ct state established,related accept
        ip daddr vmap { 10.244.1.6 : jump ingress-<pod> }
      }
      chain ingress-<pod> {          # one per isolated pod and direction
        ip saddr { 10.244.1.5, 10.244.2.7 } tcp dport 80 accept comment "ns/policy ingress[0]"
        drop
      }
    }

Two base chains at two priorities, because an `accept` ends only the base chain it is in:
a flow allowed by the source pod's egress rules must still pass the destination pod's
ingress rules, and both may be on this node. Replies of allowed flows pass as established
connections. Only forwarded traffic is filtered: pod to pod (bridged traffic reaches the
inet forward hook through br_netfilter) and pod to anywhere routed by the node. Traffic
between a pod and its node (probes, the DNS and API server relays in the node host
namespace) is never filtered, as Kubernetes allows for node traffic.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyk8s.network.policy.rules import Match, NodePolicy, PortMatch

TABLE = "pyk8s-policy"
FAMILY = "inet"


def render(policy: NodePolicy, *, table: str = TABLE) -> str:
    """The whole table, replaced atomically when given to `nft -f` (see `replace_script`)."""
    ingress_v4: list[tuple[str, str]] = []
    ingress_v6: list[tuple[str, str]] = []
    egress_v4: list[tuple[str, str]] = []
    egress_v6: list[tuple[str, str]] = []
    chains: list[str] = []
    for entry in policy.pods:
        for direction, matches, v4, v6 in (
            ("ingress", entry.ingress, ingress_v4, ingress_v6),
            ("egress", entry.egress, egress_v4, egress_v6),
        ):
            if matches is None:
                continue
            name = f"{direction}-{entry.chain_id}"
            for ip in entry.pod.ips:
                (v6 if ":" in ip else v4).append((ip, name))
            body = list(dict.fromkeys(line for m in matches for line in render_match(m, direction)))
            body.append("drop")
            chains.append(_chain(name, body, f"{direction} of pod {entry.pod.key}"))

    lines = [f"table {FAMILY} {table} {{"]
    lines.append(
        _base_chain("egress", "filter - 1", [_vmap("ip saddr", egress_v4), _vmap("ip6 saddr", egress_v6)])
    )
    lines.append(
        _base_chain("ingress", "filter", [_vmap("ip daddr", ingress_v4), _vmap("ip6 daddr", ingress_v6)])
    )
    lines += chains
    lines.append("}")
    return "\n".join(lines) + "\n"


def replace_script(text: str, *, table: str = TABLE) -> str:
    """A transaction that creates or replaces the table in one step (add, delete, define)."""
    return f"table {FAMILY} {table}\ndelete table {FAMILY} {table}\n{text}"


def delete_script(*, table: str = TABLE) -> str:
    """Removes the table (created first so the delete cannot fail when it is absent)."""
    return f"table {FAMILY} {table}\ndelete table {FAMILY} {table}\n"


def render_match(match: Match, direction: str) -> list[str]:
    """The nft rules (alternatives) for one accept `Match`; [] when it can match nothing."""
    field = "saddr" if direction == "ingress" else "daddr"
    if match.block is not None:
        cidr, excepts = match.block
        family = "ip6" if ":" in cidr else "ip"
        expr = f"{family} {field} {cidr}"
        same_family = [e for e in excepts if (":" in e) == (":" in cidr)]
        if same_family:
            expr += f" {family} {field} != {_set(same_family)}"
        peers = [expr]
    elif match.addresses is not None:
        v4 = [a for a in match.addresses if ":" not in a]
        v6 = [a for a in match.addresses if ":" in a]
        peers = ([f"ip {field} {_set(v4)}"] if v4 else []) + ([f"ip6 {field} {_set(v6)}"] if v6 else [])
        if not peers:
            return []
    else:
        peers = [""]
    ports = [""] if match.ports is None else _port_exprs(match.ports)
    comment = f' comment "{_clean(match.comment)}"' if match.comment else ""
    return [" ".join(p for p in (peer, port, "accept") if p) + comment for peer in peers for port in ports]


def _port_exprs(ports: Sequence[PortMatch]) -> list[str]:
    by_protocol: dict[str, list[str]] = {}
    any_port: list[str] = []
    for port in ports:
        protocol = port.protocol.lower()
        if port.port is None:
            if protocol not in any_port:
                any_port.append(protocol)
            continue
        value = (
            f"{port.port}-{port.end_port}" if port.end_port and port.end_port > port.port else str(port.port)
        )
        values = by_protocol.setdefault(protocol, [])
        if value not in values:
            values.append(value)
    out = [f"meta l4proto {protocol}" for protocol in any_port]
    out += [
        f"{protocol} dport {_set(values)}"
        for protocol, values in by_protocol.items()
        if protocol not in any_port
    ]
    return out


def _set(values: Sequence[str]) -> str:
    return values[0] if len(values) == 1 else "{ " + ", ".join(values) + " }"


def _vmap(selector: str, entries: list[tuple[str, str]]) -> str:
    if not entries:
        return ""
    return f"{selector} vmap {{ " + ", ".join(f"{ip} : jump {chain}" for ip, chain in entries) + " }"


def _base_chain(name: str, priority: str, rules: list[str]) -> str:
    body = [
        f"type filter hook forward priority {priority}; policy accept;",
        "ct state established,related accept",
        *(r for r in rules if r),
    ]
    return _chain(name, body, "")


def _chain(name: str, body: list[str], comment: str) -> str:
    head = f"  chain {name} {{"
    if comment:
        head += f'\n    comment "{_clean(comment)}"'
    return "\n".join([head, *(f"    {line}" for line in body), "  }"])


def _clean(text: str) -> str:
    """A comment nft accepts: no quotes or newlines, at most 128 bytes."""
    cleaned = "".join(c if c.isprintable() and c not in '"\\' else " " for c in text)
    return cleaned.encode()[:120].decode(errors="ignore")
