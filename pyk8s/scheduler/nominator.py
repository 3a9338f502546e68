"""Nominated pods: pods that preemption promised a node to, before they run there.

While a preemptor waits for its victims to go, other pods must not take the room it was
promised: filters count the pods nominated to a node (of at least the incoming pod's
priority) as if they were already there. A nomination comes from the pod's
`status.nominatedNodeName`, or from the scheduler itself (which knows before the status
write has come back through the watch), and ends when the pod is bound or deleted.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyk8s.scheduler.podinfo import PodInfo


class Nominator:
    """Pods by the node they are nominated to."""

    def __init__(self) -> None:
        self._node_of: dict[str, str] = {}  # pod key -> node
        self._pods: dict[str, dict[str, PodInfo]] = {}  # node -> pod key -> pod

    def __len__(self) -> int:
        return len(self._node_of)

    def nominated_pods_for_node(self, node: str) -> list[PodInfo]:
        pods = self._pods.get(node)
        return list(pods.values()) if pods else []

    def nodes_with_nominated_pods(self) -> Mapping[str, object]:
        """The nodes that have nominated pods (for a quick membership test)."""
        return self._pods

    def nominated_node(self, key: str) -> str:
        return self._node_of.get(key, "")

    def add(self, pod: PodInfo, node: str = "") -> None:
        """Nominate `pod` to `node` (default: its status.nominatedNodeName)."""
        self.delete(pod.key)
        node = node or pod.nominated_node_name
        if not node or pod.node_name:
            return
        self._node_of[pod.key] = node
        self._pods.setdefault(node, {})[pod.key] = pod

    def update(self, old: PodInfo | None, new: PodInfo) -> None:
        """A new version of a nominated pod. A nomination the scheduler made keeps holding
        until the pod's status names one (the status write may not have come back yet)."""
        keep = ""
        if (old is None or not old.nominated_node_name) and not new.nominated_node_name:
            keep = self._node_of.get(new.key, "")
        self.add(new, keep)

    def delete(self, key: str) -> None:
        node = self._node_of.pop(key, None)
        if node is None:
            return
        pods = self._pods.get(node)
        if pods is not None:
            pods.pop(key, None)
            if not pods:
                del self._pods[node]
