"""The DaemonSet controller: one daemon pod on every eligible node (kube-controller-manager's
`DaemonSetsController`).

One reconcile of `namespace/name`:

1. read the DaemonSet from the cache (gone: forget its expectations); an empty selector
   only earns a `SelectingAll` warning; a DaemonSet being deleted is left alone (its
   history may already be half gone);
2. construct its history: claim its ControllerRevisions, find the one recording the current
   template (or snapshot a new one, `<name>-<hash>`), give it the highest revision number,
   and drop duplicates; its hash labels new pods (`controller-revision-hash`);
3. claim its pods (adopt matching orphans, release those that stopped matching) and group
   them by the node they are for;
4. when the cache shows every create and delete it sent (expectations): `manage` (a pod for
   each eligible node that has none, none on other nodes, failed pods replaced with a
   per-node backoff), then, once that settled, the RollingUpdate step; creations go out in
   slow-start batches, each pod pinned to its node by required node affinity for the
   scheduler to bind; prune revisions beyond `revisionHistoryLimit`;
5. write the status counts (observedGeneration only when step 4 ran); with
   minReadySeconds, look again once ready pods should have become available.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError, StatusError
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.events import WARNING, EventRecorder
from pyk8s.client.informers import SharedInformer
from pyk8s.client.informers.store import split_key
from pyk8s.client.resources import CONTROLLERREVISIONS, DAEMONSETS, NODES, PODS
from pyk8s.client.rest import Client
from pyk8s.controllers.daemonset import plan
from pyk8s.controllers.daemonset.backoff import FailedPodBackoff
from pyk8s.controllers.daemonset.handlers import DaemonSetHandlers
from pyk8s.controllers.daemonset.history import DaemonSetHistory
from pyk8s.controllers.history import (
    POD_REVISION_LABEL,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.expectations import ControllerExpectations
from pyk8s.controllers.runtime.handlers import EnqueueOwner
from pyk8s.controllers.runtime.ownership import (
    ControllerRefManager,
    add_controller_uid_index,
    controlled_by,
    is_being_deleted,
    new_controller_ref,
)
from pyk8s.controllers.runtime.podcontrol import PodControl
from pyk8s.controllers.runtime.reconciler import Result
from pyk8s.controllers.runtime.workqueue import WorkQueue

log = logging.getLogger("pyk8s.controllers.daemonset")

Obj = dict[str, Any]

NAME = "daemonset"
COMPONENT = "daemonset-controller"
API_VERSION, KIND = "apps/v1", "DaemonSet"
BURST_REPLICAS = 250  # creations or deletions one reconcile may start
SELECTING_ALL = "SelectingAll"
FAILED_DAEMON_POD = "FailedDaemonPod"
NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating"


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _labels(obj: Mapping[str, Any]) -> Mapping[str, str]:
    return _meta(obj).get("labels") or {}


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("spec") or {}


def _namespace_terminating(err: BaseException) -> bool:
    if not isinstance(err, StatusError) or err.code != 403:
        return False
    causes = err.details.get("causes") or []
    return any(c.get("type") == NAMESPACE_TERMINATING_CAUSE for c in causes if isinstance(c, dict))


def slow_start_batches(count: int) -> list[int]:
    """1, 2, 4, ... summing to `count`: a doomed batch of creations fails small."""
    batches, size, left = [], 1, count
    while left > 0:
        batches.append(min(size, left))
        left -= batches[-1]
        size *= 2
    return batches


class DaemonSetReconciler:
    """See the module docstring."""

    def __init__(
        self,
        *,
        client: Client,
        daemonsets: SharedInformer,
        pods: SharedInformer,
        nodes: SharedInformer,
        revisions: SharedInformer,
        recorder: EventRecorder,
        queue: WorkQueue[str],
        burst_replicas: int = BURST_REPLICAS,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.daemonsets = daemonsets
        self.pods = pods
        self.nodes = nodes
        self.recorder = recorder
        self.burst_replicas = burst_replicas
        self.history = DaemonSetHistory(client, revisions, pods)
        self.pod_control = PodControl(client, recorder)
        self.expectations = ControllerExpectations(clock=self.clock)
        self.backoff = FailedPodBackoff()
        self.handlers = DaemonSetHandlers(queue, daemonsets, self.expectations)

    # reconcile

    async def reconcile(self, key: str) -> Result | None:
        namespace, name = split_key(key)
        ds = self.daemonsets.lister.get(name, namespace)
        if ds is None:
            self.expectations.delete(key)
            return None
        selector_obj = _spec(ds).get("selector")
        if selector_obj == {}:
            self.recorder.event(
                ds,
                WARNING,
                SELECTING_ALL,
                "This daemon set is selecting all pods. A non-empty selector is required.",
            )
            return None
        try:
            selector = LabelSelector.from_object(selector_obj)
        except SelectorError as err:
            log.error("daemon set %s has an invalid selector: %s", key, err)
            return None
        if is_being_deleted(ds):
            return None
        ds = copy.deepcopy(ds)  # status writes refresh its resourceVersion
        nodes = self.nodes.lister.list()
        current, old = await self.history.construct(ds, selector)
        hash_ = str(_labels(current).get(POD_REVISION_LABEL, ""))
        pods = await self.claim_pods(ds, selector)
        if not self.expectations.satisfied(key):
            # Only the status: observedGeneration says the spec was acted on, and it was not.
            return await self.update_status(ds, nodes, pods, hash_, observed=False)
        error: Exception | None = None
        retry_after: float | None = None
        try:
            retry_after = await self.update_daemonset(key, ds, nodes, pods, hash_, old)
        except Exception as err:
            error = err
        # The cache shows none of this sync's writes yet: the status counts what it saw.
        result = await self.update_status(ds, nodes, pods, hash_, observed=True)
        if error is not None:
            raise error
        return _sooner(result, retry_after)

    async def update_daemonset(
        self, key: str, ds: Obj, nodes: Sequence[Obj], pods: list[Obj], hash_: str, old: list[Obj]
    ) -> float | None:
        """manage, then the rolling update, then history cleanup; returns a backoff delay to
        look again after, if failed pods are waiting for one."""
        by_node = plan.pods_by_node(pods)
        now, mono = self.clock.now(), self.clock.monotonic()
        keys = {n: self._backoff_key(ds, n) for n in by_node}
        in_backoff = [n for n, k in keys.items() if self.backoff.in_backoff(k, mono)]
        decided = plan.manage(ds, nodes, by_node, hash_, now=now, in_backoff=in_backoff)
        for pod, node_name in decided.failed_pods:
            self.backoff.next(keys[node_name], mono)
            message = (
                f"Found failed daemon pod {_meta(pod).get('namespace', '')}/{_meta(pod).get('name', '')} "
                f"on node {node_name}, will try to kill it"
            )
            self.recorder.event(ds, WARNING, FAILED_DAEMON_POD, message)
        retry_after = min(
            (self.backoff.remaining(keys[n], mono) for n in decided.backoff_nodes), default=None
        )
        await self.sync_nodes(key, ds, decided.pods_to_delete, decided.nodes_needing_pods, hash_)
        if self.expectations.satisfied(key) and _update_strategy(ds) == "RollingUpdate":
            rolling = plan.rolling_update(ds, nodes, by_node, hash_, now=now)
            await self.sync_nodes(key, ds, rolling.pods_to_delete, rolling.nodes_needing_pods, hash_)
        await self.history.cleanup(ds, old, by_node)
        return retry_after

    def _backoff_key(self, ds: Mapping[str, Any], node_name: str) -> str:
        generation = (ds.get("status") or {}).get("observedGeneration", 0)
        return f"{_meta(ds).get('uid', '')}/{generation}/{node_name}"

    # pods

    async def claim_pods(self, ds: Obj, selector: LabelSelector) -> list[Obj]:
        """The daemon set's pods, after adopting matching orphans and releasing strays."""

        async def recheck() -> Obj:
            return await self.client.get(DAEMONSETS, _meta(ds)["name"], namespace=_meta(ds)["namespace"])

        manager = ControllerRefManager(
            self.client,
            PODS,
            ds,
            selector,
            owner_api_version=API_VERSION,
            owner_kind=KIND,
            recheck_owner=recheck,
        )
        return await manager.claim(controlled_by(self.pods, ds, orphans=True))

    async def sync_nodes(
        self, key: str, ds: Obj, pods_to_delete: Sequence[str], nodes_needing_pods: Sequence[str], hash_: str
    ) -> None:
        """Create a pod on each node in `nodes_needing_pods` and delete `pods_to_delete`
        (each at most `burst_replicas`), recording the expectations first."""
        creates = list(nodes_needing_pods[: self.burst_replicas])
        deletes = list(pods_to_delete[: self.burst_replicas])
        self.expectations.set_expectations(key, add=len(creates), delete=len(deletes))
        errors = await self._create(key, ds, creates, hash_)
        errors += await self._delete(key, ds, deletes)
        if errors:
            raise errors[0]

    async def _create(self, key: str, ds: Obj, node_names: list[str], hash_: str) -> list[Exception]:
        ref = new_controller_ref(ds, api_version=API_VERSION, kind=KIND)
        errors: list[Exception] = []
        done = 0
        for batch in slow_start_batches(len(node_names)):
            names = node_names[done : done + batch]
            done += batch
            results = await asyncio.gather(
                *(self.pod_control.create_pod(plan.new_pod_template(ds, hash_, n), ds, ref) for n in names),
                return_exceptions=True,
            )
            failed = 0
            for result in results:
                if isinstance(result, BaseException):
                    if not isinstance(result, Exception):
                        raise result
                    if _namespace_terminating(result):
                        continue  # the namespace is going away: nothing to retry
                    failed += 1
                    self.expectations.creation_observed(key)
                    errors.append(result)
            if failed:
                # A batch failed: skip the rest (they would likely fail alike) and stop
                # expecting them; the retry starts a new slow start.
                self.expectations.lower_expectations(key, add=len(node_names) - done)
                break
        return errors

    async def _delete(self, key: str, ds: Obj, names: list[str]) -> list[Exception]:
        namespace = _meta(ds).get("namespace", "")

        async def delete(name: str) -> Exception | None:
            try:
                await self.pod_control.delete_pod(namespace, name, ds)
            except Exception as err:
                self.expectations.deletion_observed(key)
                return None if isinstance(err, NotFoundError) else err
            return None

        return [e for e in await asyncio.gather(*(delete(n) for n in names)) if e is not None]

    # status

    async def update_status(
        self, ds: Obj, nodes: Sequence[Obj], pods: Iterable[Obj], hash_: str, *, observed: bool
    ) -> Result | None:
        counts = plan.status(ds, nodes, plan.pods_by_node(pods), hash_, now=self.clock.now())
        await self._store_status(ds, counts, observed=observed)
        min_ready = int(_spec(ds).get("minReadySeconds") or 0)
        if min_ready > 0 and counts["numberReady"] != counts["numberAvailable"]:
            return Result(requeue_after=float(min_ready))
        return None

    async def _store_status(self, ds: Obj, counts: Mapping[str, int], *, observed: bool) -> None:
        generation = int(_meta(ds).get("generation") or 0)
        for attempt in range(2):
            status = ds.get("status") or {}
            unchanged = all(int(status.get(k) or 0) == v for k, v in counts.items())
            if unchanged and int(status.get("observedGeneration") or 0) >= generation:
                return
            updated = copy.deepcopy(ds)
            new_status = updated.setdefault("status", {})
            new_status.update(counts)
            if observed:
                new_status["observedGeneration"] = generation
            try:
                written = await self.client.update_status(DAEMONSETS, updated)
            except ConflictError:
                if attempt:
                    raise
                fresh = await self.client.get(DAEMONSETS, _meta(ds)["name"], namespace=_meta(ds)["namespace"])
                ds.clear()
                ds.update(fresh)
                continue
            ds.clear()
            ds.update(written)
            return


def _update_strategy(ds: Mapping[str, Any]) -> str:
    return str((_spec(ds).get("updateStrategy") or {}).get("type") or "RollingUpdate")


def _sooner(result: Result | None, delay: float | None) -> Result | None:
    if delay is None:
        return result
    if result is None or result.requeue_after is None or delay < result.requeue_after:
        return Result(requeue_after=max(delay, 0.001))
    return result


def new_controller(ctx: ControllerContext) -> Controller:
    """The DaemonSet controller, wired to the context's shared informers."""
    daemonsets = ctx.informers.informer(DAEMONSETS)
    pods = ctx.informers.informer(PODS)
    nodes = ctx.informers.informer(NODES)
    revisions = ctx.informers.informer(CONTROLLERREVISIONS)
    add_controller_uid_index(pods)
    queue: WorkQueue[str] = WorkQueue(name=NAME, clock=ctx.clock)
    reconciler = DaemonSetReconciler(
        client=ctx.client,
        daemonsets=daemonsets,
        pods=pods,
        nodes=nodes,
        revisions=revisions,
        recorder=ctx.recorder(COMPONENT),
        queue=queue,
        burst_replicas=min(ctx.options.burst_replicas, BURST_REPLICAS),
    )
    controller = Controller(NAME, reconciler, workers=ctx.workers(NAME), clock=ctx.clock, queue=queue)
    controller.watch(daemonsets, reconciler.handlers.daemonset_handler())
    controller.watch(pods, reconciler.handlers.pod_handler())
    controller.watch(nodes, reconciler.handlers.node_handler())
    controller.watch(revisions, EnqueueOwner(queue, kind=KIND, group="apps"))
    return controller
