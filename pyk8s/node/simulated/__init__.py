"""The `simulated` runtime: nodes whose pods run no processes (kwok is the anchor).

Pods bound to a simulated node get the status a kubelet would write, after a configurable
start delay; they complete when annotations ask (see `lifecycle`), and deleted pods are
removed after their grace period, capped. Thousands of such nodes share one process.
"""

from pyk8s.node.simulated.fleet import SimulatedFleet

__all__ = ["SimulatedFleet"]
