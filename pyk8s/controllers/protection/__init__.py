"""PVC and PV protection: in-use claims and bound volumes are not removed until released."""

from pyk8s.controllers.protection.controller import (
    ClaimProtectionReconciler,
    VolumeProtectionReconciler,
    new_pv_protection_controller,
    new_pvc_protection_controller,
)
from pyk8s.controllers.runtime.registry import ControllerDescriptor

PVC_PROTECTION_CONTROLLER = ControllerDescriptor(
    "pvc-protection",
    new_pvc_protection_controller,
    aliases=("persistentvolumeclaim-protection-controller",),
    description="removes kubernetes.io/pvc-protection from deleted claims no pod uses",
)
PV_PROTECTION_CONTROLLER = ControllerDescriptor(
    "pv-protection",
    new_pv_protection_controller,
    aliases=("persistentvolume-protection-controller",),
    description="removes kubernetes.io/pv-protection from deleted volumes that are not bound",
)

__all__ = [
    "PVC_PROTECTION_CONTROLLER",
    "PV_PROTECTION_CONTROLLER",
    "ClaimProtectionReconciler",
    "VolumeProtectionReconciler",
    "new_pv_protection_controller",
    "new_pvc_protection_controller",
]
