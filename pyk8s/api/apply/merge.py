"""Merging an applied configuration into the live object (SMD's `TypedValue.Merge`).

Granular maps and structs merge key by key, the configuration winning at the leaves;
atomic values are replaced whole. Lists merge by item identity (keys for list-maps, the
value for sets) in SMD's order: items only in the live list stay where they are, items
the configuration also has follow the configuration's order, and new items are placed
before the next shared item (or at the end).

The result shares every subtree the configuration does not touch with `live`, and every
subtree only the configuration has with `config`: nothing is copied. Callers that go on
using `live` or `config` must not mutate the result in place (or copy first).
"""

from __future__ import annotations

from typing import Any

from pyk8s.api.apply._types import DEDUCED, Plan
from pyk8s.api.apply._values import MISSING
from pyk8s.api.apply.typed import item_pe

_CONTAINER = (None, dict, list, list)


def merge(live: Any, config: Any, plan: Plan) -> Any:
    """`config` merged into `live` (see the module docstring)."""
    return _merge(live, config, plan)


def _merge(lhs: Any, rhs: Any, plan: Plan) -> Any:
    if rhs is MISSING:
        return lhs
    if lhs is MISSING:
        return rhs  # what SMD rebuilds from the configuration alone is equal to it
    container = _CONTAINER[plan.kind]
    if container is not None:
        lt, rt = type(lhs), type(rhs)
        if (lt is container or lhs is None) and (rt is container or rhs is None):
            if not lhs and not rhs:
                return rhs  # both empty or null: a leaf
            if container is dict:
                return _merge_map(lhs or None, rhs or None, plan)
            return _merge_list(lhs or None, rhs or None, plan)
    return rhs


def _merge_map(lhs: dict[str, Any] | None, rhs: dict[str, Any] | None, plan: Plan) -> dict[str, Any]:
    if rhs is None:
        return lhs or {}  # a null configuration keeps what a granular map holds
    if lhs is None:
        return rhs
    fields, elem = plan.fields, plan.elem or DEDUCED
    out: dict[str, Any] = {}
    for key, value in lhs.items():
        theirs = rhs.get(key, MISSING)
        out[key] = value if theirs is MISSING else _merge(value, theirs, fields.get(key) or elem)
    for key, value in rhs.items():
        if key not in lhs:
            out[key] = value
    return out


def _merge_list(lhs: list[Any] | None, rhs: list[Any] | None, plan: Plan) -> list[Any]:
    if rhs is None:
        return lhs or []
    if lhs is None:
        return rhs
    item_plan = plan.item
    assert item_plan is not None
    rhs_pes = [item_pe(item, plan) or f"?r{i}" for i, item in enumerate(rhs)]
    observed_rhs = dict(zip(rhs_pes, rhs, strict=True))
    # Live items without a key (SMD rejects them) pass through untouched.
    lhs_pes = [item_pe(item, plan) or f"?l{i}" for i, item in enumerate(lhs)]
    observed_lhs: dict[str, Any] = {}
    for pe, item in zip(lhs_pes, lhs, strict=True):
        # A duplicated live item is not merged with the configuration's (SMD uses null).
        observed_lhs[pe] = None if pe in observed_lhs else item

    shared = [pe for pe in rhs_pes if pe in observed_lhs]
    shared.reverse()  # popped from the end, in the configuration's order
    next_shared = shared.pop() if shared else None
    merged_rhs: set[str] = set()
    out: list[Any] = []
    li = ri = 0
    llen, rlen = len(lhs_pes), len(rhs_pes)
    while li < llen or ri < rlen:
        if li < llen and ri < rlen:
            pe = lhs_pes[li]
            if pe == rhs_pes[ri]:
                merged_rhs.add(pe)
                out.append(_merge(observed_lhs[pe], observed_rhs[pe], item_plan))
                li += 1
                ri += 1
                next_shared = shared.pop() if shared else None
                continue
            if pe in observed_rhs and next_shared is not None and next_shared != pe:
                li += 1  # shared, but placed later in the configuration's order
                continue
        if li < llen:
            pe = lhs_pes[li]
            if pe not in observed_rhs:
                out.append(lhs[li])
                li += 1
                continue
            if pe in merged_rhs:
                li += 1
        if ri < rlen:
            pe = rhs_pes[ri]
            merged_rhs.add(pe)
            out.append(_merge(observed_lhs.get(pe, MISSING), observed_rhs[pe], item_plan))
            ri += 1
            if next_shared == pe:
                next_shared = shared.pop() if shared else None
    return out


def drop_nulls(value: Any) -> Any:
    """`value` without null map entries (what a Go object cannot hold); copies only what changes.

    Removal and null configurations leave nulls where Kubernetes' typed objects have zero
    values, which its JSON omits.
    """
    if type(value) is dict:
        out: dict[str, Any] | None = None
        for key, sub in value.items():
            new = MISSING if sub is None else drop_nulls(sub)
            if new is not sub:
                if out is None:
                    out = dict(value)
                if new is MISSING:
                    del out[key]
                else:
                    out[key] = new
        return value if out is None else out
    if type(value) is list:
        items: list[Any] | None = None
        for i, sub in enumerate(value):
            new = drop_nulls(sub) if type(sub) in (dict, list) else sub
            if new is not sub:
                if items is None:
                    items = list(value)
                items[i] = new
        return value if items is None else items
    return value
