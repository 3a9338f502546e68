"""The official `kubernetes` Python client against a real pyk8s API server."""

from __future__ import annotations

import threading
import time

import pytest

from .conftest import Cluster

kubernetes = pytest.importorskip("kubernetes")
client = kubernetes.client
watch = kubernetes.watch
ApiException = kubernetes.client.exceptions.ApiException


def configmap(name: str, **data: str):
    return client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name=name, labels={"app": "py"}), data=data or None
    )


def test_discovery_and_version(api_client) -> None:
    info = client.VersionApi(api_client).get_code()
    assert info.major == "1"
    resources = client.CoreV1Api(api_client).get_api_resources()
    assert "configmaps" in {r.name for r in resources.resources}


def test_crud_and_paginated_list(cluster: Cluster, ns: str, api_client) -> None:
    core = client.CoreV1Api(api_client)
    for i in range(23):
        core.create_namespaced_config_map(ns, configmap(f"cm-{i:02d}", n=str(i)))
    names, token, pages, revisions = [], None, 0, set()
    while True:
        page = core.list_namespaced_config_map(ns, limit=10, _continue=token)
        pages += 1
        names += [item.metadata.name for item in page.items]
        revisions.add(page.metadata.resource_version)
        token = page.metadata._continue
        if not token:
            break
    assert pages == 3
    assert names == [f"cm-{i:02d}" for i in range(23)]
    assert len(revisions) == 1  # every page is the same snapshot
    got = core.read_namespaced_config_map("cm-05", ns)
    assert got.data == {"n": "5"}
    deleted = core.delete_namespaced_config_map("cm-05", ns)  # the client hands back the Status as a dict
    status = deleted if isinstance(deleted, dict) else deleted.to_dict()
    assert status["status"] == "Success" and status["details"]["uid"] == got.metadata.uid
    with pytest.raises(ApiException) as info:
        core.read_namespaced_config_map("cm-05", ns)
    assert info.value.status == 404


def test_replace_with_a_stale_resource_version_conflicts(ns: str, api_client) -> None:
    core = client.CoreV1Api(api_client)
    created = core.create_namespaced_config_map(ns, configmap("stale", v="1"))
    created.data = {"v": "2"}
    core.replace_namespaced_config_map("stale", ns, created)
    created.data = {"v": "3"}
    with pytest.raises(ApiException) as info:
        core.replace_namespaced_config_map("stale", ns, created)  # still carries the old resourceVersion
    assert info.value.status == 409
    assert "the object has been modified" in info.value.body
    fresh = core.read_namespaced_config_map("stale", ns)
    fresh.metadata.resource_version = None
    fresh.data = {"v": "4"}
    assert core.replace_namespaced_config_map("stale", ns, fresh).data == {"v": "4"}  # unconditional


def test_watch_and_resume_from_a_resource_version(ns: str, api_client) -> None:
    core = client.CoreV1Api(api_client)
    listed = core.list_namespaced_config_map(ns)
    start = listed.metadata.resource_version

    def writes() -> None:
        time.sleep(0.3)
        core.create_namespaced_config_map(ns, configmap("w", v="1"))
        core.patch_namespaced_config_map("w", ns, {"data": {"v": "2"}})
        core.delete_namespaced_config_map("w", ns)

    thread = threading.Thread(target=writes)
    thread.start()
    seen = []
    w = watch.Watch()
    for event in w.stream(core.list_namespaced_config_map, ns, resource_version=start, timeout_seconds=5):
        seen.append((event["type"], event["object"].metadata.name, event["object"].metadata.resource_version))
        if len(seen) == 3:
            w.stop()
    thread.join()
    assert [(t, n) for t, n, _ in seen] == [("ADDED", "w"), ("MODIFIED", "w"), ("DELETED", "w")]
    # Resuming after the first event replays exactly the later ones.
    resumed = []
    for event in watch.Watch().stream(
        core.list_namespaced_config_map, ns, resource_version=seen[0][2], timeout_seconds=1
    ):
        resumed.append(event["type"])
    assert resumed == ["MODIFIED", "DELETED"]


def test_too_old_resource_version_gets_410_and_a_relist_recovers(ns: str, api_client) -> None:
    core = client.CoreV1Api(api_client)
    old = core.list_namespaced_config_map(ns).metadata.resource_version
    core.create_namespaced_config_map(ns, configmap("churn", v="0"))
    for i in range(250):  # more events than the test server's watch cache keeps (200)
        core.patch_namespaced_config_map("churn", ns, {"data": {"v": str(i)}})
    with pytest.raises(ApiException) as info:
        for _ in watch.Watch().stream(
            core.list_namespaced_config_map, ns, resource_version=old, timeout_seconds=2
        ):
            pass
    assert info.value.status == 410
    relisted = core.list_namespaced_config_map(ns)
    events = list(
        watch.Watch().stream(
            core.list_namespaced_config_map,
            ns,
            resource_version=relisted.metadata.resource_version,
            timeout_seconds=1,
        )
    )
    assert events == []


def test_an_expired_continue_token_gets_410(ns: str, api_client) -> None:
    core = client.CoreV1Api(api_client)
    for i in range(5):
        core.create_namespaced_config_map(ns, configmap(f"page-{i}"))
    first = core.list_namespaced_config_map(ns, limit=2)
    token = first.metadata._continue
    assert token
    core.create_namespaced_config_map(ns, configmap("churn2", v="0"))
    for i in range(2100):  # more revisions than the test server keeps in storage (2000)
        core.patch_namespaced_config_map("churn2", ns, {"data": {"v": str(i)}})
    deadline = time.monotonic() + 10
    while True:
        try:
            core.list_namespaced_config_map(ns, limit=2, _continue=token)
        except ApiException as err:
            assert err.status == 410
            assert "Expired" in err.body
            break
        assert time.monotonic() < deadline, "the continue token never expired"
        time.sleep(0.2)


def test_status_subresource_is_separate(ns: str, api_client) -> None:
    core = client.CoreV1Api(api_client)
    pod = client.V1Pod(
        metadata=client.V1ObjectMeta(name="p"),
        spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]),
    )
    created = core.create_namespaced_pod(ns, pod)
    assert created.status.phase == "Pending"
    # The main resource ignores status changes ...
    created.status.phase = "Running"
    replaced = core.replace_namespaced_pod("p", ns, created)
    assert replaced.status.phase == "Pending"
    # ... and /status ignores spec changes.
    patched = core.patch_namespaced_pod_status(
        "p", ns, {"status": {"phase": "Running"}, "spec": {"activeDeadlineSeconds": 5}}
    )
    assert patched.status.phase == "Running"
    assert patched.spec.active_deadline_seconds is None
