"""Ingress: HTTP(S) routing from outside the cluster to Services, by host and path."""

from __future__ import annotations

from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, invalid, not_supported, required
from pyk8s.api.resource import (
    AGE,
    NAME,
    Column,
    Obj,
    RequestContext,
    ResourceInfo,
    ResourceStrategy,
    Subresource,
)
from pyk8s.api.table import age
from pyk8s.api.validation import (
    dns1123_label,
    dns1123_subdomain,
    parse_ip,
    path_segment_name,
    port_name,
    port_number,
    validate_ip_for_legacy_field,
    wildcard_dns1123_subdomain,
)
from pyk8s.kinds.networking import types

RESOURCE = ResourceInfo(
    group="networking.k8s.io",
    version="v1",
    kind="Ingress",
    plural="ingresses",
    singular="ingress",
    short_names=("ing",),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]
_INVALID_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_INVALID_SUFFIXES = ("/..", "/.")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def validate_typed_local_reference(ref: dict[str, Any], path: FieldPath) -> FieldErrors:
    """A TypedLocalObjectReference used as a backend (apiGroup, kind, name)."""
    errs: FieldErrors = []
    if "apiGroup" in ref:
        errs += [
            invalid(path.child("apiGroup"), ref["apiGroup"], m) for m in dns1123_subdomain(ref["apiGroup"])
        ]
    for key in ("kind", "name"):
        value = ref.get(key, "")
        if not value:
            errs.append(required(path.child(key)))
        else:
            errs += [invalid(path.child(key), value, m) for m in path_segment_name(value)]
    return errs


def validate_backend(backend: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    resource, service = backend.get("resource"), backend.get("service")
    if resource is not None and service is not None:
        return [invalid(path, "", "cannot set both resource and service backends")]
    if resource is not None:
        return validate_typed_local_reference(_dict(resource), path.child("resource"))
    if service is None:
        return [invalid(path, "", "resource or service backend is required")]
    service = _dict(service)
    name = service.get("name", "")
    if not name:
        errs.append(required(path.child("service", "name")))
    else:
        # RelaxedServiceNameValidation: Service names are RFC 1123 labels.
        errs += [invalid(path.child("service", "name"), name, m) for m in dns1123_label(name)]
    port = _dict(service.get("port"))
    by_name, by_number = port.get("name", ""), port.get("number", 0)
    if by_name and by_number:
        errs.append(invalid(path, "", "cannot set both port name & port number"))
    elif by_name:
        errs += [invalid(path.child("service", "port", "name"), by_name, m) for m in port_name(by_name)]
    elif by_number:
        errs += [
            invalid(path.child("service", "port", "number"), by_number, m) for m in port_number(by_number)
        ]
    else:
        errs.append(required(path, "port name or number is required"))
    return errs


def _validate_http_path(item: dict[str, Any], path: FieldPath) -> FieldErrors:
    path_type = item.get("pathType")
    if not path_type:
        return [required(path.child("pathType"), "pathType must be specified")]
    errs: FieldErrors = []
    url = item.get("path", "")
    if path_type in ("Exact", "Prefix"):
        if not url.startswith("/"):
            errs.append(invalid(path.child("path"), url, "must be an absolute path"))
        if url:
            for seq in _INVALID_SEQUENCES:
                if seq in url:
                    errs.append(invalid(path.child("path"), url, f"must not contain '{seq}'"))
            for suffix in _INVALID_SUFFIXES:
                if url.endswith(suffix):
                    errs.append(invalid(path.child("path"), url, f"cannot end with '{suffix}'"))
    elif path_type == "ImplementationSpecific":
        if url and not url.startswith("/"):
            errs.append(invalid(path.child("path"), url, "must be an absolute path"))
    else:
        errs.append(not_supported(path.child("pathType"), path_type, PATH_TYPES))
    errs += validate_backend(_dict(item.get("backend")), path.child("backend"))
    return errs


def _validate_rule_value(rule: dict[str, Any], path: FieldPath) -> FieldErrors:
    http = rule.get("http")
    if http is None:
        return []
    paths = _dict(http).get("paths") or []
    errs: FieldErrors = []
    if not paths:
        errs.append(required(path.child("http", "paths")))
    for i, item in enumerate(paths):
        errs += _validate_http_path(_dict(item), path.child("http", "paths").index(i))
    return errs


def _validate_rules(rules: list[Any], path: FieldPath, allow_invalid_wildcard_rule: bool) -> FieldErrors:
    errs: FieldErrors = []
    for i, rule in enumerate(rules):
        rule, rpath = _dict(rule), path.index(i)
        host = rule.get("host", "")
        wildcard = False
        if host:
            if parse_ip(host) is not None:
                errs.append(invalid(rpath.child("host"), host, "must be a DNS name, not an IP address"))
            if "*" in host:
                errs += [invalid(rpath.child("host"), host, m) for m in wildcard_dns1123_subdomain(host)]
                wildcard = True
            else:
                errs += [invalid(rpath.child("host"), host, m) for m in dns1123_subdomain(host)]
        if not wildcard or not allow_invalid_wildcard_rule:
            errs += _validate_rule_value(rule, rpath)
    return errs


def _validate_tls(tls: list[Any], path: FieldPath, allow_invalid_secret_name: bool) -> FieldErrors:
    errs: FieldErrors = []
    for i, item in enumerate(tls):
        item = _dict(item)
        for j, host in enumerate(item.get("hosts") or []):
            check = wildcard_dns1123_subdomain if "*" in host else dns1123_subdomain
            errs += [invalid(path.index(i).child("hosts").index(j), host, m) for m in check(host)]
        secret = item.get("secretName", "")
        if secret and not allow_invalid_secret_name:
            errs += [invalid(path.index(i).child("secretName"), secret, m) for m in dns1123_subdomain(secret)]
    return errs


def validate_ingress_spec(
    spec: dict[str, Any],
    path: FieldPath,
    *,
    allow_invalid_secret_name: bool = False,
    allow_invalid_wildcard_rule: bool = False,
) -> FieldErrors:
    errs: FieldErrors = []
    rules = spec.get("rules") or []
    if not rules and spec.get("defaultBackend") is None:
        errs.append(invalid(path, spec.get("rules"), "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errs += validate_backend(_dict(spec["defaultBackend"]), path.child("defaultBackend"))
    if rules:
        errs += _validate_rules(rules, path.child("rules"), allow_invalid_wildcard_rule)
    if spec.get("tls"):
        errs += _validate_tls(spec["tls"], path.child("tls"), allow_invalid_secret_name)
    class_name = spec.get("ingressClassName")
    if class_name is not None:
        errs += [
            invalid(path.child("ingressClassName"), class_name, m) for m in dns1123_subdomain(class_name)
        ]
    return errs


def validate_load_balancer_status(
    status: dict[str, Any], old: dict[str, Any], path: FieldPath
) -> FieldErrors:
    """IngressLoadBalancerStatus: addresses must be IPs (kept as they were) or DNS names."""
    existing = {i.get("ip") for i in old.get("ingress") or [] if isinstance(i, dict)}
    errs: FieldErrors = []
    for i, entry in enumerate(status.get("ingress") or []):
        entry, ipath = _dict(entry), path.child("ingress").index(i)
        ip, hostname = entry.get("ip", ""), entry.get("hostname", "")
        if ip and ip not in existing:
            errs += validate_ip_for_legacy_field(ip, ipath.child("ip"))
        if hostname:
            errs += [invalid(ipath.child("hostname"), hostname, m) for m in dns1123_subdomain(hostname)]
            if parse_ip(hostname) is not None:
                errs.append(
                    invalid(ipath.child("hostname"), hostname, "must be a DNS name, not an IP address")
                )
    return errs


def _allow_invalid_secret_name(old: Obj) -> bool:
    tls = _dict(old.get("spec")).get("tls") or []
    return any(
        dns1123_subdomain(t.get("secretName")) for t in tls if isinstance(t, dict) and t.get("secretName")
    )


def _allow_invalid_wildcard_rule(old: Obj) -> bool:
    for rule in _dict(old.get("spec")).get("rules") or []:
        rule = _dict(rule)
        if "*" in rule.get("host", "") and _validate_rule_value(rule, FieldPath()):
            return True
    return False


def format_hosts(rules: list[Any]) -> str:
    """Up to three hosts, `*` when no rule names one (kubectl's formatHosts)."""
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == 3:
            more = True
        host = _dict(rule).get("host", "")
        if not more and host:
            hosts.append(host)
    if not hosts:
        return "*"
    text = ",".join(hosts)
    return f"{text} + {len(rules) - 3} more..." if more else text


def load_balancer_addresses(status: dict[str, Any]) -> str:
    """The load balancer's IPs (else hostnames), sorted and without repeats."""
    seen = set()
    for entry in _dict(status.get("loadBalancer")).get("ingress") or []:
        entry = _dict(entry)
        address = entry.get("ip") or entry.get("hostname")
        if address:
            seen.add(address)
    return ",".join(sorted(seen))


class IngressStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Ingress
    tracks_generation = True
    columns = (
        NAME,
        Column("Class", description="The IngressClass that implements this Ingress."),
        Column("Hosts", description="The host names the rules match."),
        Column("Address", description="Where the load balancer can be reached."),
        Column("Ports", description="The ports the Ingress is served on."),
        AGE,
    )

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        errs = validate_ingress_spec(_dict(obj.get("spec")), FieldPath("spec"))
        annotations = obj.get("metadata", {}).get("annotations") or {}
        class_name = _dict(obj.get("spec")).get("ingressClassName")
        if INGRESS_CLASS_ANNOTATION in annotations and class_name is not None:
            value = annotations[INGRESS_CLASS_ANNOTATION]
            if value != class_name:
                errs.append(
                    invalid(
                        FieldPath("annotations").child(INGRESS_CLASS_ANNOTATION),
                        value,
                        "must match `ingressClassName` when both are specified",
                    )
                )
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_ingress_spec(
            _dict(obj.get("spec")),
            FieldPath("spec"),
            allow_invalid_secret_name=_allow_invalid_secret_name(old),
            allow_invalid_wildcard_rule=_allow_invalid_wildcard_rule(old),
        )

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_load_balancer_status(
            _dict(_dict(obj.get("status")).get("loadBalancer")),
            _dict(_dict(old.get("status")).get("loadBalancer")),
            FieldPath("status", "loadBalancer"),
        )

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _dict(obj.get("spec"))
        return [
            obj["metadata"].get("name", ""),
            spec.get("ingressClassName") or "<none>",
            format_hosts(spec.get("rules") or []),
            load_balancer_addresses(_dict(obj.get("status"))),
            "80, 443" if spec.get("tls") else "80",
            age(obj, now),
        ]
