"""HorizontalPodAutoscaler replica arithmetic."""

from __future__ import annotations

import pytest

from pyk8s.controllers.podautoscaler.replicas import (
    MetricError,
    Recommendations,
    clamp,
    proposal,
    resource_proposal,
    utilization,
)


def pod(name: str, cpu: str | None = "100m") -> dict:
    resources = {"requests": {"cpu": cpu}} if cpu else {}
    return {
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "resources": resources}]},
        "status": {"phase": "Running"},
    }


def sample(cpu: str) -> dict:
    return {"containers": [{"name": "c", "usage": {"cpu": cpu}}]}


def test_utilization_over_pods_with_metrics() -> None:
    observed = utilization([pod("a"), pod("b"), pod("c")], {"a": sample("150m"), "b": sample("50m")}, "cpu")
    assert (observed.usage_milli, observed.request_milli, observed.pods, observed.percent) == (
        200,
        200,
        2,
        100,
    )
    with pytest.raises(MetricError, match="missing request for cpu in container c of Pod a"):
        utilization([pod("a", cpu=None)], {"a": sample("1")}, "cpu")
    with pytest.raises(MetricError):
        utilization([pod("a")], {}, "cpu")


def test_proposal_within_tolerance_keeps_replicas() -> None:
    assert proposal(4, 1.05, 4) == 4
    assert proposal(4, 1.5, 4) == 6
    assert proposal(4, 0.5, 4) == 2


def test_resource_proposal_for_utilization_target() -> None:
    observed = utilization([pod("a"), pod("b")], {"a": sample("200m"), "b": sample("200m")}, "cpu")
    replicas, current = resource_proposal(2, observed, {"type": "Utilization", "averageUtilization": 50})
    assert replicas == 8 and current == {"averageUtilization": 200, "averageValue": "200m"}


def test_clamp_and_stabilization() -> None:
    assert clamp(0, 1, 5) == (
        1,
        "TooFewReplicas",
        "the desired replica count is less than the minimum replica count",
    )
    assert clamp(9, 1, 5)[1] == "TooManyReplicas"
    assert clamp(3, 1, 5)[1:] == ("DesiredWithinRange", "the desired count is within the acceptable range")
    recs = Recommendations()
    assert recs.stabilized("k", 5, now=0.0) == 5
    assert recs.stabilized("k", 2, now=100.0) == 5  # a dip inside the window is ignored
    assert recs.stabilized("k", 2, now=400.0) == 2  # the window has passed
