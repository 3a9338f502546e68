"""The rolling-update budget: int-or-percent arithmetic and its rounding."""

from __future__ import annotations

import pytest

from pyk8s.controllers.deployment.fenceposts import (
    IntOrPercentError,
    max_surge,
    max_unavailable,
    min_available,
    resolve_fenceposts,
    scaled_value,
)

from .builders import deployment


@pytest.mark.parametrize(
    ("value", "total", "up", "expected"),
    [
        pytest.param(3, 10, True, 3, id="int"),
        pytest.param("25%", 10, True, 3, id="surge-rounds-up"),
        pytest.param("25%", 10, False, 2, id="unavailable-rounds-down"),
        pytest.param("30%", 10, True, 3, id="exact-up"),
        pytest.param("30%", 10, False, 3, id="exact-down"),
        pytest.param("1%", 1, True, 1, id="tiny-up"),
        pytest.param("1%", 1, False, 0, id="tiny-down"),
        pytest.param("100%", 7, False, 7, id="all"),
        pytest.param(None, 7, False, 0, id="none"),
        pytest.param("0%", 7, True, 0, id="zero-percent"),
    ],
)
def test_scaled_value(value: int | str | None, total: int, up: bool, expected: int) -> None:
    assert scaled_value(value, total, round_up=up) == expected


@pytest.mark.parametrize("value", ["25", "x%", "%", True])
def test_scaled_value_rejects_what_is_not_int_or_percent(value: object) -> None:
    with pytest.raises(IntOrPercentError):
        scaled_value(value, 10, round_up=True)  # type: ignore[arg-type]


def test_both_zero_after_rounding_allows_one_unavailable() -> None:
    assert resolve_fenceposts("10%", "10%", 5) == (1, 0)  # surge rounds up: no fix needed
    assert resolve_fenceposts(0, "10%", 5) == (0, 1)  # 0.5 rounds down to 0: one may go


def test_budget_of_the_default_strategy() -> None:
    d = deployment(10)
    assert (max_surge(d), max_unavailable(d), min_available(d)) == (3, 2, 8)


def test_max_unavailable_never_exceeds_replicas() -> None:
    d = deployment(3, surge=0, unavailable=5)
    assert max_unavailable(d) == 3
    assert min_available(d) == 0


def test_scaled_to_zero_has_nothing_unavailable() -> None:
    assert max_unavailable(deployment(0)) == 0


def test_recreate_has_no_budget() -> None:
    d = deployment(10, strategy="Recreate")
    assert (max_surge(d), max_unavailable(d), min_available(d)) == (0, 0, 0)
