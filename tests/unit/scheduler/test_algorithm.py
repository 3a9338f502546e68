"""The algorithm: how many nodes are examined, from where, and what a failure says."""

from __future__ import annotations

import pytest

from pyk8s.scheduler.algorithm import num_feasible_nodes_to_find
from pyk8s.scheduler.framework import CycleState, Framework
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.scheduler import Scheduler
from pyk8s.scheduler.status import FitError, NoNodesAvailableError

from .conftest import node_obj, pod


@pytest.mark.parametrize(
    ("percentage", "nodes", "expected"),
    [
        (0, 50, 50),  # small clusters: every node
        (0, 100, 100),
        (0, 1000, 420),  # adaptive: 50% - 1000/125 = 42%
        (0, 5000, 500),  # 50% - 40% = 10%
        (0, 6000, 300),  # floor of 5%
        (0, 150, 100),  # never fewer than 100
        (30, 1000, 300),
        (100, 1000, 1000),
    ],
)
def test_num_feasible_nodes_to_find(percentage: int, nodes: int, expected: int) -> None:
    assert num_feasible_nodes_to_find(percentage, nodes) == expected


def test_filtering_resumes_where_the_last_cycle_stopped(scheduler: Scheduler, fw: Framework) -> None:
    for i in range(300):
        scheduler.cache.add_node(node_obj(f"node-{i:03d}"))
    fw.percentage_of_nodes_to_score = 10  # 30 nodes... but at least 100
    nodes = scheduler.cache.node_list()
    first = scheduler.algorithm.find_nodes_that_fit(fw, CycleState(), pod("p"), nodes)[0]
    assert [n.name for n in first] == [f"node-{i:03d}" for i in range(100)]
    second = scheduler.algorithm.find_nodes_that_fit(fw, CycleState(), pod("q"), nodes)[0]
    assert second[0].name == "node-100"
    assert scheduler.algorithm.next_start_node_index == 200


def test_rejected_nodes_do_not_count_towards_the_nodes_wanted(scheduler: Scheduler, fw: Framework) -> None:
    for i in range(200):
        scheduler.cache.add_node(node_obj(f"node-{i:03d}", cpu="1" if i % 2 else "8"))
    feasible, diagnosis = scheduler.algorithm.find_nodes_that_fit(
        fw, CycleState(), pod("p", cpu="2"), scheduler.cache.node_list()
    )
    assert len(feasible) == 100
    assert len(diagnosis.node_to_status) == 99  # the odd nodes before the 100th even one
    assert scheduler.algorithm.next_start_node_index == 199


def test_a_fitting_nominated_node_is_taken_without_scoring(scheduler: Scheduler, fw: Framework) -> None:
    for name in ("a", "b", "c"):
        scheduler.cache.add_node(node_obj(name))
    nominated = pod("p")
    nominated.nominated_node_name = "b"
    feasible, _ = scheduler.algorithm.find_nodes_that_fit(
        fw, CycleState(), nominated, scheduler.cache.node_list()
    )
    assert [n.name for n in feasible] == ["b"]


def test_nominated_pods_hold_their_room_against_lower_priority_pods(
    scheduler: Scheduler, fw: Framework
) -> None:
    scheduler.cache.add_node(node_obj("only", cpu="1"))
    waiting = pod("vip", cpu="800m", priority=100)
    scheduler.queue.nominator.add(waiting, "only")
    with pytest.raises(FitError) as failed:
        scheduler.algorithm.schedule_pod(fw, CycleState(), pod("low", cpu="500m", priority=1))
    assert str(failed.value) == "0/1 nodes are available: 1 Insufficient cpu."
    # a pod of higher priority than the nominated one is not held back by it
    assert (
        scheduler.algorithm.schedule_pod(fw, CycleState(), pod("top", cpu="500m", priority=1000)).node
        == "only"
    )


def test_no_nodes_at_all(scheduler: Scheduler, fw: Framework) -> None:
    with pytest.raises(NoNodesAvailableError, match="no nodes available to schedule pods"):
        scheduler.algorithm.schedule_pod(fw, CycleState(), pod("p"))


def test_a_prefilter_rejection_fails_every_node_with_one_message(scheduler: Scheduler, fw: Framework) -> None:
    scheduler.cache.add_node(node_obj("a"))
    scheduler.cache.add_node(node_obj("b"))
    claim = [{"name": "data", "persistentVolumeClaim": {"claimName": "missing"}}]
    with pytest.raises(FitError) as failed:
        scheduler.algorithm.schedule_pod(fw, CycleState(), pod("p", volumes=claim))
    assert str(failed.value) == '0/2 nodes are available: persistentvolumeclaim "missing" not found.'
    assert failed.value.diagnosis.unschedulable_plugins == {"VolumeBinding"}


def test_ties_are_broken_at_random_among_the_best(scheduler: Scheduler, fw: Framework) -> None:
    for i in range(5):
        scheduler.cache.add_node(node_obj(f"node-{i}"))
    chosen = {scheduler.algorithm.schedule_pod(fw, CycleState(), pod(f"p{i}")).node for i in range(40)}
    assert len(chosen) > 1  # identical empty nodes: the choice is spread


def test_pods_of_one_replicaset_spread_over_hosts_by_default(scheduler: Scheduler, fw: Framework) -> None:
    # Roomy identical nodes give every node the same resource score; the system default
    # spread constraints are what keep a ReplicaSet's pods apart (as kube-scheduler's).
    for i in range(3):
        scheduler.cache.add_node(node_obj(f"node-{i}", cpu="64", memory="256Gi"))
    counts = {f"node-{i}": 0 for i in range(3)}
    for i in range(9):
        obj = pod(f"web-{i}", labels={"app": "web", "pod-template-hash": "abc"}).obj
        obj["metadata"]["ownerReferences"] = [
            {"kind": "ReplicaSet", "name": "web-abc", "uid": "rs", "controller": True}
        ]
        incoming = PodInfo(obj)
        assert incoming.spread_defaulted and len(incoming.spread_constraints) == 2
        chosen = scheduler.algorithm.schedule_pod(fw, CycleState(), incoming).node
        scheduler.cache.add_pod(
            pod(f"web-{i}", node=chosen, labels={"app": "web", "pod-template-hash": "abc"})
        )
        counts[chosen] += 1
    assert sorted(counts.values()) == [3, 3, 3]
    assert PodInfo(pod("bare").obj).spread_constraints == ()  # not owned: no defaults
