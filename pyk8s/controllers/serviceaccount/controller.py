"""The ServiceAccount controller: every active namespace has a `default` ServiceAccount.

Keys are namespace names. A new namespace, or the deletion of a `default` account, wakes
the namespace; a terminating namespace gets nothing (the API server would refuse it).
"""

from __future__ import annotations

import logging
from typing import Any

from pyk8s.api.errors import AlreadyExistsError, ForbiddenError, NotFoundError
from pyk8s.client.informers import DeletedFinalStateUnknown, EventHandlerFuncs, SharedInformer
from pyk8s.client.resources import NAMESPACES, SERVICEACCOUNTS
from pyk8s.client.rest import Client
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject, unwrap
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.serviceaccount")

Obj = dict[str, Any]
DEFAULT_ACCOUNTS = ("default",)


def is_active(namespace: Obj) -> bool:
    """Not being deleted (a Terminating namespace accepts no new objects)."""
    meta = namespace.get("metadata") or {}
    return not meta.get("deletionTimestamp") and (namespace.get("status") or {}).get("phase") != "Terminating"


class ServiceAccountsReconciler:
    """Ensures the default accounts of one namespace."""

    def __init__(
        self,
        client: Client,
        namespaces: SharedInformer,
        accounts: SharedInformer,
        *,
        names: tuple[str, ...] = DEFAULT_ACCOUNTS,
    ) -> None:
        self.client = client
        self.namespaces = namespaces
        self.accounts = accounts
        self.names = names

    async def reconcile(self, key: str) -> Result | None:
        namespace = self.namespaces.lister.get(key)
        if namespace is None or not is_active(namespace):
            return None
        for name in self.names:
            if self.accounts.lister.get(name, key) is not None:
                continue
            account = {
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": name, "namespace": key},
            }
            try:
                await self.client.create(SERVICEACCOUNTS, account)
                log.info("created service account %s/%s", key, name)
            except AlreadyExistsError:
                pass
            except (ForbiddenError, NotFoundError):
                return None  # the namespace is going away
        return None

    def account_handler(self, queue: Any) -> EventHandlerFuncs:
        def deleted(obj: Obj | DeletedFinalStateUnknown) -> None:
            meta = unwrap(obj).get("metadata") or {}
            if meta.get("name") in self.names:
                queue.add(meta.get("namespace") or "")

        return EventHandlerFuncs(delete=deleted)


def new_serviceaccount_controller(ctx: ControllerContext) -> Controller:
    namespaces = ctx.informers.informer(NAMESPACES)
    accounts = ctx.informers.informer(SERVICEACCOUNTS)
    reconciler = ServiceAccountsReconciler(ctx.client, namespaces, accounts)
    controller = Controller(
        "serviceaccount", reconciler, workers=ctx.workers("serviceaccount"), clock=ctx.clock
    )
    controller.watch(namespaces, EnqueueObject(controller.queue, skip_resync=True))
    controller.watch(accounts, reconciler.account_handler(controller.queue))
    return controller
