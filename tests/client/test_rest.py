"""The REST client against a real API server over TLS: verbs, Status errors, pagination, watch."""

from __future__ import annotations

import asyncio

import pytest

from pyk8s.api.errors import (
    AlreadyExistsError,
    ConflictError,
    GoneError,
    InvalidError,
    NotFoundError,
    UnauthorizedError,
)
from pyk8s.client import Client, ClientConfig, ClientError, EventType, PatchType
from pyk8s.client.resources import CONFIGMAPS, NAMESPACES, NODES, PODS, REPLICASETS

from .conftest import Cluster, StartCluster


def configmap(name: str, namespace: str = "default", **data: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": data,
    }


async def test_crud_round_trip(client: Client) -> None:
    created = await client.create(CONFIGMAPS, configmap("a", x="1"))
    assert created["metadata"]["uid"] and created["data"] == {"x": "1"}
    got = await client.get(CONFIGMAPS, "a", namespace="default")
    assert got["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]

    got["data"]["x"] = "2"
    updated = await client.update(CONFIGMAPS, got)
    assert updated["data"] == {"x": "2"}

    merged = await client.patch(CONFIGMAPS, "a", {"data": {"y": "3"}}, namespace="default")
    assert merged["data"] == {"x": "2", "y": "3"}
    json_patched = await client.patch(
        CONFIGMAPS, "a", [{"op": "remove", "path": "/data/x"}], namespace="default", patch_type=PatchType.JSON
    )
    assert json_patched["data"] == {"y": "3"}
    strategic = await client.patch(
        CONFIGMAPS,
        "a",
        {"metadata": {"labels": {"app": "web"}}},
        namespace="default",
        patch_type=PatchType.STRATEGIC,
    )
    assert strategic["metadata"]["labels"] == {"app": "web"}

    listed = await client.list(CONFIGMAPS, namespace="default", label_selector={"app": "web"})
    assert [o["metadata"]["name"] for o in listed["items"]] == ["a"]

    await client.delete(CONFIGMAPS, "a", namespace="default")
    with pytest.raises(NotFoundError, match='configmaps "a" not found'):
        await client.get(CONFIGMAPS, "a", namespace="default")


async def test_status_errors_become_the_servers_error_classes(client: Client) -> None:
    await client.create(CONFIGMAPS, configmap("a"))
    with pytest.raises(AlreadyExistsError) as exists:
        await client.create(CONFIGMAPS, configmap("a"))
    assert exists.value.code == 409 and exists.value.details["name"] == "a"

    stale = await client.get(CONFIGMAPS, "a", namespace="default")
    await client.patch(CONFIGMAPS, "a", {"data": {"k": "v"}}, namespace="default")
    with pytest.raises(ConflictError, match="the object has been modified"):
        await client.update(CONFIGMAPS, stale)

    with pytest.raises(InvalidError) as invalid:
        await client.create(CONFIGMAPS, configmap("Not_Valid"))
    assert invalid.value.code == 422
    assert invalid.value.details["causes"][0]["field"] == "metadata.name"

    with pytest.raises(NotFoundError):
        await client.delete(PODS, "nope", namespace="default")


async def test_token_authentication_and_a_bad_token(cluster: Cluster) -> None:
    async with Client(
        ClientConfig(server=cluster.url, ca_data=cluster.ca_data, token=cluster.admin_token)
    ) as c:
        assert (await c.get(NAMESPACES, "default"))["metadata"]["name"] == "default"
    async with Client(ClientConfig(server=cluster.url, ca_data=cluster.ca_data, token="wrong")) as c:
        with pytest.raises(UnauthorizedError):
            await c.list(PODS)


async def test_an_untrusted_server_certificate_is_a_client_error(cluster: Cluster) -> None:
    async with Client(ClientConfig(server=cluster.url, token=cluster.admin_token)) as c:  # no CA
        with pytest.raises(ClientError):
            await c.version()


async def test_list_pages_share_one_snapshot(client: Client) -> None:
    for i in range(25):
        await client.create(CONFIGMAPS, configmap(f"cm-{i:02d}"))
    first = await client.list(CONFIGMAPS, namespace="default", limit=10)
    assert len(first["items"]) == 10 and first["metadata"]["continue"]
    await client.create(CONFIGMAPS, configmap("cm-99"))  # after the snapshot
    pages = [page async for page in client.pages(CONFIGMAPS, namespace="default", page_size=10)]
    assert [len(p["items"]) for p in pages] == [10, 10, 6]
    whole = await client.list_all(CONFIGMAPS, namespace="default", page_size=7)
    names = [o["metadata"]["name"] for o in whole["items"]]
    assert len(names) == 26 and names == sorted(names)
    assert whole["metadata"]["resourceVersion"]


async def test_cluster_scoped_resources_and_subresources(client: Client) -> None:
    node = await client.create(NODES, {"metadata": {"name": "n1"}})
    assert "namespace" not in node["metadata"]
    rs = {
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "i"}]},
            },
        },
    }
    await client.create(REPLICASETS, rs)
    scale = await client.scale(REPLICASETS, "web", 4, namespace="default")
    assert scale["spec"]["replicas"] == 4
    assert (await client.get_scale(REPLICASETS, "web", namespace="default"))["spec"]["replicas"] == 4
    pod = {
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "i"}]},
    }
    await client.create(PODS, pod)
    await client.bind("default", "p", "n1")
    assert (await client.get(PODS, "p", namespace="default"))["spec"]["nodeName"] == "n1"
    status = await client.patch_status(PODS, "p", {"status": {"phase": "Running"}}, namespace="default")
    assert status["status"]["phase"] == "Running"
    with pytest.raises(ValueError, match="namespaced"):
        await client.get(PODS, "p")


async def test_watch_delivers_changes_in_order(client: Client) -> None:
    start = await client.list(CONFIGMAPS, namespace="default")
    rv = start["metadata"]["resourceVersion"]
    async with client.watch(CONFIGMAPS, namespace="default", resource_version=rv) as events:
        await client.create(CONFIGMAPS, configmap("w"))
        await client.patch(CONFIGMAPS, "w", {"data": {"a": "b"}}, namespace="default")
        await client.delete(CONFIGMAPS, "w", namespace="default")
        seen = []
        async for event in events:
            if event.type is not EventType.BOOKMARK:
                seen.append((event.type, event.object["metadata"]["name"]))
            if len(seen) == 3:
                break
    assert seen == [(EventType.ADDED, "w"), (EventType.MODIFIED, "w"), (EventType.DELETED, "w")]


async def test_watch_list_sends_current_objects_then_a_bookmark(client: Client) -> None:
    await client.create(CONFIGMAPS, configmap("one"))
    async with client.watch(CONFIGMAPS, namespace="default", send_initial_events=True) as events:
        initial = []
        async for event in events:
            if event.initial_events_end:
                break
            initial.append(event.object["metadata"]["name"])
    assert "one" in initial


async def test_watch_from_a_compacted_revision_is_gone(start_cluster: StartCluster) -> None:
    cluster = await start_cluster(watch_cache_size=20)
    client = cluster.client()
    first = await client.create(CONFIGMAPS, configmap("c"))
    for i in range(40):
        await client.patch(CONFIGMAPS, "c", {"data": {"i": str(i)}}, namespace="default")
    with pytest.raises(GoneError):
        async with client.watch(CONFIGMAPS, resource_version=first["metadata"]["resourceVersion"]) as events:
            async for event in events:
                if event.type is EventType.ERROR:
                    raise event.error()


async def test_requests_after_close_reopen_the_session(cluster: Cluster) -> None:
    client = cluster.client()
    await client.version()
    await client.aclose()
    assert (await client.version())["major"] == "1"
    await asyncio.sleep(0)
