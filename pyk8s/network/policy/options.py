"""Command-line flags of NetworkPolicy enforcement, for `pyk8s network-policy` and
`python -m pyk8s.network.policy`.

pyk8s network-policy --kubeconfig FILE --node NAME [--netns pyk8s-node-NAME] [--table pyk8s-policy]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyk8s.network.policy.config import PolicyConfig
from pyk8s.network.policy.render import TABLE


def add_policy_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of NetworkPolicy enforcement (see the module docstring)."""
    parser.add_argument("--kubeconfig", type=Path, default=None, help="credentials for the API server")
    parser.add_argument("--node", dest="node_name", required=True, help="the node whose pods are protected")
    parser.add_argument("--netns", default="", help="the node host namespace (default pyk8s-node-NODE)")
    parser.add_argument("--table", default=TABLE, help="the inet nftables table to own")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def policy_config(args: argparse.Namespace) -> PolicyConfig:
    """A `PolicyConfig` from parsed flags."""
    if not args.node_name:
        raise ValueError("--node must not be empty")
    return PolicyConfig(
        kubeconfig=args.kubeconfig, node_name=args.node_name, netns=args.netns, table=args.table
    )
