"""The controller-manager process: every enabled controller, while this process leads.

    run_controller_manager(config, stop)
      client (kubeconfig) ──► leader election on Lease kube-system/kube-controller-manager
        while leading:  build the enabled controllers (they register informers and handlers)
                        -> start the shared informers -> wait for their caches
                        -> run every controller
        stop set:       stop the controllers (in-flight reconciles finish), stop the
                        informers, flush events, release the Lease -> return
        lease lost:     stop everything the same way -> raise LeaderElectionLostError
                        (kube-controller-manager exits; the supervisor restarts it)

The API server reports the controller manager healthy in ComponentStatus while that Lease
is fresh. Without leader election (`leader_elect=False`) the controllers simply run until
`stop` is set.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.client.events import EventBroadcaster
from pyk8s.client.informers import SharedInformerFactory
from pyk8s.client.kubeconfig import ClientConfig, load_kubeconfig
from pyk8s.client.leaderelection import LeaderElectionConfig, LeaderElector
from pyk8s.client.rest import Client
from pyk8s.client.timing import cancel_and_wait
from pyk8s.controllers.endpointslice.slices import MAX_ENDPOINTS_PER_SLICE
from pyk8s.controllers.endpointslicemirroring.mirror import MAX_ENDPOINTS_PER_SUBSET
from pyk8s.controllers.known import known_controllers
from pyk8s.controllers.nodelifecycle.controller import NODE_MONITOR_GRACE_PERIOD, NODE_STARTUP_GRACE_PERIOD
from pyk8s.controllers.podgc.selection import DEFAULT_TERMINATED_POD_THRESHOLD
from pyk8s.controllers.runtime.context import DEFAULT_WORKERS, ControllerContext, ControllerOptions
from pyk8s.controllers.runtime.registry import ControllerRegistry, Runnable

log = logging.getLogger("pyk8s.controller-manager")

LEASE_NAME = "kube-controller-manager"
LEASE_NAMESPACE = "kube-system"
COMPONENT = "kube-controller-manager"
MIN_RESYNC_PERIOD = 12 * 3600.0  # kube-controller-manager's --min-resync-period


class LeaderElectionLostError(Exception):
    """The Lease was lost: this process must stop managing (and normally exit)."""


@dataclass(frozen=True)
class ManagerOptions(ControllerOptions):
    """`ControllerOptions` plus the kube-controller-manager flags particular controllers read.

    Those controllers look each one up by name (`getattr(ctx.options, name, default)`), so a
    plain `ControllerOptions` (tests, embedding) keeps their defaults. Empty or zero means
    "the controller's own default" where the controller has one (cluster CIDR, masks).
    """

    cluster_cidr: str = ""  # --cluster-cidr (nodeipam; comma list for dual-stack)
    service_cluster_ip_range: str = ""  # --service-cluster-ip-range
    node_cidr_mask_size_ipv4: int = 0  # --node-cidr-mask-size(-ipv4) (nodeipam)
    node_cidr_mask_size_ipv6: int = 0  # --node-cidr-mask-size(-ipv6) (nodeipam)
    node_monitor_grace_period: float = NODE_MONITOR_GRACE_PERIOD  # nodelifecycle
    node_startup_grace_period: float = NODE_STARTUP_GRACE_PERIOD  # nodelifecycle
    terminated_pod_gc_threshold: int = DEFAULT_TERMINATED_POD_THRESHOLD  # podgc
    max_endpoints_per_slice: int = MAX_ENDPOINTS_PER_SLICE  # endpointslice
    mirroring_max_endpoints_per_subset: int = MAX_ENDPOINTS_PER_SUBSET  # endpointslicemirroring


@dataclass
class ControllerManagerConfig:
    """How to run the controller manager (`options.py` builds one from the command line)."""

    kubeconfig: Path | None = None  # default: $KUBECONFIG or ~/.kube/config
    client_config: ClientConfig | None = None  # instead of a kubeconfig (in-process use)
    controllers: Sequence[str] = ("*",)
    leader_elect: bool = True
    lease_name: str = LEASE_NAME
    lease_namespace: str = LEASE_NAMESPACE
    lease_duration: float = 15.0
    renew_deadline: float = 10.0
    retry_period: float = 2.0
    identity: str = ""
    workers: int = DEFAULT_WORKERS
    workers_by_controller: dict[str, int] = field(default_factory=dict)
    min_resync_period: float = MIN_RESYNC_PERIOD
    qps: float = 500.0
    burst: int = 1000
    clock: Clock | None = None
    cluster_cidr: str = ""
    service_cluster_ip_range: str = ""
    node_cidr_mask_size_ipv4: int = 0
    node_cidr_mask_size_ipv6: int = 0
    node_monitor_grace_period: float = NODE_MONITOR_GRACE_PERIOD
    node_startup_grace_period: float = NODE_STARTUP_GRACE_PERIOD
    terminated_pod_gc_threshold: int = DEFAULT_TERMINATED_POD_THRESHOLD
    max_endpoints_per_slice: int = MAX_ENDPOINTS_PER_SLICE
    mirroring_max_endpoints_per_subset: int = MAX_ENDPOINTS_PER_SUBSET

    def controller_options(self) -> ManagerOptions:
        """The options every controller of this process is built with."""
        return ManagerOptions(
            workers=self.workers,
            workers_by_controller=dict(self.workers_by_controller),
            cluster_cidr=self.cluster_cidr,
            service_cluster_ip_range=self.service_cluster_ip_range,
            node_cidr_mask_size_ipv4=self.node_cidr_mask_size_ipv4,
            node_cidr_mask_size_ipv6=self.node_cidr_mask_size_ipv6,
            node_monitor_grace_period=self.node_monitor_grace_period,
            node_startup_grace_period=self.node_startup_grace_period,
            terminated_pod_gc_threshold=self.terminated_pod_gc_threshold,
            max_endpoints_per_slice=self.max_endpoints_per_slice,
            mirroring_max_endpoints_per_subset=self.mirroring_max_endpoints_per_subset,
        )


class ControllerManager:
    """One controller-manager process; `run(stop)` until stopped or leadership is lost."""

    def __init__(
        self, config: ControllerManagerConfig, *, registry: ControllerRegistry | None = None
    ) -> None:
        self.config = config
        self.registry = registry or known_controllers()
        self.descriptors = self.registry.select(config.controllers)  # unknown names fail here
        self.clock = config.clock or RealClock()
        self.controllers: dict[str, Runnable] = {}
        self.context: ControllerContext | None = None
        self.leading = asyncio.Event()  # set while the controllers run
        self.elector: LeaderElector | None = None

    def _client(self) -> Client:
        client_config = self.config.client_config or load_kubeconfig(self.config.kubeconfig)
        # 64 connections: its bursts (500 creates) gain nothing from more, and each new
        # connection is a TLS handshake on both ends (measured: 3.1% of its CPU at 128, 0.5% at 64)
        return Client(
            client_config,
            component=COMPONENT,
            qps=self.config.qps,
            burst=self.config.burst,
            clock=self.clock,
            max_connections=64,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Manage until `stop` is set (returns) or the Lease is lost (raises)."""
        async with self._client() as client:
            if not self.config.leader_elect:
                await _until(stop, self.run_controllers(client))
                return
            await self._run_elected(client, stop)

    async def _run_elected(self, client: Client, stop: asyncio.Event) -> None:
        crashed: list[BaseException] = []
        halt = asyncio.Event()

        async def lead() -> None:
            try:
                await self.run_controllers(client)
            except Exception as err:  # a leader that manages nothing must not keep the Lease
                crashed.append(err)
                halt.set()
                raise

        self.elector = LeaderElector(
            client,
            LeaderElectionConfig(
                name=self.config.lease_name,
                namespace=self.config.lease_namespace,
                identity=self.config.identity,
                lease_duration=self.config.lease_duration,
                renew_deadline=self.config.renew_deadline,
                retry_period=self.config.retry_period,
            ),
            on_started_leading=lead,
            on_new_leader=lambda holder: log.info("the leader is now %s", holder),
            clock=self.clock,
        )
        log.info("%s campaigning for lease %s/%s", self.elector.identity, *self._lease)
        stopper = asyncio.ensure_future(stop.wait())
        halter = asyncio.ensure_future(halt.wait())
        elector = asyncio.ensure_future(self.elector.run())
        try:
            await asyncio.wait((stopper, halter, elector), return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
            halter.cancel()
            lost = elector.done()
            await cancel_and_wait(elector)  # releases the Lease when stopped while leading
        if crashed:
            raise crashed[0]
        if lost:
            elector.result()  # its own failure, if any
            raise LeaderElectionLostError(f"leader election lost: lease {'/'.join(self._lease)}")

    @property
    def _lease(self) -> tuple[str, str]:
        return self.config.lease_namespace, self.config.lease_name

    async def run_controllers(self, client: Client) -> None:
        """Build, sync and run the enabled controllers until cancelled; then stop them all."""
        ctx = ControllerContext(
            client=client,
            informers=SharedInformerFactory(client, resync_period=self._resync_period(), clock=self.clock),
            events=EventBroadcaster(client, clock=self.clock),
            clock=self.clock,
            options=self.config.controller_options(),
        )
        self.context = ctx
        tasks: list[asyncio.Task[None]] = []
        try:
            self.controllers = {d.name: d.factory(ctx) for d in self.descriptors}
            ctx.informers.start()
            await ctx.informers.wait_for_sync()
            log.info("caches synced; starting controllers: %s", ", ".join(self.controllers) or "none")
            tasks = [
                asyncio.create_task(_guard(name, controller.run()), name=f"controller {name}")
                for name, controller in self.controllers.items()
            ]
            self.leading.set()
            await asyncio.Event().wait()  # until cancelled
        finally:
            self.leading.clear()
            await asyncio.gather(*(cancel_and_wait(t) for t in tasks))
            await ctx.informers.shutdown()
            await ctx.events.stop()
            log.info("controllers stopped")

    def _resync_period(self) -> float:
        """min_resync_period x [1, 2), so informers of different processes do not resync together."""
        period = self.config.min_resync_period
        return period * (1 + random.random()) if period > 0 else 0.0

    def metrics(self) -> dict[str, dict[str, Any]]:
        """Each running controller's queue and reconcile counters."""
        return {
            name: controller.metrics() if hasattr(controller, "metrics") else {}
            for name, controller in self.controllers.items()
        }

    def is_idle(self) -> bool:
        """Every controller has nothing queued, in flight or waiting (a settle barrier)."""
        return all(getattr(c, "is_idle", lambda: True)() for c in self.controllers.values())


async def _guard(name: str, work: Any) -> None:
    """Run one controller; a crash is logged and does not take the others down."""
    try:
        await work
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("controller %s crashed", name)


async def _until(stop: asyncio.Event, work: Any) -> bool:
    """Run `work` until it finishes (True) or `stop` is set (it is cancelled; False)."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((task, stopper), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not task.done():
            await cancel_and_wait(task)
    if task.cancelled():
        return False
    task.result()  # re-raise its failure
    return True


async def run_controller_manager(config: ControllerManagerConfig, stop: asyncio.Event) -> None:
    """The entry point for `pyk8s controller-manager` and for `pyk8s up` in-process: manage
    until `stop` is set; raises `LeaderElectionLostError` if the Lease is lost."""
    await ControllerManager(config).run(stop)
