"""The ReplicaSet controller end to end: a real API server, the controller manager, fake
nodes, and the real kubectl."""

from __future__ import annotations

import json
from typing import Any

from pyk8s.client import Client
from pyk8s.client.resources import CONFIGMAPS, EVENTS, PODS, REPLICASETS, RESOURCEQUOTAS
from pyk8s.controllers.manager import ControllerManager
from pyk8s.testing.nodes import FakeNodes

from .conftest import Kubectl, StartManager, eventually


def replicaset(name: str, replicas: int, *, app: str | None = None, min_ready: int = 0) -> dict[str, Any]:
    labels = {"app": app or name}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "minReadySeconds": min_ready,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
        },
    }


async def owned_pods(client: Client, rs: dict[str, Any]) -> list[dict[str, Any]]:
    pods = (await client.list(PODS, namespace="default"))["items"]
    uid = rs["metadata"]["uid"]
    return [
        p
        for p in pods
        if any(
            r.get("uid") == uid and r.get("controller") for r in p["metadata"].get("ownerReferences") or []
        )
        and not p["metadata"].get("deletionTimestamp")
    ]


async def ready(client: Client, name: str, replicas: int) -> dict[str, Any] | None:
    rs = await client.get(REPLICASETS, name, namespace="default")
    status = rs.get("status") or {}
    done = (
        status.get("replicas") == replicas
        and status.get("readyReplicas", 0) == replicas
        and status.get("observedGeneration") == rs["metadata"]["generation"]
        and len(await owned_pods(client, rs)) == replicas
    )
    return rs if done else None


async def test_create_scale_and_heal(
    client: Client, kubectl: Kubectl, manager: ControllerManager, nodes: FakeNodes
) -> None:
    await kubectl.run("create", "-f", "-", input=json.dumps(replicaset("web", 3)))
    rs = await eventually(lambda: ready(client, "web", 3))
    pods = await owned_pods(client, rs)
    ref = pods[0]["metadata"]["ownerReferences"][0]
    assert ref == {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": "web",
        "uid": rs["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }
    assert all(p["metadata"]["generateName"] == "web-" and p["spec"]["nodeName"] for p in pods)
    assert rs["status"]["availableReplicas"] == 3 and rs["status"]["fullyLabeledReplicas"] == 3

    await kubectl.run("scale", "rs", "web", "--replicas=5")
    rs = await eventually(lambda: ready(client, "web", 5))
    table = (await kubectl.run("get", "rs", "web")).split("\n")
    assert table[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    assert table[1].split()[:4] == ["web", "5", "5", "5"]
    wide = (await kubectl.run("get", "rs", "web", "-o", "wide")).split("\n")
    assert wide[0].split()[5:] == ["CONTAINERS", "IMAGES", "SELECTOR"]
    assert wide[1].split()[5:] == ["web", "nginx:1.27", "app=web"]

    victim = (await owned_pods(client, rs))[0]["metadata"]["name"]
    await client.delete(PODS, victim, namespace="default")  # self-healing
    rs = await eventually(lambda: ready(client, "web", 5))
    assert victim not in [p["metadata"]["name"] for p in await owned_pods(client, rs)]

    pods = await owned_pods(client, rs)
    not_ready = sorted(p["metadata"]["name"] for p in pods[:2])
    for name in not_ready:
        nodes.set_ready("default", name, False)

    async def two_not_ready() -> bool:
        current = await client.get(REPLICASETS, "web", namespace="default")
        return current["status"].get("readyReplicas") == 3

    await eventually(two_not_ready)
    await kubectl.run("scale", "rs", "web", "--replicas=2")
    rs = await eventually(lambda: ready(client, "web", 2))
    remaining = [p["metadata"]["name"] for p in await owned_pods(client, rs)]
    assert not set(remaining) & set(not_ready)  # not-ready pods are deleted first

    events = (await client.list(EVENTS, namespace="default", field_selector={"involvedObject.name": "web"}))[
        "items"
    ]
    reasons = {e["reason"] for e in events}
    assert {"SuccessfulCreate", "SuccessfulDelete"} <= reasons
    assert all(e["source"]["component"] == "replicaset-controller" for e in events)
    assert sum(e.get("count", 1) for e in events if e["reason"] == "SuccessfulDelete") == 3  # 5 -> 2
    described = await kubectl.run("describe", "rs", "web")
    assert "SuccessfulCreate" in described and "Created pod: web-" in described


async def test_orphans_are_adopted_and_mismatching_pods_released(
    client: Client, manager: ControllerManager, nodes: FakeNodes
) -> None:
    orphan = {
        "metadata": {"name": "orphan", "namespace": "default", "labels": {"app": "adopt"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }
    await client.create(PODS, orphan)
    rs = await client.create(REPLICASETS, replicaset("adopter", 2, app="adopt"))
    rs = await eventually(lambda: ready(client, "adopter", 2))
    names = sorted(p["metadata"]["name"] for p in await owned_pods(client, rs))
    assert "orphan" in names  # adopted: only one new pod was created
    adopted = await client.get(PODS, "orphan", namespace="default")
    assert adopted["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]

    await client.patch(PODS, "orphan", {"metadata": {"labels": {"app": "elsewhere"}}}, namespace="default")

    async def released() -> bool:
        pod = await client.get(PODS, "orphan", namespace="default")
        return not pod["metadata"].get("ownerReferences")

    await eventually(released)
    rs = await eventually(lambda: ready(client, "adopter", 2))  # and replaced
    assert "orphan" not in [p["metadata"]["name"] for p in await owned_pods(client, rs)]

    # a pod another controller owns is never adopted (its owner exists: the garbage
    # collector deletes dependents of missing owners)
    owner = await client.create(CONFIGMAPS, {"metadata": {"name": "owner", "namespace": "default"}})
    ref = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "name": "owner",
        "uid": owner["metadata"]["uid"],
        "controller": True,
    }
    foreign = {
        "metadata": {
            "name": "foreign",
            "namespace": "default",
            "labels": {"app": "adopt"},
            "ownerReferences": [ref],
        },
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }
    await client.create(PODS, foreign)
    rs = await eventually(lambda: ready(client, "adopter", 2))
    pod = await client.get(PODS, "foreign", namespace="default")
    assert pod["metadata"]["ownerReferences"] == [ref]


async def test_a_quota_failure_sets_replica_failure_until_it_clears(
    client: Client, manager: ControllerManager, nodes: FakeNodes
) -> None:
    quota = {"metadata": {"name": "pods", "namespace": "default"}, "spec": {"hard": {"pods": "1"}}}
    await client.create(RESOURCEQUOTAS, quota)
    await client.create(REPLICASETS, replicaset("capped", 3))

    async def failing() -> dict[str, Any] | None:
        rs = await client.get(REPLICASETS, "capped", namespace="default")
        conditions = (rs.get("status") or {}).get("conditions") or []
        return next((c for c in conditions if c["type"] == "ReplicaFailure"), None)

    condition = await eventually(failing)
    assert condition["status"] == "True" and condition["reason"] == "FailedCreate"
    assert "exceeded quota" in condition["message"]
    events = (
        await client.list(EVENTS, namespace="default", field_selector={"involvedObject.name": "capped"})
    )["items"]
    failed = [e for e in events if e["reason"] == "FailedCreate"]
    assert failed and failed[0]["type"] == "Warning" and failed[0]["message"].startswith("Error creating: ")

    await client.delete(RESOURCEQUOTAS, "pods", namespace="default")
    rs = await eventually(lambda: ready(client, "capped", 3), timeout=30)
    assert not (rs["status"].get("conditions") or [])


async def test_deleting_a_replicaset_leaves_its_pods_to_the_garbage_collector(
    client: Client, start_manager: StartManager, nodes: FakeNodes
) -> None:
    manager = (await start_manager(controllers=["replicaset"])).manager  # no garbage collector
    rs = await client.create(REPLICASETS, replicaset("short", 2))
    await eventually(lambda: ready(client, "short", 2))
    await client.delete(REPLICASETS, "short", namespace="default", propagation_policy="Orphan")

    async def settled() -> bool:
        return manager.is_idle()

    await eventually(settled)
    pods = (await client.list(PODS, namespace="default", label_selector={"app": "short"}))["items"]
    assert len(pods) == 2  # the controller never deletes pods of a deleted ReplicaSet
    assert all(p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"] for p in pods)
