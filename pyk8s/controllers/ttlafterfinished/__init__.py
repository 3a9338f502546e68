"""The TTL-after-finished controller: finished Jobs are deleted `ttlSecondsAfterFinished`
after they finished."""

from pyk8s.controllers.runtime.registry import ControllerDescriptor
from pyk8s.controllers.ttlafterfinished.controller import (
    TTLAfterFinishedReconciler,
    finish_time,
    needs_cleanup,
    new_controller,
    time_left,
)

TTL_AFTER_FINISHED_CONTROLLER = ControllerDescriptor(
    "ttl-after-finished",
    new_controller,
    aliases=("ttl-after-finished-controller",),
    description="deletes finished Jobs once their ttlSecondsAfterFinished has passed",
)

__all__ = [
    "TTL_AFTER_FINISHED_CONTROLLER",
    "TTLAfterFinishedReconciler",
    "finish_time",
    "needs_cleanup",
    "new_controller",
    "time_left",
]
