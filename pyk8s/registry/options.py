"""Request options the registry understands, parsed from query strings by the API server."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import orjson

from pyk8s.api.errors import BadRequestError
from pyk8s.api.selectors import FieldSelector, LabelSelector


@dataclass(frozen=True, slots=True)
class ListOptions:
    """List and watch parameters (metav1.ListOptions)."""

    label_selector: LabelSelector = field(default_factory=LabelSelector)
    field_selector: FieldSelector = field(default_factory=FieldSelector)
    limit: int = 0
    continue_token: str = ""
    resource_version: str = ""
    resource_version_match: str = ""  # "" | NotOlderThan | Exact
    send_initial_events: bool = False
    allow_bookmarks: bool = False
    timeout_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class DeleteOptions:
    """Delete parameters (metav1.DeleteOptions)."""

    grace_period_seconds: int | None = None
    uid: str = ""  # preconditions
    resource_version: str = ""
    propagation_policy: str = ""  # "" | Orphan | Background | Foreground
    dry_run: bool = False
    orphan_dependents: bool | None = None  # deprecated; only changes the response code


_TOKEN_VERSION = "meta.k8s.io/v1"


def encode_continue(revision: int, start_after: str) -> str:
    """The opaque `continue` token: where the next page starts, at which revision."""
    raw = orjson.dumps({"v": _TOKEN_VERSION, "rv": revision, "start": start_after})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_continue(token: str) -> tuple[int, str]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if data.get("v") != _TOKEN_VERSION:
            raise ValueError("unknown version")
        revision, start = int(data["rv"]), str(data["start"])
        if revision <= 0:
            raise ValueError("bad revision")
    except (ValueError, KeyError, TypeError):
        raise BadRequestError(
            "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
        ) from None
    return revision, start
