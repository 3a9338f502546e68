"""`IngressConfig`: how `run_ingress` serves the `pyk8s` IngressClass."""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyk8s.network.ingress.routing import CONTROLLER_NAME

if TYPE_CHECKING:
    from pyk8s._aio.clock import Clock
    from pyk8s.client import Client

CLASS_NAME = "pyk8s"


@dataclass
class IngressConfig:
    """Everything `run_ingress` needs.

    - `kubeconfig`: a kubeconfig path (a client is made and closed) or a ready `Client`.
    - `bind`, `http_port`, `https_port`: the listeners, in this process's network namespace
      (port 0: any free port; `https_port` -1: no TLS listener).
    - `status_address`: written to every Ingress's `status.loadBalancer` (default: `bind`,
      or 127.0.0.1 when binding every address).
    - `class_name`, `controller_name`: the IngressClass created at start (the cluster's
      default class unless another is already) and the controller it names; Ingresses of
      any class naming `controller_name` are served.
    - `upstream_netns`: the network namespace in which connections to endpoints are made
      (the node host namespace `pyk8s-node-<node>`, where pod IPs are routed). None: only
      loopback endpoints are dialled.
    """

    kubeconfig: str | Path | Client | None = None
    bind: str = "127.0.0.1"
    http_port: int = 8080
    https_port: int = 8443
    status_address: str = ""
    class_name: str = CLASS_NAME
    controller_name: str = CONTROLLER_NAME
    create_class: bool = True
    upstream_netns: str | None = None
    qps: float = 50.0
    burst: int = 100
    clock: Clock | None = None
    # Set once the caches are synced, the routes built and the listeners up.
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def advertised_address(self) -> str:
        if self.status_address:
            return self.status_address
        try:
            if ipaddress.ip_address(self.bind).is_unspecified:
                return "127.0.0.1"
        except ValueError:
            pass
        return self.bind
