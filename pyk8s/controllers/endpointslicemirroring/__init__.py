"""The EndpointSlice mirroring controller: slices for the Endpoints of selector-less Services."""

from pyk8s.controllers.endpointslicemirroring.controller import (
    MirroringReconciler,
    new_endpointslicemirroring_controller,
)
from pyk8s.controllers.runtime.registry import ControllerDescriptor

ENDPOINTSLICEMIRRORING_CONTROLLER = ControllerDescriptor(
    "endpointslicemirroring",
    new_endpointslicemirroring_controller,
    aliases=("endpointslice-mirroring-controller",),
    description="mirrors the Endpoints of Services without a selector into EndpointSlices",
)

__all__ = [
    "ENDPOINTSLICEMIRRORING_CONTROLLER",
    "MirroringReconciler",
    "new_endpointslicemirroring_controller",
]
