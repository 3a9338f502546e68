"""The scheduler's cache: every node and the pods assigned to it, including "assumed" pods.

When the scheduler picks a node it *assumes* the pod there at once, before the binding
request is even sent, so the next scheduling cycle already counts its resources: throughput
never waits for the API round trip or for the watch to report the binding.

    assume_pod ──► (binding succeeds) ──► add_pod from the informer: confirmed
        │                                     (the informer's version replaces the assumed
        │                                      one, on whatever node it names)
        └──────► (binding fails) ──► forget_pod: resources released

Assumed pods do not expire: a binding either succeeds (and the watch confirms it) or fails
(and the pod is forgotten), and a pod deleted meanwhile is removed by its delete event.

Nodes are listed in kube-scheduler's node-tree order: round robin over zones
(`topology.kubernetes.io/region` + `zone`), so when only a percentage of the nodes is
examined, every zone is represented.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo

log = logging.getLogger("pyk8s.scheduler.cache")

Obj = dict[str, Any]
ZONE_LABEL = "topology.kubernetes.io/zone"
REGION_LABEL = "topology.kubernetes.io/region"


def zone_key(node: NodeInfo) -> str:
    labels = node.labels
    region, zone = labels.get(REGION_LABEL, ""), labels.get(ZONE_LABEL, "")
    return f"{region}:\x00:{zone}" if region or zone else ""


class Cache:
    """NodeInfos by name, where each pod is, and which pods are only assumed."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeInfo] = {}
        self.pods: dict[str, PodInfo] = {}  # key -> the version placed on its node
        self.assumed: set[str] = set()
        self.image_nodes: Counter[str] = Counter()  # image name -> nodes holding it
        self.nodes_with_prefer_taints = 0
        self.nodes_with_affinity_pods: set[str] = set()
        self.nodes_with_required_anti_affinity_pods: set[str] = set()
        self._node_list: list[NodeInfo] | None = None

    # nodes

    def add_node(self, node: Obj) -> NodeInfo:
        name = (node.get("metadata") or {}).get("name") or ""
        info = self.nodes.get(name)
        if info is None:
            info = self.nodes[name] = NodeInfo(name)
        was_listed, old_zone = info.node is not None, zone_key(info)
        self._forget_node_facts(info)
        info.set_node(node)
        self._remember_node_facts(info)
        if not was_listed or zone_key(info) != old_zone:
            self._node_list = None  # status heartbeats keep the order (and cost nothing)
        return info

    update_node = add_node

    def remove_node(self, name: str) -> None:
        info = self.nodes.get(name)
        if info is None:
            return
        self._forget_node_facts(info)
        info.node = None
        if not info.pods:
            del self.nodes[name]
        self._node_list = None

    def _forget_node_facts(self, info: NodeInfo) -> None:
        if info.node is None:
            return
        self.image_nodes.subtract(info.images.keys())
        for image in list(info.images):
            if self.image_nodes[image] <= 0:
                del self.image_nodes[image]
        if info.prefer_taints:
            self.nodes_with_prefer_taints -= 1

    def _remember_node_facts(self, info: NodeInfo) -> None:
        self.image_nodes.update(info.images.keys())
        if info.prefer_taints:
            self.nodes_with_prefer_taints += 1

    def get(self, name: str) -> NodeInfo | None:
        info = self.nodes.get(name)
        return info if info is not None and info.node is not None else None

    def node_list(self) -> list[NodeInfo]:
        """Nodes (with a Node object) in node-tree order: zones interleaved."""
        if self._node_list is None:
            zones: dict[str, list[NodeInfo]] = {}
            for info in self.nodes.values():
                if info.node is not None:
                    zones.setdefault(zone_key(info), []).append(info)
            if len(zones) <= 1:
                self._node_list = next(iter(zones.values()), [])
            else:
                ordered: list[NodeInfo] = []
                columns = list(zones.values())
                for i in range(max(len(c) for c in columns)):
                    ordered.extend(c[i] for c in columns if i < len(c))
                self._node_list = ordered
        return self._node_list

    @property
    def num_nodes(self) -> int:
        return len(self.node_list())

    # pods

    def assume_pod(self, pod: PodInfo) -> None:
        """Place `pod` (a PodInfo with node_name set) on its node before it is bound."""
        if pod.key in self.pods:
            raise ValueError(f"pod {pod.key} is already in the cache")
        self._place(pod)
        self.assumed.add(pod.key)

    def forget_pod(self, key: str) -> None:
        """Undo assume_pod (the binding failed)."""
        if key in self.assumed:
            self.assumed.discard(key)
            self._unplace(key)

    def is_assumed(self, key: str) -> bool:
        return key in self.assumed

    def add_pod(self, pod: PodInfo) -> None:
        """An assigned pod seen by the informer (confirms an assumed one)."""
        if pod.key in self.pods:
            self._unplace(pod.key)
        self.assumed.discard(pod.key)
        self._place(pod)

    def update_pod(self, pod: PodInfo) -> None:
        self.add_pod(pod)

    def remove_pod(self, key: str) -> PodInfo | None:
        self.assumed.discard(key)
        return self._unplace(key)

    def get_pod(self, key: str) -> PodInfo | None:
        return self.pods.get(key)

    def _place(self, pod: PodInfo) -> None:
        info = self.nodes.get(pod.node_name)
        if info is None:
            # The pod names a node the cache has not seen (yet): keep a placeholder.
            info = self.nodes[pod.node_name] = NodeInfo(pod.node_name)
        info.add_pod(pod)
        self.pods[pod.key] = pod
        self._track_affinity(info)

    def _unplace(self, key: str) -> PodInfo | None:
        pod = self.pods.pop(key, None)
        if pod is None:
            return None
        info = self.nodes.get(pod.node_name)
        if info is not None:
            info.remove_pod(key)
            self._track_affinity(info)
            if info.node is None and not info.pods:
                del self.nodes[info.name]
        return pod

    def _track_affinity(self, info: NodeInfo) -> None:
        if info.pods_with_affinity:
            self.nodes_with_affinity_pods.add(info.name)
        else:
            self.nodes_with_affinity_pods.discard(info.name)
        if info.pods_with_required_anti_affinity:
            self.nodes_with_required_anti_affinity_pods.add(info.name)
        else:
            self.nodes_with_required_anti_affinity_pods.discard(info.name)

    def metrics(self) -> dict[str, int]:
        return {"nodes": self.num_nodes, "pods": len(self.pods), "assumed_pods": len(self.assumed)}
