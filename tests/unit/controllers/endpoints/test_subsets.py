"""The v1 Endpoints of a Service: ready and not-ready addresses, repacking, named ports,
publishNotReadyAddresses, the 1000-address cap and writing only on change."""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.controllers.endpoints.subsets import (
    LABEL_HEADLESS,
    OVER_CAPACITY,
    build_subsets,
    desired_endpoints,
    truncate,
)

Obj = dict[str, Any]


def service(**spec: Any) -> Obj:
    return {
        "metadata": {"name": "web", "namespace": "ns", "labels": {"app": "web"}},
        "spec": {
            "selector": {"app": "web"},
            "clusterIP": "10.96.0.10",
            "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
            **spec,
        },
    }


def pod(
    name: str, ip: str, *, ready: bool = True, deleting: bool = False, ports: list[Obj] | None = None
) -> Obj:
    meta: Obj = {"name": name, "namespace": "ns", "uid": f"u-{name}", "labels": {"app": "web"}}
    if deleting:
        meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return {
        "metadata": meta,
        "spec": {"nodeName": "n1", "containers": [{"name": "c", "ports": ports or []}]},
        "status": {
            "phase": "Running",
            "podIP": ip,
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


def address(name: str, ip: str) -> Obj:
    return {
        "ip": ip,
        "nodeName": "n1",
        "targetRef": {"kind": "Pod", "namespace": "ns", "name": name, "uid": f"u-{name}"},
    }


def test_ready_and_not_ready_addresses_share_a_subset() -> None:
    pods = [
        pod("b", "10.244.0.3", ready=False),
        pod("a", "10.244.0.2"),
        pod("c", "10.244.0.4", deleting=True),
    ]
    assert build_subsets(service(), pods) == [
        {
            "addresses": [address("a", "10.244.0.2")],
            "notReadyAddresses": [address("b", "10.244.0.3")],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        }
    ]


def test_publish_not_ready_addresses_includes_terminating_pods_as_ready() -> None:
    pods = [pod("b", "10.244.0.3", ready=False), pod("c", "10.244.0.4", deleting=True)]
    subsets = build_subsets(service(publishNotReadyAddresses=True), pods)
    assert [a["ip"] for a in subsets[0]["addresses"]] == ["10.244.0.3", "10.244.0.4"]
    assert "notReadyAddresses" not in subsets[0]


def test_named_ports_split_subsets_and_multiple_ports_group() -> None:
    svc = service(
        ports=[
            {"name": "http", "port": 80, "targetPort": "web", "protocol": "TCP"},
            {"name": "admin", "port": 81, "targetPort": 9000, "protocol": "TCP"},
        ]
    )
    pods = [
        pod("a", "10.244.0.2", ports=[{"name": "web", "containerPort": 8080}]),
        pod("b", "10.244.0.3", ports=[{"name": "web", "containerPort": 8081}]),
        pod("c", "10.244.0.4", ports=[{"name": "web", "containerPort": 8080}]),
    ]
    subsets = build_subsets(svc, pods)
    shapes = sorted(([a["ip"] for a in s["addresses"]], [p["port"] for p in s["ports"]]) for s in subsets)
    assert shapes == [
        (["10.244.0.2", "10.244.0.3", "10.244.0.4"], [9000]),
        (["10.244.0.2", "10.244.0.4"], [8080]),
        (["10.244.0.3"], [8081]),
    ]


def test_headless_without_ports_lists_addresses_only() -> None:
    subsets = build_subsets(service(clusterIP="None", ports=[]), [pod("a", "10.244.0.2")])
    assert subsets == [{"addresses": [address("a", "10.244.0.2")]}]


def test_truncation_keeps_ready_first_in_proportion() -> None:
    subsets = [
        {"addresses": [{"ip": f"10.0.0.{i}"} for i in range(600)], "notReadyAddresses": [{"ip": "10.9.0.1"}]},
        {"addresses": [{"ip": f"10.0.1.{i}"} for i in range(600)]},
    ]
    assert truncate(subsets)
    assert [len(s.get("addresses") or []) for s in subsets] == [500, 500]
    assert all("notReadyAddresses" not in s for s in subsets)

    subsets = [{"addresses": [{"ip": f"10.0.0.{i}"} for i in range(900)], "notReadyAddresses": []}]
    subsets[0]["notReadyAddresses"] = [{"ip": f"10.1.0.{i}"} for i in range(300)]
    assert truncate(subsets)
    assert len(subsets[0]["addresses"]) == 900 and len(subsets[0]["notReadyAddresses"]) == 100
    assert not truncate([{"addresses": [{"ip": "10.0.0.1"}]}])


def test_over_capacity_annotation() -> None:
    pods = [pod(f"p{i:04d}", f"10.244.{i // 250}.{i % 250 + 1}") for i in range(1001)]
    wanted = desired_endpoints(service(), pods, None)
    assert wanted is not None
    assert wanted["metadata"]["annotations"] == {OVER_CAPACITY: "truncated"}
    assert sum(len(s["addresses"]) for s in wanted["subsets"]) == 1000
    stored = copy.deepcopy(wanted)
    stored["metadata"]["resourceVersion"] = "5"
    assert desired_endpoints(service(), pods, stored) is None  # stable: nothing to write
    fewer = desired_endpoints(service(), pods[:10], stored)
    assert fewer is not None and "annotations" not in fewer["metadata"]
    assert fewer["metadata"]["resourceVersion"] == "5"


def test_write_only_on_change_ignoring_pod_versions() -> None:
    pods = [pod("a", "10.244.0.2")]
    wanted = desired_endpoints(service(), pods, None)
    assert wanted is not None and wanted["metadata"] == {
        "name": "web",
        "namespace": "ns",
        "labels": {"app": "web"},
    }
    stored = copy.deepcopy(wanted)
    stored["subsets"][0]["addresses"][0]["targetRef"]["resourceVersion"] = "17"
    assert desired_endpoints(service(), pods, stored) is None
    headless = desired_endpoints(service(clusterIP="None"), pods, stored)
    assert headless is not None and headless["metadata"]["labels"] == {"app": "web", LABEL_HEADLESS: ""}
