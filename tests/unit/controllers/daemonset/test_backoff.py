"""The per-node backoff for failing daemon pods."""

from __future__ import annotations

from pyk8s.controllers.daemonset.backoff import FailedPodBackoff
from pyk8s.controllers.daemonset.controller import slow_start_batches


def test_backoff_doubles_up_to_the_maximum() -> None:
    backoff = FailedPodBackoff(initial=1.0, maximum=5.0)
    assert not backoff.in_backoff("n", 0.0)
    assert backoff.next("n", 0.0) == 1.0
    assert backoff.in_backoff("n", 0.5)
    assert not backoff.in_backoff("n", 1.0)
    assert backoff.next("n", 1.0) == 2.0
    assert backoff.remaining("n", 2.0) == 1.0
    assert backoff.next("n", 3.0) == 4.0
    assert backoff.next("n", 7.0) == 5.0
    assert not backoff.in_backoff("other", 7.0)


def test_backoff_forgets_quiet_keys() -> None:
    backoff = FailedPodBackoff(initial=1.0, maximum=5.0)
    backoff.next("n", 0.0)
    backoff.next("n", 1.0)
    assert backoff.next("n", 100.0) == 1.0  # quiet for more than twice the maximum
    backoff.gc(1000.0)
    assert len(backoff) == 0


def test_slow_start_batches() -> None:
    assert slow_start_batches(0) == []
    assert slow_start_batches(1) == [1]
    assert slow_start_batches(10) == [1, 2, 4, 3]
