"""`--controllers` selection, as kube-controller-manager reads it."""

from __future__ import annotations

import pytest

from pyk8s.controllers.known import known_controllers
from pyk8s.controllers.runtime import ControllerDescriptor, ControllerRegistry, UnknownControllerError
from pyk8s.controllers.runtime.registry import parse_controllers_flag


def _factory(ctx: object) -> object:
    raise AssertionError("not built in these tests")


@pytest.fixture
def registry() -> ControllerRegistry:
    return ControllerRegistry(
        [
            ControllerDescriptor("replicaset", _factory, aliases=("replicaset-controller",)),  # type: ignore[arg-type]
            ControllerDescriptor("deployment", _factory),  # type: ignore[arg-type]
            ControllerDescriptor("bootstrapsigner", _factory, enabled_by_default=False),  # type: ignore[arg-type]
        ]
    )


def selected(registry: ControllerRegistry, flag: str) -> list[str]:
    return [d.name for d in registry.select(parse_controllers_flag(flag))]


@pytest.mark.parametrize(
    ("flag", "names"),
    [
        ("*", ["deployment", "replicaset"]),
        ("*,-replicaset", ["deployment"]),
        ("*,bootstrapsigner", ["bootstrapsigner", "deployment", "replicaset"]),
        ("replicaset", ["replicaset"]),
        ("replicaset-controller", ["replicaset"]),
        ("-replicaset,*", ["deployment"]),
        ("replicaset,-replicaset", ["replicaset"]),  # the first mention wins
        ("", []),
    ],
)
def test_selection(registry: ControllerRegistry, flag: str, names: list[str]) -> None:
    assert selected(registry, flag) == names


def test_unknown_names_are_errors(registry: ControllerRegistry) -> None:
    with pytest.raises(UnknownControllerError, match="'nope' is not in the list of known controllers"):
        registry.select(["*", "-nope"])


def test_names_and_aliases_are_unique(registry: ControllerRegistry) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(ControllerDescriptor("other", _factory, aliases=("deployment",)))  # type: ignore[arg-type]


def test_the_built_in_controllers_include_the_replica_controllers() -> None:
    names = known_controllers().names()
    assert {"replicaset", "replicationcontroller"} <= set(names)
