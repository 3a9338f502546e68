"""`run_scheduler`: the scheduler as a component, with its informers and leader election.

    client ─► informers (always running, so a standby has warm caches)
           ─► leader election on Lease kube-system/kube-scheduler
                 └─ leading: Scheduler.run() ... until stopped or the Lease is lost
                    (then campaign again; in-flight bindings are cancelled and requeued)

The API server reports the scheduler Healthy in ComponentStatus while that Lease is fresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from pyk8s.client import Client, LeaderElectionConfig, LeaderElector
from pyk8s.client.informers import SharedInformerFactory
from pyk8s.scheduler import eventhandlers
from pyk8s.scheduler.config import SchedulerConfig
from pyk8s.scheduler.scheduler import Scheduler

log = logging.getLogger("pyk8s.scheduler")
COMPONENT = "scheduler"


def make_client(config: SchedulerConfig) -> tuple[Client, bool]:
    """The client to use, and whether the scheduler owns (and must close) it."""
    if isinstance(config.kubeconfig, Client):
        return config.kubeconfig, False
    path = str(config.kubeconfig) if isinstance(config.kubeconfig, Path | str) else None
    client = Client.from_kubeconfig(
        path, component=COMPONENT, qps=config.qps, burst=config.burst, clock=config.clock
    )
    return client, True


async def run_scheduler(config: SchedulerConfig, stop: asyncio.Event) -> None:
    """Run the scheduler until `stop` is set. `config.ready` is set once this instance
    leads with synced caches."""
    client, owned = make_client(config)
    scheduler = Scheduler(client, config)
    factory = SharedInformerFactory(client)
    eventhandlers.register(scheduler, factory)
    work: asyncio.Task[None] | None = None
    try:
        factory.start()
        await factory.wait_for_sync()
        log.info("caches synced: %s", scheduler.cache.metrics())
        work = asyncio.create_task(_lead(scheduler, config), name="scheduler")
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait((work, stopped), return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if work.done():
            work.result()  # a crash is the caller's to see
    finally:
        if work is not None and not work.done():
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await work
        log.info("stopping: %s", scheduler.metrics())
        log.debug("informers: %s", factory.metrics())
        await scheduler.aclose()
        await factory.shutdown()
        if owned:
            await client.aclose()


async def _lead(scheduler: Scheduler, config: SchedulerConfig) -> None:
    async def schedule() -> None:
        config.ready.set()
        try:
            await scheduler.run()
        finally:
            config.ready.clear()

    if not config.leader_elect:
        await schedule()
        return
    assert scheduler.client is not None
    election = LeaderElectionConfig(
        name=config.lease_name, namespace=config.lease_namespace, identity=config.identity
    )
    while True:
        elector = LeaderElector(
            scheduler.client, election, on_started_leading=schedule, clock=scheduler.clock
        )
        await elector.run()
        log.error("lost the lease %s/%s: campaigning again", config.lease_namespace, config.lease_name)
