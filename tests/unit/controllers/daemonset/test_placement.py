"""Which nodes a DaemonSet's pod belongs on (NodeShouldRunDaemonPod) and how pods are pinned."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.controllers.daemonset.placement import (
    add_daemon_tolerations,
    pin_to_node,
    should_run,
    target_node,
)


def node(name: str, labels: dict[str, str] | None = None, taints: list[dict[str, Any]] | None = None) -> dict:
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": {"taints": taints or []}}


def ds(**pod_spec: Any) -> dict:
    return {
        "metadata": {"name": "agent", "namespace": "kube-system"},
        "spec": {
            "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [], **pod_spec}}
        },
    }


def taint(key: str, effect: str, value: str = "") -> dict[str, str]:
    return {"key": key, "value": value, "effect": effect}


def test_default_tolerations_as_kubernetes_adds_them() -> None:
    spec: dict[str, Any] = {"tolerations": [{"key": "x", "operator": "Exists"}]}
    add_daemon_tolerations(spec)
    assert spec["tolerations"] == [
        {"key": "x", "operator": "Exists"},
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
        {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
    ]


def test_host_network_pods_also_tolerate_network_unavailable() -> None:
    spec: dict[str, Any] = {"hostNetwork": True}
    add_daemon_tolerations(spec)
    assert spec["tolerations"][-1]["key"] == "node.kubernetes.io/network-unavailable"


def test_existing_equal_toleration_with_seconds_is_replaced_in_place() -> None:
    spec: dict[str, Any] = {
        "tolerations": [
            {
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "effect": "NoExecute",
                "tolerationSeconds": 5,
            }
        ]
    }
    add_daemon_tolerations(spec)
    assert spec["tolerations"][0] == {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
    }
    assert len(spec["tolerations"]) == 6


@pytest.mark.parametrize(
    ("daemon", "target", "expected"),
    [
        pytest.param(ds(), node("n"), (True, True), id="plain"),
        pytest.param(
            ds(nodeSelector={"disk": "ssd"}), node("n", {"disk": "ssd"}), (True, True), id="selector-fits"
        ),
        pytest.param(
            ds(nodeSelector={"disk": "ssd"}), node("n", {"disk": "hdd"}), (False, False), id="selector-misses"
        ),
        pytest.param(ds(nodeName="other"), node("n"), (False, False), id="pinned-elsewhere"),
        pytest.param(
            ds(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]},
                                {
                                    "matchFields": [
                                        {"key": "metadata.name", "operator": "In", "values": ["n"]}
                                    ]
                                },
                            ]
                        }
                    }
                }
            ),
            node("n", {"zone": "b"}),
            (True, True),
            id="affinity-any-term",
        ),
        pytest.param(
            ds(
                affinity={
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [
                                {"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["b"]}]}
                            ]
                        }
                    }
                }
            ),
            node("n", {"zone": "b"}),
            (False, False),
            id="affinity-misses",
        ),
        pytest.param(
            ds(), node("n", taints=[taint("gpu", "NoSchedule")]), (False, True), id="noschedule-keeps"
        ),
        pytest.param(
            ds(), node("n", taints=[taint("gpu", "NoExecute")]), (False, False), id="noexecute-evicts"
        ),
        pytest.param(
            ds(), node("n", taints=[taint("gpu", "PreferNoSchedule")]), (True, True), id="prefer-ignored"
        ),
        pytest.param(
            ds(tolerations=[{"key": "gpu", "operator": "Equal", "value": "yes"}]),
            node("n", taints=[taint("gpu", "NoSchedule", "yes")]),
            (True, True),
            id="tolerated",
        ),
        pytest.param(
            ds(tolerations=[{"key": "gpu", "value": "no"}]),
            node("n", taints=[taint("gpu", "NoSchedule", "yes")]),
            (False, True),
            id="wrong-value",
        ),
        pytest.param(
            ds(),
            node("n", taints=[taint("node.kubernetes.io/unschedulable", "NoSchedule")]),
            (True, True),
            id="cordoned-node-still-runs-daemons",
        ),
        pytest.param(
            ds(),
            node("n", taints=[taint("node.kubernetes.io/not-ready", "NoExecute")]),
            (True, True),
            id="not-ready-tolerated",
        ),
    ],
)
def test_should_run(daemon: dict, target: dict, expected: tuple[bool, bool]) -> None:
    assert should_run(daemon, target) == expected


def test_pin_replaces_required_terms_and_keeps_the_rest() -> None:
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "Exists"}]}]
            },
            "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {}}],
        },
        "podAntiAffinity": {"x": 1},
    }
    pinned = pin_to_node(affinity, "node-1")
    assert pinned["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] == {
        "nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}
        ]
    }
    assert pinned["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert pinned["podAntiAffinity"] == {"x": 1}
    assert affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0][
        "matchExpressions"
    ]  # the input is untouched


def test_target_node_from_binding_or_pin() -> None:
    assert target_node({"spec": {"nodeName": "a", "affinity": pin_to_node(None, "b")}}) == "a"
    assert target_node({"spec": {"affinity": pin_to_node(None, "b")}}) == "b"
    assert target_node({"spec": {}}) == ""
