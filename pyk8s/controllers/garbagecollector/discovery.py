"""Discovery for controllers that work on every resource (garbage collector, namespace
deletion, quota counts): what the API server serves, read through `pyk8s.client`.

`discover(client)` reads `/api`, `/apis` and each group-version's resource list (the
legacy shapes every server serves), and returns a `Discovery`: the served resources (no
subresources), which version of each group is preferred, and a REST mapping from
(apiVersion, kind) to the `Resource` that serves it. A group-version that fails to answer
is reported in `failed` (the namespace controller turns that into a condition) instead of
failing the whole discovery.

The client has no discovery of its own yet; when it grows one, this module should become a
thin adapter over it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyk8s.api.errors import StatusError
from pyk8s.client.errors import ClientError
from pyk8s.client.resources import Resource
from pyk8s.client.rest import Client


@dataclass(frozen=True)
class ApiResource:
    """One served resource of one group-version."""

    resource: Resource
    verbs: frozenset[str]
    preferred: bool

    @property
    def group(self) -> str:
        return self.resource.group

    @property
    def namespaced(self) -> bool:
        return self.resource.namespaced

    def supports(self, *verbs: str) -> bool:
        return all(v in self.verbs for v in verbs)


@dataclass
class Discovery:
    """What the server serves, as one snapshot."""

    resources: list[ApiResource] = field(default_factory=list)
    preferred_versions: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # group-version -> error text
    bad_group_versions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_kind: dict[tuple[str, str], Resource] = {}
        self._by_group_kind: dict[tuple[str, str], Resource] = {}
        self._index(self.resources)

    def _index(self, resources: Iterable[ApiResource]) -> None:
        for api in resources:
            r = api.resource
            self._by_kind.setdefault((r.api_version, r.kind), r)
            if api.preferred or (r.group, r.kind) not in self._by_group_kind:
                self._by_group_kind[(r.group, r.kind)] = r

    def preferred(self, *verbs: str) -> list[ApiResource]:
        """The preferred version of every resource supporting all `verbs`."""
        return [r for r in self.resources if r.preferred and r.supports(*verbs)]

    def resource_for(self, api_version: str, kind: str) -> Resource | None:
        """The resource serving `kind` objects of `api_version` (the REST mapping); a version
        no longer served maps to the group's preferred one."""
        exact = self._by_kind.get((api_version, kind))
        if exact is not None:
            return exact
        group = api_version.rpartition("/")[0] if "/" in api_version else ""
        return self._by_group_kind.get((group, kind))

    def find(self, group: str, plural: str) -> Resource | None:
        """The preferred-version resource `plural` of `group`."""
        for api in self.resources:
            if api.preferred and api.group == group and api.resource.plural == plural:
                return api.resource
        return None


def parse_group_version(text: str) -> tuple[str, str]:
    """("group", "version") from "group/version" or "version"; ValueError if malformed."""
    parts = text.split("/")
    if len(parts) == 1 and parts[0]:
        return "", parts[0]
    if len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    raise ValueError(f"unexpected GroupVersion string: {text}")


async def _resource_list(client: Client, path: str) -> dict[str, Any]:
    data = await client.request("GET", path)
    if not isinstance(data, dict):
        raise ClientError(f"GET {path}: not an APIResourceList")
    return data


async def discover(client: Client, *, all_versions: bool = True) -> Discovery:
    """Read the server's discovery documents (see the module docstring)."""
    group_versions: list[tuple[str, bool]] = []  # ("apps/v1", preferred)
    preferred: dict[str, str] = {}
    core = await client.request("GET", "/api")
    for version in (core or {}).get("versions") or ["v1"]:
        group_versions.append((version, version == ((core or {}).get("versions") or ["v1"])[0]))
    preferred[""] = ((core or {}).get("versions") or ["v1"])[0]
    groups = await client.request("GET", "/apis")
    for group in (groups or {}).get("groups") or []:
        name = group.get("name") or ""
        pref = ((group.get("preferredVersion") or {}).get("groupVersion")) or ""
        if pref:
            preferred[name] = pref.rpartition("/")[2]
        for version in group.get("versions") or []:
            gv = version.get("groupVersion") or ""
            if gv == pref or all_versions:
                group_versions.append((gv, gv == pref))

    result = Discovery(preferred_versions=preferred)

    async def one(gv: str, is_preferred: bool) -> list[ApiResource]:
        try:
            group, version = parse_group_version(gv)
        except ValueError as err:
            result.bad_group_versions.append(str(err))
            return []
        path = f"/api/{version}" if not group else f"/apis/{group}/{version}"
        try:
            data = await _resource_list(client, path)
        except (StatusError, ClientError) as err:
            result.failed[gv] = str(err)
            return []
        out = []
        for item in data.get("resources") or []:
            name = str(item.get("name") or "")
            if not name or "/" in name:
                continue
            resource = Resource(
                group, version, name, str(item.get("kind") or ""), bool(item.get("namespaced"))
            )
            out.append(ApiResource(resource, frozenset(item.get("verbs") or ()), is_preferred))
        return out

    lists = await asyncio.gather(*(one(gv, pref) for gv, pref in group_versions))
    result.resources = [r for chunk in lists for r in chunk]
    result._index(result.resources)
    return result
