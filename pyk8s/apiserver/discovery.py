"""Discovery documents: /version, /api, /apis, per group and group-version resource lists,
and aggregated discovery (apidiscovery.k8s.io v2 and v2beta1) for clients that ask."""

from __future__ import annotations

import base64
import hashlib
import platform
from typing import Any

from pyk8s import __version__
from pyk8s.apiserver.server import KUBERNETES_VERSION, ApiServer, Endpoint, GroupVersion


def version_info() -> dict[str, str]:
    major, minor, patch = KUBERNETES_VERSION
    return {
        "major": str(major),
        "minor": str(minor),
        "emulationMajor": str(major),
        "emulationMinor": str(minor),
        "minCompatibilityMajor": str(major),
        "minCompatibilityMinor": str(minor - 1),
        "gitVersion": f"v{major}.{minor}.{patch}+pyk8s.{__version__}",
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-11-22T00:00:00Z",
        "goVersion": f"python{platform.python_version()}",
        "compiler": "cpython",
        "platform": f"{platform.system().lower()}/{_arch()}",
    }


def _arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def storage_version_hash(endpoint: Endpoint) -> str:
    """Every version of a resource shares its storage version's hash (as Kubernetes does)."""
    info = endpoint.strategy.info
    digest = hashlib.sha256(f"{info.group}/{info.version}/{info.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def api_versions(server_address: str) -> dict[str, Any]:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }


def _group_entry(group: str, versions: list[GroupVersion]) -> dict[str, Any]:
    listed = [{"groupVersion": gv.group_version, "version": gv.version} for gv in versions]
    return {"name": group, "versions": listed, "preferredVersion": listed[0]}


def api_group_list(server: ApiServer) -> dict[str, Any]:
    groups = [_group_entry(g, versions) for g, versions in server.groups() if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(server: ApiServer, group: str) -> dict[str, Any] | None:
    for g, versions in server.groups():
        if g == group and g:
            return {"kind": "APIGroup", "apiVersion": "v1", **_group_entry(g, versions)}
    return None


def resource_list(gv: GroupVersion) -> dict[str, Any]:
    resources: list[dict[str, Any]] = []
    for endpoint in gv.resources:
        info = endpoint.info
        entry: dict[str, Any] = {
            "name": info.plural,
            "singularName": info.singular or info.kind.lower(),
            "namespaced": info.namespaced,
            "kind": info.kind,
            "verbs": sorted(info.verbs),
        }
        if info.short_names:
            entry["shortNames"] = list(info.short_names)
        if info.categories:
            entry["categories"] = list(info.categories)
        entry["storageVersionHash"] = storage_version_hash(endpoint)
        resources.append(entry)
        for sub in info.subresources:
            sub_entry: dict[str, Any] = {
                "name": f"{info.plural}/{sub.name}",
                "singularName": "",
                "namespaced": info.namespaced,
                "kind": sub.kind or info.kind,
                "verbs": sorted(sub.verbs),
            }
            if sub.group is not None:
                sub_entry["group"], sub_entry["version"] = sub.group, sub.version
            resources.append(sub_entry)
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": gv.group_version,
        "resources": resources,
    }


def _aggregated_resource(endpoint: Endpoint) -> dict[str, Any]:
    info = endpoint.info
    entry: dict[str, Any] = {
        "resource": info.plural,
        "responseKind": {"group": info.group, "version": info.version, "kind": info.kind},
        "scope": "Namespaced" if info.namespaced else "Cluster",
        "singularResource": info.singular or info.kind.lower(),
        "verbs": sorted(info.verbs),
    }
    if info.short_names:
        entry["shortNames"] = list(info.short_names)
    if info.categories:
        entry["categories"] = list(info.categories)
    subs = []
    for sub in info.subresources:
        group = info.group if sub.group is None else sub.group
        version = info.version if sub.version is None else sub.version
        subs.append(
            {
                "subresource": sub.name,
                "responseKind": {"group": group, "version": version, "kind": sub.kind or info.kind},
                "verbs": sorted(sub.verbs),
            }
        )
    if subs:
        entry["subresources"] = subs
    return entry


def aggregated(server: ApiServer, *, legacy: bool, version: str) -> dict[str, Any]:
    """APIGroupDiscoveryList for /api (legacy=True: the core group) or /apis."""
    items = []
    for group, versions in server.groups():
        if (group == "") != legacy:
            continue
        items.append(
            {
                "metadata": {"name": group, "creationTimestamp": None},
                "versions": [
                    {
                        "version": gv.version,
                        "freshness": "Current",
                        "resources": [_aggregated_resource(e) for e in gv.resources],
                    }
                    for gv in versions
                ],
            }
        )
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{version}",
        "metadata": {},
        "items": items,
    }
