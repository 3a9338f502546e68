"""ControllerRevision data, hashes and history pruning, checked against Kubernetes' own values."""

from __future__ import annotations

import pytest

from pyk8s.controllers.history import (
    CONTROLLER_REVISION_HASH_LABEL,
    apply_revision,
    data_bytes,
    equal_revision,
    find_equal_revisions,
    go_json,
    hash_revision,
    new_revision,
    next_revision,
    revision_name,
    revisions_to_prune,
    sort_revisions,
    template_patch,
)

# kube-controller-manager's StatefulSet compatibility fixtures (pkg/controller/statefulset/testdata):
# the defaulted template of a StatefulSet "test" and the ControllerRevision 1.34 recorded for it.
TEMPLATE = {
    "metadata": {"annotations": {"test": "value"}, "labels": {"app": "foo"}},
    "spec": {
        "containers": [
            {
                "image": "test",
                "imagePullPolicy": "Always",
                "name": "test",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    },
}
KUBE_1_34_DATA = (
    b'{"spec":{"template":{"$patch":"replace","metadata":{"annotations":{"test":"value"},'
    b'"labels":{"app":"foo"}},"spec":{"containers":[{"image":"test","imagePullPolicy":"Always",'
    b'"name":"test","resources":{},"terminationMessagePath":"/dev/termination-log",'
    b'"terminationMessagePolicy":"File"}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always",'
    b'"schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}'
)


def sts(name: str = "test", template: dict | None = None, **meta: object) -> dict:
    return {
        "metadata": {"name": name, "namespace": "default", "uid": "ssuid", **meta},
        "spec": {"template": template or TEMPLATE},
    }


def test_patch_bytes_are_the_ones_kubernetes_records() -> None:
    assert data_bytes(template_patch(sts())) == KUBE_1_34_DATA


def test_hash_matches_kubernetes_revision_names() -> None:
    assert hash_revision(KUBE_1_34_DATA, 0) == "776999688b"
    # 1.33 still wrote a null creationTimestamp into the template; its revision was c77f6d978
    older = KUBE_1_34_DATA.replace(
        b'"labels":{"app":"foo"}}', b'"creationTimestamp":null,"labels":{"app":"foo"}}'
    )
    assert hash_revision(older, 0) == "c77f6d978"


def test_collision_count_changes_the_hash() -> None:
    assert hash_revision(KUBE_1_34_DATA, 0) != hash_revision(KUBE_1_34_DATA, 1)
    assert hash_revision(KUBE_1_34_DATA) != hash_revision(KUBE_1_34_DATA, 0)


def test_new_revision_is_named_and_labelled_like_kubernetes() -> None:
    revision = new_revision(
        sts(annotations={"note": "x"}),
        api_version="apps/v1",
        kind="StatefulSet",
        revision=1,
        collision_count=0,
    )
    meta = revision["metadata"]
    assert meta["name"] == "test-776999688b"
    assert meta["labels"] == {"app": "foo", CONTROLLER_REVISION_HASH_LABEL: "776999688b"}
    assert meta["annotations"] == {"note": "x"}
    assert meta["ownerReferences"] == [
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "name": "test",
            "uid": "ssuid",
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert revision["revision"] == 1


def test_revision_name_truncates_long_owner_names() -> None:
    name = revision_name("x" * 300, "abc")
    assert name == "x" * 223 + "-abc"
    assert len(name) <= 253


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"b": 1, "a": [True, None]}, b'{"a":[true,null],"b":1}', id="sorted-keys"),
        pytest.param("<a&b>", b'"\\u003ca\\u0026b\\u003e"', id="html-escaped"),
        pytest.param("line\u2028sep\n\x01", b'"line\\u2028sep\\n\\u0001"', id="control-and-separators"),
        pytest.param("caf\u00e9", '"caf\u00e9"'.encode(), id="utf8-kept"),
        pytest.param(2.0, b"2", id="integral-float"),
        pytest.param(0.5, b"0.5", id="fraction"),
        pytest.param(1e21, b"1e+21", id="large-exponent"),
        pytest.param(1.5e-7, b"1.5e-7", id="small-exponent"),
        pytest.param(0.000012, b"0.000012", id="small-plain"),
    ],
)
def test_go_json(value: object, expected: bytes) -> None:
    assert go_json(value) == expected


def rev(name: str, number: int, data: dict | None = None, created: str = "2026-01-01T00:00:00Z") -> dict:
    return {
        "metadata": {"name": name, "creationTimestamp": created},
        "revision": number,
        "data": data if data is not None else {"n": name},
    }


def test_sort_by_revision_then_creation_then_name() -> None:
    revisions = [
        rev("c", 2),
        rev("b", 1, created="2026-01-02T00:00:00Z"),
        rev("a", 1, created="2026-01-02T00:00:00Z"),
        rev("z", 1),
    ]
    assert [r["metadata"]["name"] for r in sort_revisions(revisions)] == ["z", "a", "b", "c"]


def test_next_revision() -> None:
    assert next_revision([]) == 1
    assert next_revision([rev("a", 3), rev("b", 7)]) == 8


def test_equal_revisions_compare_data() -> None:
    a, b, c = rev("a", 1, {"x": 1}), rev("b", 2, {"x": 1.0}), rev("c", 3, {"x": 2})
    assert equal_revision(a, b)
    assert not equal_revision(a, c)
    assert equal_revision(None, None)
    assert not equal_revision(a, None)
    assert find_equal_revisions([a, c, b], rev("n", 9, {"x": 1})) == [a, b]


def test_apply_revision_restores_the_template() -> None:
    owner = sts(template={"metadata": {"labels": {"app": "new"}}, "spec": {"containers": []}})
    owner["spec"]["replicas"] = 3
    recorded = {"data": template_patch(sts())}
    restored = apply_revision(owner, recorded)
    assert restored["spec"]["template"] == TEMPLATE
    assert restored["spec"]["replicas"] == 3
    assert owner["spec"]["template"]["metadata"]["labels"] == {"app": "new"}  # not modified


def test_prune_keeps_live_and_limit_newest() -> None:
    revisions = [rev(f"r{i}", i) for i in range(1, 7)]
    pruned = revisions_to_prune(revisions, live={"r1", "r6"}, limit=2)
    assert [r["metadata"]["name"] for r in pruned] == ["r2", "r3"]


def test_prune_counting_live_revisions_against_the_limit() -> None:
    revisions = [rev(f"r{i}", i) for i in range(1, 7)]
    pruned = revisions_to_prune(revisions, live={"r1", "r6"}, limit=2, live_counts=True)
    assert [r["metadata"]["name"] for r in pruned] == ["r2", "r3", "r4", "r5"]


def test_prune_without_limit_keeps_everything() -> None:
    revisions = [rev(f"r{i}", i) for i in range(1, 4)]
    assert revisions_to_prune(revisions, live=(), limit=None) == []
    assert revisions_to_prune(revisions, live=(), limit=-1) == []
    assert len(revisions_to_prune(revisions, live=(), limit=0)) == 3
