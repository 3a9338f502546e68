"""The scheduler binds pods through pods/binding and reports failures as Kubernetes does."""

from __future__ import annotations

from collections import Counter

from .conftest import Cluster, StartScheduler


async def test_pending_pods_get_bound_and_a_scheduled_event(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    for i in range(3):
        await cluster.create_node(f"node-{i}")
    await start_scheduler()
    for i in range(6):
        await cluster.create_pod(f"web-{i}")
    nodes = [await cluster.wait_bound(f"web-{i}") for i in range(6)]
    assert set(nodes) <= {"node-0", "node-1", "node-2"}
    assert max(Counter(nodes).values()) <= 3  # LeastAllocated spreads them
    pod = await cluster.pod("web-0")
    condition = next(c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled")
    assert condition["status"] == "True"
    (event,) = await cluster.events("web-0", "Scheduled")
    assert event["type"] == "Normal"
    assert event["message"] == f"Successfully assigned default/web-0 to {pod['spec']['nodeName']}"
    assert event["source"]["component"] == "default-scheduler"


async def test_node_selector_picks_the_labelled_node(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    await cluster.create_node("node-0")
    await cluster.create_node("node-1", labels={"disk": "ssd"})
    await cluster.create_node("node-2")
    await start_scheduler()
    for i in range(3):
        await cluster.create_pod(f"db-{i}", nodeSelector={"disk": "ssd"})
    assert {await cluster.wait_bound(f"db-{i}") for i in range(3)} == {"node-1"}


async def test_insufficient_resources_set_the_condition_and_event_then_a_new_node_fits(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    await cluster.create_node("node-0")
    await cluster.create_node("node-1", cpu="1", labels={"pool": "big"})
    await cluster.create_node("node-2", cpu="1", labels={"pool": "big"})
    await start_scheduler()
    await cluster.create_pod("big", cpu="2", nodeSelector={"pool": "big"})
    message = (
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    )
    condition = await cluster.wait_unschedulable("big")
    assert condition["reason"] == "Unschedulable"
    assert condition["message"] == message
    (event,) = await cluster.events("big", "FailedScheduling")
    assert event["type"] == "Warning"
    assert event["message"] == message
    assert event["source"]["component"] == "default-scheduler"
    # A node that fits is a cluster event NodeResourcesFit waits for: the pod is retried.
    await cluster.create_node("node-3", cpu="4", labels={"pool": "big"})
    assert await cluster.wait_bound("big") == "node-3"


async def test_taints_keep_pods_off_unless_tolerated(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    taint = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
    await cluster.create_node("gpu-0", taints=[taint], labels={"kind": "gpu"})
    await start_scheduler()
    await cluster.create_pod("plain")
    condition = await cluster.wait_unschedulable("plain")
    assert condition["message"] == (
        "0/1 nodes are available: 1 node(s) had untolerated taint(s). "
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    )
    toleration = {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}
    await cluster.create_pod("tolerant", tolerations=[toleration])
    assert await cluster.wait_bound("tolerant") == "gpu-0"
    await cluster.create_node("cpu-0")
    assert await cluster.wait_bound("plain") == "cpu-0"


async def test_cordoned_nodes_are_skipped(cluster: Cluster, start_scheduler: StartScheduler) -> None:
    await cluster.create_node("node-0", unschedulable=True)
    await cluster.create_node("node-1")
    await start_scheduler()
    for i in range(3):
        await cluster.create_pod(f"web-{i}")
    assert {await cluster.wait_bound(f"web-{i}") for i in range(3)} == {"node-1"}


async def test_required_anti_affinity_spreads_pods_one_per_node(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    for i in range(3):
        await cluster.create_node(f"node-{i}")
    await start_scheduler()
    anti = {
        "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "kubernetes.io/hostname"}
            ]
        }
    }
    for i in range(4):
        await cluster.create_pod(f"db-{i}", labels={"app": "db"}, affinity=anti)
    condition = await cluster.wait_unschedulable("db-3")
    bound = [(await cluster.pod(f"db-{i}"))["spec"].get("nodeName") for i in range(3)]
    assert sorted(bound) == ["node-0", "node-1", "node-2"]
    assert condition["message"] == (
        "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. "
        "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    )


async def test_pods_for_other_schedulers_are_left_alone(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    from pyk8s.scheduler import Profile

    await cluster.create_node("node-0")
    await start_scheduler(profiles=(Profile("packer", scoring_strategy="MostAllocated"),))
    await cluster.create_pod("theirs", schedulerName="someone-else")
    await cluster.create_pod("packed", schedulerName="packer")
    assert await cluster.wait_bound("packed") == "node-0"
    (event,) = await cluster.events("packed", "Scheduled")
    assert event["source"]["component"] == "packer"
    pod = await cluster.pod("theirs")
    assert not pod["spec"].get("nodeName")
    assert not pod["status"].get("conditions")
