"""Command-line flags of the Ingress controller, for `pyk8s ingress` and
`python -m pyk8s.network.ingress`.

pyk8s ingress --kubeconfig FILE [--bind 127.0.0.1] [--http-port 8080] [--https-port 8443]
              [--status-address IP] [--class pyk8s] [--upstream-netns pyk8s-node-NODE]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyk8s.network.ingress.config import CLASS_NAME, IngressConfig
from pyk8s.network.ingress.routing import CONTROLLER_NAME


def add_ingress_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of the Ingress controller (see the module docstring)."""
    parser.add_argument("--kubeconfig", type=Path, default=None, help="credentials for the API server")
    parser.add_argument("--bind", default="127.0.0.1", help="address of the HTTP and HTTPS listeners")
    parser.add_argument("--http-port", type=int, default=8080, help="HTTP port (0: any free port)")
    parser.add_argument("--https-port", type=int, default=8443, help="HTTPS port (-1: no TLS listener)")
    parser.add_argument("--status-address", default="", help="address written to Ingress status")
    parser.add_argument("--class", dest="class_name", default=CLASS_NAME, help="IngressClass to create")
    parser.add_argument(
        "--controller-name", default=CONTROLLER_NAME, help="spec.controller of served classes"
    )
    parser.add_argument(
        "--no-create-class", dest="create_class", action="store_false", help="do not create it"
    )
    parser.add_argument(
        "--upstream-netns",
        default=None,
        help="network namespace to reach pods from (the node host namespace pyk8s-node-<node>)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def ingress_config(args: argparse.Namespace) -> IngressConfig:
    """An `IngressConfig` from parsed flags."""
    for flag, port in (("--http-port", args.http_port), ("--https-port", args.https_port)):
        if not -1 <= port <= 65535 or (flag == "--http-port" and port < 0):
            raise ValueError(f"{flag} {port} is out of range")
    return IngressConfig(
        kubeconfig=args.kubeconfig,
        bind=args.bind,
        http_port=args.http_port,
        https_port=args.https_port,
        status_address=args.status_address,
        class_name=args.class_name,
        controller_name=args.controller_name,
        create_class=args.create_class,
        upstream_netns=args.upstream_netns,
    )
