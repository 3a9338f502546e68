"""Pod validation remembers valid inputs: it must never change a result.

Every variant of a valid pod (one value replaced, or a key dropped) is validated twice:
with nothing remembered, and after the valid pods were validated (so their specs, containers,
env vars, probes, volumes, affinity and tolerations are remembered). The errors must be the
same, in the same order.
"""

from __future__ import annotations

import copy
import datetime
import random
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import pytest

from pyk8s.api.fields import FieldPath
from pyk8s.api.validation import AcceptedInputs, json_key
from pyk8s.kinds.core import podspec
from pyk8s.kinds.core.pod import validate_pod_object, validate_pod_update
from pyk8s.kinds.core.podspec import default_pod, default_pod_once, validate_pod_spec

# Values of the same JSON type as the one replaced (decoding has checked types by then).
REPLACEMENTS: dict[type, list[Any]] = {
    str: ["", "Bad_Name!", " padded ", "x" * 300, "Exists", "/abs", "../up", "Always", "v1"],
    int: [-1, 0, 1, 101, 2**40],
    bool: [True, False],
    dict: [{}],
    list: [[]],
}


def base_pod(i: int) -> dict[str, Any]:
    """A pod like the benchmark's: a template's pod with a per-pod env value and node."""
    pod: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"web-{i}", "namespace": "ns", "labels": {"app": "web"}},
        "spec": {
            "nodeName": f"node-{i % 3}",
            "containers": [
                {
                    "name": "web",
                    "image": "registry.local/web:1.25.3",
                    "ports": [{"containerPort": 8080, "name": "http"}],
                    "env": [
                        {"name": "REPLICA", "value": str(i)},
                        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                        {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
                    ],
                    "livenessProbe": {"httpGet": {"path": "/livez", "port": 8080}, "periodSeconds": 20},
                    "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
                    "resources": {
                        "requests": {"cpu": "100m", "memory": "128Mi"},
                        "limits": {"memory": "256Mi"},
                    },
                    "volumeMounts": [{"name": "config", "mountPath": "/etc/web", "readOnly": True}],
                },
                {
                    "name": "shipper",
                    "image": "registry.local/fluent-bit:3.1",
                    "volumeMounts": [{"name": "work", "mountPath": "/var/log/web"}],
                },
            ],
            "initContainers": [
                {
                    "name": "setup",
                    "image": "busybox",
                    "command": ["sh", "-c", "true"],
                    "volumeMounts": [{"name": "work", "mountPath": "/work"}],
                }
            ],
            "affinity": {
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 100,
                            "podAffinityTerm": {
                                "topologyKey": "kubernetes.io/hostname",
                                "labelSelector": {"matchLabels": {"app": "web"}},
                            },
                        }
                    ]
                }
            },
            "volumes": [
                {"name": "config", "configMap": {"name": "web-config"}},
                {"name": "work", "emptyDir": {}},
                {
                    "name": "scratch",
                    "ephemeral": {
                        "volumeClaimTemplate": {
                            "spec": {
                                "accessModes": ["ReadWriteOnce"],
                                "resources": {"requests": {"storage": "1Gi"}},
                            }
                        }
                    },
                },
            ],
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}
            ],
        },
    }
    default_pod(pod)
    return pod


def admitted_pod(i: int) -> dict[str, Any]:
    """A pod as admission leaves it: a token volume named at random, mounted everywhere (and
    no ephemeral volume, whose claim would be named after the pod)."""
    pod = base_pod(i)
    spec = pod["spec"]
    token = f"kube-api-access-{i:05d}"
    spec["volumes"] = [
        *spec["volumes"][:2],
        {"name": token, "projected": {"sources": [], "defaultMode": 420}},
    ]
    for kind in ("containers", "initContainers"):
        for container in spec[kind]:
            container["volumeMounts"].append({"name": token, "readOnly": True, "mountPath": "/var/run/sa"})
    return pod


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into `value` (containers, keys and items alike)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))


def variant(pod: dict[str, Any], path: tuple[Any, ...], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(pod)
    parent = out
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if isinstance(parent, dict) and rng.random() < 0.25:
        del parent[last]
    else:
        parent[last] = copy.deepcopy(rng.choice(REPLACEMENTS[type(parent[last])]))
    return out


def forget() -> None:
    for accepted in podspec.ACCEPTED_INPUTS:
        accepted.clear()


def errors(result: list[Any]) -> list[str]:
    return [str(e) for e in result]


@pytest.mark.parametrize("make", [base_pod, admitted_pod], ids=["ephemeral", "admitted"])
def test_remembered_inputs_never_change_errors(make: Any) -> None:
    rng = random.Random(7)
    bases = [make(i) for i in range(3)]
    paths = [p for p in leaves(bases[0]) if len(p) > 1 and p[0] in ("spec", "metadata")]
    checked = invalid = 0
    for path in rng.sample(paths, min(len(paths), 250)):
        changed = variant(bases[rng.randrange(3)], path, rng)
        forget()
        cold = errors(validate_pod_object(changed))
        for pod in bases:
            assert validate_pod_object(pod) == []
        warm = errors(validate_pod_object(changed))
        assert warm == cold, path
        again = errors(validate_pod_object(changed))  # a valid variant is now remembered
        assert again == cold, path
        checked += 1
        invalid += bool(cold)
    assert checked > 100 and invalid > 40, (checked, invalid)


def test_valid_pods_are_remembered_by_part() -> None:
    forget()
    assert validate_pod_object(base_pod(1)) == []
    remembered = [len(accepted) for accepted in podspec.ACCEPTED_INPUTS]
    # Another pod of the template: the spec differs (node, env), its parts do not, but for
    # the volumes (an ephemeral volume's claim is named after the pod) and one env var.
    assert validate_pod_object(base_pod(2)) == []
    after = [len(accepted) for accepted in podspec.ACCEPTED_INPUTS]
    specs, containers, env_vars, parts = (b - a for a, b in zip(remembered, after, strict=True))
    assert (specs, containers, env_vars, parts) == (1, 0, 1, 1)


def test_pods_of_one_template_share_one_remembered_spec() -> None:
    forget()
    pods = [base_pod(i) for i in range(4)]
    for p in pods:
        p["spec"]["volumes"] = p["spec"]["volumes"][:2]  # no ephemeral volume: names do not matter
    assert validate_pod_object(pods[0]) == []
    specs = len(podspec.ACCEPTED_INPUTS[0])
    for p in pods[1:]:
        assert validate_pod_object(p) == []
    assert len(podspec.ACCEPTED_INPUTS[0]) == specs
    # what differs between them is still checked: a bad node, a bad env var
    bad_node = copy.deepcopy(pods[1])
    bad_node["spec"]["nodeName"] = "Bad_Node"
    assert [e.field for e in validate_pod_object(bad_node)] == ["spec.nodeName"]
    bad_env = copy.deepcopy(pods[2])
    bad_env["spec"]["initContainers"][0]["env"] = [{"name": ""}]
    assert [e.field for e in validate_pod_object(bad_env)] == ["spec.initContainers[0].env[0].name"]


def test_admitted_pods_share_one_remembered_spec_whatever_their_token_volume() -> None:
    forget()
    assert validate_pod_object(admitted_pod(1)) == []
    specs = len(podspec.ACCEPTED_INPUTS[0])
    assert validate_pod_object(admitted_pod(2)) == []
    assert len(podspec.ACCEPTED_INPUTS[0]) == specs
    # names are still checked one by one, and against each other
    bad = admitted_pod(3)
    bad["spec"]["volumes"][2]["name"] = "Bad_Name"
    bad["spec"]["containers"][0]["volumeMounts"][1]["name"] = "Bad_Name"
    cold = errors(validate_pod_object(bad))
    assert any("volumes[2].name" in e for e in cold)
    dangling = admitted_pod(4)
    dangling["spec"]["containers"][1]["volumeMounts"][1]["name"] = "kube-api-access-00001"
    assert [e.field for e in validate_pod_object(dangling)] == ["spec.containers[1].volumeMounts[1].name"]
    swapped = admitted_pod(5)
    swapped["spec"]["initContainers"][0]["volumeMounts"][0]["name"] = "config"  # exists: fine
    assert validate_pod_object(swapped) == []
    forget()
    assert errors(validate_pod_object(bad)) == cold


def test_pod_name_matters_only_for_ephemeral_volumes() -> None:
    forget()
    pod = base_pod(1)
    long_name = "a" * 250  # the ephemeral volume's claim name "<pod>-scratch" is too long
    assert validate_pod_object(pod) == []
    pod["metadata"]["name"] = long_name
    assert any("PVC name" in str(e) for e in validate_pod_object(pod))
    plain = base_pod(1)
    plain["spec"]["volumes"] = plain["spec"]["volumes"][:2]
    assert validate_pod_object(plain) == []
    plain["metadata"]["name"] = long_name
    assert validate_pod_object(plain) == []  # metadata names are the registry's to check


def test_templates_and_pods_are_told_apart() -> None:
    forget()
    spec = base_pod(1)["spec"]
    spec["hostNetwork"] = True
    spec["containers"][0]["ports"] = [{"containerPort": 8080, "hostPort": 0, "protocol": "TCP"}]
    template = validate_pod_spec(spec, FieldPath("spec", "template", "spec"))
    as_pod = validate_pod_spec(spec, FieldPath("spec"), pod_meta={"name": "p"}, resource_is_pod=True)
    assert template == [] and [e.field for e in as_pod] == ["spec.containers[0].ports[0].hostPort"]
    forget()
    assert errors(
        validate_pod_spec(spec, FieldPath("spec"), pod_meta={"name": "p"}, resource_is_pod=True)
    ) == (errors(as_pod))
    assert errors(validate_pod_spec(spec, FieldPath("spec", "template", "spec"))) == errors(template)


def test_an_update_of_an_unchanged_spec_is_validated_from_memory_with_the_same_errors() -> None:
    forget()
    old = base_pod(1)
    new = copy.deepcopy(old)
    new["metadata"]["annotations"] = {"a": "b"}
    assert validate_pod_update(new, old) == []
    bad = copy.deepcopy(new)
    bad["spec"]["containers"][0]["image"] = ""
    first = errors(validate_pod_update(bad, old))
    assert first and errors(validate_pod_update(bad, old)) == first


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (1, b"1"),
        (True, b"true"),
        (1.0, b"1.0"),
        ("1", b'"1"'),
        ({"a": [1, "x"]}, b'{"a":[1,"x"]}'),
        (float("nan"), None),
        (float("inf"), None),
        ({"a": None}, None),
        (2**70, None),
        ({1: "x"}, None),
        (datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC), None),
        (OrderedDict(a=1), None),
    ],
)
def test_json_keys_tell_apart_what_validation_does(value: Any, key: bytes | None) -> None:
    assert json_key(value) == key


def test_accepted_inputs_forget_the_oldest_first() -> None:
    accepted = AcceptedInputs(capacity=2)
    accepted.add("a")
    accepted.add("b")
    accepted.add("c")
    assert "a" not in accepted and "b" in accepted and "c" in accepted and len(accepted) == 2


def test_defaulting_an_update_once_gives_what_defaulting_gives() -> None:
    rng = random.Random(11)
    base = base_pod(1)
    paths = [p for p in leaves(base) if len(p) > 1 and p[0] == "spec"]
    for path in rng.sample(paths, min(len(paths), 150)):
        changed = variant(base, path, rng)
        expected = copy.deepcopy(changed)
        default_pod(expected)
        for _ in range(2):  # the second time from memory when defaulting changed nothing
            once = copy.deepcopy(changed)
            default_pod_once(once)
            assert once == expected, path
