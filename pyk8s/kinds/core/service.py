"""Service: a stable virtual address in front of a set of pods.

Cluster IPs, IP families and node ports are allocated by the API server's admission
(`pyk8s.apiserver.admission`), after this strategy's defaulting and before validation, as
kube-apiserver's REST storage does. The strategy keeps allocated values that a replace
leaves out, drops the ones a type change makes meaningless, and validates the result.
"""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, duplicate, forbidden, invalid, not_supported, required
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
from pyk8s.api.selectors import format_labels
from pyk8s.api.table import age
from pyk8s.api.validation import (
    dns1035_label,
    ip_family,
    validate_cidr,
    validate_dns_label,
    validate_enum,
    validate_ip,
    validate_labels,
    validate_non_special_ip,
    validate_port_num_or_name,
    validate_port_number,
    validate_qualified_name,
    validate_subdomain,
)
from pyk8s.kinds.core import types
from pyk8s.kinds.core.validation import PROTOCOLS

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="Service",
    plural="services",
    singular="service",
    short_names=("svc",),
    categories=("all",),
    subresources=(
        Subresource("proxy", ("create", "delete", "get", "patch", "update"), kind="ServiceProxyOptions"),
        Subresource("status", ("get", "patch", "update")),
    ),
)
TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
AFFINITIES = ["ClientIP", "None"]
TRAFFIC_POLICIES = ["Cluster", "Local"]
FAMILIES = ["IPv4", "IPv6"]
FAMILY_POLICIES = ["PreferDualStack", "RequireDualStack", "SingleStack"]
TRAFFIC_DISTRIBUTIONS = ["PreferClose"]
CLIENT_IP_TIMEOUT = 10800
MAX_CLIENT_IP_TIMEOUT = 86400
NODE_PORT_RANGE = (30000, 32767)
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
TOPOLOGY_MODE = "service.kubernetes.io/topology-mode"
TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints"


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def externally_accessible(spec: dict[str, Any]) -> bool:
    kind = spec.get("type")
    return kind in ("LoadBalancer", "NodePort") or (kind == "ClusterIP" and bool(spec.get("externalIPs")))


def needs_cluster_ip(spec: dict[str, Any]) -> bool:
    return spec.get("type") != "ExternalName"


def needs_node_ports(spec: dict[str, Any]) -> bool:
    kind = spec.get("type")
    return kind == "NodePort" or (
        kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is not False
    )


def needs_health_check_port(spec: dict[str, Any]) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def is_headless(spec: dict[str, Any]) -> bool:
    ips = spec.get("clusterIPs") or []
    return len(ips) == 1 and ips[0] == "None"


def default_service(spec: dict[str, Any]) -> None:
    """SetDefaults_Service."""
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = spec.get("sessionAffinityConfig") or {}
        if ((config.get("clientIP") or {}).get("timeoutSeconds")) is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": CLIENT_IP_TIMEOUT}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port", 0)
    if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in (
        "ClusterIP",
        "LoadBalancer",
        "NodePort",
    ):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True


def default_ip_modes(obj: Obj) -> None:
    """A load balancer's ingress IPs are VIPs unless said otherwise."""
    if _spec(obj).get("type") != "LoadBalancer":
        return
    for ingress in ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
        if ingress.get("ip") and ingress.get("ipMode") is None:
            ingress["ipMode"] = "VIP"


class ServiceStrategy(ResourceStrategy):
    status_metadata = ("labels", "annotations")  # its status strategy resets only the spec
    info = RESOURCE
    schema = types.Service
    allow_create_on_update = True
    field_selectors = {
        "spec.clusterIP": lambda o: _spec(o).get("clusterIP", ""),
        "spec.type": lambda o: _spec(o).get("type", ""),
    }
    columns = (
        NAME,
        Column("Type", description="How the service is exposed."),
        Column("Cluster-IP", description="The service's virtual address inside the cluster."),
        Column("External-IP", description="Addresses the service is reachable at from outside."),
        Column("Port(s)", description="The service's ports (with node ports)."),
        AGE,
        Column("Selector", priority=1, description="The labels of the pods the service sends traffic to."),
    )

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return dns1035_label(name)

    def default(self, obj: Obj) -> None:
        default_service(obj.setdefault("spec", {}))
        default_ip_modes(obj)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"loadBalancer": {}}
        spec = obj.setdefault("spec", {})
        # normalizeClusterIPs: an old client sets only the singular field.
        if spec.get("clusterIP") and not spec.get("clusterIPs"):
            spec["clusterIPs"] = [spec["clusterIP"]]

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_update(ctx, obj, old)
        spec, old_spec = obj.setdefault("spec", {}), _spec(old)
        drop_type_dependent_fields(spec, old_spec)
        patch_allocated_values(spec, old_spec)
        normalize_cluster_ips(spec, old_spec)
        if spec.get("ipFamilyPolicy") is None and old_spec.get("ipFamilyPolicy") and needs_cluster_ip(spec):
            spec["ipFamilyPolicy"] = old_spec["ipFamilyPolicy"]
        if (
            not spec.get("ipFamilies")
            and old_spec.get("ipFamilies")
            and needs_cluster_ip(spec)
            and spec.get("clusterIPs") == old_spec.get("clusterIPs")
        ):
            spec["ipFamilies"] = copy.deepcopy(old_spec["ipFamilies"])

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_service(obj)

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        spec, old_spec = _spec(obj), _spec(old)
        errs = _upgrade_downgrade_cluster_ips(spec, old_spec)
        errs += _upgrade_downgrade_families(spec, old_spec)
        if (
            old_spec.get("type") == "LoadBalancer"
            and spec.get("type") == "LoadBalancer"
            and spec.get("loadBalancerClass") != old_spec.get("loadBalancerClass")
        ):
            errs.append(
                invalid(
                    FieldPath("spec").child("loadBalancerClass"),
                    spec.get("loadBalancerClass"),
                    "may not change once set",
                )
            )
        if (
            needs_health_check_port(old_spec)
            and needs_health_check_port(spec)
            and spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort")
        ):
            errs.append(forbidden(FieldPath("spec").child("healthCheckNodePort"), "field is immutable"))
        return errs + validate_service(obj)

    def prepare_for_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_status_update(ctx, obj, old)
        default_ip_modes(obj)

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_load_balancer_status(
            ((obj.get("status") or {}).get("loadBalancer") or {}),
            FieldPath("status").child("loadBalancer"),
            _spec(obj),
        )

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _spec(obj)
        ports = ",".join(
            f"{p.get('port')}:{p['nodePort']}/{p.get('protocol', '')}"
            if p.get("nodePort")
            else f"{p.get('port')}/{p.get('protocol', '')}"
            for p in spec.get("ports") or []
        )
        return [
            (obj.get("metadata") or {}).get("name", ""),
            spec.get("type", ""),
            (spec.get("clusterIPs") or ["<none>"])[0],
            external_ip(obj),
            ports or "<none>",
            age(obj, now),
            format_labels(spec.get("selector")),
        ]


def external_ip(obj: Obj) -> str:
    """The External-IP cell."""
    spec = _spec(obj)
    kind, external = spec.get("type"), spec.get("externalIPs") or []
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) or "<none>"
    if kind == "LoadBalancer":
        ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        balancer = sorted(
            {i.get("ip") or i.get("hostname") for i in ingress if i.get("ip") or i.get("hostname")}
        )
        if external:
            return ",".join([*balancer, *external])
        return ",".join(balancer) or "<pending>"
    if kind == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<unknown>"


# update helpers (kube-apiserver's service REST storage)


def drop_type_dependent_fields(spec: dict[str, Any], old: dict[str, Any]) -> None:
    """Fields the old type needed and the new one forbids, when the client left them as they were."""
    if needs_cluster_ip(old) and not needs_cluster_ip(spec):
        if spec.get("clusterIPs") == old.get("clusterIPs"):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        if spec.get("ipFamilies") == old.get("ipFamilies"):
            spec.pop("ipFamilies", None)
        if spec.get("ipFamilyPolicy") == old.get("ipFamilyPolicy"):
            spec.pop("ipFamilyPolicy", None)
    if needs_node_ports(old) and not needs_node_ports(spec):
        old_ports = [p.get("nodePort") for p in old.get("ports") or []]
        new_ports = [p.get("nodePort") for p in spec.get("ports") or []]
        if old_ports == new_ports:
            for port in spec.get("ports") or []:
                port.pop("nodePort", None)
    if (
        needs_health_check_port(old)
        and not needs_health_check_port(spec)
        and spec.get("healthCheckNodePort") == old.get("healthCheckNodePort")
    ):
        spec.pop("healthCheckNodePort", None)
    if old.get("type") == "LoadBalancer" and spec.get("type") != "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") == old.get("allocateLoadBalancerNodePorts"):
            spec.pop("allocateLoadBalancerNodePorts", None)
        if spec.get("loadBalancerClass") == old.get("loadBalancerClass"):
            spec.pop("loadBalancerClass", None)
    if (
        externally_accessible(old)
        and not externally_accessible(spec)
        and spec.get("externalTrafficPolicy") == old.get("externalTrafficPolicy")
    ):
        spec.pop("externalTrafficPolicy", None)


def patch_allocated_values(spec: dict[str, Any], old: dict[str, Any]) -> None:
    """Allocated values a replace leaves out are kept (for idempotent PUTs)."""
    if needs_cluster_ip(old) and needs_cluster_ip(spec):
        if not spec.get("clusterIP") and old.get("clusterIP"):
            spec["clusterIP"] = old["clusterIP"]
        if not spec.get("clusterIPs") and old.get("clusterIPs"):
            spec["clusterIPs"] = copy.deepcopy(old["clusterIPs"])
    if needs_node_ports(old) and needs_node_ports(spec):
        old_used = {p.get("nodePort") for p in old.get("ports") or [] if p.get("nodePort")}
        new_used = {p.get("nodePort") for p in spec.get("ports") or [] if p.get("nodePort")}
        used = old_used & new_used
        by_name = {p.get("name", ""): p.get("nodePort") for p in old.get("ports") or []}
        for port in spec.get("ports") or []:
            if not port.get("nodePort"):
                previous = by_name.get(port.get("name", ""))
                if previous and previous not in used:
                    port["nodePort"] = previous
    if (
        needs_health_check_port(old)
        and needs_health_check_port(spec)
        and not spec.get("healthCheckNodePort")
        and old.get("healthCheckNodePort")
    ):
        spec["healthCheckNodePort"] = old["healthCheckNodePort"]


def normalize_cluster_ips(spec: dict[str, Any], old: dict[str, Any]) -> None:
    """Keep clusterIP and clusterIPs in step for clients that only know one of them."""
    if old.get("clusterIPs") and not spec.get("clusterIPs") and old.get("clusterIP") == spec.get("clusterIP"):
        spec["clusterIPs"] = copy.deepcopy(old["clusterIPs"])
    if old.get("clusterIP", "") != spec.get("clusterIP", ""):
        same = spec.get("clusterIPs") == old.get("clusterIPs")
        if old.get("clusterIP") and not spec.get("clusterIP"):
            if same:
                spec.pop("clusterIPs", None)
        elif same:
            spec["clusterIPs"] = [spec.get("clusterIP", "")]


# validation


def validate_service(obj: Obj) -> FieldErrors:
    """ValidateService (ObjectMeta itself is the registry's)."""
    spec = _spec(obj)
    meta = obj.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    path = FieldPath("spec")
    errs: FieldErrors = []
    if (
        TOPOLOGY_MODE in annotations
        and TOPOLOGY_HINTS in annotations
        and annotations[TOPOLOGY_MODE] != annotations[TOPOLOGY_HINTS]
    ):
        errs.append(
            invalid(
                FieldPath("metadata").child("annotations").key(TOPOLOGY_MODE),
                annotations[TOPOLOGY_MODE],
                f"must match annotations[{TOPOLOGY_HINTS}] when both are specified",
            )
        )
    kind = spec.get("type", "")
    ports = spec.get("ports") or []
    headless = is_headless(spec)
    if not ports and not headless and kind != "ExternalName":
        errs.append(required(path.child("ports")))
    if kind == "LoadBalancer" and headless:
        errs.append(
            invalid(
                path.child("clusterIPs").index(0),
                "None",
                "may not be set to 'None' for LoadBalancer services",
            )
        )
    elif kind == "NodePort" and headless:
        errs.append(
            invalid(
                path.child("clusterIPs").index(0), "None", "may not be set to 'None' for NodePort services"
            )
        )
    elif kind == "ExternalName":
        if spec.get("clusterIPs"):
            errs.append(forbidden(path.child("clusterIPs"), "may not be set for ExternalName services"))
        if spec.get("ipFamilies"):
            errs.append(forbidden(path.child("ipFamilies"), "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden(path.child("ipFamilyPolicy"), "may not be set for ExternalName services"))
        cname = str(spec.get("externalName", "")).removesuffix(".")
        if cname:
            errs += validate_subdomain(cname, path.child("externalName"))
        else:
            errs.append(required(path.child("externalName")))
    names: set[str] = set()
    for i, port in enumerate(ports):
        errs += _validate_port(port, len(ports) > 1, names, path.child("ports").index(i))
    if spec.get("selector") is not None:
        errs += validate_labels(spec["selector"], path.child("selector"))
    affinity = spec.get("sessionAffinity", "")
    errs += validate_enum(affinity, path.child("sessionAffinity"), AFFINITIES)
    config_path = path.child("sessionAffinityConfig")
    if affinity == "ClientIP":
        errs += _validate_client_ip_config(spec.get("sessionAffinityConfig"), config_path)
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(forbidden(config_path, "must not be set when session affinity is None"))
    errs += validate_cluster_ip_fields(spec)
    for i, ip in enumerate(spec.get("externalIPs") or []):
        ip_errs = validate_ip(ip, path.child("externalIPs").index(i))
        errs += ip_errs or validate_non_special_ip(ip, path.child("externalIPs").index(i))
    errs += validate_enum(kind, path.child("type"), TYPES)
    if kind == "ClusterIP":
        for i, port in enumerate(ports):
            if port.get("nodePort"):
                errs.append(
                    forbidden(
                        path.child("ports").index(i).child("nodePort"),
                        "may not be used when `type` is 'ClusterIP'",
                    )
                )
    low, high = NODE_PORT_RANGE
    seen_node_ports: set[tuple[Any, Any]] = set()
    for i, port in enumerate(ports):
        node_port = port.get("nodePort")
        if not node_port:
            continue
        ppath = path.child("ports").index(i).child("nodePort")
        if kind != "ClusterIP" and not low <= node_port <= high:
            errs.append(
                invalid(
                    ppath,
                    node_port,
                    f"provided port is not in the valid range. The range of valid ports is {low}-{high}",
                )
            )
        key = (port.get("protocol"), node_port)
        if key in seen_node_ports:
            errs.append(duplicate(ppath, node_port))
        seen_node_ports.add(key)
    seen_ports: set[tuple[Any, Any]] = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol"), port.get("port"))
        if key in seen_ports:
            errs.append(
                duplicate(
                    path.child("ports").index(i), {"port": port.get("port"), "protocol": port.get("protocol")}
                )
            )
        seen_ports.add(key)
    ranges = spec.get("loadBalancerSourceRanges") or []
    if ranges:
        rpath = path.child("LoadBalancerSourceRanges")
        if kind != "LoadBalancer":
            errs.append(forbidden(rpath, "may only be used when `type` is 'LoadBalancer'"))
        for i, value in enumerate(ranges):
            errs += validate_cidr(str(value).strip(), rpath.index(i))
    elif SOURCE_RANGES_ANNOTATION in annotations:
        apath = FieldPath("metadata").child("annotations").key(SOURCE_RANGES_ANNOTATION)
        if kind != "LoadBalancer":
            errs.append(forbidden(apath, "may only be used when `type` is 'LoadBalancer'"))
        value = str(annotations[SOURCE_RANGES_ANNOTATION]).strip()
        if value:
            for cidr in value.split(","):
                errs += validate_cidr(cidr.strip(), apath)
    if spec.get("allocateLoadBalancerNodePorts") is not None and kind != "LoadBalancer":
        errs.append(
            forbidden(
                path.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"
            )
        )
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))  # sic: Kubernetes drops the spec prefix
    lb_class = spec.get("loadBalancerClass")
    if kind == "LoadBalancer":
        if lb_class is not None:
            errs += validate_qualified_name(lb_class, path.child("loadBalancerClass"))
    elif lb_class is not None:
        errs.append(
            forbidden(path.child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'")
        )
    errs += _validate_traffic_policies(spec, path)
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution not in TRAFFIC_DISTRIBUTIONS:
        errs.append(not_supported(path.child("trafficDistribution"), distribution, TRAFFIC_DISTRIBUTIONS))
    return errs


def _validate_port(port: dict[str, Any], require_name: bool, names: set[str], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    name = port.get("name", "")
    if require_name and not name:
        errs.append(required(path.child("name")))
    elif name:
        errs += validate_dns_label(name, path.child("name"))
        if name in names:
            errs.append(duplicate(path.child("name"), name))
        else:
            names.add(name)
    errs += validate_port_number(port.get("port", 0), path.child("port"))
    errs += validate_enum(port.get("protocol", ""), path.child("protocol"), PROTOCOLS)
    errs += validate_port_num_or_name(port.get("targetPort", 0), path.child("targetPort"))
    if port.get("appProtocol") is not None:
        errs += validate_qualified_name(port["appProtocol"], path.child("appProtocol"))
    return errs


def _validate_client_ip_config(config: Any, path: FieldPath) -> FieldErrors:
    when = "when session affinity type is ClientIP"
    if not isinstance(config, dict):
        return [required(path, when)]
    client = config.get("clientIP")
    if not isinstance(client, dict):
        return [required(path.child("clientIP"), when)]
    timeout = client.get("timeoutSeconds")
    tpath = path.child("clientIP").child("timeoutSeconds")
    if timeout is None:
        return [required(tpath, when)]
    if not 0 < timeout <= MAX_CLIENT_IP_TIMEOUT:
        return [invalid(tpath, timeout, f"must be greater than 0 and less than {MAX_CLIENT_IP_TIMEOUT}")]
    return []


def _validate_traffic_policies(spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    etp = spec.get("externalTrafficPolicy", "")
    if not externally_accessible(spec):
        if etp:
            errs.append(
                invalid(
                    path.child("externalTrafficPolicy"),
                    etp,
                    "may only be set for externally-accessible services",
                )
            )
    else:
        errs += validate_enum(etp, path.child("externalTrafficPolicy"), TRAFFIC_POLICIES)
    hc = spec.get("healthCheckNodePort") or 0
    if not needs_health_check_port(spec):
        if hc:
            errs.append(
                invalid(
                    path.child("healthCheckNodePort"),
                    hc,
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
                )
            )
    elif not hc:
        errs.append(required(path.child("healthCheckNodePort")))
    else:
        errs += validate_port_number(hc, path.child("healthCheckNodePort"))
    itp = spec.get("internalTrafficPolicy")
    if itp is None:
        if spec.get("type") in ("ClusterIP", "LoadBalancer", "NodePort"):
            errs.append(required(path.child("internalTrafficPolicy")))
    elif itp not in TRAFFIC_POLICIES:
        errs.append(not_supported(path.child("internalTrafficPolicy"), itp, TRAFFIC_POLICIES))
    return errs


def validate_cluster_ip_fields(spec: dict[str, Any]) -> FieldErrors:
    """ValidateServiceClusterIPsRelatedFields."""
    if spec.get("type") == "ExternalName":
        return []
    path = FieldPath("spec")
    ips_path = path.child("clusterIPs")
    errs: FieldErrors = []
    cluster_ip, cluster_ips = spec.get("clusterIP", ""), spec.get("clusterIPs") or []
    if cluster_ip:
        if not cluster_ips:
            errs.append(required(ips_path))
        elif cluster_ips[0] != cluster_ip:
            errs.append(invalid(ips_path, cluster_ips, "first value must match `clusterIP`"))
    elif cluster_ips:
        errs.append(invalid(ips_path, cluster_ips, "must be empty when `clusterIP` is not specified"))
    families = spec.get("ipFamilies") or []
    seen: set[str] = set()
    for i, family in enumerate(families):
        if family not in FAMILIES:
            errs.append(not_supported(path.child("ipFamilies").index(i), family, FAMILIES))
        if family in seen:
            errs.append(duplicate(path.child("ipFamilies").index(i), family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in FAMILY_POLICIES:
        errs.append(not_supported(path.child("ipFamilyPolicy"), policy, FAMILY_POLICIES))
    bad = False
    for i, ip in enumerate(cluster_ips):
        if i == 0 and ip == "None":
            if len(cluster_ips) > 1:
                bad = True
                errs.append(invalid(ips_path, cluster_ips, "'None' must be the first and only value"))
            continue
        ip_errs = validate_ip(ip, ips_path.index(i))
        bad = bad or bool(ip_errs)
        errs += ip_errs
    if len(cluster_ips) > 2:
        errs.append(invalid(ips_path, cluster_ips, "may only hold up to 2 values"))
    if bad:
        return errs
    if len(cluster_ips) > 1 and len({ip_family(ip) for ip in cluster_ips}) != len(cluster_ips):
        errs.append(invalid(ips_path, cluster_ips, "may specify no more than one IP for each IP family"))
    if not is_headless(spec) and cluster_ips and families:
        for i, ip in enumerate(cluster_ips[: len(families)]):
            if families[i] != ip_family(ip):
                errs.append(
                    invalid(
                        ips_path.index(i),
                        ip,
                        f"expected an {families[i]} value as indicated by `ipFamilies[{i}]`",
                    )
                )
    return errs


def _upgrade_downgrade_cluster_ips(spec: dict[str, Any], old: dict[str, Any]) -> FieldErrors:
    if spec.get("type") == "ExternalName" or old.get("type") == "ExternalName":
        return []
    if is_headless(spec) and is_headless(old):
        return []
    ips_path = FieldPath("spec").child("clusterIPs")
    new_ips, old_ips = spec.get("clusterIPs") or [], old.get("clusterIPs") or []
    errs: FieldErrors = []
    if len(old_ips) == len(new_ips):
        for i, ip in enumerate(old_ips):
            if ip != new_ips[i]:
                errs.append(invalid(ips_path.index(i), new_ips, "may not change once set"))
    elif len(old_ips) > len(new_ips):
        if not new_ips:
            errs.append(invalid(ips_path.index(0), new_ips, "primary clusterIP can not be unset"))
        elif old_ips and new_ips[0] != old_ips[0]:
            errs.append(invalid(ips_path.index(0), new_ips, "may not change once set"))
        if len(new_ips) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
            errs.append(
                invalid(
                    FieldPath("spec").child("ipFamilyPolicy"),
                    spec.get("ipFamilyPolicy"),
                    "must be set to 'SingleStack' when releasing the secondary clusterIP",
                )
            )
    elif old_ips and new_ips[0] != old_ips[0]:
        errs.append(invalid(ips_path.index(0), new_ips, "may not change once set"))
    return errs


def _upgrade_downgrade_families(spec: dict[str, Any], old: dict[str, Any]) -> FieldErrors:
    if spec.get("type") == "ExternalName" or old.get("type") == "ExternalName":
        return []
    if is_headless(spec) or is_headless(old):
        return []
    fpath = FieldPath("spec").child("ipFamilies")
    new, previous = spec.get("ipFamilies") or [], old.get("ipFamilies") or []
    errs: FieldErrors = []
    if len(previous) == len(new):
        for i, family in enumerate(previous):
            if family != new[i]:
                errs.append(invalid(fpath.index(0), new, "may not change once set"))
    elif len(previous) > len(new):
        if not spec.get("clusterIPs"):
            errs.append(invalid(fpath.index(0), new, "primary ipFamily can not be unset"))
        if new and new[0] != previous[0]:
            errs.append(invalid(fpath.index(0), spec.get("clusterIPs") or [], "may not change once set"))
        if len(new) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
            errs.append(
                invalid(
                    FieldPath("spec").child("ipFamilyPolicy"),
                    spec.get("ipFamilyPolicy"),
                    "must be set to 'SingleStack' when releasing the secondary ipFamily",
                )
            )
    elif previous and new and new[0] != previous[0]:
        errs.append(invalid(fpath.index(0), spec.get("clusterIPs") or [], "may not change once set"))
    return errs


def validate_load_balancer_status(
    status: dict[str, Any], path: FieldPath, spec: dict[str, Any]
) -> FieldErrors:
    """ValidateLoadBalancerStatus."""
    ingress_path = path.child("ingress")
    ingresses = status.get("ingress") or []
    if spec.get("type") != "LoadBalancer" and ingresses:
        return [forbidden(ingress_path, "may only be used when `spec.type` is 'LoadBalancer'")]
    errs: FieldErrors = []
    for i, ingress in enumerate(ingresses):
        ipath = ingress_path.index(i)
        ip, mode = ingress.get("ip", ""), ingress.get("ipMode")
        if ip:
            errs += validate_ip(ip, ipath.child("ip"))
        if mode is None:
            if ip:
                errs.append(required(ipath.child("ipMode"), "must be specified when `ip` is set"))
        elif not ip:
            errs.append(forbidden(ipath.child("ipMode"), "may not be specified when `ip` is not set"))
        elif mode not in ("Proxy", "VIP"):
            errs.append(not_supported(ipath.child("ipMode"), mode, ["Proxy", "VIP"]))
        hostname = ingress.get("hostname", "")
        if hostname:
            errs += validate_subdomain(hostname, ipath.child("hostname"))
            if not validate_ip(hostname, ipath.child("hostname")):
                errs.append(
                    invalid(ipath.child("hostname"), hostname, "must be a DNS name, not an IP address")
                )
    return errs
