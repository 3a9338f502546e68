"""The garbage collector end to end: a real API server, the controller manager running the
garbage collector and the ReplicaSet controller, fake nodes, and the real kubectl's
`delete --cascade=background|foreground|orphan`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from pyk8s.client.resources import CLUSTERROLES, CONFIGMAPS, EVENTS, PODS, REPLICASETS
from pyk8s.controllers.garbagecollector import GARBAGECOLLECTOR_CONTROLLER
from pyk8s.controllers.replicaset import REPLICASET_CONTROLLER

from .housekeeping import Cluster, gone, running_cluster, wait_until

pytestmark = pytest.mark.asyncio(loop_scope="module")

Obj = dict[str, Any]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cluster]:
    tmp = tmp_path_factory.mktemp("gc-e2e")
    async with running_cluster(tmp, [GARBAGECOLLECTOR_CONTROLLER, REPLICASET_CONTROLLER]) as c:
        await wait_until(lambda: _gc_synced(c), what="garbage collector monitors synced")
        yield c


async def _gc_synced(cluster: Cluster) -> bool:
    gc = cluster.manager.controllers.get("garbagecollector")
    return gc is not None and gc.is_synced()  # type: ignore[attr-defined]


REPLICASET = """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
"""


async def replicaset_with_pods(cluster: Cluster, ns: str) -> tuple[Obj, list[Obj]]:
    await cluster.apply(REPLICASET, "-n", ns)

    async def three_pods() -> list[Obj] | None:
        pods = (await cluster.client.list(PODS, namespace=ns))["items"]
        return pods if len(pods) == 3 else None

    pods = await wait_until(three_pods, what="3 pods")
    rs = await cluster.client.get(REPLICASETS, "web", namespace=ns)
    return rs, pods


async def pod_count(cluster: Cluster, ns: str) -> int:
    return len((await cluster.client.list(PODS, namespace=ns))["items"])


def configmap(name: str, owners: list[Obj] | None = None) -> Obj:
    meta: Obj = {"name": name}
    if owners:
        meta["ownerReferences"] = owners
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


def ref(obj: Obj, *, block: bool = False) -> Obj:
    return {
        "apiVersion": obj.get("apiVersion", "v1"),
        "kind": obj.get("kind", "ConfigMap"),
        "name": obj["metadata"]["name"],
        "uid": obj["metadata"]["uid"],
        "blockOwnerDeletion": block,
    }


async def test_background_cascade_deletes_the_pods_after_the_replicaset(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    _, pods = await replicaset_with_pods(cluster, ns)
    assert all(p["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet" for p in pods)
    await cluster.kubectl("delete", "replicaset", "web", "-n", ns, "--cascade=background")
    assert await gone(cluster.client, REPLICASETS, "web", ns)
    await wait_until(lambda: _zero(cluster, ns), what="pods collected")


async def _zero(cluster: Cluster, ns: str) -> bool:
    return await pod_count(cluster, ns) == 0


async def test_foreground_cascade_deletes_blocking_dependents_before_the_owner(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    rs, _ = await replicaset_with_pods(cluster, ns)
    seen_owner_waiting = asyncio.Event()

    async def watch_owner() -> None:
        # the owner must still exist, marked with foregroundDeletion, while pods remain
        while True:
            try:
                current = await cluster.client.get(REPLICASETS, "web", namespace=ns)
            except Exception:
                return
            meta = current["metadata"]
            if meta.get("deletionTimestamp") and "foregroundDeletion" in (meta.get("finalizers") or []):
                seen_owner_waiting.set()
            await asyncio.sleep(0.01)

    watcher = asyncio.create_task(watch_owner())
    await cluster.kubectl("delete", "replicaset", "web", "-n", ns, "--cascade=foreground", "--timeout=60s")
    await watcher
    assert seen_owner_waiting.is_set()
    assert await gone(cluster.client, REPLICASETS, "web", ns)
    assert await pod_count(cluster, ns) == 0
    assert rs["metadata"]["uid"]


async def test_orphan_cascade_keeps_pods_without_the_owner_reference(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    rs, pods = await replicaset_with_pods(cluster, ns)
    await cluster.kubectl("delete", "replicaset", "web", "-n", ns, "--cascade=orphan", "--timeout=60s")
    assert await gone(cluster.client, REPLICASETS, "web", ns)
    remaining = (await cluster.client.list(PODS, namespace=ns))["items"]
    assert sorted(p["metadata"]["name"] for p in remaining) == sorted(p["metadata"]["name"] for p in pods)
    uid = rs["metadata"]["uid"]
    for pod in remaining:
        assert all(r["uid"] != uid for r in pod["metadata"].get("ownerReferences") or [])


async def test_dependents_of_a_missing_owner_are_collected(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    ghost = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "name": "ghost",
        "uid": "00000000-0000-4000-8000-000000000001",
    }
    await cluster.client.create(CONFIGMAPS, configmap("orphan-of-ghost", [ghost]), namespace=ns)
    await wait_until(
        lambda: gone(cluster.client, CONFIGMAPS, "orphan-of-ghost", ns), what="dangling dependent deleted"
    )


async def test_owner_recreated_with_another_uid_does_not_save_the_dependent(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    owner = await cluster.client.create(CONFIGMAPS, configmap("owner"), namespace=ns)
    stale = ref(owner)
    await cluster.client.delete(CONFIGMAPS, "owner", namespace=ns)
    await cluster.client.create(CONFIGMAPS, configmap("owner"), namespace=ns)
    await cluster.client.create(CONFIGMAPS, configmap("dep", [stale]), namespace=ns)
    await wait_until(
        lambda: gone(cluster.client, CONFIGMAPS, "dep", ns), what="dependent of the old uid deleted"
    )
    assert not await gone(cluster.client, CONFIGMAPS, "owner", ns)


async def test_a_dependent_with_one_live_owner_loses_only_the_dangling_reference(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    alive = await cluster.client.create(CONFIGMAPS, configmap("alive"), namespace=ns)
    doomed = await cluster.client.create(CONFIGMAPS, configmap("doomed"), namespace=ns)
    await cluster.client.create(CONFIGMAPS, configmap("dep", [ref(alive), ref(doomed)]), namespace=ns)
    await cluster.client.delete(CONFIGMAPS, "doomed", namespace=ns)

    async def one_reference() -> bool:
        dep = await cluster.client.get(CONFIGMAPS, "dep", namespace=ns)
        return [r["name"] for r in dep["metadata"].get("ownerReferences") or []] == ["alive"]

    await wait_until(one_reference, what="dangling reference removed")


async def test_owner_in_another_namespace_is_reported_and_treated_as_absent(cluster: Cluster) -> None:
    ns_a, ns_b = await cluster.namespace(), await cluster.namespace()
    owner = await cluster.client.create(CONFIGMAPS, configmap("owner"), namespace=ns_a)
    await cluster.client.create(CONFIGMAPS, configmap("cross", [ref(owner)]), namespace=ns_b)
    await wait_until(
        lambda: gone(cluster.client, CONFIGMAPS, "cross", ns_b), what="cross-namespace dependent deleted"
    )
    events = await wait_until(lambda: cluster.events(ns_b, "OwnerRefInvalidNamespace"), what="event")
    assert events[0]["type"] == "Warning"
    assert events[0]["involvedObject"]["name"] == "cross"
    assert events[0]["message"] == (
        f"ownerRef [v1/ConfigMap, namespace: {ns_b}, name: owner, uid: {owner['metadata']['uid']}] "
        f'does not exist in namespace "{ns_b}"'
    )
    assert not await gone(cluster.client, CONFIGMAPS, "owner", ns_a)


async def test_cluster_scoped_owner_of_namespaced_dependent(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    role = await cluster.client.create(
        CLUSTERROLES,
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": f"owner-{ns}"},
        },
    )
    owner_ref = {**ref(role), "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole"}
    await cluster.client.create(CONFIGMAPS, configmap("dep", [owner_ref]), namespace=ns)
    await asyncio.sleep(0.5)
    assert not await gone(cluster.client, CONFIGMAPS, "dep", ns)  # the owner lives
    await cluster.kubectl("delete", "clusterrole", f"owner-{ns}")
    await wait_until(
        lambda: gone(cluster.client, CONFIGMAPS, "dep", ns), what="dependent of the cluster-scoped owner"
    )


async def test_cluster_scoped_dependent_of_a_namespaced_kind_is_never_collected(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    owner = await cluster.client.create(CONFIGMAPS, configmap("owner"), namespace=ns)
    name = f"dep-{ns}"
    await cluster.client.create(
        CLUSTERROLES,
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": name, "ownerReferences": [ref(owner)]},
        },
    )
    await cluster.client.delete(CONFIGMAPS, "owner", namespace=ns)
    await asyncio.sleep(1.0)
    assert not await gone(cluster.client, CLUSTERROLES, name)  # an unresolvable reference keeps it


async def test_an_owner_the_collector_does_not_watch_is_verified_live(cluster: Cluster) -> None:
    # Events are not monitored, so the graph only ever has a virtual node for this owner:
    # the collector must find it with a live read (and keep the dependent), then notice it
    # gone by reading again.
    ns = await cluster.namespace()
    event = await cluster.client.create(
        EVENTS,
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "owner-event"},
            "involvedObject": {"kind": "Pod", "name": "x", "namespace": ns},
            "reason": "Test",
            "message": "an owner nobody watches",
        },
        namespace=ns,
    )
    await cluster.client.create(CONFIGMAPS, configmap("dep", [{**ref(event), "kind": "Event"}]), namespace=ns)
    await asyncio.sleep(1.0)
    assert not await gone(cluster.client, CONFIGMAPS, "dep", ns)
    await cluster.client.delete(EVENTS, "owner-event", namespace=ns)
    await wait_until(
        lambda: gone(cluster.client, CONFIGMAPS, "dep", ns), what="dependent of the deleted owner"
    )
