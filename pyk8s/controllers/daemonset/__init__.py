"""The DaemonSet controller: one pod on every eligible node.

`placement.py` decides which nodes qualify and pins pods to them, `plan.py` what a sync
creates and deletes (manage, rolling update) and the status counts, `backoff.py` the
per-node backoff for failing pods; `controller.py` carries it out through the client.
"""

from pyk8s.controllers.daemonset.controller import DaemonSetReconciler, new_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

DAEMONSET_CONTROLLER = ControllerDescriptor(
    "daemonset",
    new_controller,
    aliases=("daemonset-controller",),
    description="runs one pod of each DaemonSet on every eligible node",
)

__all__ = ["DAEMONSET_CONTROLLER", "DaemonSetReconciler", "new_controller"]
