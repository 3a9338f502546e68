"""DefaultPreemption: when no node fits, find a node where evicting lower-priority pods
would make room, nominate the pod there and evict those pods.

1. Eligibility: not with `preemptionPolicy: Never`, nor while lower-priority pods that
   an earlier preemption evicted are still terminating on the pod's nominated node.
2. Candidates: only nodes the filters rejected as Unschedulable (not Unresolvable). On
   each (a what-if copy of the node and of the cycle state), remove every lower-priority
   pod; if the pod then fits, add them back one at a time, most important first (those a
   PodDisruptionBudget protects before the others), keeping each that still leaves room.
   What could not be kept are the victims. Up to max(10% of nodes, 100) candidates are
   looked at, from a random start.
3. Choice, in order: fewest PDB violations, lowest highest victim priority, lowest sum of
   victim priorities, fewest victims, latest start among the highest-priority victims.
4. Preparation (asynchronous, like kube-scheduler's async preemption): each victim gets a
   DisruptionTarget condition (PreemptionByScheduler) and is deleted with its grace
   period, with a "Preempted" event; lower-priority pods nominated to that node lose their
   nomination. The preemptor is nominated (status.nominatedNodeName) and retried when the
   victims are gone.

Failure messages are kube-scheduler's: "preemption: not eligible due to
preemptionPolicy=Never.", "preemption: 0/3 nodes are available: 1 No preemption victims
found for incoming pod, 2 Preemption is not helpful for scheduling."
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyk8s.api.errors import NotFoundError, StatusError
from pyk8s.api.meta import rfc3339
from pyk8s.client import NORMAL, PatchType
from pyk8s.client.errors import ClientError
from pyk8s.client.resources import PODS
from pyk8s.scheduler.framework import CycleState, PostFilterResult
from pyk8s.scheduler.nodeinfo import NodeInfo
from pyk8s.scheduler.podinfo import PREEMPT_NEVER, PodInfo
from pyk8s.scheduler.status import Code, Diagnosis, Status, fit_error_message
from pyk8s.scheduler.terms import compile_label_selector

if TYPE_CHECKING:
    from pyk8s.scheduler.framework import Framework

log = logging.getLogger("pyk8s.scheduler.preemption")

Obj = dict[str, Any]
NAME = "DefaultPreemption"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
NEVER = "not eligible due to preemptionPolicy=Never."
TERMINATING = "not eligible due to a terminating pod on the nominated node."
MIN_CANDIDATE_NODES_PERCENTAGE = 10
MIN_CANDIDATE_NODES_ABSOLUTE = 100
MAX_INT32 = 2**31 - 1
DISRUPTION_TARGET = "DisruptionTarget"
PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler"


@dataclass
class Candidate:
    """A node and the pods that would have to go for the preemptor to fit."""

    node: str
    victims: list[PodInfo]
    pdb_violations: int = 0
    statuses: dict[str, Status] = field(default_factory=dict)


def more_important(pod: PodInfo) -> tuple[int, float]:
    """Sort key: higher priority first, then the earlier started."""
    return (-pod.priority, pod.start_time)


def terminating_by_preemption(pod: PodInfo) -> bool:
    if not pod.deleting:
        return False
    conditions = (pod.obj.get("status") or {}).get("conditions") or ()
    return any(
        c.get("type") == DISRUPTION_TARGET
        and c.get("reason") == PREEMPTION_BY_SCHEDULER
        and c.get("status") == "True"
        for c in conditions
    )


class PodDisruptionBudgets:
    """How many disruptions each budget still allows, counted down as victims are chosen."""

    def __init__(self, budgets: list[Obj]) -> None:
        self.budgets = []
        for pdb in budgets:
            selector_obj = (pdb.get("spec") or {}).get("selector")
            selector = compile_label_selector(selector_obj)
            if selector is None or selector.empty:
                continue  # an empty selector selects nothing here (as kube-scheduler treats it)
            status = pdb.get("status") or {}
            self.budgets.append(
                (
                    (pdb.get("metadata") or {}).get("namespace", ""),
                    selector,
                    int(status.get("disruptionsAllowed") or 0),
                    set((status.get("disruptedPods") or {}).keys()),
                )
            )

    def split(self, pods: list[PodInfo]) -> tuple[list[PodInfo], list[PodInfo]]:
        """(pods whose eviction would violate a budget, the others), order kept."""
        allowed = [b[2] for b in self.budgets]
        violating, fine = [], []
        for pod in pods:
            violated = False
            if pod.labels:
                for i, (namespace, selector, _, disrupted) in enumerate(self.budgets):
                    if namespace != pod.namespace or not selector.matches(pod.labels):
                        continue
                    if pod.name in disrupted:
                        continue  # already counted by the disruption controller
                    allowed[i] -= 1
                    if allowed[i] < 0:
                        violated = True
            (violating if violated else fine).append(pod)
        return violating, fine


class DefaultPreemption:
    name = NAME

    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        self.tasks: set[asyncio.Task[None]] = set()

    def post_filter(
        self, state: CycleState, pod: PodInfo, diagnosis: Diagnosis
    ) -> tuple[PostFilterResult | None, Status | None]:
        eligible, message = self.eligible(pod, diagnosis)
        if not eligible:
            return None, Status(Code.UNSCHEDULABLE, "preemption: " + message, plugin=NAME)
        nodes = self.fw.cache.node_list()
        candidates, statuses = self.find_candidates(state, pod, diagnosis, nodes)
        if not candidates:
            message = fit_error_message(
                len(nodes),
                statuses,
                absent_nodes=len(nodes) - len(statuses),
                absent_status=Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, NOT_HELPFUL),
            )
            if pod.nominated_node_name or self.fw.nominator.nominated_node(pod.key):
                return PostFilterResult(""), Status(Code.UNSCHEDULABLE, "preemption: " + message, plugin=NAME)
            return None, Status(Code.UNSCHEDULABLE, "preemption: " + message, plugin=NAME)
        best = self.select_candidate(candidates)
        self._start(self.prepare_candidate(best, pod))
        return PostFilterResult(best.node), None

    # 1. eligibility

    def eligible(self, pod: PodInfo, diagnosis: Diagnosis) -> tuple[bool, str]:
        if pod.preemption_policy == PREEMPT_NEVER:
            return False, NEVER
        nominated = pod.nominated_node_name
        if nominated:
            status = diagnosis.status_of(nominated)
            if status is not None and status.code is Code.UNSCHEDULABLE_AND_UNRESOLVABLE:
                return True, ""
            node = self.fw.cache.get(nominated)
            if node is not None:
                for other in node.pods.values():
                    if other.priority < pod.priority and terminating_by_preemption(other):
                        return False, TERMINATING
        return True, ""

    # 2. candidates

    def find_candidates(
        self, state: CycleState, pod: PodInfo, diagnosis: Diagnosis, nodes: list[NodeInfo]
    ) -> tuple[list[Candidate], dict[str, Status]]:
        potential = []
        for node in nodes:
            status = diagnosis.status_of(node.name)
            if status is None or status.code is not Code.UNSCHEDULABLE_AND_UNRESOLVABLE:
                potential.append(node)
        statuses: dict[str, Status] = {}
        if not potential:
            return [], statuses
        budgets = PodDisruptionBudgets(self.fw.listers.pod_disruption_budgets.list())
        wanted = self.num_candidates(len(potential))
        offset = self.fw.rng.randrange(len(potential))
        violating: list[Candidate] = []
        clean: list[Candidate] = []
        for i in range(len(potential)):
            node = potential[(offset + i) % len(potential)]
            victims, violations, status = self.select_victims_on_node(
                state.clone(), pod, node.clone(), budgets
            )
            if status is None and victims:
                (violating if violations else clean).append(Candidate(node.name, victims, violations))
                if clean and len(clean) + len(violating) >= wanted:
                    break
            else:
                statuses[node.name] = status or Status(
                    Code.ERROR, f'expected at least one victim pod on node "{node.name}"'
                )
        return clean + violating, statuses

    @staticmethod
    def num_candidates(num_nodes: int) -> int:
        n = num_nodes * MIN_CANDIDATE_NODES_PERCENTAGE // 100
        return min(max(n, MIN_CANDIDATE_NODES_ABSOLUTE), num_nodes)

    def select_victims_on_node(
        self, state: CycleState, pod: PodInfo, node: NodeInfo, budgets: PodDisruptionBudgets
    ) -> tuple[list[PodInfo], int, Status | None]:
        """The fewest lower-priority pods to evict from `node` (a copy) for `pod` to fit."""
        fw = self.fw
        lower = [p for p in node.pods.values() if p.priority < pod.priority]
        if not lower:
            return [], 0, Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, NO_VICTIMS, plugin=NAME)

        def remove(p: PodInfo) -> None:
            node.remove_pod(p.key)
            for ext in fw.extensions:
                ext.remove_pod(state, pod, p, node)

        def add(p: PodInfo) -> None:
            node.add_pod(p)
            for ext in fw.extensions:
                ext.add_pod(state, pod, p, node)

        for p in lower:
            remove(p)
        status = fw.run_filter_with_nominated_pods(state, pod, node)
        if status is not None:
            return [], 0, status
        lower.sort(key=more_important)
        violating, fine = budgets.split(lower)
        victims: list[PodInfo] = []
        violations = 0

        def reprieve(p: PodInfo) -> bool:
            add(p)
            if fw.run_filter_with_nominated_pods(state, pod, node) is None:
                return True
            remove(p)
            victims.append(p)
            return False

        for p in violating:
            if not reprieve(p):
                violations += 1
        for p in fine:
            reprieve(p)
        victims.sort(key=more_important)
        return victims, violations, None

    # 3. choice

    @staticmethod
    def select_candidate(candidates: list[Candidate]) -> Candidate:
        if len(candidates) == 1:
            return candidates[0]

        def highest_first_start(c: Candidate) -> float:
            top = c.victims[0].priority
            return min(v.start_time for v in c.victims if v.priority == top)

        return min(
            candidates,
            key=lambda c: (
                c.pdb_violations,
                c.victims[0].priority,
                sum(v.priority + MAX_INT32 + 1 for v in c.victims),
                len(c.victims),
                -highest_first_start(c),
            ),
        )

    # 4. preparation

    def _start(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work, name="preemption")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def prepare_candidate(self, candidate: Candidate, preemptor: PodInfo) -> None:
        fw = self.fw
        for pod in fw.nominator.nominated_pods_for_node(candidate.node):
            if pod.priority < preemptor.priority and pod.key != preemptor.key:
                fw.nominator.delete(pod.key)
                await self._clear_nomination(pod)
        await asyncio.gather(*(self._evict(v, preemptor, candidate.node) for v in candidate.victims))

    async def _evict(self, victim: PodInfo, preemptor: PodInfo, node: str) -> None:
        client = self.fw.client
        if client is None:
            return
        condition = {
            "type": DISRUPTION_TARGET,
            "status": "True",
            "reason": PREEMPTION_BY_SCHEDULER,
            "message": f"{preemptor.scheduler_name}: preempting to accommodate a higher priority pod",
            "lastTransitionTime": rfc3339(self.fw.clock.now()),
        }
        try:
            await client.patch_status(
                PODS,
                victim.name,
                {"status": {"conditions": [condition]}},
                namespace=victim.namespace,
                patch_type=PatchType.STRATEGIC,
            )
            await client.delete(PODS, victim.name, namespace=victim.namespace)
        except NotFoundError:
            return
        except (StatusError, ClientError) as err:
            log.warning("preempting %s for %s failed: %s", victim.key, preemptor.key, err)
            return
        if self.fw.recorder is not None:
            message = f"Preempted by pod {preemptor.uid} on node {node}"
            self.fw.recorder.event(victim.obj, NORMAL, "Preempted", message)

    async def _clear_nomination(self, pod: PodInfo) -> None:
        client = self.fw.client
        if client is None:
            return
        try:
            await client.patch_status(
                PODS, pod.name, {"status": {"nominatedNodeName": None}}, namespace=pod.namespace
            )
        except (StatusError, ClientError) as err:
            log.warning("clearing the nominated node of %s failed: %s", pod.key, err)
