"""Watch responses: newline-delimited JSON events on a chunked HTTP response.

Events are written as the cache encoded them (once for every watcher), batched per wake
up. BOOKMARKs are sent when asked for: the watch-list end marker after the initial
state (annotated `k8s.io/initial-events-end`), and progress while idle. A watch from a
revision the cache no longer holds answers 200 with a single ERROR event carrying a 410
Status, as kube-apiserver does. The stream ends cleanly after `timeoutSeconds` (default:
a random time between 30 and 60 minutes) or when the watcher is cut off for being slow.
"""

from __future__ import annotations

import asyncio
import random
import time

import orjson
from aiohttp import web

from pyk8s.api import errors
from pyk8s.apiserver.negotiation import Output
from pyk8s.apiserver.requestinfo import RequestInfo
from pyk8s.apiserver.responses import table_row_bytes, warning_header
from pyk8s.apiserver.server import Endpoint
from pyk8s.registry.options import ListOptions
from pyk8s.registry.watchcache import PREFIX, SUFFIX, CachedObject, CacheWatcher

BOOKMARK_INTERVAL = 60.0
MAX_BATCH = 256
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


def _bookmark(ep: Endpoint, revision: int, *, initial_end: bool = False) -> bytes:
    meta: dict[str, object] = {"resourceVersion": str(revision)}
    if initial_end:
        meta["annotations"] = {INITIAL_EVENTS_END: "true"}
    obj = {"kind": ep.info.kind, "apiVersion": ep.info.api_version, "metadata": meta}
    return orjson.dumps({"type": "BOOKMARK", "object": obj}) + b"\n"


def error_event(error: errors.StatusError) -> bytes:
    return orjson.dumps({"type": "ERROR", "object": error.status()}) + b"\n"


async def _start(request: web.Request, output: Output, deprecation: str = "") -> web.StreamResponse:
    response = web.StreamResponse(status=200)
    response.headers["Content-Type"] = output.content_type
    response.headers["Cache-Control"] = "no-cache, private"
    if deprecation:
        response.headers.add("Warning", warning_header(deprecation))
    response.enable_chunked_encoding()
    await response.prepare(request)
    return response


async def serve(
    request: web.Request, ep: Endpoint, info: RequestInfo, opts: ListOptions, output: Output
) -> web.StreamResponse:
    try:
        watcher = await ep.storage.watch(info.namespace, opts, name=info.name)
    except errors.GoneError as err:
        response = await _start(request, output, ep.strategy.deprecation)
        await response.write(error_event(err))
        await response.write_eof()
        return response
    response = await _start(request, output, ep.strategy.deprecation)
    try:
        await _pump(response, ep, watcher, opts, output)
    except (ConnectionResetError, ConnectionError):
        pass
    finally:
        watcher.close()
    try:
        await response.write_eof()
    except (ConnectionResetError, ConnectionError, RuntimeError):
        pass
    return response


async def _pump(
    response: web.StreamResponse, ep: Endpoint, watcher: CacheWatcher, opts: ListOptions, output: Output
) -> None:
    loop = asyncio.get_running_loop()
    timeout = opts.timeout_seconds if opts.timeout_seconds is not None else random.uniform(1800, 3600)
    deadline = loop.time() + max(0.0, timeout)
    initial_end_due = opts.send_initial_events
    first_table = True
    while True:
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        chunk: list[bytes] = []
        objects: list[tuple[str, CachedObject]] = []
        count = 0
        while count < MAX_BATCH:
            count += 1
            item = watcher.next_nowait()
            if item is None:
                break
            kind, obj, _revision = item
            if output.table:
                objects.append((kind, obj))
            else:
                chunk += (PREFIX[kind], *(obj if ep.view is None else ep.present(obj)).parts(), SUFFIX)
        if output.table and objects:
            for kind, obj in objects:
                chunk.append(_table_event(ep, kind, obj, with_columns=first_table))
                first_table = False
        if initial_end_due and watcher.initial_pending == 0:
            chunk.append(_bookmark(ep, watcher.start_revision, initial_end=True))
            initial_end_due = False
        if chunk:
            await response.write(b"".join(chunk))
            continue
        if watcher.closed:
            break
        wait = min(remaining, BOOKMARK_INTERVAL) if opts.allow_bookmarks else remaining
        ready = await watcher.wait(wait)
        if not ready and opts.allow_bookmarks and watcher.caught_up() and deadline - loop.time() > 0:
            await response.write(_bookmark(ep, watcher.cache.revision))


def _table_event(ep: Endpoint, kind: str, obj: CachedObject, *, with_columns: bool) -> bytes:
    table: dict[str, object] = {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": str(obj.revision)},
    }
    if with_columns:
        table["columnDefinitions"] = ep.strategy.table_columns()
    table["rows"] = []
    head = orjson.dumps({"type": kind, "object": table})
    assert head.endswith(b'"rows":[]}}')
    row = table_row_bytes(ep.strategy, obj, "", time.time())
    return head[:-3] + row + b"]}}\n"
