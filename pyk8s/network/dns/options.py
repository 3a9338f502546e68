"""Command-line flags of the DNS component, for `pyk8s dns` and `python -m pyk8s.network.dns`.

pyk8s dns --kubeconfig FILE [--cluster-domain cluster.local] [--listen 127.0.0.1:10053 ...]
          [--upstream 192.0.2.53 ...] [--no-node-listeners] [--node-port 53]
          [--service-ip 10.96.0.10] [--no-service] [--ttl 30]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyk8s.network.dns.config import DNS_SERVICE_IP, NODE_NETNS_TEMPLATE, DnsConfig
from pyk8s.network.dns.records import DEFAULT_TTL


def add_dns_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of the DNS component (see the module docstring)."""
    parser.add_argument("--kubeconfig", type=Path, default=None, help="credentials for the API server")
    parser.add_argument("--cluster-domain", default="cluster.local", help="the zone served")
    parser.add_argument("--ttl", type=int, default=DEFAULT_TTL, help="TTL of answers, in seconds")
    parser.add_argument(
        "--listen",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="also serve on this address of the host (repeatable), e.g. 127.0.0.1:10053",
    )
    parser.add_argument(
        "--upstream",
        action="append",
        default=[],
        metavar="HOST[:PORT]",
        help="forward names outside the cluster domain here (repeatable); none: REFUSED",
    )
    parser.add_argument(
        "--no-node-listeners",
        dest="node_listeners",
        action="store_false",
        help="do not serve inside the node host namespaces found on this machine",
    )
    parser.add_argument("--node-port", type=int, default=53, help="port of the node listeners")
    parser.add_argument("--netns-template", default=NODE_NETNS_TEMPLATE, help="node host namespace names")
    parser.add_argument("--service-ip", default=DNS_SERVICE_IP, help="ClusterIP of kube-system/kube-dns")
    parser.add_argument(
        "--no-service",
        dest="manage_service",
        action="store_false",
        help="do not create the kube-dns Service or publish its endpoints",
    )
    parser.add_argument(
        "--identity", default="", help="names this process's EndpointSlice (default: host name)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def dns_config(args: argparse.Namespace) -> DnsConfig:
    """A `DnsConfig` from parsed flags."""
    if args.ttl < 0:
        raise ValueError("--ttl must not be negative")
    return DnsConfig(
        kubeconfig=args.kubeconfig,
        cluster_domain=args.cluster_domain,
        ttl=args.ttl,
        listen=tuple(args.listen),
        upstreams=tuple(args.upstream),
        node_listeners=args.node_listeners,
        node_port=args.node_port,
        netns_template=args.netns_template,
        service_ip=args.service_ip,
        manage_service=args.manage_service,
        identity=args.identity,
    )
