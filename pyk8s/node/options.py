"""Command-line flags of a node process, shared by `pyk8s node` and `python -m pyk8s.node`.

pyk8s node --kubeconfig FILE --name NAME --runtime simulated [--count N]
           [--capacity cpu=8,memory=16Gi,pods=110] [--labels k=v,...]
           [--taints key=value:NoSchedule,...] [--pod-start-delay 1] [--max-shutdown-delay 1]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pyk8s.node.config import DEFAULT_CAPACITY, RUNTIMES, NodeConfig

TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_DEFAULT_CAPACITY_TEXT = ",".join(f"{k}={v}" for k, v in DEFAULT_CAPACITY.items())


def parse_pairs(text: str, *, what: str) -> dict[str, str]:
    """`k=v,k2=v2` as a dict (values may be empty: `k=`)."""
    pairs: dict[str, str] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"invalid {what} {item!r}: expected key=value")
        pairs[key.strip()] = value.strip()
    return pairs


def parse_taints(text: str) -> tuple[dict[str, str], ...]:
    """`key=value:Effect,key:Effect` as taint dicts (kubectl taint's syntax)."""
    taints = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        body, sep, effect = item.rpartition(":")
        if not sep or effect not in TAINT_EFFECTS:
            raise ValueError(f"invalid taint {item!r}: expected key[=value]:{'|'.join(TAINT_EFFECTS)}")
        key, _, value = body.partition("=")
        if not key:
            raise ValueError(f"invalid taint {item!r}: the key is empty")
        taint = {"key": key, "effect": effect}
        if value:
            taint["value"] = value
        taints.append(taint)
    return tuple(taints)


def add_node_flags(parser: argparse.ArgumentParser) -> None:
    """The flags of a node process (see the module docstring)."""
    parser.add_argument("--kubeconfig", type=Path, default=None, help="credentials for the API server")
    parser.add_argument("--name", default="pyk8s-node", help="node name (with --count: the name prefix)")
    parser.add_argument("--count", type=int, default=None, help="serve N nodes called NAME-0 .. NAME-(N-1)")
    parser.add_argument("--runtime", choices=RUNTIMES, default="simulated", help="how pods are run")
    parser.add_argument(
        "--capacity",
        default="",
        help=f"node capacity overrides, k=v,... (default {_DEFAULT_CAPACITY_TEXT})",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="where the oci runtime keeps images, containers and logs"
    )
    parser.add_argument(
        "--stop-pods-on-exit",
        action="store_true",
        help="stop the containers when the node process exits (default: leave them for the next one)",
    )
    parser.add_argument("--labels", default="", help="extra node labels, k=v,...")
    parser.add_argument("--taints", default="", help="taints to register with, key[=value]:Effect,...")
    parser.add_argument(
        "--pod-start-delay", type=float, default=1.0, help="seconds a bound pod takes to start (simulated)"
    )
    parser.add_argument(
        "--max-shutdown-delay",
        type=float,
        default=1.0,
        help="longest a deleted pod takes to stop, whatever its grace period (simulated)",
    )
    parser.add_argument(
        "--lease-renew-interval", type=float, default=10.0, help="seconds between node Lease renewals"
    )
    parser.add_argument(
        "--node-status-report", type=float, default=300.0, help="seconds between unchanged node status writes"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def node_config(args: argparse.Namespace) -> NodeConfig:
    """A `NodeConfig` from parsed flags (raises ValueError for malformed values)."""
    capacity: dict[str, Any] = dict(DEFAULT_CAPACITY)
    capacity.update(parse_pairs(args.capacity, what="capacity"))
    return NodeConfig(
        kubeconfig=args.kubeconfig,
        name=args.name,
        count=args.count,
        runtime=args.runtime,
        capacity=capacity,
        labels=parse_pairs(args.labels, what="label"),
        taints=parse_taints(args.taints),
        pod_start_delay_seconds=args.pod_start_delay,
        max_shutdown_delay_seconds=args.max_shutdown_delay,
        lease_renew_interval_seconds=args.lease_renew_interval,
        node_status_report_seconds=args.node_status_report,
        data_dir=args.data_dir,
        stop_pods_on_exit=args.stop_pods_on_exit,
    )
