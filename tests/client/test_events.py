"""Event recording against a real server: repeats counted on one Event, similar events
combined, a deleted Event re-created, and recording that never blocks."""

from __future__ import annotations

import pytest

from pyk8s.client import NORMAL, WARNING, Client, EventBroadcaster
from pyk8s.client.events import COMBINED_PREFIX, EventCorrelator
from pyk8s.client.resources import CONFIGMAPS, EVENTS, NODES


async def events_about(client: Client, name: str, namespace: str = "default") -> list[dict]:
    listed = await client.list(EVENTS, namespace=namespace, field_selector={"involvedObject.name": name})
    return sorted(listed["items"], key=lambda e: e["metadata"]["name"])


@pytest.fixture
async def broadcaster(client: Client):
    b = EventBroadcaster(client)
    yield b
    await b.stop()


async def test_a_repeated_event_is_one_event_with_a_count(
    client: Client, broadcaster: EventBroadcaster
) -> None:
    cm = await client.create(CONFIGMAPS, {"metadata": {"name": "target", "namespace": "default"}})
    recorder = broadcaster.new_recorder("test-controller")
    for _ in range(3):
        recorder.event(cm, WARNING, "FailedCreate", "Error creating: quota exceeded")
    recorder.event(cm, NORMAL, "SuccessfulCreate", "Created pod: p1")
    await broadcaster.flush()
    events = await events_about(client, "target")
    by_reason = {e["reason"]: e for e in events}
    assert len(events) == 2
    failed = by_reason["FailedCreate"]
    assert failed["count"] == 3 and failed["type"] == "Warning"
    assert failed["source"] == {"component": "test-controller"}
    assert failed["involvedObject"]["uid"] == cm["metadata"]["uid"]
    assert failed["involvedObject"]["kind"] == "ConfigMap"
    assert failed["firstTimestamp"] <= failed["lastTimestamp"]
    assert by_reason["SuccessfulCreate"]["count"] == 1


async def test_similar_events_are_combined(client: Client, broadcaster: EventBroadcaster) -> None:
    cm = await client.create(CONFIGMAPS, {"metadata": {"name": "busy", "namespace": "default"}})
    recorder = broadcaster.new_recorder("test-controller")
    for i in range(12):
        recorder.event(cm, NORMAL, "SuccessfulCreate", f"Created pod: busy-{i}")
    await broadcaster.flush()
    events = await events_about(client, "busy")
    combined = [e for e in events if e["message"].startswith(COMBINED_PREFIX)]
    assert len(events) == 10
    assert len(combined) == 1 and combined[0]["count"] == 3
    assert combined[0]["message"] == COMBINED_PREFIX + "Created pod: busy-11"


async def test_a_deleted_event_is_created_again(client: Client, broadcaster: EventBroadcaster) -> None:
    cm = await client.create(CONFIGMAPS, {"metadata": {"name": "again", "namespace": "default"}})
    recorder = broadcaster.new_recorder("test-controller")
    recorder.event(cm, NORMAL, "Synced", "synced")
    await broadcaster.flush()
    (first,) = await events_about(client, "again")
    await client.delete(EVENTS, first["metadata"]["name"], namespace="default")
    recorder.event(cm, NORMAL, "Synced", "synced")
    await broadcaster.flush()
    (second,) = await events_about(client, "again")
    assert second["count"] == 2


async def test_events_about_cluster_scoped_objects_go_to_default(
    client: Client, broadcaster: EventBroadcaster
) -> None:
    node = await client.create(NODES, {"metadata": {"name": "n1"}})
    broadcaster.new_recorder("node-controller", host="cp-1").event(
        node, NORMAL, "RegisteredNode", "Node n1 event"
    )
    await broadcaster.flush()
    (event,) = await events_about(client, "n1")
    assert event["metadata"]["namespace"] == "default"
    assert event["source"] == {"component": "node-controller", "host": "cp-1"}
    assert event["reportingInstance"] == "cp-1"


async def test_recording_never_blocks_and_drops_what_does_not_fit(client: Client) -> None:
    broadcaster = EventBroadcaster(
        client, queue_size=10, correlator=EventCorrelator(clock=client.clock, spam_burst=1000)
    )
    cm = {
        "kind": "ConfigMap",
        "apiVersion": "v1",
        "metadata": {"name": "flood", "namespace": "default", "uid": "u"},
    }
    recorder = broadcaster.new_recorder("test-controller")
    for i in range(100):  # no await in between: the writer cannot run
        recorder.event(cm, NORMAL, f"Reason{i}", "m")
    assert broadcaster.dropped == 90
    await broadcaster.flush()
    assert broadcaster.written == 10
    await broadcaster.stop()


async def test_the_spam_filter_limits_events_per_object(client: Client) -> None:
    broadcaster = EventBroadcaster(client, correlator=EventCorrelator(clock=client.clock, spam_burst=5))
    cm = await client.create(CONFIGMAPS, {"metadata": {"name": "spam", "namespace": "default"}})
    recorder = broadcaster.new_recorder("test-controller")
    for i in range(8):
        recorder.event(cm, NORMAL, f"Reason{i}", "m")
    await broadcaster.flush()
    assert len(await events_about(client, "spam")) == 5
    assert broadcaster.dropped == 3
    await broadcaster.stop()
