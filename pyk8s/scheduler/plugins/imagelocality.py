"""ImageLocality: nodes that already hold the pod's images score higher, weighted by image
size and by how widely the image is spread (an image on every node says little)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyk8s.scheduler.framework import MAX_NODE_SCORE, CycleState
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.status import SKIP, Status

if TYPE_CHECKING:
    from pyk8s.scheduler.framework import Framework

NAME = "ImageLocality"
MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB  # below this, an image is cheap to pull anyway
MAX_CONTAINER_THRESHOLD = 1000 * MB


def calculate_priority(sum_scores: int, num_containers: int) -> int:
    max_threshold = MAX_CONTAINER_THRESHOLD * num_containers
    sum_scores = min(max(sum_scores, MIN_THRESHOLD), max_threshold)
    return MAX_NODE_SCORE * (sum_scores - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)


class ImageLocality:
    name = NAME

    def __init__(self, fw: Framework) -> None:
        self.fw = fw

    def pre_score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> Status | None:
        image_nodes = self.fw.cache.image_nodes
        if not any(image in image_nodes for image in pod.images):
            return SKIP  # no node has any of them: every node scores 0
        return None

    def score(self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]) -> list[int]:
        cache = self.fw.cache
        total = max(cache.num_nodes, 1)
        spread = {image: cache.image_nodes.get(image, 0) / total for image in pod.images}
        count = len(pod.images)
        scores = []
        for node in nodes:
            held = node.images
            summed = sum(int(held[image] * spread[image]) for image in pod.images if image in held)
            scores.append(calculate_priority(summed, count))
        return scores

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None:
        return None
