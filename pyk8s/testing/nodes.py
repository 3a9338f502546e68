"""`FakeNodes`: a stand-in for the scheduler and node agents in controller tests.

Until the real scheduler and node agents exist, controller tests still need pods that get
scheduled, start, become ready, finish and go away. `FakeNodes` does what those components
would, through the API only (it is itself a controller on `pyk8s.controllers.runtime`):

- registers its Node objects (Ready, with capacity and an InternalIP);
- binds every unscheduled pod to one of its nodes (round robin) through `pods/binding`;
- `ready_delay` seconds after it first saw a pod bound to one of its nodes (by default at
  once, in the pass that bound it) marks it Running, with containers started and the Ready
  condition as `ready` says (a bool, or a function of the pod; `set_ready()` overrides it
  per pod), through `pods/status`;
- deletes pods marked for deletion at once (grace period 0), as a kubelet does once the
  containers stopped;
- `complete()` finishes a pod (Succeeded or Failed, containers terminated).

    async with FakeNodes(client, nodes=("node-a", "node-b")) as nodes:
        ...                                    # pods get scheduled and become ready
        await nodes.complete("default", "job-x-abc12")
"""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pyk8s._aio.clock import Clock
from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError
from pyk8s.api.meta import rfc3339
from pyk8s.client.informers import SharedInformer, SharedInformerFactory
from pyk8s.client.informers.store import split_key
from pyk8s.client.resources import NODES, PODS
from pyk8s.client.rest import Client, PatchType
from pyk8s.client.timing import cancel_and_wait
from pyk8s.controllers.runtime import Controller, EnqueueObject, Result

Obj = dict[str, Any]
ReadyPolicy = bool | Callable[[Obj], bool]


class FakeNodes:
    """Schedules, starts and finishes pods on fake nodes (see the module docstring)."""

    def __init__(
        self,
        client: Client,
        *,
        nodes: Sequence[str] = ("node-1",),
        ready: ReadyPolicy = True,
        ready_delay: float = 0.0,
        register: bool = True,
        delete_terminating: bool = True,
        workers: int = 4,
        clock: Clock | None = None,
    ) -> None:
        if not nodes:
            raise ValueError("FakeNodes needs at least one node name")
        self.client = client
        self.nodes = tuple(nodes)
        self.ready = ready
        self.ready_delay = ready_delay
        self.register = register
        self.delete_terminating = delete_terminating
        self.clock = clock or client.clock
        self.informers = SharedInformerFactory(client, clock=self.clock)
        self.pods: SharedInformer = self.informers.informer(PODS)
        self.controller = Controller("fake-nodes", self, workers=workers, clock=self.clock)
        self.controller.watch(self.pods, EnqueueObject(self.controller.queue, skip_resync=True))
        self._next_node = itertools.cycle(self.nodes)
        self._ready_overrides: dict[str, bool] = {}
        self._seen_at: dict[str, float] = {}  # pod uid -> monotonic time first seen bound
        # pod uid -> the readiness last written: a second pass that still reads the pod as
        # it was before that write (the watch lags) must not start it again with another IP
        self._reported: dict[str, bool] = {}
        self._ips = itertools.count(2)
        self._task: asyncio.Task[None] | None = None

    # lifecycle

    async def start(self) -> None:
        """Register the nodes, start watching pods and wait until the cache is synced."""
        if self.register:
            for index, name in enumerate(self.nodes):
                await self._register(name, index)
        self.informers.start()
        self._task = asyncio.create_task(self.controller.run(), name="fake nodes")
        await self.controller.started.wait()

    async def stop(self) -> None:
        """Stop watching and acting (pods and nodes stay as they are)."""
        await cancel_and_wait(self._task)
        self._task = None
        await self.informers.shutdown()

    async def __aenter__(self) -> FakeNodes:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # test controls

    def set_ready(self, namespace: str, name: str, ready: bool) -> None:
        """Make one pod ready or not ready from now on."""
        key = f"{namespace}/{name}"
        self._ready_overrides[key] = ready
        self.controller.enqueue(key)

    async def complete(
        self, namespace: str, name: str, *, succeeded: bool = True, exit_code: int | None = None
    ) -> Obj:
        """Finish a running pod: every container terminated, phase Succeeded or Failed."""
        pod = await self.client.get(PODS, name, namespace=namespace)
        code = exit_code if exit_code is not None else (0 if succeeded else 1)
        now = rfc3339(self.clock.now())
        statuses = [
            {
                "name": c["name"],
                "image": c.get("image", ""),
                "imageID": "",
                "containerID": f"fake://{pod['metadata'].get('uid', '')}/{c['name']}",
                "ready": False,
                "started": False,
                "restartCount": 0,
                "state": {
                    "terminated": {
                        "exitCode": code,
                        "reason": "Completed" if code == 0 else "Error",
                        "startedAt": (pod.get("status") or {}).get("startTime", now),
                        "finishedAt": now,
                    }
                },
            }
            for c in (pod.get("spec") or {}).get("containers") or []
        ]
        patch = {
            "status": {
                "phase": "Succeeded" if succeeded else "Failed",
                "conditions": [
                    _condition("Ready", False, now, reason="PodCompleted"),
                    _condition("ContainersReady", False, now, reason="PodCompleted"),
                ],
                "containerStatuses": statuses,
            }
        }
        return await self.client.patch_status(
            PODS, name, patch, namespace=namespace, patch_type=PatchType.STRATEGIC
        )

    def is_idle(self) -> bool:
        """Nothing left to do for now."""
        return self.controller.is_idle()

    # the reconciler

    async def reconcile(self, key: str) -> Result | None:
        """Do for one pod what a scheduler and a kubelet would do next."""
        pod = self.pods.lister.get_by_key(key)
        if pod is None:
            return None
        meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
        namespace, name = split_key(key)
        node = spec.get("nodeName") or ""
        if meta.get("deletionTimestamp"):
            self._seen_at.pop(meta.get("uid", ""), None)  # a terminating pod is not started again
            self._reported.pop(meta.get("uid", ""), None)
            if self.delete_terminating and (not node or node in self.nodes):
                await self._delete_now(namespace, name, meta.get("uid", ""))
            return None
        if not node:
            node = next(self._next_node)
            try:
                await self.client.bind(namespace, name, node, uid=meta.get("uid"))
            except (ConflictError, NotFoundError):
                return None  # bound meanwhile, or gone: the informer tells us
            # The node's kubelet sees the binding at once and starts the pod: carry on in this
            # pass rather than queue the pod again behind every other pod waiting for a binding.
        if node not in self.nodes or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            return None
        uid = meta.get("uid", "")
        first_seen = self._seen_at.setdefault(uid, self.clock.monotonic())
        remaining = first_seen + self.ready_delay - self.clock.monotonic()
        if remaining > 0:
            return Result(requeue_after=remaining)
        ready = self._is_ready(key, pod)
        if self._reported.get(uid) == ready and (pod.get("status") or {}).get("phase") != "Running":
            return None  # our status write is on its way back through the watch (a stale cache)
        patch = self._running_status(pod, node, ready)
        if patch is not None:
            try:
                await self.client.patch_status(
                    PODS, name, patch, namespace=namespace, patch_type=PatchType.STRATEGIC
                )
            except NotFoundError:
                return None
            self._reported[uid] = ready
        return None

    def _is_ready(self, key: str, pod: Obj) -> bool:
        if key in self._ready_overrides:
            return self._ready_overrides[key]
        return self.ready(pod) if callable(self.ready) else bool(self.ready)

    def _running_status(self, pod: Obj, node: str, ready: bool) -> Obj | None:
        """The status patch that makes the pod Running with `ready`, or None if it already is."""
        status = pod.get("status") or {}
        conditions = {c.get("type"): c for c in status.get("conditions") or []}
        current = (conditions.get("Ready") or {}).get("status")
        if status.get("phase") == "Running" and current == ("True" if ready else "False"):
            return None
        now = rfc3339(self.clock.now())
        node_ip = f"10.0.0.{self.nodes.index(node) + 1}"
        pod_ip = status.get("podIP") or f"10.244.{self.nodes.index(node)}.{next(self._ips) % 250 + 2}"
        started = status.get("startTime") or now
        containers = (pod.get("spec") or {}).get("containers") or []
        return {
            "status": {
                "phase": "Running",
                "hostIP": node_ip,
                "hostIPs": [{"ip": node_ip}],
                "podIP": pod_ip,
                "podIPs": [{"ip": pod_ip}],
                "startTime": started,
                "conditions": [
                    _kept(conditions, "PodReadyToStartContainers", True, now),
                    _kept(conditions, "Initialized", True, now),
                    _kept(conditions, "Ready", ready, now),
                    _kept(conditions, "ContainersReady", ready, now),
                    _kept(conditions, "PodScheduled", True, now),
                ],
                "containerStatuses": [
                    {
                        "name": c["name"],
                        "image": c.get("image", ""),
                        "imageID": "",
                        "containerID": f"fake://{(pod.get('metadata') or {}).get('uid', '')}/{c['name']}",
                        "ready": ready,
                        "started": True,
                        "restartCount": 0,
                        "state": {"running": {"startedAt": started}},
                    }
                    for c in containers
                ],
            }
        }

    async def _delete_now(self, namespace: str, name: str, uid: str) -> None:
        try:
            await self.client.delete(
                PODS, name, namespace=namespace, grace_period_seconds=0, preconditions={"uid": uid}
            )
        except (NotFoundError, ConflictError):
            pass

    async def _register(self, name: str, index: int) -> None:
        node: Obj = {
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": name,
                "labels": {
                    "kubernetes.io/hostname": name,
                    "kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                    "node.pyk8s.io/fake": "true",
                },
            },
            "spec": {},
        }
        try:
            await self.client.create(NODES, node)
        except AlreadyExistsError:
            pass
        now = rfc3339(self.clock.now())
        capacity = {"cpu": "8", "memory": "32Gi", "pods": "110", "ephemeral-storage": "100Gi"}
        status = {
            "status": {
                "capacity": capacity,
                "allocatable": copy.deepcopy(capacity),
                "conditions": [
                    _condition("Ready", True, now, reason="KubeletReady", message="fake node is ready")
                ],
                "addresses": [
                    {"type": "InternalIP", "address": f"10.0.0.{index + 1}"},
                    {"type": "Hostname", "address": name},
                ],
                "nodeInfo": {
                    "machineID": "",
                    "systemUUID": "",
                    "bootID": "",
                    "kernelVersion": "",
                    "osImage": "pyk8s fake node",
                    "containerRuntimeVersion": "fake://0",
                    "kubeletVersion": "v1.37.0",
                    "kubeProxyVersion": "",
                    "operatingSystem": "linux",
                    "architecture": "amd64",
                },
            }
        }
        await self.client.patch_status(NODES, name, status, patch_type=PatchType.STRATEGIC)


def _condition(type_: str, status: bool, now: str, *, reason: str = "", message: str = "") -> Obj:
    cond: Obj = {"type": type_, "status": "True" if status else "False", "lastTransitionTime": now}
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    return cond


def _kept(conditions: Mapping[Any, Obj], type_: str, status: bool, now: str) -> Obj:
    """The condition with `status`, keeping its lastTransitionTime if the status is unchanged."""
    current = conditions.get(type_)
    wanted = "True" if status else "False"
    if current is not None and current.get("status") == wanted:
        return {k: v for k, v in current.items() if k in ("type", "status", "lastTransitionTime", "reason")}
    return _condition(type_, status, now)
