"""What a pod requests and asks for, parsed once (PodRequests semantics)."""

from __future__ import annotations

from pyk8s.scheduler.podinfo import (
    DEFAULT_MEMORY_REQUEST,
    DEFAULT_MILLI_CPU_REQUEST,
    HostPort,
    PodInfo,
    normalized_image_name,
    pod_requests,
)

from .conftest import pod_obj


def _container(cpu: str | None = None, memory: str | None = None, **extra: object) -> dict:
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v is not None}
    return {"name": "c", "image": "x", "resources": {"requests": requests}, **extra}


def test_containers_add_up_and_init_containers_take_the_largest() -> None:
    spec = {
        "initContainers": [_container("2", "1G"), _container("2", "3G")],
        "containers": [_container("2", "1G"), _container("1", "1G")],
    }
    assert pod_requests(spec) == {"cpu": 3000, "memory": 3_000_000_000}


def test_sidecars_add_to_everything_started_after_them() -> None:
    spec = {
        "initContainers": [
            _container("500m", restartPolicy="Always"),  # a sidecar, running all along
            _container("1"),  # runs next to the sidecar: 1.5 at that point
        ],
        "containers": [_container("700m")],
    }
    assert pod_requests(spec)["cpu"] == 1500
    spec["containers"] = [_container("2")]
    assert pod_requests(spec)["cpu"] == 2500  # 2 + the sidecar's 500m


def test_overhead_is_added() -> None:
    spec = {"containers": [_container("1", "1Gi")], "overhead": {"cpu": "250m", "memory": "120Mi"}}
    assert pod_requests(spec) == {"cpu": 1250, "memory": (1024 + 120) * 1024 * 1024}


def test_non_zero_requests_fill_in_defaults_per_container() -> None:
    spec = {"containers": [_container(), _container("300m")]}
    info = PodInfo({"metadata": {"name": "p", "namespace": "d"}, "spec": spec})
    assert info.req_cpu == 300
    assert info.non_zero_cpu == DEFAULT_MILLI_CPU_REQUEST + 300
    assert info.non_zero_memory == 2 * DEFAULT_MEMORY_REQUEST


def test_extended_resources_ports_claims_and_images() -> None:
    container = {
        "name": "c",
        "image": "nginx",
        "resources": {"requests": {"cpu": "1", "example.com/gpu": "2"}},
        "ports": [{"containerPort": 80, "hostPort": 8080}, {"containerPort": 53, "protocol": "UDP"}],
    }
    volumes = [
        {"name": "data", "persistentVolumeClaim": {"claimName": "db"}},
        {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {}}}},
    ]
    info = PodInfo(
        {"metadata": {"name": "p", "namespace": "d"}, "spec": {"containers": [container], "volumes": volumes}}
    )
    assert info.req_scalars == (("example.com/gpu", 2),)
    assert info.host_ports == (HostPort("0.0.0.0", "TCP", 8080),)
    assert info.claims == ("db", "p-scratch")
    assert info.images == ("nginx:latest",)


def test_image_names_get_latest_only_without_a_tag() -> None:
    assert normalized_image_name("registry:5000/app") == "registry:5000/app:latest"
    assert normalized_image_name("registry:5000/app:1.2") == "registry:5000/app:1.2"


def test_priority_scheduler_name_and_assumed_copies() -> None:
    info = PodInfo(pod_obj("p", priority=100, schedulerName="custom"))
    assert (info.priority, info.scheduler_name, info.key) == (100, "custom", "default/p")
    assumed = info.assumed_on("node-1")
    assert assumed.node_name == "node-1" and info.node_name == ""
    assert assumed.obj is info.obj  # no deep copy
