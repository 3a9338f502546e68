"""The Node a simulated node registers, and its conditions over time."""

from __future__ import annotations

from pyk8s.api.meta import rfc3339
from pyk8s.node.simulated import objects

T0 = 1_700_000_000.0
IDENTITY = objects.NodeIdentity("sim-0", "10.240.0.7", "v1.37.0", "boot-1")


def test_a_registered_node_looks_like_a_kubelets() -> None:
    taint = {"key": "gpu", "effect": "NoSchedule"}
    node = objects.node_object(
        IDENTITY, capacity={"cpu": "4", "pods": "110"}, labels={"zone": "a"}, taints=(taint,), now=T0
    )
    labels = node["metadata"]["labels"]
    assert labels["kubernetes.io/hostname"] == "sim-0" and labels["kubernetes.io/os"] == "linux"
    assert labels["zone"] == "a"
    assert node["metadata"]["annotations"][objects.SIMULATED_ANNOTATION] == "true"
    assert node["spec"] == {"taints": [taint]}
    status = node["status"]
    assert status["capacity"] == status["allocatable"] == {"cpu": "4", "pods": "110"}
    assert status["addresses"] == [
        {"type": "InternalIP", "address": "10.240.0.7"},
        {"type": "Hostname", "address": "sim-0"},
    ]
    assert status["nodeInfo"]["kubeletVersion"] == "v1.37.0"
    assert status["nodeInfo"]["containerRuntimeVersion"].startswith("simulated://")
    assert [c["type"] for c in status["conditions"]] == [
        "MemoryPressure",
        "DiskPressure",
        "PIDPressure",
        "Ready",
    ]
    assert objects.is_ready(node)
    assert objects.internal_ip(node) == "10.240.0.7"
    assert objects.pod_cidr({"spec": {"podCIDRs": ["10.244.1.0/24"]}}) == "10.244.1.0/24"


def test_heartbeats_keep_transition_times_and_other_components_conditions() -> None:
    node = objects.node_object(IDENTITY, capacity={}, labels={}, taints=(), now=T0)
    node["status"]["conditions"].append({"type": "NetworkUnavailable", "status": "False"})
    later = objects.node_conditions(T0 + 300, node)
    ready = next(c for c in later if c["type"] == "Ready")
    assert ready["lastHeartbeatTime"] == rfc3339(T0 + 300)
    assert ready["lastTransitionTime"] == rfc3339(T0)
    assert later[-1] == {"type": "NetworkUnavailable", "status": "False"}
    # marked not ready by someone else: the next report flips it back, with a new transition
    ready["status"] = "Unknown"
    node["status"]["conditions"] = later
    fixed = next(c for c in objects.node_conditions(T0 + 310, node) if c["type"] == "Ready")
    assert fixed["status"] == "True" and fixed["lastTransitionTime"] == rfc3339(T0 + 310)
