"""`run_proxy(config, stop)`: one node's service proxy until `stop` is set."""

from __future__ import annotations

import asyncio
import logging

from pyk8s.client.kubeconfig import load_kubeconfig
from pyk8s.client.rest import Client
from pyk8s.network.proxy.config import ProxyConfig
from pyk8s.network.proxy.nft import Nft
from pyk8s.network.proxy.proxier import Proxier
from pyk8s.network.proxy.ruleset import delete_table_commands

log = logging.getLogger("pyk8s.network.proxy")
COMPONENT = "proxy"


def proxy_client(config: ProxyConfig) -> Client:
    """The API client the proxy uses (kubeconfig or an explicit client configuration)."""
    client_config = config.client_config or load_kubeconfig(config.kubeconfig)
    return Client(client_config, component=COMPONENT, qps=config.qps, burst=config.burst, clock=config.clock)


async def run_proxy(config: ProxyConfig, stop: asyncio.Event) -> None:
    """Program the node's nftables table from the cluster's Services until `stop` is set;
    the table is removed on the way out."""
    config.validate()
    async with proxy_client(config) as client:
        proxier = Proxier(client, config)
        log.info(
            "service proxy for node %s: table inet %s in %s",
            proxier.node,
            config.table,
            f"network namespace {config.namespace}" if config.namespace else "this network namespace",
        )
        await proxier.run(stop)


async def cleanup(config: ProxyConfig) -> None:
    """Remove the proxy's table and nothing else (`--cleanup`)."""
    nft = Nft(config.namespace)
    if nft.namespace_exists():
        await nft.apply(delete_table_commands(config.table))
