"""The pod garbage collector: terminated pods beyond a threshold, pods of deleted nodes,
and unscheduled pods being deleted."""

from pyk8s.controllers.podgc.controller import PodGarbageCollector, new_podgc_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

PODGC_CONTROLLER = ControllerDescriptor(
    "podgc",
    new_podgc_controller,
    aliases=("pod-garbage-collector-controller",),
    description="deletes terminated pods beyond a threshold and pods of deleted nodes",
)

__all__ = ["PODGC_CONTROLLER", "PodGarbageCollector", "new_podgc_controller"]
