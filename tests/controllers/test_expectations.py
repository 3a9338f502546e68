"""Expectations against a lagging cache: the ReplicaSet reconciler, run by hand with a pod
informer whose watch is held back, never creates or deletes twice."""

from __future__ import annotations

import asyncio
from typing import Any

from pyk8s._aio.clock import FakeClock
from pyk8s.client import Client, EventBroadcaster
from pyk8s.client.informers import ClientListerWatcher, SharedInformer, SharedInformerFactory
from pyk8s.client.resources import PODS, REPLICASETS
from pyk8s.controllers.replicaset import REPLICASET, ReplicaSetReconciler
from pyk8s.controllers.runtime import UIDTrackingControllerExpectations, WorkQueue
from pyk8s.controllers.runtime.ownership import add_controller_uid_index

from ..client.test_informers import GatedListerWatcher
from ..client.test_retries import InstantClock
from .conftest import eventually
from .test_replicaset import replicaset


async def server_pods(client: Client) -> list[str]:
    pods = (await client.list(PODS, namespace="default", label_selector={"app": "lag"}))["items"]
    return sorted(p["metadata"]["name"] for p in pods)


async def test_a_lagging_cache_never_doubles_creations_or_deletions(client: Client) -> None:
    factory = SharedInformerFactory(client)
    owners = factory.informer(REPLICASETS)
    gate = GatedListerWatcher(ClientListerWatcher(client, PODS))
    # An instant clock: the reflector's backoff after each cut passes at once.
    pods = SharedInformer(gate, resource=PODS, name="gated pods", clock=InstantClock())  # type: ignore[arg-type]
    for informer in (owners, pods):
        add_controller_uid_index(informer)
    broadcaster = EventBroadcaster(client)
    expectations = UIDTrackingControllerExpectations(clock=FakeClock())
    reconciler = ReplicaSetReconciler(
        REPLICASET,
        client=client,
        owners=owners,
        pods=pods,
        recorder=broadcaster.new_recorder("replicaset-controller"),
        expectations=expectations,
        burst_replicas=500,
        queue=WorkQueue(name="replicaset"),
    )
    pods.add_event_handler(reconciler.pod_handler())
    factory.start()
    pods.start()
    await factory.wait_for_sync()
    await pods.wait_for_sync()

    rs = await client.create(REPLICASETS, replicaset("lag", 3))
    await eventually(lambda: _cached(owners, "lag"))
    gate.cut()  # from now on the pod cache shows nothing new
    await reconciler.reconcile("default/lag")
    assert len(await server_pods(client)) == 3
    await reconciler.reconcile("default/lag")  # the cache still shows no pods
    assert len(await server_pods(client)) == 3  # but nothing more was created
    assert not expectations.satisfied("default/lag")

    gate.gate.set()  # the cache catches up: each new pod is observed
    await eventually(lambda: _true(expectations.satisfied("default/lag")))
    await reconciler.reconcile("default/lag")
    assert len(await server_pods(client)) == 3

    await client.scale(REPLICASETS, "lag", 1, namespace="default")
    await eventually(lambda: _cached(owners, "lag", replicas=1))
    gate.cut()
    await reconciler.reconcile("default/lag")
    assert len(await server_pods(client)) == 1
    await reconciler.reconcile("default/lag")  # the cache still shows three pods
    assert len(await server_pods(client)) == 1  # and no surviving pod was deleted
    assert len(expectations.pending_deletions("default/lag")) == 2

    gate.gate.set()
    await eventually(lambda: _true(expectations.satisfied("default/lag")))
    await reconciler.reconcile("default/lag")
    final = await client.get(REPLICASETS, "lag", namespace="default")
    assert final["status"]["replicas"] == 1
    assert final["metadata"]["uid"] == rs["metadata"]["uid"]
    await factory.shutdown()
    await pods.stop()
    await broadcaster.stop()


async def _cached(informer: SharedInformer, name: str, *, replicas: int | None = None) -> Any:
    obj = informer.lister.get(name, "default")
    if obj is None:
        return None
    return replicas is None or obj["spec"]["replicas"] == replicas


async def _true(value: bool) -> bool:
    await asyncio.sleep(0)
    return value
