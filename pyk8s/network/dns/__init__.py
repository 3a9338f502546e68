"""Cluster DNS (`pyk8s dns`): the cluster domain's records from Services and EndpointSlices,
served over UDP and TCP, as the `kube-system/kube-dns` Service at 10.96.0.10.

    config = DnsConfig(kubeconfig="~/.pyk8s/kubeconfig", listen=("127.0.0.1:10053",))
    await run_dns(config, stop)
"""

from pyk8s.network.dns.config import DNS_SERVICE_IP, DnsConfig
from pyk8s.network.dns.records import Zone
from pyk8s.network.dns.run import ClusterDns, run_dns
from pyk8s.network.dns.server import DnsServer

__all__ = ["DNS_SERVICE_IP", "ClusterDns", "DnsConfig", "DnsServer", "Zone", "run_dns"]
