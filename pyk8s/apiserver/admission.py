"""Built-in admission: namespace lifecycle and Service cluster IP allocation.

NamespaceLifecycle (as in kube-apiserver): objects can only be created in a namespace
that exists and is not terminating; the four system namespaces cannot be deleted.
ServiceIPs: a ClusterIP service gets a free address from the service CIDR on create; the
allocator looks at the services that exist, so nothing is kept apart from them.
"""

from __future__ import annotations

import ipaddress
import random
from typing import TYPE_CHECKING

from pyk8s.api import errors
from pyk8s.api.resource import Obj, RequestContext

if TYPE_CHECKING:
    from pyk8s.apiserver.server import ApiServer
    from pyk8s.registry.store import ResourceStore

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
DEFAULT_SERVICE_CIDR = "10.96.0.0/12"


class BuiltinAdmission:
    """The admission chain the store runs after validation."""

    def __init__(self, *, service_cidr: str = DEFAULT_SERVICE_CIDR) -> None:
        self.server: ApiServer | None = None
        self.service_network = ipaddress.ip_network(service_cidr)

    def bind(self, server: ApiServer) -> None:
        self.server = server

    async def admit(
        self, operation: str, store: ResourceStore, ctx: RequestContext, obj: Obj | None, old: Obj | None
    ) -> None:
        info = store.info
        if operation == "CREATE" and info.namespaced and obj is not None:
            await self._namespace_open(obj["metadata"].get("namespace", ""), info.plural, info.group)
        if operation == "DELETE" and info.plural == "namespaces" and not info.group and old is not None:
            name = old["metadata"].get("name", "")
            if name in SYSTEM_NAMESPACES:
                raise errors.forbidden("namespaces", name, "this namespace may not be deleted")
        if info.plural == "services" and not info.group and obj is not None:
            await self._allocate_cluster_ip(obj, old)

    async def _namespace_open(self, namespace: str, resource: str, group: str) -> None:
        assert self.server is not None
        namespaces = self.server.endpoint("", "v1", "namespaces")
        if namespaces is None:
            return
        try:
            ns = await namespaces.storage.get_cached("", namespace)
        except errors.NotFoundError:
            raise errors.not_found("namespaces", namespace) from None
        if ns.fields.get("status.phase") == "Terminating":
            raise errors.forbidden(
                resource,
                "",
                f"unable to create new content in namespace {namespace} because it is being terminated",
                group=group,
            )

    async def _allocate_cluster_ip(self, obj: Obj, old: Obj | None) -> None:
        spec = obj.setdefault("spec", {})
        if spec.get("type") == "ExternalName":
            return
        if old is not None:
            return  # kept by the strategy on update
        wanted = spec.get("clusterIP")
        if wanted == "None":
            spec["clusterIPs"] = ["None"]
            return
        used = await self._used_ips()
        network = self.service_network
        if wanted:
            try:
                address = ipaddress.ip_address(wanted)
            except ValueError:
                raise errors.invalid(
                    "Service",
                    obj["metadata"].get("name", ""),
                    [_field("spec.clusterIPs[0]", wanted, "must be a valid IP address")],
                ) from None
            if address not in network:
                raise errors.invalid(
                    "Service",
                    obj["metadata"].get("name", ""),
                    [
                        _field(
                            "spec.clusterIPs[0]",
                            wanted,
                            f"failed to allocate IP {wanted}: the provided IP ({wanted}) is not in the valid "
                            f"range. The range of valid IPs is {network}",
                        )
                    ],
                )
            if wanted in used:
                raise errors.invalid(
                    "Service",
                    obj["metadata"].get("name", ""),
                    [
                        _field(
                            "spec.clusterIPs[0]",
                            wanted,
                            f"failed to allocate IP {wanted}: provided IP is already allocated",
                        )
                    ],
                )
        else:
            wanted = self._pick(used)
        spec["clusterIP"] = wanted
        spec["clusterIPs"] = [wanted]
        spec.setdefault("ipFamilies", ["IPv4"])
        spec.setdefault("ipFamilyPolicy", "SingleStack")

    async def _used_ips(self) -> set[str]:
        assert self.server is not None
        services = self.server.endpoint("", "v1", "services")
        if services is None:
            return set()
        return {o.fields.get("spec.clusterIP", "") for o in services.storage.cache.objects.values()}

    def _pick(self, used: set[str]) -> str:
        network = self.service_network
        size = network.num_addresses
        # Skip the network address and the first host (reserved for the `kubernetes` service).
        first = int(network.network_address) + 2
        span = size - 3
        start = random.randrange(span)
        for i in range(span):
            candidate = str(ipaddress.ip_address(first + (start + i) % span))
            if candidate not in used:
                return candidate
        raise errors.internal(f"no free cluster IP in {network}")


def _field(path: str, value: object, detail: str) -> object:
    from pyk8s.api.fields import invalid

    return invalid(path, value, detail)


def kubernetes_service_ip(service_cidr: str = DEFAULT_SERVICE_CIDR) -> str:
    """The first host of the service range, which the `kubernetes` service always gets."""
    return str(ipaddress.ip_network(service_cidr).network_address + 1)
