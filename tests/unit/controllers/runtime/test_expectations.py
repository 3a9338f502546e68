"""Expectations: satisfied once observed, expired after the TTL, deletions counted once per key."""

from __future__ import annotations

from pyk8s._aio.clock import FakeClock
from pyk8s.controllers.runtime import ControllerExpectations, UIDTrackingControllerExpectations


def test_unknown_keys_are_satisfied() -> None:
    assert ControllerExpectations(clock=FakeClock()).satisfied("ns/rs")


def test_creations_must_all_be_observed() -> None:
    exp = ControllerExpectations(clock=FakeClock())
    exp.expect_creations("ns/rs", 3)
    for _ in range(2):
        exp.creation_observed("ns/rs")
        assert not exp.satisfied("ns/rs")
    exp.creation_observed("ns/rs")
    assert exp.satisfied("ns/rs")


def test_expectations_expire_after_the_ttl() -> None:
    clock = FakeClock()
    exp = ControllerExpectations(clock=clock, ttl=300)
    exp.expect_creations("ns/rs", 1)
    clock.advance(299)
    assert not exp.satisfied("ns/rs")
    clock.advance(2)
    assert exp.satisfied("ns/rs")


def test_setting_expectations_replaces_them_and_delete_forgets() -> None:
    exp = ControllerExpectations(clock=FakeClock())
    exp.expect_creations("ns/rs", 5)
    exp.expect_deletions("ns/rs", 1)
    assert exp.get("ns/rs").add == 0  # replaced, as client-go's SetExpectations does
    exp.lower_expectations("ns/rs", delete=1)
    assert exp.satisfied("ns/rs")
    exp.raise_expectations("ns/rs", add=2)
    assert not exp.satisfied("ns/rs")
    exp.delete("ns/rs")
    assert exp.get("ns/rs") is None and exp.satisfied("ns/rs")


def test_tracked_deletions_count_once_per_object() -> None:
    exp = UIDTrackingControllerExpectations(clock=FakeClock())
    exp.expect_deletions("ns/rs", ["ns/pod-a", "ns/pod-b"])
    exp.deletion_observed("ns/rs", "ns/pod-a")  # marked for deletion...
    exp.deletion_observed("ns/rs", "ns/pod-a")  # ...then deleted: counted once
    exp.deletion_observed("ns/rs", "ns/pod-z")  # not expected: ignored
    assert not exp.satisfied("ns/rs")
    assert exp.pending_deletions("ns/rs") == {"ns/pod-b"}
    exp.deletion_observed("ns/rs", "ns/pod-b")
    assert exp.satisfied("ns/rs")


def test_deleting_tracked_expectations_forgets_the_keys() -> None:
    exp = UIDTrackingControllerExpectations(clock=FakeClock())
    exp.expect_deletions("ns/rs", ["ns/pod-a"])
    exp.delete("ns/rs")
    assert exp.pending_deletions("ns/rs") == frozenset()
    assert exp.satisfied("ns/rs")
