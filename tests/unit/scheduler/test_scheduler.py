"""One scheduling cycle without an API server: assume on success, requeue and report on
failure (the status patch computed as kube-scheduler's updatePod would)."""

from __future__ import annotations

from pyk8s.scheduler.queue import UNSCHEDULABLE
from pyk8s.scheduler.scheduler import Scheduler, truncate_message

from .conftest import node_obj, pod, pod_obj


async def test_a_fitting_pod_is_assumed_before_it_is_bound(scheduler: Scheduler) -> None:
    scheduler.cache.add_node(node_obj("a"))
    scheduler.queue.add(pod("p"))
    scheduler.schedule_one(scheduler.queue.pop_nowait())
    assert scheduler.cache.is_assumed("default/p")
    assert scheduler.cache.get("a").pods["default/p"].node_name == "a"
    await scheduler.cancel_tasks()  # the binding (no client: it fails) is stopped
    assert not scheduler.cache.is_assumed("default/p")


def test_an_unschedulable_pod_is_parked_with_the_plugins_that_rejected_it(scheduler: Scheduler) -> None:
    scheduler.cache.add_node(node_obj("a", cpu="1"))
    scheduler.cache.add_pod(pod("big", cpu="1", node="a", priority=5))
    scheduler.queue.add(pod("p", cpu="500m", priority=5))
    scheduler.schedule_one(scheduler.queue.pop_nowait())
    assert scheduler.queue.where("default/p") == UNSCHEDULABLE
    assert scheduler.queue.get("default/p").unschedulable_plugins == {"NodeResourcesFit"}
    assert scheduler.stats["unschedulable"] == 1


def test_the_status_patch_is_skipped_when_nothing_changed(scheduler: Scheduler) -> None:
    obj = pod_obj("p")
    message = "0/1 nodes are available: 1 Insufficient cpu."
    patch = scheduler._status_patch(obj, "Unschedulable", message, None)
    assert patch is not None
    (condition,) = patch["status"]["conditions"]
    assert condition["type"] == "PodScheduled" and condition["status"] == "False"
    assert condition["reason"] == "Unschedulable" and condition["message"] == message
    obj["status"] = {"conditions": [condition]}
    assert scheduler._status_patch(obj, "Unschedulable", message, None) is None
    nominated = scheduler._status_patch(obj, "Unschedulable", message, "node-1")
    assert nominated is not None and nominated["status"]["nominatedNodeName"] == "node-1"
    changed = scheduler._status_patch(obj, "Unschedulable", "other", None)
    assert changed["status"]["conditions"][0]["lastTransitionTime"] == condition["lastTransitionTime"]


def test_long_messages_are_truncated_for_events() -> None:
    assert truncate_message("x" * 10) == "x" * 10
    cut = truncate_message("x" * 2000)
    assert len(cut) == 1024 and cut.endswith(" ...")
