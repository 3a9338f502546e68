"""The root CA publisher: a `kube-root-ca.crt` ConfigMap with the cluster CA (`ca.crt`) in
every namespace, so pods can verify the API server (projected service-account volumes
mount it).

The CA is the controller manager's own: `--root-ca-file` when given, otherwise the
certificate-authority-data of its kubeconfig. Keys are namespace names; a change to, or
the deletion of, the ConfigMap wakes its namespace, which rewrites it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pyk8s.api.errors import AlreadyExistsError, ConflictError, ForbiddenError, NotFoundError
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer
from pyk8s.client.resources import CONFIGMAPS, NAMESPACES
from pyk8s.client.rest import Client
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject, unwrap
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.serviceaccount.controller import is_active

log = logging.getLogger("pyk8s.controllers.rootcacert")

Obj = dict[str, Any]
CONFIGMAP_NAME = "kube-root-ca.crt"
DATA_KEY = "ca.crt"
DESCRIPTION_ANNOTATION = "kubernetes.io/description"
DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
    "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
    "distributions of Kubernetes clusters."
)


def desired_configmap(namespace: str, ca: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": CONFIGMAP_NAME,
            "namespace": namespace,
            "annotations": {DESCRIPTION_ANNOTATION: DESCRIPTION},
        },
        "data": {DATA_KEY: ca},
    }


def needs_update(current: Obj, ca: str) -> bool:
    annotations = (current.get("metadata") or {}).get("annotations") or {}
    return (current.get("data") or {}) != {DATA_KEY: ca} or annotations.get(
        DESCRIPTION_ANNOTATION
    ) != DESCRIPTION


class RootCAReconciler:
    """Publishes the CA into one namespace."""

    def __init__(
        self, client: Client, namespaces: SharedInformer, configmaps: SharedInformer, ca: str
    ) -> None:
        self.client = client
        self.namespaces = namespaces
        self.configmaps = configmaps
        self.ca = ca

    async def reconcile(self, key: str) -> Result | None:
        namespace = self.namespaces.lister.get(key)
        if namespace is None or not is_active(namespace):
            return None
        current = self.configmaps.lister.get(CONFIGMAP_NAME, key)
        try:
            if current is None:
                await self.client.create(CONFIGMAPS, desired_configmap(key, self.ca))
            elif needs_update(current, self.ca):
                meta = current.get("metadata") or {}
                annotations = {**(meta.get("annotations") or {}), DESCRIPTION_ANNOTATION: DESCRIPTION}
                updated = {
                    **current,
                    "metadata": {**meta, "annotations": annotations},
                    "data": {DATA_KEY: self.ca},
                }
                updated.pop("binaryData", None)
                await self.client.update(CONFIGMAPS, updated)
        except AlreadyExistsError:
            pass  # the cache is behind; the watch event brings it here again
        except (ForbiddenError, NotFoundError):
            return None  # the namespace is terminating or gone
        except ConflictError:
            raise
        return None

    def configmap_handler(self, queue: Any) -> EventHandlerFuncs:
        def changed(obj: Obj | DeletedFinalStateUnknown) -> None:
            meta = unwrap(obj).get("metadata") or {}
            if meta.get("name") == CONFIGMAP_NAME:
                queue.add(meta.get("namespace") or "")

        return EventHandlerFuncs(update=lambda old, new: changed(new), delete=changed)


def root_ca(ctx: ControllerContext) -> str:
    """The CA to publish: `--root-ca-file`, else the kubeconfig's CA data."""
    path = getattr(ctx.options, "root_ca_file", None)
    if path:
        return Path(path).read_text()
    data = ctx.client.config.ca_data
    return data.decode() if data else ""


def new_root_ca_controller(ctx: ControllerContext, *, ca: str | None = None) -> Controller:
    ca_bundle = ca if ca is not None else root_ca(ctx)
    if not ca_bundle:
        log.warning("root CA publisher: no CA known (no --root-ca-file, no certificate-authority-data)")
    namespaces = ctx.informers.informer(NAMESPACES)
    configmaps = ctx.informers.informer(CONFIGMAPS)
    reconciler = RootCAReconciler(ctx.client, namespaces, configmaps, ca_bundle)
    name = "root-ca-cert-publisher"
    controller = Controller(name, reconciler, workers=ctx.workers(name), clock=ctx.clock)
    controller.watch(namespaces, EnqueueObject(controller.queue, skip_resync=True))
    controller.watch(configmaps, reconciler.configmap_handler(controller.queue))
    return controller
