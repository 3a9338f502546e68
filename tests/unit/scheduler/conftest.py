"""Builders for hand-made nodes and pods, and a scheduler with no API server behind it."""

from __future__ import annotations

import random
from typing import Any

import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.scheduler.framework import CycleState, Framework
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.scheduler import Scheduler

Obj = dict[str, Any]


def node_obj(
    name: str,
    *,
    cpu: str = "4",
    memory: str = "8Gi",
    pods: str = "110",
    labels: dict[str, str] | None = None,
    taints: list[Obj] | None = None,
    unschedulable: bool = False,
    images: list[Obj] | None = None,
    **allocatable: str,
) -> Obj:
    resources = {"cpu": cpu, "memory": memory, "pods": pods, **allocatable}
    spec: Obj = {}
    if taints:
        spec["taints"] = taints
    if unschedulable:
        spec["unschedulable"] = True
    status: Obj = {"capacity": resources, "allocatable": resources}
    if images:
        status["images"] = images
    return {
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, **(labels or {})}},
        "spec": spec,
        "status": status,
    }


def pod_obj(
    name: str,
    *,
    namespace: str = "default",
    cpu: str | None = "100m",
    memory: str | None = "128Mi",
    labels: dict[str, str] | None = None,
    node: str = "",
    priority: int | None = None,
    image: str = "registry.local/app:1",
    **spec: Any,
) -> Obj:
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    container: Obj = {"name": "app", "image": image}
    if requests:
        container["resources"] = {"requests": requests}
    body: Obj = {"containers": [container], **spec}
    if node:
        body["nodeName"] = node
    if priority is not None:
        body["priority"] = priority
    return {
        "metadata": {"name": name, "namespace": namespace, "uid": f"uid-{name}", "labels": labels or {}},
        "spec": body,
    }


def pod(name: str, **kwargs: Any) -> PodInfo:
    return PodInfo(pod_obj(name, **kwargs))


def node(name: str, *pods: PodInfo, **kwargs: Any) -> NodeInfo:
    info = NodeInfo(name, node_obj(name, **kwargs))
    for p in pods:
        info.add_pod(p.assumed_on(name))
    return info


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def scheduler(clock: FakeClock) -> Scheduler:
    """A scheduler with no client: its cache and queue are filled by hand."""
    return Scheduler(None, clock=clock, rng=random.Random(7))


@pytest.fixture
def fw(scheduler: Scheduler) -> Framework:
    return scheduler.frameworks["default-scheduler"]


def run_filters(fw: Framework, p: PodInfo, nodes: list[NodeInfo]) -> tuple[CycleState, dict[str, Any]]:
    """PreFilter then Filter on every node: the state and each node's status (None = fits)."""
    state = CycleState()
    _, status = fw.run_pre_filter(state, p, nodes)
    assert status is None, status
    return state, {n.name: fw.run_filter(state, p, n) for n in nodes}
