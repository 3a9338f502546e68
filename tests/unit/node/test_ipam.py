"""Addresses for simulated nodes and pods."""

from __future__ import annotations

import ipaddress

import pytest

from pyk8s.node.simulated.ipam import (
    FAKE_POD_NETWORK,
    AddressBook,
    AddressExhaustedError,
    pod_network,
)

SMALL = ipaddress.IPv4Network("10.0.0.0/29")  # .0 network, .1-.6 usable, .7 broadcast


def test_addresses_are_unique_and_skip_the_network_gateway_and_broadcast() -> None:
    book = AddressBook()
    got = [book.allocate(f"p{i}", SMALL, skip=2) for i in range(5)]
    assert got == [f"10.0.0.{i}" for i in range(2, 7)]
    with pytest.raises(AddressExhaustedError):
        book.allocate("p9", SMALL, skip=2)


def test_an_owner_keeps_its_address() -> None:
    book = AddressBook()
    first = book.allocate("p", SMALL)
    assert book.allocate("p", SMALL) == first
    assert book.address_of("p") == first


def test_a_freed_address_is_not_handed_out_again_at_once() -> None:
    book = AddressBook()
    a = book.allocate("a", SMALL, skip=2)
    book.allocate("b", SMALL, skip=2)
    book.release("a")
    assert book.allocate("c", SMALL, skip=2) == "10.0.0.4"  # continues after the last one
    for name in "de":
        book.allocate(name, SMALL, skip=2)
    assert book.allocate("g", SMALL, skip=2) == a  # wrapped around to the free one


def test_observed_addresses_are_avoided() -> None:
    book = AddressBook()
    book.observe("other-process-pod", "10.0.0.2")
    assert book.allocate("mine", SMALL, skip=2) == "10.0.0.3"
    assert book.in_use("10.0.0.2")
    book.observe("other-process-pod", "")  # it lost its address
    assert not book.in_use("10.0.0.2")


def test_a_seed_picks_the_same_start_whatever_the_order() -> None:
    network = ipaddress.IPv4Network("10.240.0.0/16")
    one, two = AddressBook(), AddressBook()
    a = one.allocate("node-a", network, seed="node-a")
    two.allocate("node-b", network, seed="node-b")
    assert two.allocate("node-a", network, seed="node-a") == a
    # each seed continues from its own place
    assert one.allocate("pod-1", FAKE_POD_NETWORK, seed="n1") != one.allocate(
        "pod-2", FAKE_POD_NETWORK, seed="n2"
    )


def test_pod_network_is_the_podcidr_or_the_fake_range() -> None:
    assert pod_network("10.244.3.0/24") == ipaddress.IPv4Network("10.244.3.0/24")
    assert pod_network("") == FAKE_POD_NETWORK
    assert pod_network("fd00::/64") == FAKE_POD_NETWORK
    assert pod_network("garbage") == FAKE_POD_NETWORK


def test_the_fake_range_skips_the_podcidrs_of_nodes() -> None:
    """With more nodes than the cluster CIDR has /24s, the node IPAM controller's /24s reach
    into the fake range: pods of nodes without a podCIDR must leave those /24s to their nodes."""
    book = AddressBook()
    taken = ipaddress.IPv4Network("10.244.128.0/24")  # the first /24 of FAKE_POD_NETWORK
    book.reserve("node-128", taken)
    book.reserve("node-129", ipaddress.IPv4Network("10.244.129.0/24"))
    got = [book.allocate(f"p{i}", FAKE_POD_NETWORK, skip=2, avoid_reserved=True) for i in range(300)]
    assert not any(ipaddress.IPv4Address(a) in taken for a in got)
    assert got[0] == "10.244.130.0" and len(set(got)) == 300
    # the node's own pods still get addresses in its podCIDR
    assert book.allocate("mine", taken, skip=2) == "10.244.128.2"
    book.reserve("node-128", None)  # the node is gone: its /24 is free for the fake range again
    assert book.allocate("later", FAKE_POD_NETWORK, avoid_reserved=True, seed="") != ""


def test_a_wholly_reserved_fake_range_is_shared() -> None:
    """More nodes than the cluster CIDR has /24s for: every /24 of the fake range belongs to a
    node, so pods of nodes without one share those /24s rather than getting no address."""
    book = AddressBook()
    for i in range(128, 256):
        book.reserve(f"node-{i}", ipaddress.IPv4Network(f"10.244.{i}.0/24"))
    got = book.allocate("p", FAKE_POD_NETWORK, skip=2, avoid_reserved=True, seed="node-900")
    assert ipaddress.IPv4Address(got) in FAKE_POD_NETWORK


def test_reserved_space_is_used_once_the_rest_is_full() -> None:
    book = AddressBook()
    book.reserve("node-a", ipaddress.IPv4Network("10.0.0.0/30"))  # .0-.3 of SMALL
    got = [book.allocate(f"p{i}", SMALL, skip=1, avoid_reserved=True) for i in range(6)]
    assert got[:3] == ["10.0.0.4", "10.0.0.5", "10.0.0.6"]  # outside the reservation first
    assert sorted(got[3:]) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
