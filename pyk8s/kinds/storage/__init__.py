"""The storage.k8s.io API group."""

from __future__ import annotations

from pyk8s.api.resource import ResourceStrategy


def strategies() -> list[ResourceStrategy]:
    """The group's served resources, in discovery order."""
    from pyk8s.kinds.storage.csidriver import CSIDriverStrategy
    from pyk8s.kinds.storage.csinode import CSINodeStrategy
    from pyk8s.kinds.storage.storageclass import StorageClassStrategy
    from pyk8s.kinds.storage.volumeattachment import VolumeAttachmentStrategy

    return [CSIDriverStrategy(), CSINodeStrategy(), StorageClassStrategy(), VolumeAttachmentStrategy()]
