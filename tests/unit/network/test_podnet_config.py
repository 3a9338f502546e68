"""The pure parts of the pod network: CNI configuration and plugin input, the address
plan and names, routes between node hosts, the result cache and lease collection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyk8s.network.addresses import (
    NODE_NETWORK,
    AddressExhaustedError,
    derived_node_address,
    fabric_port,
    internal_ip,
    ipv4_pod_cidr,
    node_addresses_in_use,
    node_netns,
)
from pyk8s.network.cni import (
    CONFLIST_NAME,
    Attachment,
    AttachmentCache,
    bridge_conflist,
    cni_args,
    load_conflist,
    plugin_config,
    result_ips,
    write_conflist,
)
from pyk8s.network.fabric import NodeHostSpec
from pyk8s.network.podnet import _collect_leases, pod_network_unavailable_reason
from pyk8s.network.routes import PodRoute, desired_routes, parse_routes, route_commands


def node(name: str, cidr: str = "", ip: str = "", deleting: bool = False) -> dict:
    obj: dict = {"metadata": {"name": name}, "spec": {}, "status": {}}
    if cidr:
        obj["spec"] = {"podCIDR": cidr, "podCIDRs": [cidr]}
    if ip:
        obj["status"]["addresses"] = [
            {"type": "InternalIP", "address": ip},
            {"type": "Hostname", "address": name},
        ]
    if deleting:
        obj["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    return obj


# CNI configuration


def test_bridge_conflist_is_a_standard_cni_list(tmp_path: Path) -> None:
    conf = bridge_conflist("10.244.3.0/24", ipam_dir=tmp_path / "ipam")
    assert conf["cniVersion"] == "1.0.0" and conf["name"] == "pyk8s"
    (bridge,) = conf["plugins"]
    assert bridge["type"] == "bridge" and bridge["bridge"] == "cni0"
    assert bridge["isGateway"] is True and bridge["ipMasq"] is False  # pod to pod: no NAT
    assert bridge["ipam"] == {
        "type": "host-local",
        "ranges": [[{"subnet": "10.244.3.0/24"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": str(tmp_path / "ipam"),
    }
    assert "mtu" not in bridge
    assert bridge_conflist("10.244.3.0/24", ipam_dir=tmp_path, mtu=1400)["plugins"][0]["mtu"] == 1400


def test_written_configuration_is_loaded_and_a_users_file_wins(tmp_path: Path) -> None:
    conf = bridge_conflist("10.244.3.0/24", ipam_dir=tmp_path / "ipam")
    assert load_conflist(tmp_path / "missing") is None
    assert write_conflist(tmp_path, conf) is True
    assert write_conflist(tmp_path, conf) is False  # unchanged: not rewritten
    assert (tmp_path / CONFLIST_NAME).exists()
    assert load_conflist(tmp_path) == conf
    (tmp_path / "05-broken.conflist").write_text("{not json")
    assert load_conflist(tmp_path) == conf
    mine = {"cniVersion": "0.4.0", "name": "mine", "type": "ptp", "ipam": {"type": "static"}}
    (tmp_path / "01-mine.conf").write_text(json.dumps(mine))
    assert load_conflist(tmp_path) == {
        "cniVersion": "0.4.0",
        "name": "mine",
        "plugins": [{"type": "ptp", "ipam": {"type": "static"}}],
    }


def test_plugin_input_carries_name_version_and_previous_result() -> None:
    conflist = {"cniVersion": "1.0.0", "name": "net", "plugins": [{"type": "bridge"}, {"type": "portmap"}]}
    assert plugin_config(conflist, conflist["plugins"][0], None) == {
        "type": "bridge",
        "cniVersion": "1.0.0",
        "name": "net",
    }
    prev = {"ips": [{"address": "10.244.0.2/24"}]}
    assert plugin_config(conflist, conflist["plugins"][1], prev)["prevResult"] == prev


def test_cni_args_name_the_pod() -> None:
    pod = {"metadata": {"namespace": "ns", "name": "web", "uid": "u-1"}}
    assert cni_args(pod) == (
        "IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=u-1;K8S_POD_UID=u-1"
    )


def test_result_ips_drop_the_prefix_length() -> None:
    result = {"ips": [{"address": "10.244.0.5/24", "gateway": "10.244.0.1"}, {"address": "fd00::5/64"}]}
    assert result_ips(result) == ["10.244.0.5", "fd00::5"]
    assert result_ips({}) == []


def test_attachment_cache_round_trip(tmp_path: Path) -> None:
    cache = AttachmentCache(tmp_path / "results")
    assert cache.get("u") is None and cache.all() == []
    attachment = Attachment("u", "eth0", "/run/netns/x", "a=b", {"name": "n", "plugins": []}, {"ips": []})
    cache.put(attachment)
    assert cache.get("u") == attachment
    assert cache.all() == [attachment]
    (tmp_path / "results" / "junk.json").write_text("[")
    assert cache.all() == [attachment]
    cache.remove("u")
    cache.remove("u")
    assert cache.get("u") is None


# addresses and names


def test_node_addresses_are_derived_from_the_name_and_skip_used_ones() -> None:
    first = derived_node_address("node-a")
    assert first == derived_node_address("node-a")  # every agent, every restart
    assert first != derived_node_address("node-b")
    assert first.startswith("10.240.") and first not in ("10.240.0.0", "10.240.255.255")
    moved = derived_node_address("node-a", {first})
    assert moved != first and moved.startswith("10.240.")


def test_a_full_node_network_is_an_error() -> None:
    import ipaddress

    tiny = ipaddress.IPv4Network("10.240.0.0/30")  # two usable addresses
    a = derived_node_address("a", network=tiny)
    b = derived_node_address("b", {a}, network=tiny)
    assert {a, b} == {"10.240.0.1", "10.240.0.2"}
    with pytest.raises(AddressExhaustedError):
        derived_node_address("c", {a, b}, network=tiny)


def test_names_fit_the_kernel_limits() -> None:
    assert node_netns("a") == "pyk8s-node-a"
    long = "n" * 253
    assert len(node_netns(long)) <= 200 and node_netns(long) != node_netns(long[:-1] + "m")
    assert len(fabric_port(long)) <= 15 and fabric_port("a") != fabric_port("b")


def test_node_fields() -> None:
    assert internal_ip(node("a", ip="10.240.0.9")) == "10.240.0.9"
    assert internal_ip(node("a")) == ""
    assert ipv4_pod_cidr({"spec": {"podCIDRs": ["fd00::/64", "10.244.1.0/24"]}}) == "10.244.1.0/24"
    assert ipv4_pod_cidr({"spec": {"podCIDR": "10.244.2.0/24"}}) == "10.244.2.0/24"
    assert ipv4_pod_cidr({"spec": {"podCIDRs": ["garbage"]}}) == ""
    nodes = [node("a", ip="10.240.0.9"), node("b", ip="127.0.0.1"), node("c", ip="10.240.1.1")]
    assert node_addresses_in_use(nodes, except_node="c") == {"10.240.0.9"}


def test_node_host_spec_unreachable_ranges() -> None:
    spec = NodeHostSpec("a", "10.240.0.9")
    assert spec.netns == "pyk8s-node-a" and spec.prefix_len == NODE_NETWORK.prefixlen
    assert spec.unreachable() == ["10.244.0.0/16", "10.96.0.0/12"]
    assert NodeHostSpec("a", "x", cluster_cidr="10.96.0.0/12").unreachable() == ["10.96.0.0/12"]


# routes


def test_desired_routes_go_to_every_other_node() -> None:
    nodes = [
        node("a", "10.244.0.0/24", "10.240.0.1"),
        node("b", "10.244.1.0/24", "10.240.0.2"),
        node("c", "10.244.2.0/24", "10.240.0.3"),
        node("no-cidr", ip="10.240.0.4"),
        node("no-address", "10.244.4.0/24"),
        node("elsewhere", "10.244.5.0/24", "192.168.1.5"),  # not a node-network address
        node("leaving", "10.244.6.0/24", "10.240.0.7", deleting=True),
    ]
    assert desired_routes(nodes, own_node="a") == {
        PodRoute("10.244.1.0/24", "10.240.0.2"),
        PodRoute("10.244.2.0/24", "10.240.0.3"),
    }


def test_a_cidr_claimed_twice_goes_to_the_first_node_by_name() -> None:
    nodes = [node("z", "10.244.1.0/24", "10.240.0.9"), node("b", "10.244.1.0/24", "10.240.0.2")]
    assert desired_routes(nodes, own_node="a") == {PodRoute("10.244.1.0/24", "10.240.0.2")}


def test_routes_are_parsed_from_ip_json() -> None:
    entries = [
        {"dst": "10.240.0.0/16", "dev": "eth0", "protocol": "kernel", "prefsrc": "10.240.0.1"},
        {"type": "unreachable", "dst": "10.244.0.0/16", "protocol": "boot"},
        {"dst": "10.244.1.0/24", "gateway": "10.240.0.2", "dev": "eth0", "protocol": "static"},
        {"dst": "10.244.0.0/24", "dev": "cni0", "protocol": "kernel"},
        {"dst": "10.9.9.9", "gateway": "10.240.0.5", "dev": "eth0", "protocol": "static"},
    ]
    assert parse_routes(entries) == {
        PodRoute("10.244.1.0/24", "10.240.0.2"),
        PodRoute("10.9.9.9/32", "10.240.0.5"),
    }


def test_route_commands_delete_what_went_and_replace_what_is_new_or_moved() -> None:
    current = {PodRoute("10.244.1.0/24", "10.240.0.2"), PodRoute("10.244.2.0/24", "10.240.0.3")}
    desired = {PodRoute("10.244.2.0/24", "10.240.0.9"), PodRoute("10.244.3.0/24", "10.240.0.4")}
    assert route_commands(current, desired) == [
        "route del 10.244.1.0/24 via 10.240.0.2 dev eth0 proto static",
        "route replace 10.244.2.0/24 via 10.240.0.9 dev eth0 proto static",
        "route replace 10.244.3.0/24 via 10.240.0.4 dev eth0 proto static",
    ]
    assert route_commands(desired, desired) == []


# host-local leases of pods deleted while the agent was away


def test_lease_collection_keeps_live_pods(tmp_path: Path) -> None:
    network = tmp_path / "pyk8s"
    network.mkdir()
    (network / "lock").write_text("")
    (network / "last_reserved_ip.0").write_text("10.244.0.4")
    (network / "10.244.0.2").write_text("live-uid\neth0")
    (network / "10.244.0.3").write_text("gone-uid\neth0")
    (network / "10.244.0.4").write_text("")
    removed = _collect_leases(tmp_path, lambda uid: uid == "live-uid")
    assert removed == 1
    assert sorted(p.name for p in network.iterdir()) == [
        "10.244.0.2",
        "10.244.0.4",
        "last_reserved_ip.0",
        "lock",
    ]
    assert _collect_leases(tmp_path / "missing", lambda uid: False) == 0


def test_a_machine_without_the_cni_plugins_cannot_run_the_pod_network() -> None:
    assert pod_network_unavailable_reason(("/nonexistent",)) != ""
