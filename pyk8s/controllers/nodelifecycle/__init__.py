"""Node lifecycle: silent nodes become Unknown and tainted, and pods leave NoExecute-tainted
nodes they do not tolerate.

`health.py` (probe times, conditions, taints) and `eviction.py` (toleration timing) are
pure; `controller.py` holds the two controllers.
"""

from pyk8s.controllers.nodelifecycle.controller import (
    NodeLifecycleReconciler,
    TaintEvictionReconciler,
    new_node_lifecycle_controller,
    new_taint_eviction_controller,
)
from pyk8s.controllers.runtime.registry import ControllerDescriptor

NODELIFECYCLE_CONTROLLER = ControllerDescriptor(
    "nodelifecycle",
    new_node_lifecycle_controller,
    aliases=("node-lifecycle-controller",),
    description="marks silent nodes Unknown, taints them, and marks their pods not ready",
)
TAINT_EVICTION_CONTROLLER = ControllerDescriptor(
    "tainteviction",
    new_taint_eviction_controller,
    aliases=("taint-eviction-controller",),
    description="deletes pods from nodes with NoExecute taints they do not tolerate",
)

__all__ = [
    "NODELIFECYCLE_CONTROLLER",
    "TAINT_EVICTION_CONTROLLER",
    "NodeLifecycleReconciler",
    "TaintEvictionReconciler",
    "new_node_lifecycle_controller",
    "new_taint_eviction_controller",
]
