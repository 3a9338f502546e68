"""PATCH in its four formats and managedFields on every write, through HTTP, as kube-apiserver."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from pyk8s._aio.clock import FakeClock
from pyk8s.api.apply import FieldSet

from .conftest import Api

CM = "/api/v1/namespaces/default/configmaps"
DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments"
APPLY = "application/apply-patch+yaml"
JSON_PATCH = "application/json-patch+json"
MERGE = "application/merge-patch+json"
SMP = "application/strategic-merge-patch+json"
GENERIC_422 = "the server rejected our request due to an error in our request"


def cm(name: str = "c", data: dict[str, str] | None = None, **meta: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, **meta}, "data": data or {}}


def deployment(name: str = "web", *containers: dict[str, Any], replicas: int | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "selector": {"matchLabels": {"app": name}},
        "template": {
            "metadata": {"labels": {"app": name}},
            "spec": {"containers": list(containers) or [{"name": "web", "image": "nginx:1.25"}]},
        },
    }
    if replicas is not None:
        spec["replicas"] = replicas
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec}


async def patch(
    api: Api, path: str, body: Any, content_type: str, *, expect: int | None = 200, query: str = "", **kw: Any
) -> Any:
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    return await api.json(
        "PATCH", path + query, raw=raw, headers={"Content-Type": content_type, **kw}, expect=expect
    )


async def apply(
    api: Api, path: str, body: Any, manager: str = "a", *, expect: int | None = 200, force: bool = False
) -> Any:
    query = f"?fieldManager={manager}" + ("&force=true" if force else "")
    return await patch(api, path, body, APPLY, expect=expect, query=query)


def entries(obj: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(manager, operation, subresource) of each managedFields entry, in order."""
    return [
        (e.get("manager", ""), e["operation"], e.get("subresource", ""))
        for e in obj["metadata"].get("managedFields", [])
    ]


def owned(obj: dict[str, Any], manager: str, operation: str = "Apply") -> set[tuple[str, ...]]:
    for e in obj["metadata"].get("managedFields", []):
        if e.get("manager") == manager and e["operation"] == operation:
            return set(FieldSet.from_fields_v1(e["fieldsV1"]))
    return set()


# JSON patch


async def test_json_patch_runs_all_six_operations(api: Api) -> None:
    await api.json("POST", CM, cm(data={"a": "1", "b": "2"}), expect=201)
    ops = [
        {"op": "test", "path": "/data/a", "value": "1"},
        {"op": "add", "path": "/data/c", "value": "3"},
        {"op": "replace", "path": "/data/a", "value": "one"},
        {"op": "copy", "from": "/data/c", "path": "/data/d"},
        {"op": "move", "from": "/data/b", "path": "/data/e"},
        {"op": "remove", "path": "/data/c"},
    ]
    obj = await patch(api, f"{CM}/c", ops, JSON_PATCH)
    assert obj["data"] == {"a": "one", "d": "3", "e": "2"}


@pytest.mark.parametrize(
    ("ops", "code", "message"),
    [
        (
            [{"op": "add", "path": "/data/x", "value": "1"}, {"op": "test", "path": "/data/a", "value": "9"}],
            422,
            GENERIC_422,
        ),
        ([{"op": "remove", "path": "/data/nope"}], 422, GENERIC_422),
        ([{"op": "frobnicate", "path": "/data/a"}], 422, GENERIC_422),
        ({"op": "add"}, 400, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
        (b"[{not json", 400, "invalid JSON patch"),
    ],
)
async def test_bad_json_patches_change_nothing(api: Api, ops: Any, code: int, message: str) -> None:
    live = await api.json("POST", CM, cm(data={"a": "1"}), expect=201)
    status = await patch(api, f"{CM}/c", ops, JSON_PATCH, expect=code)
    assert status["kind"] == "Status" and status["message"] == message
    assert status["reason"] == ("Invalid" if code == 422 else "BadRequest")
    after = await api.json("GET", f"{CM}/c", expect=200)
    assert after["metadata"]["resourceVersion"] == live["metadata"]["resourceVersion"]
    assert after["data"] == {"a": "1"}


async def test_too_many_json_patch_operations_is_413(api: Api) -> None:
    await api.json("POST", CM, cm(data={"a": "1"}), expect=201)
    ops = [{"op": "test", "path": "/data/a", "value": "1"}] * 10_001
    status = await patch(api, f"{CM}/c", ops, JSON_PATCH, expect=413)
    assert status["message"] == "The allowed maximum operations in a JSON patch is 10000, got 10001"


# merge patch


async def test_merge_patch_deletes_with_null_and_replaces_lists(api: Api) -> None:
    await api.json("POST", DEPLOYMENTS, deployment(), expect=201)
    sidecar = {"name": "side", "image": "busybox"}
    body = {"metadata": {"labels": {"a": "b"}}, "spec": {"template": {"spec": {"containers": [sidecar]}}}}
    obj = await patch(api, f"{DEPLOYMENTS}/web", body, MERGE)
    assert [c["name"] for c in obj["spec"]["template"]["spec"]["containers"]] == ["side"]
    obj = await patch(api, f"{DEPLOYMENTS}/web", {"metadata": {"labels": None}}, MERGE)
    assert "labels" not in obj["metadata"]
    status = await patch(api, f"{DEPLOYMENTS}/web", "a string", MERGE, expect=400)
    assert status["message"] == "Invalid JSON Patch"


# strategic merge patch


async def test_strategic_merge_patch_merges_by_key_with_directives(api: Api) -> None:
    web = {"name": "web", "image": "nginx:1.25", "env": [{"name": "A", "value": "1"}]}
    await api.json(
        "POST", DEPLOYMENTS, deployment("web", web, {"name": "side", "image": "busybox"}), expect=201
    )
    body = {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "side"}, {"name": "web"}],
                    "containers": [
                        {"name": "web", "image": "nginx:1.27", "env": [{"name": "B", "value": "2"}]}
                    ],
                }
            }
        }
    }
    obj = await patch(api, f"{DEPLOYMENTS}/web", body, SMP)
    containers = obj["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["side", "web"]
    assert containers[1]["image"] == "nginx:1.27"
    assert {e["name"] for e in containers[1]["env"]} == {"A", "B"}
    delete = {"spec": {"template": {"spec": {"containers": [{"name": "side", "$patch": "delete"}]}}}}
    obj = await patch(api, f"{DEPLOYMENTS}/web", delete, SMP)
    assert [c["name"] for c in obj["spec"]["template"]["spec"]["containers"]] == ["web"]
    # retainKeys: the strategy's other fields go when the patch lists only `type`.
    recreate = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    obj = await patch(api, f"{DEPLOYMENTS}/web", recreate, SMP)
    assert obj["spec"]["strategy"] == {"type": "Recreate"}


async def test_strategic_merge_patch_errors_have_kubernetes_status(api: Api) -> None:
    await api.json("POST", DEPLOYMENTS, deployment(), expect=201)
    merge_list = {"spec": {"template": {"spec": {"containers": [{"name": "web", "$patch": "merge"}]}}}}
    status = await patch(api, f"{DEPLOYMENTS}/web", merge_list, SMP, expect=500)
    assert status["message"] == "merging lists cannot yet be specified in the patch"
    assert status.get("reason", "") == ""  # a plain error, not a Status reason
    bad_retain = {"spec": {"strategy": {"$retainKeys": "type"}}}
    status = await patch(api, f"{DEPLOYMENTS}/web", bad_retain, SMP, expect=400)
    assert status["message"] == "invalid patch format of retainKeys"


async def test_patches_producing_bad_objects_are_refused(api: Api) -> None:
    live = await api.json("POST", DEPLOYMENTS, deployment(), expect=201)
    path = f"{DEPLOYMENTS}/web"
    wrong_type = await patch(api, path, {"spec": {"replicas": "x"}}, SMP, expect=422)
    # kube-apiserver's NewInvalid with an empty GroupKind: kubectl prints "The request is invalid"
    assert wrong_type["message"].startswith(
        ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:x]]"'
    )
    assert wrong_type["details"]["causes"][0]["field"] == "patch"
    unknown = await patch(
        api, path, {"spec": {"bogus": 1}}, MERGE, expect=422, query="?fieldValidation=Strict"
    )
    assert 'strict decoding error: unknown field "spec.bogus"' in unknown["message"]
    invalid = await patch(api, path, {"spec": {"replicas": -1}}, MERGE, expect=422)
    assert invalid["message"].startswith('Deployment.apps "web" is invalid: spec.replicas')
    warned = await api.request("PATCH", path, raw=b'{"spec":{"bogus":1}}', headers={"Content-Type": MERGE})
    assert warned.status == 200 and 'unknown field \\"spec.bogus\\"' in warned.headers["Warning"]
    after = await api.json("GET", path, expect=200)
    assert after["spec"] == live["spec"]


async def test_unsupported_patch_type_is_415(api: Api) -> None:
    await api.json("POST", CM, cm(), expect=201)
    status = await patch(api, f"{CM}/c", {}, "application/xml", expect=415)
    assert status["message"] == (
        "the body of the request was in an unknown format - accepted media types include: "
        f"{JSON_PATCH}, {MERGE}, {SMP}, {APPLY}"
    )


# server-side apply: creation, no-ops, options


async def test_apply_creates_the_object_then_changes_nothing(api: Api) -> None:
    created = await apply(api, f"{CM}/c", cm(data={"k": "v"}), "kubectl", expect=201)
    assert created["metadata"]["namespace"] == "default"
    (entry,) = created["metadata"]["managedFields"]
    assert entry["manager"] == "kubectl" and entry["operation"] == "Apply" and entry["apiVersion"] == "v1"
    assert entry["fieldsType"] == "FieldsV1" and entry["fieldsV1"] == {"f:data": {"f:k": {}}}
    assert entry["time"].endswith("Z")
    again = await apply(api, f"{CM}/c", cm(data={"k": "v"}), "kubectl")
    assert again["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    assert again["metadata"]["managedFields"] == created["metadata"]["managedFields"]


async def test_apply_bodies_may_be_yaml(api: Api) -> None:
    body = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n"
    obj = await patch(api, f"{CM}/c", body, APPLY, expect=201, query="?fieldManager=y")
    assert obj["data"] == {"k": "v"}


@pytest.mark.parametrize(
    ("query", "body", "content_type", "code", "message"),
    [
        (
            "",
            cm(),
            APPLY,
            422,
            'PatchOptions.meta.k8s.io "" is invalid: '
            "fieldManager: Required value: is required for apply patch",
        ),
        (
            "?force=true",
            {"data": {"k": "v"}},
            MERGE,
            422,
            'PatchOptions.meta.k8s.io "" is invalid: '
            "force: Forbidden: may not be specified for non-apply patch",
        ),
        ("?fieldManager=a", cm(managedFields=[]), APPLY, 400, "metadata.managedFields must be nil"),
        ("?fieldManager=a", {**cm(), "kind": "Secret"}, APPLY, 400, "invalid object type: /v1, Kind=Secret"),
        (
            "?fieldManager=a",
            cm("other"),
            APPLY,
            400,
            "the name of the object (other) does not match the name on the URL (c)",
        ),
        (
            "?fieldManager=a",
            [1],
            APPLY,
            400,
            "error decoding patch: "
            "json: cannot unmarshal array into Go value of type map[string]interface {}",
        ),
        (
            "?fieldManager=a%01b",
            {"data": {"k": "v"}},
            MERGE,
            422,
            "invalid character U+0001 (at position 1)",
        ),
    ],
)
async def test_bad_apply_requests(
    api: Api, query: str, body: Any, content_type: str, code: int, message: str
) -> None:
    await api.json("POST", CM, cm(), expect=201)
    status = await patch(api, f"{CM}/c", body, content_type, expect=code, query=query)
    assert status["message"] == message or status["message"].endswith(message)


async def test_applied_fields_must_be_in_the_schema(api: Api) -> None:
    status = await apply(api, f"{CM}/c", {**cm(), "bogus": 1}, expect=500)
    assert status["message"] == (
        "failed to create typed patch object (/c; /v1, Kind=ConfigMap): .bogus: field not declared in schema"
    )
    await api.json("GET", f"{CM}/c", expect=404)


async def test_apply_dry_run_reports_managed_fields_and_stores_nothing(api: Api) -> None:
    obj = await patch(
        api, f"{CM}/c", cm(data={"k": "v"}), APPLY, expect=201, query="?fieldManager=a&dryRun=All"
    )
    assert entries(obj) == [("a", "Apply", "")]
    await api.json("GET", f"{CM}/c", expect=404)


async def test_apply_to_a_missing_subresource_is_404(api: Api) -> None:
    await apply(api, f"{DEPLOYMENTS}/web/status", deployment(), expect=404)


# server-side apply: several managers


async def test_conflicts_name_the_managers_and_force_takes_ownership(api: Api) -> None:
    await apply(api, f"{CM}/c", cm(data={"k": "v", "other": "1"}), "a", expect=201)
    status = await apply(api, f"{CM}/c", cm(data={"k": "w"}), "b", expect=409)
    assert status["reason"] == "Conflict"
    assert status["message"] == 'Apply failed with 1 conflict: conflict with "a": .data.k'
    assert status["details"]["causes"] == [
        {"reason": "FieldManagerConflict", "message": 'conflict with "a"', "field": ".data.k"}
    ]
    assert (await api.json("GET", f"{CM}/c"))["data"]["k"] == "v"
    forced = await apply(api, f"{CM}/c", cm(data={"k": "w"}), "b", force=True)
    assert forced["data"] == {"k": "w", "other": "1"}
    assert owned(forced, "a") == {("f:data", "f:other")}
    assert owned(forced, "b") == {("f:data", "f:k")}


async def test_shared_fields_stay_until_their_last_manager_lets_go(api: Api) -> None:
    await apply(api, f"{CM}/c", cm(data={"k": "v", "a": "1"}), "a", expect=201)
    shared = await apply(api, f"{CM}/c", cm(data={"k": "v"}), "b")  # same value: no conflict
    assert ("f:data", "f:k") in owned(shared, "a") and ("f:data", "f:k") in owned(shared, "b")
    dropped = await apply(api, f"{CM}/c", cm(data={"a": "1"}), "a")
    assert dropped["data"] == {"k": "v", "a": "1"}  # b still owns k
    gone = await apply(api, f"{CM}/c", cm(), "b")
    assert gone["data"] == {"a": "1"}
    assert entries(gone) == [("a", "Apply", "")]


async def test_three_managers_conflicts_are_grouped_by_manager(api: Api) -> None:
    await apply(api, f"{CM}/c", cm(data={"x": "1"}), "a", expect=201)
    await patch(api, f"{CM}/c", {"data": {"y": "2"}}, MERGE, query="?fieldManager=b")
    status = await apply(api, f"{CM}/c", cm(data={"x": "9", "y": "9", "z": "9"}), "c", expect=409)
    assert status["message"] == (
        'Apply failed with 2 conflicts: conflicts with "a":\n- .data.x\n'
        'conflicts with "b" using v1:\n- .data.y'
    )
    assert [c["field"] for c in status["details"]["causes"]] == [".data.x", ".data.y"]
    forced = await apply(api, f"{CM}/c", cm(data={"x": "9", "y": "9", "z": "9"}), "c", force=True)
    assert [e[0] for e in entries(forced)] == ["c"]  # a and b own nothing any more


async def test_list_semantics_follow_the_schema(api: Api) -> None:
    path = f"{DEPLOYMENTS}/web"
    await apply(api, path, deployment("web", {"name": "web", "image": "nginx:1.25"}), "a", expect=201)
    # a list-map: another manager's container joins the list, a's survives
    side = await apply(api, path, deployment("web", {"name": "side", "image": "busybox"}), "b")
    assert [c["name"] for c in side["spec"]["template"]["spec"]["containers"]] == ["web", "side"]
    # an item field owned by a conflicts for b
    status = await apply(
        api, path, deployment("web", {"name": "web", "image": "nginx:1.27"}), "b", expect=409
    )
    assert status["details"]["causes"][0]["field"] == '.spec.template.spec.containers[name="web"].image'
    # an atomic list (args) is one field
    args = deployment("web", {"name": "web", "image": "nginx:1.25", "args": ["-v"]})
    mine = await apply(api, path, args, "a")
    assert ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"web"}', "f:args") in owned(
        mine, "a"
    )
    # a set (finalizers): both managers' values are kept
    fin_a, fin_b = deployment(), deployment()
    fin_a["metadata"]["finalizers"] = ["x.io/a"]
    fin_b["metadata"]["finalizers"] = ["x.io/b"]
    fin_a["spec"] = fin_b["spec"] = args["spec"]
    await apply(api, path, fin_a, "a")
    both = await apply(
        api,
        path,
        {**fin_b, "spec": {"template": {"spec": {"containers": [{"name": "side", "image": "busybox"}]}}}},
        "b",
    )
    assert both["metadata"]["finalizers"] == ["x.io/a", "x.io/b"]


async def test_apply_removes_what_the_manager_stops_applying(api: Api) -> None:
    labelled = cm(labels={"x": "1", "y": "2"})
    await apply(api, f"{CM}/c", labelled, "a", expect=201)
    obj = await apply(api, f"{CM}/c", cm(labels={"x": "1"}), "a")
    assert obj["metadata"]["labels"] == {"x": "1"}


async def test_status_apply_is_recorded_under_the_subresource(api: Api) -> None:
    await api.json("POST", DEPLOYMENTS, deployment(), expect=201)
    status_body = {**deployment(), "status": {"observedGeneration": 1}}
    obj = await apply(api, f"{DEPLOYMENTS}/web/status", status_body, "ctrl")
    assert ("ctrl", "Apply", "status") in entries(obj)
    assert owned(obj, "ctrl") == {("f:status", "f:observedGeneration")}
    # status in an apply to the main resource is neither stored nor owned
    main = await apply(api, f"{DEPLOYMENTS}/web", {**deployment(), "status": {"replicas": 5}}, "a")
    assert "replicas" not in main.get("status", {})
    assert not any(p[0] == "f:status" for p in owned(main, "a"))


# managedFields on every other write


async def test_every_write_records_an_update_entry(api: Api) -> None:
    created = await api.json("POST", CM + "?fieldManager=creator", cm(data={"a": "1", "b": "2"}), expect=201)
    assert entries(created) == [("creator", "Update", "")]
    # data is a map the new object did not have: a member itself (`.`), as in Kubernetes
    assert owned(created, "creator", "Update") == {("f:data",), ("f:data", "f:a"), ("f:data", "f:b")}
    updated = await api.json(
        "PUT", f"{CM}/c?fieldManager=updater", {**created, "data": {"a": "one", "b": "2"}}, expect=200
    )
    assert owned(updated, "creator", "Update") == {("f:data",), ("f:data", "f:b")}
    assert owned(updated, "updater", "Update") == {("f:data", "f:a")}
    again = await patch(api, f"{CM}/c", {"data": {"c": "3"}}, MERGE, query="?fieldManager=updater")
    assert owned(again, "updater", "Update") == {("f:data", "f:a"), ("f:data", "f:c")}  # one entry
    assert [e[0] for e in entries(again)] == ["creator", "updater"]


@pytest.mark.parametrize(
    ("agent", "manager"),
    [("kubectl/v1.37.1 (linux/amd64) kubernetes/abc", "kubectl"), ("my tool", "my tool"), ("", "unknown")],
)
async def test_the_default_manager_comes_from_the_user_agent(api: Api, agent: str, manager: str) -> None:
    created = await api.json("POST", CM, cm(data={"a": "1"}), expect=201, headers={"User-Agent": agent})
    assert entries(created) == [(manager, "Update", "")]


async def test_an_object_created_owning_nothing_stays_untracked(api: Api) -> None:
    await api.json("POST", CM + "?fieldManager=m", cm(), expect=201)  # no data: nothing to own
    obj = await patch(api, f"{CM}/c", {"data": {"a": "1"}}, MERGE, query="?fieldManager=m")
    assert "managedFields" not in obj["metadata"]  # as Kubernetes: tracking starts with an apply


async def test_a_write_changing_only_times_is_a_no_op(api: Api) -> None:
    clock = FakeClock()
    api.server.clock = clock
    created = await api.json("POST", CM + "?fieldManager=m", cm(data={"a": "1"}), expect=201)
    clock.advance(60)
    same = await patch(api, f"{CM}/c", {"data": {"a": "1"}}, MERGE, query="?fieldManager=m")
    assert same["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    assert same["metadata"]["managedFields"] == created["metadata"]["managedFields"]
    clock.advance(60)
    changed = await patch(api, f"{CM}/c", {"data": {"a": "2"}}, MERGE, query="?fieldManager=m")
    assert changed["metadata"]["managedFields"][0]["time"] > created["metadata"]["managedFields"][0]["time"]


async def test_sending_empty_managed_fields_resets_them(api: Api) -> None:
    created = await api.json("POST", CM + "?fieldManager=m", cm(data={"a": "1"}), expect=201)
    created["metadata"]["managedFields"] = []
    reset = await api.json("PUT", f"{CM}/c?fieldManager=m", created, expect=200)
    assert "managedFields" not in reset["metadata"]
    untracked = await patch(api, f"{CM}/c", {"data": {"b": "2"}}, MERGE, query="?fieldManager=m")
    assert "managedFields" not in untracked["metadata"]  # an object without entries stays so
    applied = await apply(api, f"{CM}/c", cm(data={"c": "3"}), "a")
    assert entries(applied) == [("a", "Apply", ""), ("before-first-apply", "Update", "")]
    merged = await patch(api, f"{CM}/c", {"metadata": {"managedFields": []}}, MERGE)
    assert "managedFields" not in merged["metadata"]


async def test_status_and_scale_writes_name_their_subresource(api: Api) -> None:
    created = await api.json("POST", DEPLOYMENTS + "?fieldManager=m", deployment(), expect=201)
    created["status"] = {"replicas": 1}
    status = await api.json("PUT", f"{DEPLOYMENTS}/web/status?fieldManager=ctrl", created, expect=200)
    assert ("ctrl", "Update", "status") in entries(status)
    assert owned(status, "ctrl", "Update") == {("f:status", "f:replicas")}
    await patch(api, f"{DEPLOYMENTS}/web/scale", {"spec": {"replicas": 4}}, MERGE, query="?fieldManager=s")
    scaled = await api.json("GET", f"{DEPLOYMENTS}/web")
    assert ("s", "Update", "scale") in entries(scaled)
    assert owned(scaled, "s", "Update") == {("f:spec", "f:replicas")}
    assert ("f:spec", "f:replicas") not in owned(scaled, "m", "Update")


async def test_entries_are_sorted_apply_first_then_by_time(api: Api) -> None:
    clock = FakeClock()
    api.server.clock = clock
    await api.json("POST", CM + "?fieldManager=zz", cm(data={"a": "1"}), expect=201)
    clock.advance(10)
    await patch(api, f"{CM}/c", {"data": {"b": "1"}}, MERGE, query="?fieldManager=aa")
    clock.advance(10)
    obj = await apply(api, f"{CM}/c", cm(data={"c": "1"}), "m")
    assert [e[0] for e in entries(obj)] == ["m", "zz", "aa"]


async def test_update_managers_are_capped_at_ten(api: Api) -> None:
    clock = FakeClock()
    api.server.clock = clock
    await api.json("POST", CM + "?fieldManager=m0", cm(data={"k0": "v"}), expect=201)
    for i in range(1, 12):
        clock.advance(1)
        obj = await patch(api, f"{CM}/c", {"data": {f"k{i}": "v"}}, MERGE, query=f"?fieldManager=m{i}")
    names = [e[0] for e in entries(obj)]
    assert len(names) == 10 and "ancient-changes" in names
