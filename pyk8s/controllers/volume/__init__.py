"""The PersistentVolume binder: claims bound to volumes, volumes released and reclaimed.
`binding.py` holds the pure matching and binding decisions."""

from pyk8s.controllers.runtime.registry import ControllerDescriptor
from pyk8s.controllers.volume.controller import (
    PersistentVolumeBinderController,
    VolumeBinder,
    new_persistentvolume_binder_controller,
)

PERSISTENTVOLUME_BINDER_CONTROLLER = ControllerDescriptor(
    "persistentvolume-binder",
    new_persistentvolume_binder_controller,
    aliases=("persistentvolume-binder-controller",),
    description="binds PersistentVolumeClaims to PersistentVolumes and reclaims released volumes",
)

__all__ = [
    "PERSISTENTVOLUME_BINDER_CONTROLLER",
    "PersistentVolumeBinderController",
    "VolumeBinder",
    "new_persistentvolume_binder_controller",
]
