"""The ServiceAccount controller: a `default` ServiceAccount in every active namespace."""

from pyk8s.controllers.runtime.registry import ControllerDescriptor
from pyk8s.controllers.serviceaccount.controller import (
    ServiceAccountsReconciler,
    is_active,
    new_serviceaccount_controller,
)

SERVICEACCOUNT_CONTROLLER = ControllerDescriptor(
    "serviceaccount",
    new_serviceaccount_controller,
    aliases=("serviceaccount-controller",),
    description="creates the default ServiceAccount in every namespace",
)

__all__ = [
    "SERVICEACCOUNT_CONTROLLER",
    "ServiceAccountsReconciler",
    "is_active",
    "new_serviceaccount_controller",
]
