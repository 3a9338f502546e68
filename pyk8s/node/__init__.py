"""The node agent: registration and lease, pod lifecycle, runtimes.

Three runtimes exist: `oci` (`pyk8s.node.kubelet` on crun: real containers, root needed),
`process` (the same agent running containers as host processes, `pyk8s.node.process`) and
`simulated` (`pyk8s.node.simulated`): nodes that register, keep their Lease and Ready
condition fresh, and give pods bound to them the status a kubelet would, without running
anything. `run_nodes(config, stop)` serves the nodes a `NodeConfig` names;
`pyk8s.node.options` holds the command-line flags.

`run_nodes` is imported on first use, so reading `pyk8s.node.config` stays cheap (the
`pyk8s up` supervisor does, and must start quickly).
"""

from typing import Any

from pyk8s.node.config import NodeConfig

__all__ = ["NodeConfig", "run_nodes"]


def __getattr__(name: str) -> Any:
    if name == "run_nodes":
        from pyk8s.node.run import run_nodes

        return run_nodes
    raise AttributeError(f"module 'pyk8s.node' has no attribute {name!r}")
