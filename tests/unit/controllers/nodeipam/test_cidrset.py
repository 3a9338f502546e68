"""Pod CIDR allocation: subnets of the cluster CIDR, next-after-last order, occupation and
release, the rebuild a restarted controller does, and all-or-nothing dual-stack."""

from __future__ import annotations

import ipaddress
import random

import pytest

from pyk8s.controllers.nodeipam.cidrset import (
    CidrRangeError,
    CidrSet,
    CidrSetFullError,
    RangeAllocator,
    parse_cluster_cidrs,
)
from pyk8s.controllers.nodeipam.controller import cidr_patch, pod_cidrs


def test_subnets_are_handed_out_in_order() -> None:
    cidrs = CidrSet("10.244.0.0/16", 24)
    assert [cidrs.allocate_next() for _ in range(3)] == ["10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]
    assert len(cidrs) == 3
    assert cidrs.size == 256


def test_a_released_subnet_is_not_given_again_at_once() -> None:
    cidrs = CidrSet("10.244.0.0/16", 24)
    first = cidrs.allocate_next()
    cidrs.allocate_next()
    cidrs.release(first)
    assert cidrs.allocate_next() == "10.244.2.0/24"


def test_allocation_wraps_around_to_freed_subnets_and_then_fails() -> None:
    cidrs = CidrSet("10.0.0.0/22", 24)
    taken = [cidrs.allocate_next() for _ in range(4)]
    assert taken == ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
    with pytest.raises(CidrSetFullError):
        cidrs.allocate_next()
    cidrs.release("10.0.1.0/24")
    assert cidrs.allocate_next() == "10.0.1.0/24"


def test_occupied_subnets_are_skipped() -> None:
    cidrs = CidrSet("10.244.0.0/16", 24)
    cidrs.occupy("10.244.0.0/24")
    cidrs.occupy("10.244.1.0/24")
    assert cidrs.allocate_next() == "10.244.2.0/24"


def test_a_larger_cidr_occupies_every_subnet_it_covers() -> None:
    cidrs = CidrSet("10.244.0.0/16", 24)
    cidrs.occupy("10.244.0.0/23")
    assert cidrs.is_used("10.244.0.0/24") and cidrs.is_used("10.244.1.0/24")
    assert cidrs.allocate_next() == "10.244.2.0/24"


@pytest.mark.parametrize(
    "cidr",
    [pytest.param("10.245.0.0/24", id="outside"), pytest.param("fd00::/64", id="other-family")],
)
def test_cidrs_outside_the_cluster_cidr_are_refused(cidr: str) -> None:
    with pytest.raises(CidrRangeError):
        CidrSet("10.244.0.0/16", 24).occupy(cidr)


@pytest.mark.parametrize(
    ("cluster", "mask"),
    [
        pytest.param("10.244.0.0/16", 8, id="mask-larger-than-cluster"),
        pytest.param("10.244.0.0/16", 33, id="mask-too-long"),
        pytest.param("10.0.0.0/8", 30, id="too-many-subnets"),
    ],
)
def test_invalid_masks_are_refused(cluster: str, mask: int) -> None:
    with pytest.raises(ValueError):
        CidrSet(cluster, mask)


def test_cluster_cidr_flag_parsing() -> None:
    assert [str(n) for n in parse_cluster_cidrs("10.244.0.0/16")] == ["10.244.0.0/16"]
    assert [str(n) for n in parse_cluster_cidrs("10.244.0.0/16, fd00:10:244::/56")] == [
        "10.244.0.0/16",
        "fd00:10:244::/56",
    ]
    for bad in ("", "10.244.0.0/16,10.245.0.0/16", "10.244.0.1/16"):
        with pytest.raises(ValueError):
            parse_cluster_cidrs(bad)


def test_a_node_keeps_its_pending_cidrs() -> None:
    allocator = RangeAllocator("10.244.0.0/16")
    first = allocator.allocate("a")
    # A stale cache shows the node without its CIDR again: the same answer, no new subnet.
    assert allocator.allocate("a") == first
    assert allocator.allocate("b") == ["10.244.1.0/24"]


def test_rebuild_from_existing_nodes_prevents_duplicates_after_a_restart() -> None:
    before = RangeAllocator("10.244.0.0/16")
    held = {name: before.allocate(name) for name in ("a", "b", "c")}
    before.release("b")
    del held["b"]
    restarted = RangeAllocator("10.244.0.0/16")
    for name, cidrs in held.items():
        restarted.observe(name, cidrs)
    new = [restarted.allocate(name)[0] for name in ("d", "e", "f")]
    assert not set(new) & {c[0] for c in held.values()}
    assert len(set(new)) == 3


def test_observe_replaces_and_release_frees() -> None:
    allocator = RangeAllocator("10.244.0.0/16")
    allocator.allocate("a")  # 10.244.0.0/24, pending
    allocator.observe("a", ["10.244.7.0/24"])  # someone else wrote another one
    assert allocator.held_by("a") == ["10.244.7.0/24"]
    assert allocator.allocate("b") == ["10.244.1.0/24"]
    assert allocator.release("a") == ["10.244.7.0/24"]
    assert allocator.release("a") == []


def test_foreign_cidrs_are_remembered_but_not_occupied() -> None:
    allocator = RangeAllocator("10.244.0.0/16")
    allocator.observe("a", ["192.168.5.0/24"])
    assert allocator.held_by("a") == ["192.168.5.0/24"]
    assert allocator.allocate("b") == ["10.244.0.0/24"]


def test_a_cidr_two_nodes_claim_stays_used_when_one_goes() -> None:
    allocator = RangeAllocator("10.244.0.0/23")
    allocator.observe("a", ["10.244.0.0/24"])
    allocator.observe("b", ["10.244.0.0/24"])
    allocator.release("a")
    assert allocator.allocate("c") == ["10.244.1.0/24"]
    with pytest.raises(CidrSetFullError):
        allocator.allocate("d")


def test_dual_stack_is_all_or_nothing() -> None:
    allocator = RangeAllocator("10.244.0.0/23,fd00::/63", mask_ipv4=24, mask_ipv6=64)
    assert allocator.allocate("a") == ["10.244.0.0/24", "fd00::/64"]
    assert allocator.allocate("b") == ["10.244.1.0/24", "fd00:0:0:1::/64"]
    allocator.release("a")
    allocator.observe("x", ["fd00::/64"])  # only the IPv6 half is free now
    with pytest.raises(CidrSetFullError):
        allocator.allocate("c")
    allocator.release("x")
    # the failed attempt gave back the IPv4 subnet it had taken
    assert allocator.allocate("c") == ["10.244.0.0/24", "fd00::/64"]


def test_random_churn_never_hands_out_a_subnet_twice() -> None:
    rng = random.Random(7)
    allocator = RangeAllocator("10.244.0.0/20")  # 16 subnets
    live: dict[str, str] = {}
    for step in range(2000):
        if live and (len(live) == 16 or rng.random() < 0.4):
            name = rng.choice(sorted(live))
            allocator.release(name)
            del live[name]
        else:
            name = f"n{step}"
            live[name] = allocator.allocate(name)[0]
        assert len(set(live.values())) == len(live)
        assert all(ipaddress.ip_network(c).prefixlen == 24 for c in live.values())


def test_node_helpers() -> None:
    node = {
        "metadata": {"name": "a", "resourceVersion": "7", "uid": "u"},
        "spec": {"podCIDR": "10.244.3.0/24"},
    }
    assert pod_cidrs(node) == ["10.244.3.0/24"]
    assert pod_cidrs({"spec": {"podCIDRs": ["10.244.4.0/24", "fd00::/64"]}}) == ["10.244.4.0/24", "fd00::/64"]
    assert pod_cidrs({"spec": {}}) == []
    assert cidr_patch(node, ["10.244.9.0/24"]) == {
        "metadata": {"resourceVersion": "7", "uid": "u"},
        "spec": {"podCIDR": "10.244.9.0/24", "podCIDRs": ["10.244.9.0/24"]},
    }


def test_the_service_range_inside_the_cluster_cidr_is_never_allocated() -> None:
    allocator = RangeAllocator("10.0.0.0/22", mask_ipv4=24, service_cidrs="10.0.1.0/24")
    given = [allocator.allocate(f"n{i}")[0] for i in range(3)]
    assert given == ["10.0.0.0/24", "10.0.2.0/24", "10.0.3.0/24"]
    with pytest.raises(CidrSetFullError):
        allocator.allocate("n3")


def test_a_service_range_smaller_than_a_node_subnet_takes_the_whole_subnet() -> None:
    allocator = RangeAllocator("10.0.0.0/23", mask_ipv4=24, service_cidrs=["10.0.0.128/28"])
    assert allocator.allocate("a") == ["10.0.1.0/24"]
    with pytest.raises(CidrSetFullError):
        allocator.allocate("b")


def test_a_service_range_covering_the_cluster_cidr_leaves_nothing() -> None:
    allocator = RangeAllocator("10.0.0.0/24", mask_ipv4=26, service_cidrs="10.0.0.0/16")
    with pytest.raises(CidrSetFullError):
        allocator.allocate("a")


def test_a_service_range_elsewhere_or_of_the_other_family_changes_nothing() -> None:
    allocator = RangeAllocator("10.244.0.0/16", mask_ipv4=24, service_cidrs="10.96.0.0/12,fd00:10:96::/108")
    assert allocator.allocate("a") == ["10.244.0.0/24"]
    assert allocator.reserved == []


def test_the_reservation_survives_a_node_that_held_part_of_it() -> None:
    allocator = RangeAllocator("10.0.0.0/22", mask_ipv4=24, service_cidrs="10.0.1.0/24")
    allocator.observe("misconfigured", ["10.0.1.0/24"])  # set by hand on the Node
    allocator.release("misconfigured")
    given = [allocator.allocate(f"n{i}")[0] for i in range(3)]
    assert "10.0.1.0/24" not in given
