"""Server-side apply with two and three managers on real kinds, as kube-apiserver behaves."""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from pyk8s.api.apply import (
    ApplyConflictError,
    ApplyTypeError,
    FieldSet,
    ManagedFieldsError,
    apply,
    field_manager_required,
    invalid_object_type,
    update,
)
from pyk8s.api.errors import BadRequestError
from pyk8s.api.schema import Schema
from pyk8s.kinds.schemas import schema_for

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def kind(group: str, version: str, name: str) -> Schema:
    schema = schema_for(group, version, name)
    assert schema is not None
    return schema


class Server:
    """One object written through apply() and update(), with a clock ticking a second per write."""

    def __init__(self, schema: Schema, api_version: str, *, ignored: FieldSet | None = None) -> None:
        self.schema, self.api_version, self.ignored = schema, api_version, ignored
        self.obj: dict[str, Any] = {}
        self.clock = dt.datetime(2024, 5, 1, 10, 0, 0, tzinfo=dt.UTC)

    def _tick(self) -> dt.datetime:
        self.clock += dt.timedelta(seconds=1)
        return self.clock

    def _store(self, obj: dict[str, Any]) -> None:
        obj = copy.deepcopy(obj)
        obj.setdefault("metadata", {}).setdefault("uid", "6a1b0c4e")  # what create adds
        self.obj = obj

    def apply(
        self, manager: str, config: dict[str, Any], *, force: bool = False, subresource: str = ""
    ) -> bool:
        result = apply(
            self.obj,
            copy.deepcopy(config),
            manager,
            None,
            self.schema,
            force=force,
            api_version=self.api_version,
            now=self._tick(),
            subresource=subresource,
            ignored=self.ignored,
        )
        self._store(result.obj)
        return result.changed

    def update(
        self, manager: str, change: Callable[[dict[str, Any]], None], *, subresource: str = ""
    ) -> None:
        new = copy.deepcopy(self.obj)
        change(new)
        result = update(
            self.obj,
            new,
            manager,
            None,
            self.schema,
            api_version=self.api_version,
            now=self._tick(),
            subresource=subresource,
            ignored=self.ignored,
        )
        self._store(result.obj)

    def owned(self) -> dict[str, dict[str, Any]]:
        """fieldsV1 by manager (with ` Update`/`/sub` suffixes where needed to tell entries apart)."""
        out = {}
        for e in self.obj["metadata"].get("managedFields", []):
            name = e["manager"] + ("/" + e["subresource"] if e.get("subresource") else "")
            out[name if e["operation"] == "Apply" else name + " Update"] = e["fieldsV1"]
        return out

    @property
    def body(self) -> dict[str, Any]:
        meta = {k: v for k, v in self.obj["metadata"].items() if k not in ("managedFields", "uid")}
        return {**self.obj, "metadata": meta}


# ConfigMap: ownership, removal, sharing


def configmap(data: dict[str, str], **meta: Any) -> dict[str, Any]:
    """A ConfigMap configuration; no `data` at all when empty (as decoding leaves it)."""
    out: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cm", "namespace": "default", **meta},
    }
    if data:
        out["data"] = data
    return out


@pytest.fixture
def cm() -> Server:
    return Server(kind("", "v1", "ConfigMap"), "v1")


def test_first_apply_creates_the_appliers_entry(cm: Server) -> None:
    assert cm.apply("kubectl", configmap({"k": "v"}, labels={"app": "x"}))
    assert cm.obj["metadata"]["managedFields"] == [
        {
            "manager": "kubectl",
            "operation": "Apply",
            "apiVersion": "v1",
            "time": "2024-05-01T10:00:01Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:data": {"f:k": {}}, "f:metadata": {"f:labels": {"f:app": {}}}},
        }
    ]
    assert cm.body == configmap({"k": "v"}, labels={"app": "x"})


def test_reapplying_without_a_field_removes_it(cm: Server) -> None:
    cm.apply("kubectl", configmap({"a": "1", "b": "2"}, labels={"app": "x", "tier": "y"}))
    cm.apply("kubectl", configmap({"a": "1"}))
    assert cm.body == configmap({"a": "1"})
    assert cm.owned() == {"kubectl": {"f:data": {"f:a": {}}}}


def test_a_field_another_manager_also_applies_survives(cm: Server) -> None:
    cm.apply("alice", configmap({"shared": "s", "mine": "a"}))
    cm.apply("bob", configmap({"shared": "s", "his": "b"}))
    cm.apply("alice", configmap({}))
    assert cm.body["data"] == {"shared": "s", "his": "b"}
    assert cm.owned() == {"bob": {"f:data": {"f:his": {}, "f:shared": {}}}}


def test_an_updaters_field_survives_the_appliers_removal(cm: Server) -> None:
    cm.apply("kubectl", configmap({"a": "1"}))
    cm.update("kubectl-edit", lambda o: o["data"].update(a="2"))
    cm.apply("kubectl", configmap({}), force=False)
    assert cm.body["data"] == {"a": "2"}
    assert cm.owned() == {"kubectl-edit Update": {"f:data": {"f:a": {}}}}


def test_an_empty_map_in_a_configuration_claims_the_map_itself(cm: Server) -> None:
    cm.apply("kubectl", {**configmap({"k": "v"}), "data": {"k": "v"}})
    cm.apply("kubectl", {**configmap({}), "data": {}})  # SMD: an empty map is a leaf
    assert "data" not in cm.body  # k was pruned; the emptied map is null, which Go omits
    assert cm.owned() == {"kubectl": {"f:data": {}}}


def test_an_apply_that_owns_nothing_leaves_the_object_untracked(cm: Server) -> None:
    cm.apply("kubectl", configmap({}))  # only name and namespace, which are never tracked
    assert "managedFields" not in cm.obj["metadata"]
    cm.update("kubectl-edit", lambda o: o.update(data={"k": "v"}))
    assert "managedFields" not in cm.obj["metadata"]


def test_same_value_from_two_appliers_is_shared_without_conflict(cm: Server) -> None:
    cm.apply("alice", configmap({"k": "v"}))
    changed = cm.apply("bob", configmap({"k": "v"}))
    assert not changed
    entries = {e["manager"]: e for e in cm.obj["metadata"]["managedFields"]}
    assert entries["alice"]["fieldsV1"] == entries["bob"]["fieldsV1"] == {"f:data": {"f:k": {}}}
    assert "time" not in entries["bob"]  # nothing changed, so Kubernetes sets no time


def test_a_no_op_reapply_keeps_the_time(cm: Server) -> None:
    cm.apply("kubectl", configmap({"k": "v"}))
    before = cm.obj["metadata"]["managedFields"]
    assert not cm.apply("kubectl", configmap({"k": "v"}))
    assert cm.obj["metadata"]["managedFields"] == before


# conflicts, force, updates


def deployment(**spec: Any) -> dict[str, Any]:
    container = {"name": "nginx", "image": spec.pop("image", "nginx:1.25")}
    if "args" in spec:
        container["args"] = spec.pop("args")
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", **spec.pop("meta", {})},
        "spec": {
            **spec,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container]}},
        },
    }


@pytest.fixture
def web() -> Server:
    return Server(kind("apps", "v1", "Deployment"), "apps/v1", ignored=FieldSet.of(("f:status",)))


NGINX = ("f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}')


def scale(replicas: int) -> Callable[[dict[str, Any]], None]:
    return lambda o: o["spec"].update(replicas=replicas)


def test_scale_then_apply_conflicts_in_kubernetes_words(web: Server) -> None:
    web.apply("kubectl", deployment(replicas=2))
    web.update("kubectl-scale", scale(5), subresource="scale")
    with pytest.raises(ApplyConflictError) as info:
        web.apply("kubectl", deployment(replicas=3))
    assert info.value.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" '
        "using apps/v1: .spec.replicas",
        "reason": "Conflict",
        "details": {
            "causes": [
                {
                    "reason": "FieldManagerConflict",
                    "message": 'conflict with "kubectl-scale" with subresource "scale" using apps/v1',
                    "field": ".spec.replicas",
                }
            ]
        },
        "code": 409,
    }
    assert web.body["spec"]["replicas"] == 5  # nothing was written


def test_applying_the_current_value_is_no_conflict(web: Server) -> None:
    web.apply("kubectl", deployment(replicas=2))
    web.update("kubectl-scale", scale(5))
    web.apply("kubectl", deployment(replicas=5))
    assert web.owned()["kubectl-scale Update"] == {"f:spec": {"f:replicas": {}}}
    assert web.owned()["kubectl"]["f:spec"]["f:replicas"] == {}  # both own it now


def test_force_takes_ownership(web: Server) -> None:
    web.apply("kubectl", deployment(replicas=2))
    web.update("kubectl-scale", scale(5))
    web.apply("kubectl", deployment(replicas=3), force=True)
    assert web.body["spec"]["replicas"] == 3
    assert "kubectl-scale Update" not in web.owned()  # its only field was taken: no entry left


def test_several_conflicts_are_grouped_by_manager(web: Server) -> None:
    web.apply("alice", deployment(replicas=1, image="nginx:1", meta={"labels": {"team": "a"}}))
    web.update("hpa", scale(4))
    with pytest.raises(ApplyConflictError) as info:
        web.apply("bob", deployment(replicas=2, image="nginx:2", meta={"labels": {"team": "b"}}))
    assert str(info.value) == (
        "Apply failed with 3 conflicts: "
        'conflicts with "alice":\n'
        "- .metadata.labels.team\n"
        '- .spec.template.spec.containers[name="nginx"].image\n'
        'conflicts with "hpa" using apps/v1:\n'
        "- .spec.replicas"
    )
    assert [(c["field"], c["message"]) for c in info.value.details["causes"]] == [
        (".metadata.labels.team", 'conflict with "alice"'),
        ('.spec.template.spec.containers[name="nginx"].image', 'conflict with "alice"'),
        (".spec.replicas", 'conflict with "hpa" using apps/v1'),
    ]


def test_update_after_apply_splits_ownership(web: Server) -> None:
    web.apply("kubectl", deployment(replicas=2, image="nginx:1"))

    def set_image(o: dict[str, Any]) -> None:
        o["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2"

    web.update("kubectl-set", set_image)
    owned = web.owned()
    assert owned["kubectl-set Update"] == {
        "f:spec": {"f:template": {"f:spec": {"f:containers": {'k:{"name":"nginx"}': {"f:image": {}}}}}}
    }
    assert (
        "f:image"
        not in owned["kubectl"]["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']
    )
    # The applier re-applying its old image now conflicts with the updater.
    with pytest.raises(
        ApplyConflictError, match=r'conflict with "kubectl-set" using apps/v1: .spec.template'
    ):
        web.apply("kubectl", deployment(replicas=2, image="nginx:1"))


def test_three_managers_keep_their_own_fields(web: Server) -> None:
    web.apply("kubectl", deployment(replicas=2, meta={"labels": {"app": "web"}}))
    web.update("kubectl-scale", scale(4))
    web.apply(
        "ops",
        {
            **deployment(),
            "metadata": {"name": "web", "namespace": "default", "annotations": {"owner": "ops"}},
            "spec": {},
        },
    )
    web.apply("kubectl", deployment(meta={"labels": {"app": "web"}}))  # stops applying replicas
    assert web.body["spec"]["replicas"] == 4  # the scaler still owns it
    assert web.body["metadata"]["annotations"] == {"owner": "ops"}
    assert set(web.owned()) == {"kubectl", "ops", "kubectl-scale Update"}
    assert "f:replicas" not in web.owned()["kubectl"]["f:spec"]


def test_an_atomic_list_conflicts_and_moves_whole(web: Server) -> None:
    web.apply("alice", deployment(args=["-a", "-b"]))
    with pytest.raises(ApplyConflictError) as info:
        web.apply("bob", deployment(args=["-c"]))
    assert [c.field for c in info.value.conflicts] == ['.spec.template.spec.containers[name="nginx"].args']
    web.apply("bob", deployment(args=["-c"]), force=True)
    assert web.body["spec"]["template"]["spec"]["containers"][0]["args"] == ["-c"]
    alice = web.owned()["alice"]["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']
    assert "f:args" not in alice


def test_status_is_not_owned_through_the_main_resource(web: Server) -> None:
    web.apply("kubectl", {**deployment(), "status": {"replicas": 9}})
    assert "f:status" not in web.owned()["kubectl"]


def test_controller_status_update_is_recorded_under_its_subresource(web: Server) -> None:
    web.apply("kubectl", deployment(replicas=1))
    server = Server(web.schema, "apps/v1", ignored=FieldSet.of(("f:spec",), ("f:metadata",)))
    server.obj = web.obj

    def report(o: dict[str, Any]) -> None:
        o["status"] = {
            "replicas": 1,
            "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}],
        }
        o["spec"]["replicas"] = 7  # reset fields of the status endpoint are not tracked

    server.update("kube-controller-manager", report, subresource="status")
    assert server.owned()["kube-controller-manager/status Update"] == {
        "f:status": {  # a value struct: never a member itself
            "f:conditions": {
                ".": {},
                'k:{"type":"Available"}': {".": {}, "f:reason": {}, "f:status": {}, "f:type": {}},
            },
            "f:replicas": {},
        }
    }


# list-maps and sets


def service(*ports: int, **meta: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", **meta},
        "spec": {
            "selector": {"app": "web"},
            "ports": [{"port": p, "protocol": "TCP", "targetPort": p} for p in ports],
        },
    }


def test_service_ports_merge_by_port_and_protocol() -> None:
    svc = Server(kind("", "v1", "Service"), "v1")
    svc.apply("alice", service(80, 443))
    svc.apply("bob", service(8080))
    assert [p["port"] for p in svc.body["spec"]["ports"]] == [80, 443, 8080]
    assert list(svc.owned()["alice"]["f:spec"]["f:ports"]) == [
        'k:{"port":80,"protocol":"TCP"}',
        'k:{"port":443,"protocol":"TCP"}',
    ]
    svc.apply("alice", service(80))
    assert [p["port"] for p in svc.body["spec"]["ports"]] == [80, 8080]
    assert svc.owned()["bob"]["f:spec"]["f:ports"] == {
        'k:{"port":8080,"protocol":"TCP"}': {".": {}, "f:port": {}, "f:protocol": {}, "f:targetPort": {}}
    }


def test_finalizers_merge_as_a_set() -> None:
    cm = Server(kind("", "v1", "ConfigMap"), "v1")
    cm.apply("kubectl", configmap({}, finalizers=["example.com/a"]))
    cm.update("controller", lambda o: o["metadata"]["finalizers"].append("example.com/b"))
    assert cm.owned()["controller Update"] == {"f:metadata": {"f:finalizers": {'v:"example.com/b"': {}}}}
    cm.apply("kubectl", configmap({}, finalizers=["example.com/c", "example.com/a"]))
    assert cm.body["metadata"]["finalizers"] == ["example.com/c", "example.com/a", "example.com/b"]
    cm.apply("kubectl", configmap({}))
    assert cm.body["metadata"]["finalizers"] == ["example.com/b"]


# the field manager's bookkeeping


def test_first_apply_to_an_untracked_object_records_before_first_apply() -> None:
    cm = Server(kind("", "v1", "ConfigMap"), "v1")
    cm.obj = {
        **configmap({"old": "1"}, labels={"a": "b"}),
        "metadata": {**configmap({})["metadata"], "uid": "u", "labels": {"a": "b"}},
    }
    cm.apply("kubectl", configmap({"new": "2"}))
    assert cm.owned() == {
        "kubectl": {"f:data": {"f:new": {}}},
        "before-first-apply Update": {
            "f:data": {".": {}, "f:old": {}},
            "f:metadata": {"f:labels": {".": {}, "f:a": {}}},
        },
    }


def test_untracked_objects_stay_untracked_and_reset_clears_entries() -> None:
    schema = kind("", "v1", "ConfigMap")
    untracked = {**configmap({"k": "v"}), "metadata": {"name": "cm", "uid": "u"}}
    new = copy.deepcopy(untracked)
    new["data"]["k"] = "w"
    result = update(
        untracked, new, "kubectl-edit", None, schema, api_version="v1", now="2024-01-01T00:00:00Z"
    )
    assert "managedFields" not in result.obj["metadata"]
    cm = Server(schema, "v1")
    cm.apply("kubectl", configmap({"k": "v"}))
    cm.update("kubectl-replace", lambda o: o["metadata"].update(managedFields=[]))
    assert "managedFields" not in cm.obj["metadata"]


def test_create_records_the_creators_update_entry() -> None:
    schema = kind("", "v1", "ConfigMap")
    result = update(
        {},
        configmap({"k": "v"}, labels={"a": "b"}),
        "kubectl-create",
        None,
        schema,
        api_version="v1",
        now="2024-01-01T00:00:00Z",
    )
    assert result.obj["metadata"]["managedFields"] == [
        {
            "manager": "kubectl-create",
            "operation": "Update",
            "apiVersion": "v1",
            "time": "2024-01-01T00:00:00Z",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:data": {".": {}, "f:k": {}}, "f:metadata": {"f:labels": {".": {}, "f:a": {}}}},
        }
    ]


def test_entries_sent_with_an_update_replace_the_live_ones(cm: Server) -> None:
    cm.apply("kubectl", configmap({"k": "v"}))
    sent = [
        {
            "manager": "someone",
            "operation": "Update",
            "apiVersion": "v1",
            "fieldsType": "FieldsV1",
            "fieldsV1": {"f:data": {"f:k": {}}},
        }
    ]
    cm.update("kubectl-replace", lambda o: o["metadata"].update(managedFields=sent))
    assert cm.owned() == {"someone Update": {"f:data": {"f:k": {}}}}


def test_an_update_that_changes_nothing_does_not_touch_entries(cm: Server) -> None:
    cm.apply("kubectl", configmap({"k": "v"}))
    before = cm.obj["metadata"]["managedFields"]
    cm.update("kubectl-edit", lambda o: None)
    assert cm.obj["metadata"]["managedFields"] == before


def test_the_eleventh_updater_folds_the_oldest_into_ancient_changes(cm: Server) -> None:
    cm.apply("kubectl", configmap({}, labels={"app": "x"}))
    for i in range(11):
        cm.update(f"writer-{i}", lambda o, i=i: o.setdefault("data", {}).update({f"k{i}": "v"}))
    owned = cm.owned()
    assert len([m for m in owned if m.endswith("Update")]) == 10
    assert owned["ancient-changes Update"] == {"f:data": {".": {}, "f:k0": {}, "f:k1": {}}}
    assert "writer-0 Update" not in owned and "writer-2 Update" in owned


# kubectl's upgrade from client-side apply


def test_kubectl_takes_over_what_client_side_apply_set() -> None:
    cm = Server(kind("", "v1", "ConfigMap"), "v1")
    last = json.dumps(configmap({"k": "v"}), separators=(",", ":"))
    cm.update(
        "kubectl-client-side-apply",
        lambda o: o.update(configmap({"k": "v"}, annotations={LAST_APPLIED: last})),
    )
    cm.update("other", lambda o: o["data"].update(x="1"))
    applied = configmap({"k": "w", "x": "1"})
    with pytest.raises(ApplyConflictError) as info:  # x was never kubectl's: still a conflict
        cm.apply("kubectl", {**applied, "data": {"k": "w", "x": "2"}})
    assert [c.field for c in info.value.conflicts] == [".data.x"]
    cm.apply("kubectl", applied)  # k is in the annotation: no conflict
    assert cm.body["data"] == {"k": "w", "x": "1"}
    assert cm.body["metadata"]["annotations"][LAST_APPLIED] == (
        '{"apiVersion":"v1","data":{"k":"w","x":"1"},"kind":"ConfigMap",'
        '"metadata":{"name":"cm","namespace":"default"}}\n'
    )
    owned = cm.owned()
    assert owned["kubectl"] == {"f:data": {"f:k": {}, "f:x": {}}}
    assert owned["kubectl-client-side-apply Update"] == {
        "f:data": {},  # it created the map, and keeps owning the map itself
        "f:metadata": {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}}},
    }


def test_other_managers_get_no_client_side_apply_upgrade() -> None:
    cm = Server(kind("", "v1", "ConfigMap"), "v1")
    last = json.dumps(configmap({"k": "v"}))
    cm.update(
        "kubectl-client-side-apply",
        lambda o: o.update(configmap({"k": "v"}, annotations={LAST_APPLIED: last})),
    )
    with pytest.raises(ApplyConflictError):
        cm.apply("helm", configmap({"k": "w"}))


# errors


def test_applied_objects_may_not_carry_managed_fields() -> None:
    config = configmap({}, managedFields=[])
    with pytest.raises(BadRequestError, match=r"^metadata\.managedFields must be nil$"):
        apply(
            {},
            config,
            "kubectl",
            None,
            kind("", "v1", "ConfigMap"),
            api_version="v1",
            now="2024-01-01T00:00:00Z",
        )


def test_untypable_configurations_are_500s_in_kubernetes_words() -> None:
    config = deployment()
    containers = config["spec"]["template"]["spec"]["containers"]
    containers.append(dict(containers[0]))
    with pytest.raises(ApplyTypeError) as info:
        apply(
            {},
            config,
            "kubectl",
            None,
            kind("apps", "v1", "Deployment"),
            api_version="apps/v1",
            now="2024-01-01T00:00:00Z",
        )
    assert info.value.code == 500
    assert info.value.message == (
        "failed to create typed patch object (default/web; apps/v1, Kind=Deployment): "
        '.spec.template.spec.containers: duplicate entries for key [name="nginx"]'
    )


def test_unreadable_live_entries_stop_an_apply() -> None:
    live = {**configmap({}), "metadata": {"name": "cm", "managedFields": [{"operation": "Bogus"}]}}
    with pytest.raises(ManagedFieldsError) as info:
        apply(
            live,
            configmap({}),
            "kubectl",
            None,
            kind("", "v1", "ConfigMap"),
            api_version="v1",
            now="2024-01-01T00:00:00Z",
        )
    assert info.value.message == "failed to decode managed fields: operation must be `Apply` or `Update`"


def test_request_level_errors() -> None:
    missing = field_manager_required()
    assert (missing.code, missing.message) == (
        422,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    )
    assert (
        invalid_object_type({"apiVersion": "v1", "kind": "Pod"}).message
        == "invalid object type: /v1, Kind=Pod"
    )


# the pod of conftest.py: realistic size and timing


def test_realistic_pod_round(
    pod_schema: Schema, pod_config: dict[str, Any], pod_live: dict[str, Any]
) -> None:
    first = apply({}, pod_config, "kubectl", None, pod_schema, api_version="v1", now="2024-05-01T10:00:00Z")
    live = {
        **pod_live,
        "metadata": {**pod_live["metadata"], "managedFields": first.obj["metadata"]["managedFields"]},
    }
    again = apply(
        live,
        copy.deepcopy(pod_config),
        "kubectl",
        None,
        pod_schema,
        api_version="v1",
        now="2024-05-01T11:00:00Z",
    )
    assert not again.changed
    assert again.obj["metadata"]["managedFields"] == first.obj["metadata"]["managedFields"]
    assert again.obj["status"] is live["status"]  # nothing copied

    config = copy.deepcopy(pod_config)
    config["spec"]["containers"][0]["env"].pop()
    del config["metadata"]["annotations"]
    start = time.perf_counter()
    rounds = 50
    for _ in range(rounds):
        result = apply(
            live, config, "kubectl", None, pod_schema, api_version="v1", now="2024-05-01T11:00:00Z"
        )
    per_apply = (time.perf_counter() - start) / rounds
    assert "annotations" not in result.obj["metadata"]
    assert [e["name"] for e in result.obj["spec"]["containers"][0]["env"]] == ["DATABASE_URL", "CACHE_HOST"]
    assert result.obj["spec"]["nodeName"] == "node-3"  # unowned fields stay
    assert per_apply < 0.02  # measured ~0.6 ms; a generous bound against regressions only
