"""`PolicyEnforcer`: keeps the node's `inet pyk8s-policy` table equal to what the cluster's
NetworkPolicies say about the node's pods.

    Pods (all nodes), Namespaces, NetworkPolicies ──(relevant change)──► compute ► render
        ──(text differs from what is applied, or the namespace is new)──► nft -f (one transaction)

Pod events that change nothing policy reads (status conditions, restarts) are ignored.
A failed apply (the node host namespace not there yet) is retried with a backoff on the
clock; a stop removes the table.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from pyk8s.client import Client
from pyk8s.client.informers import EventHandlerFuncs, SharedInformerFactory
from pyk8s.client.resources import NAMESPACES, NETWORKPOLICIES, PODS
from pyk8s.network.dns.netns import netns_inode
from pyk8s.network.policy.config import PolicyConfig
from pyk8s.network.policy.nft import NftError, nft
from pyk8s.network.policy.render import delete_script, render, replace_script
from pyk8s.network.policy.rules import compute_node_policy, pod_info

log = logging.getLogger("pyk8s.network.policy")

Obj = dict[str, Any]


def _pod_projection(pod: Obj) -> Any:
    """What of a pod the rules depend on (pod_info is None for pods policy ignores)."""
    info = pod_info(pod)
    if info is None:
        return None
    return (info.labels, info.ips, info.node, info.named_ports)


class PolicyEnforcer:
    """One node's NetworkPolicy enforcement."""

    def __init__(self, config: PolicyConfig, client: Client) -> None:
        if not config.node_name:
            raise ValueError("the node name is required")
        self.config = config
        self.client = client
        self.clock = config.clock or client.clock
        self.netns = config.namespace()
        self.factory = SharedInformerFactory(client)
        self.pods = self.factory.informer(PODS)
        self.namespaces = self.factory.informer(NAMESPACES)
        self.policies = self.factory.informer(NETWORKPOLICIES)
        self._dirty = asyncio.Event()
        mark = EventHandlerFuncs(
            add=lambda _o, _i: self._dirty.set(),
            update=lambda _a, _b: self._dirty.set(),
            delete=lambda _o: self._dirty.set(),
        )
        self.policies.add_event_handler(mark)
        self.namespaces.add_event_handler(
            EventHandlerFuncs(
                add=lambda _o, _i: self._dirty.set(),
                update=lambda a, b: self._changed(
                    (a.get("metadata") or {}).get("labels"), (b.get("metadata") or {}).get("labels")
                ),
                delete=lambda _o: self._dirty.set(),
            )
        )
        self.pods.add_event_handler(
            EventHandlerFuncs(
                add=lambda _o, _i: self._dirty.set(),
                update=lambda a, b: self._changed(_pod_projection(a), _pod_projection(b)),
                delete=lambda _o: self._dirty.set(),
            )
        )
        self.applied: str | None = None
        self._applied_inode: int | None = None
        self._task: asyncio.Task[None] | None = None
        self.applies = 0

    def _changed(self, old: Any, new: Any) -> None:
        if old != new:
            self._dirty.set()

    def ruleset(self) -> str:
        """The table the caches call for now."""
        pods = [info for p in self.pods.indexer.list() if (info := pod_info(p)) is not None]
        namespaces = {
            n["metadata"]["name"]: dict((n.get("metadata") or {}).get("labels") or {})
            for n in self.namespaces.indexer.list()
        }
        node_policy = compute_node_policy(
            self.config.node_name, pods, namespaces, self.policies.indexer.list()
        )
        return render(node_policy, table=self.config.table)

    async def sync(self) -> bool:
        """Apply the ruleset if it changed (or the namespace was replaced); True if applied."""
        self._dirty.clear()
        text = self.ruleset()
        inode = netns_inode(self.netns)
        if text == self.applied and inode == self._applied_inode:
            return False
        await nft(replace_script(text, table=self.config.table), netns=self.netns)
        self.applied, self._applied_inode = text, inode
        self.applies += 1
        log.debug("applied %s in %s (%d bytes)", self.config.table, self.netns, len(text))
        return True

    async def start(self) -> None:
        self.factory.start()
        await self.factory.wait_for_sync()
        self._dirty.set()
        self._task = asyncio.create_task(self._loop(), name="network policy")

    async def _loop(self) -> None:
        delay = self.config.retry_initial_seconds
        while True:
            await self._dirty.wait()
            try:
                await self.sync()
            except (NftError, OSError) as exc:
                log.warning("network policy not applied in %s (retry in %.0fs): %s", self.netns, delay, exc)
                await self.clock.sleep(delay)
                delay = min(delay * 2, self.config.retry_max_seconds)
                self._dirty.set()
                continue
            delay = self.config.retry_initial_seconds
            self.config.ready.set()

    async def aclose(self) -> None:
        """Stop watching and remove the table."""
        self.config.ready.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.factory.shutdown()
        if self.applied is not None and netns_inode(self.netns) is not None:
            try:
                await nft(delete_script(table=self.config.table), netns=self.netns)
            except (NftError, OSError) as exc:
                log.warning("could not remove %s from %s: %s", self.config.table, self.netns, exc)
        self.applied = None
