"""The ReplicaSet and ReplicationController controllers (one implementation, two flavors).

`logic.py` holds the pure decisions (batching, which pods to delete, status), `controller.py`
the reconciler and its event handlers, `flavor.py` what differs between the two kinds.
"""

from pyk8s.controllers.replicaset.controller import ReplicaSetReconciler, new_controller
from pyk8s.controllers.replicaset.flavor import REPLICASET, REPLICATIONCONTROLLER, Flavor
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor


def new_replicaset_controller(ctx: ControllerContext) -> Controller:
    """The ReplicaSet controller."""
    return new_controller(REPLICASET, ctx)


def new_replicationcontroller_controller(ctx: ControllerContext) -> Controller:
    """The ReplicationController controller."""
    return new_controller(REPLICATIONCONTROLLER, ctx)


REPLICASET_CONTROLLER = ControllerDescriptor(
    "replicaset",
    new_replicaset_controller,
    aliases=("replicaset-controller",),
    description="keeps spec.replicas pods of each ReplicaSet running",
)
REPLICATIONCONTROLLER_CONTROLLER = ControllerDescriptor(
    "replicationcontroller",
    new_replicationcontroller_controller,
    aliases=("replicationcontroller-controller",),
    description="keeps spec.replicas pods of each ReplicationController running",
)

__all__ = [
    "REPLICASET",
    "REPLICASET_CONTROLLER",
    "REPLICATIONCONTROLLER",
    "REPLICATIONCONTROLLER_CONTROLLER",
    "Flavor",
    "ReplicaSetReconciler",
    "new_controller",
]
