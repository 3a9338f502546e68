"""Command-line flags of the service proxy, shared by `pyk8s proxy` and `python -m pyk8s.network.proxy`.

pyk8s proxy --kubeconfig FILE [--hostname-override NODE] [--netns NAME]
            [--cluster-cidr 10.244.0.0/16] [--nodeport-addresses IP,...]
            [--kubernetes-service-endpoint IP:PORT] [--min-sync-period 0.1]
            [--table pyk8s-proxy] [--masquerade-all] [--cleanup]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyk8s.network.proxy.config import DEFAULT_CLUSTER_CIDR, NODE_NAMESPACE_PREFIX, ProxyConfig
from pyk8s.network.proxy.ruleset import DEFAULT_TABLE


def add_proxy_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of the proxy (see the module docstring)."""
    parser.add_argument("--kubeconfig", type=Path, default=None, help="credentials for the API server")
    parser.add_argument(
        "--hostname-override", default="", help="this node's name (default: the machine's host name)"
    )
    parser.add_argument(
        "--netns",
        default=None,
        help=f"network namespace to program (default {NODE_NAMESPACE_PREFIX}<node>; '' for this process's)",
    )
    parser.add_argument(
        "--cluster-cidr",
        default=DEFAULT_CLUSTER_CIDR,
        help="pod range: traffic to cluster IPs from elsewhere is masqueraded ('' to never)",
    )
    parser.add_argument(
        "--nodeport-addresses",
        default="",
        help="node addresses node ports answer on, IP,... (default: the Node's InternalIP/ExternalIP)",
    )
    parser.add_argument(
        "--kubernetes-service-endpoint",
        default="",
        help="IP:PORT for the `kubernetes` Service instead of its endpoints "
        "(default: the API server relay on the node's InternalIP, same port)",
    )
    parser.add_argument(
        "--min-sync-period",
        type=float,
        default=0.1,
        help="seconds between rule updates (changes are batched)",
    )
    parser.add_argument("--table", default=DEFAULT_TABLE, help="the nftables table (family inet)")
    parser.add_argument("--masquerade-all", action="store_true", help="masquerade all cluster IP traffic")
    parser.add_argument(
        "--no-cleanup-on-exit", action="store_true", help="leave the table in place when stopping"
    )
    parser.add_argument("--cleanup", action="store_true", help="remove the table and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def proxy_config(args: argparse.Namespace) -> ProxyConfig:
    """A `ProxyConfig` from parsed flags (raises ValueError for values that cannot work)."""
    config = ProxyConfig(
        kubeconfig=args.kubeconfig,
        node_name=args.hostname_override,
        netns=args.netns,
        cluster_cidr=args.cluster_cidr,
        nodeport_addresses=tuple(a.strip() for a in args.nodeport_addresses.split(",") if a.strip()),
        table=args.table,
        masquerade_all=args.masquerade_all,
        min_sync_period=args.min_sync_period,
        kubernetes_endpoint=args.kubernetes_service_endpoint,
        cleanup_on_exit=not args.no_cleanup_on_exit,
    )
    config.validate()
    return config
