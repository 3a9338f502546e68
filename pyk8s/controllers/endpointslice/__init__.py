"""The EndpointSlice controller: the slices of every Service with a selector, from its pods."""

from pyk8s.controllers.endpointslice.controller import EndpointSliceReconciler, new_endpointslice_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

ENDPOINTSLICE_CONTROLLER = ControllerDescriptor(
    "endpointslice",
    new_endpointslice_controller,
    aliases=("endpointslice-controller",),
    description="keeps the EndpointSlices of Services with a selector",
)

__all__ = ["ENDPOINTSLICE_CONTROLLER", "EndpointSliceReconciler", "new_endpointslice_controller"]
