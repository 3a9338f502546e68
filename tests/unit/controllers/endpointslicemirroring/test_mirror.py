"""Mirroring the Endpoints of selector-less Services into EndpointSlices."""

from __future__ import annotations

import copy
from typing import Any

from pyk8s.controllers.endpointslicemirroring.mirror import (
    CONTROLLER_NAME,
    LABEL_SKIP_MIRROR,
    plan,
    should_mirror,
)

Obj = dict[str, Any]


def endpoints(subsets: list[Obj], **meta: Any) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "db",
            "namespace": "ns",
            "uid": "uid-db",
            "labels": {"team": "x"},
            "annotations": {"note": "n", "endpoints.kubernetes.io/last-change-trigger-time": "t"},
            **meta,
        },
        "subsets": subsets,
    }


PORTS = [{"name": "pg", "port": 5432, "protocol": "TCP"}]


def named(slices: list[Obj]) -> list[Obj]:
    out = []
    for i, s in enumerate(slices):
        s = copy.deepcopy(s)
        s["metadata"]["name"] = f"db-{i}"
        s["metadata"]["uid"] = f"s{i}"
        s["metadata"]["resourceVersion"] = "1"
        s["metadata"].pop("generateName", None)
        out.append(s)
    return out


def test_which_endpoints_are_mirrored() -> None:
    selectorless = {"metadata": {"name": "db"}, "spec": {"ports": PORTS}}
    ep = endpoints([])
    assert should_mirror(ep, selectorless)
    assert not should_mirror(ep, {"spec": {"selector": {"app": "db"}}})
    assert not should_mirror(ep, None)
    assert not should_mirror(endpoints([], labels={LABEL_SKIP_MIRROR: "true"}), selectorless)
    leader = endpoints([], annotations={"control-plane.alpha.kubernetes.io/leader": "{}"})
    assert not should_mirror(leader, selectorless)


def test_subsets_become_slices_by_ports_and_family() -> None:
    ep = endpoints(
        [
            {
                "addresses": [{"ip": "192.0.2.10", "hostname": "db-0", "nodeName": "n1"}],
                "notReadyAddresses": [{"ip": "192.0.2.11"}],
                "ports": PORTS,
            },
            {"addresses": [{"ip": "2001:db8::1"}, {"ip": "not-an-ip"}], "ports": PORTS},
            {"addresses": [{"ip": "192.0.2.12"}], "ports": [{"name": "other", "port": 1, "protocol": "UDP"}]},
        ]
    )
    result = plan(ep, [])
    assert result.invalid == 1 and result.skipped == 1
    shapes = sorted(
        (
            s["addressType"],
            s["ports"][0]["port"],
            [(e["addresses"][0], e["conditions"]["ready"]) for e in s["endpoints"]],
        )
        for s in result.create
    )
    assert shapes == [
        ("IPv4", 1, [("192.0.2.12", True)]),
        ("IPv4", 5432, [("192.0.2.10", True), ("192.0.2.11", False)]),
        ("IPv6", 5432, [("2001:db8::1", True)]),
    ]
    first = next(s for s in result.create if s["ports"][0]["port"] == 5432 and s["addressType"] == "IPv4")
    assert first["endpoints"][0]["hostname"] == "db-0" and first["endpoints"][0]["nodeName"] == "n1"
    meta = first["metadata"]
    assert meta["labels"] == {
        "team": "x",
        "kubernetes.io/service-name": "db",
        "endpointslice.kubernetes.io/managed-by": CONTROLLER_NAME,
    }
    assert meta["annotations"] == {"note": "n"}
    assert meta["generateName"] == "db-"
    assert meta["ownerReferences"][0]["kind"] == "Endpoints" and meta["ownerReferences"][0]["uid"] == "uid-db"


def test_unchanged_writes_nothing_changes_update_and_emptied_endpoints_delete() -> None:
    ep = endpoints([{"addresses": [{"ip": "192.0.2.10"}], "ports": PORTS}])
    existing = named(plan(ep, []).create)
    same = plan(ep, existing)
    assert not (same.create or same.update or same.delete)

    changed = endpoints([{"addresses": [{"ip": "192.0.2.10"}, {"ip": "192.0.2.20"}], "ports": PORTS}])
    result = plan(changed, existing)
    assert not result.create and not result.delete
    assert result.update[0]["metadata"]["name"] == "db-0"
    assert len(result.update[0]["endpoints"]) == 2

    result = plan(endpoints([]), existing)
    assert [s["metadata"]["name"] for s in result.delete] == ["db-0"]

    # new ports: the old slice is reused for the new group
    moved = endpoints([{"addresses": [{"ip": "192.0.2.10"}], "ports": [{"name": "pg", "port": 6432}]}])
    result = plan(moved, existing)
    assert not result.create and not result.delete
    assert result.update[0]["metadata"]["name"] == "db-0" and result.update[0]["ports"][0]["port"] == 6432


def test_at_most_1000_addresses_per_subset() -> None:
    ep = endpoints(
        [{"addresses": [{"ip": f"10.1.{i // 250}.{i % 250}"} for i in range(1005)], "ports": PORTS}]
    )
    result = plan(ep, [])
    assert result.skipped == 5 and result.invalid == 0
    assert [len(s["endpoints"]) for s in result.create] == [1000]
