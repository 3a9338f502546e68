"""`UpConfig`: what `pyk8s up` starts, where it keeps its data, how it supervises."""

from __future__ import annotations

import re
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

RUNTIMES = ("oci", "process", "simulated", "none")
SIMULATED_NODE_PREFIX = "sim"


@dataclass(frozen=True)
class UpConfig:
    """A local cluster in `data_dir`.

    - `runtime`: how the local node runs pods (`none`: no local node).
    - `simulated_nodes`: extra simulated nodes, `sim-0` .. `sim-<N-1>`, in one process.
    - `node_name`: the local node's name (default: this host's name, as the kubelet's).
    - `apiserver_args`, `node_args`: extra flags passed to those processes as they are.
    - `python`: the interpreter that runs the components.
    - `stop_timeout_seconds`: how long a component may take to exit on SIGTERM before it
      is killed.
    - `restart_initial_seconds`, `restart_max_seconds`, `restart_reset_seconds`: a crashed
      component is restarted after a delay doubling from the first to the second, reset
      once it has run for the third.
    """

    data_dir: Path
    port: int = 6443
    bind: str = "127.0.0.1"
    storage_url: str = ""
    runtime: str = "oci"
    simulated_nodes: int = 0
    node_name: str = ""
    apiserver_args: tuple[str, ...] = ()
    node_args: tuple[str, ...] = ()
    python: str = sys.executable
    stop_timeout_seconds: float = 10.0
    ready_timeout_seconds: float = 60.0
    restart_initial_seconds: float = 1.0
    restart_max_seconds: float = 30.0
    restart_reset_seconds: float = 60.0
    verbose: bool = False

    def __post_init__(self) -> None:
        if self.runtime not in RUNTIMES:
            raise ValueError(f"unknown runtime {self.runtime!r} (expected one of {', '.join(RUNTIMES)})")
        if self.simulated_nodes < 0:
            raise ValueError("simulated_nodes must not be negative")

    @property
    def kubeconfig(self) -> Path:
        return self.data_dir / "kubeconfig"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def local_node_name(self) -> str:
        return self.node_name or host_node_name()


def host_node_name(hostname: str | None = None) -> str:
    """This host's name as a node name (a DNS-1123 subdomain), as the kubelet derives it."""
    name = (hostname if hostname is not None else socket.gethostname()).lower()
    name = re.sub(r"[^a-z0-9.-]+", "-", name)
    name = re.sub(r"\.{2,}", ".", name).strip("-.")[:253].strip("-.")
    return name or "pyk8s-node"
