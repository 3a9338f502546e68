"""Quota arithmetic, as Kubernetes' evaluators count usage."""

from __future__ import annotations

from typing import Any

from pyk8s.api.quantity import Quantity
from pyk8s.controllers.resourcequota.usage import (
    compute_usage,
    count_resource,
    pod_usage,
    quota_status,
    status_differs,
)

NOW = 1_700_000_000.0


def pod(
    name: str, *, cpu: str | None = None, mem: str | None = None, phase: str = "Running", **spec: Any
) -> dict:
    resources: dict[str, Any] = {}
    if cpu or mem:
        resources["requests"] = {k: v for k, v in (("cpu", cpu), ("memory", mem)) if v}
        resources["limits"] = dict(resources["requests"])
    return {
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "resources": resources}], **spec},
        "status": {"phase": phase},
    }


def quota(hard: dict[str, str], **spec: Any) -> dict:
    return {"spec": {"hard": hard, **spec}}


def q(text: str) -> Quantity:
    return Quantity.parse(text)


def test_pod_usage_counts_requests_and_limits() -> None:
    usage = pod_usage(pod("a", cpu="250m", mem="64Mi"), NOW)
    assert usage["pods"] == q("1") and usage["count/pods"] == q("1")
    assert usage["requests.cpu"] == q("250m") and usage["cpu"] == q("250m")
    assert usage["limits.memory"] == q("64Mi")


def test_terminal_and_long_terminating_pods_are_not_charged_but_still_counted() -> None:
    assert "pods" not in pod_usage(pod("done", phase="Succeeded"), NOW)
    stuck = pod("stuck", cpu="1")
    stuck["metadata"].update(deletionTimestamp="2023-11-14T22:00:00Z", deletionGracePeriodSeconds=30)
    usage = pod_usage(stuck, NOW)
    assert "pods" not in usage and usage["count/pods"] == q("1")


def test_compute_usage_sums_over_a_namespace() -> None:
    hard = {
        "pods": "10",
        "requests.cpu": "4",
        "limits.memory": "1Gi",
        "services": "5",
        "services.nodeports": "2",
    }
    services = [
        {"spec": {"type": "ClusterIP", "ports": [{"port": 80}]}},
        {"spec": {"type": "NodePort", "ports": [{"port": 80}, {"port": 443}]}},
    ]
    usage = compute_usage(
        quota(hard),
        pods=[pod("a", cpu="500m", mem="100Mi"), pod("b", cpu="1", mem="200Mi"), pod("c", phase="Failed")],
        services=services,
        now=NOW,
    )
    assert usage == {
        "pods": q("2"),
        "requests.cpu": q("1500m"),
        "limits.memory": q("300Mi"),
        "services": q("2"),
        "services.nodeports": q("2"),
    }


def test_scoped_quota_counts_matching_pods_only() -> None:
    hard = {"pods": "10", "services": "3"}
    best_effort = quota(hard, scopes=["BestEffort"])
    pods = [pod("be"), pod("burst", cpu="1")]
    usage = compute_usage(best_effort, pods=pods, services=[{"spec": {}}], now=NOW)
    assert usage["pods"] == q("1") and usage["services"] == q("0")
    terminating = quota(
        {"pods": "5"},
        scopeSelector={"matchExpressions": [{"scopeName": "Terminating", "operator": "Exists"}]},
    )
    assert compute_usage(terminating, pods=[pod("x", activeDeadlineSeconds=10), pod("y")], now=NOW)[
        "pods"
    ] == q("1")
    by_class = quota(
        {"pods": "5"},
        scopeSelector={
            "matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]
        },
    )
    assert compute_usage(by_class, pods=[pod("h", priorityClassName="high"), pod("l")], now=NOW)["pods"] == q(
        "1"
    )


def test_claims_and_counts() -> None:
    claims = [{"spec": {"storageClassName": "fast", "resources": {"requests": {"storage": "1Gi"}}}}]
    hard = {
        "persistentvolumeclaims": "3",
        "requests.storage": "10Gi",
        "fast.storageclass.storage.k8s.io/requests.storage": "5Gi",
        "count/deployments.apps": "2",
    }
    usage = compute_usage(quota(hard), claims=claims, counts={"count/deployments.apps": 1}, now=NOW)
    assert usage == {
        "persistentvolumeclaims": q("1"),
        "requests.storage": q("1Gi"),
        "fast.storageclass.storage.k8s.io/requests.storage": q("1Gi"),
        "count/deployments.apps": q("1"),
    }
    assert count_resource("count/deployments.apps") == ("apps", "deployments")
    assert count_resource("secrets") == ("", "secrets")
    assert count_resource("requests.cpu") is None


def test_status_masks_to_hard_and_compares_as_quantities() -> None:
    qt = quota({"pods": "10", "cpu": "2"})
    qt["status"] = {"used": {"pods": "1", "gone": "5"}, "hard": {"pods": "10", "cpu": "2"}}
    status = quota_status(qt, {"pods": q("3"), "cpu": q("1000m")})
    assert status == {"hard": {"cpu": "2", "pods": "10"}, "used": {"cpu": "1", "pods": "3"}}
    qt["status"] = {"hard": {"pods": "10", "cpu": "2000m"}, "used": {"pods": "3", "cpu": "1"}}
    assert not status_differs(qt, status)
