"""`run_ingress`: the Ingress controller as a component."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from pyk8s.client import Client
from pyk8s.network.ingress.config import IngressConfig
from pyk8s.network.ingress.controller import IngressController

log = logging.getLogger("pyk8s.network.ingress")
COMPONENT = "ingress"


def make_client(config: IngressConfig) -> tuple[Client, bool]:
    """The client to use, and whether this component owns (and must close) it."""
    if isinstance(config.kubeconfig, Client):
        return config.kubeconfig, False
    path = str(config.kubeconfig) if isinstance(config.kubeconfig, Path | str) else None
    client = Client.from_kubeconfig(
        path, component=COMPONENT, qps=config.qps, burst=config.burst, clock=config.clock
    )
    return client, True


async def run_ingress(config: IngressConfig, stop: asyncio.Event) -> None:
    """Serve the class's Ingresses until `stop` is set."""
    client, owned = make_client(config)
    controller = IngressController(config, client)
    try:
        await controller.start()
        await stop.wait()
    finally:
        await controller.aclose()
        if owned:
            await client.aclose()
