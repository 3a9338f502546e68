"""`SimulatedFleet`: any number of simulated nodes served by one process.

What a kubelet does for its node, done for all of them at once and cheaply:

    node informer (all nodes) ──► uids, podCIDRs, addresses in use, deleted nodes
    pod informer (spec.nodeName!="") ──► pods bound to our nodes ──► KeyQueue ──► workers
          (also every bound pod's IP, so addresses stay unique)         ▲     plan() + one write
    TimerQueue (one task) ── start delays, exits, grace periods ────────┘
    Periodic (one task each) ── Lease renewals every 10 s, status reports every 5 min,
                                batched and spread over the interval

Nothing here sleeps per node or per pod: idle simulated nodes cost one wake-up per Lease
batch. A node's Node object is created at start (or, when it exists, its labels and status
are brought up to date: a restart resumes, keeping addresses and running pods). A Node
deleted by someone else is not registered again until the process restarts, as with a
kubelet; its Lease stops being renewed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError, StatusError
from pyk8s.client import Client, ClientError
from pyk8s.client.flowcontrol import Backoff
from pyk8s.client.informers import (
    DeletedFinalStateUnknown,
    EventHandlerFuncs,
    SharedInformerFactory,
    object_key,
)
from pyk8s.client.resources import LEASES, NODES, PODS
from pyk8s.node.config import NODE_LEASE_NAMESPACE, NodeConfig
from pyk8s.node.heartbeat import Periodic, lease_spec, node_lease
from pyk8s.node.simulated import objects
from pyk8s.node.simulated.ipam import (
    FAKE_NODE_NETWORK,
    FAKE_POD_NETWORK,
    AddressBook,
    AddressExhaustedError,
    pod_network,
)
from pyk8s.node.simulated.lifecycle import PodRecord, Timing, plan
from pyk8s.node.simulated.podstatus import TERMINAL_PHASES, Placement
from pyk8s.node.timers import TimerQueue
from pyk8s.node.workqueue import KeyQueue

log = logging.getLogger("pyk8s.node")

Obj = dict[str, Any]
WorkKey = tuple[str, str]  # ("pod", "ns/name") or ("node", name)
NODE_NAME_INDEX = "spec.nodeName"
BOUND_PODS = "spec.nodeName!="
RETRY_MAX_SECONDS = 30.0
VERBOSE_NODE_LIMIT = 20  # per-node log lines up to this many nodes, one summary beyond


@dataclass(slots=True)
class NodeState:
    """One simulated node as this process knows it."""

    name: str
    identity: objects.NodeIdentity | None = None
    uid: str = ""
    pod_cidr: str = ""
    registered: bool = False
    gone: bool = False

    @property
    def serving(self) -> bool:
        return self.registered and not self.gone


@dataclass(slots=True)
class FleetCounters:
    """What the fleet has done, for logs, tests and benchmarks."""

    pod_status_writes: int = 0
    pod_deletes: int = 0
    lease_renewals: int = 0
    node_status_writes: int = 0
    conflicts: int = 0
    failures: int = 0
    retries: dict[WorkKey, int] = field(default_factory=dict)


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def _node_name_index(pod: Obj) -> list[str]:
    return [(pod.get("spec") or {}).get("nodeName") or ""]


class SimulatedFleet:
    """The simulated nodes named by `config`, run by `run()` until cancelled."""

    def __init__(self, client: Client, config: NodeConfig, *, clock: Clock) -> None:
        self.client = client
        self.config = config
        self.clock = clock
        self.nodes = {name: NodeState(name) for name in config.node_names()}
        self.factory = SharedInformerFactory(client, clock=clock)
        self.pods = self.factory.informer(PODS, field_selector=BOUND_PODS)
        self.pods.add_indexers({NODE_NAME_INDEX: _node_name_index})
        self.node_informer = self.factory.informer(NODES)
        self.queue: KeyQueue[WorkKey] = KeyQueue()
        self.timers: TimerQueue[WorkKey] = TimerQueue(clock, self.queue.add)
        self.records: dict[str, PodRecord] = {}
        self.pod_addresses = AddressBook()
        self.node_addresses = AddressBook()
        self.timing = Timing(config.pod_start_delay_seconds, config.max_shutdown_delay_seconds)
        self.counters = FleetCounters()
        self.registered = asyncio.Event()
        self.kubelet_version = "v0.0.0"

    # running

    async def run(self) -> None:
        self.pods.add_event_handler(
            EventHandlerFuncs(
                add=lambda pod, _initial: self._pod_changed(pod),
                update=lambda _old, pod: self._pod_changed(pod),
                delete=self._pod_deleted,
            )
        )
        self.node_informer.add_event_handler(
            EventHandlerFuncs(
                add=lambda node, _initial: self._node_changed(node),
                update=lambda _old, node: self._node_changed(node),
                delete=self._node_deleted,
            )
        )
        try:
            self.factory.start()
            await self.factory.wait_for_sync()
            self.kubelet_version = await self._server_version()
            async with asyncio.TaskGroup() as tg:
                tg.create_task(self.timers.run(), name="pod timers")
                for i in range(self.config.workers):
                    tg.create_task(self._worker(), name=f"pod worker {i}")
                await self._register_all()
                tg.create_task(self._lease_loop().run(), name="node leases")
                tg.create_task(self._status_loop().run(), name="node status reports")
        finally:
            await self.factory.shutdown()

    def _lease_loop(self) -> Periodic:
        return Periodic(
            clock=self.clock,
            interval=self.config.lease_renew_interval_seconds,
            members=self._serving,
            action=self.renew_lease,
            name="node leases",
        )

    def _status_loop(self) -> Periodic:
        return Periodic(
            clock=self.clock,
            interval=self.config.node_status_report_seconds,
            members=self._serving,
            action=self.report_node_status,
            name="node status reports",
        )

    def _serving(self) -> list[str]:
        return [name for name, state in self.nodes.items() if state.serving]

    async def _server_version(self) -> str:
        """The version the nodes report: the API server's, as kwok's nodes do."""
        try:
            version = await self.client.version()
        except (StatusError, ClientError) as err:
            log.warning("could not read the server version (%s); nodes report %s", err, self.kubelet_version)
            return self.kubelet_version
        return str(version.get("gitVersion") or self.kubelet_version).split("+", 1)[0]

    # registration

    async def _register_all(self) -> None:
        started = self.clock.monotonic()
        limit = asyncio.Semaphore(self.config.register_concurrency)

        async def register(name: str) -> None:
            async with limit:
                await self._register(name)

        await asyncio.gather(*(register(name) for name in self.nodes))
        names = list(self.nodes)
        if len(names) > VERBOSE_NODE_LIMIT:
            log.info(
                "registered %d simulated nodes (%s .. %s) in %.1f s",
                len(names),
                names[0],
                names[-1],
                self.clock.monotonic() - started,
            )
        self.registered.set()

    async def _register(self, name: str) -> None:
        """Create the Node (or bring an existing one up to date) and its Lease; retried
        with backoff until it works, as a kubelet retries registration."""
        backoff = Backoff(initial=0.5, maximum=RETRY_MAX_SECONDS, jitter=0.5, clock=self.clock)
        while True:
            try:
                await self._register_once(name)
                return
            except (StatusError, ClientError) as err:
                delay = backoff.next()
                log.warning("node %s: registration failed (%s); retrying in %.1f s", name, err, delay)
                await self.clock.sleep(delay)

    async def _register_once(self, name: str) -> None:
        state = self.nodes[name]
        existing = self.node_informer.indexer.get(name)
        address = objects.internal_ip(existing) if existing else ""
        if address:
            self.node_addresses.observe(name, address)
        else:
            address = self.node_addresses.allocate(name, FAKE_NODE_NETWORK, seed=name)
        identity = objects.NodeIdentity.new(name, address, kubelet_version=self.kubelet_version)
        now = self.clock.now()
        if existing is None:
            node = objects.node_object(
                identity,
                capacity=self.config.capacity,
                labels=self.config.labels,
                taints=self.config.taints,
                now=now,
            )
            try:
                created = await self.client.create(NODES, node)
                action = "registered"
            except AlreadyExistsError:
                existing = await self.client.get(NODES, name)
        if existing is not None:
            created = await self._reregister(identity, existing, now)
            action = "registered again"
        state.identity, state.uid = identity, str(_meta(created).get("uid") or "")
        state.pod_cidr = objects.pod_cidr(created)
        state.registered, state.gone = True, False
        await self.renew_lease(name)
        if len(self.nodes) <= VERBOSE_NODE_LIMIT:
            log.info("node %s %s (simulated, InternalIP %s)", name, action, address)
        for key in self.pods.indexer.index_keys(NODE_NAME_INDEX, name):
            self.queue.add(("pod", key))

    async def _reregister(self, identity: objects.NodeIdentity, existing: Obj, now: float) -> Obj:
        """The node exists (a restart): add missing labels, rewrite the status."""
        name = identity.name
        labels = objects.node_labels(name, self.config.labels)
        current = _meta(existing).get("labels") or {}
        if any(current.get(k) != v for k, v in labels.items()):
            await self.client.patch(NODES, name, {"metadata": {"labels": labels}})
        status = objects.node_status(identity, capacity=self.config.capacity, now=now, previous=existing)
        return await self.client.patch_status(NODES, name, {"status": status})

    # heartbeats

    async def renew_lease(self, name: str) -> bool:
        """Renew (or create) the node's Lease; False if the API server could not be told."""
        state = self.nodes[name]
        if not state.serving:
            return True
        now = self.clock.now()
        duration = self.config.lease_duration_seconds
        try:
            try:
                await self.client.patch(
                    LEASES,
                    name,
                    {"spec": lease_spec(name, now=now, duration_seconds=duration)},
                    namespace=NODE_LEASE_NAMESPACE,
                )
            except NotFoundError:
                lease = node_lease(
                    name,
                    node_uid=state.uid,
                    now=now,
                    duration_seconds=duration,
                    namespace=NODE_LEASE_NAMESPACE,
                )
                with contextlib.suppress(AlreadyExistsError):
                    await self.client.create(LEASES, lease)
        except (StatusError, ClientError) as err:
            log.debug("node %s: lease renewal failed: %s", name, err)
            return False
        self.counters.lease_renewals += 1
        return True

    async def report_node_status(self, name: str) -> bool:
        """Write the node's conditions with a fresh heartbeat time."""
        state = self.nodes[name]
        if not state.serving:
            return True
        cached = self.node_informer.indexer.get(name)
        conditions = objects.node_conditions(self.clock.now(), cached)
        try:
            await self.client.patch_status(NODES, name, {"status": {"conditions": conditions}})
        except NotFoundError:
            return True  # deleted: the informer says so and the node stops
        except (StatusError, ClientError) as err:
            log.debug("node %s: status report failed: %s", name, err)
            return False
        self.counters.node_status_writes += 1
        return True

    # informer handlers (synchronous: they only record and enqueue)

    def _pod_changed(self, pod: Obj) -> None:
        key = object_key(pod)
        spec, status = pod.get("spec") or {}, pod.get("status") or {}
        if status.get("phase") in TERMINAL_PHASES:
            self.pod_addresses.release(key)  # a finished pod's address is free again
        elif status.get("podIP") and not spec.get("hostNetwork"):
            self.pod_addresses.observe(key, status["podIP"])
        if spec.get("nodeName") in self.nodes:
            self.queue.add(("pod", key))

    def _pod_deleted(self, pod: Obj | DeletedFinalStateUnknown) -> None:
        key = object_key(pod)
        self.pod_addresses.release(key)
        self.records.pop(key, None)
        self.timers.cancel(("pod", key))
        self.counters.retries.pop(("pod", key), None)

    def _node_changed(self, node: Obj) -> None:
        name = str(_meta(node).get("name") or "")
        address = objects.internal_ip(node)
        if address:
            self.node_addresses.observe(name, address)
        network = pod_network(objects.pod_cidr(node))
        self.pod_addresses.reserve(name, None if network == FAKE_POD_NETWORK else network)
        state = self.nodes.get(name)
        if state is None:
            return
        state.uid = str(_meta(node).get("uid") or state.uid)
        state.pod_cidr = objects.pod_cidr(node)
        if state.serving and not objects.is_ready(node):
            # Someone else marked it not ready (a node lifecycle controller): report at once.
            self.queue.add(("node", name))

    def _node_deleted(self, node: Obj | DeletedFinalStateUnknown) -> None:
        name = object_key(node)
        self.pod_addresses.reserve(name, None)
        state = self.nodes.get(name)
        if state is None or not state.serving:
            self.node_addresses.release(name)
            return
        state.gone = True
        log.warning("node %s was deleted: it stops heartbeating until this process restarts", name)

    # workers

    async def _worker(self) -> None:
        while True:
            key = await self.queue.get()
            try:
                if key[0] == "pod":
                    await self.sync_pod(key[1])
                else:
                    await self.report_node_status(key[1])
                self.counters.retries.pop(key, None)
            except (StatusError, ClientError, AddressExhaustedError) as err:
                self._retry_later(key, err)
            except Exception as err:  # a bug must not stop the worker: log it and retry
                log.exception("%s %s: unexpected failure", *key)
                self._retry_later(key, err)
            finally:
                self.queue.done(key)

    def _retry_later(self, key: WorkKey, err: BaseException) -> None:
        self.counters.failures += 1
        attempts = self.counters.retries.get(key, 0) + 1
        self.counters.retries[key] = attempts
        delay = min(RETRY_MAX_SECONDS, 0.5 * 2 ** (attempts - 1))
        log.warning("%s %s: %s; retrying in %.1f s", key[0], key[1], err, delay)
        self.timers.schedule(key, self.clock.monotonic() + delay)

    async def sync_pod(self, key: str) -> None:
        """Bring one pod one step closer to what its node would have made of it."""
        pod = self.pods.indexer.get(key)
        if pod is None:
            self.records.pop(key, None)
            return
        meta = _meta(pod)
        state = self.nodes.get((pod.get("spec") or {}).get("nodeName") or "")
        if state is None or not state.serving or state.identity is None:
            return
        mono = self.clock.monotonic()
        uid = str(meta.get("uid") or "")
        record = self.records.get(key)
        if record is None or record.uid != uid:
            record = self.records[key] = PodRecord(uid, first_seen=mono)
        if meta.get("deletionTimestamp") and record.deletion_seen is None:
            record.deletion_seen = mono
        if (pod.get("status") or {}).get("phase") in TERMINAL_PHASES and not meta.get("deletionTimestamp"):
            return
        where = self._placement(key, pod, state)
        step = plan(pod, record, where, self.timing, now=self.clock.now(), mono=mono)
        if step.status is not None:
            await self._write_status(pod, step.status)
        elif step.delete:
            await self._delete(pod)
        if step.wake_at is not None:
            self.timers.schedule(("pod", key), step.wake_at)

    def _placement(self, key: str, pod: Obj, state: NodeState) -> Placement:
        assert state.identity is not None
        host_ip = state.identity.internal_ip
        if (pod.get("spec") or {}).get("hostNetwork"):
            return Placement(state.name, host_ip, host_ip)
        current = (pod.get("status") or {}).get("podIP") or ""
        if current:
            self.pod_addresses.observe(key, current)
            return Placement(state.name, host_ip, current)
        network = pod_network(state.pod_cidr)
        if network != FAKE_POD_NETWORK:
            try:
                return Placement(state.name, host_ip, self.pod_addresses.allocate(key, network, skip=2))
            except AddressExhaustedError:
                pass  # its podCIDR is full (shared with the fake range): any unique address will do
        address = self.pod_addresses.allocate(
            key, FAKE_POD_NETWORK, skip=2, seed=state.name, avoid_reserved=True
        )
        return Placement(state.name, host_ip, address)

    async def _write_status(self, pod: Obj, status: Obj) -> None:
        """A merge patch conditional on the version we decided from: on a conflict the newer
        version is already on its way through the watch, and the pod is looked at again."""
        meta = _meta(pod)
        patch = {"metadata": {"resourceVersion": meta.get("resourceVersion")}, "status": status}
        try:
            await self.client.patch_status(PODS, meta["name"], patch, namespace=meta["namespace"])
        except ConflictError:
            self.counters.conflicts += 1
            return
        except NotFoundError:
            return
        self.counters.pod_status_writes += 1
        phase = status.get("phase")
        if phase != (pod.get("status") or {}).get("phase"):
            log.info(
                "pod %s/%s %s on %s (%s)", meta["namespace"], meta["name"], phase, _node(pod), _detail(status)
            )

    async def _delete(self, pod: Obj) -> None:
        meta = _meta(pod)
        try:
            await self.client.delete(
                PODS,
                meta["name"],
                namespace=meta["namespace"],
                grace_period_seconds=0,
                preconditions={"uid": str(meta.get("uid") or "")},
            )
        except (NotFoundError, ConflictError):
            return
        self.counters.pod_deletes += 1
        log.info("pod %s/%s removed from %s", meta["namespace"], meta["name"], _node(pod))


def _node(pod: Obj) -> str:
    return str((pod.get("spec") or {}).get("nodeName") or "")


def _detail(status: Obj) -> str:
    """What a log line says about a new status: the address, or how the containers ended."""
    codes = [
        str(((cs.get("state") or {}).get("terminated") or {}).get("exitCode"))
        for cs in status.get("containerStatuses") or []
        if (cs.get("state") or {}).get("terminated")
    ]
    return f"exit code {', '.join(codes)}" if codes else f"IP {status.get('podIP', '')}"
