"""Turn a request path and method into what it asks for (the apiserver's RequestInfo)."""

from __future__ import annotations

from dataclasses import dataclass

from multidict import MultiMapping

# Subresources of a namespace object, which otherwise would read as resources in it.
_NAMESPACE_SUBRESOURCES = {"status", "finalize"}


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """A resource request: /api/v1/... or /apis/GROUP/VERSION/..."""

    verb: str  # get | list | watch | create | update | patch | delete | deletecollection
    group: str
    version: str
    namespace: str
    resource: str
    name: str
    subresource: str
    parts: tuple[str, ...]  # path segments after the version (for errors and proxy paths)

    @property
    def api_prefix(self) -> str:
        return "/api" if not self.group else "/apis"


def parse_resource_path(method: str, path: str, query: MultiMapping[str]) -> RequestInfo | None:
    """The RequestInfo of a resource URL, or None for anything else (discovery, health, ...)."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return None
    if segments[0] == "api":
        if len(segments) < 3:
            return None
        group, version, rest = "", segments[1], segments[2:]
    elif segments[0] == "apis":
        if len(segments) < 4:
            return None
        group, version, rest = segments[1], segments[2], segments[3:]
    else:
        return None
    watch_path = False
    if rest and rest[0] == "watch":
        watch_path, rest = True, rest[1:]
        if not rest:
            return None
    namespace = name = subresource = ""
    if rest[0] == "namespaces" and len(rest) > 1:
        if len(rest) > 2 and rest[2] not in _NAMESPACE_SUBRESOURCES:
            namespace, rest = rest[1], rest[2:]
        else:
            rest = rest  # the namespace object itself: namespaces/NAME[/status|/finalize]
    resource = rest[0]
    if len(rest) > 1:
        name = rest[1]
    if len(rest) > 2:
        subresource = rest[2]
    verb = _verb(method, bool(name), watch_path or _is_true(query.get("watch")))
    return RequestInfo(verb, group, version, namespace, resource, name, subresource, tuple(rest))


def _is_true(value: str | None) -> bool:
    return value is not None and value.lower() in ("true", "1")


def _verb(method: str, named: bool, watch: bool) -> str:
    if method in ("GET", "HEAD"):
        if watch:
            return "watch"
        return "get" if named else "list"
    if method == "POST":
        return "create"
    if method == "PUT":
        return "update"
    if method == "PATCH":
        return "patch"
    if method == "DELETE":
        return "delete" if named else "deletecollection"
    return method.lower()
