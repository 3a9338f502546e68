"""The local-path provisioner with the PV binder (and the protection controllers that
release deleted claims and volumes) in a controller manager, against an
in-process API server, with fake nodes whose helper pods the test finishes: the default
class, Immediate binding, failed helpers retried, and deletion of released volumes. (The
kubectl suites run it with real nodes and WaitForFirstConsumer.)"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from pyk8s.api.errors import NotFoundError
from pyk8s.apiserver.app import ApiServerConfig, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import EVENTS, PERSISTENTVOLUMECLAIMS, PERSISTENTVOLUMES, PODS, STORAGECLASSES
from pyk8s.controllers.localpath import provisioning as lp
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig
from pyk8s.testing.nodes import FakeNodes

Obj = dict[str, Any]
NS = "default"


@pytest.fixture
async def cluster(tmp_path: Path) -> AsyncIterator[tuple[Client, FakeNodes]]:
    running = await start_apiserver(
        ApiServerConfig(data_dir=tmp_path / "api", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    )
    client = Client.from_kubeconfig(running.kubeconfig)
    manager = ControllerManager(
        ControllerManagerConfig(
            kubeconfig=running.kubeconfig,
            controllers=(
                "local-path-provisioner",
                "persistentvolume-binder",
                "pvc-protection",
                "pv-protection",
            ),
            leader_elect=False,
        )
    )
    stop = asyncio.Event()
    task = asyncio.create_task(manager.run(stop))
    nodes = FakeNodes(client, nodes=("node-b", "node-a"))
    await nodes.start()
    try:
        yield client, nodes
    finally:
        await nodes.stop()
        stop.set()
        await asyncio.gather(task, return_exceptions=True)
        await client.aclose()
        await running.stop()


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        assert asyncio.get_running_loop().time() < deadline, "never happened"
        await asyncio.sleep(0.05)


async def get_or_none(client: Client, resource: Any, name: str, namespace: str | None = None) -> Obj | None:
    try:
        return await client.get(resource, name, namespace=namespace)
    except NotFoundError:
        return None


def claim(name: str, cls: str | None = None) -> Obj:
    spec: Obj = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if cls is not None:
        spec["storageClassName"] = cls
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name}, "spec": spec}


async def finish_helper(
    client: Client, nodes: FakeNodes, action: str, volume: str, *, ok: bool = True
) -> None:
    name = lp.helper_name(action, volume)
    await eventually(lambda: get_or_none(client, PODS, name, lp.HELPER_NAMESPACE))
    await nodes.complete(lp.HELPER_NAMESPACE, name, succeeded=ok)


async def test_an_immediate_claim_gets_a_volume_on_the_first_node_and_loses_it_when_deleted(
    cluster: tuple[Client, FakeNodes],
) -> None:
    client, nodes = cluster
    default = await eventually(lambda: get_or_none(client, STORAGECLASSES, "local-path"))
    assert lp.is_default_class(default) and default["volumeBindingMode"] == "WaitForFirstConsumer"
    immediate = {
        **lp.storage_class(default=False),
        "metadata": {"name": "fast"},
        "volumeBindingMode": "Immediate",
    }
    await client.create(STORAGECLASSES, immediate)
    created = await client.create(PERSISTENTVOLUMECLAIMS, claim("data", "fast"), namespace=NS)
    volume = f"pvc-{created['metadata']['uid']}"
    helper = await eventually(
        lambda: get_or_none(client, PODS, lp.helper_name("create", volume), lp.HELPER_NAMESPACE)
    )
    assert helper["spec"]["nodeName"] == "node-a"  # Ready nodes by name
    await finish_helper(client, nodes, "create", volume, ok=False)  # reported, then tried again

    async def failure_reported() -> bool:
        events = await client.list(EVENTS, namespace=NS)
        return any(e["reason"] == "ProvisioningFailed" for e in events["items"])

    await eventually(failure_reported)
    await finish_helper(client, nodes, "create", volume)

    async def bound() -> Obj | None:
        current = await client.get(PERSISTENTVOLUMECLAIMS, "data", namespace=NS)
        return current if (current.get("status") or {}).get("phase") == "Bound" else None

    assert (await eventually(bound))["spec"]["volumeName"] == volume
    pv = await client.get(PERSISTENTVOLUMES, volume)
    assert pv["spec"]["hostPath"]["path"] == f"{lp.DEFAULT_ROOT}/{volume}_{NS}_data"  # fake nodes: no root
    await eventually(lambda: _gone(client, PODS, lp.helper_name("create", volume), lp.HELPER_NAMESPACE))
    await client.delete(PERSISTENTVOLUMECLAIMS, "data", namespace=NS)
    delete_helper = await eventually(
        lambda: get_or_none(client, PODS, lp.helper_name("delete", volume), lp.HELPER_NAMESPACE)
    )
    assert (
        delete_helper["spec"]["containers"][0]["command"][2]
        == f'rm -rf -- "${{PYK8S_ROOT}}/data/{volume}_{NS}_data"'
    )
    assert (
        await get_or_none(client, PERSISTENTVOLUMES, volume) is not None
    )  # kept until the directory is gone
    await finish_helper(client, nodes, "delete", volume)
    await eventually(lambda: _gone(client, PERSISTENTVOLUMES, volume))
    await eventually(lambda: _gone(client, PODS, lp.helper_name("delete", volume), lp.HELPER_NAMESPACE))


async def test_claims_without_a_class_get_the_default_and_wait_for_a_node(
    cluster: tuple[Client, FakeNodes],
) -> None:
    client, _ = cluster
    await eventually(lambda: get_or_none(client, STORAGECLASSES, "local-path"))
    created = await client.create(PERSISTENTVOLUMECLAIMS, claim("later"), namespace=NS)
    assert created["spec"]["storageClassName"] == "local-path"  # the default class admission
    volume = f"pvc-{created['metadata']['uid']}"
    await asyncio.sleep(1)  # a few reconciles: nothing may happen without a selected node
    assert await get_or_none(client, PODS, lp.helper_name("create", volume), lp.HELPER_NAMESPACE) is None
    patch = {"metadata": {"annotations": {lp.SELECTED_NODE: "node-b"}}}
    await client.patch(PERSISTENTVOLUMECLAIMS, "later", patch, namespace=NS)
    helper = await eventually(
        lambda: get_or_none(client, PODS, lp.helper_name("create", volume), lp.HELPER_NAMESPACE)
    )
    assert helper["spec"]["nodeName"] == "node-b"


async def _gone(client: Client, resource: Any, name: str, namespace: str | None = None) -> bool:
    return await get_or_none(client, resource, name, namespace) is None
