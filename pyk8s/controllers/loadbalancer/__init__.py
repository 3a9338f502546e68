"""The service load balancer controller: LoadBalancer addresses from a local pool."""

from pyk8s.controllers.loadbalancer.controller import LoadBalancerReconciler, new_service_lb_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

SERVICE_LB_CONTROLLER = ControllerDescriptor(
    "service-lb",
    new_service_lb_controller,
    aliases=("service-lb-controller",),
    description="gives LoadBalancer Services an address from the local pool",
)

__all__ = ["SERVICE_LB_CONTROLLER", "LoadBalancerReconciler", "new_service_lb_controller"]
