"""The core/v1 kinds over HTTP, against an in-process API server: discovery, defaults on create,
validation errors (422 with causes), tables, subresources, and the core Event read back through
its events.k8s.io/v1 view."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api

NS = "default"
CORE = f"/api/v1/namespaces/{NS}"
EVENTS_V1 = f"/apis/events.k8s.io/v1/namespaces/{NS}/events"
TABLE = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}
MERGE = {"Content-Type": "application/merge-patch+json"}


def obj(kind: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}, **fields}


def pod(name: str, **spec: Any) -> dict[str, Any]:
    return obj("Pod", name, spec={"containers": [{"name": "app", "image": "nginx:1.27"}], **spec})


def template(app: str) -> dict[str, Any]:
    return {
        "metadata": {"labels": {"app": app}},
        "spec": {"containers": [{"name": app, "image": f"{app}:1"}]},
    }


async def table(api: Api, path: str) -> dict[str, Any]:
    return await api.json("GET", path, headers=TABLE, expect=200)


def causes(status: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["field"], c["reason"]) for c in status["details"]["causes"]}


# --- discovery -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "namespaced", "short_names", "categories", "subresources"),
    [
        pytest.param(
            "pods",
            True,
            ["po"],
            ["all"],
            [
                "attach",
                "binding",
                "ephemeralcontainers",
                "eviction",
                "exec",
                "log",
                "portforward",
                "proxy",
                "resize",
                "status",
            ],
            id="pods",
        ),
        pytest.param("services", True, ["svc"], ["all"], ["proxy", "status"], id="services"),
        pytest.param("replicationcontrollers", True, ["rc"], ["all"], ["scale", "status"], id="rc"),
        pytest.param("nodes", False, ["no"], None, ["proxy", "status"], id="nodes"),
        pytest.param("namespaces", False, ["ns"], None, ["finalize", "status"], id="namespaces"),
        pytest.param("configmaps", True, ["cm"], None, [], id="configmaps"),
        pytest.param("secrets", True, None, None, [], id="secrets"),
        pytest.param("serviceaccounts", True, ["sa"], None, ["token"], id="serviceaccounts"),
        pytest.param("endpoints", True, ["ep"], None, [], id="endpoints"),
        pytest.param("events", True, ["ev"], None, [], id="events"),
        pytest.param("resourcequotas", True, ["quota"], None, ["status"], id="resourcequotas"),
        pytest.param("limitranges", True, ["limits"], None, [], id="limitranges"),
        pytest.param("persistentvolumes", False, ["pv"], None, ["status"], id="pv"),
        pytest.param("persistentvolumeclaims", True, ["pvc"], None, ["status"], id="pvc"),
        pytest.param("podtemplates", True, None, None, [], id="podtemplates"),
        pytest.param("bindings", True, None, None, [], id="bindings"),
    ],
)
async def test_discovery(
    api: Api,
    name: str,
    namespaced: bool,
    short_names: list[str] | None,
    categories: list[str] | None,
    subresources: list[str],
) -> None:
    listing = await api.json("GET", "/api/v1", expect=200)
    resources = {r["name"]: r for r in listing["resources"]}
    resource = resources[name]
    assert resource["namespaced"] is namespaced
    assert resource.get("shortNames") == short_names and resource.get("categories") == categories
    assert sorted(r.split("/")[1] for r in resources if r.startswith(name + "/")) == subresources


@pytest.mark.parametrize(
    ("name", "group", "version", "kind", "verbs"),
    [
        pytest.param("pods/binding", "", "", "Binding", ["create"], id="binding"),
        pytest.param("pods/eviction", "policy", "v1", "Eviction", ["create"], id="eviction"),
        pytest.param("pods/log", "", "", "Pod", ["get"], id="log"),
        pytest.param("pods/exec", "", "", "PodExecOptions", ["create", "get"], id="exec"),
        pytest.param("pods/attach", "", "", "PodAttachOptions", ["create", "get"], id="attach"),
        pytest.param(
            "pods/portforward", "", "", "PodPortForwardOptions", ["create", "get"], id="portforward"
        ),
        pytest.param(
            "pods/proxy",
            "",
            "",
            "PodProxyOptions",
            ["create", "delete", "get", "patch", "update"],
            id="proxy",
        ),
        pytest.param("pods/status", "", "", "Pod", ["get", "patch", "update"], id="pod-status"),
        pytest.param(
            "replicationcontrollers/scale",
            "autoscaling",
            "v1",
            "Scale",
            ["get", "patch", "update"],
            id="scale",
        ),
        pytest.param(
            "serviceaccounts/token", "authentication.k8s.io", "v1", "TokenRequest", ["create"], id="token"
        ),
        pytest.param("namespaces/finalize", "", "", "Namespace", ["update"], id="finalize"),
        pytest.param("bindings", "", "", "Binding", ["create"], id="bindings"),
    ],
)
async def test_subresource_discovery(
    api: Api, name: str, group: str, version: str, kind: str, verbs: list[str]
) -> None:
    listing = await api.json("GET", "/api/v1", expect=200)
    resource = {r["name"]: r for r in listing["resources"]}[name]
    assert (resource.get("group", ""), resource.get("version", ""), resource["kind"]) == (
        group,
        version,
        kind,
    )
    assert sorted(resource["verbs"]) == verbs


async def test_events_group_is_served(api: Api) -> None:
    listing = await api.json("GET", "/apis/events.k8s.io/v1", expect=200)
    events = {r["name"]: r for r in listing["resources"]}["events"]
    assert (events["kind"], events["namespaced"], events.get("shortNames")) == ("Event", True, ["ev"])


# --- pods ----------------------------------------------------------------------------------------


async def test_pod_defaults_on_create(api: Api) -> None:
    body = pod("web", containers=[{"name": "app", "image": "nginx", "ports": [{"containerPort": 80}]}])
    created = await api.json("POST", f"{CORE}/pods", body, expect=201)
    spec = created["spec"]
    assert spec["restartPolicy"] == "Always" and spec["dnsPolicy"] == "ClusterFirst"
    assert spec["schedulerName"] == "default-scheduler" and spec["terminationGracePeriodSeconds"] == 30
    assert spec["securityContext"] == {} and spec["enableServiceLinks"] is True
    container = spec["containers"][0]
    assert container["imagePullPolicy"] == "Always"  # no tag means :latest
    assert container["terminationMessagePath"] == "/dev/termination-log"
    assert container["terminationMessagePolicy"] == "File"
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert created["status"]["phase"] == "Pending" and created["status"]["qosClass"] == "BestEffort"


async def test_pod_invalid_create_is_422_with_causes(api: Api) -> None:
    body = pod(
        "bad",
        restartPolicy="Sometimes",
        containers=[
            {"name": "app", "image": "nginx", "ports": [{"containerPort": 70000}]},
            {"name": "app", "image": ""},
        ],
    )
    status = await api.json("POST", f"{CORE}/pods", body, expect=422)
    assert status["reason"] == "Invalid" and status["details"]["kind"] == "Pod"
    assert {
        ("spec.containers[0].ports[0].containerPort", "FieldValueInvalid"),
        ("spec.containers[1].name", "FieldValueDuplicate"),
        ("spec.containers[1].image", "FieldValueRequired"),
        ("spec.restartPolicy", "FieldValueNotSupported"),
    } <= causes(status)
    assert status["message"].startswith('Pod "bad" is invalid: ')


async def test_pod_spec_update_is_forbidden_but_image_is_allowed(api: Api) -> None:
    created = await api.json("POST", f"{CORE}/pods", pod("upd"), expect=201)
    created["spec"]["containers"][0]["image"] = "nginx:1.28"
    changed = await api.json("PUT", f"{CORE}/pods/upd", created, expect=200)
    assert changed["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert changed["metadata"]["generation"] == created["metadata"]["generation"] + 1
    status = await api.json(
        "PATCH", f"{CORE}/pods/upd", {"spec": {"hostname": "other"}}, headers=MERGE, expect=422
    )
    assert causes(status) == {("spec", "FieldValueForbidden")}
    assert "pod updates may not change fields other than" in status["details"]["causes"][0]["message"]


async def test_pod_status_subresource_and_table(api: Api) -> None:
    await api.json("POST", f"{CORE}/pods", pod("tbl", nodeName="node-a"), expect=201)
    current = await api.json("GET", f"{CORE}/pods/tbl", expect=200)
    current["status"] = {
        "phase": "Running",
        "podIP": "10.244.0.5",
        "podIPs": [{"ip": "10.244.0.5"}],
        "containerStatuses": [
            {
                "name": "app",
                "ready": True,
                "restartCount": 0,
                "image": "nginx:1.27",
                "imageID": "",
                "state": {"running": {}},
            }
        ],
    }
    current["spec"]["hostname"] = "ignored"  # the status subresource ignores spec changes
    updated = await api.json("PUT", f"{CORE}/pods/tbl/status", current, expect=200)
    assert updated["status"]["phase"] == "Running" and "hostname" not in updated["spec"]
    result = await table(api, f"{CORE}/pods")
    names = [c["name"] for c in result["columnDefinitions"]]
    assert names == [
        "Name",
        "Ready",
        "Status",
        "Restarts",
        "Age",
        "IP",
        "Node",
        "Nominated Node",
        "Readiness Gates",
    ]
    cells = result["rows"][0]["cells"]
    assert cells[:4] == ["tbl", "1/1", "Running", "0"]
    assert cells[5:] == ["10.244.0.5", "node-a", "<none>", "<none>"]


async def test_pod_field_selectors(api: Api) -> None:
    await api.json("POST", f"{CORE}/pods", pod("on-a", nodeName="node-a"), expect=201)
    await api.json("POST", f"{CORE}/pods", pod("unscheduled"), expect=201)
    found = await api.json("GET", f"{CORE}/pods?fieldSelector=spec.nodeName%3Dnode-a", expect=200)
    assert [p["metadata"]["name"] for p in found["items"]] == ["on-a"]
    found = await api.json("GET", f"{CORE}/pods?fieldSelector=status.phase%3DPending", expect=200)
    assert sorted(p["metadata"]["name"] for p in found["items"]) == ["on-a", "unscheduled"]
    status = await api.json("GET", f"{CORE}/pods?fieldSelector=spec.image%3Dx", expect=400)
    assert status["reason"] == "BadRequest"


# --- services ------------------------------------------------------------------------------------


async def test_service_defaults_and_table(api: Api) -> None:
    body = obj(
        "Service",
        "web",
        spec={"selector": {"app": "web"}, "ports": [{"port": 80}], "sessionAffinity": "ClientIP"},
    )
    created = await api.json("POST", f"{CORE}/services", body, expect=201)
    spec = created["spec"]
    assert spec["type"] == "ClusterIP" and spec["internalTrafficPolicy"] == "Cluster"
    assert spec["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert spec["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    assert spec["clusterIP"] and spec["clusterIPs"] == [spec["clusterIP"]]
    result = await table(api, f"{CORE}/services?fieldSelector=metadata.name%3Dweb")
    names = [c["name"] for c in result["columnDefinitions"]]
    assert names == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"]
    cells = result["rows"][0]["cells"]
    assert cells[:5] == ["web", "ClusterIP", spec["clusterIP"], "<none>", "80/TCP"]
    assert cells[6] == "app=web"


async def test_service_node_port_defaults(api: Api) -> None:
    body = obj(
        "Service", "np", spec={"type": "LoadBalancer", "ports": [{"port": 443, "targetPort": "https"}]}
    )
    created = await api.json("POST", f"{CORE}/services", body, expect=201)
    spec = created["spec"]
    assert spec["externalTrafficPolicy"] == "Cluster" and spec["allocateLoadBalancerNodePorts"] is True
    assert 30000 <= spec["ports"][0]["nodePort"] <= 32767
    assert spec["ports"][0]["targetPort"] == "https"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {"ports": [{"port": 80}, {"port": 81}]},
            {("spec.ports[0].name", "FieldValueRequired"), ("spec.ports[1].name", "FieldValueRequired")},
            id="multi-port-names",
        ),
        pytest.param(
            {"ports": [{"port": 80, "protocol": "ICMP"}]},
            {("spec.ports[0].protocol", "FieldValueNotSupported")},
            id="protocol",
        ),
        pytest.param(
            {"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]},
            {("spec.ports[0].nodePort", "FieldValueInvalid")},
            id="node-port-range",
        ),
        pytest.param(
            {"type": "ExternalName", "ports": [{"port": 80}]},
            {("spec.externalName", "FieldValueRequired")},
            id="external-name-required",
        ),
    ],
)
async def test_service_invalid_create(api: Api, spec: dict[str, Any], expected: set[tuple[str, str]]) -> None:
    status = await api.json("POST", f"{CORE}/services", obj("Service", "bad", spec=spec), expect=422)
    assert expected <= causes(status)


async def test_service_cluster_ip_is_immutable(api: Api) -> None:
    created = await api.json(
        "POST", f"{CORE}/services", obj("Service", "fixed", spec={"ports": [{"port": 80}]}), expect=201
    )
    ip = created["spec"]["clusterIP"]
    other = "10.96.200.200" if ip != "10.96.200.200" else "10.96.200.201"
    status = await api.json(
        "PATCH", f"{CORE}/services/fixed", {"spec": {"clusterIP": other}}, headers=MERGE, expect=422
    )
    assert ("spec.clusterIPs[0]", "FieldValueInvalid") in causes(status)
    assert any("may not change once set" in c["message"] for c in status["details"]["causes"])


# --- config and identity -------------------------------------------------------------------------


async def test_configmap_and_secret(api: Api) -> None:
    await api.json(
        "POST", f"{CORE}/configmaps", obj("ConfigMap", "cfg", data={"a": "1", "b": "2"}), expect=201
    )
    result = await table(api, f"{CORE}/configmaps?fieldSelector=metadata.name%3Dcfg")
    assert [c["name"] for c in result["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert result["rows"][0]["cells"][:2] == ["cfg", 2]
    status = await api.json(
        "POST", f"{CORE}/configmaps", obj("ConfigMap", "bad", data={"no/slash": "x"}), expect=422
    )
    assert causes(status) == {("data[no/slash]", "FieldValueInvalid")}

    secret = obj("Secret", "creds", type="kubernetes.io/basic-auth", stringData={"username": "me"})
    created = await api.json("POST", f"{CORE}/secrets", secret, expect=201)
    assert created["data"] == {"username": "bWU="} and "stringData" not in created
    result = await table(api, f"{CORE}/secrets?fieldSelector=metadata.name%3Dcreds")
    assert [c["name"] for c in result["columnDefinitions"]] == ["Name", "Type", "Data", "Age"]
    assert result["rows"][0]["cells"][:3] == ["creds", "kubernetes.io/basic-auth", 1]
    status = await api.json(
        "POST", f"{CORE}/secrets", obj("Secret", "tls", type="kubernetes.io/tls"), expect=422
    )
    assert causes(status) == {
        ("data[tls.crt]", "FieldValueRequired"),
        ("data[tls.key]", "FieldValueRequired"),
    }


async def test_immutable_secret(api: Api) -> None:
    body = obj("Secret", "frozen", immutable=True, data={"k": "dg=="})
    await api.json("POST", f"{CORE}/secrets", body, expect=201)
    status = await api.json(
        "PATCH", f"{CORE}/secrets/frozen", {"data": {"k": "dw=="}}, headers=MERGE, expect=422
    )
    assert causes(status) == {("data", "FieldValueForbidden")}


async def test_service_account_and_token_request(api: Api) -> None:
    await api.json("POST", f"{CORE}/serviceaccounts", obj("ServiceAccount", "robot"), expect=201)
    result = await table(api, f"{CORE}/serviceaccounts?fieldSelector=metadata.name%3Drobot")
    assert [c["name"] for c in result["columnDefinitions"]] == ["Name", "Secrets", "Age"]
    assert result["rows"][0]["cells"][:2] == ["robot", 0]
    status = await api.json("POST", f"{CORE}/serviceaccounts", obj("ServiceAccount", "Bad_Name"), expect=422)
    assert causes(status) == {("metadata.name", "FieldValueInvalid")}


# --- events --------------------------------------------------------------------------------------

CORE_EVENT = {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {"name": "web.17a"},
    "involvedObject": {"kind": "Pod", "namespace": NS, "name": "web", "apiVersion": "v1"},
    "reason": "Pulled",
    "message": "Successfully pulled image",
    "source": {"component": "kubelet", "host": "node-a"},
    "firstTimestamp": "2025-01-01T00:00:00Z",
    "lastTimestamp": "2025-01-01T00:01:00Z",
    "count": 3,
    "type": "Normal",
}


async def test_core_event_read_through_events_v1(api: Api) -> None:
    await api.json("POST", f"{CORE}/events", CORE_EVENT, expect=201)
    view = await api.json("GET", f"{EVENTS_V1}/web.17a", expect=200)
    assert (view["apiVersion"], view["kind"]) == ("events.k8s.io/v1", "Event")
    assert view["regarding"] == CORE_EVENT["involvedObject"]
    assert view["note"] == "Successfully pulled image"
    assert view["deprecatedSource"] == {"component": "kubelet", "host": "node-a"}
    assert view["deprecatedCount"] == 3
    assert view["deprecatedFirstTimestamp"] == "2025-01-01T00:00:00Z"
    assert "involvedObject" not in view and "message" not in view
    listing = await api.json("GET", EVENTS_V1, expect=200)
    assert [e["metadata"]["name"] for e in listing["items"]] == ["web.17a"]
    back = await api.json("GET", f"{CORE}/events/web.17a", expect=200)
    assert back["involvedObject"] == CORE_EVENT["involvedObject"] and back["count"] == 3


async def test_events_v1_create_is_readable_as_core(api: Api) -> None:
    body = {
        "apiVersion": "events.k8s.io/v1",
        "kind": "Event",
        "metadata": {"name": "ev2"},
        "eventTime": "2025-01-01T00:00:00.000000Z",
        "regarding": {"kind": "Node", "name": "node-a"},
        "note": "Node is ready",
        "reason": "NodeReady",
        "type": "Normal",
        "action": "Ready",
        "reportingController": "kubelet",
        "reportingInstance": "kubelet-node-a",
    }
    created = await api.json("POST", EVENTS_V1, body, expect=201)
    assert created["regarding"] == {"kind": "Node", "name": "node-a"}
    core = await api.json("GET", f"{CORE}/events/ev2", expect=200)
    assert core["involvedObject"] == {"kind": "Node", "name": "node-a"}
    assert core["message"] == "Node is ready" and core["reportingComponent"] == "kubelet"
    assert core["reportingInstance"] == "kubelet-node-a" and core["action"] == "Ready"
    # events.k8s.io/v1 field selectors use its own field names
    selected = await api.json(
        "GET", f"{EVENTS_V1}?fieldSelector=regarding.name=node-a,reportingController=kubelet"
    )
    assert [e["metadata"]["name"] for e in selected["items"]] == ["ev2"]
    none = await api.json("GET", f"{EVENTS_V1}?fieldSelector=regarding.name=other", expect=200)
    assert none["items"] == []
    await api.json("GET", f"{EVENTS_V1}?fieldSelector=note=x", expect=400)


async def test_event_table_and_validation(api: Api) -> None:
    await api.json("POST", f"{CORE}/events", CORE_EVENT, expect=201)
    result = await table(api, f"{CORE}/events")
    assert [c["name"] for c in result["columnDefinitions"]] == [
        "Last Seen",
        "Type",
        "Reason",
        "Object",
        "Subobject",
        "Source",
        "Message",
        "First Seen",
        "Count",
        "Name",
    ]
    cells = result["rows"][0]["cells"]
    assert cells[1:7] == ["Normal", "Pulled", "pod/web", "", "kubelet, node-a", "Successfully pulled image"]
    assert cells[8:] == [3, "web.17a"]
    bad = dict(CORE_EVENT, metadata={"name": "other"}, type="Weird")
    bad["involvedObject"] = {"kind": "Pod", "namespace": "elsewhere", "name": "web"}
    status = await api.json("POST", f"{CORE}/events", bad, expect=422)
    assert ("involvedObject.namespace", "FieldValueInvalid") in causes(status)


# --- replication controllers ---------------------------------------------------------------------


async def test_replication_controller_scale_and_table(api: Api) -> None:
    body = obj("ReplicationController", "rc", spec={"replicas": 2, "template": template("rc")})
    created = await api.json("POST", f"{CORE}/replicationcontrollers", body, expect=201)
    assert created["spec"]["selector"] == {"app": "rc"}  # defaulted from the template labels
    scale = await api.json("GET", f"{CORE}/replicationcontrollers/rc/scale", expect=200)
    assert (scale["apiVersion"], scale["kind"]) == ("autoscaling/v1", "Scale")
    assert scale["spec"] == {"replicas": 2} and scale["status"]["selector"] == "app=rc"
    scale["spec"]["replicas"] = 5
    await api.json("PUT", f"{CORE}/replicationcontrollers/rc/scale", scale, expect=200)
    assert (await api.json("GET", f"{CORE}/replicationcontrollers/rc", expect=200))["spec"]["replicas"] == 5
    result = await table(api, f"{CORE}/replicationcontrollers")
    names = [c["name"] for c in result["columnDefinitions"]]
    assert names == ["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"]
    cells = result["rows"][0]["cells"]
    assert cells[:4] == ["rc", 5, 0, 0] and cells[5:] == ["rc", "rc:1", "app=rc"]


async def test_replication_controller_selector_mismatch(api: Api) -> None:
    body = obj(
        "ReplicationController", "mismatch", spec={"selector": {"app": "other"}, "template": template("rc")}
    )
    status = await api.json("POST", f"{CORE}/replicationcontrollers", body, expect=422)
    assert ("spec.template.metadata.labels", "FieldValueInvalid") in causes(status)


# --- storage -------------------------------------------------------------------------------------


async def test_persistent_volume_and_claim(api: Api) -> None:
    pv = obj(
        "PersistentVolume",
        "pv1",
        spec={
            "capacity": {"storage": "5Gi"},
            "accessModes": ["ReadWriteOnce"],
            "hostPath": {"path": "/data"},
        },
    )
    created = await api.json("POST", "/api/v1/persistentvolumes", pv, expect=201)
    assert created["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert created["spec"]["volumeMode"] == "Filesystem" and created["status"]["phase"] == "Pending"
    result = await table(api, "/api/v1/persistentvolumes")
    assert [c["name"] for c in result["columnDefinitions"]][:7] == [
        "Name",
        "Capacity",
        "Access Modes",
        "Reclaim Policy",
        "Status",
        "Claim",
        "StorageClass",
    ]
    assert result["rows"][0]["cells"][:6] == ["pv1", "5Gi", "RWO", "Retain", "Pending", ""]

    claim = obj(
        "PersistentVolumeClaim",
        "data",
        spec={"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    )
    created = await api.json("POST", f"{CORE}/persistentvolumeclaims", claim, expect=201)
    assert created["spec"]["volumeMode"] == "Filesystem"
    status = await api.json(
        "PATCH",
        f"{CORE}/persistentvolumeclaims/data",
        {"spec": {"accessModes": ["ReadWriteMany"]}},
        headers=MERGE,
        expect=422,
    )
    assert causes(status) == {("spec", "FieldValueForbidden")}
    result = await table(api, f"{CORE}/persistentvolumeclaims")
    assert [c["name"] for c in result["columnDefinitions"]][:5] == [
        "Name",
        "Status",
        "Volume",
        "Capacity",
        "Access Modes",
    ]
    status = await api.json(
        "POST", f"{CORE}/persistentvolumeclaims", obj("PersistentVolumeClaim", "empty", spec={}), expect=422
    )
    assert {
        ("spec.accessModes", "FieldValueRequired"),
        ("spec.resources[storage]", "FieldValueRequired"),
    } <= causes(status)


# --- the rest ------------------------------------------------------------------------------------


async def test_namespace_and_node(api: Api) -> None:
    created = await api.json("POST", "/api/v1/namespaces", obj("Namespace", "team-a"), expect=201)
    assert created["spec"] == {"finalizers": ["kubernetes"]} and created["status"] == {"phase": "Active"}
    assert created["metadata"]["labels"]["kubernetes.io/metadata.name"] == "team-a"
    result = await table(api, "/api/v1/namespaces?fieldSelector=metadata.name%3Dteam-a")
    assert [c["name"] for c in result["columnDefinitions"]] == ["Name", "Status", "Age"]
    assert result["rows"][0]["cells"][:2] == ["team-a", "Active"]
    await api.json("POST", "/api/v1/namespaces", obj("Namespace", "a.b"), expect=422)

    node = obj(
        "Node", "node-1", metadata={"name": "node-1", "labels": {"node-role.kubernetes.io/worker": ""}}
    )
    await api.json("POST", "/api/v1/nodes", node, expect=201)
    result = await table(api, "/api/v1/nodes")
    assert [c["name"] for c in result["columnDefinitions"]] == [
        "Name",
        "Status",
        "Roles",
        "Age",
        "Version",
        "Internal-IP",
        "External-IP",
        "OS-Image",
        "Kernel-Version",
        "Container-Runtime",
    ]
    assert result["rows"][0]["cells"][:3] == ["node-1", "Unknown", "worker"]
    bad = obj("Node", "node-2", spec={"podCIDR": "not-a-cidr"})
    status = await api.json("POST", "/api/v1/nodes", bad, expect=422)
    assert ("spec.podCIDRs[0]", "FieldValueInvalid") in causes(status)


async def test_endpoints_quota_limits_and_templates(api: Api) -> None:
    endpoints = obj(
        "Endpoints",
        "web",
        subsets=[{"addresses": [{"ip": "10.1.2.3"}], "ports": [{"port": 8080}]}],
    )
    created = await api.json("POST", f"{CORE}/endpoints", endpoints, expect=201)
    assert created["subsets"][0]["ports"] == [{"port": 8080, "protocol": "TCP"}]
    result = await table(api, f"{CORE}/endpoints?fieldSelector=metadata.name%3Dweb")
    assert [c["name"] for c in result["columnDefinitions"]] == ["Name", "Endpoints", "Age"]
    assert result["rows"][0]["cells"][:2] == ["web", "10.1.2.3:8080"]

    quota = obj("ResourceQuota", "q", spec={"hard": {"pods": "10", "requests.cpu": "2"}})
    await api.json("POST", f"{CORE}/resourcequotas", quota, expect=201)
    result = await table(api, f"{CORE}/resourcequotas")
    assert [c["name"] for c in result["columnDefinitions"]] == ["Name", "Age", "Request", "Limit"]
    bad = obj("ResourceQuota", "bad", spec={"hard": {"pods": "-1"}})
    status = await api.json("POST", f"{CORE}/resourcequotas", bad, expect=422)
    assert ("spec.hard[pods]", "FieldValueInvalid") in causes(status)

    limits = obj("LimitRange", "lr", spec={"limits": [{"type": "Container", "max": {"cpu": "1"}}]})
    await api.json("POST", f"{CORE}/limitranges", limits, expect=201)
    result = await table(api, f"{CORE}/limitranges")
    assert [c["name"] for c in result["columnDefinitions"]] == ["Name", "Created At"]

    pod_template = obj("PodTemplate", "tpl", template=template("tpl"))
    created = await api.json("POST", f"{CORE}/podtemplates", pod_template, expect=201)
    assert created["template"]["spec"]["restartPolicy"] == "Always"
    result = await table(api, f"{CORE}/podtemplates")
    assert [c["name"] for c in result["columnDefinitions"]] == ["Name", "Containers", "Images", "Pod Labels"]
    assert result["rows"][0]["cells"] == ["tpl", "tpl", "tpl:1", "app=tpl"]


async def test_bindings_are_create_only(api: Api) -> None:
    await api.json("GET", f"{CORE}/bindings/x", expect=405)
