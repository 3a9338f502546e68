"""Registry semantics and Status errors over HTTP, against an in-process API server."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from .conftest import Api

CM = "/api/v1/namespaces/default/configmaps"
PODS = "/api/v1/namespaces/default/pods"


def cm(name: str, **data: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": data}


def pod(name: str, node: str = "", finalizers: list[str] | None = None) -> dict:
    obj: dict = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }
    if node:
        obj["spec"]["nodeName"] = node
    if finalizers:
        obj["metadata"]["finalizers"] = finalizers
    return obj


async def test_anonymous_requests_get_401_but_health_is_public(api: Api) -> None:
    body = await api.json("GET", CM, token=None, expect=401)
    assert (body["kind"], body["reason"], body["code"]) == ("Status", "Unauthorized", 401)
    resp = await api.request("GET", "/readyz", token=None)
    assert resp.status == 200 and await resp.text() == "ok"
    assert (await api.json("GET", "/version", token=None))["major"] == "1"


async def test_unknown_resources_and_paths_are_404(api: Api) -> None:
    body = await api.json("GET", "/api/v1/namespaces/default/widgets", expect=404)
    assert body["reason"] == "NotFound"
    assert body["message"] == "the server could not find the requested resource"
    await api.json("GET", "/apis/nope.example.com/v1", expect=404)
    # /openapi/v2 is served (a skeleton kubectl needs for `kind: List` files): test_s7_openapi_v2


async def test_not_found_object_names_the_resource(api: Api) -> None:
    body = await api.json("GET", f"{CM}/missing", expect=404)
    assert body["message"] == 'configmaps "missing" not found'
    assert body["details"] == {"name": "missing", "kind": "configmaps"}
    body = await api.json("GET", "/apis/apps/v1/namespaces/default/deployments/x", expect=404)
    assert body["message"] == 'deployments.apps "x" not found'


async def test_method_not_allowed(api: Api) -> None:
    body = await api.json("POST", f"{CM}/x", cm("x"), expect=405)
    assert body["reason"] == "MethodNotAllowed"
    body = await api.json("DELETE", "/api/v1/namespaces", expect=405)
    assert body["reason"] == "MethodNotAllowed"


async def test_protobuf_only_accept_is_406(api: Api) -> None:
    body = await api.json("GET", CM, headers={"Accept": "application/vnd.kubernetes.protobuf"}, expect=406)
    assert body["reason"] == "NotAcceptable"


async def test_conflicts_are_409(api: Api) -> None:
    created = await api.json("POST", CM, cm("dup"), expect=201)
    body = await api.json("POST", CM, cm("dup"), expect=409)
    assert (body["reason"], body["message"]) == ("AlreadyExists", 'configmaps "dup" already exists')
    updated = dict(created, data={"a": "1"})
    await api.json("PUT", f"{CM}/dup", updated, expect=200)
    body = await api.json("PUT", f"{CM}/dup", updated, expect=409)  # stale resourceVersion
    assert body["reason"] == "Conflict"
    assert body["message"] == (
        'Operation cannot be fulfilled on configmaps "dup": the object has been '
        "modified; please apply your changes to the latest version and try again"
    )


async def test_body_over_3mib_is_413(api: Api) -> None:
    big = cm("big", blob="x" * (3 * 1024 * 1024 + 10))
    body = await api.json("POST", CM, big, expect=413)
    assert body["reason"] == "RequestEntityTooLarge"
    await api.json("GET", f"{CM}/big", expect=404)


async def test_unknown_content_type_is_415(api: Api) -> None:
    body = await api.json("POST", CM, raw=b"a=b", headers={"Content-Type": "text/plain"}, expect=415)
    assert body["reason"] == "UnsupportedMediaType"
    body = await api.json(
        "PATCH", f"{CM}/x", raw=b"{}", headers={"Content-Type": "application/json"}, expect=415
    )
    assert body["reason"] == "UnsupportedMediaType"


async def test_invalid_objects_are_422_with_causes_and_nothing_is_stored(api: Api) -> None:
    body = await api.json("POST", CM, cm("Bad_Name"), expect=422)
    assert body["reason"] == "Invalid"
    assert body["details"]["kind"] == "ConfigMap" and body["details"]["name"] == "Bad_Name"
    cause = body["details"]["causes"][0]
    assert cause["field"] == "metadata.name" and cause["reason"] == "FieldValueInvalid"
    assert body["message"].startswith(
        'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"'
    )
    body = await api.json(
        "POST",
        PODS,
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}},
        expect=422,
    )
    assert any(
        c["field"] == "spec.containers" and c["reason"] == "FieldValueRequired"
        for c in body["details"]["causes"]
    )
    await api.json("GET", f"{PODS}/p", expect=404)


@pytest.mark.parametrize(
    ("raw", "content_type", "fragment"),
    [
        pytest.param(b"{not json", "application/json", "not valid JSON", id="malformed-json"),
        pytest.param(b"a: [1, 2\n", "application/yaml", "YAML", id="malformed-yaml"),
        pytest.param(
            b'{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}',
            "application/json",
            "does not match the expected kind",
            id="wrong-kind",
        ),
        pytest.param(
            b'{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}',
            "application/json",
            "does not match the expected API version",
            id="wrong-version",
        ),
        pytest.param(
            b'{"metadata":{"name":"x","namespace":"kube-system"}}',
            "application/json",
            "does not match the namespace",
            id="wrong-namespace",
        ),
        pytest.param(
            b'{"metadata":{"name":3}}', "application/json", "cannot unmarshal number", id="wrong-type"
        ),
    ],
)
async def test_bad_bodies_are_400(api: Api, raw: bytes, content_type: str, fragment: str) -> None:
    body = await api.json("POST", CM, raw=raw, headers={"Content-Type": content_type}, expect=400)
    assert body["reason"] == "BadRequest"
    assert fragment in body["message"]
    listed = await api.json("GET", CM, expect=200)
    assert listed["items"] == []


async def test_name_in_body_must_match_the_url(api: Api) -> None:
    await api.json("POST", CM, cm("a"), expect=201)
    body = await api.json("PUT", f"{CM}/a", cm("b"), expect=400)
    assert "does not match the name on the URL" in body["message"]


async def test_yaml_bodies_and_missing_content_type(api: Api) -> None:
    raw = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n"
    await api.json("POST", CM, raw=raw, headers={"Content-Type": "application/yaml"}, expect=201)
    resp = await api.session.post(
        api.base + CM,
        data=orjson.dumps(cm("nocontenttype")),
        headers={"Authorization": "Bearer test-token"},
        skip_auto_headers=["Content-Type"],
    )
    assert resp.status == 201  # no Content-Type means JSON
    resp = await api.request("GET", f"{CM}/y", headers={"Accept": "application/yaml"})
    assert resp.headers["Content-Type"].startswith("application/yaml")
    assert b"k: v" in await resp.read()


async def test_field_validation_modes(api: Api) -> None:
    body = cm("fv")
    body["extra"] = True
    err = await api.json("POST", CM + "?fieldValidation=Strict", body, expect=400)
    assert err["message"] == 'strict decoding error: unknown field "extra"'
    resp = await api.request("POST", CM + "?fieldValidation=Warn", body)
    assert resp.status == 201 and resp.headers["Warning"] == '299 - "unknown field \\"extra\\""'
    assert "extra" not in orjson.loads(await resp.read())
    resp = await api.request("POST", CM + "?fieldValidation=Ignore", dict(body, metadata={"name": "fv2"}))
    assert resp.status == 201 and "Warning" not in resp.headers
    await api.json("POST", CM + "?fieldValidation=Loud", cm("fv3"), expect=400)


async def test_generate_name_and_system_fields(api: Api) -> None:
    obj = await api.json(
        "POST", CM, {"metadata": {"generateName": "gen-", "uid": "mine", "resourceVersion": "99"}}, expect=201
    )
    meta = obj["metadata"]
    assert meta["name"].startswith("gen-") and len(meta["name"]) == 9
    assert meta["uid"] != "mine" and meta["creationTimestamp"].endswith("Z")
    assert meta["resourceVersion"] != "99"


async def test_dry_run_persists_nothing(api: Api) -> None:
    obj = await api.json("POST", CM + "?dryRun=All", cm("dry"), expect=201)
    assert obj["metadata"]["name"] == "dry"
    await api.json("GET", f"{CM}/dry", expect=404)
    live = await api.json("POST", CM, cm("dry"), expect=201)
    await api.json("PUT", f"{CM}/dry?dryRun=All", dict(live, data={"x": "1"}), expect=200)
    await api.json("DELETE", f"{CM}/dry?dryRun=All", expect=200)
    assert (await api.json("GET", f"{CM}/dry", expect=200))["metadata"]["resourceVersion"] == live[
        "metadata"
    ]["resourceVersion"]
    await api.json("POST", CM + "?dryRun=Some", cm("dry2"), expect=400)


async def test_update_generation_and_no_op_updates(api: Api) -> None:
    deploy = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {
            "selector": {"matchLabels": {"a": "b"}},
            "template": {
                "metadata": {"labels": {"a": "b"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }
    path = "/apis/apps/v1/namespaces/default/deployments"
    created = await api.json("POST", path, deploy, expect=201)
    assert created["metadata"]["generation"] == 1 and created["spec"]["replicas"] == 1
    same = await api.json("PUT", f"{path}/d", created, expect=200)
    assert same["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]  # nothing changed
    labelled = dict(same, metadata=dict(same["metadata"], labels={"x": "y"}))
    labelled = await api.json("PUT", f"{path}/d", labelled, expect=200)
    assert labelled["metadata"]["generation"] == 1  # metadata is not spec
    scaled = dict(labelled, spec=dict(labelled["spec"], replicas=3))
    scaled = await api.json("PUT", f"{path}/d", scaled, expect=200)
    assert scaled["metadata"]["generation"] == 2
    # Through /status a Deployment takes new annotations (the controller's revision) but
    # neither labels nor spec, as kube-apiserver's deployment status strategy has it.
    meta = dict(scaled["metadata"], annotations={"deployment.kubernetes.io/revision": "1"}, labels={"z": "1"})
    via_status = dict(scaled, metadata=meta, spec=dict(scaled["spec"], replicas=9), status={"replicas": 0})
    written = await api.json("PUT", f"{path}/d/status", via_status, expect=200)
    assert written["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    assert written["metadata"]["labels"] == {"x": "y"} and written["spec"]["replicas"] == 3


async def test_finalizers_hold_deletion_until_removed(api: Api) -> None:
    created = await api.json(
        "POST", CM, dict(cm("fin"), metadata={"name": "fin", "finalizers": ["x.io/hold"]}), expect=201
    )
    marked = await api.json("DELETE", f"{CM}/fin", expect=200)
    assert marked["metadata"]["deletionTimestamp"] and marked["metadata"]["uid"] == created["metadata"]["uid"]
    still = await api.json("GET", f"{CM}/fin", expect=200)
    adding = dict(still, metadata=dict(still["metadata"], finalizers=["x.io/hold", "x.io/more"]))
    await api.json("PUT", f"{CM}/fin", adding, expect=422)
    released = dict(still, metadata=dict(still["metadata"], finalizers=[]))
    await api.json("PUT", f"{CM}/fin", released, expect=200)
    await api.json("GET", f"{CM}/fin", expect=404)


async def test_propagation_policy_leaves_the_garbage_collector_its_finalizer(api: Api) -> None:
    await api.json("POST", CM, cm("fg"), expect=201)
    marked = await api.json("DELETE", f"{CM}/fg", {"propagationPolicy": "Foreground"}, expect=200)
    assert marked["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert marked["metadata"]["deletionTimestamp"]
    # A second delete with another policy swaps the finalizer; Background drops it and deletes.
    orphaned = await api.json("DELETE", f"{CM}/fg", {"propagationPolicy": "Orphan"}, expect=200)
    assert orphaned["metadata"]["finalizers"] == ["orphan"]
    await api.json("DELETE", f"{CM}/fg", {"propagationPolicy": "Background"}, expect=200)
    await api.json("GET", f"{CM}/fg", expect=404)
    body = dict(cm("keep"), metadata={"name": "keep", "finalizers": ["x.io/hold"]})
    await api.json("POST", CM, body, expect=201)
    marked = await api.json("DELETE", f"{CM}/keep?propagationPolicy=Orphan", expect=200)
    assert marked["metadata"]["finalizers"] == ["x.io/hold", "orphan"]


async def test_pending_deletion_that_keeps_dependents_is_accepted(api: Api) -> None:
    """202 when the object stays (a finalizer) and the client said orphanDependents=false, as
    kube-apiserver answers; 200 for the same pending deletion without that option."""
    body = dict(cm("held"), metadata={"name": "held", "finalizers": ["x.io/hold"]})
    await api.json("POST", CM, body, expect=201)
    await api.json("DELETE", f"{CM}/held", {"orphanDependents": False}, expect=202)
    await api.json("DELETE", f"{CM}/held", expect=200)
    await api.json("POST", CM, cm("free"), expect=201)
    await api.json("DELETE", f"{CM}/free?orphanDependents=false", expect=200)  # deleted at once


async def test_graceful_pod_deletion(api: Api) -> None:
    await api.json("POST", PODS, pod("unscheduled"), expect=201)
    gone = await api.json("DELETE", f"{PODS}/unscheduled", expect=200)
    assert gone["kind"] == "Pod"  # pods answer with the object
    await api.json("GET", f"{PODS}/unscheduled", expect=404)
    await api.json("POST", PODS, pod("running", node="n1"), expect=201)
    pending = await api.json("DELETE", f"{PODS}/running", expect=200)
    assert pending["metadata"]["deletionGracePeriodSeconds"] == 30
    await api.json("GET", f"{PODS}/running", expect=200)
    await api.json("DELETE", f"{PODS}/running", {"gracePeriodSeconds": 0}, expect=200)
    await api.json("GET", f"{PODS}/running", expect=404)


async def test_delete_preconditions(api: Api) -> None:
    created = await api.json("POST", CM, cm("pre"), expect=201)
    body = await api.json("DELETE", f"{CM}/pre", {"preconditions": {"uid": "other"}}, expect=409)
    assert "Precondition failed: UID in precondition" in body["message"]
    status = await api.json(
        "DELETE", f"{CM}/pre", {"preconditions": {"uid": created["metadata"]["uid"]}}, expect=200
    )
    assert status["status"] == "Success" and status["details"]["uid"] == created["metadata"]["uid"]


async def test_deletecollection_with_a_selector(api: Api) -> None:
    for name, app in (("a", "x"), ("b", "x"), ("c", "y")):
        await api.json("POST", CM, {"metadata": {"name": name, "labels": {"app": app}}}, expect=201)
    deleted = await api.json("DELETE", f"{CM}?labelSelector=app%3Dx", expect=200)
    assert deleted["kind"] == "ConfigMapList" and {i["metadata"]["name"] for i in deleted["items"]} == {
        "a",
        "b",
    }
    left = await api.json("GET", CM, expect=200)
    assert [i["metadata"]["name"] for i in left["items"]] == ["c"]


async def test_namespaces_must_exist_and_not_be_terminating(api: Api) -> None:
    body = await api.json("POST", "/api/v1/namespaces/nope/configmaps", cm("x"), expect=404)
    assert body["message"] == 'namespaces "nope" not found'
    await api.json("POST", "/api/v1/namespaces", {"metadata": {"name": "doomed"}}, expect=201)
    ns = await api.json("DELETE", "/api/v1/namespaces/doomed", expect=200)
    assert ns["status"]["phase"] == "Terminating" and ns["spec"]["finalizers"] == ["kubernetes"]
    body = await api.json("POST", "/api/v1/namespaces/doomed/configmaps", cm("x"), expect=403)
    assert "because it is being terminated" in body["message"]
    await api.json("DELETE", "/api/v1/namespaces/default", expect=403)
    finalize = dict(ns, spec={"finalizers": []})
    await api.json("PUT", "/api/v1/namespaces/doomed/finalize", finalize, expect=200)
    await api.json("GET", "/api/v1/namespaces/doomed", expect=404)


async def test_list_resource_version_semantics(api: Api) -> None:
    first = await api.json("POST", CM, cm("rv1"), expect=201)
    await api.json("POST", CM, cm("rv2"), expect=201)
    at_first = await api.json(
        "GET",
        f"{CM}?resourceVersion={first['metadata']['resourceVersion']}&resourceVersionMatch=Exact",
        expect=200,
    )
    assert [i["metadata"]["name"] for i in at_first["items"]] == ["rv1"]
    latest = await api.json("GET", f"{CM}?resourceVersion=0", expect=200)
    assert len(latest["items"]) == 2
    await api.json("GET", f"{CM}?resourceVersionMatch=Exact", expect=422)
    await api.json("GET", f"{CM}?resourceVersion=0&resourceVersionMatch=Exact", expect=422)
    body = await api.json("GET", f"{CM}?sendInitialEvents=true", expect=422)
    assert body["details"]["kind"] == "ListOptions"
    too_new = await api.json(
        "GET", f"{CM}?resourceVersion=999999&resourceVersionMatch=NotOlderThan", expect=504
    )
    assert too_new["reason"] == "Timeout"


async def test_table_output(api: Api) -> None:
    await api.json("POST", CM, cm("t", a="1", b="2"), expect=201)
    table_accept = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}
    resp = await api.request("GET", CM, headers=table_accept)
    assert resp.headers["Content-Type"] == "application/json;as=Table;v=v1;g=meta.k8s.io"
    table = orjson.loads(await resp.read())
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Data", "Age"]
    row = table["rows"][0]
    assert row["cells"][:2] == ["t", 2]
    assert row["object"]["kind"] == "PartialObjectMetadata"
    full = await api.json("GET", f"{CM}?includeObject=Object", headers=table_accept)
    assert full["rows"][0]["object"]["data"] == {"a": "1", "b": "2"}
    bare = await api.json("GET", f"{CM}?includeObject=None", headers=table_accept)
    assert "object" not in bare["rows"][0]


async def read_events(api: Api, path: str, count: int, timeout: float = 5) -> list[dict]:
    resp = await api.request("GET", path)
    assert resp.status == 200
    events = []

    async def run() -> None:
        async for line in resp.content:
            events.append(orjson.loads(line))
            if len(events) >= count:
                return

    await asyncio.wait_for(run(), timeout)
    resp.close()
    return events


async def test_watch_list_sends_initial_state_then_an_annotated_bookmark(api: Api) -> None:
    await api.json("POST", CM, cm("w1"), expect=201)
    await api.json("POST", CM, cm("w2"), expect=201)
    path = (
        f"{CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"
        "&fieldSelector=metadata.name%3Dw2&timeoutSeconds=5"
    )
    events = await read_events(api, path, 2)
    assert events[0]["type"] == "ADDED" and events[0]["object"]["metadata"]["name"] == "w2"
    assert events[1]["type"] == "BOOKMARK"
    assert events[1]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
    await api.json("GET", f"{CM}?watch=true&sendInitialEvents=true", expect=422)


async def test_watch_from_a_too_old_revision_gets_an_error_event(api: Api) -> None:
    start = await api.json("POST", CM, cm("old"), expect=201)
    for i in range(60):  # more than the cache keeps (50)
        await api.json("PUT", f"{CM}/old", cm("old", v=str(i)), expect=200)
    events = await read_events(
        api, f"{CM}?watch=true&resourceVersion={start['metadata']['resourceVersion']}", 1
    )
    assert events[0]["type"] == "ERROR"
    assert (events[0]["object"]["code"], events[0]["object"]["reason"]) == (410, "Expired")


async def test_table_watch_sends_columns_only_first(api: Api) -> None:
    listed = await api.json("GET", CM, expect=200)
    rv = listed["metadata"]["resourceVersion"]
    accept = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}

    async def write() -> None:
        await asyncio.sleep(0.1)
        await api.json("POST", CM, cm("tw1"), expect=201)
        await api.json("POST", CM, cm("tw2"), expect=201)

    task = asyncio.create_task(write())
    resp = await api.request("GET", f"{CM}?watch=true&resourceVersion={rv}&timeoutSeconds=3", headers=accept)
    events = []
    async for line in resp.content:
        events.append(orjson.loads(line))
        if len(events) == 2:
            break
    await task
    assert "columnDefinitions" in events[0]["object"]
    assert "columnDefinitions" not in events[1]["object"]
    assert events[1]["object"]["rows"][0]["cells"][0] == "tw2"


async def test_discovery_documents(api: Api) -> None:
    core = await api.json("GET", "/api/v1/", expect=200)
    pods = next(r for r in core["resources"] if r["name"] == "pods")
    assert pods["shortNames"] == ["po"] and pods["categories"] == ["all"] and pods["storageVersionHash"]
    apps = await api.json("GET", "/apis/apps/v1", expect=200)
    scale = next(r for r in apps["resources"] if r["name"] == "deployments/scale")
    assert (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale")
    resp = await api.request(
        "GET",
        "/apis",
        headers={
            "Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"
        },
    )
    assert (
        resp.headers["Content-Type"] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    )
    agg = orjson.loads(await resp.read())
    assert agg["apiVersion"] == "apidiscovery.k8s.io/v2"
    # kube-apiserver's group priority order: apiregistration first, then apps
    assert [item["metadata"]["name"] for item in agg["items"][:2]] == ["apiregistration.k8s.io", "apps"]
    index = await api.json("GET", "/openapi/v3", expect=200)
    assert "api/v1" in index["paths"] and "apis/apps/v1" in index["paths"]
    doc = await api.json("GET", "/" + index["paths"]["api/v1"]["serverRelativeURL"].lstrip("/"), expect=200)
    patch = doc["paths"]["/api/v1/namespaces/{namespace}/configmaps/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "", "version": "v1", "kind": "ConfigMap"}
    assert any(p["name"] == "fieldValidation" for p in patch["parameters"])


async def test_metrics_and_health(api: Api) -> None:
    await api.json("GET", CM, expect=200)
    text = await (await api.request("GET", "/metrics")).text()
    assert 'apiserver_request_total{code="200"' in text
    verbose = await (await api.request("GET", "/readyz?verbose")).text()
    assert "[+]ping ok" in verbose and verbose.strip().endswith("readyz check passed")


async def test_concurrent_patches_without_a_resource_version_all_apply(api: Api) -> None:
    await api.json("POST", CM, cm("hot"), expect=201)
    headers = {"Content-Type": "application/merge-patch+json"}

    async def patch(i: int) -> int:
        resp = await api.request(
            "PATCH", f"{CM}/hot", raw=orjson.dumps({"data": {f"k{i}": "v"}}), headers=headers
        )
        return resp.status

    statuses = await asyncio.gather(*(patch(i) for i in range(40)))
    assert set(statuses) == {200}
    final = await api.json("GET", f"{CM}/hot", expect=200)
    assert len(final["data"]) == 40


async def test_concurrent_updates_with_a_resource_version_conflict(api: Api) -> None:
    created = await api.json("POST", CM, cm("race"), expect=201)

    async def put(i: int) -> int:
        resp = await api.request("PUT", f"{CM}/race", dict(created, data={"v": str(i)}))
        return resp.status

    statuses = await asyncio.gather(*(put(i) for i in range(10)))
    assert statuses.count(200) == 1 and statuses.count(409) == 9


async def test_large_bodies_arriving_in_many_chunks_are_read_whole(api: Api) -> None:
    big = cm("chunky", blob="x" * 1_000_000)  # ConfigMap data is limited to 1 MiB, as in Kubernetes

    async def body():
        raw = orjson.dumps(big)
        for i in range(0, len(raw), 65536):
            yield raw[i : i + 65536]
            await asyncio.sleep(0)

    resp = await api.session.post(
        api.base + CM,
        data=body(),
        headers={"Authorization": "Bearer test-token", "Content-Type": "application/json"},
    )
    assert resp.status == 201, await resp.text()
    assert len((await api.json("GET", f"{CM}/chunky", expect=200))["data"]["blob"]) == 1_000_000


async def test_too_many_requests_in_flight_is_429_with_retry_after(api: Api) -> None:
    api.dispatcher.max_inflight = 0
    resp = await api.request("GET", CM)
    body = orjson.loads(await resp.read())
    assert resp.status == 429 and resp.headers["Retry-After"] == "1"
    assert body["reason"] == "TooManyRequests" and body["details"]["retryAfterSeconds"] == 1
    assert (await api.request("GET", "/readyz")).status == 200  # health is never limited


async def test_status_writes_answer_the_new_resource_version(api: Api) -> None:
    # A client chains status writes on the resourceVersion each answer carries.
    created = await api.json("POST", PODS, pod("chained"), expect=201)
    obj = created
    for phase in ("Running", "Succeeded"):
        obj["status"] = {"phase": phase}
        answer = await api.json("PUT", f"{PODS}/chained/status", obj, expect=200)
        assert answer["metadata"]["resourceVersion"] != obj["metadata"]["resourceVersion"]
        obj = answer
    current = await api.json("GET", f"{PODS}/chained", expect=200)
    assert current["metadata"]["resourceVersion"] == obj["metadata"]["resourceVersion"]
    assert current["status"]["phase"] == "Succeeded"


async def test_stopping_the_server_ends_field_indexed_watches_too(api: Api) -> None:
    pods = "/api/v1/pods"
    plain = await api.request("GET", f"{pods}?watch=true")
    indexed = await api.request("GET", f"{pods}?watch=true&fieldSelector=spec.nodeName%3Dn1")
    await api.server.stop()
    for resp in (plain, indexed):
        await asyncio.wait_for(resp.read(), 5)  # the stream ends instead of hanging
