"""Command-line flags of `pyk8s up`, for the CLI to reuse:

pyk8s up --data-dir DIR [--port 6443] [--storage URL] [--runtime oci|process|simulated|none]
         [--simulated-nodes N] [--node-name NAME]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pyk8s.server.config import RUNTIMES, UpConfig


def add_up_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default=".pyk8s", help="where the cluster keeps its state and logs")
    parser.add_argument("--bind", default="127.0.0.1", help="address the API server listens on")
    parser.add_argument("--port", type=int, default=6443, help="API server HTTPS port (0: any free port)")
    parser.add_argument("--storage", default="", help="storage URL (default: sqlite in the data dir)")
    parser.add_argument(
        "--runtime",
        choices=RUNTIMES,
        default="oci",
        help="how the local node runs pods (none: no local node)",
    )
    parser.add_argument("--simulated-nodes", type=int, default=0, help="extra simulated nodes (sim-0 ...)")
    parser.add_argument("--node-name", default="", help="the local node's name (default: the host name)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging in every component")


def up_config(args: argparse.Namespace) -> UpConfig:
    """An `UpConfig` from parsed flags (raises ValueError for bad values)."""
    return UpConfig(
        data_dir=Path(args.data_dir).resolve(),
        port=args.port,
        bind=args.bind,
        storage_url=args.storage,
        runtime=args.runtime,
        simulated_nodes=args.simulated_nodes,
        node_name=args.node_name,
        verbose=args.verbose,
    )
