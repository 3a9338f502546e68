"""`pyk8s controller-manager` flags, named and defaulted as kube-controller-manager's.

`add_controller_manager_flags(parser)` declares all of them (the process's: kubeconfig,
`--controllers`, leader election; and the controllers');  `config_from_args(args)` turns the
parsed namespace into a `ControllerManagerConfig`. A flag left out keeps the default of the
controller that reads it (`ManagerOptions`), and this module imports no controller, so
building the `pyk8s` parser stays cheap. Only flags some controller of ours reads
exist (kube-controller-manager's `--pod-eviction-timeout` is gone upstream and is not
offered). A `--concurrent-*-syncs` flag sets the workers of one controller; a controller
whose flag is not given runs `--concurrent-syncs` workers (our own flag; it has no upstream
equivalent).
"""

from __future__ import annotations

import argparse
import ipaddress
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyk8s.controllers.manager import ControllerManagerConfig

# flag -> (controller name, kube-controller-manager's default, shown in the help)
CONCURRENT_SYNC_FLAGS: dict[str, tuple[str, int]] = {
    "--concurrent-deployment-syncs": ("deployment", 5),
    "--concurrent-replicaset-syncs": ("replicaset", 5),
    "--concurrent-rc-syncs": ("replicationcontroller", 5),
    "--concurrent-daemonset-syncs": ("daemonset", 2),
    "--concurrent-statefulset-syncs": ("statefulset", 5),
    "--concurrent-job-syncs": ("job", 5),
    "--concurrent-cron-job-syncs": ("cronjob", 5),
    "--concurrent-ttl-after-finished-syncs": ("ttl-after-finished", 5),
    "--concurrent-gc-syncs": ("garbagecollector", 20),
    "--concurrent-namespace-syncs": ("namespace", 10),
    "--concurrent-endpoint-syncs": ("endpoints", 5),
    "--concurrent-service-endpoint-syncs": ("endpointslice", 5),
    "--mirroring-concurrent-service-endpoint-syncs": ("endpointslicemirroring", 5),
    "--concurrent-resource-quota-syncs": ("resourcequota", 5),
    "--concurrent-horizontal-pod-autoscaler-syncs": ("horizontalpodautoscaling", 5),
    "--concurrent-service-syncs": ("service-lb", 1),
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def duration(value: str) -> float:
    """Seconds from a Go duration (`40s`, `1m30s`, `500ms`) or a plain number of seconds."""
    try:
        return float(value)
    except ValueError:
        pass
    parts = _DURATION.findall(value)
    if not parts or "".join(n + u for n, u in parts) != value:
        raise argparse.ArgumentTypeError(f"invalid duration {value!r} (e.g. 40s, 1m30s)")
    return sum(float(number) * _UNITS[unit] for number, unit in parts)


def _cidrs(value: str) -> str:
    """A comma list of at most two CIDRs, one per family (kept as given)."""
    try:
        networks = [ipaddress.ip_network(part.strip()) for part in value.split(",") if part.strip()]
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    if len(networks) > 2 or len({n.version for n in networks}) != len(networks):
        raise argparse.ArgumentTypeError(f"expected one CIDR, or two of different families: {value!r}")
    return value


def _positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        number = kind(value)
        if number <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {value!r}")
        return number

    return parse


def flag_bool(value: str) -> bool:
    """A boolean flag value (`--leader-elect=false`)."""
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")


def add_controller_manager_flags(parser: argparse.ArgumentParser) -> None:
    """Every `pyk8s controller-manager` flag, with kube-controller-manager's names."""
    parser.add_argument("--kubeconfig", help="the cluster to manage (default: $KUBECONFIG, ~/.kube/config)")
    parser.add_argument(
        "--controllers",
        default="*",
        help="comma list: '*' for the default set, NAME to enable one, -NAME to disable one",
    )
    parser.add_argument(
        "--leader-elect",
        type=flag_bool,
        nargs="?",
        const=True,
        default=True,
        help="run only while holding Lease kube-system/kube-controller-manager (default true)",
    )
    parser.add_argument("--leader-elect-lease-duration", type=duration, default=15.0)
    parser.add_argument("--leader-elect-renew-deadline", type=duration, default=10.0)
    parser.add_argument("--leader-elect-retry-period", type=duration, default=2.0)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    network = parser.add_argument_group("network (nodeipam)")
    network.add_argument("--cluster-cidr", type=_cidrs, help="pod CIDR range(s) of the cluster")
    network.add_argument("--service-cluster-ip-range", type=_cidrs, help="Service ClusterIP range(s)")
    network.add_argument("--node-cidr-mask-size", type=_positive(int), help="node CIDR mask (single-stack)")
    network.add_argument("--node-cidr-mask-size-ipv4", type=_positive(int), help="node CIDR mask, IPv4 (24)")
    network.add_argument("--node-cidr-mask-size-ipv6", type=_positive(int), help="node CIDR mask, IPv6 (64)")
    nodes = parser.add_argument_group("nodes and pods")
    nodes.add_argument(
        "--node-monitor-grace-period",
        type=duration,
        help="how long a node may go unheard before it is marked NotReady/Unknown",
    )
    nodes.add_argument(
        "--node-startup-grace-period", type=duration, help="how long a starting node may stay unready"
    )
    nodes.add_argument(
        "--terminated-pod-gc-threshold",
        type=int,
        help="terminated pods kept before the oldest are deleted (<= 0: never)",
    )
    endpoints = parser.add_argument_group("endpoints")
    endpoints.add_argument("--max-endpoints-per-slice", type=_positive(int))
    endpoints.add_argument("--mirroring-max-endpoints-per-subset", type=_positive(int))
    concurrency = parser.add_argument_group("concurrency")
    concurrency.add_argument("--concurrent-syncs", type=_positive(int), help="workers per controller (5)")
    for flag, (controller, upstream_default) in CONCURRENT_SYNC_FLAGS.items():
        concurrency.add_argument(
            flag,
            type=_positive(int),
            help=f"workers of the {controller} controller (kube-controller-manager: {upstream_default}; "
            "default: --concurrent-syncs)",
        )


def _flag_dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def _masks(args: argparse.Namespace) -> tuple[int | None, int | None]:
    """(IPv4, IPv6) node CIDR masks; `--node-cidr-mask-size` is for single-stack clusters only,
    as upstream, and sets the mask of the one family in use."""
    ipv4, ipv6 = args.node_cidr_mask_size_ipv4, args.node_cidr_mask_size_ipv6
    if args.node_cidr_mask_size is None:
        return ipv4, ipv6
    cidrs = (args.cluster_cidr or "").split(",")
    if len({ipaddress.ip_network(p.strip()).version for p in cidrs if p.strip()}) > 1:
        raise ValueError("--node-cidr-mask-size is not allowed with a dual-stack --cluster-cidr")
    if ipv4 is not None or ipv6 is not None:
        raise ValueError("--node-cidr-mask-size cannot be combined with --node-cidr-mask-size-ipv4/-ipv6")
    return args.node_cidr_mask_size, args.node_cidr_mask_size


# flag destinations copied to the config field of the same name when given
_PLAIN_FIELDS = (
    "cluster_cidr",
    "service_cluster_ip_range",
    "node_monitor_grace_period",
    "node_startup_grace_period",
    "terminated_pod_gc_threshold",
    "max_endpoints_per_slice",
    "mirroring_max_endpoints_per_subset",
)


def config_from_args(args: argparse.Namespace) -> ControllerManagerConfig:
    """The `ControllerManagerConfig` for parsed flags. Raises ValueError for flags that
    contradict each other (and `UnknownControllerError` for an unknown `--controllers` name,
    when the manager is built)."""
    from pyk8s.controllers.manager import ControllerManagerConfig
    from pyk8s.controllers.runtime.registry import parse_controllers_flag

    mask_ipv4, mask_ipv6 = _masks(args)
    given: dict[str, Any] = {
        name: getattr(args, name) for name in _PLAIN_FIELDS if getattr(args, name) is not None
    }
    if mask_ipv4 is not None:
        given["node_cidr_mask_size_ipv4"] = mask_ipv4
    if mask_ipv6 is not None:
        given["node_cidr_mask_size_ipv6"] = mask_ipv6
    if args.concurrent_syncs is not None:
        given["workers"] = args.concurrent_syncs
    given["workers_by_controller"] = {
        controller: getattr(args, _flag_dest(flag))
        for flag, (controller, _) in CONCURRENT_SYNC_FLAGS.items()
        if getattr(args, _flag_dest(flag)) is not None
    }
    return ControllerManagerConfig(
        kubeconfig=Path(args.kubeconfig) if args.kubeconfig else None,
        controllers=parse_controllers_flag(args.controllers),
        leader_elect=args.leader_elect,
        lease_duration=args.leader_elect_lease_duration,
        renew_deadline=args.leader_elect_renew_deadline,
        retry_period=args.leader_elect_retry_period,
        **given,
    )
