"""The node IPAM controller: a pod CIDR per node from the cluster CIDR."""

from pyk8s.controllers.nodeipam.cidrset import CidrSet, CidrSetFullError, RangeAllocator
from pyk8s.controllers.nodeipam.controller import NodeIpamReconciler, new_nodeipam_controller
from pyk8s.controllers.runtime.registry import ControllerDescriptor

NODEIPAM_CONTROLLER = ControllerDescriptor(
    "nodeipam",
    new_nodeipam_controller,
    aliases=("node-ipam-controller", "nodeipam-controller"),
    description="gives every node a pod CIDR (spec.podCIDR) from the cluster CIDR",
)

__all__ = [
    "NODEIPAM_CONTROLLER",
    "CidrSet",
    "CidrSetFullError",
    "NodeIpamReconciler",
    "RangeAllocator",
    "new_nodeipam_controller",
]
