"""The StatefulSet controller: pods with stable identities and storage, in order.

`identity.py` holds a member's name, labels, hostname, claims and the claims' owner
references under the retention policy; `plan.py` decides one sync's actions and status;
`controller.py` carries them out through the client. Revision history is shared with the
DaemonSet controller (`pyk8s.controllers.history`).
"""

from pyk8s.controllers.runtime.registry import ControllerDescriptor
from pyk8s.controllers.statefulset.controller import StatefulSetReconciler, new_controller

STATEFULSET_CONTROLLER = ControllerDescriptor(
    "statefulset",
    new_controller,
    aliases=("statefulset-controller",),
    description="runs the ordered, stably named pods and claims of each StatefulSet",
)

__all__ = ["STATEFULSET_CONTROLLER", "StatefulSetReconciler", "new_controller"]
