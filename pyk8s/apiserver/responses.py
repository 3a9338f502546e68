"""Encoding responses: objects, lists (joined from cached bytes), Tables, Status errors."""

from __future__ import annotations

import time
from typing import Any

import orjson
import yaml
from aiohttp import web

from pyk8s.api.errors import StatusError
from pyk8s.api.resource import ResourceStrategy
from pyk8s.api.table import partial_metadata, table
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
    """A Table of many objects, encoded row by row.

    Each object is decoded, turned into its row and encoded before the next one, so the
    parsed objects are garbage at once and never pile up in the cyclic collector's view.
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
    assert encoded.endswith(b'"rows":[]}')
    rows = []
    for cached in objects:
        obj = cached.obj()
        row: dict[str, Any] = {"cells": strategy.table_row(obj, now)}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial_metadata(obj)
        rows.append(orjson.dumps(row))
    return encoded[:-2] + b",".join(rows) + b"]}"


def status_response(error: StatusError, output: Output | None = None) -> web.Response:
    fmt = output if output is not None and not output.table and not output.discovery else None
    return respond(dumps(error.status(), fmt), fmt, status=error.code)


def success_status(details: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}
