"""NodeResourcesBalancedAllocation: prefer nodes whose resources would be used evenly.

For each resource, the fraction requested (the pod's requests plus the node's, capped at 1)
of allocatable; the score is (1 - standard deviation of the fractions) x 100, so a node at
50% cpu and 50% memory beats one at 90% cpu and 10% memory. Best-effort pods (no
requests at all) are not scored, as in Kubernetes since 1.33: they would all pile onto the
same balanced node.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pyk8s.scheduler.framework import MAX_NODE_SCORE, CycleState
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.plugins.noderesources import (
    DEFAULT_RESOURCES,
    ResourceSpec,
    allocatable_and_requested,
    pod_score_requests,
)
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import SKIP, Status

if TYPE_CHECKING:
    from pyk8s.scheduler.framework import Framework

NAME = "NodeResourcesBalancedAllocation"
STATE_KEY = "PreScore" + NAME


def balanced_score(fractions: Sequence[float]) -> int:
    if len(fractions) == 2:
        std = abs(fractions[0] - fractions[1]) / 2
    elif len(fractions) > 2:
        mean = sum(fractions) / len(fractions)
        std = math.sqrt(sum((f - mean) ** 2 for f in fractions) / len(fractions))
    else:
        std = 0.0
    return int((1 - std) * MAX_NODE_SCORE)


class BalancedAllocation:
    name = NAME

    def __init__(
        self, fw: Framework | None = None, *, resources: Sequence[ResourceSpec] = DEFAULT_RESOURCES
    ) -> None:
        self.resources = tuple(resources)

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        requests = pod_score_requests(pod, self.resources, non_zero=False)
        if not any(requests):
            return SKIP
        state.write(STATE_KEY, requests)
        return None

    def score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        requests: list[int] = state.read(STATE_KEY)
        if self.resources == DEFAULT_RESOURCES:
            return self._score_cpu_memory(requests[0], requests[1], nodes)
        scores = []
        for node in nodes:
            fractions = []
            for spec, request in zip(self.resources, requests, strict=True):
                allocatable, requested = allocatable_and_requested(node, spec.name, request, non_zero=False)
                if allocatable:
                    fractions.append(min(requested / allocatable, 1.0))
            scores.append(balanced_score(fractions))
        return scores

    @staticmethod
    def _score_cpu_memory(pod_cpu: int, pod_mem: int, nodes: list[NodeInfo]) -> list[int]:
        """cpu and memory inlined (the default): runs for hundreds of nodes per pod."""
        scores = []
        append = scores.append
        for node in nodes:
            cap_cpu, cap_mem = node.alloc_cpu, node.alloc_memory
            if cap_cpu and cap_mem:
                f_cpu = (node.req_cpu + pod_cpu) / cap_cpu
                f_mem = (node.req_memory + pod_mem) / cap_mem
                if f_cpu > 1.0:
                    f_cpu = 1.0
                if f_mem > 1.0:
                    f_mem = 1.0
                diff = f_cpu - f_mem
                append(int((1 - (diff if diff >= 0 else -diff) / 2) * MAX_NODE_SCORE))
            else:
                append(MAX_NODE_SCORE)
        return scores

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        return None
