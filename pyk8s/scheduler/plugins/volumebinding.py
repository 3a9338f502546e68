"""VolumeBinding (the basics): a pod's PersistentVolumeClaims must be bound, or bindable on
the node.

- PreFilter: every claim must exist and not be being deleted
  (`persistentvolumeclaim "x" not found`); an unbound claim whose StorageClass binds
  Immediately (or that has no class) must wait for the PV controller
  ("pod has unbound immediate PersistentVolumeClaims"), UnschedulableAndUnresolvable.
- Filter: a bound claim's PersistentVolume must exist and its node affinity must admit the
  node ("node(s) had volume node affinity conflict"); an unbound WaitForFirstConsumer
  claim needs an available PV that fits it on this node, or a class that provisions
  dynamically ("node(s) didn't find available persistent volumes to bind").
- PreBind: for each such claim, either claim the chosen PV (`spec.claimRef`) or mark the
  claim with `volume.kubernetes.io/selected-node` for the provisioner. Completing the bind
  is the PV controller's job; unlike kube-scheduler, the pod is bound without waiting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyk8s.api.errors import StatusError
from pyk8s.client.errors import ClientError
from pyk8s.client.resources import PERSISTENTVOLUMECLAIMS, PERSISTENTVOLUMES
from pyk8s.scheduler.events import NODE, PV, PVC, STORAGE_CLASS, Action, ClusterEvent
from pyk8s.scheduler.framework import CycleState, PreFilterResult
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo, resource_value
from pyk8s.scheduler.status import SKIP, Code, Status
from pyk8s.scheduler.terms import NodeSelector

if TYPE_CHECKING:
    from pyk8s.scheduler.framework import Framework

Obj = dict[str, Any]
NAME = "VolumeBinding"
REASON_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict"
REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
REASON_PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
STATE_KEY = "PreFilter" + NAME
SELECTED_NODE = "volume.kubernetes.io/selected-node"
NO_PROVISIONER = "kubernetes.io/no-provisioner"
WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer"


def _unresolvable(*reasons: str) -> Status:
    return Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, *reasons, plugin=NAME)


def pv_fits_node(pv: Obj, node: NodeInfo) -> bool:
    required = ((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required")
    return required is None or NodeSelector.compile(required).matches(node.labels, node.name)


def pv_fits_claim(pv: Obj, claim: Obj) -> bool:
    """Whether an available PV can satisfy a claim: class, mode, access modes and size."""
    spec, claim_spec = pv.get("spec") or {}, claim.get("spec") or {}
    ref = spec.get("claimRef")
    meta = claim.get("metadata") or {}
    if ref and (ref.get("name"), ref.get("namespace")) != (meta.get("name"), meta.get("namespace")):
        return False
    if (pv.get("status") or {}).get("phase") not in (None, "Available", "Pending"):
        return False
    if (spec.get("storageClassName") or "") != (claim_spec.get("storageClassName") or ""):
        return False
    if (spec.get("volumeMode") or "Filesystem") != (claim_spec.get("volumeMode") or "Filesystem"):
        return False
    if not set(claim_spec.get("accessModes") or ()) <= set(spec.get("accessModes") or ()):
        return False
    wanted = ((claim_spec.get("resources") or {}).get("requests") or {}).get("storage", 0)
    have = (spec.get("capacity") or {}).get("storage", 0)
    return resource_value("storage", have) >= resource_value("storage", wanted)


class ClaimsState:
    """The pod's claims, sorted out in PreFilter."""

    def __init__(self) -> None:
        self.bound: list[tuple[Obj, str]] = []  # (claim, volume name)
        self.delayed: list[tuple[Obj, Obj | None]] = []  # (claim, its StorageClass)
        self.chosen: dict[str, Obj | None] = {}  # claim key -> PV picked in Reserve (None: provision)

    def clone(self) -> ClaimsState:
        return self  # read-only after PreFilter


class VolumeBinding:
    name = NAME

    def __init__(self, fw: Framework) -> None:
        self.fw = fw

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[PreFilterResult | None, Status | None]:
        if not pod.claims:
            return None, SKIP
        listers = self.fw.listers
        cs = ClaimsState()
        for name in pod.claims:
            claim = listers.persistent_volume_claims.get(f"{pod.namespace}/{name}")
            if claim is None:
                return None, _unresolvable(f'persistentvolumeclaim "{name}" not found')
            if (claim.get("metadata") or {}).get("deletionTimestamp"):
                return None, _unresolvable(f'persistentvolumeclaim "{name}" is being deleted')
            spec = claim.get("spec") or {}
            if spec.get("volumeName"):
                cs.bound.append((claim, spec["volumeName"]))
                continue
            storage_class = listers.storage_classes.get(spec.get("storageClassName") or "")
            if storage_class is None or storage_class.get("volumeBindingMode") != WAIT_FOR_FIRST_CONSUMER:
                return None, _unresolvable(REASON_UNBOUND_IMMEDIATE)
            cs.delayed.append((claim, storage_class))
        state.write(STATE_KEY, cs)
        return None, None

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        cs: ClaimsState = state.read(STATE_KEY)
        reasons = []
        volumes = self.fw.listers.persistent_volumes
        for _claim, volume_name in cs.bound:
            pv = volumes.get(volume_name)
            if pv is None:
                return _unresolvable(REASON_PV_NOT_EXIST)
            if not pv_fits_node(pv, node):
                reasons.append(REASON_NODE_CONFLICT)
                break
        if cs.delayed and self._find_volumes(cs, node) is None:
            reasons.append(REASON_BIND_CONFLICT)
        return _unresolvable(*reasons) if reasons else None

    def _find_volumes(self, cs: ClaimsState, node: NodeInfo) -> dict[str, Obj | None] | None:
        """A PV (or None: provision one) for every delayed claim on `node`; None if impossible."""
        taken: set[str] = set()
        found: dict[str, Obj | None] = {}
        # The smallest volume that fits, as the PV controller would pick.
        candidates = sorted(
            (pv for pv in self.fw.listers.persistent_volumes.list() if pv_fits_node(pv, node)),
            key=lambda pv: resource_value(
                "storage", ((pv.get("spec") or {}).get("capacity") or {}).get("storage", 0)
            ),
        )
        for claim, storage_class in cs.delayed:
            meta = claim.get("metadata") or {}
            key = f"{meta.get('namespace')}/{meta.get('name')}"
            pv = next(
                (p for p in candidates if p["metadata"]["name"] not in taken and pv_fits_claim(p, claim)),
                None,
            )
            if pv is not None:
                taken.add(pv["metadata"]["name"])
                found[key] = pv
            elif (storage_class or {}).get("provisioner", NO_PROVISIONER) != NO_PROVISIONER:
                found[key] = None
            else:
                return None
        return found

    def reserve(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        cs: ClaimsState | None = state.read(STATE_KEY)
        node = self.fw.cache.get(node_name)
        if cs is None or not cs.delayed or node is None:
            return None
        found = self._find_volumes(cs, node)
        if found is None:
            return _unresolvable(REASON_BIND_CONFLICT)
        cs.chosen = found
        return None

    def unreserve(self, state: CycleState, pod: PodInfo, node_name: str) -> None:
        cs: ClaimsState | None = state.read(STATE_KEY)
        if cs is not None:
            cs.chosen = {}

    async def pre_bind(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None:
        cs: ClaimsState | None = state.read(STATE_KEY)
        client = self.fw.client
        if cs is None or not cs.chosen or client is None:
            return None
        try:
            for claim, _ in cs.delayed:
                meta = claim["metadata"]
                pv = cs.chosen.get(f"{meta['namespace']}/{meta['name']}")
                if pv is None:
                    patch = {"metadata": {"annotations": {SELECTED_NODE: node_name}}}
                    await client.patch(
                        PERSISTENTVOLUMECLAIMS, meta["name"], patch, namespace=meta["namespace"]
                    )
                else:
                    ref = {
                        "kind": "PersistentVolumeClaim",
                        "apiVersion": "v1",
                        "namespace": meta["namespace"],
                        "name": meta["name"],
                        "uid": meta.get("uid", ""),
                    }
                    await client.patch(PERSISTENTVOLUMES, pv["metadata"]["name"], {"spec": {"claimRef": ref}})
        except (StatusError, ClientError) as err:
            return Status(Code.ERROR, f"binding volumes: {err}", plugin=NAME)
        return None

    def events_to_register(self) -> list[ClusterEvent]:
        return [
            ClusterEvent(PVC, Action.ADD | Action.UPDATE_OTHER),
            ClusterEvent(PV, Action.ADD | Action.UPDATE_OTHER),
            ClusterEvent(STORAGE_CLASS, Action.ADD | Action.UPDATE_OTHER),
            ClusterEvent(NODE, Action.ADD | Action.UPDATE_NODE_LABEL),
        ]
