"""The controllers `pyk8s controller-manager` knows, by name: one line per controller.

A new controller adds its `ControllerDescriptor` here (see DESIGN.md, "How to write a
controller"). Names follow kube-controller-manager's `--controllers` list.
"""

from __future__ import annotations

from pyk8s.controllers.cronjob import CRONJOB_CONTROLLER
from pyk8s.controllers.daemonset import DAEMONSET_CONTROLLER
from pyk8s.controllers.deployment.controller import DEPLOYMENT_CONTROLLER
from pyk8s.controllers.disruption import DISRUPTION_CONTROLLER
from pyk8s.controllers.endpoints import ENDPOINTS_CONTROLLER
from pyk8s.controllers.endpointslice import ENDPOINTSLICE_CONTROLLER
from pyk8s.controllers.endpointslicemirroring import ENDPOINTSLICEMIRRORING_CONTROLLER
from pyk8s.controllers.garbagecollector import GARBAGECOLLECTOR_CONTROLLER
from pyk8s.controllers.job import JOB_CONTROLLER
from pyk8s.controllers.loadbalancer import SERVICE_LB_CONTROLLER
from pyk8s.controllers.localpath import LOCAL_PATH_PROVISIONER
from pyk8s.controllers.namespace import NAMESPACE_CONTROLLER
from pyk8s.controllers.nodeipam import NODEIPAM_CONTROLLER
from pyk8s.controllers.nodelifecycle import NODELIFECYCLE_CONTROLLER, TAINT_EVICTION_CONTROLLER
from pyk8s.controllers.podautoscaler import HORIZONTALPODAUTOSCALING_CONTROLLER
from pyk8s.controllers.podgc import PODGC_CONTROLLER
from pyk8s.controllers.protection import PV_PROTECTION_CONTROLLER, PVC_PROTECTION_CONTROLLER
from pyk8s.controllers.replicaset import REPLICASET_CONTROLLER, REPLICATIONCONTROLLER_CONTROLLER
from pyk8s.controllers.resourcequota import RESOURCEQUOTA_CONTROLLER
from pyk8s.controllers.rootcacert import ROOT_CA_CERT_PUBLISHER
from pyk8s.controllers.runtime.registry import ControllerRegistry
from pyk8s.controllers.serviceaccount import SERVICEACCOUNT_CONTROLLER
from pyk8s.controllers.statefulset import STATEFULSET_CONTROLLER
from pyk8s.controllers.ttlafterfinished import TTL_AFTER_FINISHED_CONTROLLER
from pyk8s.controllers.volume import PERSISTENTVOLUME_BINDER_CONTROLLER


def known_controllers() -> ControllerRegistry:
    """A registry of every built-in controller."""
    return ControllerRegistry(
        [
            REPLICASET_CONTROLLER,
            REPLICATIONCONTROLLER_CONTROLLER,
            DEPLOYMENT_CONTROLLER,
            DAEMONSET_CONTROLLER,
            STATEFULSET_CONTROLLER,
            JOB_CONTROLLER,
            CRONJOB_CONTROLLER,
            TTL_AFTER_FINISHED_CONTROLLER,
            GARBAGECOLLECTOR_CONTROLLER,
            NAMESPACE_CONTROLLER,
            SERVICEACCOUNT_CONTROLLER,
            ROOT_CA_CERT_PUBLISHER,
            RESOURCEQUOTA_CONTROLLER,
            DISRUPTION_CONTROLLER,
            HORIZONTALPODAUTOSCALING_CONTROLLER,
            PODGC_CONTROLLER,
            ENDPOINTS_CONTROLLER,
            ENDPOINTSLICE_CONTROLLER,
            ENDPOINTSLICEMIRRORING_CONTROLLER,
            SERVICE_LB_CONTROLLER,
            NODEIPAM_CONTROLLER,
            NODELIFECYCLE_CONTROLLER,
            TAINT_EVICTION_CONTROLLER,
            PERSISTENTVOLUME_BINDER_CONTROLLER,
            PVC_PROTECTION_CONTROLLER,
            PV_PROTECTION_CONTROLLER,
            LOCAL_PATH_PROVISIONER,
        ]
    )
