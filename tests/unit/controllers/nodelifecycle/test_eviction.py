"""Taint-based eviction timing, on a fake clock."""

from __future__ import annotations

from pyk8s._aio.clock import FakeClock
from pyk8s.controllers.nodelifecycle.eviction import (
    EvictionSchedule,
    matching_tolerations,
    min_toleration_seconds,
    tolerates,
    verdict,
)

UNREACHABLE = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
NOT_READY = {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}


def pod(*tolerations: dict) -> dict:
    return {"spec": {"tolerations": list(tolerations)}}


def toleration(key: str, seconds: int | None = None, **extra: str) -> dict:
    t = {"key": key, "operator": "Exists", "effect": "NoExecute", **extra}
    if seconds is not None:
        t["tolerationSeconds"] = seconds
    return t


def test_toleration_matching() -> None:
    assert tolerates({"operator": "Exists"}, UNREACHABLE)
    assert tolerates({"key": UNREACHABLE["key"], "operator": "Exists"}, UNREACHABLE)
    assert not tolerates(
        {"key": UNREACHABLE["key"], "effect": "NoSchedule", "operator": "Exists"}, UNREACHABLE
    )
    assert tolerates({"key": "k", "value": "v"}, {"key": "k", "value": "v", "effect": "NoExecute"})
    assert not tolerates({"key": "k", "value": "x"}, {"key": "k", "value": "v", "effect": "NoExecute"})
    ok, used = matching_tolerations([UNREACHABLE, NOT_READY], [toleration(UNREACHABLE["key"], 5)])
    assert not ok and used == []
    assert min_toleration_seconds([toleration("a", 30), toleration("b", 10), toleration("c")]) == 10
    assert min_toleration_seconds([toleration("a")]) is None


def test_untolerated_taint_evicts_at_once() -> None:
    assert verdict(pod(), [UNREACHABLE], 100.0, None).evict_at == 100.0


def test_toleration_seconds_delay_the_eviction_from_the_first_sighting() -> None:
    clock = FakeClock()
    schedule = EvictionSchedule()
    p = pod(toleration(UNREACHABLE["key"], 300))
    first = verdict(p, [UNREACHABLE], clock.monotonic(), schedule.started("ns/p"))
    assert first.evict_at == 300.0
    schedule.schedule("ns/p", clock.monotonic(), first.evict_at)
    clock.advance(200)
    again = verdict(p, [UNREACHABLE], clock.monotonic(), schedule.started("ns/p"))
    assert again.evict_at == 300.0  # the countdown keeps its start
    assert not schedule.schedule("ns/p", 200.0, 500.0)  # a later deadline never replaces
    assert schedule.due(clock.monotonic()) == []
    clock.advance(100)
    assert schedule.due(clock.monotonic()) == ["ns/p"]
    assert schedule.next_deadline() == 300.0
    assert schedule.cancel("ns/p") and len(schedule) == 0


def test_tolerating_forever_or_no_taint_means_no_eviction() -> None:
    assert verdict(pod(toleration(UNREACHABLE["key"])), [UNREACHABLE], 0.0, None).evict_at is None
    assert verdict(pod(), [], 0.0, None).evict_at is None
