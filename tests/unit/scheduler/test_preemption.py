"""Preemption's choices: which pods become victims and which node is picked."""

from __future__ import annotations

from pyk8s.scheduler.framework import CycleState, Framework
from pyk8s.scheduler.plugins.defaultpreemption import Candidate, DefaultPreemption, PodDisruptionBudgets
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.scheduler import Scheduler
from pyk8s.scheduler.status import Code, Diagnosis, Status

from .conftest import node_obj, pod


def _place(scheduler: Scheduler, node: str, name: str, cpu: str, priority: int, **kwargs: object) -> PodInfo:
    info = pod(name, node=node, cpu=cpu, priority=priority, **kwargs)
    scheduler.cache.add_pod(info)
    return info


def _prepared(fw: Framework, incoming: PodInfo) -> CycleState:
    state = CycleState()
    _, status = fw.run_pre_filter(state, incoming, fw.cache.node_list())
    assert status is None
    return state


def _preemption(fw: Framework) -> DefaultPreemption:
    plugin = fw.plugin("DefaultPreemption")
    assert isinstance(plugin, DefaultPreemption)
    return plugin


def test_victims_are_the_least_important_pods_that_must_go(scheduler: Scheduler, fw: Framework) -> None:
    scheduler.cache.add_node(node_obj("n", cpu="4"))
    for name, priority in (("p1", 1), ("p2", 2), ("p5", 5)):
        _place(scheduler, "n", name, "1", priority)
    incoming = pod("vip", cpu="2", priority=10)
    node = scheduler.cache.get("n")
    victims, violations, status = _preemption(fw).select_victims_on_node(
        _prepared(fw, incoming), incoming, node.clone(), PodDisruptionBudgets([])
    )
    assert status is None and violations == 0
    assert [v.name for v in victims] == ["p1"]
    assert len(node.pods) == 3  # the cache itself is untouched


def test_pods_a_budget_protects_are_reprieved_first(scheduler: Scheduler, fw: Framework) -> None:
    scheduler.cache.add_node(node_obj("n", cpu="2"))
    _place(scheduler, "n", "guarded", "1", 1, labels={"app": "db"})
    _place(scheduler, "n", "free", "1", 5)
    budget = {
        "metadata": {"name": "db", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "db"}}},
        "status": {"disruptionsAllowed": 0},
    }
    incoming = pod("vip", cpu="1", priority=10)
    victims, violations, _ = _preemption(fw).select_victims_on_node(
        _prepared(fw, incoming), incoming, scheduler.cache.get("n").clone(), PodDisruptionBudgets([budget])
    )
    assert [v.name for v in victims] == ["free"]
    assert violations == 0


def test_no_lower_priority_pods_means_no_victims(scheduler: Scheduler, fw: Framework) -> None:
    scheduler.cache.add_node(node_obj("n", cpu="1"))
    _place(scheduler, "n", "peer", "1", 10)
    incoming = pod("p", cpu="1", priority=10)
    _, _, status = _preemption(fw).select_victims_on_node(
        _prepared(fw, incoming), incoming, scheduler.cache.get("n").clone(), PodDisruptionBudgets([])
    )
    assert status == Status(
        Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
        "No preemption victims found for incoming pod",
        plugin="DefaultPreemption",
    )


def test_candidate_choice_follows_kubernetes_criteria() -> None:
    def victims(*priorities: int, start: float = 0.0) -> list[PodInfo]:
        out = []
        for i, priority in enumerate(priorities):
            info = pod(f"v{priority}-{i}-{start}", priority=priority)
            info.obj["status"] = {"startTime": f"2026-01-01T00:00:{int(start):02d}Z"}
            out.append(info)
        return out

    choose = DefaultPreemption.select_candidate
    assert (
        choose([Candidate("a", victims(1), 1), Candidate("b", victims(9), 0)]).node == "b"
    )  # PDB violations
    assert (
        choose([Candidate("a", victims(5)), Candidate("b", victims(1, 1, 1))]).node == "b"
    )  # highest priority
    assert (
        choose([Candidate("a", victims(3, 3)), Candidate("b", victims(3, 1))]).node == "b"
    )  # sum of priorities
    assert choose([Candidate("a", victims(3, 3)), Candidate("b", victims(3))]).node == "b"  # fewer victims
    early, late = victims(3, start=1), victims(3, start=30)
    assert (
        choose([Candidate("a", early), Candidate("b", late)]).node == "b"
    )  # latest start of the top victims


async def test_post_filter_nominates_the_chosen_node(scheduler: Scheduler, fw: Framework) -> None:
    scheduler.cache.add_node(node_obj("busy", cpu="1"))
    scheduler.cache.add_node(node_obj("pinned", cpu="1", labels={"x": "y"}))
    _place(scheduler, "busy", "low", "1", 1)
    _place(scheduler, "pinned", "peer", "1", 100)
    incoming = pod("vip", cpu="1", priority=100)
    state = _prepared(fw, incoming)
    diagnosis = Diagnosis()
    for name in ("busy", "pinned"):
        diagnosis.node_to_status[name] = fw.run_filter(state, incoming, scheduler.cache.get(name))
    result, status = fw.run_post_filter(state, incoming, diagnosis)
    assert status is None and result is not None and result.nominated_node_name == "busy"
    await scheduler.cancel_tasks()


def test_preemption_policy_never_and_unhelpful_nodes(scheduler: Scheduler, fw: Framework) -> None:
    scheduler.cache.add_node(node_obj("a", cpu="1"))
    scheduler.cache.add_node(node_obj("b", cpu="1"))
    diagnosis = Diagnosis(
        node_to_status={
            "a": Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) had untolerated taint(s)"),
            "b": Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) were unschedulable"),
        }
    )
    polite = pod("p", priority=10, preemptionPolicy="Never")
    _, status = fw.run_post_filter(CycleState(), polite, diagnosis)
    assert status is not None and status.message == "preemption: not eligible due to preemptionPolicy=Never."
    _, status = fw.run_post_filter(CycleState(), pod("q", priority=10), diagnosis)
    assert status is not None
    assert (
        status.message == "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    )
