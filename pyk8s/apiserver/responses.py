"""Encoding responses: objects, lists (joined from cached bytes), Tables, Status errors."""

from __future__ import annotations

import time
from sys import intern
from typing import Any

import orjson
import yaml
from aiohttp import web

from pyk8s.api.errors import StatusError
from pyk8s.api.resource import ResourceStrategy
from pyk8s.api.table import partial_metadata, since, table
from pyk8s.apiserver.negotiation import JSON, Output
from pyk8s.registry.watchcache import CachedObject

_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dumps(value: Any, output: Output | None = None) -> bytes:
    if output is not None and output.format == "yaml":
        return yaml.dump(value, Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True).encode()
    if output is not None and output.pretty:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2)
    return orjson.dumps(value)


def respond(
    body: bytes, output: Output | None, *, status: int = 200, warnings: list[str] | None = None
) -> web.Response:
    response = web.Response(body=body, status=status, content_type=None)
    response.headers["Content-Type"] = output.content_type if output is not None else JSON
    for warning in warnings or []:
        response.headers.add("Warning", warning_header(warning))
    return response


def warning_header(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'299 - "{escaped}"'


def object_response(
    obj: dict[str, Any],
    output: Output,
    strategy: ResourceStrategy,
    *,
    status: int = 200,
    warnings: list[str] | None = None,
    include_object: str = "",
) -> web.Response:
    if output.table:
        body = dumps(table_for(strategy, [obj], include_object=include_object))
    else:
        body = dumps(obj, output)
    return respond(body, output, status=status, warnings=warnings)


def raw_object_response(
    cached: CachedObject, output: Output, strategy: ResourceStrategy, include_object: str = ""
) -> web.Response:
    """A single object straight from the cache's bytes when the client wants plain JSON."""
    if output.table or output.format != "json" or output.pretty:
        return object_response(cached.obj(), output, strategy, include_object=include_object)
    return respond(cached.raw, output)


def list_body(
    kind: str,
    api_version: str,
    items: list[CachedObject],
    resource_version: int,
    continue_token: str = "",
    remaining: int | None = None,
) -> bytes:
    """A `<Kind>List` as one join of cached bytes: no object is re-encoded."""
    meta: dict[str, Any] = {"resourceVersion": str(resource_version)}
    if continue_token:
        meta["continue"] = continue_token
    if remaining is not None:
        meta["remainingItemCount"] = remaining
    head = b'{"kind":"' + kind.encode() + b'","apiVersion":"' + api_version.encode() + b'","metadata":'
    return head + orjson.dumps(meta) + b',"items":[' + b",".join(o.raw for o in items) + b"]}"


def table_rows(
    strategy: ResourceStrategy, objects: list[dict[str, Any]], *, include_object: str
) -> list[dict]:
    now = time.time()
    rows = []
    for obj in objects:
        row: dict[str, Any] = {"cells": strategy.table_row(obj, now)}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial_metadata(obj)
        rows.append(row)
    return rows


def table_for(
    strategy: ResourceStrategy,
    objects: list[dict[str, Any]],
    *,
    include_object: str = "",
    resource_version: str = "",
    continue_token: str = "",
    remaining: int | None = None,
    with_columns: bool = True,
) -> dict[str, Any]:
    columns = strategy.table_columns() if with_columns else None
    rows = table_rows(strategy, objects, include_object=include_object)
    return table(
        columns, rows, resource_version=resource_version, continue_token=continue_token, remaining=remaining
    )


def table_list_body(
    strategy: ResourceStrategy,
    objects: list[CachedObject],
    *,
    include_object: str = "",
    resource_version: str = "",
    continue_token: str = "",
    remaining: int | None = None,
) -> bytes:
    """A Table of many objects, encoded row by row from the cached bytes.

    A row's cells are computed once per object version and kept with it (only an Age cell
    is recomputed); the row's metadata is sliced from the cached bytes. So a repeated
    `kubectl get` decodes nothing, and the first one decodes each object once and drops it.
    """
    now = time.time()
    head = table(
        strategy.table_columns(),
        [],
        resource_version=resource_version,
        continue_token=continue_token,
        remaining=remaining,
    )
    encoded = orjson.dumps(head)
    if strategy.sorts_table_rows:
        objects = sorted(objects, key=lambda cached: strategy.table_sort_key(cached.obj()))
    age_index = age_index_of(strategy)
    rows = [table_row_bytes(strategy, cached, include_object, now, age_index) for cached in objects]
    return encoded[:-2] + b",".join(rows) + b"]}"


_PARTIAL = b'{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":'


def age_index_of(strategy: ResourceStrategy) -> int | None:
    for i, column in enumerate(strategy.table_columns()):
        if column["name"] == "Age":
            return i
    return None


def table_row_bytes(
    strategy: ResourceStrategy, cached: CachedObject, include_object: str, now: float, age_index: int | None
) -> bytes:
    """One encoded Table row of a cached object."""
    cells = cached.cells
    obj: dict[str, Any] | None = None
    if cells is None:
        obj = cached.obj()
        cells = [intern(c) if type(c) is str else c for c in strategy.table_row(obj, now)]
        if strategy.row_cacheable(obj):
            cached.cells = cells
    elif age_index is not None:
        cells = cells.copy()
        cells[age_index] = _age_of(cached, now)
    parts = [b'{"cells":', orjson.dumps(cells)]
    if include_object == "Object":
        parts += (b',"object":', cached.raw)
    elif include_object != "None":
        meta = cached.metadata_bytes()
        if meta is None:
            meta = orjson.dumps((obj or cached.obj()).get("metadata", {}))
        parts += (b',"object":', _PARTIAL, meta, b"}")
    parts.append(b"}")
    return b"".join(parts)


_CREATED = b'"creationTimestamp":"'


def _age_of(cached: CachedObject, now: float) -> str:
    """The Age cell from the creation timestamp in the cached bytes (no decoding)."""
    at = cached.raw.find(_CREATED, 0, cached.meta_end or len(cached.raw))
    if at < 0:
        return "<unknown>"
    start = at + len(_CREATED)
    return since(cached.raw[start : cached.raw.index(b'"', start)].decode(), now)


def status_response(error: StatusError, output: Output | None = None) -> web.Response:
    fmt = output if output is not None and not output.table and not output.discovery else None
    return respond(dumps(error.status(), fmt), fmt, status=error.code)


def success_status(details: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}
