"""Service: a stable virtual address in front of a set of pods."""

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
from pyk8s.api.validation import dns1123_label
from pyk8s.kinds.core import types

RESOURCE = ResourceInfo(
    group="",
    version="v1",
    kind="Service",
    plural="services",
    singular="service",
    short_names=("svc",),
    categories=("all",),
    verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
    subresources=(Subresource("status", ("get", "patch", "update")),),
)
TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


class ServiceStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.Service
    field_selectors = {
        "spec.clusterIP": lambda o: _spec(o).get("clusterIP", ""),
        "spec.type": lambda o: _spec(o).get("type", ""),
    }
    columns = (
        NAME,
        Column("Type", description="How the service is exposed."),
        Column("Cluster-IP", description="The virtual IP inside the cluster."),
        Column("External-IP", description="Addresses outside the cluster."),
        Column("Port(s)", description="The service's ports."),
        AGE,
        Column("Selector", priority=1, description="The pods the service sends traffic to."),
    )

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return dns1123_label(name)

    def default(self, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("type", "ClusterIP")
        if spec["type"] != "ExternalName":
            spec.setdefault("sessionAffinity", "None")
            spec.setdefault("internalTrafficPolicy", "Cluster")
        if spec["type"] in ("NodePort", "LoadBalancer"):
            spec.setdefault("externalTrafficPolicy", "Cluster")
        for port in spec.get("ports") or []:
            port.setdefault("protocol", "TCP")
            if "targetPort" not in port and "port" in port:
                port["targetPort"] = port["port"]

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        super().prepare_for_create(ctx, obj)
        obj["status"] = {"loadBalancer": {}}

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        spec, path = _spec(obj), FieldPath("spec")
        errs: FieldErrors = []
        kind = spec.get("type", "ClusterIP")
        if kind not in TYPES:
            errs.append(not_supported(path.child("type"), kind, TYPES))
        if kind == "ExternalName":
            if not spec.get("externalName"):
                errs.append(required(path.child("externalName")))
        elif not spec.get("ports") and spec.get("clusterIP") != "None":
            errs.append(required(path.child("ports")))
        names: set[str] = set()
        for i, port in enumerate(spec.get("ports") or []):
            ppath = path.child("ports").index(i)
            number = port.get("port")
            if not isinstance(number, int) or not 0 < number < 65536:
                errs.append(invalid(ppath.child("port"), number, "must be between 1 and 65535, inclusive"))
            name = port.get("name", "")
            if len(spec.get("ports") or []) > 1 and not name:
                errs.append(required(ppath.child("name")))
            if name in names and name:
                errs.append(invalid(ppath.child("name"), name, "duplicate port name"))
            names.add(name)
        return errs

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        errs = self.validate(ctx, obj)
        old_ip, new_ip = _spec(old).get("clusterIP"), _spec(obj).get("clusterIP")
        if old_ip and new_ip != old_ip and _spec(obj).get("type") != "ExternalName":
            errs.append(invalid("spec.clusterIPs[0]", new_ip, "may not change once set"))
        return errs

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_update(ctx, obj, old)
        spec, old_spec = obj.setdefault("spec", {}), _spec(old)
        for key in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            if key in old_spec and key not in spec:
                spec[key] = old_spec[key]  # allocated values survive a replace that omits them

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _spec(obj)
        kind = spec.get("type", "ClusterIP")
        external = spec.get("externalIPs") or []
        ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        if kind == "ExternalName":
            ext = spec.get("externalName", "")
        elif kind == "LoadBalancer":
            ips = [i.get("ip") or i.get("hostname") for i in ingress] + external
            ext = ",".join(ips) if ips else "<pending>"
        else:
            ext = ",".join(external) or "<none>"
        ports = []
        for p in spec.get("ports") or []:
            text = f"{p.get('port')}"
            if p.get("nodePort"):
                text += f":{p['nodePort']}"
            ports.append(f"{text}/{p.get('protocol', 'TCP')}")
        selector = spec.get("selector") or {}
        return [
            obj["metadata"].get("name", ""),
            kind,
            spec.get("clusterIP") or "<none>",
            ext,
            ",".join(ports) or "<none>",
            age(obj, now),
            ",".join(f"{k}={v}" for k, v in sorted(selector.items())) or "<none>",
        ]
