"""Pod membership, port lookup and which Services a pod event wakes; the slice tracker."""

from __future__ import annotations

from typing import Any

from pyk8s.controllers.endpointslice.pods import find_port, services_to_sync, should_pod_be_in_endpoints
from pyk8s.controllers.endpointslice.tracker import EndpointSliceTracker

Obj = dict[str, Any]


def pod(
    rv: str = "1", *, labels: dict[str, str] | None = None, ready: bool = True, ip: str = "10.244.0.2"
) -> Obj:
    return {
        "metadata": {"name": "p", "namespace": "ns", "resourceVersion": rv, "labels": labels or {"app": "a"}},
        "spec": {
            "containers": [{"name": "c", "ports": [{"name": "web", "containerPort": 8080}]}],
            "initContainers": [
                {
                    "name": "side",
                    "restartPolicy": "Always",
                    "ports": [{"name": "metrics", "containerPort": 9100}],
                },
                {"name": "init", "ports": [{"name": "setup", "containerPort": 7000}]},
            ],
        },
        "status": {
            "phase": "Running",
            "podIP": ip,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


def service(name: str, selector: dict[str, str] | None) -> Obj:
    return {"metadata": {"name": name, "namespace": "ns"}, "spec": {"selector": selector} if selector else {}}


def test_membership() -> None:
    assert should_pod_be_in_endpoints(pod(), include_terminating=False)
    assert not should_pod_be_in_endpoints(pod(ip=""), include_terminating=True)
    terminating = pod()
    terminating["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    assert should_pod_be_in_endpoints(terminating, include_terminating=True)
    assert not should_pod_be_in_endpoints(terminating, include_terminating=False)
    failed = pod()
    failed["status"]["phase"] = "Failed"
    assert not should_pod_be_in_endpoints(failed, include_terminating=True)


def test_find_port_by_number_name_and_sidecar() -> None:
    p = pod()
    assert find_port(p, {"port": 80, "targetPort": 8081}) == 8081
    assert find_port(p, {"port": 80}) == 80
    assert find_port(p, {"port": 80, "targetPort": "web"}) == 8080
    assert find_port(p, {"port": 80, "targetPort": "metrics"}) == 9100
    assert find_port(p, {"port": 80, "targetPort": "setup"}) is None  # plain init containers do not serve
    assert find_port(p, {"port": 80, "targetPort": "web", "protocol": "UDP"}) is None


def test_services_a_pod_event_wakes() -> None:
    services = [service("a", {"app": "a"}), service("b", {"app": "b"}), service("none", None)]
    assert services_to_sync(services, None, pod()) == {"ns/a"}
    assert services_to_sync(services, pod(), None) == {"ns/a"}
    assert services_to_sync(services, pod("1"), pod("1")) == set()  # resync
    assert services_to_sync(services, pod("1"), pod("2")) == set()  # nothing endpoint-relevant
    assert services_to_sync(services, pod("1"), pod("2", ready=False)) == {"ns/a"}
    # labels moved the pod from a to b: both, the pod itself unchanged
    assert services_to_sync(services, pod("1"), pod("2", labels={"app": "b"})) == {"ns/a", "ns/b"}
    assert services_to_sync(services, pod("1"), pod("2", labels={"app": "b"}, ready=False)) == {
        "ns/a",
        "ns/b",
    }


def test_tracker_tells_stale_caches_and_own_echoes() -> None:
    tracker = EndpointSliceTracker()
    s1 = {"metadata": {"uid": "1", "generation": 2}}
    tracker.update("ns/web", s1)
    assert not tracker.should_sync("ns/web", s1)  # our own write echoed back
    assert tracker.should_sync("ns/web", {"metadata": {"uid": "1", "generation": 3}})
    assert tracker.should_sync("ns/web", {"metadata": {"uid": "2", "generation": 1}})
    assert tracker.stale("ns/web", [{"metadata": {"uid": "1", "generation": 1}}])  # older in the cache
    assert tracker.stale("ns/web", [])  # written but not cached yet
    assert not tracker.stale("ns/web", [s1])
    tracker.expect_deletion("ns/web", s1)
    assert tracker.stale("ns/web", [s1])  # deleted but still cached
    assert not tracker.stale("ns/web", [])
    assert tracker.handle_deletion("ns/web", s1)  # expected
    assert not tracker.handle_deletion("ns/web", s1)
    assert not tracker.stale("ns/other", [s1])


def test_a_cache_behind_for_too_long_is_believed() -> None:
    tracker = EndpointSliceTracker()
    tracker.update("ns/web", {"metadata": {"uid": "1", "generation": 1}})
    assert tracker.stale_for("ns/web", [], 100.0)
    assert tracker.stale_for("ns/web", [], 104.0)
    assert not tracker.stale_for("ns/web", [], 105.0)  # never showed up: forgotten
    assert not tracker.stale("ns/web", [])
