"""Patch and apply end to end: the real kubectl 1.37 and the official Python client.

Every kubectl command that writes with a patch or records field ownership: client-side and
server-side apply (conflicts, forcing, the move from one to the other, pruning), diff, edit,
patch in its three types, set, label and annotate, replace, scale, rollout, and the
last-applied commands. Each test works in its own namespace.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from .conftest import Cluster

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {{app: web}}
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

CONFIGMAP = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  labels: {{set: {label}}}
data:
{data}
"""


def configmap(name: str, label: str = "x", **data: str) -> str:
    return CONFIGMAP.format(name=name, label=label, data="\n".join(f'  {k}: "{v}"' for k, v in data.items()))


def get(cluster: Cluster, ns: str, what: str) -> dict[str, Any]:
    return json.loads(cluster.kubectl("get", what, "-n", ns, "-o", "json", "--show-managed-fields").stdout)


def managers(obj: dict[str, Any]) -> set[tuple[str, str]]:
    return {(e["manager"], e["operation"]) for e in obj["metadata"].get("managedFields", [])}


def editor(tmp_path: Path, name: str, script: str) -> str:
    """An EDITOR for kubectl: a shell script that edits the file it is given."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


# client-side apply


def test_client_side_apply_tracks_its_last_applied_configuration(cluster: Cluster, ns: str) -> None:
    first = cluster.kubectl("apply", "-n", ns, "-f", "-", input=configmap("cm", a="1", b="2"))
    assert "configmap/cm created" in first.stdout
    obj = get(cluster, ns, "configmap/cm")
    assert json.loads(obj["metadata"]["annotations"][LAST_APPLIED])["data"] == {"a": "1", "b": "2"}
    assert managers(obj) == {("kubectl-client-side-apply", "Update")}
    again = cluster.kubectl("apply", "-n", ns, "-f", "-", input=configmap("cm", a="1", b="2"))
    assert "configmap/cm unchanged" in again.stdout
    # someone else sets a key; the file drops `b`: b goes, theirs stays
    cluster.kubectl("patch", "configmap", "cm", "-n", ns, "--type=merge", "-p", '{"data":{"other":"x"}}')
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=configmap("cm", a="3"))
    obj = get(cluster, ns, "configmap/cm")
    assert obj["data"] == {"a": "3", "other": "x"}
    assert managers(obj) == {("kubectl-client-side-apply", "Update"), ("kubectl-patch", "Update")}


def test_view_and_edit_last_applied(cluster: Cluster, ns: str, tmp_path: Path) -> None:
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=1, image="nginx:1.25"))
    viewed = cluster.kubectl("apply", "view-last-applied", "deployment/web", "-n", ns, "-o", "json").stdout
    assert json.loads(viewed)["spec"]["replicas"] == 1
    edit = editor(tmp_path, "ela.sh", "sed -i 's/replicas: 1/replicas: 4/' \"$1\"")
    result = subprocess_env(cluster, edit, "apply", "edit-last-applied", "deployment/web", "-n", ns)
    assert result.returncode == 0, result.stderr
    viewed = cluster.kubectl("apply", "view-last-applied", "deployment/web", "-n", ns, "-o", "json").stdout
    assert json.loads(viewed)["spec"]["replicas"] == 4
    assert get(cluster, ns, "deployment/web")["spec"]["replicas"] == 1  # only the annotation changed


def subprocess_env(cluster: Cluster, editor_path: str, *args: str) -> Any:
    """kubectl with EDITOR set (the fixture's runner does not take an environment)."""
    import subprocess

    env = dict(os.environ, KUBECONFIG=str(cluster.kubeconfig), HOME=str(cluster.home), EDITOR=editor_path)
    return subprocess.run(
        [cluster.kubectl_bin, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_apply_prune_deletes_what_left_the_files(cluster: Cluster, ns: str) -> None:
    both = configmap("pa", label="p", k="v") + "---" + configmap("pb", label="p", k="v")
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=both)
    cluster.kubectl("create", "configmap", "keep", "-n", ns)  # not applied: never pruned
    cluster.kubectl("label", "configmap", "keep", "-n", ns, "set=p")
    pruned = cluster.kubectl(
        "apply", "-n", ns, "--prune", "-l", "set=p", "-f", "-", input=configmap("pa", label="p", k="v")
    )
    assert "configmap/pb pruned" in pruned.stdout
    names = cluster.kubectl("get", "configmaps", "-n", ns, "-l", "set=p", "-o", "name").stdout.split()
    assert sorted(names) == ["configmap/keep", "configmap/pa"]


# server-side apply


def test_server_side_apply_conflicts_and_forcing(cluster: Cluster, ns: str) -> None:
    applied = cluster.kubectl("apply", "--server-side", "-n", ns, "-f", "-", input=configmap("cm", k="v"))
    assert "configmap/cm serverside-applied" in applied.stdout
    assert managers(get(cluster, ns, "configmap/cm")) == {("kubectl", "Apply")}
    cluster.kubectl("patch", "configmap", "cm", "-n", ns, "-p", '{"data":{"k":"theirs"}}')
    conflict = cluster.kubectl(
        "apply", "--server-side", "-n", ns, "-f", "-", input=configmap("cm", k="mine"), check=False
    )
    assert conflict.returncode != 0
    assert 'Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.k' in conflict.stderr
    assert "--force-conflicts" in conflict.stderr  # kubectl's advice, from the 409
    assert get(cluster, ns, "configmap/cm")["data"]["k"] == "theirs"
    cluster.kubectl(
        "apply", "--server-side", "--force-conflicts", "-n", ns, "-f", "-", input=configmap("cm", k="mine")
    )
    obj = get(cluster, ns, "configmap/cm")
    assert obj["data"]["k"] == "mine"
    assert managers(obj) == {("kubectl", "Apply")}  # the patcher lost its only field
    # another manager, shared fields, then removal of what the file drops
    other = configmap("cm", k="mine", extra="e")
    cluster.kubectl("apply", "--server-side", "--field-manager=other", "-n", ns, "-f", "-", input=other)
    cluster.kubectl("apply", "--server-side", "-n", ns, "-f", "-", input=configmap("cm", x="1"))
    obj = get(cluster, ns, "configmap/cm")
    assert obj["data"] == {"k": "mine", "extra": "e", "x": "1"}  # k stays: "other" still owns it


def test_client_side_then_server_side_apply_migrates_ownership(cluster: Cluster, ns: str) -> None:
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=2, image="nginx:1.25"))
    # No conflict: the last-applied annotation shows kubectl set these fields.
    ssa = DEPLOYMENT.format(replicas=3, image="nginx:1.27")
    cluster.kubectl("apply", "--server-side", "-n", ns, "-f", "-", input=ssa)
    obj = get(cluster, ns, "deployment/web")
    assert obj["spec"]["replicas"] == 3
    assert ("kubectl", "Apply") in managers(obj)
    assert ("kubectl-client-side-apply", "Update") not in managers(obj)  # kubectl migrated it
    assert json.loads(obj["metadata"]["annotations"][LAST_APPLIED])["spec"]["replicas"] == 3


def test_diff_never_changes_the_cluster(cluster: Cluster, ns: str) -> None:
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=2, image="nginx:1.25"))
    before = get(cluster, ns, "deployment/web")
    changed = DEPLOYMENT.format(replicas=5, image="nginx:1.25")
    for extra in ([], ["--server-side"]):
        diff = cluster.kubectl("diff", *extra, "-n", ns, "-f", "-", input=changed, check=False)
        assert diff.returncode == 1 and "-  replicas: 2" in diff.stdout and "+  replicas: 5" in diff.stdout
    same = cluster.kubectl(
        "diff", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=2, image="nginx:1.25"), check=False
    )
    assert same.returncode == 0 and same.stdout == ""
    after = get(cluster, ns, "deployment/web")
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]


# the other writers


def test_edit_with_an_editor_script(cluster: Cluster, ns: str, tmp_path: Path) -> None:
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=1, image="nginx:1.25"))
    bump = editor(tmp_path, "bump.sh", "sed -i 's/image: nginx:1.25/image: nginx:1.26/' \"$1\"")
    edited = subprocess_env(cluster, bump, "edit", "deployment/web", "-n", ns)
    assert edited.returncode == 0 and "deployment.apps/web edited" in edited.stdout, edited.stderr
    obj = get(cluster, ns, "deployment/web")
    assert obj["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"
    assert ("kubectl-edit", "Update") in managers(obj)
    unchanged = subprocess_env(
        cluster, editor(tmp_path, "noop.sh", "true"), "edit", "deployment/web", "-n", ns
    )
    assert "Edit cancelled, no changes made." in unchanged.stdout + unchanged.stderr


def test_patch_in_every_type_and_the_errors_kubectl_prints(cluster: Cluster, ns: str) -> None:
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=1, image="nginx:1.25"))
    sidecar = '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"}]}}}}'
    cluster.kubectl("patch", "deployment", "web", "-n", ns, "--type=strategic", "-p", sidecar)
    cluster.kubectl(
        "patch", "deployment", "web", "-n", ns, "--type=merge", "-p", '{"metadata":{"labels":{"m":"1"}}}'
    )
    ops = (
        '[{"op":"replace","path":"/spec/replicas","value":2},{"op":"test","path":"/spec/replicas","value":2}]'
    )
    cluster.kubectl("patch", "deployment", "web", "-n", ns, "--type=json", "-p", ops)
    obj = get(cluster, ns, "deployment/web")
    # strategic merge puts an element the live list lacks before the server's own, as Kubernetes
    assert [c["name"] for c in obj["spec"]["template"]["spec"]["containers"]] == ["side", "web"]
    assert obj["metadata"]["labels"] == {"app": "web", "m": "1"} and obj["spec"]["replicas"] == 2
    rv = obj["metadata"]["resourceVersion"]
    failures = [
        ("--type=json", '[{"op":"test","path":"/spec/replicas","value":9}]', "The request is invalid"),
        ("--type=json", '[{"op":"remove","path":"/spec/nope"}]', "The request is invalid"),
        ("--type=merge", '{"spec":{"replicas":-1}}', 'The Deployment "web" is invalid'),
        ("--type=strategic", '{"spec":{"replicas":"x"}}', "cannot unmarshal string"),
    ]
    for kind, body, message in failures:
        failed = cluster.kubectl("patch", "deployment", "web", "-n", ns, kind, "-p", body, check=False)
        assert failed.returncode != 0 and message in failed.stderr, failed.stderr
    assert get(cluster, ns, "deployment/web")["metadata"]["resourceVersion"] == rv


def test_set_label_annotate_scale_and_rollout(cluster: Cluster, ns: str) -> None:
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=DEPLOYMENT.format(replicas=1, image="nginx:1.25"))
    cluster.kubectl("set", "image", "deployment/web", "-n", ns, "web=nginx:1.27")
    cluster.kubectl("set", "env", "deployment/web", "-n", ns, "EXTRA=1")
    cluster.kubectl("set", "resources", "deployment/web", "-n", ns, "--limits=cpu=200m,memory=128Mi")
    cluster.kubectl("label", "deployment", "web", "-n", ns, "tier=fe")
    refused = cluster.kubectl("label", "deployment", "web", "-n", ns, "tier=be", check=False)
    assert refused.returncode != 0 and "--overwrite is false" in refused.stderr
    cluster.kubectl("label", "deployment", "web", "-n", ns, "tier=be", "--overwrite")
    cluster.kubectl("annotate", "deployment", "web", "-n", ns, "note=a")
    cluster.kubectl("annotate", "deployment", "web", "-n", ns, "note=b", "--overwrite")
    cluster.kubectl("scale", "deployment", "web", "-n", ns, "--replicas=3")
    cluster.kubectl("rollout", "pause", "deployment/web", "-n", ns)
    paused = get(cluster, ns, "deployment/web")
    assert paused["spec"]["paused"] is True
    cluster.kubectl("rollout", "resume", "deployment/web", "-n", ns)
    cluster.kubectl("rollout", "restart", "deployment/web", "-n", ns)
    obj = get(cluster, ns, "deployment/web")
    container = obj["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:1.27"
    assert {"name": "EXTRA", "value": "1"} in container["env"]
    assert container["resources"]["limits"] == {"cpu": "200m", "memory": "128Mi"}
    assert obj["metadata"]["labels"]["tier"] == "be" and obj["metadata"]["annotations"]["note"] == "b"
    assert obj["spec"]["replicas"] == 3 and not obj["spec"].get("paused")
    assert "kubectl.kubernetes.io/restartedAt" in obj["spec"]["template"]["metadata"]["annotations"]
    entries = {(e["manager"], e.get("subresource", "")) for e in obj["metadata"]["managedFields"]}
    for manager in ("kubectl-set", "kubectl-label", "kubectl-annotate", "kubectl-rollout"):
        assert (manager, "") in entries
    assert any(sub == "scale" for _, sub in entries)  # scale writes through /scale


def test_replace_and_replace_force(cluster: Cluster, ns: str, tmp_path: Path) -> None:
    cluster.kubectl("apply", "-n", ns, "-f", "-", input=configmap("cm", k="v"))
    live = get(cluster, ns, "configmap/cm")
    live["data"]["k"] = "replaced"
    manifest = tmp_path / "cm.json"
    manifest.write_text(json.dumps(live))
    cluster.kubectl("replace", "-f", str(manifest))
    replaced = get(cluster, ns, "configmap/cm")
    assert replaced["data"]["k"] == "replaced" and ("kubectl-replace", "Update") in managers(replaced)
    stale = cluster.kubectl("replace", "-f", str(manifest), check=False)  # its resourceVersion is old now
    assert stale.returncode != 0 and "the object has been modified" in stale.stderr
    cluster.kubectl("replace", "--force", "-f", str(manifest))
    forced = get(cluster, ns, "configmap/cm")
    assert forced["metadata"]["uid"] != live["metadata"]["uid"] and forced["data"]["k"] == "replaced"


# the official Python client


def test_python_client_server_side_apply_and_patches(cluster: Cluster, ns: str, api_client: Any) -> None:
    kubernetes = pytest.importorskip("kubernetes")
    dynamic = kubernetes.dynamic.DynamicClient(api_client)
    configmaps = dynamic.resources.get(api_version="v1", kind="ConfigMap")
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "py", "namespace": ns},
        "data": {"k": "v"},
    }
    created = configmaps.server_side_apply(body=body, field_manager="py-app", namespace=ns)
    assert created.data.k == "v"
    entries = created.metadata.managedFields
    assert [(e.manager, e.operation) for e in entries] == [("py-app", "Apply")]
    core = kubernetes.client.CoreV1Api(api_client)
    core.patch_namespaced_config_map("py", ns, {"data": {"other": "o"}}, field_manager="py-patch")
    try:
        configmaps.server_side_apply(
            body={**body, "data": {"other": "mine"}}, field_manager="py-app", namespace=ns
        )
    except kubernetes.client.exceptions.ApiException as err:
        assert err.status == 409
        assert json.loads(err.body)["details"]["causes"][0]["field"] == ".data.other"
    else:
        raise AssertionError("the apply should conflict with py-patch")
    forced = configmaps.server_side_apply(
        body={**body, "data": {"other": "mine"}}, field_manager="py-app", namespace=ns, force_conflicts=True
    )
    assert dict(forced.data) == {"other": "mine"}  # k was dropped by py-app, and nobody else owned it
