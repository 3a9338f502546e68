"""The Endpoints controller: the v1 Endpoints of every Service with a selector."""

from pyk8s.controllers.endpoints.controller import EndpointsReconciler, new_endpoints_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

ENDPOINTS_CONTROLLER = ControllerDescriptor(
    "endpoints",
    new_endpoints_controller,
    aliases=("endpoints-controller", "endpoint"),
    description="keeps the v1 Endpoints of Services with a selector",
)

__all__ = ["ENDPOINTS_CONTROLLER", "EndpointsReconciler", "new_endpoints_controller"]
