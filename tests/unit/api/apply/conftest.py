"""Fixtures for the server-side apply tests: real kind schemas and a realistic pod (~3.5 KB)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.schema import Schema
from pyk8s.kinds.schemas import schema_for


@pytest.fixture(scope="session")
def pod_schema() -> Schema:
    schema = schema_for("", "v1", "Pod")
    assert schema is not None
    return schema


@pytest.fixture
def pod_config() -> dict[str, Any]:
    return config()


@pytest.fixture
def pod_live() -> dict[str, Any]:
    return live()


def config() -> dict[str, Any]:
    """What a user applies: the pod without server-set fields."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "web-7d9f8b6c5d-x2x4k",
            "namespace": "shop",
            "labels": {"app": "web", "tier": "frontend", "pod-template-hash": "7d9f8b6c5d"},
            "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9102"},
            "finalizers": ["example.com/cleanup"],
        },
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "registry.example.com/shop/web:1.4.2",
                    "args": ["--port=8080", "--log-level=info"],
                    "ports": [
                        {"name": "http", "containerPort": 8080, "protocol": "TCP"},
                        {"name": "metrics", "containerPort": 9102, "protocol": "TCP"},
                    ],
                    "env": [
                        {"name": "DATABASE_URL", "value": "postgres://db.shop.svc:5432/shop"},
                        {"name": "CACHE_HOST", "value": "redis.shop.svc"},
                        {
                            "name": "POD_NAME",
                            "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}},
                        },
                    ],
                    "resources": {
                        "requests": {"cpu": "250m", "memory": "256Mi"},
                        "limits": {"cpu": "1", "memory": "512Mi"},
                    },
                    "readinessProbe": {
                        "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
                        "periodSeconds": 5,
                    },
                    "volumeMounts": [
                        {"name": "config", "mountPath": "/etc/web"},
                        {"name": "cache", "mountPath": "/var/cache/web"},
                    ],
                },
                {
                    "name": "sidecar",
                    "image": "registry.example.com/tools/log-shipper:2.0.0",
                    "args": ["--source=/var/log/web"],
                    "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}},
                },
            ],
            "volumes": [
                {"name": "config", "configMap": {"name": "web-config"}},
                {"name": "cache", "emptyDir": {"sizeLimit": "1Gi"}},
            ],
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "tolerations": [
                {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"}
            ],
            "serviceAccountName": "web",
            "terminationGracePeriodSeconds": 30,
        },
    }


def live() -> dict[str, Any]:
    """The stored pod: the configuration plus what the server and the kubelet added."""
    pod = copy.deepcopy(config())
    pod["metadata"].update(
        uid="1f1b7c2e-8a4b-4c55-9a0e-2f6a3c8b9d10",
        resourceVersion="48213",
        creationTimestamp="2024-05-01T10:00:00Z",
        ownerReferences=[
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "web-7d9f8b6c5d",
                "uid": "9c1e0f7a-3b2d-4e8f-a6c5-1d2e3f4a5b6c",
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ],
    )
    spec = pod["spec"]
    spec.update(
        restartPolicy="Always",
        dnsPolicy="ClusterFirst",
        schedulerName="default-scheduler",
        nodeName="node-3",
        priority=0,
        enableServiceLinks=True,
    )
    for container in spec["containers"]:
        container.update(
            terminationMessagePath="/dev/termination-log",
            terminationMessagePolicy="File",
            imagePullPolicy="IfNotPresent",
        )
    pod["status"] = {
        "phase": "Running",
        "hostIP": "10.0.0.3",
        "podIP": "10.244.3.17",
        "podIPs": [{"ip": "10.244.3.17"}],
        "startTime": "2024-05-01T10:00:02Z",
        "qosClass": "Burstable",
        "conditions": [
            {"type": t, "status": "True", "lastTransitionTime": "2024-05-01T10:00:05Z"}
            for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
        ],
        "containerStatuses": [
            {
                "name": name,
                "ready": True,
                "restartCount": 0,
                "image": image,
                "imageID": f"{image}@sha256:" + "ab" * 32,
                "containerID": "containerd://" + "cd" * 32,
                "started": True,
                "state": {"running": {"startedAt": "2024-05-01T10:00:04Z"}},
            }
            for name, image in (
                ("web", "registry.example.com/shop/web:1.4.2"),
                ("sidecar", "registry.example.com/tools/log-shipper:2.0.0"),
            )
        ],
    }
    return pod
