"""Storage benchmark: sqlite and etcd side by side, each against a raw baseline in the same run.

Scenario per backend: N realistic pod values (~1.5 KB of JSON) created by C concurrent
tasks while one watch follows the creates, then point gets, a full list and a paginated
list. Baselines: plain `sqlite3` inserts of the same values with the same pragmas, one
transaction each; raw puts of the same values to the same etcd with the aetcd client.

Prints one JSON line per measurement. Timing is wall-clock on a noisy 2-core machine:
compare figures within one run (the `ratio` lines), not across runs.

    python bench/storage.py [--n 20000] [--concurrency 32] [--backends sqlite,etcd]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyk8s.storage import Storage, open_storage
from pyk8s.testing.etcd import EtcdServer, find_etcd


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def pct(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def make_pod(i: int) -> bytes:
    """A pod as a kubelet-updated object looks, about 1.5 KB of JSON."""
    name = f"web-{i:06d}-{uuid.uuid4().hex[:5]}"
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": str(uuid.uuid4()),
            "resourceVersion": str(1000 + i),
            "creationTimestamp": "2026-11-22T07:16:13Z",
            "labels": {"app": "web", "pod-template-hash": "5d8f7c9b6d", "tier": "frontend"},
            "annotations": {"kubernetes.io/config.seen": "2026-11-22T07:16:13.123456789Z"},
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "name": "web-5d8f7c9b6d",
                    "uid": str(uuid.uuid4()),
                    "controller": True,
                    "blockOwnerDeletion": True,
                }
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "registry.local/web:1.25.3",
                    "ports": [{"containerPort": 8080, "protocol": "TCP", "name": "http"}],
                    "env": [{"name": "MODE", "value": "production"}, {"name": "REPLICA", "value": str(i)}],
                    "resources": {
                        "requests": {"cpu": "100m", "memory": "128Mi"},
                        "limits": {"memory": "256Mi"},
                    },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "IfNotPresent",
                }
            ],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default",
            "nodeName": f"node-{i % 50}",
            "schedulerName": "default-scheduler",
            "tolerations": [
                {
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                },
            ],
        },
        "status": {
            "phase": "Running",
            "conditions": [
                {"type": "Ready", "status": "True", "lastTransitionTime": "2026-11-22T07:16:15Z"},
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-11-22T07:16:13Z"},
            ],
            "hostIP": "10.0.0.7",
            "podIP": f"10.244.{i // 250 % 256}.{i % 250 + 2}",
            "startTime": "2026-11-22T07:16:13Z",
            "containerStatuses": [
                {
                    "name": "web",
                    "ready": True,
                    "restartCount": 0,
                    "image": "registry.local/web:1.25.3",
                    "state": {"running": {"startedAt": "2026-11-22T07:16:14Z"}},
                },
            ],
            "qosClass": "Burstable",
        },
    }
    return orjson.dumps(pod)


def disk_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


async def run_pool(concurrency: int, items: list[Any], fn: Any) -> tuple[float, list[float]]:
    """Run `fn(item)` over items with `concurrency` tasks; return (seconds, per-call latencies)."""
    latencies: list[float] = []
    it = iter(items)

    async def worker() -> None:
        for item in it:
            t0 = time.perf_counter()
            await fn(item)
            latencies.append(time.perf_counter() - t0)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies


def rate_line(backend: str, op: str, n: int, seconds: float, lat: list[float], **extra: Any) -> float:
    rate = n / seconds
    emit(
        backend=backend,
        op=op,
        n=n,
        ops_per_s=round(rate),
        p50_ms=ms(pct(lat, 0.5)),
        p99_ms=ms(pct(lat, 0.99)),
        **extra,
    )
    return rate


async def bench_store(
    name: str, url: str, values: list[bytes], concurrency: int, data: Path
) -> dict[str, float]:
    store: Storage = await open_storage(url)
    prefix = f"/registry/bench{uuid.uuid4().hex[:6]}/pods/"
    keys = [f"{prefix}default/pod-{i:06d}" for i in range(len(values))]
    base = await store.current_revision()

    # A watch that follows the creates. Commit time is not observable from outside, so
    # delivery is measured from both ends of the create call: from its acknowledgement
    # (negative: the watcher had the event before the writer resumed) and from its start
    # (an upper bound on commit-to-delivery).
    started: dict[int, float] = {}
    acked: dict[int, float] = {}
    received: dict[int, float] = {}
    stream = store.watch(prefix, after_revision=base)

    async def follow() -> None:
        async for batch in stream:
            now = time.perf_counter()
            for event in batch:
                received[event.kv.mod_revision] = now
            if len(received) >= len(values):
                return

    watcher = asyncio.create_task(follow())

    async def create(i: int) -> None:
        t0 = time.perf_counter()
        kv = await store.create(keys[i], values[i])
        acked[kv.mod_revision] = time.perf_counter()
        started[kv.mod_revision] = t0

    seconds, lat = await run_pool(concurrency, list(range(len(values))), create)
    create_rate = rate_line(name, "create", len(values), seconds, lat, concurrency=concurrency)
    await asyncio.wait_for(watcher, 60)
    await stream.aclose()
    after_ack = [received[r] - acked[r] for r in acked]
    after_start = [received[r] - started[r] for r in acked]
    emit(
        backend=name,
        op="watch_delivery",
        events=len(received),
        after_ack_p50_ms=ms(pct(after_ack, 0.5)),
        after_ack_p99_ms=ms(pct(after_ack, 0.99)),
        after_start_p50_ms=ms(pct(after_start, 0.5)),
        after_start_p99_ms=ms(pct(after_start, 0.99)),
    )

    sample = random.Random(1).choices(keys, k=len(keys))

    async def get(key: str) -> None:
        assert await store.get(key) is not None

    seconds, lat = await run_pool(concurrency, sample, get)
    rate_line(name, "get", len(sample), seconds, lat, concurrency=concurrency)

    full = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = await store.list(prefix)
        full.append(time.perf_counter() - t0)
        assert len(result.items) == len(values)
    emit(
        backend=name,
        op="list_full",
        keys=len(values),
        p50_ms=ms(statistics.median(full)),
        max_ms=ms(max(full)),
    )

    pages, start_after, revision, t0 = [], "", 0, time.perf_counter()
    while True:
        p0 = time.perf_counter()
        page = await store.list(prefix, limit=500, start_after=start_after, revision=revision)
        pages.append(time.perf_counter() - p0)
        revision = page.revision
        if not page.more:
            break
        start_after = page.items[-1].key
    emit(
        backend=name,
        op="list_paginated",
        keys=len(values),
        page_size=500,
        pages=len(pages),
        total_ms=ms(time.perf_counter() - t0),
        page_p50_ms=ms(pct(pages, 0.5)),
        page_p99_ms=ms(pct(pages, 0.99)),
    )
    await store.aclose()
    emit(backend=name, op="disk", bytes=disk_bytes(data), bytes_per_key=round(disk_bytes(data) / len(values)))
    return {"create": create_rate}


def sqlite_baseline(values: list[bytes], path: Path) -> float:
    """Plain sqlite3, same pragmas, one INSERT per transaction, one thread."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE kv (revision INTEGER PRIMARY KEY, key TEXT NOT NULL, value BLOB)")
    conn.execute("CREATE INDEX kv_key ON kv (key)")
    lat = []
    start = time.perf_counter()
    for i, value in enumerate(values):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO kv (key, value) VALUES (?, ?)", (f"/registry/pods/default/pod-{i:06d}", value)
        )
        conn.execute("COMMIT")
        lat.append(time.perf_counter() - t0)
    seconds = time.perf_counter() - start
    conn.close()
    return rate_line("sqlite", "baseline_raw_insert", len(values), seconds, lat, concurrency=1)


async def etcd_baseline(values: list[bytes], endpoint: str, concurrency: int) -> float:
    """Raw puts with the aetcd client, same values, same concurrency."""
    import aetcd

    host, port = endpoint.rsplit(":", 1)
    async with aetcd.Client(host=host, port=int(port)) as client:
        prefix = f"/raw{uuid.uuid4().hex[:6]}/"

        async def put(i: int) -> None:
            await client.put(f"{prefix}{i:06d}".encode(), values[i])

        seconds, lat = await run_pool(concurrency, list(range(len(values))), put)
    return rate_line("etcd", "baseline_raw_put", len(values), seconds, lat, concurrency=concurrency)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--backends", default="sqlite,etcd")
    args = parser.parse_args()
    values = [make_pod(i) for i in range(args.n)]
    emit(
        bench="storage",
        n=args.n,
        concurrency=args.concurrency,
        value_bytes_avg=round(sum(map(len, values)) / len(values)),
        python=sys.version.split()[0],
    )
    backends = args.backends.split(",")
    with tempfile.TemporaryDirectory(prefix="pyk8s-bench-") as tmp:
        work = Path(tmp)
        if "sqlite" in backends:
            base = sqlite_baseline(values, work / "raw.db")
            db = work / "sqlite"
            db.mkdir()
            got = await bench_store("sqlite", f"sqlite://{db}/state.db", values, args.concurrency, db)
            emit(backend="sqlite", op="ratio", create_vs_raw_insert=round(got["create"] / base, 2))
        if "etcd" in backends:
            if not find_etcd():
                emit(backend="etcd", skipped="etcd not found: install Debian's etcd-server")
            else:
                with EtcdServer(data_dir=work / "etcd") as server:
                    base = await etcd_baseline(values, server.endpoint, args.concurrency)
                    got = await bench_store("etcd", server.url, values, args.concurrency, work / "etcd")
                    emit(backend="etcd", op="ratio", create_vs_raw_put=round(got["create"] / base, 2))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    asyncio.run(main())
