"""Scheduler benchmark: a real `pyk8s apiserver` and `python -m pyk8s.scheduler`, each in its
own process, with Node objects created through the API (no node agents: binding is what is
measured).

Scenarios (each prints one JSON line):
- setup: N nodes (default 1,000) created through the API, made Ready and untainted;
- warmup: W pods (default 1,000) created and bound;
- e2e: M pods (default 10,000) created by C concurrent clients; bound pods/s from the first
  create sent to the last binding seen by a watch, and creation-to-binding latency
  (the create being sent to the watch reporting spec.nodeName) p50/p99, with the CPU
  seconds each process used;
- backlog: B pods (default 5,000) created while no scheduler runs, then a scheduler started:
  bound pods/s from the first binding to the last, with the server busy only with what the
  scheduler causes (its list, bindings, events);
- algorithm: the scheduling algorithm alone, in this process, on the snapshot taken after the
  warm-up (same nodes and pods): M pods through filter + score + assume, no API; the
  baseline for the e2e figure in the same run.
  `--profile` adds the top functions of that run.

`--py-spy` samples the scheduler and the API server processes with py-spy during the e2e
scenario and prints each one's top functions (own time and time including callees).

    python bench/scheduler.py [--nodes 1000] [--warmup 1000] [--pods 10000] [--clients 64] [--py-spy]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyk8s._aio import runtime
from pyk8s.testing.etcd import free_port

REPO = Path(__file__).resolve().parent.parent
NAMESPACE = "default"


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def pct(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def make_pod(name: str) -> dict[str, Any]:
    """A typical replica: two containers with requests, labels, an owner-like name."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": NAMESPACE, "labels": {"app": "web", "tier": "frontend"}},
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "registry.local/web:1.0",
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                    "ports": [{"containerPort": 8080}],
                },
                {
                    "name": "sidecar",
                    "image": "registry.local/proxy:2.1",
                    "resources": {"requests": {"cpu": "50m", "memory": "32Mi"}},
                },
            ],
        },
    }


def make_node(i: int) -> dict[str, Any]:
    name = f"node-{i:04d}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {
                "kubernetes.io/hostname": name,
                "topology.kubernetes.io/zone": f"zone-{i % 3}",
            },
        },
    }


NODE_STATUS = {
    "status": {
        "capacity": {"cpu": "32", "memory": "128Gi", "pods": "110"},
        "allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110"},
        "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "ready"}],
    }
}


class Api:
    """Raw aiohttp against the server (bytes in, so the load generator stays cheap)."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.url = url
        token = (data_dir / "pki" / "admin.token").read_text().strip()
        self.headers = {"Authorization": f"Bearer {token}"}
        self.ssl = ssl.create_default_context(cafile=str(data_dir / "pki" / "ca.crt"))
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0, ssl=self.ssl))

    async def send(
        self, method: str, path: str, body: Any = None, content_type: str = "application/json"
    ) -> Any:
        data = body if isinstance(body, bytes) or body is None else orjson.dumps(body)
        headers = {**self.headers, "Content-Type": content_type}
        async with self.session.request(method, self.url + path, data=data, headers=headers) as resp:
            payload = await resp.read()
            if resp.status >= 300:
                raise RuntimeError(f"{method} {path}: {resp.status} {payload[:300]!r}")
            return orjson.loads(payload) if payload else None

    async def close(self) -> None:
        await self.session.close()


async def pool(n: int, items: list[Any], work: Any) -> None:
    it = iter(items)

    async def run() -> None:
        for item in it:
            await work(item)

    await asyncio.gather(*(run() for _ in range(n)))


class BindingWatch:
    """Watches pods and records when each is first seen bound (monotonic seconds)."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.bound: dict[str, float] = {}
        self.waiting: set[str] = set()
        self.done = asyncio.Event()
        self.progress = asyncio.Event()  # set at every new binding
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        listed = await self.api.send("GET", f"/api/v1/namespaces/{NAMESPACE}/pods?limit=1")
        rv = listed["metadata"]["resourceVersion"]
        ready = asyncio.Event()
        self.task = asyncio.create_task(self._run(rv, ready))
        await ready.wait()

    async def _run(self, rv: str, ready: asyncio.Event) -> None:
        path = f"/api/v1/namespaces/{NAMESPACE}/pods?watch=true&resourceVersion={rv}&timeoutSeconds=3600"
        async with self.api.session.get(self.api.url + path, headers=self.api.headers) as resp:
            ready.set()
            async for line in resp.content:
                now = time.monotonic()
                obj = orjson.loads(line)["object"]
                name = obj["metadata"]["name"]
                if obj.get("spec", {}).get("nodeName") and name not in self.bound:
                    self.bound[name] = now
                    self.progress.set()
                    self.waiting.discard(name)
                    if not self.waiting:
                        self.done.set()

    async def wait_for(self, names: list[str], timeout: float) -> bool:
        """Wait until every pod in `names` has been seen bound (False after `timeout` s)."""
        self.waiting = {n for n in names if n not in self.bound}
        if not self.waiting:
            return True
        self.done.clear()
        try:
            await asyncio.wait_for(self.done.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def wait_for_any(self, names: list[str], timeout: float) -> bool:
        """Wait until one pod in `names` has been seen bound (False after `timeout` s)."""
        deadline = time.monotonic() + timeout
        while not any(n in self.bound for n in names):
            self.progress.clear()
            try:
                await asyncio.wait_for(self.progress.wait(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                return False
        return True

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            try:
                await self.task
            except (asyncio.CancelledError, aiohttp.ClientError):
                pass


async def create_nodes(api: Api, count: int, clients: int) -> None:
    async def one(i: int) -> None:
        node = make_node(i)
        name = node["metadata"]["name"]
        await api.send("POST", "/api/v1/nodes", node)
        # No node agent or node lifecycle controller: drop the not-ready taint ourselves.
        await api.send(
            "PATCH", f"/api/v1/nodes/{name}", {"spec": {"taints": None}}, "application/merge-patch+json"
        )
        await api.send("PATCH", f"/api/v1/nodes/{name}/status", NODE_STATUS, "application/merge-patch+json")

    await pool(clients, list(range(count)), one)


async def create_pods(
    api: Api, names: list[str], clients: int, sent: dict[str, float], *, rate: float = 0.0
) -> float:
    """Create the pods (at most `rate` per second when given); returns when the last
    create was answered."""
    bodies = {name: orjson.dumps(make_pod(name)) for name in names}
    start = time.monotonic()
    order = {name: i for i, name in enumerate(names)}

    async def one(name: str) -> None:
        if rate > 0:
            delay = start + order[name] / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        sent[name] = time.monotonic()
        await api.send("POST", f"/api/v1/namespaces/{NAMESPACE}/pods", bodies[name])

    await pool(clients, names, one)
    return time.monotonic()


async def wait_for_lease(api: Api, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the scheduler exited")
        try:
            lease = await api.send(
                "GET", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler"
            )
            if lease["spec"].get("holderIdentity"):
                return
        except RuntimeError:
            pass
        await asyncio.sleep(0.1)
    raise TimeoutError("the scheduler did not take its lease")


async def snapshot(api: Api) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes = (await api.send("GET", "/api/v1/nodes"))["items"]
    pods = (await api.send("GET", "/api/v1/pods"))["items"]
    return nodes, pods


class Sampler:
    """py-spy attached to some processes (raw collapsed stacks), summarised when stopped."""

    def __init__(self, work: Path, pids: dict[str, int]) -> None:
        spy = Path(sys.executable).parent / "py-spy"
        self.outputs = {name: work / f"py-spy-{name}.txt" for name in pids}
        options = ("--format", "raw", "--rate", "200", "--nonblocking", "--function")
        self.processes = [
            subprocess.Popen(
                [str(spy), "record", "--pid", str(pid), *options, "--output", str(self.outputs[name])],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name, pid in pids.items()
        ]

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for name, path in self.outputs.items():
            if path.exists():
                emit(bench="scheduler", op="py_spy", process=name, **summarise_stacks(path.read_text()))


def summarise_stacks(raw: str, top: int = 15) -> dict[str, Any]:
    """Own and inclusive sample shares of the busiest functions in py-spy's raw output
    (`frame;frame;... count` lines, outermost frame first)."""
    own: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [f.split(" (", 1)[0] + " " + f.rsplit("/", 1)[-1].rstrip(")") for f in stack.split(";")]
        own[frames[-1]] = own.get(frames[-1], 0) + count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count

    def share(table: dict[str, int]) -> list[list[Any]]:
        ranked = sorted(table.items(), key=lambda kv: -kv[1])[:top]
        return [[name, round(100 * n / max(total, 1), 1)] for name, n in ranked]

    return {"samples": total, "own_pct": share(own), "inclusive_pct": share(inclusive)}


def start_scheduler(data_dir: Path, work: Path, tree: Path | None = None) -> subprocess.Popen[bytes]:
    """`python -m pyk8s.scheduler` against the server, logging to the work directory; from
    `tree` (a directory holding another `pyk8s` package) when given."""
    log = open(work / "scheduler.log", "ab")  # noqa: SIM115 - owned by the child
    env = dict(os.environ, PYTHONPATH=str(tree)) if tree is not None else None
    return subprocess.Popen(
        [sys.executable, "-m", "pyk8s.scheduler", "--kubeconfig", str(data_dir / "kubeconfig")],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tree or REPO,  # `python -m` puts the working directory first on the path
        env=env,
    )


async def end_to_end(args: argparse.Namespace, url: str, data_dir: Path, work: Path, server: Any) -> Any:
    api = Api(url, data_dir)
    try:
        started = time.monotonic()
        await create_nodes(api, args.nodes, args.clients)
        emit(bench="scheduler", op="setup", nodes=args.nodes, seconds=round(time.monotonic() - started, 2))
        scheduler = start_scheduler(data_dir, work, args.scheduler_tree)
        try:
            await wait_for_lease(api, scheduler)
            watch = BindingWatch(api)
            await watch.start()
            warm = [f"warm-{i:05d}" for i in range(args.warmup)]
            sent: dict[str, float] = {}
            started = time.monotonic()
            await create_pods(api, warm, args.clients, sent)
            ok = await watch.wait_for(warm, timeout=120)
            emit(
                bench="scheduler",
                op="warmup",
                pods=len(warm),
                all_bound=ok,
                seconds=round(time.monotonic() - started, 2),
            )
            nodes, pods = await snapshot(api)

            measured = [f"web-{i:05d}" for i in range(args.pods)]
            cpu_before = {"apiserver": cpu_seconds(server.pid), "scheduler": cpu_seconds(scheduler.pid)}
            cpu_before["bench"] = time.process_time()
            sampler = (
                Sampler(work, {"scheduler": scheduler.pid, "apiserver": server.pid}) if args.py_spy else None
            )
            first = time.monotonic()
            created_at = await create_pods(api, measured, args.clients, sent, rate=args.rate)
            ok = await watch.wait_for(measured, timeout=600)
            if sampler is not None:
                sampler.stop()
            bound = [watch.bound[n] for n in measured if n in watch.bound]
            last = max(bound, default=first)
            latencies = [watch.bound[n] - sent[n] for n in measured if n in watch.bound]
            cpu = {
                "apiserver": cpu_seconds(server.pid) - cpu_before["apiserver"],
                "scheduler": cpu_seconds(scheduler.pid) - cpu_before["scheduler"],
                "bench": time.process_time() - cpu_before["bench"],
            }
            elapsed = last - first
            emit(
                bench="scheduler",
                op="e2e",
                nodes=args.nodes,
                pods=len(measured),
                bound=len(bound),
                all_bound=ok,
                clients=args.clients,
                rate=args.rate,
                created_per_s=round(len(measured) / max(created_at - first, 1e-9)),
                bound_per_s=round(len(bound) / max(elapsed, 1e-9)),
                seconds=round(elapsed, 2),
                latency_p50_ms=ms(pct(latencies, 0.5)),
                latency_p99_ms=ms(pct(latencies, 0.99)),
                latency_max_ms=ms(max(latencies, default=0.0)),
                cpu_seconds={k: round(v, 2) for k, v in cpu.items()},
                scheduler_cpu_ms_per_pod=round(cpu["scheduler"] * 1000 / max(len(bound), 1), 3),
                apiserver_cpu_ms_per_pod=round(cpu["apiserver"] * 1000 / max(len(bound), 1), 3),
            )
            # Events lag behind bindings (see pyk8s/scheduler/recorder.py): the CPU per pod
            # once both processes are idle again counts their writes too.
            settled = await settle({"apiserver": server.pid, "scheduler": scheduler.pid})
            emit(
                bench="scheduler",
                op="e2e_settled",
                seconds_after_last_binding=round(time.monotonic() - last, 2),
                **{
                    f"{name}_cpu_ms_per_pod": round(
                        (settled[name] - cpu_before[name]) * 1000 / max(len(bound), 1), 3
                    )
                    for name in ("apiserver", "scheduler")
                },
            )
            stop(scheduler)
            if args.backlog:
                # With a baseline tree, backlogs alternate between the two schedulers.
                trees = [None, args.baseline_tree] * 2 if args.baseline_tree else [None]
                for round_, tree in enumerate(trees):
                    await backlog(args, api, watch, data_dir, work, server, tree, round_)
            await watch.stop()
        finally:
            stop(scheduler)
    finally:
        await api.close()
    return nodes, pods


async def settle(pids: dict[str, int], *, idle_share: float = 0.03, timeout: float = 120) -> dict[str, float]:
    """Wait until every process uses less than `idle_share` of a core over a second; their
    CPU seconds then."""
    deadline = time.monotonic() + timeout
    cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        now = {name: cpu_seconds(pid) for name, pid in pids.items()}
        busy = any(now[name] - cpu[name] > idle_share for name in pids)
        cpu = now
        if not busy:
            break
    return cpu


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def backlog(
    args: argparse.Namespace,
    api: Api,
    watch: BindingWatch,
    data_dir: Path,
    work: Path,
    server: Any,
    tree: Path | None = None,
    round_: int = 0,
) -> None:
    """Pods created while no scheduler runs, then one started: bindings/s with the server
    busy only with what the scheduler causes (bindings, events, the watch)."""
    names = [f"backlog{round_}-{i:05d}" for i in range(args.backlog)]
    await create_pods(api, names, args.clients, {})
    scheduler = start_scheduler(data_dir, work, tree)
    try:
        started = time.monotonic()
        cpu_before = {"apiserver": cpu_seconds(server.pid)}
        # CPU per pod counts from the first binding: the scheduler's start (imports, the
        # initial list) is not per-pod work.
        await watch.wait_for_any(names, timeout=120)
        at_first = {"apiserver": cpu_seconds(server.pid), "scheduler": cpu_seconds(scheduler.pid)}
        ok = await watch.wait_for(names, timeout=600)
        bound = sorted(watch.bound[n] for n in names if n in watch.bound)
        cpu = {
            "apiserver": cpu_seconds(server.pid) - cpu_before["apiserver"],
            "scheduler": cpu_seconds(scheduler.pid),
        }
        per_pod = {
            f"{name}_cpu_ms_per_pod": round(
                (cpu_seconds(pid) - at_first[name]) * 1000 / max(len(bound), 1), 3
            )
            for name, pid in (("scheduler", scheduler.pid), ("apiserver", server.pid))
        }
        elapsed = bound[-1] - bound[0] if len(bound) > 1 else 0.0
        emit(
            bench="scheduler",
            op="backlog",
            scheduler="baseline" if tree is not None else "this tree",
            pods=len(names),
            bound=len(bound),
            all_bound=ok,
            bound_per_s=round(len(bound) / max(elapsed, 1e-9)),
            seconds=round(elapsed, 2),
            start_to_first_binding_s=round(bound[0] - started, 2) if bound else None,
            cpu_seconds={k: round(v, 2) for k, v in cpu.items()},
            **per_pod,
        )
    finally:
        stop(scheduler)


def algorithm_alone(
    nodes: list[dict[str, Any]], pods: list[dict[str, Any]], count: int, *, profile: bool
) -> None:
    """The scheduling cycle in this process on the snapshot: filter, score, assume."""
    from pyk8s.scheduler.framework import CycleState
    from pyk8s.scheduler.podinfo import PodInfo
    from pyk8s.scheduler.scheduler import Scheduler

    scheduler = Scheduler(None)
    for node in nodes:
        scheduler.cache.add_node(node)
    for pod in pods:
        if pod["spec"].get("nodeName"):
            scheduler.cache.add_pod(PodInfo(pod))
    fw = scheduler.frameworks["default-scheduler"]
    parse_started = time.perf_counter()
    incoming = [PodInfo(make_pod(f"algo-{i:05d}")) for i in range(count)]
    parse_seconds = time.perf_counter() - parse_started
    profiler = cProfile.Profile() if profile else None
    evaluated = 0
    cpu_started = time.process_time()
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    for pod in incoming:
        result = scheduler.algorithm.schedule_pod(fw, CycleState(), pod)
        scheduler.cache.assume_pod(pod.assumed_on(result.node))
        evaluated += result.evaluated_nodes
    if profiler is not None:
        profiler.disable()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    emit(
        bench="scheduler",
        op="algorithm",
        nodes=len(nodes),
        existing_pods=sum(1 for p in pods if p["spec"].get("nodeName")),
        pods=count,
        pods_per_s=round(count / seconds),
        # CPU time does not count what other processes on a busy machine took from us.
        pods_per_cpu_s=round(count / max(cpu, 1e-9)),
        us_per_pod=round(seconds / count * 1e6, 1),
        nodes_evaluated_per_pod=round(evaluated / count, 1),
        pod_parse_us=round(parse_seconds / count * 1e6, 1),
        profiled=profile,
    )
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime")
        top = []
        for (file, line, func), (_, calls, tottime, cumtime, _) in sorted(
            stats.stats.items(), key=lambda kv: -kv[1][2]
        )[:12]:
            top.append(
                {
                    "function": f"{Path(file).name}:{line}({func})",
                    "calls": calls,
                    "tottime_s": round(tottime, 3),
                    "cumtime_s": round(cumtime, 3),
                }
            )
        emit(bench="scheduler", op="algorithm_profile", top=top)


def wait_ready(url: str, data_dir: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("apiserver exited")
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
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=64, help="concurrent creates")
    parser.add_argument(
        "--rate", type=float, default=0.0, help="measured creates per second (0: as fast as possible)"
    )
    parser.add_argument("--profile", action="store_true", help="profile the in-process algorithm run")
    parser.add_argument(
        "--scheduler-tree",
        type=Path,
        help="run the warm-up and e2e scenarios with the scheduler of the `pyk8s` package in this directory",
    )
    parser.add_argument(
        "--baseline-tree",
        type=Path,
        help="also run backlogs with the scheduler of the `pyk8s` package in this directory, alternating",
    )
    parser.add_argument(
        "--py-spy", action="store_true", help="sample the scheduler and API server during e2e with py-spy"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    parser.add_argument(
        "--backlog",
        type=int,
        default=5000,
        help="pods created with no scheduler running, then scheduled (0: skip)",
    )
    args = parser.parse_args()
    emit(
        bench="scheduler",
        nodes=args.nodes,
        warmup=args.warmup,
        pods=args.pods,
        python=sys.version.split()[0],
        scheduler_tree=str(args.scheduler_tree or REPO),
    )
    work = Path(tempfile.mkdtemp(prefix="pyk8s-bench-scheduler-"))
    data_dir = work / "server"
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    log = open(work / "apiserver.log", "wb")  # noqa: SIM115 - owned by the child
    server = subprocess.Popen(
        [sys.executable, "-m", "pyk8s", "apiserver", "--data-dir", str(data_dir), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )
    try:
        wait_ready(url, data_dir, server)
        runtime.tune_gc()
        nodes, pods = runtime.run(end_to_end(args, url, data_dir, work, server))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"logs kept in {work}", file=sys.stderr)
    # After the processes are gone, so it has the machine to itself, as the e2e run did.
    algorithm_alone(nodes, pods, args.pods, profile=args.profile)


if __name__ == "__main__":
    main()
