"""EventCorrelator: repeat counting, similar-event aggregation, spam filtering (no I/O)."""

from __future__ import annotations

import itertools
from typing import Any

from pyk8s._aio.clock import FakeClock
from pyk8s.client.events import COMBINED_PREFIX, EventCorrelator, object_reference

RS = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {"name": "web", "namespace": "ns", "uid": "u1"},
}
_names = itertools.count()


def event(message: str, *, reason: str = "SuccessfulCreate", obj: dict[str, Any] = RS) -> dict[str, Any]:
    return {
        "metadata": {"name": f"web.{next(_names):x}", "namespace": "ns"},
        "involvedObject": object_reference(obj),
        "reason": reason,
        "message": message,
        "type": "Normal",
        "source": {"component": "replicaset-controller"},
        "firstTimestamp": "2024-01-01T00:00:00Z",
        "lastTimestamp": "2024-01-01T00:00:00Z",
        "count": 1,
    }


def test_object_reference() -> None:
    assert object_reference(RS, field_path="spec") == {
        "kind": "ReplicaSet",
        "apiVersion": "apps/v1",
        "namespace": "ns",
        "name": "web",
        "uid": "u1",
        "fieldPath": "spec",
    }


def test_repeats_patch_the_first_event_with_a_growing_count() -> None:
    correlator = EventCorrelator(clock=FakeClock())
    first = correlator.correlate(event("Created pod: a"))
    assert first is not None and first.patch is None
    second = correlator.correlate({**event("Created pod: a"), "lastTimestamp": "2024-01-01T00:05:00Z"})
    third = correlator.correlate(event("Created pod: a"))
    assert second is not None and third is not None
    assert second.event["metadata"]["name"] == first.event["metadata"]["name"]
    assert second.patch == {"count": 2, "lastTimestamp": "2024-01-01T00:05:00Z", "message": "Created pod: a"}
    assert third.patch is not None and third.patch["count"] == 3
    assert third.event["firstTimestamp"] == first.event["firstTimestamp"]


def test_the_server_answer_updates_the_remembered_name_and_count() -> None:
    correlator = EventCorrelator(clock=FakeClock())
    first = correlator.correlate(event("x"))
    assert first is not None
    correlator.update_state(first.key, {"metadata": {"name": "renamed"}, "count": 7})
    again = correlator.correlate(event("x"))
    assert again is not None and again.event["metadata"]["name"] == "renamed" and again.patch["count"] == 8


def test_similar_events_are_combined_after_ten_different_messages() -> None:
    correlator = EventCorrelator(clock=FakeClock())
    results = [correlator.correlate(event(f"Created pod: p{i}")) for i in range(12)]
    assert all(r is not None for r in results)
    assert all(r.patch is None and not r.event["message"].startswith(COMBINED_PREFIX) for r in results[:9])
    combined = results[9:]
    assert [r.event["message"] for r in combined] == [
        COMBINED_PREFIX + f"Created pod: p{i}" for i in (9, 10, 11)
    ]
    assert combined[0].patch is None  # the combined event is created once...
    assert [r.patch["count"] for r in combined[1:]] == [2, 3]  # ...then counted
    assert len({r.event["metadata"]["name"] for r in combined}) == 1


def test_aggregation_forgets_after_its_window() -> None:
    clock = FakeClock()
    correlator = EventCorrelator(clock=clock, max_similar=3)
    for i in range(2):
        correlator.correlate(event(f"m{i}"))
    clock.advance(601)
    result = correlator.correlate(event("m2"))
    assert result is not None and not result.event["message"].startswith(COMBINED_PREFIX)


def test_spam_filter_limits_each_source_and_object() -> None:
    clock = FakeClock()
    correlator = EventCorrelator(clock=clock, spam_burst=3, spam_qps=1 / 300)
    results = [correlator.correlate(event(f"m{i}", reason=f"R{i}")) for i in range(5)]
    assert [r is not None for r in results] == [True, True, True, False, False]
    other = {**RS, "metadata": {**RS["metadata"], "name": "api", "uid": "u2"}}
    assert correlator.correlate(event("m", obj=other)) is not None  # another object has its own budget
    clock.advance(300)
    assert correlator.correlate(event("later")) is not None
