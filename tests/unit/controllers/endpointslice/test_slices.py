"""The EndpointSlice plan: conditions, named ports, grouping, 100 per slice, placeholders,
in-place updates and slice reuse."""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.controllers.endpointslice.slices import (
    CONTROLLER_NAME,
    LABEL_HEADLESS,
    LABEL_MANAGED_BY,
    LABEL_SERVICE_NAME,
    endpoint_ports,
    plan,
)

Obj = dict[str, Any]
NODES = {"node-a": {"metadata": {"name": "node-a", "labels": {"topology.kubernetes.io/zone": "z1"}}}}


def service(name: str = "web", *, ports: list[Obj] | None = None, **spec: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "ns", "uid": f"uid-{name}", "labels": {"app": name}},
        "spec": {
            "selector": {"app": name},
            "clusterIP": "10.96.0.10",
            "ipFamilies": ["IPv4"],
            "ports": ports if ports is not None else [{"name": "http", "port": 80, "targetPort": 8080}],
            **spec,
        },
    }


def pod(
    name: str,
    ip: str,
    *,
    ready: bool = True,
    deleting: bool = False,
    phase: str = "Running",
    ports: list[Obj] | None = None,
    node: str = "node-a",
) -> Obj:
    meta: Obj = {"name": name, "namespace": "ns", "uid": f"uid-{name}", "labels": {"app": "web"}}
    if deleting:
        meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return {
        "metadata": meta,
        "spec": {"nodeName": node, "containers": [{"name": "c", "ports": ports or []}]},
        "status": {
            "phase": phase,
            "podIP": ip,
            "podIPs": [{"ip": ip}] if ip else [],
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


def materialise(result_slices: list[Obj], start: int = 0) -> list[Obj]:
    """Give created slices names and uids as the API server would."""
    out = []
    for i, s in enumerate(result_slices, start):
        s = copy.deepcopy(s)
        meta = s["metadata"]
        if "name" not in meta:
            meta["name"] = f"{meta.pop('generateName')}{i:05d}"
        meta.setdefault("uid", f"slice-{meta['name']}")
        out.append(s)
    return out


def test_conditions_from_readiness_and_deletion() -> None:
    pods = [
        pod("a", "10.244.0.2"),
        pod("b", "10.244.0.3", ready=False),
        pod("c", "10.244.0.4", deleting=True),
        pod("d", "10.244.0.5", ready=False, deleting=True),
        pod("done", "10.244.0.6", phase="Succeeded"),
        pod("no-ip", ""),
    ]
    result = plan(service(), pods, [], NODES)
    assert len(result.create) == 1 and not result.update and not result.delete
    created = result.create[0]
    conditions = {e["targetRef"]["name"]: e["conditions"] for e in created["endpoints"]}
    assert conditions == {
        "a": {"ready": True, "serving": True, "terminating": False},
        "b": {"ready": False, "serving": False, "terminating": False},
        "c": {"ready": False, "serving": True, "terminating": True},
        "d": {"ready": False, "serving": False, "terminating": True},
    }
    first = created["endpoints"][0]
    assert first["addresses"] == ["10.244.0.2"] and first["nodeName"] == "node-a" and first["zone"] == "z1"
    assert first["targetRef"] == {"kind": "Pod", "namespace": "ns", "name": "a", "uid": "uid-a"}
    assert created["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    assert created["addressType"] == "IPv4"
    assert created["metadata"]["generateName"] == "web-"
    assert created["metadata"]["labels"] == {
        "app": "web",
        LABEL_SERVICE_NAME: "web",
        LABEL_MANAGED_BY: CONTROLLER_NAME,
    }
    assert created["metadata"]["ownerReferences"] == [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "name": "web",
            "uid": "uid-web",
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]


def test_publish_not_ready_addresses_makes_every_endpoint_ready() -> None:
    pods = [pod("b", "10.244.0.3", ready=False), pod("c", "10.244.0.4", deleting=True)]
    result = plan(service(publishNotReadyAddresses=True), pods, [], NODES)
    assert [e["conditions"]["ready"] for e in result.create[0]["endpoints"]] == [True, True]


def test_named_target_ports_resolve_per_pod_into_separate_slices() -> None:
    svc = service(ports=[{"name": "http", "port": 80, "targetPort": "web", "protocol": "TCP"}])
    pods = [
        pod("a", "10.244.0.2", ports=[{"name": "web", "containerPort": 8080, "protocol": "TCP"}]),
        pod("b", "10.244.0.3", ports=[{"name": "web", "containerPort": 9090, "protocol": "TCP"}]),
        pod("c", "10.244.0.4", ports=[{"name": "web", "containerPort": 8080, "protocol": "UDP"}]),
    ]
    assert endpoint_ports(svc, pods[2]) == []  # the protocol must match too
    result = plan(svc, pods, [], NODES)
    by_port = {s["ports"][0]["port"] if s["ports"] else None: s for s in result.create}
    assert sorted(by_port, key=str) == [8080, 9090, None]
    assert [e["addresses"] for e in by_port[8080]["endpoints"]] == [["10.244.0.2"]]
    assert [e["addresses"] for e in by_port[9090]["endpoints"]] == [["10.244.0.3"]]
    assert [e["addresses"] for e in by_port[None]["endpoints"]] == [["10.244.0.4"]]


def test_at_most_100_endpoints_per_slice() -> None:
    pods = [pod(f"p{i:03d}", f"10.244.{i // 200}.{i % 200 + 2}") for i in range(250)]
    result = plan(service(), pods, [], NODES)
    assert [len(s["endpoints"]) for s in result.create] == [100, 100, 50]


def test_placeholder_slice_for_a_service_without_endpoints_is_kept() -> None:
    result = plan(service(), [], [], NODES)
    assert len(result.create) == 1
    placeholder = result.create[0]
    assert placeholder["endpoints"] == [] and placeholder["ports"] == []
    existing = materialise(result.create)
    again = plan(service(), [], existing, NODES)
    assert again.empty


def test_unchanged_endpoints_write_nothing_and_changes_update_in_place() -> None:
    pods = [pod("a", "10.244.0.2"), pod("b", "10.244.0.3")]
    existing = materialise(plan(service(), pods, [], NODES).create)
    assert plan(service(), pods, existing, NODES).empty

    pods[1] = pod("b", "10.244.0.3", ready=False)
    result = plan(service(), pods, existing, NODES)
    assert not result.create and not result.delete
    assert len(result.update) == 1 and result.update[0]["metadata"]["name"] == existing[0]["metadata"]["name"]
    assert [e["conditions"]["ready"] for e in result.update[0]["endpoints"]] == [True, False]

    # a removed pod is removed from its slice; the last one gone turns it into the placeholder
    result = plan(service(), pods[:1], existing, NODES)
    assert [e["targetRef"]["name"] for e in result.update[0]["endpoints"]] == ["a"]
    result = plan(service(), [], existing, NODES)
    assert not result.create and not result.delete and len(result.update) == 1
    assert result.update[0]["endpoints"] == [] and result.update[0]["ports"] == []
    assert result.update[0]["metadata"]["name"] == existing[0]["metadata"]["name"]


def test_new_endpoints_fill_a_slice_with_room_before_creating_one() -> None:
    pods = [pod(f"p{i:03d}", f"10.244.0.{i + 2}") for i in range(150)]
    existing = materialise(plan(service(), pods, [], NODES).create)
    assert [len(s["endpoints"]) for s in existing] == [100, 50]
    more = [*pods, *(pod(f"q{i:03d}", f"10.244.1.{i + 2}") for i in range(30))]
    result = plan(service(), more, existing, NODES)
    assert not result.create and not result.delete
    assert [len(s["endpoints"]) for s in result.update] == [80]
    assert result.update[0]["metadata"]["name"] == existing[1]["metadata"]["name"]


def test_labels_follow_the_service_and_headless_services_are_marked() -> None:
    pods = [pod("a", "10.244.0.2")]
    existing = materialise(plan(service(), pods, [], NODES).create)
    relabelled = service()
    relabelled["metadata"]["labels"] = {"app": "web", "tier": "front"}
    result = plan(relabelled, pods, existing, NODES)
    assert result.update[0]["metadata"]["labels"]["tier"] == "front"

    headless = service(clusterIP="None")
    created = plan(headless, pods, [], NODES).create[0]
    assert created["metadata"]["labels"][LABEL_HEADLESS] == ""


def test_slices_of_another_service_or_address_type_are_deleted_or_reused() -> None:
    pods = [pod("a", "10.244.0.2")]
    stale = materialise(plan(service(), pods, [], NODES).create)
    stale[0]["metadata"]["ownerReferences"][0]["uid"] = "uid-of-an-older-web"
    result = plan(service(), pods, stale, NODES)
    assert not result.update and len(result.create) == 1 and len(result.delete) == 1

    ipv6 = copy.deepcopy(stale[0])
    ipv6["addressType"] = "IPv6"
    ipv6["metadata"]["ownerReferences"][0]["uid"] = "uid-web"
    result = plan(service(), pods, [ipv6], NODES)
    assert [s["addressType"] for s in result.delete] == ["IPv6"] and len(result.create) == 1


def test_pods_on_unknown_nodes_wait() -> None:
    result = plan(service(), [pod("a", "10.244.0.2", node="node-x")], [], NODES)
    assert result.missing_nodes == {"node-x"}
    assert result.create[0]["endpoints"] == []


def test_headless_service_without_ports() -> None:
    svc = service(clusterIP="None", ports=[])
    created = plan(svc, [pod("a", "10.244.0.2")], [], NODES).create[0]
    assert created["ports"] == [] and [e["addresses"] for e in created["endpoints"]] == [["10.244.0.2"]]
