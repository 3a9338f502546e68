"""Which backend serves a request: the routing table built from Ingresses (pure: no I/O).

Rules, as the Ingress API and ingress-nginx define them:
- **Hosts.** A request's host (port and trailing dot removed, lower case) picks one group
  of rules: rules naming that exact host, else rules with a wildcard host matching it
  (`*.example.com` matches exactly one more label: `a.example.com`, not `example.com` nor
  `a.b.example.com`), else rules without a host. Like an nginx server block per host, a
  request whose host picked a group never falls through to another group's paths.
- **Paths.** Within the group: an `Exact` path equal to the request path first; else the
  longest matching `Prefix` (element-wise: `/foo` matches `/foo`, `/foo/` and `/foo/bar`,
  not `/foobar`; a trailing slash in the rule is ignored) or `ImplementationSpecific`
  (ingress-nginx's plain string prefix: `/foo` also matches `/foobar`). Equal lengths
  prefer Prefix, then the oldest Ingress.
- **Conflicts.** Ingresses are merged oldest first (creationTimestamp, then namespace/name):
  the same host, path and type in two Ingresses goes to the older one.
- **Default backends.** A request matching no path goes to the `defaultBackend` of the
  oldest Ingress that contributed rules to its host group and has one, else to the
  `defaultBackend` of the oldest Ingress of the class that has one, else nowhere (404).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]

EXACT, PREFIX, IMPLEMENTATION_SPECIFIC = "Exact", "Prefix", "ImplementationSpecific"
_TYPE_RANK = {EXACT: 0, PREFIX: 1, IMPLEMENTATION_SPECIFIC: 2}


@dataclass(frozen=True)
class Backend:
    """Where a matched request goes: a Service port (number or name) in the Ingress's
    namespace, or a resource backend (which this controller cannot serve)."""

    namespace: str
    service: str = ""
    port: int | str = 0
    resource: str = ""  # "<kind>/<name>" of a resource backend
    ingress: str = ""  # the Ingress it came from, "ns/name"

    @property
    def key(self) -> str:
        return f"{self.namespace}/{self.service}:{self.port}"


@dataclass(frozen=True)
class PathRule:
    path: str
    path_type: str
    backend: Backend
    order: int  # position of its Ingress, oldest first


@dataclass
class HostRoutes:
    """The paths of one host group, in match order, and its fallback backend."""

    exact: dict[str, PathRule] = field(default_factory=dict)
    prefixes: list[PathRule] = field(default_factory=list)
    default: Backend | None = None

    def add(self, rule: PathRule) -> None:
        if rule.path_type == EXACT:
            self.exact.setdefault(rule.path, rule)  # oldest wins
            return
        if any(r.path == rule.path and r.path_type == rule.path_type for r in self.prefixes):
            return
        self.prefixes.append(rule)

    def finish(self) -> None:
        self.prefixes.sort(key=lambda r: (-len(_normalised(r)), _TYPE_RANK.get(r.path_type, 9), r.order))

    def match(self, path: str) -> Backend | None:
        rule = self.exact.get(path)
        if rule is not None:
            return rule.backend
        for rule in self.prefixes:
            if path_matches(rule.path_type, rule.path, path):
                return rule.backend
        return self.default


def _normalised(rule: PathRule) -> str:
    return rule.path.rstrip("/") if rule.path_type == PREFIX else rule.path


def path_matches(path_type: str, rule_path: str, path: str) -> bool:
    """Whether a request `path` matches one non-Exact rule path."""
    if path_type == EXACT:
        return path == rule_path
    if path_type == PREFIX:
        base = rule_path.rstrip("/")
        return path == base or path.startswith(base + "/") or (not base and path.startswith("/"))
    return path.startswith(rule_path)


@dataclass
class RouteTable:
    """Every host group of the class's Ingresses, ready for `route(host, path)`."""

    hosts: dict[str, HostRoutes] = field(default_factory=dict)
    wildcards: dict[str, HostRoutes] = field(default_factory=dict)  # by the suffix after "*."
    catch_all: HostRoutes = field(default_factory=HostRoutes)
    default: Backend | None = None

    def group(self, host: str) -> HostRoutes:
        host = normalise_host(host)
        routes = self.hosts.get(host)
        if routes is not None:
            return routes
        _, dot, suffix = host.partition(".")
        if dot:
            routes = self.wildcards.get(suffix)
            if routes is not None:
                return routes
        return self.catch_all

    def route(self, host: str, path: str) -> Backend | None:
        """The backend for a request, or None (404)."""
        backend = self.group(host).match(path or "/")
        return backend if backend is not None else self.default


def normalise_host(host: str) -> str:
    """`Example.COM:8443` -> `example.com`; `[::1]:80` -> `::1`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def ingress_order(ingress: Obj) -> tuple[str, str, str]:
    meta = ingress.get("metadata") or {}
    return (
        str(meta.get("creationTimestamp") or ""),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


def backend_of(spec: Obj | None, namespace: str, ingress: str) -> Backend | None:
    """An IngressBackend as a `Backend` (None when absent)."""
    if not spec:
        return None
    service = spec.get("service")
    if service:
        port = service.get("port") or {}
        number = port.get("number")
        return Backend(
            namespace,
            service=str(service.get("name") or ""),
            port=int(number) if number else str(port.get("name") or ""),
            ingress=ingress,
        )
    resource = spec.get("resource") or {}
    return Backend(
        namespace, resource=f"{resource.get('kind', '')}/{resource.get('name', '')}", ingress=ingress
    )


def build_routes(ingresses: Iterable[Obj]) -> RouteTable:
    """The routing table of these Ingresses (already filtered to the class)."""
    table = RouteTable()
    for order, ingress in enumerate(sorted(ingresses, key=ingress_order)):
        meta = ingress.get("metadata") or {}
        namespace = str(meta.get("namespace") or "default")
        ident = f"{namespace}/{meta.get('name', '')}"
        spec = ingress.get("spec") or {}
        default = backend_of(spec.get("defaultBackend"), namespace, ident)
        if default is not None and table.default is None:
            table.default = default
        for rule in spec.get("rules") or []:
            host = normalise_host(str(rule.get("host") or ""))
            if not host:
                routes = table.catch_all
            elif host.startswith("*."):
                routes = table.wildcards.setdefault(host[2:], HostRoutes())
            else:
                routes = table.hosts.setdefault(host, HostRoutes())
            if routes.default is None and default is not None:
                routes.default = default
            for item in (rule.get("http") or {}).get("paths") or []:
                backend = backend_of(item.get("backend"), namespace, ident)
                if backend is None:
                    continue
                path_type = str(item.get("pathType") or IMPLEMENTATION_SPECIFIC)
                routes.add(PathRule(str(item.get("path") or "/"), path_type, backend, order))
    for routes in (*table.hosts.values(), *table.wildcards.values(), table.catch_all):
        routes.finish()
    return table


# class membership

CONTROLLER_NAME = "pyk8s.io/ingress"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"


def our_classes(ingress_classes: Iterable[Obj], controller: str = CONTROLLER_NAME) -> tuple[set[str], bool]:
    """Names of the IngressClasses this controller implements, and whether one is the default."""
    names: set[str] = set()
    default = False
    for cls in ingress_classes:
        if (cls.get("spec") or {}).get("controller") != controller:
            continue
        meta = cls.get("metadata") or {}
        names.add(str(meta.get("name")))
        if str((meta.get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION, "")).lower() == "true":
            default = True
    return names, default


def is_ours(ingress: Obj, classes: set[str], default: bool) -> bool:
    """An Ingress naming one of our classes (field or legacy annotation), or naming none
    while one of ours is the cluster's default class."""
    name = (ingress.get("spec") or {}).get("ingressClassName")
    if name:
        return name in classes
    legacy = ((ingress.get("metadata") or {}).get("annotations") or {}).get(LEGACY_CLASS_ANNOTATION)
    if legacy:
        return legacy in classes
    return default


# TLS


@dataclass(frozen=True)
class TlsEntry:
    namespace: str
    secret: str


def tls_hosts(ingresses: Iterable[Obj]) -> dict[str, TlsEntry]:
    """SNI host (exact or `*.suffix`) -> the Secret holding its certificate; oldest Ingress
    wins. A `tls` entry without hosts covers the hosts of its Ingress's rules."""
    out: dict[str, TlsEntry] = {}
    for ingress in sorted(ingresses, key=ingress_order):
        meta = ingress.get("metadata") or {}
        namespace = str(meta.get("namespace") or "default")
        spec = ingress.get("spec") or {}
        rule_hosts = [normalise_host(str(r.get("host") or "")) for r in spec.get("rules") or []]
        for entry in spec.get("tls") or []:
            secret = entry.get("secretName")
            if not secret:
                continue
            hosts = [normalise_host(str(h)) for h in entry.get("hosts") or []] or [h for h in rule_hosts if h]
            for host in hosts:
                out.setdefault(host, TlsEntry(namespace, str(secret)))
    return out


def sni_lookup(entries: dict[str, Any], server_name: str) -> Any:
    """The entry for an SNI name: exact, then the wildcard one label up, else None."""
    name = normalise_host(server_name)
    if name in entries:
        return entries[name]
    _, dot, suffix = name.partition(".")
    return entries.get(f"*.{suffix}") if dot else None
