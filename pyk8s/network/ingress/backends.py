"""From a Service backend to pod addresses: the Service's port, then that port's number in
each EndpointSlice (named target ports differ per pod), over ready endpoints. Pure.

Like the service proxy, when no endpoint is ready the serving-but-terminating ones are
used rather than failing every request during a rollout's last moments.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

Obj = dict[str, Any]


def service_port(service: Obj, port: int | str) -> Obj | None:
    """The Service port a backend names, by number or name (TCP only: HTTP rides on TCP)."""
    for entry in (service.get("spec") or {}).get("ports") or []:
        if str(entry.get("protocol") or "TCP") != "TCP":
            continue
        if (isinstance(port, int) and entry.get("port") == port) or (
            isinstance(port, str) and port and entry.get("name") == port
        ):
            return entry
    return None


def endpoints_for(service: Obj, slices: Iterable[Obj], port: int | str) -> list[tuple[str, int]]:
    """(address, port) of the endpoints serving `port` of `service`, ready ones first choice."""
    if (service.get("spec") or {}).get("type") == "ExternalName":
        return []
    entry = service_port(service, port)
    if entry is None:
        return []
    name = str(entry.get("name") or "")
    ready: list[tuple[str, int]] = []
    serving: list[tuple[str, int]] = []
    for slice_ in sorted(slices, key=lambda s: str((s.get("metadata") or {}).get("name"))):
        if slice_.get("addressType") not in ("IPv4", "IPv6"):
            continue
        numbers = [
            int(p["port"])
            for p in slice_.get("ports") or []
            if str(p.get("name") or "") == name and str(p.get("protocol") or "TCP") == "TCP" and p.get("port")
        ]
        if not numbers:
            continue
        for endpoint in slice_.get("endpoints") or []:
            addresses = endpoint.get("addresses") or []
            if not addresses:
                continue
            target = (str(addresses[0]), numbers[0])
            conditions = endpoint.get("conditions") or {}
            if conditions.get("ready") is not False:
                if target not in ready:
                    ready.append(target)
            elif conditions.get("serving") and target not in serving:
                serving.append(target)
    return ready or serving


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class RoundRobin:
    """Spreads requests over each backend's endpoints in turn."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def order(self, key: str, endpoints: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
        """`endpoints` rotated to start at this backend's next turn (the rest are retries)."""
        if not endpoints:
            return []
        start = self._next.get(key, 0) % len(endpoints)
        self._next[key] = start + 1
        return [*endpoints[start:], *endpoints[:start]]
