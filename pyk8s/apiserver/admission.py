"""Built-in admission, in kube-apiserver's order: mutating plugins before validation, then
validating ones.

- NamespaceLifecycle: objects can only be created in a namespace that exists and is not
  terminating; the four system namespaces cannot be deleted.
- Service addresses: a ClusterIP service gets a free address from the service CIDR, and
  NodePort/LoadBalancer ports a free node port (30000-32767). Addresses in use are those
  of existing services plus short-lived reservations for creates still in flight, so
  concurrent creates never get the same one; deleting a service frees its addresses.
- ServiceAccount (pods): the `default` service account when none is named, and the
  projected token volume (`kube-api-access-*`) mounted in every container, unless
  automounting is switched off.
- LimitRanger: container defaults from LimitRanges, then their min/max/ratio limits (403).
- Priority (pods): spec.priority and preemptionPolicy from the PriorityClass (or the
  global default class).
- DefaultStorageClass: a claim without a class gets the default StorageClass.
- DefaultTolerationSeconds (pods): tolerate not-ready/unreachable nodes for 300 s.
- RuntimeClass (pods): the class's overhead, node selector and tolerations.
- StorageObjectInUseProtection: claims and volumes get their protection finalizers.
- TaintNodesByCondition: a new node starts tainted not-ready:NoSchedule.
- DefaultIngressClass: an Ingress without a class gets the default IngressClass.
- PersistentVolumeClaimResize: a bound claim grows only if its StorageClass allows it.
- ResourceQuota (validating): a create that would exceed a quota is refused (403); the
  usage is charged to the quota's status at admission, as kube-apiserver does (the quota
  controller recomputes it later).
"""

from __future__ import annotations

import ipaddress
import random
import time
from typing import TYPE_CHECKING, Any

from pyk8s.api import errors
from pyk8s.api.fields import invalid
from pyk8s.api.quantity import Quantity
from pyk8s.api.resource import Obj, RequestContext
from pyk8s.registry.watchcache import CachedObject, Filter

if TYPE_CHECKING:
    from pyk8s.apiserver.quota import ResourceQuotaAdmission
    from pyk8s.apiserver.server import ApiServer
    from pyk8s.registry.store import ResourceStore

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
DEFAULT_SERVICE_CIDR = "10.96.0.0/12"
NODE_PORT_RANGE = (30000, 32767)
RESERVATION_SECONDS = 30.0
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_EXPIRATION = 3607
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
DEFAULT_INGRESS_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
PVC_PROTECTION = "kubernetes.io/pvc-protection"
PV_PROTECTION = "kubernetes.io/pv-protection"
NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"
DEFAULT_TOLERATION_SECONDS = 300
_SUFFIX = "bcdfghjklmnpqrstvwxz2456789"


class BuiltinAdmission:
    """The admission chain the registry runs around validation."""

    def __init__(self, *, service_cidr: str = DEFAULT_SERVICE_CIDR) -> None:
        self.server: ApiServer | None = None
        self.service_network = ipaddress.ip_network(service_cidr)
        self._reserved: dict[str, float] = {}  # "ip:10.96.0.7" / "port:30080" -> expiry
        self.quota: ResourceQuotaAdmission | None = None  # bound with the server
        # PriorityClasses as parsed for pod creates, by cached object (cached objects never
        # change; a changed class is a new one): every create reads them all.
        self._parsed_classes: dict[int, tuple[CachedObject, Obj]] = {}

    def bind(self, server: ApiServer) -> None:
        self.server = server
        from pyk8s.apiserver.quota import ResourceQuotaAdmission

        self.quota = ResourceQuotaAdmission(server)

    def _endpoint(self, group: str, version: str, plural: str) -> Any:
        assert self.server is not None
        endpoint = self.server.endpoint(group, version, plural)
        return endpoint if endpoint is not None and endpoint.store is not None else None

    # mutating

    async def mutate(
        self, operation: str, store: ResourceStore, ctx: RequestContext, obj: Obj | None, old: Obj | None
    ) -> None:
        info = store.info
        if operation == "CREATE" and info.namespaced and obj is not None:
            await self._namespace_open(obj["metadata"].get("namespace", ""), info.plural, info.group)
        if obj is None:
            return
        core = not info.group
        if core and info.plural == "services":
            self._allocate_service(obj, old)
        elif core and info.plural == "pods" and not ctx.subresource:
            if operation == "CREATE":
                self._limit_ranges_pod(obj)
                self._service_account(obj)
                self._priority(obj)
                self._runtime_class(obj)
            # on updates too, as Kubernetes does, so a re-applied manifest keeps them
            _default_toleration_seconds(obj)
        elif core and info.plural == "persistentvolumeclaims":
            if operation == "CREATE":
                self._default_storage_class(obj)
                self._limit_ranges_claim(obj)
                _add_finalizer(obj, PVC_PROTECTION)
            elif old is not None:
                self._claim_resize(obj, old)
        elif core and info.plural == "persistentvolumes" and operation == "CREATE":
            _add_finalizer(obj, PV_PROTECTION)
        elif core and info.plural == "nodes" and operation == "CREATE":
            _taint_new_node(obj)
        elif info.group == "networking.k8s.io" and info.plural == "ingresses" and operation == "CREATE":
            self._default_ingress_class(obj)

    # validating

    async def validate(
        self, operation: str, store: ResourceStore, ctx: RequestContext, obj: Obj | None, old: Obj | None
    ) -> None:
        info = store.info
        if operation == "DELETE" and info.plural == "namespaces" and not info.group and old is not None:
            name = old["metadata"].get("name", "")
            if name in SYSTEM_NAMESPACES:
                raise errors.forbidden("namespaces", name, "this namespace may not be deleted")
        if operation == "CREATE" and obj is not None and info.namespaced and self.quota is not None:
            await self.quota.charge(store, ctx, obj)

    # NamespaceLifecycle

    async def _namespace_open(self, namespace: str, resource: str, group: str) -> None:
        namespaces = self._endpoint("", "v1", "namespaces")
        if namespaces is None:
            return
        # As kube-apiserver's NamespaceLifecycle reads its informer: an open namespace in the
        # cache is enough (no wait for the cache to be fresh, which with API server workers
        # sharing storage means waiting for the other workers' writes). Only a missing or
        # terminating one is looked up consistently, so a namespace just created elsewhere
        # is found and the refusals stay exact.
        store = namespaces.storage
        cached = store.cache.get(store.key("", namespace))
        if cached is not None and cached.fields.get("status.phase") != "Terminating":
            return
        try:
            ns = await store.get_cached("", namespace)
        except errors.NotFoundError:
            raise errors.not_found("namespaces", namespace) from None
        if ns.fields.get("status.phase") == "Terminating":
            raise errors.forbidden(
                resource,
                "",
                f"unable to create new content in namespace {namespace} because it is being terminated",
                group=group,
            )

    # Service addresses

    def _in_use(self, kind: str) -> set[str]:
        now = time.monotonic()
        for key in [k for k, expiry in self._reserved.items() if expiry < now]:
            del self._reserved[key]
        services = self._endpoint("", "v1", "services")
        used: set[str] = set()
        if services is not None:
            for cached in services.storage.cache.objects.values():
                if kind == "ip":
                    used.add(cached.fields.get("spec.clusterIP", ""))
                else:
                    spec = cached.obj().get("spec") or {}
                    used |= {str(p.get("nodePort")) for p in spec.get("ports") or [] if p.get("nodePort")}
                    if spec.get("healthCheckNodePort"):
                        used.add(str(spec["healthCheckNodePort"]))
        prefix = f"{kind}:"
        used |= {k[len(prefix) :] for k in self._reserved if k.startswith(prefix)}
        return used

    def _reserve(self, kind: str, value: str) -> None:
        self._reserved[f"{kind}:{value}"] = time.monotonic() + RESERVATION_SECONDS

    def _allocate_service(self, obj: Obj, old: Obj | None) -> None:
        spec = obj.setdefault("spec", {})
        name = obj["metadata"].get("name", "")
        kind = spec.get("type", "ClusterIP")
        if kind == "ExternalName":
            return
        if old is None:
            self._allocate_cluster_ip(spec, name)
        if kind in ("NodePort", "LoadBalancer"):
            self._allocate_node_ports(spec, name, old)

    def _allocate_cluster_ip(self, spec: dict[str, Any], name: str) -> None:
        wanted = spec.get("clusterIP") or (spec.get("clusterIPs") or [""])[0]
        headless = wanted == "None"
        policy = spec.get("ipFamilyPolicy")
        if policy is None:
            # selectorless headless services may carry addresses of any family (set by hand)
            policy = "RequireDualStack" if headless and not spec.get("selector") else "SingleStack"
        elif policy == "RequireDualStack" and not (headless and not spec.get("selector")):
            raise errors.invalid(
                "Service",
                name,
                [
                    invalid(
                        "spec.ipFamilyPolicy",
                        policy,
                        "this cluster is not configured for dual-stack services",
                    )
                ],
            )
        spec["ipFamilyPolicy"] = policy
        families = spec.get("ipFamilies") or ["IPv4"]  # the cluster is single-stack IPv4
        if not headless or spec.get("selector"):
            for i, family in enumerate(families):
                if family != "IPv4":
                    raise errors.invalid(
                        "Service",
                        name,
                        [invalid(f"spec.ipFamilies[{i}]", family, "not configured on this cluster")],
                    )
        spec["ipFamilies"] = families
        if headless:
            spec["clusterIP"], spec["clusterIPs"] = "None", ["None"]
            return
        network = self.service_network
        used = self._in_use("ip")
        if wanted:
            try:
                address = ipaddress.ip_address(wanted)
            except ValueError:
                raise errors.invalid(
                    "Service", name, [invalid("spec.clusterIPs[0]", wanted, "must be a valid IP address")]
                ) from None
            if address not in network:
                raise errors.invalid(
                    "Service",
                    name,
                    [
                        invalid(
                            "spec.clusterIPs[0]",
                            wanted,
                            f"failed to allocate IP {wanted}: the provided IP ({wanted}) is not "
                            f"in the valid range. The range of valid IPs is {network}",
                        )
                    ],
                )
            if wanted in used:
                raise errors.invalid(
                    "Service",
                    name,
                    [
                        invalid(
                            "spec.clusterIPs[0]",
                            wanted,
                            f"failed to allocate IP {wanted}: provided IP is already allocated",
                        )
                    ],
                )
        else:
            wanted = self._pick_ip(used)
        self._reserve("ip", wanted)
        spec["clusterIP"], spec["clusterIPs"] = wanted, [wanted]

    def _pick_ip(self, used: set[str]) -> str:
        network = self.service_network
        # Skip the network address and the first host (reserved for the `kubernetes` service).
        first = int(network.network_address) + 2
        span = network.num_addresses - 3
        start = random.randrange(span)
        for i in range(span):
            candidate = str(ipaddress.ip_address(first + (start + i) % span))
            if candidate not in used:
                return candidate
        raise errors.internal(f"failed to allocate a serviceIP: range is full ({network})")

    def _allocate_node_ports(self, spec: dict[str, Any], name: str, old: Obj | None) -> None:
        used = self._in_use("port")
        kept = {
            str(p.get("nodePort"))
            for p in ((old or {}).get("spec") or {}).get("ports") or []
            if p.get("nodePort")
        }
        used -= kept  # this service's own ports stay its own on update
        low, high = NODE_PORT_RANGE
        for i, port in enumerate(spec.get("ports") or []):
            requested = port.get("nodePort")
            if requested:
                if str(requested) in used:
                    raise errors.invalid(
                        "Service",
                        name,
                        [
                            invalid(
                                f"spec.ports[{i}].nodePort", requested, "provided port is already allocated"
                            )
                        ],
                    )
                if not low <= int(requested) <= high:
                    raise errors.invalid(
                        "Service",
                        name,
                        [
                            invalid(
                                f"spec.ports[{i}].nodePort",
                                requested,
                                "provided port is not in the valid range. "
                                f"The range of valid ports is {low}-{high}",
                            )
                        ],
                    )
            else:
                requested = self._pick_port(used)
                port["nodePort"] = requested
            used.add(str(requested))
            self._reserve("port", str(requested))
        if spec.get("type") == "LoadBalancer":
            spec.setdefault("allocateLoadBalancerNodePorts", True)
            if spec.get("externalTrafficPolicy") == "Local" and not spec.get("healthCheckNodePort"):
                spec["healthCheckNodePort"] = self._pick_port(used)
                self._reserve("port", str(spec["healthCheckNodePort"]))

    def _pick_port(self, used: set[str]) -> int:
        low, high = NODE_PORT_RANGE
        span = high - low + 1
        start = random.randrange(span)
        for i in range(span):
            candidate = low + (start + i) % span
            if str(candidate) not in used:
                return candidate
        raise errors.internal(f"failed to allocate a nodePort: range is full ({low}-{high})")

    # ServiceAccount

    def _service_account(self, pod: Obj) -> None:
        spec = pod.setdefault("spec", {})
        annotations = pod["metadata"].get("annotations") or {}
        if "kubernetes.io/config.mirror" in annotations:
            return  # mirror pods stand for static pods and carry nothing of the API's
        account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
        spec["serviceAccountName"] = account
        spec["serviceAccount"] = account
        automount = spec.get("automountServiceAccountToken")
        if automount is None:
            automount = self._account_automounts(pod["metadata"].get("namespace", ""), account)
        if not automount:
            return
        volumes = spec.setdefault("volumes", [])
        for volume in volumes:
            if volume.get("name", "").startswith("kube-api-access-"):
                return
        name = "kube-api-access-" + "".join(random.choice(_SUFFIX) for _ in range(5))
        volumes.append(
            {
                "name": name,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION, "path": "token"}},
                        {
                            "configMap": {
                                "name": "kube-root-ca.crt",
                                "items": [{"key": "ca.crt", "path": "ca.crt"}],
                            }
                        },
                        {
                            "downwardAPI": {
                                "items": [
                                    {
                                        "path": "namespace",
                                        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                    }
                                ]
                            }
                        },
                    ],
                },
            }
        )
        for key in ("initContainers", "containers"):
            for container in spec.get(key) or []:
                mounts = container.setdefault("volumeMounts", [])
                if not any(m.get("mountPath") == TOKEN_MOUNT_PATH for m in mounts):
                    mounts.append({"name": name, "readOnly": True, "mountPath": TOKEN_MOUNT_PATH})

    def _account_automounts(self, namespace: str, account: str) -> bool:
        accounts = self._endpoint("", "v1", "serviceaccounts")
        if accounts is None:
            return True
        cached = accounts.storage.cache.get(accounts.storage.key(namespace, account))
        if cached is None:
            # The service account controller creates `default` in every namespace; a missing
            # account does not stop the pod here (Kubernetes would refuse it).
            return True
        return cached.obj().get("automountServiceAccountToken") is not False

    # Priority

    def _priority(self, pod: Obj) -> None:
        spec = pod.setdefault("spec", {})
        name = pod["metadata"].get("name", "")
        classes = self._endpoint("scheduling.k8s.io", "v1", "priorityclasses")
        wanted = spec.get("priorityClassName", "")
        chosen: dict[str, Any] | None = None
        if classes is not None:
            objects = self._priority_classes(list(classes.storage.cache.objects.values()))
            if wanted:
                chosen = next((c for c in objects if c["metadata"]["name"] == wanted), None)
                if chosen is None:
                    raise errors.forbidden("pods", name, f"no PriorityClass with name {wanted} was found")
            else:
                # several global defaults: the one with the lowest value wins, as in Kubernetes
                defaults = sorted(
                    (c for c in objects if c.get("globalDefault")), key=lambda c: int(c.get("value") or 0)
                )
                chosen = defaults[0] if defaults else None
                if chosen is not None:
                    spec["priorityClassName"] = chosen["metadata"]["name"]
        value = int(chosen.get("value") or 0) if chosen is not None else 0
        policy = (chosen or {}).get("preemptionPolicy") or "PreemptLowerPriority"
        if spec.get("priority") is not None and spec["priority"] != value:
            raise errors.forbidden(
                "pods",
                name,
                f"the integer value of priority ({spec['priority']}) must not be provided in pod spec; "
                f"priority admission controller computed {value} from the given PriorityClass name",
            )
        if spec.get("preemptionPolicy") is not None and spec["preemptionPolicy"] != policy:
            raise errors.forbidden(
                "pods",
                name,
                f"the string value of PreemptionPolicy ({spec['preemptionPolicy']}) must not be provided in "
                f"pod spec; priority admission controller computed {policy} from the given PriorityClass "
                "name",
            )
        spec["priority"] = value
        spec["preemptionPolicy"] = policy

    def _priority_classes(self, cached: list[CachedObject]) -> list[Obj]:
        """The PriorityClasses as dicts, each parsed once (shared: callers only read them)."""
        parsed = self._parsed_classes
        if len(parsed) > 2 * len(cached) + 16:
            parsed.clear()  # classes deleted or replaced since: forget them
        out = []
        for item in cached:
            known = parsed.get(id(item))
            if known is None or known[0] is not item:
                known = parsed[id(item)] = (item, item.obj())
            out.append(known[1])
        return out

    # DefaultStorageClass

    def _cached_objects(self, group: str, plural: str) -> list[Obj]:
        endpoint = self._endpoint(group, "v1", plural)
        return [] if endpoint is None else [c.obj() for c in endpoint.storage.cache.objects.values()]

    def _runtime_class(self, pod: Obj) -> None:
        """RuntimeClass: the class's pod overhead and scheduling constraints go into the pod."""
        spec = pod["spec"]
        wanted = spec.get("runtimeClassName")
        if not wanted:
            return
        name = pod["metadata"].get("name", "")
        found = next(
            (
                c
                for c in self._cached_objects("node.k8s.io", "runtimeclasses")
                if c["metadata"]["name"] == wanted
            ),
            None,
        )
        if found is None:
            raise errors.forbidden("pods", name, f'pod rejected: RuntimeClass "{wanted}" not found')
        overhead = (found.get("overhead") or {}).get("podFixed")
        if overhead:
            if spec.get("overhead") and spec["overhead"] != overhead:
                raise errors.forbidden(
                    "pods", name, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead"
                )
            spec["overhead"] = dict(overhead)
        scheduling = found.get("scheduling") or {}
        selector = spec.get("nodeSelector") or {}
        for key, value in (scheduling.get("nodeSelector") or {}).items():
            if key in selector and selector[key] != value:
                raise errors.forbidden(
                    "pods",
                    name,
                    f"conflict: runtimeClass.scheduling.nodeSelector[{key}] = {value}; "
                    f"pod.spec.nodeSelector[{key}] = {selector[key]}",
                )
            selector[key] = value
        if selector:
            spec["nodeSelector"] = selector
        tolerations = spec.get("tolerations") or []
        for toleration in scheduling.get("tolerations") or []:
            if toleration not in tolerations:
                tolerations.append(toleration)
        if tolerations:
            spec["tolerations"] = tolerations

    def _default_ingress_class(self, ingress: Obj) -> None:
        """DefaultIngressClass: an Ingress without a class gets the default IngressClass."""
        spec = ingress.setdefault("spec", {})
        annotations = ingress["metadata"].get("annotations") or {}
        if spec.get("ingressClassName") or "kubernetes.io/ingress.class" in annotations:
            return
        defaults = [
            c
            for c in self._cached_objects("networking.k8s.io", "ingressclasses")
            if (c["metadata"].get("annotations") or {}).get(DEFAULT_INGRESS_CLASS_ANNOTATION) == "true"
        ]
        if len(defaults) > 1:
            raise errors.forbidden(
                "ingresses",
                ingress["metadata"].get("name", ""),
                f"{len(defaults)} default IngressClasses were found, only 1 allowed",
                group="networking.k8s.io",
            )
        if defaults:
            spec["ingressClassName"] = defaults[0]["metadata"]["name"]

    def _claim_resize(self, claim: Obj, old: Obj) -> None:
        """PersistentVolumeClaimResize: a bound claim may grow only if its class allows expansion."""
        new_size = (((claim.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage")
        old_size = (((old.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage")
        if new_size is None or old_size is None or Quantity(new_size) <= Quantity(old_size):
            return
        if (old.get("status") or {}).get("phase") != "Bound":
            return  # validation refuses resizing an unbound claim
        class_name = (claim.get("spec") or {}).get("storageClassName", "")
        storage_class = next(
            (
                c
                for c in self._cached_objects("storage.k8s.io", "storageclasses")
                if c["metadata"]["name"] == class_name
            ),
            None,
        )
        if storage_class is None or not storage_class.get("allowVolumeExpansion"):
            raise errors.forbidden(
                "persistentvolumeclaims",
                claim["metadata"].get("name", ""),
                "only dynamically provisioned pvc can be resized and the storageclass that provisions "
                "the pvc must support resize",
            )

    def _default_storage_class(self, claim: Obj) -> None:
        spec = claim.setdefault("spec", {})
        if "storageClassName" in spec:
            return
        annotations = claim["metadata"].get("annotations") or {}
        if "volume.beta.kubernetes.io/storage-class" in annotations:
            return
        classes = self._endpoint("storage.k8s.io", "v1", "storageclasses")
        if classes is None:
            return
        defaults = [c.obj() for c in classes.storage.cache.objects.values()]
        defaults = [
            c
            for c in defaults
            if (c["metadata"].get("annotations") or {}).get(DEFAULT_CLASS_ANNOTATION) == "true"
        ]
        if defaults:
            newest = max(
                defaults, key=lambda c: (c["metadata"].get("creationTimestamp", ""), c["metadata"]["name"])
            )
            spec["storageClassName"] = newest["metadata"]["name"]

    # LimitRanger

    def _limit_ranges(self, namespace: str) -> list[dict[str, Any]]:
        ranges = self._endpoint("", "v1", "limitranges")
        if ranges is None:
            return []
        return [c.obj() for c in ranges.storage.cache.list(Filter(namespace=namespace))]

    def _limit_ranges_pod(self, pod: Obj) -> None:
        from pyk8s.apiserver.limits import apply_pod_limits

        ranges = self._limit_ranges(pod["metadata"].get("namespace", ""))
        if ranges:
            problems = apply_pod_limits(pod, ranges)
            if problems:
                raise errors.forbidden("pods", pod["metadata"].get("name", ""), _join(problems))

    def _limit_ranges_claim(self, claim: Obj) -> None:
        from pyk8s.apiserver.limits import check_claim_limits

        ranges = self._limit_ranges(claim["metadata"].get("namespace", ""))
        if ranges:
            problems = check_claim_limits(claim, ranges)
            if problems:
                raise errors.forbidden(
                    "persistentvolumeclaims", claim["metadata"].get("name", ""), _join(problems)
                )


def _add_finalizer(obj: Obj, finalizer: str) -> None:
    """StorageObjectInUseProtection: volumes and claims are held until nothing uses them (the
    protection controllers remove the finalizer)."""
    finalizers = obj["metadata"].setdefault("finalizers", [])
    if finalizer not in finalizers:
        finalizers.append(finalizer)


def _default_toleration_seconds(pod: Obj) -> None:
    """DefaultTolerationSeconds: pods tolerate a not-ready or unreachable node for 5 minutes
    before the node lifecycle controller evicts them."""
    tolerations = pod["spec"].get("tolerations") or []
    for key in (NOT_READY_TAINT, UNREACHABLE_TAINT):
        # as kube-apiserver's plugin: an empty key or effect matches too
        tolerated = any(
            t.get("key") in (None, "", key) and t.get("effect") in (None, "", "NoExecute")
            for t in tolerations
        )
        if not tolerated:
            tolerations.append(
                {
                    "key": key,
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": DEFAULT_TOLERATION_SECONDS,
                }
            )
    pod["spec"]["tolerations"] = tolerations


def _taint_new_node(node: Obj) -> None:
    """TaintNodesByCondition: a new node is not-ready until its agent reports Ready."""
    spec = node.setdefault("spec", {})
    taints = spec.get("taints") or []
    if not any(t.get("key") == NOT_READY_TAINT and t.get("effect") == "NoSchedule" for t in taints):
        taints.append({"key": NOT_READY_TAINT, "effect": "NoSchedule"})
    spec["taints"] = taints


def _join(problems: list[str]) -> str:
    return problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"


def kubernetes_service_ip(service_cidr: str = DEFAULT_SERVICE_CIDR) -> str:
    """The first host of the service range, which the `kubernetes` service always gets."""
    return str(ipaddress.ip_network(service_cidr).network_address + 1)
