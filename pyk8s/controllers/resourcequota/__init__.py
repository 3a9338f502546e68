"""The ResourceQuota controller: `status.hard` and `status.used`, recomputed on deletions
and periodically. `usage.py` holds the quota arithmetic."""

from pyk8s.controllers.resourcequota.controller import ResourceQuotaReconciler, new_resourcequota_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

RESOURCEQUOTA_CONTROLLER = ControllerDescriptor(
    "resourcequota",
    new_resourcequota_controller,
    aliases=("resourcequota-controller",),
    description="keeps ResourceQuota status.hard and status.used up to date",
)

__all__ = ["RESOURCEQUOTA_CONTROLLER", "ResourceQuotaReconciler", "new_resourcequota_controller"]
