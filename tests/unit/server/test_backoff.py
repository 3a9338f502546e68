"""Restart backoff of supervised components."""

from __future__ import annotations

import pytest

from pyk8s.server.backoff import RestartBackoff


def test_quick_crashes_double_the_delay_up_to_the_maximum() -> None:
    backoff = RestartBackoff(initial=1.0, maximum=8.0, reset_after=60.0)
    assert [backoff.next(uptime=0.5) for _ in range(6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert backoff.restarts == 6


def test_a_component_that_ran_long_enough_starts_over() -> None:
    backoff = RestartBackoff(initial=1.0, maximum=30.0, reset_after=60.0)
    backoff.next(uptime=1)
    backoff.next(uptime=1)
    assert backoff.next(uptime=1) == 4.0
    assert backoff.next(uptime=61) == 1.0
    assert backoff.next(uptime=2) == 2.0


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        RestartBackoff(initial=0)
    with pytest.raises(ValueError):
        RestartBackoff(initial=5, maximum=1)
