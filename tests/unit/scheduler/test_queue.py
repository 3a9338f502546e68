"""The scheduling queue with a fake clock: order, backoff, parking, moves, timeouts, gates."""

from __future__ import annotations

import asyncio

from pyk8s._aio.clock import FakeClock
from pyk8s.scheduler import events
from pyk8s.scheduler.events import Action, ClusterEvent
from pyk8s.scheduler.podinfo import PodInfo
from pyk8s.scheduler.queue import ACTIVE, BACKOFF, GATED, UNSCHEDULABLE, SchedulingQueue

from .conftest import pod, pod_obj

REGISTRATIONS = {
    "NodeResourcesFit": [ClusterEvent(events.POD, Action.DELETE), ClusterEvent(events.NODE, Action.ADD)],
    "TaintToleration": [ClusterEvent(events.NODE, Action.ADD | Action.UPDATE_NODE_TAINT)],
}


def _queue(clock: FakeClock) -> SchedulingQueue:
    return SchedulingQueue(clock=clock, events_to_register=REGISTRATIONS)


def _fail(queue: SchedulingQueue, key: str, *plugins: str) -> None:
    """Pop `key` (it must be next) and requeue it as rejected by `plugins`."""
    qpi = queue.pop_nowait()
    assert qpi.key == key
    qpi.unschedulable_plugins = set(plugins)
    queue.add_unschedulable(qpi, rejected=bool(plugins))


def test_higher_priority_first_then_first_come(clock: FakeClock) -> None:
    queue = _queue(clock)
    queue.add(pod("low", priority=1))
    clock.advance(1)
    queue.add(pod("high-late", priority=10))
    queue.add(pod("high-later", priority=10))
    order = [queue.pop_nowait().key for _ in range(3)]
    assert order == ["default/high-late", "default/high-later", "default/low"]


def test_rejected_pods_wait_for_an_event_their_plugins_registered(clock: FakeClock) -> None:
    queue = _queue(clock)
    queue.add(pod("p"))
    _fail(queue, "default/p", "NodeResourcesFit")
    assert queue.where("default/p") == UNSCHEDULABLE
    assert queue.move_all_to_active_or_backoff(ClusterEvent(events.NODE, Action.UPDATE_NODE_TAINT)) == 0
    assert queue.move_all_to_active_or_backoff(events.ASSIGNED_POD_DELETE) == 1
    assert queue.where("default/p") == BACKOFF  # its 1 s backoff is not over yet
    clock.advance(1)
    assert queue.flush_backoff_completed() == 1
    assert queue.where("default/p") == ACTIVE


def test_a_pod_whose_backoff_is_over_moves_straight_to_active(clock: FakeClock) -> None:
    queue = _queue(clock)
    queue.add(pod("p"))
    _fail(queue, "default/p", "TaintToleration")
    clock.advance(5)
    queue.move_all_to_active_or_backoff(events.NODE_ADD)
    assert queue.where("default/p") == ACTIVE


def test_backoff_doubles_per_attempt_up_to_the_maximum(clock: FakeClock) -> None:
    queue = _queue(clock)
    queue.add(pod("p"))
    durations = []
    for _ in range(6):
        qpi = queue.pop_nowait()
        durations.append(queue.backoff_duration(qpi))
        queue.add_unschedulable(qpi, rejected=False)  # an error: straight to backoff
        assert queue.where("default/p") == BACKOFF
        clock.advance(durations[-1] - 0.001)
        assert queue.flush_backoff_completed() == 0
        clock.advance(0.001)
        assert queue.flush_backoff_completed() == 1
    assert durations == [1, 2, 4, 8, 10, 10]


def test_parked_pods_are_retried_after_five_minutes_anyway(clock: FakeClock) -> None:
    queue = _queue(clock)
    queue.add(pod("p"))
    _fail(queue, "default/p", "NodeResourcesFit")
    assert queue.next_deadline() == 300
    clock.advance(299)
    assert queue.flush_unschedulable_left_over() == 0
    clock.advance(1)
    assert queue.flush_unschedulable_left_over() == 1
    assert queue.where("default/p") == ACTIVE


def test_a_spec_update_moves_a_parked_pod_but_a_status_update_does_not(clock: FakeClock) -> None:
    queue = _queue(clock)
    first = pod("p")
    queue.add(first)
    _fail(queue, "default/p", "NodeResourcesFit")
    status_only = pod_obj("p")
    status_only["status"] = {"conditions": [{"type": "PodScheduled", "status": "False"}]}
    queue.update(first, PodInfo(status_only))
    assert queue.where("default/p") == UNSCHEDULABLE
    fixed = PodInfo(pod_obj("p", cpu="10m"))
    clock.advance(2)
    queue.update(PodInfo(status_only), fixed)
    assert queue.where("default/p") == ACTIVE
    assert queue.pop_nowait().pod is fixed


def test_gated_pods_wait_until_their_gates_are_removed(clock: FakeClock) -> None:
    queue = _queue(clock)
    gated = pod("p", schedulingGates=[{"name": "example.com/wait"}])
    queue.add(gated)
    assert queue.where("default/p") == GATED
    assert queue.metrics()["active"] == 0
    queue.update(gated, pod("p"))
    assert queue.where("default/p") == ACTIVE


def test_deleted_pods_leave_the_queue_and_the_nominator(clock: FakeClock) -> None:
    queue = _queue(clock)
    queue.add(pod("p"))
    queue.nominator.add(pod("p"), "node-1")
    queue.delete("default/p")
    assert queue.where("default/p") is None
    assert queue.nominator.nominated_pods_for_node("node-1") == []


def test_errors_without_plugins_go_to_backoff(clock: FakeClock) -> None:
    queue = _queue(clock)
    queue.add(pod("p"))
    _fail(queue, "default/p")
    assert queue.where("default/p") == BACKOFF


async def test_run_wakes_up_when_a_backoff_is_due(clock: FakeClock) -> None:
    queue = _queue(clock)
    runner = asyncio.create_task(queue.run())
    try:
        queue.add(pod("p"))
        qpi = await queue.pop()
        queue.add_unschedulable(qpi, rejected=False)
        assert queue.where("default/p") == BACKOFF
        for _ in range(100):  # let the timer task go to sleep until the backoff is over
            if clock.sleepers:
                break
            await asyncio.sleep(0)
        clock.advance(1)
        popped = await asyncio.wait_for(queue.pop(), 1)
        assert popped.key == "default/p" and popped.attempts == 2
    finally:
        runner.cancel()
