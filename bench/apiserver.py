"""API server benchmark: a real `pyk8s apiserver` (sqlite, per-request durability) over HTTPS
with keep-alive, driven by load generators in separate processes.

Scenarios (each prints one JSON line):
- baseline: the same pod creates straight into storage (no HTTP, no registry), in this process;
- create: N pods (~3.4 KB with managedFields) from 32 concurrent clients, half in each of two
  namespaces, spread over 1,000 node names;
- get: single-pod GETs in a namespace holding N/2 pods, 32 clients;
- list: the N/2 pods of one namespace as JSON and as Table; one page of limit=500;
  fieldSelector=spec.nodeName=X across all N pods (served from the cache's index);
- watch: 1,000 watchers (one per node name, as node agents watch) while pods are updated at
  500 writes/s; delivery latency is measured from just before each write was sent;
- rss: the server's resident memory per cached pod, above the empty server;
- patch (with wrk): merge-patches of an annotation on pods of one namespace, as fast as they go;
- bind (with wrk): pods/binding of unscheduled pods, as the scheduler writes them.

    python bench/apiserver.py [--pods 20000] [--clients 32] [--watchers 1000] [--write-rate 500]
        [--only create,get,list,watch,patch,bind] [--workers 2]

Server CPU and RSS are the API server's whole process tree (supervisor and workers).

A reduced run on a busy machine: `--pods 5000 --create-seconds 5 --get-seconds 2 --watch-seconds 5`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from startup import process_tree

from pyk8s.testing.etcd import free_port

NODES = 1000


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def pct(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def make_pod(i: int, namespace: str) -> dict[str, Any]:
    """A pod as it looks after the scheduler and the node agent wrote to it (~3.4 KB)."""
    name = f"web-{i:06d}"
    node = f"node-{i % NODES}"
    stamp = "2026-11-22T07:16:13Z"
    managed = [
        {
            "manager": "kube-controller-manager",
            "operation": "Update",
            "apiVersion": "v1",
            "time": stamp,
            "fieldsType": "FieldsV1",
            "fieldsV1": {
                "f:metadata": {
                    "f:generateName": {},
                    "f:labels": {".": {}, "f:app": {}, "f:pod-template-hash": {}},
                    "f:ownerReferences": {".": {}, 'k:{"uid":"x"}': {}},
                },
                "f:spec": {
                    "f:containers": {
                        'k:{"name":"web"}': {
                            ".": {},
                            "f:image": {},
                            "f:name": {},
                            "f:ports": {},
                            "f:resources": {},
                        }
                    },
                    "f:dnsPolicy": {},
                    "f:restartPolicy": {},
                },
            },
        },
        {
            "manager": "kubelet",
            "operation": "Update",
            "apiVersion": "v1",
            "time": stamp,
            "fieldsType": "FieldsV1",
            "subresource": "status",
            "fieldsV1": {
                "f:status": {
                    "f:conditions": {},
                    "f:containerStatuses": {},
                    "f:hostIP": {},
                    "f:phase": {},
                    "f:podIP": {},
                    "f:startTime": {},
                }
            },
        },
    ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "namespace": namespace,
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
            "managedFields": managed,
        },
        "spec": {
            "nodeName": node,
            "containers": [
                {
                    "name": "web",
                    "image": "registry.local/web:1.25.3",
                    "ports": [{"containerPort": 8080, "protocol": "TCP", "name": "http"}],
                    "env": [
                        {"name": "MODE", "value": "production"},
                        {"name": "REPLICA", "value": str(i)},
                        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                        {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                        {
                            "name": "DB_PASSWORD",
                            "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}},
                        },
                    ],
                    "livenessProbe": {
                        "httpGet": {"path": "/livez", "port": 8080},
                        "periodSeconds": 20,
                        "failureThreshold": 3,
                    },
                    "resources": {
                        "requests": {"cpu": "100m", "memory": "128Mi"},
                        "limits": {"memory": "256Mi"},
                    },
                    "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10},
                    "volumeMounts": [{"name": "config", "mountPath": "/etc/web", "readOnly": True}],
                },
                {
                    "name": "log-shipper",
                    "image": "registry.local/fluent-bit:3.1",
                    "args": ["--config", "/etc/fluent-bit/fluent-bit.conf"],
                    "resources": {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"memory": "64Mi"}},
                    "volumeMounts": [{"name": "work", "mountPath": "/var/log/web", "readOnly": True}],
                },
            ],
            "initContainers": [
                {
                    "name": "setup",
                    "image": "registry.local/busybox:1.36",
                    "command": ["sh", "-c", "cp /src/* /work/"],
                    "volumeMounts": [{"name": "work", "mountPath": "/work"}],
                }
            ],
            "affinity": {
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 100,
                            "podAffinityTerm": {
                                "topologyKey": "kubernetes.io/hostname",
                                "labelSelector": {"matchLabels": {"app": "web"}},
                            },
                        }
                    ]
                }
            },
            "volumes": [
                {"name": "config", "configMap": {"name": "web-config"}},
                {"name": "work", "emptyDir": {}},
            ],
            "serviceAccountName": "web",
            "tolerations": [
                {
                    "key": "node.kubernetes.io/not-ready",
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": 300,
                }
            ],
        },
    }


# the load generator (a separate process)


def client_ssl(data_dir: Path) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(data_dir / "pki" / "ca.crt"))
    ctx.load_cert_chain(str(data_dir / "pki" / "admin.crt"), str(data_dir / "pki" / "admin.key"))
    return ctx


async def worker(args: argparse.Namespace) -> None:
    import aiohttp

    data_dir = Path(args.data_dir)
    ctx = client_ssl(data_dir)
    base = args.url
    # Watchers hold a connection each; every other scenario reuses at most --clients warm
    # connections (keep-alive, as clients do). Uncapped, the writer opened a connection per
    # request in flight once the server lagged, and the TLS handshakes (~8% of the server's
    # samples) made it lag more.
    limit = args.watchers + 10 if args.worker == "watch" else args.clients
    connector = aiohttp.TCPConnector(limit=limit, ssl=ctx)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        result = await SCENARIOS[args.worker](session, base, args)
    print(orjson.dumps(result).decode(), flush=True)


async def pool(n: int, items: list[Any], fn: Any) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    it = iter(items)

    async def run() -> None:
        nonlocal errors
        for item in it:
            t0 = time.perf_counter()
            ok = await fn(item)
            latencies.append(time.perf_counter() - t0)
            errors += 0 if ok else 1

    start = time.perf_counter()
    await asyncio.gather(*(run() for _ in range(n)))
    return time.perf_counter() - start, latencies, errors


async def scenario_create(session: Any, base: str, args: argparse.Namespace) -> dict[str, Any]:
    bodies = [
        (ns, orjson.dumps(make_pod(i, ns)))
        for i in range(args.pods)
        for ns in [("bench-a", "bench-b")[i % 2]]
    ]

    async def create(item: tuple[str, bytes]) -> bool:
        ns, body = item
        async with session.post(
            f"{base}/api/v1/namespaces/{ns}/pods", data=body, headers={"Content-Type": "application/json"}
        ) as resp:
            await resp.read()
            return resp.status == 201

    seconds, lat, errors = await pool(args.clients, bodies, create)
    return {
        "op": "create",
        "n": len(bodies),
        "seconds": seconds,
        "p50": pct(lat, 0.5),
        "p99": pct(lat, 0.99),
        "errors": errors,
        "bytes": round(sum(len(b) for _, b in bodies) / len(bodies)),
    }


async def scenario_get(session: Any, base: str, args: argparse.Namespace) -> dict[str, Any]:
    names = [f"web-{i:06d}" for i in range(0, args.pods, 2)]
    sample = random.Random(1).choices(names, k=args.gets)

    async def get(name: str) -> bool:
        async with session.get(f"{base}/api/v1/namespaces/bench-a/pods/{name}") as resp:
            await resp.read()
            return resp.status == 200

    seconds, lat, errors = await pool(args.clients, sample, get)
    return {
        "op": "get",
        "n": len(sample),
        "seconds": seconds,
        "p50": pct(lat, 0.5),
        "p99": pct(lat, 0.99),
        "errors": errors,
    }


async def scenario_list(session: Any, base: str, args: argparse.Namespace) -> dict[str, Any]:
    table = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}
    out: dict[str, Any] = {"op": "list"}
    for label, path, headers, rounds in (
        ("json", "/api/v1/namespaces/bench-a/pods", {}, 10),
        ("table", "/api/v1/namespaces/bench-a/pods", table, 10),
        ("page500", "/api/v1/namespaces/bench-a/pods?limit=500", {}, 50),
        ("field_selector", "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-7", {}, 100),
    ):
        lat, size, count = [], 0, 0
        for _ in range(rounds):
            t0 = time.perf_counter()
            async with session.get(base + path, headers=headers) as resp:
                body = await resp.read()
            lat.append(time.perf_counter() - t0)
            size = len(body)
            if label in ("json", "page500", "field_selector"):
                count = len(orjson.loads(body)["items"])
            else:
                count = len(orjson.loads(body)["rows"])
        out[label] = {"p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "items": count, "bytes": size}
    return out


async def scenario_watch(session: Any, base: str, args: argparse.Namespace) -> dict[str, Any]:
    """One watcher per node name (as node agents watch). Prints READY once all are open, then
    counts events until the parent writes how many were sent (on stdin), or a timeout."""
    listed = await (await session.get(f"{base}/api/v1/pods?limit=1")).json()
    rv = listed["metadata"]["resourceVersion"]
    latencies: list[float] = []
    counts = {"received": 0, "ready": 0, "ended_early": 0}
    all_ready, enough = asyncio.Event(), asyncio.Event()
    target = [1 << 62]
    stopping = asyncio.Event()

    async def watcher(node: str) -> None:
        url = (
            f"{base}/api/v1/pods?watch=true&resourceVersion={rv}&fieldSelector=spec.nodeName%3D{node}"
            f"&timeoutSeconds={int(args.watch_seconds + 120)}"
        )
        async with session.get(url) as resp:
            counts["ready"] += 1
            if counts["ready"] == args.watchers:
                all_ready.set()
            async for line in resp.content:
                now = time.time()
                sent = orjson.loads(line)["object"]["metadata"].get("annotations", {}).get("bench/sent")
                if sent:
                    latencies.append(now - float(sent))
                    counts["received"] += 1
                    if counts["received"] >= target[0]:
                        enough.set()
            if not stopping.is_set():
                counts["ended_early"] += 1

    tasks = [asyncio.create_task(watcher(f"node-{i}")) for i in range(args.watchers)]
    await all_ready.wait()
    print("READY", flush=True)
    loop = asyncio.get_running_loop()
    target[0] = int(await loop.run_in_executor(None, sys.stdin.readline) or 0)
    if counts["received"] < target[0]:
        try:
            await asyncio.wait_for(enough.wait(), 15)
        except TimeoutError:
            pass
    stopping.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "op": "watch",
        "watchers": args.watchers,
        "delivered": counts["received"],
        "expected": target[0],
        "ended_early": counts["ended_early"],
        "p50": pct(latencies, 0.5),
        "p99": pct(latencies, 0.99),
        "max": max(latencies, default=0.0),
    }


async def scenario_write(session: Any, base: str, args: argparse.Namespace) -> dict[str, Any]:
    """Merge-patches pods of the watched nodes at a steady rate, stamping the send time."""
    names = [
        (("bench-a", "bench-b")[i % 2], f"web-{i:06d}")
        for i in range(2, min(args.pods, args.watchers * 2) + 2)
    ]
    names = [(ns, n) for ns, n in names if int(n[4:]) % NODES < args.watchers]
    rng = random.Random(2)
    latencies: list[float] = []
    errors = 0
    inflight: set[asyncio.Task[None]] = set()

    async def write(ns: str, name: str) -> None:
        nonlocal errors
        t0 = time.perf_counter()
        patch = orjson.dumps({"metadata": {"annotations": {"bench/sent": repr(time.time())}}})
        async with session.patch(
            f"{base}/api/v1/namespaces/{ns}/pods/{name}",
            data=patch,
            headers={"Content-Type": "application/merge-patch+json"},
        ) as resp:
            body = await resp.read()
            if resp.status != 200:
                errors += 1
                if errors <= 3:
                    print(f"write failed: {resp.status} {body[:300]!r}", file=sys.stderr)
        latencies.append(time.perf_counter() - t0)

    interval, writes = 1.0 / args.write_rate, 0
    start = time.perf_counter()
    next_at = start
    while time.perf_counter() - start < args.watch_seconds:
        ns, name = rng.choice(names)
        task = asyncio.create_task(write(ns, name))
        inflight.add(task)
        task.add_done_callback(inflight.discard)
        writes += 1
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    await asyncio.gather(*inflight)
    seconds = time.perf_counter() - start
    return {
        "op": "write",
        "writes": writes,
        "rate": writes / seconds,
        "errors": errors,
        "p50": pct(latencies, 0.5),
        "p99": pct(latencies, 0.99),
    }


async def scenario_trim(session: Any, base: str, args: argparse.Namespace) -> dict[str, Any]:
    """Delete the pods numbered above --pods (wrk runs for a time, so it may create more)."""
    extra = list(range(args.pods + 1, args.trim_upto + 1))
    body = orjson.dumps({"gracePeriodSeconds": 0})

    async def delete(i: int) -> bool:
        ns = ("bench-a", "bench-b")[i % 2]
        async with session.delete(
            f"{base}/api/v1/namespaces/{ns}/pods/web-{i:06d}",
            data=body,
            headers={"Content-Type": "application/json"},
        ) as resp:
            await resp.read()
            return resp.status in (200, 404)

    seconds, _lat, errors = await pool(args.clients, extra, delete)
    return {"op": "trim", "n": len(extra), "errors": errors, "seconds": seconds}


SCENARIOS = {
    "trim": scenario_trim,
    "create": scenario_create,
    "get": scenario_get,
    "list": scenario_list,
    "watch": scenario_watch,
    "write": scenario_write,
}

# wrk (C, Debian's `wrk`) drives the throughput scenarios when installed: a Python load
# generator on this 2-core machine saturates its own core before the server does.
WRK_DONE = """
done = function(summary, latency, requests)
  io.write(string.format('WRK {"requests":%d,"seconds":%f,"p50":%f,"p99":%f,"non2xx":%d,"errors":%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e6, latency:percentile(99) / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def wrk_create_script(token: str, start: int) -> str:
    body = orjson.dumps(make_pod(1, "NAMESPACE")).decode()
    body = body.replace('"name":"web-000001"', '"name":"web-%06d"').replace(
        '"nodeName":"node-1"', '"nodeName":"node-%d"'
    )
    body = body.replace('"namespace":"NAMESPACE"', '"namespace":"%s"')
    assert body.count("%") == 3
    return (
        f"""
counter = {start - 1}
body = [==[{body}]==]
headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}}
request = function()
  counter = counter + 1
  local ns = (counter % 2 == 0) and "bench-a" or "bench-b"
  return wrk.format("POST", "/api/v1/namespaces/" .. ns .. "/pods", headers,
    string.format(body, counter, ns, counter % {NODES}))
end
"""
        + WRK_DONE
    )


def wrk_patch_script(token: str, pods: int) -> str:
    """Merge-patches of one annotation on random pods of bench-a (a metadata-only update)."""
    return (
        f"""
math.randomseed(3)
counter = 0
headers = {{["Content-Type"] = "application/merge-patch+json", ["Authorization"] = "Bearer {token}"}}
request = function()
  counter = counter + 1
  local i = math.random(0, {max(pods // 2 - 1, 0)}) * 2
  return wrk.format("PATCH", string.format("/api/v1/namespaces/bench-a/pods/web-%06d", i), headers,
    string.format('{{"metadata":{{"annotations":{{"bench/patch":"%d"}}}}}}', counter))
end
"""
        + WRK_DONE
    )


def wrk_unbound_script(token: str, start: int) -> str:
    """Creates of unscheduled pods `unbound-N` in bench-c (the bench pod without a node)."""
    pod = make_pod(1, "bench-c")
    del pod["spec"]["nodeName"]
    body = orjson.dumps(pod).decode().replace('"name":"web-000001"', '"name":"unbound-%06d"')
    assert body.count("%") == 1
    return (
        f"""
counter = {start - 1}
body = [==[{body}]==]
headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}}
request = function()
  counter = counter + 1
  return wrk.format("POST", "/api/v1/namespaces/bench-c/pods", headers, string.format(body, counter))
end
"""
        + WRK_DONE
    )


def wrk_bind_script(token: str, pods: int) -> str:
    """One binding per unscheduled pod, in order; past the last pod every request is a 404."""
    return (
        f"""
counter = -1
headers = {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {token}"}}
request = function()
  counter = counter + 1
  local name = string.format("unbound-%06d", counter % {pods})
  local body = string.format(
    '{{"apiVersion":"v1","kind":"Binding","metadata":{{"name":"%s"}},"target":{{"name":"node-%d"}}}}',
    name, counter % {NODES})
  return wrk.format("POST", "/api/v1/namespaces/bench-c/pods/" .. name .. "/binding", headers, body)
end
"""
        + WRK_DONE
    )


def wrk_path_script(token: str, path: str, accept: str = "") -> str:
    accept_header = f', ["Accept"] = "{accept}"' if accept else ""
    return (
        f"""
headers = {{["Authorization"] = "Bearer {token}"{accept_header}}}
request = function()
  return wrk.format("GET", "{path}", headers)
end
"""
        + WRK_DONE
    )


def wrk_get_script(token: str, pods: int) -> str:
    return (
        f"""
math.randomseed(1)
headers = {{["Authorization"] = "Bearer {token}"}}
request = function()
  local i = math.random(1, {max(pods // 2 - 1, 1)}) * 2
  return wrk.format("GET", string.format("/api/v1/namespaces/bench-a/pods/web-%06d", i), headers)
end
"""
        + WRK_DONE
    )


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) the server has used so far: the process and its
    workers, summed."""
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def run_wrk(
    script: str, url: str, seconds: float, clients: int, work: Path, server_pid: int = 0
) -> dict[str, Any]:
    """One wrk run; with `server_pid`, also the CPU seconds the server spent meanwhile."""
    path = work / "scenario.lua"
    path.write_text(script)
    cpu_before = server_cpu_seconds(server_pid) if server_pid else 0.0
    out = subprocess.run(
        ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "-s", str(path), url],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRK "))
    result: dict[str, Any] = orjson.loads(line[4:])
    if server_pid:
        result["server_cpu_s"] = server_cpu_seconds(server_pid) - cpu_before
    return result


def cpu_ms_per_op(r: dict[str, Any], ops: int) -> float:
    """Server CPU per successful request (ms; steadier than rates on a shared machine)."""
    return round(r.get("server_cpu_s", 0.0) * 1000 / max(ops, 1), 3)


# the parent: server, baseline, orchestration


def rss_kib(pid: int) -> int:
    """Resident memory of the server: the process and its workers, summed."""
    total = 0
    for member in process_tree(pid):
        try:
            lines = Path(f"/proc/{member}/status").read_text().splitlines()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in lines if line.startswith("VmRSS:")), 0)
    return total


def worker_command(name: str, args: argparse.Namespace, url: str, data_dir: Path) -> list[str]:
    return [
        sys.executable,
        __file__,
        "--worker",
        name,
        "--url",
        url,
        "--data-dir",
        str(data_dir),
        "--pods",
        str(args.pods),
        "--clients",
        str(args.clients),
        "--watchers",
        str(args.watchers),
        "--write-rate",
        str(args.write_rate),
        "--gets",
        str(args.gets),
        "--watch-seconds",
        str(args.watch_seconds),
        "--trim-upto",
        str(args.trim_upto),
    ]


def run_watch(args: argparse.Namespace, url: str, data_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Watchers in one process, the writer in another, so neither starves the other."""
    watchers = subprocess.Popen(
        worker_command("watch", args, url, data_dir), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert watchers.stdout is not None and watchers.stdin is not None
    line = watchers.stdout.readline()
    if line.strip() != "READY":
        watchers.kill()
        raise RuntimeError(f"watchers did not start: {line}")
    written = run_worker("write", args, url, data_dir)
    watchers.stdin.write(f"{written['writes']}\n")
    watchers.stdin.flush()
    out, _ = watchers.communicate(timeout=60)
    return orjson.loads(out.strip().splitlines()[-1]), written


def run_worker(name: str, args: argparse.Namespace, url: str, data_dir: Path) -> dict[str, Any]:
    cmd = worker_command(name, args, url, data_dir)
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"worker {name} failed:\n{out.stderr}")
    return orjson.loads(out.stdout.strip().splitlines()[-1])


async def baseline(pods: int, clients: int, work: Path) -> float:
    """The same creates straight into sqlite storage, no HTTP and no registry."""
    from pyk8s.storage import open_storage

    store = await open_storage(f"sqlite://{work}/baseline.db", retention=None)
    items = [
        (f"/registry/pods/{('bench-a', 'bench-b')[i % 2]}/web-{i:06d}", orjson.dumps(make_pod(i, "x")))
        for i in range(pods)
    ]
    it = iter(items)
    lat: list[float] = []

    async def run() -> None:
        for key, value in it:
            t0 = time.perf_counter()
            await store.create(key, value)
            lat.append(time.perf_counter() - t0)

    start = time.perf_counter()
    await asyncio.gather(*(run() for _ in range(clients)))
    seconds = time.perf_counter() - start
    await store.aclose()
    rate = pods / seconds
    emit(
        bench="apiserver",
        op="baseline_storage_create",
        n=pods,
        ops_per_s=round(rate),
        p50_ms=ms(pct(lat, 0.5)),
        p99_ms=ms(pct(lat, 0.99)),
    )
    return rate


def count_pods(url: str, data_dir: Path) -> int:
    import urllib.request

    req = urllib.request.Request(f"{url}/api/v1/pods?limit=1")
    with urllib.request.urlopen(req, context=client_ssl(data_dir), timeout=30) as resp:
        meta = orjson.loads(resp.read())["metadata"]
    return int(meta.get("remainingItemCount", 0)) + 1


def wait_ready(url: str, data_dir: Path, process: subprocess.Popen[bytes]) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("apiserver exited")
        if not (data_dir / "kubeconfig").exists():  # with --workers: written once all are ready
            time.sleep(0.1)
            continue
        try:
            ctx = ssl.create_default_context(cafile=str(data_dir / "pki" / "ca.crt"))
            with urllib.request.urlopen(f"{url}/readyz", context=ctx, timeout=2) as resp:
                if resp.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("apiserver not ready")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pods", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--gets", type=int, default=30_000)
    parser.add_argument("--watchers", type=int, default=1000)
    parser.add_argument("--write-rate", type=float, default=500.0)
    parser.add_argument("--watch-seconds", type=float, default=10.0)
    parser.add_argument("--create-seconds", type=float, default=8.0, help="with wrk: how long creates run")
    parser.add_argument("--get-seconds", type=float, default=8.0, help="with wrk: how long GETs run")
    parser.add_argument(
        "--python-load", action="store_true", help="use the Python load generator even with wrk"
    )
    parser.add_argument("--patch-seconds", type=float, default=5.0, help="with wrk: how long patches run")
    parser.add_argument("--bind-seconds", type=float, default=2.0, help="with wrk: how long bindings run")
    parser.add_argument(
        "--bind-pods", type=int, default=6000, help="with wrk: unscheduled pods created, then bound"
    )
    parser.add_argument(
        "--only",
        default="create,get,list,watch,patch,bind",
        help="scenarios to run (comma-separated; create also measures rss and is always run)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="API server processes (`pyk8s apiserver --workers`)"
    )
    parser.add_argument("--trim-upto", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker", default="")
    parser.add_argument("--url", default="")
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    if args.worker:
        from pyk8s._aio import runtime

        runtime.run(worker(args))
        return
    work = Path(tempfile.mkdtemp(prefix="pyk8s-bench-api-"))
    try:
        orchestrate(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def orchestrate(args: argparse.Namespace, work: Path) -> None:
    emit(
        bench="apiserver",
        pods=args.pods,
        clients=args.clients,
        watchers=args.watchers,
        workers=args.workers,
        pod_bytes=len(orjson.dumps(make_pod(1, "bench-a"))),
        python=sys.version.split()[0],
    )
    base_rate = asyncio.run(baseline(args.pods, args.clients, work))
    data_dir = work / "server"
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    log = open(work / "apiserver.log", "wb")  # noqa: SIM115 - owned by the child
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pyk8s",
            "apiserver",
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        wait_ready(url, data_dir, server)
        for ns in ("bench-a", "bench-b", "bench-c"):
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pyk8s",
                    "kubectl",
                    "--data-dir",
                    str(data_dir),
                    "create",
                    "namespace",
                    ns,
                ],
                check=True,
                capture_output=True,
                cwd=Path(__file__).resolve().parent.parent,
                env=dict(os.environ, HOME=str(work)),
            )
        time.sleep(1.0)
        empty = rss_kib(server.pid)
        token = (data_dir / "pki" / "admin.token").read_text().strip()
        wrk = shutil.which("wrk") is not None and not args.python_load
        if wrk:
            r = run_wrk(wrk_create_script(token, 0), url, args.create_seconds, args.clients, work, server.pid)
            created = r["requests"] - r["non2xx"]
            rate = created / r["seconds"]
            top_up = max(0, args.pods - created)
            emit_wrk("create", r, args.clients, vs_storage_baseline=round(rate / base_rate, 3))
            if top_up:
                run_wrk(
                    wrk_create_script(token, created + 1), url, top_up / max(rate, 1) + 2, args.clients, work
                )
            # RSS with every created pod cached (wrk runs for a time, so there can be more than
            # --pods); the extra pods are deleted only after the measurement.
            time.sleep(1.0)
            live = count_pods(url, data_dir)
            emit(
                bench="apiserver",
                op="rss",
                empty_kib=empty,
                loaded_kib=rss_kib(server.pid),
                pods=live,
                kib_per_pod=round((rss_kib(server.pid) - empty) / live, 2),
            )
            args.trim_upto = created + top_up + int(rate * 3)
            run_worker("trim", args, url, data_dir)
        else:
            r = run_worker("create", args, url, data_dir)
            rate = r["n"] / r["seconds"]
            emit(
                bench="apiserver",
                op="create",
                generator="python",
                n=r["n"],
                clients=args.clients,
                ops_per_s=round(rate),
                p50_ms=ms(r["p50"]),
                p99_ms=ms(r["p99"]),
                errors=r["errors"],
                body_bytes=r["bytes"],
                vs_storage_baseline=round(rate / base_rate, 3),
            )
            time.sleep(1.0)
            full = rss_kib(server.pid)
            emit(
                bench="apiserver",
                op="rss",
                empty_kib=empty,
                loaded_kib=full,
                pods=args.pods,
                kib_per_pod=round((full - empty) / args.pods, 2),
            )
        only = set(args.only.split(","))
        if "get" in only:
            run_get(args, url, data_dir, work, token, wrk, server.pid)
        if "list" in only:
            run_lists(args, url, data_dir, work, token, wrk)
        if "watch" in only:
            r, w = run_watch(args, url, data_dir)
            emit(
                bench="apiserver",
                op="watch",
                watchers=r["watchers"],
                writes=w["writes"],
                write_rate=round(w["rate"]),
                write_errors=w["errors"],
                write_p99_ms=ms(w["p99"]),
                delivered=r["delivered"],
                ended_early=r["ended_early"],
                delivery_p50_ms=ms(r["p50"]),
                delivery_p99_ms=ms(r["p99"]),
                delivery_max_ms=ms(r["max"]),
            )
        if "patch" in only and wrk:
            r = run_wrk(
                wrk_patch_script(token, args.pods), url, args.patch_seconds, args.clients, work, server.pid
            )
            emit_wrk("patch", r, args.clients)
        if "bind" in only and wrk:
            run_bind(args, url, work, token, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


def emit_wrk(op: str, r: dict[str, Any], clients: int, ok: int | None = None, **extra: Any) -> None:
    """One wrk scenario's line: `ok` successful requests (default: all but non-2xx ones)."""
    ok = r["requests"] - r["non2xx"] if ok is None else ok
    emit(
        bench="apiserver",
        op=op,
        generator="wrk",
        n=ok,
        clients=clients,
        ops_per_s=round(ok / r["seconds"]),
        p50_ms=ms(r["p50"]),
        p99_ms=ms(r["p99"]),
        non2xx=r["non2xx"],
        errors=r["errors"],
        **extra,
        server_cpu_ms_per_op=cpu_ms_per_op(r, ok),
    )


def run_get(
    args: argparse.Namespace, url: str, data_dir: Path, work: Path, token: str, wrk: bool, pid: int
) -> None:
    if wrk:
        r = run_wrk(wrk_get_script(token, args.pods), url, args.get_seconds, args.clients, work, pid)
        emit_wrk("get", r, args.clients)
    else:
        r = run_worker("get", args, url, data_dir)
        emit(
            bench="apiserver",
            op="get",
            generator="python",
            n=r["n"],
            clients=args.clients,
            ops_per_s=round(r["n"] / r["seconds"]),
            p50_ms=ms(r["p50"]),
            p99_ms=ms(r["p99"]),
            errors=r["errors"],
        )


def run_lists(args: argparse.Namespace, url: str, data_dir: Path, work: Path, token: str, wrk: bool) -> None:
    r = run_worker("list", args, url, data_dir)
    table = "application/json;as=Table;v=v1;g=meta.k8s.io"
    paths = {
        "json": ("/api/v1/namespaces/bench-a/pods", ""),
        "table": ("/api/v1/namespaces/bench-a/pods", table),
        "page500": ("/api/v1/namespaces/bench-a/pods?limit=500", ""),
        "field_selector": ("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-7", ""),
    }
    for label, (path, accept) in paths.items():
        line: dict[str, Any] = {"items": r[label]["items"], "bytes": r[label]["bytes"]}
        if wrk and args.workers > 1:
            warm_every_worker(url, data_dir, path, accept)
        if wrk:
            # One connection, requests back to back: latency as an efficient client sees it.
            w = run_wrk(wrk_path_script(token, path, accept), url, 5, 1, work)
            line.update(generator="wrk", requests=w["requests"], p50_ms=ms(w["p50"]), p99_ms=ms(w["p99"]))
        else:
            line.update(generator="python", p50_ms=ms(r[label]["p50"]), p99_ms=ms(r[label]["p99"]))
        emit(bench="apiserver", op=f"list_{label}", **line)


def warm_every_worker(url: str, data_dir: Path, path: str, accept: str, connections: int = 8) -> None:
    """wrk's single connection reaches one worker, which the list worker may not have warmed
    (Table rows are cached per worker on first use): send the request once on each of a few
    fresh connections, which the kernel spreads over the workers (8 miss one of 2 workers
    with probability 1/128)."""
    import urllib.request

    ctx = client_ssl(data_dir)
    headers = {"Accept": accept} if accept else {}
    for _ in range(connections):
        request = urllib.request.Request(url + path, headers=headers)
        with urllib.request.urlopen(request, context=ctx, timeout=60) as response:  # a new connection each
            response.read()


def run_bind(args: argparse.Namespace, url: str, work: Path, token: str, pid: int) -> None:
    """Create --bind-pods unscheduled pods, then bind them all (wrk stops on time, so the rate
    counts successful bindings over the time they took; past the last pod, requests fail)."""
    created, idle = 0, 0
    while created < args.bind_pods:
        r = run_wrk(wrk_unbound_script(token, created), url, 2, args.clients, work)
        made = r["requests"] - r["non2xx"]
        idle = 0 if made > 0 else idle + 1
        if idle >= 5:
            raise RuntimeError(f"creating unscheduled pods failed: {r}")
        created += made
    r = run_wrk(wrk_bind_script(token, args.bind_pods), url, args.bind_seconds, args.clients, work, pid)
    ok = min(r["requests"] - r["non2xx"], args.bind_pods)
    # every pod bound before the time was up: the rate is a lower bound (add --bind-pods)
    emit_wrk("bind", r, args.clients, ok, exhausted=ok >= args.bind_pods - args.clients)


if __name__ == "__main__":
    main()
