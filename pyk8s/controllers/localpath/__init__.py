"""The local-path provisioner: a default `local-path` StorageClass whose claims get
hostPath volumes in a directory on a node (`provisioning.py` holds the decisions,
`controller.py` the I/O)."""

from pyk8s.controllers.localpath.controller import (
    LocalPathProvisioner,
    LocalPathProvisionerController,
    new_local_path_provisioner,
)
from pyk8s.controllers.localpath.provisioning import CLASS_NAME, PROVISIONER
from pyk8s.controllers.runtime.registry import ControllerDescriptor

LOCAL_PATH_PROVISIONER = ControllerDescriptor(
    "local-path-provisioner",
    new_local_path_provisioner,
    aliases=("localpath", "local-path-provisioner-controller"),
    description="provisions hostPath volumes on nodes for claims of the local-path StorageClass",
)

__all__ = [
    "CLASS_NAME",
    "LOCAL_PATH_PROVISIONER",
    "PROVISIONER",
    "LocalPathProvisioner",
    "LocalPathProvisionerController",
    "new_local_path_provisioner",
]
