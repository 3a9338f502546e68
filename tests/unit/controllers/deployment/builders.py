"""Hand-built Deployments and ReplicaSets for the pure-logic tests."""

from __future__ import annotations

from typing import Any

from pyk8s.controllers.deployment import revisions

Obj = dict[str, Any]

TEMPLATE = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {"containers": [{"name": "web", "image": "nginx:1"}], "restartPolicy": "Always"},
}


def deployment(
    replicas: int = 10,
    *,
    surge: int | str | None = "25%",
    unavailable: int | str | None = "25%",
    strategy: str = "RollingUpdate",
    image: str = "nginx:1",
    generation: int = 1,
    status: Obj | None = None,
    deadline: int | None = 600,
    history: int | None = 10,
    annotations: dict[str, str] | None = None,
) -> Obj:
    spec: Obj = {
        "replicas": replicas,
        "selector": {"matchLabels": {"app": "web"}},
        "template": template(image),
        "strategy": {"type": strategy},
    }
    if strategy == "RollingUpdate":
        spec["strategy"]["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    if deadline is not None:
        spec["progressDeadlineSeconds"] = deadline
    if history is not None:
        spec["revisionHistoryLimit"] = history
    meta: Obj = {"name": "web", "namespace": "default", "uid": "d-uid", "generation": generation}
    if annotations:
        meta["annotations"] = dict(annotations)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": spec,
        "status": status or {},
    }


def template(image: str = "nginx:1", pod_hash: str | None = None) -> Obj:
    labels = {"app": "web"}
    if pod_hash:
        labels["pod-template-hash"] = pod_hash
    return {
        "metadata": {"labels": labels},
        "spec": {"containers": [{"name": "web", "image": image}], "restartPolicy": "Always"},
    }


def replica_set(
    name: str,
    replicas: int,
    *,
    available: int | None = None,
    ready: int | None = None,
    running: int | None = None,
    created: str = "2026-01-01T00:00:00Z",
    image: str = "nginx:1",
    revision: int | None = None,
    desired: int | None = None,
    max_replicas: int | None = None,
    generation: int = 1,
    observed: int = 1,
) -> Obj:
    annotations: dict[str, str] = {}
    if revision is not None:
        annotations[revisions.REVISION] = str(revision)
    if desired is not None:
        annotations[revisions.DESIRED_REPLICAS] = str(desired)
    if max_replicas is not None:
        annotations[revisions.MAX_REPLICAS] = str(max_replicas)
    running = replicas if running is None else running
    available = running if available is None else available
    ready = available if ready is None else ready
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"{name}-uid",
            "creationTimestamp": created,
            "annotations": annotations,
            "generation": generation,
        },
        "spec": {"replicas": replicas, "template": template(image, name.rsplit("-", 1)[-1])},
        "status": {
            "replicas": running,
            "readyReplicas": ready,
            "availableReplicas": available,
            "observedGeneration": observed,
        },
    }
