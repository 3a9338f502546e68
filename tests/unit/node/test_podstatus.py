"""Pod status as a kubelet writes it: shapes, what is kept, what is compared."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.meta import rfc3339
from pyk8s.node.simulated.podstatus import (
    Placement,
    container_id,
    fingerprint,
    normalize_image,
    pending_status,
    running_status,
    terminated_status,
)

T0 = 1_700_000_000.0
WHERE = Placement("sim-0", "10.240.0.1", "10.244.128.2")


def make_pod(**spec: Any) -> dict[str, Any]:
    pod: dict[str, Any] = {
        "metadata": {"name": "web", "namespace": "default", "uid": "u-1", "generation": 1},
        "spec": {"nodeName": "sim-0", "containers": [{"name": "app", "image": "nginx"}], **spec},
        "status": {
            "phase": "Pending",
            "qosClass": "BestEffort",
            "conditions": [{"type": "PodScheduled", "status": "True", "lastTransitionTime": rfc3339(T0 - 5)}],
        },
    }
    return pod


def conditions(status: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["type"]: c for c in status["conditions"]}


@pytest.mark.parametrize(
    ("image", "reported", "image_id_prefix"),
    [
        pytest.param(
            "nginx", "docker.io/library/nginx:latest", "docker.io/library/nginx@sha256:", id="short"
        ),
        pytest.param(
            "nginx:1.27", "docker.io/library/nginx:1.27", "docker.io/library/nginx@sha256:", id="tag"
        ),
        pytest.param(
            "bitnami/redis", "docker.io/bitnami/redis:latest", "docker.io/bitnami/redis@", id="user"
        ),
        pytest.param(
            "docker.io/busybox", "docker.io/library/busybox:latest", "docker.io/library/busybox@", id="hub"
        ),
        pytest.param(
            "registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10", "registry.k8s.io/pause@", id="reg"
        ),
        pytest.param("localhost:5000/app", "localhost:5000/app:latest", "localhost:5000/app@", id="port"),
        pytest.param(
            "nginx@sha256:" + "a" * 64,
            "docker.io/library/nginx@sha256:" + "a" * 64,
            "docker.io/library/nginx@sha256:" + "a" * 64,
            id="digest",
        ),
    ],
)
def test_normalize_image_reports_images_as_a_runtime_does(
    image: str, reported: str, image_id_prefix: str
) -> None:
    got, image_id = normalize_image(image)
    assert got == reported
    assert image_id.startswith(image_id_prefix)
    assert normalize_image(image) == (got, image_id)  # stable


def test_container_ids_are_stable_per_container_and_distinct_between_them() -> None:
    assert container_id("u", "a") == container_id("u", "a")
    assert container_id("u", "a") != container_id("u", "b")
    assert container_id("u", "a").startswith("simulated://")
    assert len(container_id("u", "a").split("://")[1]) == 64


def test_pending_status_shows_containers_being_created() -> None:
    status = pending_status(make_pod(), WHERE, now=T0)
    assert status["phase"] == "Pending"
    assert status["hostIP"] == "10.240.0.1" and status["hostIPs"] == [{"ip": "10.240.0.1"}]
    assert status["podIPs"] == [{"ip": "10.244.128.2"}]
    assert status["startTime"] == rfc3339(T0)
    assert status["qosClass"] == "BestEffort"
    (app,) = status["containerStatuses"]
    assert app["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert app["ready"] is False and app["started"] is False and app["restartCount"] == 0
    assert "containerID" not in app
    conds = conditions(status)
    assert conds["Ready"]["status"] == "False" and conds["Ready"]["reason"] == "ContainersNotReady"
    assert conds["Ready"]["message"] == "containers with unready status: [app]"
    assert conds["Initialized"]["status"] == "True"
    assert conds["PodReadyToStartContainers"]["status"] == "False"


def test_running_status_has_every_field_a_kubelet_writes() -> None:
    pod = make_pod()
    status = running_status(pod, WHERE, now=T0, started=T0)
    assert status["phase"] == "Running"
    assert status["observedGeneration"] == 1
    assert [c["type"] for c in status["conditions"]] == [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    assert all(c["status"] == "True" for c in status["conditions"])
    assert conditions(status)["PodScheduled"]["lastTransitionTime"] == rfc3339(T0 - 5)  # the scheduler's
    (app,) = status["containerStatuses"]
    assert app["state"] == {"running": {"startedAt": rfc3339(T0)}}
    assert app["ready"] is True and app["started"] is True
    assert app["image"] == "docker.io/library/nginx:latest"
    assert app["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert app["containerID"] == container_id("u-1", "app")


def test_a_condition_keeps_its_transition_time_while_its_status_holds() -> None:
    pod = make_pod()
    pod["status"] = running_status(pod, WHERE, now=T0, started=T0)
    again = running_status(pod, WHERE, now=T0 + 100, started=T0)
    assert conditions(again)["Ready"]["lastTransitionTime"] == rfc3339(T0)
    assert again["startTime"] == rfc3339(T0)
    done = terminated_status(pod, WHERE, now=T0 + 100, started=T0, exit_code=0)
    assert conditions(done)["Ready"]["lastTransitionTime"] == rfc3339(T0 + 100)
    assert conditions(done)["Initialized"]["lastTransitionTime"] == rfc3339(T0)


def test_conditions_owned_by_others_are_kept_and_come_first() -> None:
    pod = make_pod(readinessGates=[{"conditionType": "example.com/gate"}])
    pod["status"]["conditions"].insert(0, {"type": "example.com/gate", "status": "False"})
    status = running_status(pod, WHERE, now=T0, started=T0)
    assert status["conditions"][0] == {"type": "example.com/gate", "status": "False"}
    ready = conditions(status)["Ready"]
    assert ready["status"] == "False" and ready["reason"] == "ReadinessGatesNotReady"
    assert conditions(status)["ContainersReady"]["status"] == "True"
    pod["status"]["conditions"][0] = {"type": "example.com/gate", "status": "True"}
    assert conditions(running_status(pod, WHERE, now=T0, started=T0))["Ready"]["status"] == "True"


def test_init_containers_complete_and_sidecars_keep_running() -> None:
    pod = make_pod(
        initContainers=[
            {"name": "setup", "image": "busybox"},
            {"name": "proxy", "image": "envoy", "restartPolicy": "Always"},
        ]
    )
    pending = pending_status(pod, WHERE, now=T0)
    assert conditions(pending)["Initialized"]["status"] == "False"
    assert conditions(pending)["Initialized"]["message"] == "containers with incomplete status: [setup]"
    status = running_status(pod, WHERE, now=T0, started=T0)
    setup, proxy = status["initContainerStatuses"]
    assert setup["state"]["terminated"]["reason"] == "Completed"
    assert setup["state"]["terminated"]["containerID"] == setup["containerID"]
    assert proxy["state"] == {"running": {"startedAt": rfc3339(T0)}} and proxy["ready"] is True


@pytest.mark.parametrize(("code", "phase", "reason"), [(0, "Succeeded", "Completed"), (2, "Failed", "Error")])
def test_terminated_status_reports_the_exit_code(code: int, phase: str, reason: str) -> None:
    pod = make_pod(restartPolicy="Never")
    status = terminated_status(pod, WHERE, now=T0 + 7, started=T0, exit_code=code)
    assert status["phase"] == phase
    (app,) = status["containerStatuses"]
    assert app["ready"] is False and app["started"] is False
    assert app["state"]["terminated"] == {
        "exitCode": code,
        "reason": reason,
        "startedAt": rfc3339(T0),
        "finishedAt": rfc3339(T0 + 7),
        "containerID": container_id("u-1", "app"),
    }
    assert conditions(status)["Ready"]["reason"] == ("PodCompleted" if code == 0 else "PodFailed")
    assert conditions(status)["Initialized"]["status"] == "True"


def test_fingerprint_ignores_what_the_api_server_may_rewrite() -> None:
    pod = make_pod()
    status = running_status(pod, WHERE, now=T0, started=T0)
    echoed = copy.deepcopy(status)
    for cs in echoed["containerStatuses"]:
        cs.pop("lastState")  # an empty map dropped on the way through
    echoed["conditions"].reverse()
    assert fingerprint(echoed) == fingerprint(status)
    assert fingerprint(pending_status(pod, WHERE, now=T0)) != fingerprint(status)
