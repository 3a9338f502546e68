"""What a node process runs: which nodes, on which runtime, with which timings.

One `NodeConfig` describes every node one process serves. A single node is called `name`;
with `count` set, the process serves `count` nodes called `name-0` .. `name-<count-1>`
(thousands of simulated nodes share one process, one pod watch and one heartbeat loop).
Durations are seconds; the defaults are the kubelet's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RUNTIMES = ("simulated", "oci", "process")
AVAILABLE_RUNTIMES = ("simulated", "oci", "process")

# Said once when a node runs the `process` runtime: what the user does not get.
PROCESS_RUNTIME_NOTICE = (
    "pods run as host processes (the process runtime): no isolation of processes, network "
    "(pods share the host's ports and the node's IP), users or resources, and images only select "
    "host commands (busybox maps to the host's busybox)"
)


def effective_runtime(requested: str) -> str:
    """The runtime a node asking for `requested` really uses: `oci` where the machine can run
    it and `process` otherwise; `process` and `simulated` as asked."""
    if requested == "oci" and oci_unavailable_reason():
        return "process"
    return requested


def oci_unavailable_reason() -> str:
    """Why this machine cannot run the `oci` runtime ("" when it can): it needs root, crun,
    and iproute2/util-linux for pod sandboxes."""
    import os
    import shutil

    if os.geteuid() != 0:
        return "the oci runtime needs root"
    for binary, package in (("crun", "crun"), ("ip", "iproute2"), ("unshare", "util-linux")):
        if shutil.which(binary) is None:
            return f"{binary} is not installed (apt-get install {package})"
    return ""


# What `simulated` nodes report when nothing else is configured (the anchor, kwok, reports
# a similarly roomy machine: simulated pods cost nothing, so capacity only shapes scheduling).
DEFAULT_CAPACITY: Mapping[str, str] = {
    "cpu": "32",
    "memory": "256Gi",
    "pods": "110",
    "ephemeral-storage": "100Gi",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
}
NODE_LEASE_NAMESPACE = "kube-node-lease"


@dataclass(frozen=True)
class NodeConfig:
    """How to run the nodes of one process.

    - `kubeconfig`: credentials for the API server (None: `$KUBECONFIG` or `~/.kube/config`).
    - `capacity`, `labels`, `taints`: what every node of this process registers with
      (taints are `{"key", "value", "effect"}` dicts, applied at registration only, as
      the kubelet's `--register-with-taints`).
    - `pod_start_delay_seconds`: how long a bound pod stays `ContainerCreating` before
      its containers run.
    - `max_shutdown_delay_seconds`: a deleted pod's containers take its grace period to
      stop, but never longer than this.
    - `lease_duration_seconds`, `lease_renew_interval_seconds`: the node Lease (kubelet:
      40 s, renewed every 10 s).
    - `node_status_report_seconds`: how often the node status (Ready and its heartbeat
      time) is written when nothing changed (kubelet: 5 minutes; the Lease is the
      frequent heartbeat).
    - `workers`: pod and node status writes in flight at once.
    """

    kubeconfig: Path | None = None
    name: str = "pyk8s-node"
    count: int | None = None
    runtime: str = "simulated"
    capacity: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CAPACITY))
    labels: Mapping[str, str] = field(default_factory=dict)
    taints: tuple[Mapping[str, Any], ...] = ()
    pod_start_delay_seconds: float = 1.0
    max_shutdown_delay_seconds: float = 1.0
    lease_duration_seconds: int = 40
    lease_renew_interval_seconds: float = 10.0
    node_status_report_seconds: float = 300.0
    workers: int = 16
    register_concurrency: int = 32
    data_dir: Path | None = None  # the oci runtime's images, containers and pod files
    stop_pods_on_exit: bool = False  # real runtimes: stop containers when the process exits

    def __post_init__(self) -> None:
        if self.runtime not in RUNTIMES:
            raise ValueError(f"unknown runtime {self.runtime!r} (expected one of {', '.join(RUNTIMES)})")
        if self.count is not None and self.count < 0:
            raise ValueError("count must not be negative")
        if self.lease_renew_interval_seconds <= 0 or self.node_status_report_seconds <= 0:
            raise ValueError("heartbeat intervals must be positive")
        if self.workers < 1 or self.register_concurrency < 1:
            raise ValueError("workers and register_concurrency must be at least 1")

    def node_names(self) -> list[str]:
        """The names of the nodes this process serves, in order."""
        if self.count is None:
            return [self.name]
        return [f"{self.name}-{i}" for i in range(self.count)]
