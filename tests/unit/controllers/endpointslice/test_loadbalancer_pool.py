"""Load balancer addresses from the local pool (`pyk8s/controllers/loadbalancer/pool.py`;
kept beside the EndpointSlice tests, the Service-networking controllers' unit tests)."""

from __future__ import annotations

from typing import Any

import pytest

from pyk8s.controllers.loadbalancer.pool import AddressPool, PoolError, assign, status_for

Obj = dict[str, Any]


def lb(ip: str = "", requested: str = "", **spec: Any) -> Obj:
    status = {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}} if ip else {"loadBalancer": {}}
    return {
        "metadata": {"name": "s", "namespace": "ns"},
        "spec": {"type": "LoadBalancer", **({"loadBalancerIP": requested} if requested else {}), **spec},
        "status": status,
    }


def test_pool_parsing() -> None:
    pool = AddressPool.parse("10.241.0.0/30, 10.241.1.5-10.241.1.6")
    assert "10.241.0.1" in pool and "10.241.0.2" in pool
    assert "10.241.0.0" not in pool and "10.241.0.3" not in pool  # network and broadcast
    assert "10.241.1.6" in pool and "10.241.1.7" not in pool and "nonsense" not in pool
    assert pool.first_free({"10.241.0.1", "10.241.0.2"}) == "10.241.1.5"
    assert pool.first_free({"10.241.0.1", "10.241.0.2", "10.241.1.5", "10.241.1.6"}) is None
    for bad in ("", "10.0.0.9-10.0.0.1", "nope", "10.0.0.1-2001:db8::1"):
        with pytest.raises(PoolError):
            AddressPool.parse(bad)


def test_assignment() -> None:
    pool = AddressPool.parse("10.241.0.0/29")
    assert assign(lb(), pool, set()) == ["10.241.0.1"]
    assert assign(lb(), pool, {"10.241.0.1"}) == ["10.241.0.2"]
    assert assign(lb("10.241.0.5"), pool, {"10.241.0.1"}) == ["10.241.0.5"]  # kept
    assert assign(lb("10.241.0.5"), pool, {"10.241.0.5"}) == ["10.241.0.1"]  # taken by another: moved
    assert assign(lb(requested="10.241.0.4"), pool, set()) == ["10.241.0.4"]
    assert assign(lb(requested="192.0.2.1"), pool, set()) == ["10.241.0.1"]
    assert assign(lb(), pool, {f"10.241.0.{i}" for i in range(1, 7)}) is None
    assert assign(lb(loadBalancerClass="example.com/cloud"), pool, set()) == []


def test_status() -> None:
    pool = AddressPool.parse("10.241.0.0/29")
    service = lb("192.0.2.9")  # an address someone else gave: kept beside ours
    assert status_for(["10.241.0.1"], service, pool) == {
        "ingress": [{"ip": "10.241.0.1", "ipMode": "VIP"}, {"ip": "192.0.2.9", "ipMode": "VIP"}]
    }
    service["spec"]["type"] = "ClusterIP"
    assert status_for([], service, pool) == {}
