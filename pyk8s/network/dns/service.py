"""The `kube-system/kube-dns` Service (fixed ClusterIP 10.96.0.10) and the EndpointSlice
listing where this DNS process listens (one endpoint per node host namespace it serves).

The Service has no selector (the DNS runs in the node agent's machine, not in pods), so no
EndpointSlice controller writes its endpoints: this process owns one slice, named after
its identity and marked `managed-by: dns.pyk8s.io`, and removes it on shutdown so the
service proxy stops sending queries to listeners that are gone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pyk8s.api import errors
from pyk8s.client import Client
from pyk8s.client.resources import ENDPOINTSLICES, SERVICES
from pyk8s.network.dns.config import DnsConfig

log = logging.getLogger("pyk8s.network.dns")

Obj = dict[str, Any]
MANAGED_BY = "dns.pyk8s.io"
LABELS = {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "pyk8s-dns"}


def dns_service(config: DnsConfig) -> Obj:
    """The Service object: ports 53 over UDP and TCP, as kube-dns has them."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": config.service_name,
            "namespace": config.service_namespace,
            "labels": dict(LABELS),
        },
        "spec": {
            "type": "ClusterIP",
            "clusterIP": config.service_ip,
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": config.node_port},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": config.node_port},
            ],
        },
    }


def dns_endpoint_slice(config: DnsConfig, endpoints: Sequence[tuple[str, str]]) -> Obj:
    """This process's slice: `endpoints` are (node name, node address) pairs."""
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": config.slice_name(),
            "namespace": config.service_namespace,
            "labels": {
                **LABELS,
                "kubernetes.io/service-name": config.service_name,
                "endpointslice.kubernetes.io/managed-by": MANAGED_BY,
            },
        },
        "addressType": "IPv4",
        "endpoints": [
            {
                "addresses": [ip],
                "conditions": {"ready": True, "serving": True, "terminating": False},
                "nodeName": node,
            }
            for node, ip in sorted(endpoints)
        ],
        "ports": [
            {"name": "dns", "port": config.node_port, "protocol": "UDP"},
            {"name": "dns-tcp", "port": config.node_port, "protocol": "TCP"},
        ],
    }


async def ensure_dns_service(client: Client, config: DnsConfig) -> Obj | None:
    """Create the Service if missing; an existing one is left as the user has it."""
    body = dns_service(config)
    try:
        return await client.create(SERVICES, body, namespace=config.service_namespace)
    except errors.AlreadyExistsError:
        existing = await client.get(SERVICES, config.service_name, namespace=config.service_namespace)
        ip = (existing.get("spec") or {}).get("clusterIP")
        if ip != config.service_ip:
            log.warning(
                "Service %s/%s exists with ClusterIP %s, not %s: pods' resolv.conf must name it",
                config.service_namespace,
                config.service_name,
                ip,
                config.service_ip,
            )
        return existing
    except errors.StatusError as exc:
        log.error("cannot create Service %s/%s: %s", config.service_namespace, config.service_name, exc)
        return None


async def write_dns_slice(client: Client, config: DnsConfig, endpoints: Sequence[tuple[str, str]]) -> None:
    """Create or update this process's slice to list exactly `endpoints`."""
    want = dns_endpoint_slice(config, endpoints)
    name, namespace = config.slice_name(), config.service_namespace
    try:
        current = await client.get(ENDPOINTSLICES, name, namespace=namespace)
    except errors.NotFoundError:
        await client.create(ENDPOINTSLICES, want, namespace=namespace)
        return
    if (
        all(current.get(k) == want[k] for k in ("addressType", "endpoints", "ports"))
        and ((current.get("metadata") or {}).get("labels") or {}) == want["metadata"]["labels"]
    ):
        return
    want["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
    want["metadata"].setdefault("namespace", namespace)
    await client.update(ENDPOINTSLICES, want)


async def delete_dns_slice(client: Client, config: DnsConfig) -> None:
    try:
        await client.delete(ENDPOINTSLICES, config.slice_name(), namespace=config.service_namespace)
    except errors.NotFoundError:
        pass
