"""meta.k8s.io/v1 Table: what `kubectl get` prints, computed on the server."""

from __future__ import annotations

from typing import Any

from pyk8s.api.meta import parse_time

NAME_COLUMN = {
    "name": "Name",
    "type": "string",
    "format": "name",
    "priority": 0,
    "description": "Name must be unique within a namespace.",
}
AGE_COLUMN = {
    "name": "Age",
    "type": "string",
    "format": "",
    "priority": 0,
    "description": "Time since the object was created.",
}


def human_duration(seconds: float) -> str:
    """Durations as kubectl prints them: 45s, 3m20s, 15m, 5h10m, 20h, 3d4h, 40d, 2y100d."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if hours < 24 * 365 * 2:
        return f"{days}d"
    years = days // 365
    if hours < 24 * 365 * 8:
        return f"{years}y{days % 365}d" if days % 365 else f"{years}y"
    return f"{years}y"


def age(obj: dict[str, Any], now: float) -> str:
    """The Age cell of an object: time since metadata.creationTimestamp."""
    created = (obj.get("metadata") or {}).get("creationTimestamp")
    if not created:
        return "<unknown>"
    try:
        return human_duration(now - parse_time(created))
    except ValueError:
        return "<unknown>"


def since(timestamp: str | None, now: float) -> str:
    """Time since an RFC 3339 timestamp, or <unknown>."""
    if not timestamp:
        return "<unknown>"
    try:
        return human_duration(now - parse_time(timestamp))
    except ValueError:
        return "<unknown>"


def partial_metadata(obj: dict[str, Any]) -> dict[str, Any]:
    """The row object kubectl gets by default: PartialObjectMetadata."""
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": obj.get("metadata", {}),
    }


def table(
    columns: list[dict[str, Any]] | None,
    rows: list[dict[str, Any]],
    *,
    resource_version: str = "",
    continue_token: str = "",
    remaining: int | None = None,
) -> dict[str, Any]:
    """A Table object; `columns=None` omits the definitions (later events of a Table watch)."""
    metadata: dict[str, Any] = {}
    if resource_version:
        metadata["resourceVersion"] = resource_version
    if continue_token:
        metadata["continue"] = continue_token
    if remaining is not None:
        metadata["remainingItemCount"] = remaining
    out: dict[str, Any] = {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata}
    if columns is not None:
        out["columnDefinitions"] = columns
    out["rows"] = rows
    return out
