"""`DnsConfig`: how `run_dns` serves the cluster zone."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyk8s.network.dns.records import DEFAULT_TTL

if TYPE_CHECKING:
    from pyk8s._aio.clock import Clock
    from pyk8s.client import Client

DNS_SERVICE_IP = "10.96.0.10"
DNS_SERVICE_NAME = "kube-dns"
DNS_NAMESPACE = "kube-system"
NODE_NETNS_TEMPLATE = "pyk8s-node-{node}"


@dataclass
class DnsConfig:
    """Everything `run_dns` needs.

    - `kubeconfig`: a kubeconfig path (a client is made and closed) or a ready `Client`.
    - `listen`: extra `host:port` listeners in this process's namespace (e.g.
      `127.0.0.1:10053` for `dig` from the host); none by default.
    - `node_listeners`: serve inside every node host namespace found on this machine
      (`netns_template` with the node's name) on the node's InternalIP and `node_port`; those
      addresses are the endpoints of the `kube-dns` Service.
    - `upstreams`: where names outside the cluster domain are forwarded (`host[:port]`);
      none: such questions are REFUSED.
    - `manage_service`: create `kube-system/kube-dns` with ClusterIP `service_ip` and keep its
      EndpointSlice (`kube-dns-<identity>`) listing the node listeners.
    """

    kubeconfig: str | Path | Client | None = None
    cluster_domain: str = "cluster.local"
    ttl: int = DEFAULT_TTL
    listen: tuple[str, ...] = ()
    node_listeners: bool = True
    node_port: int = 53
    netns_template: str = NODE_NETNS_TEMPLATE
    upstreams: tuple[str, ...] = ()
    manage_service: bool = True
    service_ip: str = DNS_SERVICE_IP
    service_name: str = DNS_SERVICE_NAME
    service_namespace: str = DNS_NAMESPACE
    identity: str = ""  # names this process's EndpointSlice; default: the host name
    qps: float = 50.0
    burst: int = 100
    clock: Clock | None = None
    # Set once the caches are synced and every listener is up.
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def slice_name(self) -> str:
        ident = (self.identity or socket.gethostname()).lower()
        ident = "".join(c if c.isalnum() or c == "-" else "-" for c in ident).strip("-")[:40] or "local"
        return f"{self.service_name}-{ident}"
