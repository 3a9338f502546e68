"""NetworkPolicy: which traffic may reach, and leave, a set of pods."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported, required
from pyk8s.api.resource import AGE, NAME, Column, Obj, RequestContext, ResourceInfo, ResourceStrategy
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.api.table import age
from pyk8s.api.validation import (
    cidr_network,
    port_name,
    port_number,
    validate_cidr_for_legacy_field,
    validate_label_selector,
)
from pyk8s.kinds.networking import types

RESOURCE = ResourceInfo(
    group="networking.k8s.io",
    version="v1",
    kind="NetworkPolicy",
    plural="networkpolicies",
    singular="networkpolicy",
    short_names=("netpol",),
)

PROTOCOLS = ["TCP", "UDP", "SCTP"]
POLICY_TYPES = ["Ingress", "Egress"]


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def format_label_selector(selector: Any) -> str:
    """A LabelSelector in selector syntax, `<none>` when it selects everything."""
    try:
        text = str(LabelSelector.from_object(selector or {}))
    except SelectorError:
        return "<error>"
    return text or "<none>"


def validate_port(port: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    protocol = port.get("protocol")
    if protocol is not None and protocol not in PROTOCOLS:
        errs.append(not_supported(path.child("protocol"), protocol, PROTOCOLS))
    number, end = port.get("port"), port.get("endPort")
    if number is None:
        if end is not None:
            errs.append(
                invalid(path.child("endPort"), end, "may not be specified when `port` is not specified")
            )
    elif isinstance(number, int):
        errs += [invalid(path.child("port"), number, m) for m in port_number(number)]
        if end is not None:
            if end < number:
                errs.append(invalid(path.child("endPort"), end, "must be greater than or equal to `port`"))
            errs += [invalid(path.child("endPort"), end, m) for m in port_number(end)]
    else:
        if end is not None:
            errs.append(
                invalid(path.child("endPort"), end, "may not be specified when `port` is non-numeric")
            )
        errs += [invalid(path.child("port"), number, m) for m in port_name(number)]
    return errs


def validate_ip_block(block: dict[str, Any], path: FieldPath, allowed: set[str]) -> FieldErrors:
    cidr = block.get("cidr", "")
    if not cidr:
        return [required(path.child("cidr"))]
    errs = [] if cidr in allowed else validate_cidr_for_legacy_field(cidr, path.child("cidr"))
    network = cidr_network(cidr)
    if network is None:
        return errs
    for i, text in enumerate(block.get("except") or []):
        epath = path.child("except").index(i)
        if text not in allowed:
            errs += validate_cidr_for_legacy_field(text, epath)
        excluded = cidr_network(text)
        if excluded is None:
            continue
        if (
            excluded.version != network.version
            or excluded.network_address not in network
            or network.prefixlen >= excluded.prefixlen
        ):
            errs.append(invalid(epath, text, "must be a strict subset of `cidr`"))
    return errs


def validate_peer(peer: dict[str, Any], path: FieldPath, allowed: set[str]) -> FieldErrors:
    errs: FieldErrors = []
    count = 0
    for key in ("podSelector", "namespaceSelector"):
        if peer.get(key) is not None:
            count += 1
            errs += validate_label_selector(peer[key], path.child(key))
    if peer.get("ipBlock") is not None:
        count += 1
        errs += validate_ip_block(peer["ipBlock"], path.child("ipBlock"), allowed)
    if count == 0:
        errs.append(required(path, "must specify a peer"))
    elif count > 1 and peer.get("ipBlock") is not None:
        errs.append(forbidden(path, "may not specify both ipBlock and another peer"))
    return errs


def validate_network_policy_spec(spec: dict[str, Any], path: FieldPath, allowed: set[str]) -> FieldErrors:
    errs = validate_label_selector(spec.get("podSelector") or {}, path.child("podSelector"))
    for direction, peers_key in (("ingress", "from"), ("egress", "to")):
        for i, rule in enumerate(spec.get(direction) or []):
            rpath = path.child(direction).index(i)
            for j, port in enumerate(rule.get("ports") or []):
                errs += validate_port(port, rpath.child("ports").index(j))
            for j, peer in enumerate(rule.get(peers_key) or []):
                errs += validate_peer(peer, rpath.child(peers_key).index(j), allowed)
    types_ = spec.get("policyTypes") or []
    if len(types_) > len(POLICY_TYPES):
        errs.append(invalid(path.child("policyTypes"), types_, "may not specify more than two policyTypes"))
        return errs
    for i, kind in enumerate(types_):
        if kind not in POLICY_TYPES:
            errs.append(not_supported(path.child("policyTypes").index(i), kind, POLICY_TYPES))
    return errs


def _existing_cidrs(old: Obj) -> set[str]:
    """CIDRs already stored are not revalidated, so stricter rules never break an update."""
    found: set[str] = set()
    spec = _spec(old)
    for direction, peers_key in (("ingress", "from"), ("egress", "to")):
        for rule in spec.get(direction) or []:
            for peer in rule.get(peers_key) or []:
                block = peer.get("ipBlock") or {}
                if block.get("cidr"):
                    found.add(block["cidr"])
                found.update(block.get("except") or [])
    return found


class NetworkPolicyStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.NetworkPolicy
    has_status = False
    tracks_generation = True
    columns = (NAME, Column("Pod-Selector", description="The pods the policy applies to."), AGE)

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("podSelector", {})
        if not spec.get("policyTypes"):
            spec["policyTypes"] = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]
        for direction in ("ingress", "egress"):
            for rule in spec.get(direction) or []:
                for port in rule.get("ports") or []:
                    port.setdefault("protocol", "TCP")

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_network_policy_spec(_spec(obj), FieldPath("spec"), set())

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_network_policy_spec(_spec(obj), FieldPath("spec"), _existing_cidrs(old))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        return [
            obj["metadata"].get("name", ""),
            format_label_selector(_spec(obj).get("podSelector")),
            age(obj, now),
        ]
