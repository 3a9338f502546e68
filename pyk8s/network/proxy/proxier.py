"""`Proxier`: keeps one node's nftables table in line with the Services and EndpointSlices.

Informers (Services, labelled EndpointSlices, this node's Node) mark Services dirty; one
task turns dirty Services into rules:

- the first sync, and any sync after a failed one, replaces the whole table in one
  transaction (`ruleset.full_transaction`);
- later syncs re-render only the dirty Services and apply the difference, chains and map
  elements, as one `nft -f -` transaction (`ruleset.transaction`): a connection sees the
  old rules or the new ones, never a mix;
- syncs are at least `min_sync_period` apart (0.1 s by default): changes arriving in
  between are batched into the next one, so an endpoint change is in the kernel within
  that period plus the informer's delivery and one `nft` run.

After a sync that changed what a UDP Service port sends to (or where it answers), the
conntrack entries still leading to the old endpoints are deleted in the node namespace
(`udp.py`): a UDP client that never pauses would otherwise keep talking to a dead pod.

Nothing runs while nothing changes, but for a stat() of the namespace every 30 s: a node
namespace deleted and created again under the same name is programmed afresh. Stopping
removes the table (unless told not to).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.client.informers import (
    DeletedFinalStateUnknown,
    EventHandlerFuncs,
    SharedInformer,
    SharedInformerFactory,
    object_key,
)
from pyk8s.client.resources import ENDPOINTSLICES, NODES, SERVICES
from pyk8s.client.rest import Client
from pyk8s.client.timing import wait_event
from pyk8s.network.conntrack import ConntrackError
from pyk8s.network.netns import NetnsError
from pyk8s.network.proxy.config import ProxyConfig
from pyk8s.network.proxy.model import LABEL_SERVICE_NAME, ServicePort, service_ports
from pyk8s.network.proxy.nft import Nft, NftError
from pyk8s.network.proxy.ruleset import (
    Elements,
    Fragment,
    RenderOptions,
    base_elements,
    delete_table_commands,
    full_transaction,
    merge_elements,
    render_service,
    transaction,
)
from pyk8s.network.proxy.udp import Address, ConntrackCleaner, Frontends, udp_frontends

log = logging.getLogger("pyk8s.network.proxy")

Obj = dict[str, Any]
SERVICE_INDEX = "service"
API_SERVER_SERVICE = "default/kubernetes"
RETRY_MIN, RETRY_MAX = 0.5, 10.0  # back-off after a failed sync, seconds
# While idle, a stat() this often notices a node namespace deleted and created again (the
# node agent restarting it), which took the table with it.
NAMESPACE_CHECK = 30.0
NODE_ADDRESS_TYPES = ("InternalIP", "ExternalIP")


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def slice_service_key(endpoint_slice: Mapping[str, Any]) -> str | None:
    name = (_meta(endpoint_slice).get("labels") or {}).get(LABEL_SERVICE_NAME)
    return f"{_meta(endpoint_slice).get('namespace', '')}/{name}" if name else None


def _service_index(endpoint_slice: Obj) -> list[str]:
    key = slice_service_key(endpoint_slice)
    return [key] if key else []


@dataclass(frozen=True)
class SyncRecord:
    """One applied sync: which Services it covered and how long it took."""

    full: bool
    services: frozenset[str]
    slice_versions: Mapping[str, str]  # slice key -> resourceVersion now in the rules
    commands: int
    seconds: float


class Proxier:
    """One node's service proxy (see the module docstring)."""

    def __init__(
        self,
        client: Client,
        config: ProxyConfig,
        *,
        nft: Nft | None = None,
        conntrack: ConntrackCleaner | None = None,
    ) -> None:
        config.validate()
        self.config = config
        self.clock: Clock = config.clock or client.clock
        self.node = config.node
        self.options = RenderOptions(
            table=config.table, cluster_cidr=config.cluster_cidr, masquerade_all=config.masquerade_all
        )
        self.relay = config.relay_endpoint()
        self.nft = nft or Nft(config.namespace)
        self.conntrack = conntrack or ConntrackCleaner(config.namespace)
        self.informers = SharedInformerFactory(client, clock=self.clock)
        self.services: SharedInformer = self.informers.informer(SERVICES)
        self.slices: SharedInformer = self.informers.informer(
            ENDPOINTSLICES, label_selector=LABEL_SERVICE_NAME
        )
        self.slices.add_indexers({SERVICE_INDEX: _service_index})
        self.nodes: SharedInformer = self.informers.informer(
            NODES, field_selector=f"metadata.name={self.node}"
        )
        self.services.add_event_handler(
            EventHandlerFuncs(
                add=self._service_added, update=self._service_updated, delete=self._service_deleted
            )
        )
        self.slices.add_event_handler(
            EventHandlerFuncs(add=self._slice_added, update=self._slice_updated, delete=self._slice_deleted)
        )
        self.nodes.add_event_handler(
            EventHandlerFuncs(
                add=lambda *_: self._poke(), update=lambda *_: self._poke(), delete=lambda _: self._poke()
            )
        )
        self._dirty: set[str] = set()
        self._full = True
        self._elements_dirty = False
        self._wake = asyncio.Event()
        self._applied: dict[str, Fragment] = {}
        self._applied_elements: Elements = {}
        self._udp_ports: dict[str, tuple[ServicePort, ...]] = {}  # Service -> its UDP ports as applied
        self._frontends: Frontends = {}  # UDP frontends as of the last conntrack clean-up
        self._retired: set[Address] = set()  # frontends gone but not yet cleaned (a failure)
        self._conntrack_retry = False  # the last clean-up failed
        self.applied_slice_versions: dict[str, str] = {}  # slice key -> resourceVersion in the rules
        self._service_slices: dict[str, set[str]] = {}
        self._last_sync = -1e9
        self._changed = asyncio.Condition()
        self.listeners: list[Callable[[SyncRecord], None]] = []
        self.syncs = 0
        self.full_syncs = 0
        self.failures = 0
        self.last_sync_seconds = 0.0
        self.ready = asyncio.Event()  # set after the first successful sync
        self._namespace: tuple[int, int] | None = None  # identity of the namespace last programmed

    # informer handlers: mark and wake, nothing else

    def _mark(self, key: str | None) -> None:
        if key:
            self._dirty.add(key)
            self._wake.set()

    def _poke(self) -> None:
        # node addresses changed: node port addresses, and the relay address of `kubernetes`
        self._elements_dirty = True
        self._dirty.add(API_SERVER_SERVICE)
        self._wake.set()

    def _service_added(self, obj: Obj, _initial: bool) -> None:
        self._mark(object_key(obj))

    def _service_updated(self, old: Obj, new: Obj) -> None:
        if _meta(old).get("resourceVersion") != _meta(new).get("resourceVersion"):
            self._mark(object_key(new))

    def _service_deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self._mark(object_key(obj))

    def _slice_added(self, obj: Obj, _initial: bool) -> None:
        self._mark(slice_service_key(obj))

    def _slice_updated(self, old: Obj, new: Obj) -> None:
        if _meta(old).get("resourceVersion") != _meta(new).get("resourceVersion"):
            self._mark(slice_service_key(old))
            self._mark(slice_service_key(new))

    def _slice_deleted(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        self._mark(slice_service_key(obj.obj if isinstance(obj, DeletedFinalStateUnknown) else obj))

    # state

    def node_ips(self) -> list[str]:
        """The addresses node ports answer on: configured, else the Node's."""
        if self.config.nodeport_addresses:
            return list(self.config.nodeport_addresses)
        node = self.nodes.lister.get(self.node)
        addresses = ((node or {}).get("status") or {}).get("addresses") or []
        return [
            str(a.get("address"))
            for a in addresses
            if a.get("type") in NODE_ADDRESS_TYPES and a.get("address")
        ]

    def node_internal_ip(self) -> str:
        node = self.nodes.lister.get(self.node)
        addresses = ((node or {}).get("status") or {}).get("addresses") or []
        return next(
            (str(a["address"]) for a in addresses if a.get("type") == "InternalIP" and a.get("address")), ""
        )

    def render(self, key: str) -> Fragment | None:
        """The fragment of one Service from the caches (None: nothing to program)."""
        fragment = render_service(self.ports(key), self.options)
        return fragment if (fragment.chains or fragment.elements) else None

    def ports(self, key: str) -> list[ServicePort]:
        """The proxied ports of one Service, with their endpoints, from the caches."""
        service = self.services.lister.get_by_key(key)
        if service is None:
            return []
        override, loopback_to = None, ""
        if key == API_SERVER_SERVICE:
            # the API server names its loopback address: pods reach it through the relay the
            # node agent runs on the node address, same port (pyk8s/network/relay.py)
            override, loopback_to = self.relay, self.node_internal_ip()
        slices = self.slices.lister.by_index(SERVICE_INDEX, key)
        return service_ports(service, slices, self.node, override=override, loopback_to=loopback_to)

    def _slice_versions(self, keys: set[str]) -> dict[str, dict[str, str]]:
        """Per Service, the resourceVersions of its slices as rendered now."""
        return {
            key: {
                object_key(s): str(_meta(s).get("resourceVersion", ""))
                for s in self.slices.lister.by_index(SERVICE_INDEX, key)
            }
            for key in keys
        }

    # syncing

    async def sync(self) -> SyncRecord:
        """Apply what changed (everything on a full sync) in one transaction."""
        started = time.perf_counter()
        full = self._full
        dirty, self._dirty = self._dirty, set()
        self._elements_dirty = False
        if full:
            dirty |= {object_key(s) for s in self.services.lister.list()} | set(self._applied)
            fragments: dict[str, Fragment] = {}
        else:
            fragments = dict(self._applied)
        udp_ports = dict(self._udp_ports)
        for key in dirty:
            ports = self.ports(key)
            fragment = render_service(ports, self.options)
            if fragment.chains or fragment.elements:
                fragments[key] = fragment
            else:
                fragments.pop(key, None)
            udp = tuple(p for p in ports if p.protocol == "UDP")
            if udp:
                udp_ports[key] = udp
            else:
                udp_ports.pop(key, None)
        elements = merge_elements(fragments, base_elements(self.node_ips()))
        if full:
            lines = full_transaction(self.options, fragments, elements)
        else:
            lines = transaction(
                self.options, self._applied, fragments, dirty, self._applied_elements, elements
            )
        versions = self._slice_versions(dirty)
        namespace = self.nft.namespace_id()
        try:
            await self.nft.apply(lines)
        except BaseException:
            self._dirty |= dirty
            self._full = True  # start over from a clean table
            raise
        for key, slices in versions.items():
            for old in self._service_slices.pop(key, set()):
                self.applied_slice_versions.pop(old, None)
            if slices:
                self._service_slices[key] = set(slices)
                self.applied_slice_versions.update(slices)
        self._applied, self._applied_elements, self._full = fragments, elements, False
        self._udp_ports = udp_ports
        self._namespace = namespace
        await self._clean_conntrack(full)
        self.syncs += 1
        self.full_syncs += int(full)
        self.last_sync_seconds = time.perf_counter() - started
        self._last_sync = self.clock.monotonic()
        flat = {k: v for slices in versions.values() for k, v in slices.items()}
        record = SyncRecord(full, frozenset(dirty), flat, len(lines), self.last_sync_seconds)
        if full or lines:
            log.debug("proxy sync: %d services, %d commands, %.3f s", len(dirty), len(lines), record.seconds)
        for listener in list(self.listeners):
            listener(record)
        async with self._changed:
            self._changed.notify_all()
        self.ready.set()
        return record

    async def _clean_conntrack(self, full: bool) -> None:
        """Delete UDP conntrack entries the rules just applied no longer lead to.

        Skipped when every frontend only gained endpoints, having had some before (a
        scale-up: nothing can be stale), because a dump walks the kernel's whole conntrack
        hash, shared by every namespace (tens of ms here). Anything else runs it: an
        endpoint gone, a frontend new, emptied, refilled or gone (as kube-proxy, entries made
        while a Service had no rules or no endpoints are not trusted), a full sync (whatever
        an earlier run left) or a failed clean-up, retried after the next sync."""
        frontends = udp_frontends((p for ports in self._udp_ports.values() for p in ports), self.node_ips())
        retired = self._retired | (set(self._frontends) - set(frontends))
        changed = [
            (self._frontends.get(f), now) for f, now in frontends.items() if self._frontends.get(f) != now
        ]
        grew_only = all(before and before <= now for before, now in changed)
        if not (full or retired or self._conntrack_retry or not grew_only):
            self._frontends = frontends
            return
        try:
            deleted = await self.conntrack.clean(frontends, retired)
        except (ConntrackError, NetnsError, OSError) as err:
            self._frontends, self._retired, self._conntrack_retry = frontends, retired, True
            log.warning("could not delete stale UDP conntrack entries (next sync retries): %s", err)
            return
        self._frontends, self._retired, self._conntrack_retry = frontends, set(), False
        if deleted:
            log.debug("deleted %d stale UDP conntrack entries", deleted)

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Wait (on the clock) until `predicate()` holds after a sync; False on timeout."""

        async def waiting() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        try:
            await asyncio.wait_for(waiting(), timeout)
        except TimeoutError:
            return False
        return True

    def _pending(self) -> bool:
        return self._full or bool(self._dirty) or self._elements_dirty

    async def run(self, stop: asyncio.Event) -> None:
        """Sync until `stop` is set; then remove the table (if configured)."""
        self.informers.start()
        try:
            synced = asyncio.gather(*(i.wait_for_sync() for i in self.informers.informers))
            stopping = asyncio.ensure_future(stop.wait())
            try:
                await asyncio.wait({synced, stopping}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stopping.cancel()
                if not synced.done():
                    synced.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await synced
            retry = 0.0
            while not stop.is_set():
                if not self._pending():
                    self._wake.clear()
                    if not self._pending():
                        await _wait_either(self.clock, stop, self._wake, NAMESPACE_CHECK)
                    if self.nft.namespace_id() != self._namespace:
                        log.info(
                            "network namespace %s was replaced: programming it again", self.config.namespace
                        )
                        self._full = True
                    continue
                delay = self._last_sync + self.config.min_sync_period - self.clock.monotonic()
                if delay > 0 and await wait_event(self.clock, stop, delay):
                    break
                try:
                    await self.sync()
                    retry = 0.0
                except NftError as err:
                    self.failures += 1
                    retry = min(max(retry * 2, RETRY_MIN), RETRY_MAX)
                    log.warning("proxy sync failed (retrying in %.1f s with a full sync): %s", retry, err)
                    if await wait_event(self.clock, stop, retry):
                        break
        finally:
            await self.informers.shutdown()
            if self.config.cleanup_on_exit:
                await self.cleanup()

    async def cleanup(self) -> None:
        """Remove the table (nothing happens if it or the namespace is already gone)."""
        if not self.nft.namespace_exists():
            return
        try:
            await self.nft.apply(delete_table_commands(self.config.table))
        except NftError as err:
            log.warning("could not remove nftables table %s: %s", self.config.table, err)
        self._applied, self._applied_elements, self._full = {}, {}, True

    def programmed(self, key: str) -> Fragment | None:
        """What is in the kernel for the Service `key` (None: nothing)."""
        return self._applied.get(key)

    def metrics(self) -> dict[str, Any]:
        return {
            "syncs": self.syncs,
            "full_syncs": self.full_syncs,
            "failures": self.failures,
            "last_sync_seconds": self.last_sync_seconds,
            "services": len(self._applied),
            "pending": len(self._dirty),
            "conntrack_deleted": self.conntrack.deleted,
        }


async def _wait_either(clock: Clock, a: asyncio.Event, b: asyncio.Event, timeout: float | None) -> None:
    """Until either event is set (or `timeout` seconds on the clock pass)."""
    waiters = {asyncio.ensure_future(a.wait()), asyncio.ensure_future(b.wait())}
    if timeout is not None:
        waiters.add(asyncio.ensure_future(clock.sleep(timeout)))
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
