"""The controllers a controller manager can run, by name, and which ones `--controllers` enables.

Each controller package exports a `ControllerDescriptor`: its name (as kube-controller-manager
spells it), aliases, whether it runs by default, and a factory that builds it from a
`ControllerContext`. The manager builds every enabled controller before starting the
informers, so each factory registers the informers and handlers it needs, and the shared
informer factory opens one watch per resource.

`--controllers` follows kube-controller-manager: a comma list where `*` enables everything
that is on by default, `name` enables one, `-name` disables one; the first mention of a
name wins, and a name nobody knows is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from pyk8s.controllers.runtime.context import ControllerContext


class Runnable(Protocol):
    """What a factory returns: a named thing that runs until cancelled (`Controller` is one)."""

    name: str

    async def run(self) -> None:
        """Run until cancelled."""
        ...


ControllerFactory = Callable[[ControllerContext], Runnable]


@dataclass(frozen=True)
class ControllerDescriptor:
    """A controller the manager knows."""

    name: str
    factory: ControllerFactory
    aliases: tuple[str, ...] = ()
    enabled_by_default: bool = True
    description: str = ""


class UnknownControllerError(ValueError):
    """`--controllers` named a controller that does not exist."""


class ControllerRegistry:
    """Descriptors by name and alias."""

    def __init__(self, descriptors: Iterable[ControllerDescriptor] = ()) -> None:
        self._descriptors: dict[str, ControllerDescriptor] = {}
        self._names: dict[str, str] = {}
        for descriptor in descriptors:
            self.register(descriptor)

    def register(self, descriptor: ControllerDescriptor) -> None:
        """Add a controller; its name and aliases must be new."""
        for name in (descriptor.name, *descriptor.aliases):
            if name in self._names:
                raise ValueError(f"controller name {name!r} is registered twice")
            self._names[name] = descriptor.name
        self._descriptors[descriptor.name] = descriptor

    def get(self, name: str) -> ControllerDescriptor:
        """The controller called `name` (or an alias of it)."""
        try:
            return self._descriptors[self._names[name]]
        except KeyError:
            raise UnknownControllerError(f"{name!r} is not in the list of known controllers") from None

    def names(self) -> list[str]:
        """Every controller name, sorted."""
        return sorted(self._descriptors)

    def __iter__(self) -> Iterator[ControllerDescriptor]:
        return iter(self._descriptors[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._descriptors)

    def select(self, controllers: Sequence[str] = ("*",)) -> list[ControllerDescriptor]:
        """The descriptors `controllers` (the `--controllers` list) enables, by name."""
        wanted: dict[str, bool] = {}
        star = False
        for raw in controllers:
            item = raw.strip()
            if not item:
                continue
            if item == "*":
                star = True
                continue
            enabled = not item.startswith("-")
            canonical = self.get(item.lstrip("-")).name
            wanted.setdefault(canonical, enabled)
        chosen = []
        for name in self.names():
            descriptor = self._descriptors[name]
            enabled = wanted.get(name)
            if enabled is None:
                enabled = star and descriptor.enabled_by_default
            if enabled:
                chosen.append(descriptor)
        return chosen


def parse_controllers_flag(value: str) -> list[str]:
    """`"*,-replicaset"` -> `["*", "-replicaset"]`."""
    return [part.strip() for part in value.split(",") if part.strip()]
