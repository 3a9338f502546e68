"""`PolicyConfig`: where `run_policy` enforces NetworkPolicies."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pyk8s.network.policy.render import TABLE

if TYPE_CHECKING:
    from pyk8s._aio.clock import Clock
    from pyk8s.client import Client

NODE_NETNS_TEMPLATE = "pyk8s-node-{node}"


@dataclass
class PolicyConfig:
    """Everything `run_policy` needs.

    - `kubeconfig`: a kubeconfig path (a client is made and closed) or a ready `Client`.
    - `node_name`: the node whose pods are protected (pods with `spec.nodeName` = it).
    - `netns`: the network namespace holding those pods' bridge and routes, where the table
      lives (default `pyk8s-node-<node_name>`).
    - `table`: the `inet` table this component owns (created, replaced, removed on stop).
    """

    kubeconfig: str | Path | Client | None = None
    node_name: str = ""
    netns: str = ""
    table: str = TABLE
    qps: float = 50.0
    burst: int = 100
    retry_initial_seconds: float = 1.0
    retry_max_seconds: float = 30.0
    clock: Clock | None = None
    # Set once the first ruleset is in place.
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def namespace(self) -> str:
        return self.netns or NODE_NETNS_TEMPLATE.format(node=self.node_name)
