"""`run_policy`: NetworkPolicy enforcement for one node, as a component."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from pyk8s.client import Client
from pyk8s.network.policy.config import PolicyConfig
from pyk8s.network.policy.controller import PolicyEnforcer

log = logging.getLogger("pyk8s.network.policy")
COMPONENT = "network-policy"


def make_client(config: PolicyConfig) -> tuple[Client, bool]:
    """The client to use, and whether this component owns (and must close) it."""
    if isinstance(config.kubeconfig, Client):
        return config.kubeconfig, False
    path = str(config.kubeconfig) if isinstance(config.kubeconfig, Path | str) else None
    client = Client.from_kubeconfig(
        path, component=COMPONENT, qps=config.qps, burst=config.burst, clock=config.clock
    )
    return client, True


async def run_policy(config: PolicyConfig, stop: asyncio.Event) -> None:
    """Enforce the cluster's NetworkPolicies on `config.node_name`'s pods until `stop` is set;
    the table is removed on the way out."""
    client, owned = make_client(config)
    enforcer = PolicyEnforcer(config, client)
    try:
        await enforcer.start()
        log.info("enforcing NetworkPolicies for node %s in %s", config.node_name, enforcer.netns)
        await stop.wait()
    finally:
        await enforcer.aclose()
        if owned:
            await client.aclose()
