"""The rolling-update budget of a Deployment: how far above and below `spec.replicas` a
rollout may go.

`maxSurge` and `maxUnavailable` are integers or percentages of `spec.replicas`. A surge
percentage rounds up and an unavailability percentage rounds down, so a 25%/25% budget on 10
replicas is 3 extra pods and 2 missing ones. Should both resolve to 0 (validation forbids
writing both as 0, but 10% of 5 rounds down to 0), one pod may be unavailable: a rollout must
be able to move even when quota forbids surging.

Recreate Deployments have no budget: no surge, nothing unavailable counted.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

ROLLING_UPDATE = "RollingUpdate"
RECREATE = "Recreate"


class IntOrPercentError(ValueError):
    """An int-or-string value that is neither an integer nor a percentage."""


def scaled_value(value: int | str | None, total: int, *, round_up: bool) -> int:
    """An int-or-percent value resolved against `total` (GetScaledValueFromIntOrPercent).

    None counts as 0. A string must be digits followed by `%`.
    """
    if value is None:
        return 0
    if isinstance(value, bool):
        raise IntOrPercentError(f"invalid value for IntOrString: {value!r}")
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or not value.endswith("%"):
        raise IntOrPercentError(
            f"invalid value for IntOrString: invalid type: string is not a percentage: {value!r}"
        )
    try:
        percent = int(value[:-1])
    except ValueError:
        raise IntOrPercentError(f"invalid value for IntOrString: {value!r}") from None
    # Integer arithmetic: exact where Kubernetes' float ceil/floor is exact too.
    product = percent * total
    return -(-product // 100) if round_up else product // 100


def spec_replicas(deployment: Obj) -> int:
    """`spec.replicas` (the API server defaults it to 1)."""
    replicas = (deployment.get("spec") or {}).get("replicas", 1)
    return replicas if isinstance(replicas, int) else 1


def strategy_type(deployment: Obj) -> str:
    strategy = (deployment.get("spec") or {}).get("strategy") or {}
    return str(strategy.get("type") or ROLLING_UPDATE)


def is_rolling_update(deployment: Obj) -> bool:
    return strategy_type(deployment) == ROLLING_UPDATE


def resolve_fenceposts(max_surge: Any, max_unavailable: Any, desired: int) -> tuple[int, int]:
    """(surge, unavailable) for `desired` replicas; never both 0 (see the module docstring)."""
    surge = scaled_value(max_surge if max_surge is not None else 0, desired, round_up=True)
    unavailable = scaled_value(max_unavailable if max_unavailable is not None else 0, desired, round_up=False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def _rolling_params(deployment: Obj) -> tuple[Any, Any]:
    strategy = (deployment.get("spec") or {}).get("strategy") or {}
    rolling = strategy.get("rollingUpdate") or {}
    return rolling.get("maxSurge"), rolling.get("maxUnavailable")


def max_surge(deployment: Obj) -> int:
    """How many pods above `spec.replicas` a rolling update may run (0 for Recreate)."""
    if not is_rolling_update(deployment):
        return 0
    surge, unavailable = _rolling_params(deployment)
    return resolve_fenceposts(surge, unavailable, spec_replicas(deployment))[0]


def max_unavailable(deployment: Obj) -> int:
    """How many of `spec.replicas` may be unavailable during a rolling update, at most all
    of them (0 for Recreate and for a Deployment scaled to 0)."""
    replicas = spec_replicas(deployment)
    if not is_rolling_update(deployment) or replicas == 0:
        return 0
    surge, unavailable = _rolling_params(deployment)
    return min(resolve_fenceposts(surge, unavailable, replicas)[1], replicas)


def min_available(deployment: Obj) -> int:
    """The available pods a rolling update keeps at least (0 for Recreate)."""
    if not is_rolling_update(deployment):
        return 0
    return spec_replicas(deployment) - max_unavailable(deployment)
