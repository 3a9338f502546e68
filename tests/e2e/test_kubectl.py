"""The real kubectl 1.37 against a real pyk8s API server: every command the API server issue names."""

from __future__ import annotations

import json
import time

import pytest
import yaml

from .conftest import Cluster

CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  labels: {{tier: {tier}}}
data:
  key: value
"""


def test_version_reports_the_server(cluster: Cluster) -> None:
    out = json.loads(cluster.kubectl("version", "-o", "json").stdout)
    assert out["serverVersion"]["major"] == "1"
    assert out["serverVersion"]["minor"].isdigit()
    assert out["clientVersion"]["minor"] == "37"


def test_api_resources_and_versions(cluster: Cluster) -> None:
    resources = cluster.kubectl("api-resources", "-o", "wide").stdout
    for name in ("pods", "configmaps", "deployments", "namespaces", "leases", "events"):
        assert name in resources
    assert "po " in cluster.kubectl("api-resources").stdout
    versions = cluster.kubectl("api-versions").stdout.split()
    assert {"v1", "apps/v1", "coordination.k8s.io/v1"} <= set(versions)


def test_system_namespaces_and_kubernetes_service_exist(cluster: Cluster) -> None:
    names = cluster.kubectl("get", "namespaces", "-o", "name").stdout.split()
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        assert f"namespace/{ns}" in names
    svc = cluster.kubectl_json("get", "service", "kubernetes", "-n", "default")
    assert svc["spec"]["clusterIP"] == "10.96.0.1"
    assert svc["spec"]["ports"][0]["port"] == 443


def test_create_from_file_then_get_in_every_output_format(cluster: Cluster, ns: str) -> None:
    out = cluster.kubectl("create", "-n", ns, "-f", "-", input=CONFIGMAP.format(name="cm1", tier="fe"))
    assert "configmap/cm1 created" in out.stdout
    table = cluster.kubectl("get", "configmaps", "-n", ns).stdout.splitlines()
    assert table[0].split() == ["NAME", "DATA", "AGE"]
    assert table[1].split()[:2] == ["cm1", "1"]
    as_json = cluster.kubectl_json("get", "configmap", "cm1", "-n", ns)
    assert as_json["data"] == {"key": "value"}
    assert as_json["metadata"]["uid"] and as_json["metadata"]["resourceVersion"].isdigit()
    as_yaml = yaml.safe_load(cluster.kubectl("get", "cm", "cm1", "-n", ns, "-o", "yaml").stdout)
    assert as_yaml["metadata"]["labels"] == {"tier": "fe"}
    path = cluster.kubectl("get", "cm", "cm1", "-n", ns, "-o", "jsonpath={.data.key}").stdout
    assert path == "value"
    assert cluster.kubectl("get", "cm", "-n", ns, "-o", "name").stdout.split() == ["configmap/cm1"]


def test_create_with_protobuf_bodies(cluster: Cluster, ns: str) -> None:
    # kubectl >= 1.32 sends these through its typed client as application/vnd.kubernetes.protobuf.
    cluster.kubectl("create", "configmap", "pb", "-n", ns, "--from-literal=a=b", "--from-literal=c=d")
    assert cluster.kubectl_json("get", "cm", "pb", "-n", ns)["data"] == {"a": "b", "c": "d"}
    cluster.kubectl("create", "secret", "generic", "s1", "-n", ns, "--from-literal=password=hunter2")
    assert cluster.kubectl_json("get", "secret", "s1", "-n", ns)["data"]["password"] == "aHVudGVyMg=="
    cluster.kubectl(
        "create", "deployment", "web", "-n", ns, "--image=nginx:1.25", "--replicas=3", "--port=80"
    )
    deploy = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
    assert deploy["spec"]["replicas"] == 3
    assert deploy["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == 80
    assert deploy["spec"]["strategy"]["type"] == "RollingUpdate"  # defaulted by the server
    name = f"pbns-{ns}"
    cluster.kubectl("create", "namespace", name)
    assert cluster.kubectl_json("get", "namespace", name)["status"]["phase"] == "Active"


def test_label_and_field_selectors(cluster: Cluster, ns: str) -> None:
    for name, tier in (("a", "fe"), ("b", "be"), ("c", "fe")):
        cluster.kubectl("create", "-n", ns, "-f", "-", input=CONFIGMAP.format(name=name, tier=tier))
    selected = cluster.kubectl("get", "cm", "-n", ns, "-l", "tier=fe", "-o", "name").stdout.split()
    assert selected == ["configmap/a", "configmap/c"]
    selected = cluster.kubectl(
        "get", "cm", "-n", ns, "-l", "tier in (be),tier!=fe", "-o", "name"
    ).stdout.split()
    assert selected == ["configmap/b"]
    selected = cluster.kubectl("get", "cm", "-n", ns, "--field-selector", "metadata.name!=a", "-o", "name")
    assert selected.stdout.split() == ["configmap/b", "configmap/c"]
    bad = cluster.kubectl("get", "cm", "-n", ns, "--field-selector", "spec.nope=x", check=False)
    assert bad.returncode != 0 and "field label not supported" in bad.stderr


def test_chunked_list_returns_everything(cluster: Cluster, ns: str) -> None:
    for i in range(12):
        cluster.kubectl("create", "configmap", f"chunk-{i:02d}", "-n", ns)
    names = cluster.kubectl("get", "cm", "-n", ns, "--chunk-size=5", "-o", "name").stdout.split()
    assert names == [f"configmap/chunk-{i:02d}" for i in range(12)]
    table = cluster.kubectl("get", "cm", "-n", ns, "--chunk-size=5").stdout.splitlines()
    assert len(table) == 13


def test_delete_waits_until_the_object_is_gone(cluster: Cluster, ns: str) -> None:
    cluster.kubectl("create", "configmap", "gone", "-n", ns)
    out = cluster.kubectl("delete", "configmap", "gone", "-n", ns, timeout=20)
    assert 'configmap "gone" deleted' in out.stdout
    missing = cluster.kubectl("get", "configmap", "gone", "-n", ns, check=False)
    assert missing.returncode == 1 and "NotFound" in missing.stderr
    assert cluster.kubectl("delete", "configmap", "gone", "-n", ns, "--ignore-not-found").returncode == 0


def test_wait_for_a_condition_and_for_delete(cluster: Cluster, ns: str) -> None:
    cluster.kubectl("create", "configmap", "w1", "-n", ns)
    waiter = cluster.spawn_kubectl("wait", "-n", ns, "--for=delete", "configmap/w1", "--timeout=20s")
    time.sleep(0.5)
    cluster.kubectl("delete", "configmap", "w1", "-n", ns, "--wait=false")
    _out, err = waiter.communicate(timeout=25)
    assert waiter.returncode == 0, err
    cluster.kubectl("create", "configmap", "w2", "-n", ns)
    done = cluster.kubectl(
        "wait", "-n", ns, "--for=jsonpath={.data}", "configmap/w2", "--timeout=5s", check=False
    )
    assert done.returncode != 0  # no data: times out cleanly
    cluster.kubectl("create", "deployment", "wd", "-n", ns, "--image=nginx")
    ok = cluster.kubectl(
        "wait", "-n", ns, "--for=jsonpath={.spec.replicas}=1", "deployment/wd", "--timeout=10s"
    )
    assert "condition met" in ok.stdout


def test_label_annotate_and_scale(cluster: Cluster, ns: str) -> None:
    cluster.kubectl("create", "configmap", "lab", "-n", ns)
    cluster.kubectl("label", "configmap", "lab", "-n", ns, "tier=fe")
    cluster.kubectl("annotate", "configmap", "lab", "-n", ns, "owner=team-a")
    got = cluster.kubectl_json("get", "cm", "lab", "-n", ns)
    assert got["metadata"]["labels"] == {"tier": "fe"}
    assert got["metadata"]["annotations"] == {"owner": "team-a"}
    cluster.kubectl("label", "configmap", "lab", "-n", ns, "tier-")
    assert "labels" not in cluster.kubectl_json("get", "cm", "lab", "-n", ns)["metadata"]
    stale = cluster.kubectl("label", "configmap", "lab", "-n", ns, "x=y", "--resource-version=1", check=False)
    assert stale.returncode != 0 and "Conflict" in stale.stderr
    cluster.kubectl("create", "deployment", "sc", "-n", ns, "--image=nginx")
    cluster.kubectl("scale", "deployment", "sc", "-n", ns, "--replicas=4")
    assert cluster.kubectl_json("get", "deploy", "sc", "-n", ns)["spec"]["replicas"] == 4
    cluster.kubectl("scale", "deployment", "sc", "-n", ns, "--current-replicas=4", "--replicas=2")
    assert cluster.kubectl_json("get", "deploy", "sc", "-n", ns)["spec"]["replicas"] == 2
    wrong = cluster.kubectl(
        "scale", "deployment", "sc", "-n", ns, "--current-replicas=9", "--replicas=1", check=False
    )
    assert wrong.returncode != 0


def test_get_watch_prints_changes_and_watch_events(cluster: Cluster, ns: str) -> None:
    cluster.kubectl("create", "configmap", "watched", "-n", ns)
    watcher = cluster.spawn_kubectl(
        "get", "configmaps", "-n", ns, "-w", "--output-watch-events", "--request-timeout=8s"
    )
    time.sleep(1.0)
    cluster.kubectl("label", "configmap", "watched", "-n", ns, "x=1")
    cluster.kubectl("create", "configmap", "second", "-n", ns)
    cluster.kubectl("delete", "configmap", "second", "-n", ns)
    out, _ = watcher.communicate(timeout=20)
    rows = [line.split() for line in out.splitlines()]
    assert rows[0][:3] == ["EVENT", "NAME", "DATA"]
    events = [(r[0], r[1]) for r in rows[1:]]
    assert ("ADDED", "watched") in events
    assert ("MODIFIED", "watched") in events
    assert ("ADDED", "second") in events and ("DELETED", "second") in events


def test_bad_input_gets_status_errors(cluster: Cluster, ns: str) -> None:
    bad = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict}\nbogusField: 1\n"
    strict = cluster.kubectl("create", "-n", ns, "-f", "-", input=bad, check=False)
    assert strict.returncode != 0
    assert 'strict decoding error: unknown field "bogusField"' in strict.stderr
    warn = cluster.kubectl("create", "-n", ns, "-f", "-", "--validate=warn", input=bad)
    assert 'unknown field "bogusField"' in warn.stderr
    invalid = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n"
    result = cluster.kubectl("create", "-n", ns, "-f", "-", input=invalid, check=False)
    assert result.returncode != 0 and "Invalid value" in result.stderr and "metadata.name" in result.stderr
    exists = cluster.kubectl("create", "configmap", "strict2", "-n", ns)
    assert exists.returncode == 0
    again = cluster.kubectl("create", "configmap", "strict2", "-n", ns, check=False)
    assert again.returncode != 0 and 'configmaps "strict2" already exists' in again.stderr
    missing_ns = cluster.kubectl("create", "configmap", "x", "-n", "no-such-namespace", check=False)
    assert missing_ns.returncode != 0 and 'namespaces "no-such-namespace" not found' in missing_ns.stderr


def test_explain_describes_fields(cluster: Cluster) -> None:
    out = cluster.kubectl("explain", "deployments.spec.replicas").stdout
    assert "replicas" in out and "integer" in out


@pytest.mark.parametrize("dry_run", ["server"])
def test_server_dry_run_changes_nothing(cluster: Cluster, ns: str, dry_run: str) -> None:
    out = cluster.kubectl("create", "configmap", "dry", "-n", ns, f"--dry-run={dry_run}", "-o", "json")
    assert json.loads(out.stdout)["metadata"]["name"] == "dry"
    assert cluster.kubectl("get", "cm", "dry", "-n", ns, check=False).returncode == 1


DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: web
        image: {image}
        env: [{{name: MODE, value: prod}}]
"""


def test_client_side_apply_and_patch_flavours(cluster: Cluster, ns: str) -> None:
    out = cluster.kubectl(
        "apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=2, image="nginx:1.25")
    )
    assert "deployment.apps/web created" in out.stdout
    again = cluster.kubectl(
        "apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=2, image="nginx:1.25")
    )
    assert "deployment.apps/web unchanged" in again.stdout
    # Someone else sets a field the file does not mention; it survives the next apply.
    cluster.kubectl("patch", "deployment", "web", "-n", ns, "-p", '{"spec":{"minReadySeconds":5}}')
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=3, image="nginx:1.27"))
    deploy = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
    assert deploy["spec"]["replicas"] == 3 and deploy["spec"]["minReadySeconds"] == 5
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    cluster.kubectl("set", "image", "deployment/web", "-n", ns, "web=nginx:1.28")
    cluster.kubectl(
        "patch", "deployment", "web", "-n", ns, "--type=merge", "-p", '{"metadata":{"labels":{"a":"b"}}}'
    )
    cluster.kubectl(
        "patch",
        "deployment",
        "web",
        "-n",
        ns,
        "--type=json",
        "-p",
        '[{"op":"replace","path":"/spec/replicas","value":1}]',
    )
    deploy = cluster.kubectl_json("get", "deployment", "web", "-n", ns)
    assert deploy["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert deploy["metadata"]["labels"] == {"a": "b"} and deploy["spec"]["replicas"] == 1
    failing = cluster.kubectl(
        "patch",
        "deployment",
        "web",
        "-n",
        ns,
        "--type=json",
        "-p",
        '[{"op":"test","path":"/spec/replicas","value":9}]',
        check=False,
    )
    assert failing.returncode != 0
    diff = cluster.kubectl(
        "diff", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=7, image="nginx:1.28"), check=False
    )
    assert diff.returncode == 1 and "replicas: 7" in diff.stdout
    assert (
        cluster.kubectl_json("get", "deployment", "web", "-n", ns)["spec"]["replicas"] == 1
    )  # diff wrote nothing
