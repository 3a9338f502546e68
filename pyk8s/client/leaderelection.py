"""Leader election on `coordination.k8s.io/v1` Leases, with client-go's semantics.

Candidates share one Lease (`kube-system/kube-controller-manager`, ...). A candidate
acquires it when nobody holds it, or when the holder has not renewed it for
`lease_duration` seconds *as observed locally* (the time this candidate saw the record
change, not the renewTime written by another machine's clock); the leader renews every
`retry_period` and gives up leading if it could not renew for `renew_deadline`. Writes are
conditional on the Lease's resourceVersion, so two candidates can never both win one
round. A leader stopping gracefully releases the Lease (empty holder, 1 s duration), so a
successor takes over at once instead of after `lease_duration`.

    acquire ──(won)──► on_started_leading() running ──(renew failed for renew_deadline)──►
        cancel it, on_stopped_leading(), run() returns
    cancelled while leading ──► cancel it, release the Lease, on_stopped_leading()

Timestamps are MicroTime (`2006-01-02T15:04:05.000000Z`); all waiting reads the clock.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError, StatusError
from pyk8s.api.meta import rfc3339_micro
from pyk8s.client.errors import ClientError
from pyk8s.client.resources import LEASES
from pyk8s.client.rest import Client
from pyk8s.client.timing import cancel_and_wait, within

log = logging.getLogger("pyk8s.client.leaderelection")

Obj = dict[str, Any]
JITTER_FACTOR = 1.2


def default_identity() -> str:
    """`<hostname>_<uuid>`, as kube-controller-manager names itself."""
    return f"{socket.gethostname()}_{uuid.uuid4()}"


@dataclass(frozen=True, slots=True)
class LeaderElectionConfig:
    """Which Lease, who we are, and client-go's default timings (seconds)."""

    name: str
    namespace: str = "kube-system"
    identity: str = ""
    lease_duration: float = 15.0
    renew_deadline: float = 10.0
    retry_period: float = 2.0
    release_on_cancel: bool = True

    def __post_init__(self) -> None:
        if not self.lease_duration > self.renew_deadline:
            raise ValueError("lease_duration must be greater than renew_deadline")
        if not self.renew_deadline > JITTER_FACTOR * self.retry_period:
            raise ValueError("renew_deadline must be greater than retry_period x 1.2")
        if self.retry_period <= 0:
            raise ValueError("retry_period must be positive")


class LeaderElector:
    """Campaigns for one Lease; `run()` returns when leadership is lost (or raises
    CancelledError when cancelled, after releasing the Lease)."""

    def __init__(
        self,
        client: Client,
        config: LeaderElectionConfig,
        *,
        on_started_leading: Callable[[], Awaitable[None]] | None = None,
        on_stopped_leading: Callable[[], None] | None = None,
        on_new_leader: Callable[[str], None] | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.client = client
        self.config = config
        self.identity = config.identity or default_identity()
        self.on_started_leading = on_started_leading
        self.on_stopped_leading = on_stopped_leading
        self.on_new_leader = on_new_leader
        self.clock = clock or client.clock
        self._rng = rng or random.Random()
        self._lease: Obj | None = None  # the last Lease we read or wrote
        self._observed: Obj = {}  # its spec
        self._observed_time = -float("inf")  # monotonic time we first saw that spec
        self._reported_leader = ""
        self._leading = False

    @property
    def leader(self) -> str:
        """The holder last observed ("" if none)."""
        return str(self._observed.get("holderIdentity") or "")

    def is_leader(self) -> bool:
        return self._leading

    async def run(self) -> None:
        task: asyncio.Task[None] | None = None
        try:
            await self._acquire()
            self._leading = True
            log.info("%s became leader of lease %s", self.identity, self._lease_name)
            if self.on_started_leading is not None:
                task = asyncio.create_task(self._lead(self.on_started_leading()), name="leading")
            await self._renew()
            log.warning("%s lost lease %s", self.identity, self._lease_name)
        except asyncio.CancelledError:
            if self._leading:
                await cancel_and_wait(task)
                task = None
                if self.config.release_on_cancel:
                    await self.release()
            raise
        finally:
            await cancel_and_wait(task)
            if self._leading:
                self._leading = False
                if self.on_stopped_leading is not None:
                    self.on_stopped_leading()

    @property
    def _lease_name(self) -> str:
        return f"{self.config.namespace}/{self.config.name}"

    async def _lead(self, work: Awaitable[None]) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("on_started_leading failed")

    async def _acquire(self) -> None:
        """Try every retry_period (jittered) until the Lease is ours."""
        while not await self.try_acquire_or_renew():
            delay = self.config.retry_period * (1 + self._rng.random() * JITTER_FACTOR)
            await self.clock.sleep(delay)

    async def _renew(self) -> None:
        """Renew every retry_period; return once a renewal has failed for renew_deadline."""
        while True:
            deadline = self.clock.monotonic() + self.config.renew_deadline
            while True:
                remaining = deadline - self.clock.monotonic()
                if remaining <= 0:
                    return
                if await within(self.clock, remaining, self.try_acquire_or_renew(), default=False):
                    break
                await self.clock.sleep(
                    min(self.config.retry_period, max(0.0, deadline - self.clock.monotonic()))
                )
            await self.clock.sleep(self.config.retry_period)

    async def try_acquire_or_renew(self) -> bool:
        """One round: create, take over or renew the Lease. True if we hold it now."""
        now = self.clock.now()
        spec: Obj = {
            "holderIdentity": self.identity,
            "leaseDurationSeconds": int(self.config.lease_duration),
            "acquireTime": rfc3339_micro(now),
            "renewTime": rfc3339_micro(now),
            "leaseTransitions": 0,
        }
        try:
            lease = await self.client.get(LEASES, self.config.name, namespace=self.config.namespace)
        except NotFoundError:
            return await self._create(spec)
        except (StatusError, ClientError) as err:
            log.warning("error retrieving lease %s: %s", self._lease_name, err)
            return False
        old = lease.get("spec") or {}
        self._observe(lease, old)
        holder = old.get("holderIdentity") or ""
        duration = float(old.get("leaseDurationSeconds") or self.config.lease_duration)
        if holder and holder != self.identity and self._observed_time + duration > self.clock.monotonic():
            return False
        if holder == self.identity:
            spec["acquireTime"] = old.get("acquireTime") or spec["acquireTime"]
            spec["leaseTransitions"] = int(old.get("leaseTransitions") or 0)
        else:
            spec["leaseTransitions"] = int(old.get("leaseTransitions") or 0) + 1
        lease = {**lease, "spec": {**old, **spec}}
        try:
            updated = await self.client.update(LEASES, lease)
        except (ConflictError, NotFoundError):
            return False
        except (StatusError, ClientError) as err:
            log.warning("error updating lease %s: %s", self._lease_name, err)
            return False
        self._observe(updated, updated.get("spec") or {})
        return True

    async def _create(self, spec: Obj) -> bool:
        lease = {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": self.config.name, "namespace": self.config.namespace},
            "spec": spec,
        }
        try:
            created = await self.client.create(LEASES, lease)
        except AlreadyExistsError:
            return False
        except (StatusError, ClientError) as err:
            log.warning("error creating lease %s: %s", self._lease_name, err)
            return False
        self._observe(created, created.get("spec") or {})
        return True

    def _observe(self, lease: Obj, spec: Obj) -> None:
        self._lease = lease
        if spec != self._observed:
            self._observed = dict(spec)
            self._observed_time = self.clock.monotonic()
        holder = self.leader
        if holder and holder != self._reported_leader:
            self._reported_leader = holder
            if self.on_new_leader is not None:
                try:
                    self.on_new_leader(holder)
                except Exception:
                    log.exception("on_new_leader failed")

    async def release(self) -> bool:
        """Give the Lease up if we hold it (empty holder, 1 s duration): True if released.

        A renewal cancelled in flight may have landed after our last read, so a conflict is
        retried once on a fresh read (still ours: release it; someone else's: leave it)."""
        lease = self._lease
        for attempt in range(2):
            if lease is None or (lease.get("spec") or {}).get("holderIdentity") != self.identity:
                return False
            now = rfc3339_micro(self.clock.now())
            spec = {
                "leaseDurationSeconds": 1,
                "acquireTime": now,
                "renewTime": now,
                "leaseTransitions": int((lease.get("spec") or {}).get("leaseTransitions") or 0),
            }
            try:
                released = await self.client.update(LEASES, {**lease, "spec": spec})
            except ConflictError:
                if attempt:
                    break
                try:
                    lease = await self.client.get(LEASES, self.config.name, namespace=self.config.namespace)
                except (StatusError, ClientError):
                    break
                continue
            except (StatusError, ClientError) as err:
                log.warning("failed to release lease %s: %s", self._lease_name, err)
                return False
            self._observe(released, released.get("spec") or {})
            log.info("%s released lease %s", self.identity, self._lease_name)
            return True
        log.warning("failed to release lease %s: it kept changing", self._lease_name)
        return False
