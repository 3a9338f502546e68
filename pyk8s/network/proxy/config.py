"""`ProxyConfig`: what `pyk8s proxy` (and `run_proxy`) is told."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path

from pyk8s._aio.clock import Clock
from pyk8s.client.kubeconfig import ClientConfig
from pyk8s.network.addresses import NODE_NETNS_PREFIX, node_netns
from pyk8s.network.proxy.model import Endpoint
from pyk8s.network.proxy.ruleset import DEFAULT_TABLE

DEFAULT_CLUSTER_CIDR = "10.244.0.0/16"
NODE_NAMESPACE_PREFIX = NODE_NETNS_PREFIX  # the node host namespace pyk8s creates per node


class ProxyConfigError(ValueError):
    """A flag value that cannot work."""


@dataclass
class ProxyConfig:
    """One node's service proxy."""

    kubeconfig: Path | None = None  # default: $KUBECONFIG or ~/.kube/config
    client_config: ClientConfig | None = None  # instead of a kubeconfig (in-process use)
    node_name: str = ""  # default: this machine's host name (kube-proxy's --hostname-override)
    # The network namespace to program: None means the node host namespace
    # `pyk8s-node-<node>`, "" this process's own namespace; a name (`ip netns`) or a path.
    netns: str | None = None
    cluster_cidr: str = DEFAULT_CLUSTER_CIDR  # traffic to a cluster IP from elsewhere is masqueraded
    nodeport_addresses: tuple[str, ...] = ()  # default: the Node's InternalIP/ExternalIP addresses
    table: str = DEFAULT_TABLE
    masquerade_all: bool = False
    min_sync_period: float = 0.1  # seconds between two rule updates (changes in between are batched)
    # `IP:PORT` for the `kubernetes` Service instead of its endpoints. By default its loopback
    # endpoint (the API server's own address, useless to pods) becomes the relay the node
    # agent runs on the node's InternalIP, same port.
    kubernetes_endpoint: str = ""
    cleanup_on_exit: bool = True  # remove the table when stopping
    qps: float = 50.0
    burst: int = 100
    clock: Clock | None = None

    @property
    def node(self) -> str:
        return self.node_name or socket.gethostname()

    @property
    def namespace(self) -> str:
        """The network namespace to program ("" for this process's)."""
        return node_netns(self.node) if self.netns is None else self.netns

    def relay_endpoint(self) -> tuple[Endpoint, ...] | None:
        """The `kubernetes` Service's endpoint override, if configured."""
        if not self.kubernetes_endpoint:
            return None
        host, _, port = self.kubernetes_endpoint.rpartition(":")
        try:
            ipaddress.IPv4Address(host)
            number = int(port)
        except ValueError:
            raise ProxyConfigError(
                f"--kubernetes-service-endpoint must be IPv4:PORT, not {self.kubernetes_endpoint!r}"
            ) from None
        return (Endpoint(ip=host, port=number, node=self.node),)

    def validate(self) -> None:
        """Raise `ProxyConfigError` for values that cannot work."""
        if self.cluster_cidr:
            try:
                ipaddress.IPv4Network(self.cluster_cidr, strict=False)
            except ValueError:
                raise ProxyConfigError(
                    f"--cluster-cidr must be an IPv4 CIDR, not {self.cluster_cidr!r}"
                ) from None
        for address in self.nodeport_addresses:
            try:
                ipaddress.IPv4Address(address)
            except ValueError:
                raise ProxyConfigError(
                    f"--nodeport-addresses takes IPv4 addresses, not {address!r}"
                ) from None
        if self.min_sync_period < 0:
            raise ProxyConfigError("--min-sync-period must not be negative")
        self.relay_endpoint()
