"""VolumeBinding basics: bound claims pin pods to their volume's nodes; unbound immediate
claims keep pods pending."""

from __future__ import annotations

from pyk8s.client.resources import PERSISTENTVOLUMECLAIMS, PERSISTENTVOLUMES

from .conftest import Cluster, StartScheduler


def _claim(name: str, volume: str = "") -> dict:
    spec: dict = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}},
        "storageClassName": "",
    }
    if volume:
        spec["volumeName"] = volume
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name}, "spec": spec}


def _volume_on(name: str, node: str) -> dict:
    term = {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "storageClassName": "",
            "local": {"path": "/mnt/disk"},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [term]}},
        },
    }


def _volumes(claim: str) -> list[dict]:
    return [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}]


async def test_a_bound_claim_pins_the_pod_to_its_volume_node(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    for i in range(3):
        await cluster.create_node(f"node-{i}")
    await cluster.client.create(PERSISTENTVOLUMES, _volume_on("local-1", "node-2"))
    await cluster.client.create(PERSISTENTVOLUMECLAIMS, _claim("data", volume="local-1"), namespace="default")
    await start_scheduler()
    await cluster.create_pod("db", volumes=_volumes("data"))
    assert await cluster.wait_bound("db") == "node-2"


async def test_missing_and_unbound_immediate_claims_keep_the_pod_pending(
    cluster: Cluster, start_scheduler: StartScheduler
) -> None:
    await cluster.create_node("node-0")
    await start_scheduler()
    await cluster.create_pod("orphan", volumes=_volumes("nowhere"))
    condition = await cluster.wait_unschedulable("orphan")
    assert condition["message"] == (
        '0/1 nodes are available: persistentvolumeclaim "nowhere" not found. '
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    )
    await cluster.client.create(PERSISTENTVOLUMECLAIMS, _claim("unbound"), namespace="default")
    await cluster.create_pod("waiting", volumes=_volumes("unbound"))
    condition = await cluster.wait_unschedulable("waiting")
    assert condition["message"] == (
        "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    )
