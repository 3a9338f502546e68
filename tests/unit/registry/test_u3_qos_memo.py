"""A pod's QoS class is remembered by its containers' resource maps (`pod._qos_key`): every
variant of a pod's resources gives the class (or the error) a fresh computation gives, with
nothing remembered and after the original and the variant were remembered."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from pyk8s.kinds.core import pod as pods

VALUES: list[Any] = ["100m", "0.1", "1", "128Mi", "0", "0m", "bad", "", 1, 0.5, 0, None, True, {}, []]
NAMES = ["cpu", "memory", "ephemeral-storage"]


def spec(requests: Any, limits: Any, *, init: Any = None) -> dict[str, Any]:
    containers: list[Any] = [
        {"name": "a", "resources": {"requests": requests, "limits": limits}},
        {"name": "b", "resources": {"requests": {"cpu": "10m"}, "limits": {"cpu": "10m", "memory": "1Gi"}}},
    ]
    out: dict[str, Any] = {"containers": containers}
    if init is not None:
        out["initContainers"] = init
    return out


def variants() -> list[dict[str, Any]]:
    out = []
    for name, value in itertools.product(NAMES, VALUES):
        out.append(spec({name: value}, {}))
        out.append(spec({}, {name: value}))
        out.append(spec({name: value}, {"cpu": "1", "memory": "1Gi"}))
        out.append(spec({"cpu": "1", "memory": "1Gi"}, {"cpu": "1", name: value}))
    guaranteed = {"cpu": "1", "memory": "1Gi"}
    out.append(spec(guaranteed, dict(guaranteed)))
    out.append(spec(guaranteed, {"memory": "1Gi", "cpu": "1"}))  # the other order
    out.append(spec(guaranteed, {"cpu": "1000m", "memory": "1024Mi"}))
    for odd in (None, "x", [], {}, {"resources": None}, {"resources": "x"}, {"resources": {"requests": "x"}}):
        out.append({"containers": [odd]})
        out.append(spec(guaranteed, guaranteed, init=[odd]))
    out.append(spec(guaranteed, guaranteed, init=[{"resources": {"requests": {"cpu": "1"}}}]))
    out.append({"containers": "x"})
    out.append({"containers": None, "initContainers": None})
    out.append({})
    return out


def fresh(value: dict[str, Any]) -> str:
    try:
        return pods._qos_class(copy.deepcopy(value))
    except Exception as err:  # the same failure either way
        return f"{type(err).__name__}: {err}"


def remembered(value: dict[str, Any]) -> str:
    try:
        return pods.qos_class(value)
    except Exception as err:
        return f"{type(err).__name__}: {err}"


@pytest.mark.parametrize("value", variants())
def test_qos_is_the_same_cold_and_warm(value: dict[str, Any]) -> None:
    pods._QOS_CLASSES.clear()
    expected = fresh(value)
    assert remembered(value) == expected  # cold
    for other in variants()[:40]:
        remembered(other)
    assert remembered(value) == expected  # warm
    assert remembered(copy.deepcopy(value)) == expected


def test_qos_memo_is_bounded() -> None:
    pods._QOS_CLASSES.clear()
    for i in range(pods._QOS_CAPACITY + 10):
        pods.qos_class(spec({"cpu": f"{i + 1}m"}, {}))
    assert len(pods._QOS_CLASSES) <= pods._QOS_CAPACITY
