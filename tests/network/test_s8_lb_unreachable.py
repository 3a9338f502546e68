"""The LoadBalancer address pool is unreachable in a node host, like the cluster and service
ranges: a packet to a pool address nobody DNATs fails at once inside the node host instead
of being routed anywhere, while an address the proxy programs still answers. Node hosts on a
fabric of the test's own and the proxy lab's namespaces; all are removed and the machine's
namespace is unchanged. Needs root, ip and nft."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from pyk8s.client.resources import ENDPOINTSLICES, SERVICES
from pyk8s.network.addresses import node_netns
from pyk8s.network.fabric import ensure_node_host, remove_node_host
from pyk8s.network.netns import ip, netns_exists, netns_path, open_socket_in_netns
from pyk8s.network.podnet import PodNetworkConfig
from pyk8s.network.proxy.lab import Lab
from tests.client.conftest import Cluster, StartCluster, cluster, pki_template, start_cluster  # noqa: F401
from tests.conftest import IN_CI, require_binary
from tests.network.test_podnet import root_namespace_state
from tests.network.test_proxy import NODE, Running, endpoint_slice, lab, proxy, service, set_endpoints  # noqa: F401


@pytest.fixture
async def fabric() -> AsyncIterator[str]:
    if os.geteuid() != 0:
        if IN_CI:
            pytest.fail("the node host tests need root (CI runs as root)")
        pytest.skip("the node host tests need root")
    require_binary("ip", shutil.which("ip"), "iproute2")
    before = root_namespace_state()
    name = f"pyk8s-tf{secrets.token_hex(3)}"
    yield name
    assert not netns_exists(name)
    assert root_namespace_state() == before


async def test_the_load_balancer_pool_is_unreachable(fabric: str, tmp_path: Path) -> None:
    # the node hosts `NodeNetwork` makes: with the default pool, and with a pool of ranges
    default = PodNetworkConfig(data_dir=tmp_path, fabric=fabric).node_host(
        f"s8-lb-{secrets.token_hex(3)}", "10.240.250.1"
    )
    pool = "10.241.0.0/24,10.242.0.10-10.242.0.11"
    custom = PodNetworkConfig(data_dir=tmp_path, fabric=fabric, load_balancer_pool=pool).node_host(
        f"s8-lb-{secrets.token_hex(3)}", "10.240.250.2"
    )
    try:
        for spec in (default, custom):
            await ensure_node_host(spec)
        routes = (await ip("route", netns=default.netns)).splitlines()
        assert "unreachable 10.244.0.0/16 " in routes
        assert "unreachable 10.96.0.0/12 " in routes
        assert "unreachable 10.241.0.0/24 " in routes
        assert "unreachable 10.242.0.10/31 " in (await ip("route", netns=custom.netns)).splitlines()

        # a pool address without rules fails at once, inside the node host
        sock = await open_socket_in_netns(netns_path(default.netns), socket.AF_INET, socket.SOCK_DGRAM)
        with sock, pytest.raises(OSError) as failed:
            sock.connect(("10.241.0.7", 80))
        assert failed.value.errno == errno.EHOSTUNREACH

        # ensuring again changes nothing (idempotent, no duplicate routes)
        await ensure_node_host(default)
        assert (await ip("route", netns=default.netns)).splitlines() == routes
    finally:
        await remove_node_host(default.node, fabric=fabric)
        await remove_node_host(custom.node, fabric=fabric)
    assert not netns_exists(node_netns(default.node)) and not netns_exists(node_netns(custom.node))


async def test_load_balancer_addresses_answer_through_the_proxy_only(
    lab: Lab,  # noqa: F811
    proxy: Running,  # noqa: F811
) -> None:
    svc = await proxy.client.create(SERVICES, service("lb", type="LoadBalancer"))
    # the address the service-lb controller would write (from 10.241.0.0/24)
    svc["status"] = {"loadBalancer": {"ingress": [{"ip": "10.241.0.10", "ipMode": "VIP"}]}}
    await proxy.client.update_status(SERVICES, svc)
    eps = await proxy.client.create(ENDPOINTSLICES, endpoint_slice("lb", (lab.pods["b1"], NODE)))
    await proxy.applied(eps)

    def lb_programmed() -> bool:
        fragment = proxy.proxier.programmed("default/lb")
        return fragment is not None and any(
            key.startswith("10.241.0.10 ") for key in fragment.elements.get("service-ips", {})
        )

    assert await proxy.proxier.wait_until(lb_programmed)
    assert await lab.request("client", "10.241.0.10", 80) == "b1"  # DNAT happens before routing
    # another pool address has no rules: unreachable at once in the node host, not refused
    with pytest.raises(OSError) as failed:
        await lab.request("client", "10.241.0.11", 80, timeout=10)
    assert not isinstance(failed.value, ConnectionRefusedError)
    assert failed.value.errno == errno.EHOSTUNREACH
    # the LB address without endpoints: refused at once by the proxy
    await set_endpoints(proxy, eps)
    with pytest.raises(ConnectionRefusedError):
        await lab.request("client", "10.241.0.10", 80, timeout=10)
