"""`python -m pyk8s.scheduler --kubeconfig FILE`: run the scheduler as its own process."""

from __future__ import annotations

import argparse
import sys

from pyk8s._aio.component import serve_until_signalled, setup_logging
from pyk8s.scheduler.config import Profile, SchedulerConfig
from pyk8s.scheduler.plugins.noderesources import LEAST_ALLOCATED, STRATEGIES
from pyk8s.scheduler.run import run_scheduler


def parse_args(argv: list[str] | None = None) -> tuple[SchedulerConfig, bool]:
    """The scheduler's config from the command line, and whether to log verbosely."""
    parser = argparse.ArgumentParser(prog="pyk8s scheduler", description="Run the pyk8s scheduler.")
    parser.add_argument("--kubeconfig", help="kubeconfig file (default $KUBECONFIG or ~/.kube/config)")
    parser.add_argument("--scheduler-name", default="default-scheduler", help="the profile's schedulerName")
    parser.add_argument(
        "--extra-scheduler-name",
        action="append",
        default=[],
        help="another schedulerName to serve (repeatable)",
    )
    parser.add_argument("--scoring-strategy", choices=STRATEGIES, default=LEAST_ALLOCATED)
    parser.add_argument(
        "--percentage-of-nodes-to-score", type=int, default=0, help="0: adaptive, as kube-scheduler"
    )
    parser.add_argument("--leader-elect", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--lease-name", default="kube-scheduler")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    extra = tuple(
        Profile(name, args.scoring_strategy, args.percentage_of_nodes_to_score)
        for name in args.extra_scheduler_name
    )
    config = SchedulerConfig(
        kubeconfig=args.kubeconfig,
        scheduler_name=args.scheduler_name,
        scoring_strategy=args.scoring_strategy,
        percentage_of_nodes_to_score=args.percentage_of_nodes_to_score,
        profiles=extra,
        leader_elect=args.leader_elect,
        lease_name=args.lease_name,
    )
    return config, args.verbose


def main(argv: list[str] | None = None) -> int:
    config, verbose = parse_args(argv)
    setup_logging(verbose)
    return serve_until_signalled(lambda stop: run_scheduler(config, stop))


if __name__ == "__main__":
    sys.exit(main())
