"""Cached objects kept as shared pieces, lists and Tables assembled from them, large bodies streamed.

Everything here checks that what a client receives is byte for byte the plain encoding.
"""

from __future__ import annotations

import copy
from typing import Any

import orjson
import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import RawTestServer

from pyk8s.apiserver import responses
from pyk8s.apiserver.negotiation import Output
from pyk8s.apiserver.responses import TableRows, list_parts, send, table_list_parts
from pyk8s.kinds import builtin_strategies
from pyk8s.registry.store import encode_ordered
from pyk8s.registry.watchcache import CachedObject, Compactor, Filter, WatchCache, line
from pyk8s.storage import KeyValue
from pyk8s.storage.memory import MemoryStorage

PREFIX = "/registry/pods/"
POD_STRATEGY = next(s for s in builtin_strategies() if s.info.plural == "pods")


def pod(i: int, *, node: str = "node-1", created: str = "2026-11-22T07:16:13Z") -> dict[str, Any]:
    """A pod of one ReplicaSet: alike but for its name, uid, node and token volume."""
    container = {
        "name": "web",
        "image": "registry.local/web:1.25.3",
        "ports": [{"containerPort": 8080, "protocol": "TCP", "name": "http"}],
        "env": [{"name": "MODE", "value": "production"}, {"name": "RATIO", "value": "0.25"}],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
        "volumeMounts": [
            {"name": f"kube-api-access-{i:05d}", "mountPath": "/var/run/secrets", "readOnly": True}
        ],
        "terminationMessagePath": "/dev/termination-log",
        "imagePullPolicy": "IfNotPresent",
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"web-{i:06d}",
            "namespace": "ns",
            "uid": f"00000000-0000-4000-8000-{i:012d}",
            "resourceVersion": str(100 + i),
            "creationTimestamp": created,
            "labels": {"app": "web", "pod-template-hash": "5d8f7c9b6d"},
            "managedFields": [
                {
                    "manager": "kube-controller-manager",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": created,
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:spec": {"f:x": {}}},
                }
            ],
        },
        "spec": {
            "nodeName": node,
            "containers": [container, {**container, "name": "sidecar", "image": "registry.local/s:1"}],
            "volumes": [{"name": f"kube-api-access-{i:05d}", "projected": {"defaultMode": 420}}],
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}
            ],
            "note": 'ünïcode \u2028 and "quotes"',
        },
        "status": {"phase": "Pending", "qosClass": "Burstable"},
    }


def cached(obj: dict[str, Any]) -> CachedObject:
    """As the registry caches an object: ordered JSON with the metadata's end."""
    raw, meta_end = encode_ordered(obj)
    meta = obj["metadata"]
    key = f"{PREFIX}{meta['namespace']}/{meta['name']}"
    fields = {"metadata.name": meta["name"], "spec.nodeName": obj["spec"].get("nodeName", "")}
    return CachedObject(key, meta["namespace"], meta["name"], 1, raw, dict(meta["labels"]), fields, meta_end)


def test_compacted_objects_join_to_their_exact_bytes_and_share_pieces() -> None:
    compactor = Compactor()
    objects = [cached(pod(i)) for i in range(3)]
    plain = [o.raw for o in objects]
    for obj in objects:
        compactor.compact(obj)
    assert [o.raw for o in objects] == plain
    first, second = objects[0].parts(), objects[1].parts()
    assert len(first) > 1
    shared = {id(p) for p in first} & {id(p) for p in second}
    # much of the bytes is held once for both pods
    assert sum(len(p) for p in second if id(p) in shared) > len(plain[1]) / 3
    assert objects[0].labels is objects[1].labels
    for obj, raw in zip(objects, plain, strict=True):
        assert obj.metadata_bytes() == orjson.dumps(orjson.loads(raw)["metadata"])
        assert obj.obj() == orjson.loads(raw)


def test_small_and_foreign_encodings_are_left_whole() -> None:
    compactor = Compactor()
    small = cached(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "a", "namespace": "ns", "labels": {}},
            "spec": {},
        }
    )
    compactor.compact(small)
    assert len(small.parts()) == 1
    spaced = orjson.dumps(pod(1), option=orjson.OPT_INDENT_2)  # not how the registry encodes
    other = CachedObject("k", "ns", "web-000001", 1, spaced, {}, {})
    compactor.compact(other)
    assert other.parts() == (spaced,)
    assert other.metadata_parts() is None


def test_the_piece_table_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Compactor, "TABLE_SIZE", 40)
    compactor = Compactor()
    objects = [cached(pod(i, node=f"node-{i}")) for i in range(30)]
    plain = [o.raw for o in objects]
    for obj in objects:
        compactor.compact(obj)
    assert len(compactor._pieces) <= 40
    assert [o.raw for o in objects] == plain


def test_lists_and_tables_from_pieces_equal_those_from_whole_bytes() -> None:
    whole = [cached(pod(i)) for i in range(5)]
    pieces = [cached(pod(i)) for i in range(5)]
    compactor = Compactor()
    for obj in pieces:
        compactor.compact(obj)
    body = b"".join(list_parts("PodList", "v1", pieces, 7, "token", 3))
    assert body == b"".join(list_parts("PodList", "v1", whole, 7, "token", 3))
    decoded = orjson.loads(body)
    assert decoded["metadata"] == {"resourceVersion": "7", "continue": "token", "remainingItemCount": 3}
    assert [orjson.dumps(i) for i in decoded["items"]] == [o.raw for o in whole]
    assert b"".join(list_parts("PodList", "v1", [], 7)) == orjson.dumps(
        {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "7"}, "items": []}
    )
    for include in ("", "None", "Object", "Metadata"):
        first = b"".join(table_list_parts(POD_STRATEGY, pieces, include_object=include))
        again = b"".join(table_list_parts(POD_STRATEGY, pieces, include_object=include))  # cached rows
        assert first == again == b"".join(table_list_parts(POD_STRATEGY, whole, include_object=include))
    table = orjson.loads(b"".join(table_list_parts(POD_STRATEGY, pieces)))
    assert table["rows"][0]["object"]["metadata"]["name"] == "web-000000"
    assert line("ADDED", pieces[0]) == b'{"type":"ADDED","object":' + whole[0].raw + b"}\n"


def test_a_cached_row_recomputes_only_its_age() -> None:
    obj = cached(pod(1, created="2026-11-22T07:00:00Z"))
    created = 1795330800.0  # 2026-11-22T07:00:00Z
    rows = TableRows(POD_STRATEGY, "None", created + 30)
    parts: list[Any] = []
    rows.add(parts, obj)
    assert obj.cells is not None  # kept for the next list
    later: list[Any] = []
    TableRows(POD_STRATEGY, "None", created + 3 * 86400).add(later, obj)
    first, second = orjson.loads(b"".join(parts)), orjson.loads(b"".join(later))
    age = [c["name"] for c in POD_STRATEGY.table_columns()].index("Age")
    assert first["cells"][age] == "30s" and second["cells"][age] == "3d"
    assert first["cells"][:age] == second["cells"][:age]
    assert first["cells"][age + 1 :] == second["cells"][age + 1 :]
    # computed afresh (not cached) the same row reads the same
    fresh: list[Any] = []
    TableRows(POD_STRATEGY, "None", created + 3 * 86400).add(
        fresh, cached(pod(1, created="2026-11-22T07:00:00Z"))
    )
    assert b"".join(fresh) == b"".join(later)


def test_a_row_without_a_creation_time_has_an_unknown_age() -> None:
    obj = pod(2)
    del obj["metadata"]["creationTimestamp"]
    del obj["metadata"]["managedFields"][0]["time"]
    item = cached(obj)
    for _ in range(2):  # computed, then from the cached row
        parts: list[Any] = []
        TableRows(POD_STRATEGY, "None", 1795330800.0).add(parts, item)
        age = [c["name"] for c in POD_STRATEGY.table_columns()].index("Age")
        assert orjson.loads(b"".join(parts))["cells"][age] == "<unknown>"


def decode(kv: KeyValue) -> CachedObject:
    obj = orjson.loads(kv.value)
    obj["metadata"]["resourceVersion"] = str(kv.mod_revision)
    item = cached(obj)
    item.revision = kv.mod_revision
    return item


async def test_the_cache_keeps_pieces_and_lists_by_key_range() -> None:
    storage = MemoryStorage()
    await storage.start()
    for i in range(4):
        value = copy.deepcopy(pod(i))
        value["metadata"]["namespace"] = "ns" if i < 3 else "other"
        await storage.create(f"{PREFIX}{value['metadata']['namespace']}/web-{i:06d}", orjson.dumps(value))
    cache = WatchCache(storage, PREFIX, decode, indexed_fields=("spec.nodeName",))
    await cache.start()
    try:
        everything = cache.list(Filter())
        assert [o.name for o in everything] == [f"web-{i:06d}" for i in range(4)]
        assert all(len(o.parts()) > 1 for o in everything)
        for obj in everything:
            kv = await storage.get(obj.key)
            assert kv is not None
            assert obj.obj() == {**orjson.loads(kv.value), "metadata": orjson.loads(obj.raw)["metadata"]}
        assert [o.name for o in cache.list(Filter(namespace="ns"))] == [f"web-{i:06d}" for i in range(3)]
        assert [o.name for o in cache.list(Filter(namespace="other"))] == ["web-000003"]
        page, more, remaining = cache.page(Filter(namespace="ns"), 2)
        assert ([o.name for o in page], more, remaining) == (["web-000000", "web-000001"], True, 1)
        assert cache.list(Filter(namespace="ns", name="web-000002"))[0].name == "web-000002"
    finally:
        await cache.stop()
        await storage.aclose()


@pytest.mark.parametrize("batch", [64, 1 << 20])
async def test_send_streams_large_bodies_with_their_length_and_warning(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(responses, "STREAM_BATCH", batch)
    objects = [cached(pod(i)) for i in range(4)]
    parts = list_parts("PodList", "v1", objects, 9)
    expected = b"".join(parts)

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        return await send(request, parts, Output("json"), deprecation="old kind")

    server = RawTestServer(handler, host="127.0.0.1")
    await server.start_server()
    try:
        async with ClientSession() as session, session.get(str(server.make_url("/"))) as resp:
            body = await resp.read()
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "application/json"
            assert resp.headers["Content-Length"] == str(len(expected))
            streamed = len(expected) > batch
            # a small body is an ordinary response: its caller adds the warning
            assert resp.headers.getall("Warning", []) == (['299 - "old kind"'] if streamed else [])
    finally:
        await server.close()
    assert body == expected


def test_a_decoded_hint_saves_parsing_and_a_wrong_one_changes_nothing() -> None:
    compactor = Compactor()
    hinted = cached(pod(3))
    hinted.decoded = pod(3)
    compactor.compact(hinted)
    assert hinted.decoded is None and len(hinted.parts()) > 1
    assert hinted.raw == cached(pod(3)).raw
    wrong = cached(pod(4))
    wrong.decoded = pod(5)  # not these bytes: the pieces would not join to them
    Compactor().compact(wrong)  # (a fresh compactor: no object to follow)
    assert wrong.decoded is None and wrong.parts() == (cached(pod(4)).raw,)
    small = CachedObject("k", "ns", "a", 1, b'{"metadata":{}}', {}, {})
    small.decoded = {"metadata": {}}
    compactor.compact(small)
    assert small.decoded is None


def test_an_object_like_one_already_compacted_follows_its_pieces() -> None:
    compactor = Compactor()
    template = cached(pod(1))
    compactor.compact(template)
    # a sibling (no `like`: the last compacted object is followed) and a new version
    sibling = cached(pod(2, node="node-9"))
    compactor.compact(sibling)
    changed = pod(1)
    changed["status"] = {"phase": "Running", "podIP": "10.0.0.7", "qosClass": "Burstable"}
    changed["metadata"]["resourceVersion"] = "500"
    update = cached(changed)
    compactor.compact(update, like=template)
    for obj, value in ((sibling, pod(2, node="node-9")), (update, changed)):
        assert obj.raw == cached(value).raw
        assert obj.metadata_bytes() == orjson.dumps(value["metadata"])
        assert obj.head() == cached(value).head()
        shared = {id(p) for p in template.parts()}
        assert sum(len(p) for p in obj.parts() if id(p) in shared) > len(obj.raw) / 2
    rows = [
        b"".join(table_list_parts(POD_STRATEGY, [o], include_object="Metadata")) for o in (sibling, update)
    ]
    plain = [cached(pod(2, node="node-9")), cached(changed)]
    assert rows == [b"".join(table_list_parts(POD_STRATEGY, [o], include_object="Metadata")) for o in plain]


def test_an_object_unlike_the_last_one_is_cut_afresh() -> None:
    compactor = Compactor()
    compactor.compact(cached(pod(1)))
    other = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "x", "namespace": "ns", "labels": {"a": "b"}},
        "spec": {
            "containers": [{"name": f"c{i}", "image": "i" * 40, "args": ["z" * 30] * 3} for i in range(8)]
        },
    }
    obj = cached(other)
    compactor.compact(obj)
    assert obj.raw == cached(other).raw
    assert obj.metadata_bytes() == orjson.dumps(other["metadata"])
    assert len(obj.parts()) > 8  # cut by its own structure


async def test_the_cache_follows_an_objects_previous_version() -> None:
    storage = MemoryStorage()
    await storage.start()
    cache = WatchCache(storage, PREFIX, decode)
    await cache.start()
    try:
        value = pod(1)
        await storage.create(f"{PREFIX}ns/web-000001", orjson.dumps(value))
        for phase in ("Running", "Succeeded"):
            value["status"]["phase"] = phase
            await storage.update(f"{PREFIX}ns/web-000001", orjson.dumps(value), expected_revision=0)
        assert await cache.wait_fresh(await storage.current_revision(), 5.0)
        (current,) = cache.list(Filter())
        kv = await storage.get(current.key)
        assert kv is not None
        expected = {
            **orjson.loads(kv.value),
            "metadata": {**value["metadata"], "resourceVersion": str(kv.mod_revision)},
        }
        assert current.raw == cached(expected).raw
        assert len(current.parts()) > 1
    finally:
        await cache.stop()
        await storage.aclose()
