"""The root CA publisher: `kube-root-ca.crt` (key `ca.crt`) in every namespace."""

from pyk8s.controllers.rootcacert.controller import (
    CONFIGMAP_NAME,
    DATA_KEY,
    RootCAReconciler,
    new_root_ca_controller,
)
from pyk8s.controllers.runtime.registry import ControllerDescriptor

ROOT_CA_CERT_PUBLISHER = ControllerDescriptor(
    "root-ca-cert-publisher",
    new_root_ca_controller,
    aliases=("root-ca-certificate-publisher-controller",),
    description="publishes the cluster CA as the kube-root-ca.crt ConfigMap in every namespace",
)

__all__ = [
    "CONFIGMAP_NAME",
    "DATA_KEY",
    "ROOT_CA_CERT_PUBLISHER",
    "RootCAReconciler",
    "new_root_ca_controller",
]
