"""The workload kinds (apps, batch, autoscaling, policy) over HTTP, against an in-process API
server: discovery, defaults on create, validation errors, subresources and tables, and the
HorizontalPodAutoscaler served as autoscaling/v2 and autoscaling/v1."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from .conftest import Api

NS = "default"
APPS = f"/apis/apps/v1/namespaces/{NS}"
BATCH = f"/apis/batch/v1/namespaces/{NS}"
HPA_V2 = f"/apis/autoscaling/v2/namespaces/{NS}/horizontalpodautoscalers"
HPA_V1 = f"/apis/autoscaling/v1/namespaces/{NS}/horizontalpodautoscalers"
PDB = f"/apis/policy/v1/namespaces/{NS}/poddisruptionbudgets"
TABLE = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}
MERGE = {"Content-Type": "application/merge-patch+json"}


def template(app: str, **pod: Any) -> dict[str, Any]:
    return {
        "metadata": {"labels": {"app": app}},
        "spec": {"containers": [{"name": app, "image": f"{app}:1"}], **pod},
    }


def workload(kind: str, name: str, **spec: Any) -> dict[str, Any]:
    body = {"selector": {"matchLabels": {"app": name}}, "template": template(name), **spec}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name}, "spec": body}


async def table_cells(api: Api, path: str) -> list[list[Any]]:
    table = await api.json("GET", path, headers=TABLE, expect=200)
    return [row["cells"] for row in table["rows"]]


@pytest.mark.parametrize(
    ("group_version", "name", "short_names", "categories", "subresources"),
    [
        pytest.param("apps/v1", "deployments", ["deploy"], ["all"], ["scale", "status"], id="deployments"),
        pytest.param("apps/v1", "replicasets", ["rs"], ["all"], ["scale", "status"], id="replicasets"),
        pytest.param("apps/v1", "statefulsets", ["sts"], ["all"], ["scale", "status"], id="statefulsets"),
        pytest.param("apps/v1", "daemonsets", ["ds"], ["all"], ["status"], id="daemonsets"),
        pytest.param("apps/v1", "controllerrevisions", None, None, [], id="controllerrevisions"),
        pytest.param("batch/v1", "jobs", None, ["all"], ["status"], id="jobs"),
        pytest.param("batch/v1", "cronjobs", ["cj"], ["all"], ["status"], id="cronjobs"),
        pytest.param("autoscaling/v2", "horizontalpodautoscalers", ["hpa"], ["all"], ["status"], id="hpa-v2"),
        pytest.param("autoscaling/v1", "horizontalpodautoscalers", ["hpa"], ["all"], ["status"], id="hpa-v1"),
        pytest.param("policy/v1", "poddisruptionbudgets", ["pdb"], None, ["status"], id="pdb"),
    ],
)
async def test_discovery(
    api: Api,
    group_version: str,
    name: str,
    short_names: list[str] | None,
    categories: list[str] | None,
    subresources: list[str],
) -> None:
    listing = await api.json("GET", f"/apis/{group_version}", expect=200)
    resources = {r["name"]: r for r in listing["resources"]}
    resource = resources[name]
    assert resource["namespaced"] is True
    assert resource.get("shortNames") == short_names and resource.get("categories") == categories
    assert sorted(r.split("/")[1] for r in resources if r.startswith(name + "/")) == subresources
    if "scale" in subresources:
        scale = resources[f"{name}/scale"]
        assert (scale["group"], scale["version"], scale["kind"]) == ("autoscaling", "v1", "Scale")


async def test_autoscaling_prefers_v2(api: Api) -> None:
    group = await api.json("GET", "/apis/autoscaling", expect=200)
    assert [v["version"] for v in group["versions"]] == ["v2", "v1"]
    assert group["preferredVersion"]["version"] == "v2"


async def test_deployment_defaults_scale_and_table(api: Api) -> None:
    created = await api.json("POST", f"{APPS}/deployments", workload("Deployment", "web"), expect=201)
    spec = created["spec"]
    assert spec["replicas"] == 1 and spec["strategy"]["rollingUpdate"] == {
        "maxUnavailable": "25%",
        "maxSurge": "25%",
    }
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    assert created["status"] == {} and created["metadata"]["generation"] == 1
    scale = await api.json("GET", f"{APPS}/deployments/web/scale", expect=200)
    assert scale["spec"] == {"replicas": 1} and scale["status"]["selector"] == "app=web"
    scale["spec"]["replicas"] = 3
    await api.json("PUT", f"{APPS}/deployments/web/scale", scale, expect=200)
    (row,) = await table_cells(api, f"{APPS}/deployments")
    assert row[:4] == ["web", "0/3", 0, 0] and row[5:] == ["web", "web:1", "app=web"]
    annotated = await api.json(
        "PATCH",
        f"{APPS}/deployments/web",
        raw=orjson.dumps({"metadata": {"annotations": {"note": "x"}}}),
        headers=MERGE,
        expect=200,
    )
    assert annotated["metadata"]["generation"] == 3  # scaled, then annotated


async def test_invalid_workloads_are_422_with_kubernetes_causes(api: Api) -> None:
    body = workload("Deployment", "bad")
    del body["spec"]["selector"]
    err = await api.json("POST", f"{APPS}/deployments", body, expect=422)
    assert err["reason"] == "Invalid"
    assert [(c["reason"], c["field"]) for c in err["details"]["causes"]] == [
        ("FieldValueRequired", "spec.selector"),
        ("FieldValueInvalid", "spec.template.metadata.labels"),
    ]
    assert err["message"].startswith('Deployment.apps "bad" is invalid: [spec.selector: Required value, ')
    await api.json("POST", f"{APPS}/deployments", workload("Deployment", "web"), expect=201)
    current = await api.json("GET", f"{APPS}/deployments/web", expect=200)
    current["spec"]["selector"] = {"matchLabels": {"app": "web", "x": "y"}}
    current["spec"]["template"]["metadata"]["labels"]["x"] = "y"
    err = await api.json("PUT", f"{APPS}/deployments/web", current, expect=422)
    assert [c["message"] for c in err["details"]["causes"]] == [
        'Invalid value: {"matchLabels":{"app":"web","x":"y"}}: field is immutable'
    ]


async def test_replicaset_field_selector_and_wide_table(api: Api) -> None:
    await api.json("POST", f"{APPS}/replicasets", workload("ReplicaSet", "rs1", replicas=2), expect=201)
    listed = await api.json("GET", f"{APPS}/replicasets?fieldSelector=status.replicas=0", expect=200)
    assert [i["metadata"]["name"] for i in listed["items"]] == ["rs1"]
    rows = await table_cells(api, f"{APPS}/replicasets")
    assert rows[0][:4] == ["rs1", 2, 0, 0] and rows[0][5:] == ["rs1", "rs1:1", "app=rs1"]


async def test_daemonset_template_generation(api: Api) -> None:
    created = await api.json("POST", f"{APPS}/daemonsets", workload("DaemonSet", "agent"), expect=201)
    assert created["metadata"]["annotations"] == {"deprecated.daemonset.template.generation": "1"}
    assert created["spec"]["updateStrategy"]["rollingUpdate"] == {"maxUnavailable": 1, "maxSurge": 0}
    assert created["status"]["numberReady"] == 0
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "agent", "image": "agent:2"}]}}}}
    patched = await api.json(
        "PATCH", f"{APPS}/daemonsets/agent", raw=orjson.dumps(patch), headers=MERGE, expect=200
    )
    assert patched["metadata"]["annotations"]["deprecated.daemonset.template.generation"] == "2"
    assert patched["metadata"]["generation"] == 2


async def test_statefulset_claims_and_fixed_fields(api: Api) -> None:
    claim = {
        "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    }
    body = workload("StatefulSet", "db", serviceName="db", volumeClaimTemplates=[claim])
    created = await api.json("POST", f"{APPS}/statefulsets", body, expect=201)
    assert created["spec"]["podManagementPolicy"] == "OrderedReady"
    assert created["spec"]["volumeClaimTemplates"][0]["status"] == {"phase": "Pending"}
    assert created["status"] == {"replicas": 0, "availableReplicas": 0}
    created["spec"]["serviceName"] = "other"
    err = await api.json("PUT", f"{APPS}/statefulsets/db", created, expect=422)
    assert err["details"]["causes"][0]["field"] == "spec"
    bad = workload("StatefulSet", "db2", volumeClaimTemplates=[{"metadata": {"name": "d"}, "spec": {}}])
    err = await api.json("POST", f"{APPS}/statefulsets", bad, expect=422)
    assert [c["field"] for c in err["details"]["causes"]] == [
        "spec.volumeClaimTemplates[0].spec.accessModes",
        "spec.volumeClaimTemplates[0].spec.resources[storage]",
    ]
    scale = await api.json("GET", f"{APPS}/statefulsets/db/scale", expect=200)
    assert scale["status"] == {"replicas": 0, "selector": "app=db"}


async def test_controller_revision_data_is_immutable(api: Api) -> None:
    body = {"metadata": {"name": "db-1"}, "data": {"spec": {}}, "revision": 1}
    created = await api.json("POST", f"{APPS}/controllerrevisions", body, expect=201)
    assert "status" not in created
    created["data"] = {"spec": {"template": {}}}
    err = await api.json("PUT", f"{APPS}/controllerrevisions/db-1", created, expect=422)
    assert err["details"]["causes"][0]["field"] == "data"
    rows = await table_cells(api, f"{APPS}/controllerrevisions")
    assert rows[0][:3] == ["db-1", "<none>", 1]


async def test_job_generated_selector_and_immutable_template(api: Api) -> None:
    body = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "pi"},
        "spec": {
            "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl"}]}}
        },
    }
    created = await api.json("POST", f"{BATCH}/jobs", body, expect=201)
    uid = created["metadata"]["uid"]
    assert created["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert created["spec"]["template"]["metadata"]["labels"] == {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid,
        "job-name": "pi",
    }
    assert created["metadata"]["labels"]["job-name"] == "pi"
    spec = created["spec"]
    assert (spec["completions"], spec["parallelism"], spec["backoffLimit"]) == (1, 1, 6)
    assert (spec["completionMode"], spec["suspend"], spec["manualSelector"]) == ("NonIndexed", False, False)
    assert spec["podReplacementPolicy"] == "TerminatingOrFailed"
    same = await api.json("PUT", f"{BATCH}/jobs/pi", created, expect=200)
    assert same["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    created["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:2"
    err = await api.json("PUT", f"{BATCH}/jobs/pi", created, expect=422)
    assert [c["field"] for c in err["details"]["causes"]] == ["spec.template"]
    rows = await table_cells(api, f"{BATCH}/jobs")
    assert rows[0][:4] == ["pi", "Running", "0/1", ""]
    always = dict(body, metadata={"name": "always"})
    always["spec"] = {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
    err = await api.json("POST", f"{BATCH}/jobs", always, expect=422)
    assert err["details"]["causes"] == [
        {
            "reason": "FieldValueRequired",
            "message": 'Required value: valid values: "OnFailure", "Never"',
            "field": "spec.template.spec.restartPolicy",
        }
    ]


async def test_cronjob_schedule_and_time_zone(api: Api) -> None:
    body = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "hello"},
        "spec": {
            "schedule": "*/1 * * * *",
            "timeZone": "Europe/Berlin",
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "restartPolicy": "OnFailure",
                            "containers": [{"name": "c", "image": "busybox"}],
                        }
                    }
                }
            },
        },
    }
    created = await api.json("POST", f"{BATCH}/cronjobs", body, expect=201)
    assert (created["spec"]["concurrencyPolicy"], created["spec"]["successfulJobsHistoryLimit"]) == (
        "Allow",
        3,
    )
    rows = await table_cells(api, f"{BATCH}/cronjobs")
    assert rows[0][:6] == ["hello", "*/1 * * * *", "Europe/Berlin", "False", 0, "<none>"]
    bad = dict(body, metadata={"name": "bad"})
    bad["spec"] = dict(body["spec"], schedule="61 * * * *", timeZone="Nowhere/Special")
    err = await api.json("POST", f"{BATCH}/cronjobs", bad, expect=422)
    assert [c["message"] for c in err["details"]["causes"]] == [
        'Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
        'Invalid value: "Nowhere/Special": unknown time zone Nowhere/Special',
    ]


HPA = {
    "apiVersion": "autoscaling/v2",
    "kind": "HorizontalPodAutoscaler",
    "metadata": {"name": "web"},
    "spec": {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": 2,
        "maxReplicas": 8,
        "metrics": [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}},
            },
            {
                "type": "Pods",
                "pods": {
                    "metric": {"name": "rps"},
                    "target": {"type": "AverageValue", "averageValue": "100"},
                },
            },
        ],
        "behavior": {"scaleDown": {"stabilizationWindowSeconds": 120}},
    },
}


async def test_hpa_v2_read_as_v1_written_back_keeps_its_metrics(api: Api) -> None:
    created = await api.json("POST", HPA_V2, HPA, expect=201)
    assert created["spec"]["behavior"]["scaleUp"]["selectPolicy"] == "Max"  # defaulted
    v1 = await api.json("GET", f"{HPA_V1}/web", expect=200)
    assert v1["apiVersion"] == "autoscaling/v1"
    assert v1["spec"]["targetCPUUtilizationPercentage"] == 60
    assert "autoscaling.alpha.kubernetes.io/metrics" in v1["metadata"]["annotations"]
    assert v1["status"] == {"currentReplicas": 0, "desiredReplicas": 0}
    same = await api.json("PUT", f"{HPA_V1}/web", v1, expect=200)
    assert same["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]  # nothing lost
    v1["spec"]["maxReplicas"] = 9
    put = await api.json("PUT", f"{HPA_V1}/web", v1, expect=200)
    assert put["apiVersion"] == "autoscaling/v1" and put["spec"]["maxReplicas"] == 9
    v2 = await api.json("GET", f"{HPA_V2}/web", expect=200)
    assert v2["spec"]["metrics"] == HPA["spec"]["metrics"]
    assert v2["spec"]["behavior"] == created["spec"]["behavior"]
    assert v2["spec"]["maxReplicas"] == 9
    assert "annotations" not in v2["metadata"]
    listed = await api.json("GET", HPA_V1, expect=200)
    assert (
        listed["kind"] == "HorizontalPodAutoscalerList"
        and listed["items"][0]["apiVersion"] == "autoscaling/v1"
    )
    cells = await table_cells(api, HPA_V1)
    assert cells[0][:6] == ["web", "Deployment/web", "cpu: <unknown>/60%, <unknown>/100", "2", 9, 0]
    assert cells == await table_cells(api, HPA_V2)


async def test_hpa_created_as_v1_gets_the_v2_defaults(api: Api) -> None:
    body = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "old"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "old"},
            "maxReplicas": 3,
        },
    }
    created = await api.json("POST", HPA_V1, body, expect=201)
    assert created["apiVersion"] == "autoscaling/v1"
    assert created["spec"]["minReplicas"] == 1 and created["spec"]["targetCPUUtilizationPercentage"] == 80
    v2 = await api.json("GET", f"{HPA_V2}/old", expect=200)
    assert v2["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}},
        }
    ]
    patched = await api.json(
        "PATCH",
        f"{HPA_V1}/old",
        raw=orjson.dumps({"spec": {"targetCPUUtilizationPercentage": 40}}),
        headers=MERGE,
        expect=200,
    )
    assert patched["spec"]["targetCPUUtilizationPercentage"] == 40
    v2 = await api.json("GET", f"{HPA_V2}/old", expect=200)
    assert v2["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 40
    bad = dict(body, metadata={"name": "bad"}, spec=dict(body["spec"], minReplicas=5))
    err = await api.json("POST", HPA_V1, bad, expect=422)
    assert err["details"]["causes"][0]["field"] == "spec.maxReplicas"
    garbled = dict(
        body, metadata={"name": "bad", "annotations": {"autoscaling.alpha.kubernetes.io/metrics": "{"}}
    )
    err = await api.json("POST", HPA_V1, garbled, expect=400)
    assert err["reason"] == "BadRequest"


async def test_pdb_both_bounds_status_and_table(api: Api) -> None:
    bad = {"metadata": {"name": "x"}, "spec": {"minAvailable": 1, "maxUnavailable": 1}}
    err = await api.json("POST", PDB, bad, expect=422)
    assert err["details"]["causes"][0]["message"].endswith(
        "minAvailable and maxUnavailable cannot be both set"
    )
    body = {
        "metadata": {"name": "db"},
        "spec": {"maxUnavailable": "50%", "selector": {"matchLabels": {"app": "db"}}},
    }
    created = await api.json("POST", PDB, body, expect=201)
    assert created["status"]["disruptionsAllowed"] == 0 and created["metadata"]["generation"] == 1
    status = {
        "status": {"disruptionsAllowed": 2, "currentHealthy": 4, "desiredHealthy": 2, "expectedPods": 4}
    }
    await api.json("PATCH", f"{PDB}/db/status", raw=orjson.dumps(status), headers=MERGE, expect=200)
    rows = await table_cells(api, PDB)
    assert rows[0][:4] == ["db", "N/A", "50%", 2]
