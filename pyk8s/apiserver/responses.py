"""Encoding responses: objects, lists (joined from cached bytes), Tables, Status errors."""

from __future__ import annotations

import time
from typing import Any

import orjson
import yaml
from aiohttp import web

from pyk8s.api.errors import StatusError
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import ResourceStrategy
from pyk8s.api.table import human_duration, partial_metadata, table
from pyk8s.apiserver.negotiation import JSON, Output
from pyk8s.registry.watchcache import Buffer, CachedObject

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


def list_parts(
    kind: str,
    api_version: str,
    items: list[CachedObject],
    resource_version: int,
    continue_token: str = "",
    remaining: int | None = None,
) -> list[Buffer]:
    """A `<Kind>List` as the cached bytes of its items between a head and a tail: joined
    once (or in batches by `send`), nothing is re-encoded or copied twice."""
    meta: dict[str, Any] = {"resourceVersion": str(resource_version)}
    if continue_token:
        meta["continue"] = continue_token
    if remaining is not None:
        meta["remainingItemCount"] = remaining
    head = b'{"kind":"' + kind.encode() + b'","apiVersion":"' + api_version.encode() + b'","metadata":'
    parts: list[Buffer] = [head + orjson.dumps(meta) + b',"items":[']
    for obj in items:
        parts += obj.parts()
        parts.append(b",")
    if items:
        parts.pop()  # the last separator
    parts.append(b"]}")
    return parts


# Bodies above this are streamed in batches of about this size: a 70 MB list is then never
# one buffer (allocating and page-faulting it cost as much as copying it), and other
# requests on the event loop are served between batches.
STREAM_BATCH = 1 << 20


async def send(
    request: web.BaseRequest, parts: list[Buffer], output: Output, *, deprecation: str = ""
) -> web.StreamResponse:
    """A 200 response whose body is the concatenation of `parts`, with its Content-Length.

    A small body is one `respond` (the dispatcher adds its headers); a large one is written
    in batches, so this prepares the response and adds the `deprecation` warning itself.
    """
    total = sum(map(len, parts))
    if total <= STREAM_BATCH:
        return respond(b"".join(parts), output)
    response = web.StreamResponse(status=200)
    response.headers["Content-Type"] = output.content_type
    if deprecation:
        response.headers.add("Warning", warning_header(deprecation))
    response.content_length = total
    await response.prepare(request)
    # batches of about STREAM_BATCH bytes, cut by count: no Python step per part
    step = max(1, len(parts) * STREAM_BATCH // total)
    try:
        for start in range(0, len(parts), step):
            await response.write(b"".join(parts[start : start + step]))
        await response.write_eof()
    except ConnectionError:
        pass  # the client went away: nothing to answer
    return response


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


def table_list_parts(
    strategy: ResourceStrategy,
    objects: list[CachedObject],
    *,
    include_object: str = "",
    resource_version: str = "",
    continue_token: str = "",
    remaining: int | None = None,
) -> list[Buffer]:
    """A Table of many objects, assembled from cached row and object bytes.

    A row's cells are encoded once per object version and kept with it, split around the
    Age cell, which is the only one recomputed (from the creation time kept with the row);
    the row's object is the cached bytes (or its metadata slice). So a repeated
    `kubectl get` decodes and encodes nothing per object, and the first one decodes each
    object once and drops it.
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
    rows = TableRows(strategy, include_object, now)
    parts: list[Buffer] = [encoded[:-2]]
    for cached in objects:
        rows.add(parts, cached)
        parts.append(b",")
    if objects:
        parts.pop()
    parts.append(b"]}")
    return parts


_PARTIAL = b'{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":'
_CELLS = b'{"cells":'
_OBJECT = b',"object":'
# Stands for the Age cell while a row is encoded for the cache; no real cell holds it.
_AGE_MARK = "\x00age\x00"
_AGE_MARK_JSON = orjson.dumps(_AGE_MARK)


def age_index_of(strategy: ResourceStrategy) -> int | None:
    for i, column in enumerate(strategy.table_columns()):
        if column["name"] == "Age":
            return i
    return None


class TableRows:
    """Encodes the rows of one Table response (one clock reading for all of them)."""

    def __init__(self, strategy: ResourceStrategy, include_object: str, now: float) -> None:
        self.strategy = strategy
        self.include_object = include_object
        self.now = now
        self.age_index = age_index_of(strategy)
        self._ages: dict[int, bytes] = {}  # whole seconds of age -> encoded Age cell

    def add(self, parts: list[Buffer], cached: CachedObject) -> None:
        """Append one row's buffers to `parts`."""
        row = cached.cells
        obj: dict[str, Any] | None = None
        parts.append(_CELLS)
        if row is None:
            obj = cached.obj()
            cells = self.strategy.table_row(obj, self.now)
            parts.append(orjson.dumps(cells))
            if self.strategy.row_cacheable(obj):
                cached.cells = self._cacheable(cells, cached)
        elif self.age_index is None:
            parts.append(row[0])
        else:
            parts += (row[0], self._age(row[2]), row[1])
        if self.include_object == "Object":
            parts += (_OBJECT, *cached.parts())
        elif self.include_object != "None":
            meta = cached.metadata_parts()
            if meta is None:
                meta = (orjson.dumps((obj or cached.obj()).get("metadata", {})),)
            parts += (_OBJECT, _PARTIAL, *meta, b"}")
        parts.append(b"}")

    def _cacheable(self, cells: list[Any], cached: CachedObject) -> tuple[bytes, bytes, float | None] | None:
        """The row as kept with the object: the cells' bytes before and after the Age cell,
        and the creation time the Age is computed from."""
        if self.age_index is None:
            return orjson.dumps(cells), b"", None
        marked = cells.copy()
        marked[self.age_index] = _AGE_MARK
        before, sep, after = orjson.dumps(marked).partition(_AGE_MARK_JSON)
        if not sep or _AGE_MARK_JSON in after:
            return None
        return before, after, created_at(cached)

    def _age(self, created: float | None) -> bytes:
        if created is None:
            return b'"<unknown>"'
        seconds = int(self.now - created)
        cell = self._ages.get(seconds)
        if cell is None:
            cell = self._ages[seconds] = orjson.dumps(human_duration(seconds))
        return cell


def table_row_bytes(
    strategy: ResourceStrategy, cached: CachedObject, include_object: str, now: float
) -> bytes:
    """One encoded Table row of a cached object."""
    parts: list[Buffer] = []
    TableRows(strategy, include_object, now).add(parts, cached)
    return b"".join(parts)


_CREATED = b'"creationTimestamp":"'


def created_at(cached: CachedObject) -> float | None:
    """The creation time from the cached bytes (no decoding); None when absent or invalid."""
    head = cached.head()
    at = head.find(_CREATED)
    if at < 0:
        return None
    start = at + len(_CREATED)
    try:
        return parse_time(bytes(head[start : head.index(b'"', start)]).decode())
    except ValueError:
        return None


def status_response(error: StatusError, output: Output | None = None) -> web.Response:
    fmt = output if output is not None and not output.table and not output.discovery else None
    return respond(dumps(error.status(), fmt), fmt, status=error.code)


def success_status(details: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}
