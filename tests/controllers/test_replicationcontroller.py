"""ReplicationControllers run through the same controller as ReplicaSets."""

from __future__ import annotations

import json
from typing import Any

from pyk8s.client import Client
from pyk8s.client.resources import EVENTS, PODS, REPLICATIONCONTROLLERS
from pyk8s.controllers.manager import ControllerManager
from pyk8s.testing.nodes import FakeNodes

from .conftest import Kubectl, eventually

RC = {
    "apiVersion": "v1",
    "kind": "ReplicationController",
    "metadata": {"name": "legacy", "namespace": "default"},
    "spec": {
        "replicas": 2,
        "selector": {"app": "legacy"},
        "template": {
            "metadata": {"labels": {"app": "legacy", "tier": "backend"}},
            "spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]},
        },
    },
}


async def rc_ready(client: Client, replicas: int) -> dict[str, Any] | None:
    rc = await client.get(REPLICATIONCONTROLLERS, "legacy", namespace="default")
    status = rc.get("status") or {}
    pods = (await client.list(PODS, namespace="default", label_selector={"app": "legacy"}))["items"]
    live = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
    if (
        status.get("replicas") == replicas
        and status.get("readyReplicas") == replicas
        and status.get("observedGeneration") == rc["metadata"]["generation"]
        and len(live) == replicas
    ):
        return rc
    return None


async def test_replication_controller_lifecycle(
    client: Client, kubectl: Kubectl, manager: ControllerManager, nodes: FakeNodes
) -> None:
    await kubectl.run("create", "-f", "-", input=json.dumps(RC))
    rc = await eventually(lambda: rc_ready(client, 2))
    assert rc["status"]["fullyLabeledReplicas"] == 2 and rc["status"]["availableReplicas"] == 2
    assert "terminatingReplicas" not in rc["status"]
    pods = (await client.list(PODS, namespace="default", label_selector={"app": "legacy"}))["items"]
    ref = pods[0]["metadata"]["ownerReferences"][0]
    assert (ref["apiVersion"], ref["kind"], ref["name"]) == ("v1", "ReplicationController", "legacy")

    await kubectl.run("scale", "rc", "legacy", "--replicas=4")
    await eventually(lambda: rc_ready(client, 4))
    table = (await kubectl.run("get", "rc", "legacy")).split("\n")
    assert table[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    assert table[1].split()[:4] == ["legacy", "4", "4", "4"]

    await client.delete(PODS, pods[0]["metadata"]["name"], namespace="default")
    await eventually(lambda: rc_ready(client, 4))

    await kubectl.run("scale", "rc", "legacy", "--replicas=1")
    await eventually(lambda: rc_ready(client, 1))
    events = (
        await client.list(EVENTS, namespace="default", field_selector={"involvedObject.name": "legacy"})
    )["items"]
    assert {e["source"]["component"] for e in events} == {"replication-controller"}
    assert {"SuccessfulCreate", "SuccessfulDelete"} <= {e["reason"] for e in events}
