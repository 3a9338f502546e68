"""How to run the scheduler: `SchedulerConfig` and its profiles.

A profile is one `schedulerName` with its own scoring strategy and percentage of nodes to
score; pods name their profile in `spec.schedulerName` (default `default-scheduler`), and
pods naming no profile of this scheduler are left to another scheduler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyk8s.scheduler.plugins.noderesources import LEAST_ALLOCATED, STRATEGIES
from pyk8s.scheduler.podinfo import DEFAULT_SCHEDULER

if TYPE_CHECKING:
    from pyk8s._aio.clock import Clock
    from pyk8s.client import Client

LEASE_NAME = "kube-scheduler"
LEASE_NAMESPACE = "kube-system"


@dataclass(frozen=True)
class Profile:
    """One scheduler name and how it scores."""

    scheduler_name: str = DEFAULT_SCHEDULER
    scoring_strategy: str = LEAST_ALLOCATED  # NodeResourcesFit: LeastAllocated or MostAllocated
    percentage_of_nodes_to_score: int = 0  # 0: adaptive (50% - nodes/125, at least 5%)
    disabled_plugins: frozenset[str] = frozenset()
    weights: Mapping[str, int] = field(default_factory=dict)  # Score plugin weight overrides

    def __post_init__(self) -> None:
        if self.scoring_strategy not in STRATEGIES:
            raise ValueError(
                f"scoring strategy {self.scoring_strategy!r} is not one of {', '.join(STRATEGIES)}"
            )
        if not 0 <= self.percentage_of_nodes_to_score <= 100:
            raise ValueError("percentageOfNodesToScore must be between 0 and 100")


@dataclass
class SchedulerConfig:
    """Everything `run_scheduler` needs.

    `kubeconfig` is a kubeconfig path (a client is made and closed by the scheduler) or a
    ready `Client` (shared: the scheduler does not close it). The first profile is built
    from `scheduler_name`, `scoring_strategy` and `percentage_of_nodes_to_score`;
    `profiles` adds more scheduler names.
    """

    kubeconfig: str | Path | Client | None = None
    scheduler_name: str = DEFAULT_SCHEDULER
    scoring_strategy: str = LEAST_ALLOCATED
    percentage_of_nodes_to_score: int = 0
    profiles: tuple[Profile, ...] = ()
    leader_elect: bool = True
    lease_name: str = LEASE_NAME
    lease_namespace: str = LEASE_NAMESPACE
    identity: str = ""  # default: <hostname>_<uuid>
    pod_initial_backoff_seconds: float = 1.0
    pod_max_backoff_seconds: float = 10.0
    pod_max_in_unschedulable_seconds: float = 300.0
    # In-tree components talk to a local server: the scheduler's own writes (one binding
    # and one event per pod) must not be what limits its throughput.
    qps: float = 5000.0
    burst: int = 10000
    # Bindings and status writes in flight at once: enough to keep the server's group commit
    # busy, few enough that the connection pool (one TLS handshake per connection) stays small.
    max_concurrent_writes: int = 64
    clock: Clock | None = None
    # Set once the caches have synced and this instance leads (tests and `pyk8s up` wait on it).
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def all_profiles(self) -> tuple[Profile, ...]:
        first = Profile(self.scheduler_name, self.scoring_strategy, self.percentage_of_nodes_to_score)
        profiles = (first, *(p for p in self.profiles if p.scheduler_name != self.scheduler_name))
        names = [p.scheduler_name for p in profiles]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate scheduler names in profiles: {names}")
        return profiles
