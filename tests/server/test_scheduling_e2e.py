"""The whole control plane through `pyk8s up --runtime none --simulated-nodes 3` and kubectl:
scheduling, spreading, selectors, taints, anti-affinity, DaemonSets and a lost node."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import Up, start_up

NODES = ("sim-0", "sim-1", "sim-2")


class Cluster:
    def __init__(self, up: Up, home: Path) -> None:
        self.up, self.home = up, home

    def kubectl(self, *args: str, check: bool = True) -> str:
        result = self.up.kubectl(*args, home=self.home)
        if check:
            assert result.returncode == 0, result.stderr
        return result.stdout

    def apply(self, manifest: dict[str, Any]) -> None:
        path = self.home / f"{manifest['metadata']['name']}-{time.monotonic_ns()}.json"
        path.write_text(json.dumps(manifest))
        self.kubectl("apply", "-f", str(path))

    def pods(self, selector: str) -> list[dict[str, Any]]:
        return list(json.loads(self.kubectl("get", "pods", "-l", selector, "-o", "json"))["items"])

    def wait(self, what: str, check: Callable[[], bool], timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, f"timed out waiting for {what}"
            time.sleep(0.3)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    base = tmp_path_factory.mktemp("sched")
    up = start_up(base / "data", "--runtime", "none", "--simulated-nodes", "3")
    home = base / "home"
    home.mkdir()
    cluster = Cluster(up, home)
    try:
        cluster.wait(
            "3 Ready nodes",
            lambda: cluster.kubectl("get", "nodes", "--no-headers").count(" Ready ") == 3,
        )
        yield cluster
    finally:
        up.stop(signal.SIGTERM)


def deployment(name: str, replicas: int, **pod_spec: Any) -> dict[str, Any]:
    spec = {"containers": [{"name": "c", "image": "nginx"}], **pod_spec}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": spec},
        },
    }


def running(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in pods if (p.get("status") or {}).get("phase") == "Running"]


def test_a_deployment_rolls_out_spread_over_the_nodes(cluster: Cluster) -> None:
    cluster.apply(deployment("web", 6))
    cluster.wait("6 running pods", lambda: len(running(cluster.pods("app=web"))) == 6)
    per_node = Counter(p["spec"]["nodeName"] for p in cluster.pods("app=web"))
    assert set(per_node) == set(NODES) and max(per_node.values()) - min(per_node.values()) <= 1
    assert "successfully rolled out" in cluster.kubectl(
        "rollout", "status", "deployment/web", "--timeout=30s"
    )


def test_node_selector_and_insufficient_resources(cluster: Cluster) -> None:
    cluster.kubectl("label", "node", "sim-1", "disk=ssd")
    cluster.apply(deployment("fast", 2, nodeSelector={"disk": "ssd"}))
    cluster.wait("2 running pods", lambda: len(running(cluster.pods("app=fast"))) == 2)
    assert {p["spec"]["nodeName"] for p in cluster.pods("app=fast")} == {"sim-1"}
    huge = {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "1000"}}}]}
    cluster.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "huge", "labels": {"app": "huge"}},
            "spec": huge,
        }
    )

    def unschedulable() -> bool:
        (pod,) = cluster.pods("app=huge")
        conditions = {c["type"]: c for c in (pod.get("status") or {}).get("conditions") or []}
        return conditions.get("PodScheduled", {}).get("reason") == "Unschedulable"

    cluster.wait("the pod to be unschedulable", unschedulable)
    events = cluster.kubectl(
        "get", "events", "--field-selector", "involvedObject.name=huge,reason=FailedScheduling"
    )
    assert "0/3 nodes are available: 3 Insufficient cpu." in events


def test_taints_and_tolerations(cluster: Cluster) -> None:
    cluster.kubectl("taint", "node", "sim-2", "dedicated=db:NoSchedule")
    try:
        cluster.apply(deployment("app", 4))
        cluster.wait("4 running pods", lambda: len(running(cluster.pods("app=app"))) == 4)
        assert "sim-2" not in {p["spec"]["nodeName"] for p in cluster.pods("app=app")}
        toleration = [{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}]
        cluster.apply(
            deployment("db", 1, tolerations=toleration, nodeSelector={"kubernetes.io/hostname": "sim-2"})
        )
        cluster.wait("the db pod", lambda: len(running(cluster.pods("app=db"))) == 1)
    finally:
        cluster.kubectl("taint", "node", "sim-2", "dedicated=db:NoSchedule-")


def test_required_anti_affinity_puts_one_pod_per_node(cluster: Cluster) -> None:
    term = {"labelSelector": {"matchLabels": {"app": "solo"}}, "topologyKey": "kubernetes.io/hostname"}
    affinity = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}
    cluster.apply(deployment("solo", 4, affinity=affinity))
    cluster.wait("3 running pods", lambda: len(running(cluster.pods("app=solo"))) == 3)
    time.sleep(1)
    pods = cluster.pods("app=solo")
    assert sorted(p["spec"]["nodeName"] for p in running(pods)) == list(NODES)
    assert [p["status"]["phase"] for p in pods if p not in running(pods)] == ["Pending"]


def test_a_daemonset_runs_one_pod_per_node(cluster: Cluster) -> None:
    cluster.apply(
        {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": "agent"},
            "spec": {
                "selector": {"matchLabels": {"app": "agent"}},
                "template": {
                    "metadata": {"labels": {"app": "agent"}},
                    "spec": {"containers": [{"name": "c", "image": "busybox"}]},
                },
            },
        }
    )
    cluster.wait("3 running daemon pods", lambda: len(running(cluster.pods("app=agent"))) == 3)
    assert sorted(p["spec"]["nodeName"] for p in cluster.pods("app=agent")) == list(NODES)
    assert "successfully rolled out" in cluster.kubectl(
        "rollout", "status", "daemonset/agent", "--timeout=30s"
    )


def test_a_lost_node_has_its_pods_recreated_elsewhere(cluster: Cluster) -> None:
    cluster.apply(deployment("moving", 3))
    cluster.wait("3 running pods", lambda: len(running(cluster.pods("app=moving"))) == 3)
    cluster.kubectl("cordon", "sim-0")
    cluster.kubectl("delete", "node", "sim-0", "--wait=false")

    def moved() -> bool:
        pods = running(cluster.pods("app=moving"))
        return len(pods) == 3 and all(p["spec"]["nodeName"] != "sim-0" for p in pods)

    cluster.wait("the pods to move off the lost node", moved, timeout=90)
