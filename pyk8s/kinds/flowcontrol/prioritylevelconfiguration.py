"""PriorityLevelConfiguration: how much of the API server's concurrency a priority level
gets, and what happens to requests beyond it (queue or reject)."""

from __future__ import annotations

import math
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported, required
from pyk8s.api.resource import (
    AGE,
    NAME,
    Column,
    Obj,
    RequestContext,
    ResourceInfo,
    ResourceStrategy,
    Subresource,
)
from pyk8s.api.table import age
from pyk8s.kinds.flowcontrol import types
from pyk8s.kinds.flowcontrol.flowschema import GROUP, validate_conditions

RESOURCE = ResourceInfo(
    group=GROUP,
    version="v1",
    kind="PriorityLevelConfiguration",
    plural="prioritylevelconfigurations",
    singular="prioritylevelconfiguration",
    namespaced=False,
    subresources=(Subresource("status", ("get", "patch", "update")),),
)

TYPES = ["Exempt", "Limited"]
LIMIT_RESPONSES = ["Queue", "Reject"]
DEFAULT_SHARES = 30
DEFAULT_HAND_SIZE = 8
DEFAULT_QUEUES = 64
DEFAULT_QUEUE_LENGTH_LIMIT = 50
MAX_QUEUES = 10_000_000
MAX_HASH_BITS = 60


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def default_priority_level(spec: dict[str, Any]) -> None:
    limited = spec.get("limited")
    if isinstance(limited, dict):
        limited.setdefault("nominalConcurrencyShares", DEFAULT_SHARES)
        limited.setdefault("lendablePercent", 0)
        queuing = _dict(limited.get("limitResponse")).get("queuing")
        if isinstance(queuing, dict):
            for key, value in (
                ("handSize", DEFAULT_HAND_SIZE),
                ("queues", DEFAULT_QUEUES),
                ("queueLengthLimit", DEFAULT_QUEUE_LENGTH_LIMIT),
            ):
                if not queuing.get(key):
                    queuing[key] = value
    exempt = spec.get("exempt")
    if isinstance(exempt, dict):
        exempt.setdefault("nominalConcurrencyShares", 0)
        exempt.setdefault("lendablePercent", 0)


def _validate_shares(config: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    shares = config.get("nominalConcurrencyShares")
    if isinstance(shares, int) and shares < 0:
        errs.append(invalid(path.child("nominalConcurrencyShares"), shares, "must be a non-negative integer"))
    lendable = config.get("lendablePercent")
    if isinstance(lendable, int) and not 0 <= lendable <= 100:
        errs.append(invalid(path.child("lendablePercent"), lendable, "must be between 0 and 100, inclusive"))
    return errs


def validate_queuing(queuing: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    limit = queuing.get("queueLengthLimit", 0)
    if limit <= 0:
        errs.append(invalid(path.child("queueLengthLimit"), limit, "must be positive"))
    queues = queuing.get("queues", 0)
    if queues <= 0:
        errs.append(invalid(path.child("queues"), queues, "must be positive"))
    elif queues > MAX_QUEUES:
        errs.append(invalid(path.child("queues"), queues, f"must not be greater than {MAX_QUEUES}"))
    hand = queuing.get("handSize", 0)
    if hand <= 0:
        errs.append(invalid(path.child("handSize"), hand, "must be positive"))
    elif hand > queues:
        errs.append(invalid(path.child("handSize"), hand, f"should not be greater than queues ({queues})"))
    elif math.ceil(math.log2(queues) * hand) > MAX_HASH_BITS:
        errs.append(
            invalid(
                path.child("handSize"),
                hand,
                f"required entropy bits of deckSize {queues} and handSize {hand} should not be greater than "
                f"{MAX_HASH_BITS}",
            )
        )
    return errs


def validate_limited(limited: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs = _validate_shares(limited, path)
    borrowing = limited.get("borrowingLimitPercent")
    if isinstance(borrowing, int) and borrowing < 0:
        errs.append(
            invalid(
                path.child("borrowingLimitPercent"), borrowing, "if specified, must be a non-negative integer"
            )
        )
    response, rpath = _dict(limited.get("limitResponse")), path.child("limitResponse")
    kind = response.get("type", "")
    if kind == "Reject":
        if response.get("queuing") is not None:
            errs.append(
                forbidden(rpath.child("queuing"), "must be nil if limited.limitResponse.type is not Limited")
            )
    elif kind == "Queue":
        if response.get("queuing") is None:
            errs.append(
                required(rpath.child("queuing"), "must not be empty if limited.limitResponse.type is Limited")
            )
        else:
            errs += validate_queuing(response["queuing"], rpath.child("queuing"))
    else:
        errs.append(not_supported(rpath.child("type"), kind, LIMIT_RESPONSES))
    return errs


def validate_priority_level_spec(name: str, spec: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    kind = spec.get("type", "")
    if (name == "exempt") != (kind == "Exempt"):
        errs.append(
            invalid(path.child("type"), kind, "type must be 'Exempt' if and only if name is 'exempt'")
        )
    if kind == "Exempt":
        if spec.get("limited") is not None:
            errs.append(forbidden(path.child("limited"), "must be nil if the type is not Limited"))
        if spec.get("exempt") is not None:
            errs += _validate_shares(_dict(spec["exempt"]), path.child("exempt"))
    elif kind == "Limited":
        if spec.get("exempt") is not None:
            errs.append(forbidden(path.child("exempt"), "must be nil if the type is Limited"))
        if spec.get("limited") is None:
            errs.append(required(path.child("limited"), "must not be empty when type is Limited"))
        else:
            errs += validate_limited(_dict(spec["limited"]), path.child("limited"))
    else:
        errs.append(not_supported(path.child("type"), kind, TYPES))
    return errs


class PriorityLevelConfigurationStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.PriorityLevelConfiguration
    tracks_generation = True
    columns = (
        NAME,
        Column("Type", description="Exempt, or Limited in concurrency."),
        Column("NominalConcurrencyShares", description="The level's share of the server's concurrency."),
        Column("Queues", description="How many queues requests wait in."),
        Column("HandSize", description="How many queues a flow may use."),
        Column("QueueLengthLimit", description="How many requests a queue holds."),
        AGE,
    )

    def default(self, obj: Obj) -> None:
        default_priority_level(obj.setdefault("spec", {}))

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        name = obj.get("metadata", {}).get("name", "")
        errs = validate_priority_level_spec(name, _dict(obj.get("spec")), FieldPath("spec"))
        return errs + validate_conditions(_dict(obj.get("status")), FieldPath("status"))

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_conditions(_dict(obj.get("status")), FieldPath("status"))

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _dict(obj.get("spec"))
        shares: Any = "<none>"
        queues: Any = "<none>"
        hand: Any = "<none>"
        limit: Any = "<none>"
        limited = spec.get("limited")
        if isinstance(limited, dict):
            shares = limited.get("nominalConcurrencyShares", 0)
            queuing = _dict(limited.get("limitResponse")).get("queuing")
            if isinstance(queuing, dict):
                queues = queuing.get("queues", 0)
                hand = queuing.get("handSize", 0)
                limit = queuing.get("queueLengthLimit", 0)
        return [
            obj["metadata"].get("name", ""),
            spec.get("type", ""),
            shares,
            queues,
            hand,
            limit,
            age(obj, now),
        ]
