"""Controller benchmark: a 10,000-replica Deployment created, rolled and deleted on a real
`pyk8s apiserver` (sqlite, per-request durability) by a real controller manager, with a node
stand-in (`pyk8s.testing.nodes.FakeNodes`) binding pods and marking them Running and Ready.

Three processes: the API server, the controller manager (ReplicaSet, Deployment and, when
it exists, garbage collector controllers; no leader election) and this one (the node
stand-in and the stopwatch). Each phase prints one JSON line:

- baseline: N pods created straight through the API by 32 concurrent clients (no controllers),
  the ceiling the controllers are measured against;
- create: the Deployment created -> every pod created (ReplicaSet status.replicas) -> every
  pod Ready and the rollout complete (the Deployment's status);
- rolling_update: a new image -> the rollout complete (25% surge, 25% unavailable);
- delete: the Deployment deleted (Background propagation: the garbage collector deletes the
  ReplicaSets and their pods) -> no pod left. Without a garbage collector the ReplicaSets are
  scaled to 0 and deleted instead, and the line says so.

Each line carries seconds, pods/s, and the CPU seconds the controller manager and the API
server spent in the phase; create and rolling_update also count the ReplicaSet and
Deployment writes seen (mostly status writes: each one costs the API server a write and
wakes the Deployment controller). Targets from the issue: create in 20 s, roll in 60 s, on 2 cores.

    python bench/controllers.py [--replicas 10000] [--baseline-pods 2000] [--nodes 100]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyk8s.api.errors import NotFoundError
from pyk8s.client.resources import DEPLOYMENTS, NAMESPACES, PODS, REPLICASETS
from pyk8s.client.rest import Client
from pyk8s.testing.etcd import free_port
from pyk8s.testing.nodes import FakeNodes

NAMESPACE = "bench"
TICKS = os.sysconf("SC_CLK_TCK")
TARGETS = {"create": 20.0, "rolling_update": 60.0}


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Stopwatch:
    """Wall time and the CPU time of the controller manager, the API server and this process
    (the node stand-in: binding pods and writing their status is most of its work)."""

    def __init__(self, manager: int, apiserver: int) -> None:
        self.pids = {"controller_cpu_s": manager, "apiserver_cpu_s": apiserver, "standin_cpu_s": os.getpid()}
        self.start = time.perf_counter()
        self.cpu = {k: cpu_seconds(p) for k, p in self.pids.items()}

    def lap(self) -> dict[str, float]:
        used = {k: round(cpu_seconds(p) - self.cpu[k], 2) for k, p in self.pids.items()}
        return {"seconds": round(time.perf_counter() - self.start, 2), **used}


# child processes


def run_manager(kubeconfig: str, profile: str = "", trace: bool = False) -> None:
    """The controller manager: the known controllers plus the garbage collector if present
    (`trace`: its log says every retry, with the time)."""
    from pyk8s.controllers.known import known_controllers
    from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig

    registry = known_controllers()
    wanted = ["replicaset", "deployment"]
    try:
        from pyk8s.controllers.garbagecollector import GARBAGECOLLECTOR_CONTROLLER

        if GARBAGECOLLECTOR_CONTROLLER.name not in registry.names():
            registry.register(GARBAGECOLLECTOR_CONTROLLER)
        wanted.append(GARBAGECOLLECTOR_CONTROLLER.name)
    except ImportError:
        pass
    print("CONTROLLERS " + ",".join(wanted), flush=True)
    if trace:
        import logging

        logging.basicConfig(format="%(asctime)s %(name)s %(message)s")
        logging.getLogger("pyk8s.controllers").setLevel(logging.DEBUG)
    config = ControllerManagerConfig(kubeconfig=Path(kubeconfig), controllers=wanted, leader_elect=False)
    stop = asyncio.Event()

    async def main() -> None:
        import signal

        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        manager = ControllerManager(config, registry=registry)
        report = asyncio.create_task(_report_metrics(manager)) if trace else None
        try:
            await manager.run(stop)
        finally:
            if report is not None:
                report.cancel()

    from pyk8s._aio import runtime

    runtime.tune_gc()
    if not profile:
        runtime.run(main())
        return
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        runtime.run(main())
    finally:
        profiler.disable()
        profiler.dump_stats(profile)


async def _report_metrics(manager: Any, period: float = 2.0) -> None:
    """--trace: the ReplicaSet and Deployment controllers' counters (reconciles, failed
    reconciles: conflicts among them) and the time spent in garbage collections on the
    manager's stderr every `period` seconds."""
    import gc

    gc_time = [0.0, 0.0, 0]  # seconds in collections, start of the current one, full ones

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_time[1] = time.perf_counter()
            return
        gc_time[0] += time.perf_counter() - gc_time[1]
        gc_time[2] += info.get("generation") == 2

    gc.callbacks.append(timed)
    while True:
        await asyncio.sleep(period)
        metrics = manager.metrics()
        counters = {
            name: {k: metrics[name].get(k) for k in ("reconciles", "failures", "retries", "depth")}
            for name in ("replicaset", "deployment")
            if name in metrics
        }
        counters["gc"] = {"seconds": round(gc_time[0], 2), "full": gc_time[2]}
        print(
            f"{time.strftime('%H:%M:%S')} METRICS {orjson.dumps(counters).decode()}",
            file=sys.stderr,
            flush=True,
        )


# the parent


def deployment(replicas: int, image: str) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": NAMESPACE},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": image}]},
            },
        },
    }


CHILDREN: list[subprocess.Popen[Any]] = []


class WriteCounter:
    """Counts ADDED/MODIFIED events of the bench's ReplicaSets and Deployments through two
    watches: how many writes (mostly status) the controllers made in a phase."""

    def __init__(self, client: Client, trace: Path | None = None) -> None:
        self.client = client
        self.counts = {"replicaset_writes": 0, "deployment_writes": 0}
        self._tasks: list[asyncio.Task[None]] = []
        # --trace: one JSON line per write seen (seconds since start, kind, name, sizes)
        self._trace = open(trace, "w") if trace is not None else None  # noqa: SIM115 - closed in stop()
        self._start = time.perf_counter()

    def start(self) -> None:
        for resource, name in ((REPLICASETS, "replicaset_writes"), (DEPLOYMENTS, "deployment_writes")):
            self._tasks.append(asyncio.create_task(self._count(resource, name)))

    async def _count(self, resource: Any, name: str) -> None:
        version = ""
        while True:
            with contextlib.suppress(Exception):
                if not version:  # (re)list: a 410 or a dropped watch may lose a few counts
                    version = (await self.client.list(resource, namespace=NAMESPACE))["metadata"][
                        "resourceVersion"
                    ]
                async with self.client.watch(
                    resource, namespace=NAMESPACE, resource_version=version
                ) as events:
                    async for event in events:
                        if event.type.value == "ERROR":
                            version = ""
                            break
                        if event.resource_version:
                            version = event.resource_version
                        if event.type.value in ("ADDED", "MODIFIED"):
                            self.counts[name] += 1
                            if self._trace is not None:
                                self._record(name, event.object)
            await asyncio.sleep(0.1)

    def _record(self, name: str, obj: dict[str, Any]) -> None:
        assert self._trace is not None
        status = obj.get("status") or {}
        line = {
            "t": round(time.perf_counter() - self._start, 3),
            "kind": name.split("_")[0],
            "name": obj["metadata"]["name"],
            "spec": (obj.get("spec") or {}).get("replicas"),
            **{k: status.get(k, 0) for k in ("replicas", "readyReplicas", "availableReplicas")},
            "updated": status.get("updatedReplicas"),
        }
        self._trace.write(orjson.dumps(line).decode() + "\n")

    def lap(self) -> dict[str, int]:
        """The counts since the last lap."""
        counts = dict(self.counts)
        for key in self.counts:
            self.counts[key] = 0
        return counts

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._trace is not None:
            self._trace.close()


async def wait_for(check: Any, timeout: float, what: str, period: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        for child in CHILDREN:
            if child.poll() is not None:
                raise RuntimeError(
                    f"{child.args[:4]} exited with {child.returncode} while waiting for {what}"
                )
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        await asyncio.sleep(period)


async def rolled_out(client: Client, replicas: int) -> bool:
    d = await client.get(DEPLOYMENTS, "web", namespace=NAMESPACE)
    status = d.get("status") or {}
    return (
        status.get("observedGeneration", 0) >= d["metadata"].get("generation", 0)
        and status.get("updatedReplicas", 0) == replicas
        and status.get("replicas", 0) == replicas
        and status.get("availableReplicas", 0) == replicas
    )


async def pods_left(client: Client) -> int:
    page = await client.list(PODS, namespace=NAMESPACE, limit=1)
    items = page.get("items") or []
    return int((page.get("metadata") or {}).get("remainingItemCount", 0)) + len(items)


async def baseline(client: Client, pods: int, clients: int = 32) -> None:
    """N pods straight through the API, then deleted: the ceiling for controllers."""
    namespace = "bench-baseline"
    await client.create(
        NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    )
    template = deployment(1, "nginx:1")["spec"]["template"]
    names = iter(range(pods))

    async def create() -> None:
        for i in names:
            pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p-{i}", **template["metadata"]}}
            pod["spec"] = template["spec"]
            await client.create(PODS, pod, namespace=namespace)

    start = time.perf_counter()
    await asyncio.gather(*(create() for _ in range(clients)))
    seconds = time.perf_counter() - start
    emit(
        bench="controllers",
        op="baseline_api_pod_create",
        n=pods,
        seconds=round(seconds, 2),
        pods_per_s=round(pods / seconds),
    )
    await client.delete_collection(PODS, namespace=namespace, grace_period_seconds=0)


async def replica_sets_created(client: Client, replicas: int) -> bool:
    items = (await client.list(REPLICASETS, namespace=NAMESPACE))["items"]
    return any((rs.get("status") or {}).get("replicas", 0) >= replicas for rs in items)


async def phase_create(
    client: Client, args: argparse.Namespace, watch: Stopwatch, writes: WriteCounter
) -> None:
    await client.create(DEPLOYMENTS, deployment(args.replicas, "nginx:1"))
    await wait_for(lambda: replica_sets_created(client, args.replicas), args.timeout, "pods created", 0.05)
    created = watch.lap()
    await wait_for(lambda: rolled_out(client, args.replicas), args.timeout, "pods Ready")
    done = watch.lap()
    emit(
        bench="controllers",
        op="create",
        replicas=args.replicas,
        seconds_to_created=created["seconds"],
        seconds=done["seconds"],
        pods_per_s=round(args.replicas / done["seconds"]),
        target_s=TARGETS["create"],
        controller_cpu_s=done["controller_cpu_s"],
        apiserver_cpu_s=done["apiserver_cpu_s"],
        standin_cpu_s=done["standin_cpu_s"],
        **writes.lap(),
    )


async def phase_rolling_update(
    client: Client, args: argparse.Namespace, watch: Stopwatch, writes: WriteCounter
) -> None:
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:2"}]}}}}
    await client.patch(DEPLOYMENTS, "web", patch, namespace=NAMESPACE)
    await wait_for(lambda: rolled_out(client, args.replicas), args.timeout, "the rolling update")
    done = watch.lap()
    emit(
        bench="controllers",
        op="rolling_update",
        replicas=args.replicas,
        seconds=done["seconds"],
        pods_per_s=round(args.replicas / done["seconds"]),
        target_s=TARGETS["rolling_update"],
        controller_cpu_s=done["controller_cpu_s"],
        apiserver_cpu_s=done["apiserver_cpu_s"],
        standin_cpu_s=done["standin_cpu_s"],
        **writes.lap(),
    )


async def phase_delete(client: Client, args: argparse.Namespace, watch: Stopwatch, gc: bool) -> None:
    if gc:
        await client.delete(DEPLOYMENTS, "web", namespace=NAMESPACE, propagation_policy="Background")
    else:
        # No garbage collector: scale the ReplicaSets to 0, then delete them and the Deployment.
        await client.delete(DEPLOYMENTS, "web", namespace=NAMESPACE, propagation_policy="Orphan")
        for rs in (await client.list(REPLICASETS, namespace=NAMESPACE))["items"]:
            await client.scale(REPLICASETS, rs["metadata"]["name"], 0, namespace=NAMESPACE)
    await wait_for(lambda: _no_pods(client), args.timeout, "every pod deleted", 0.2)
    if not gc:
        for rs in (await client.list(REPLICASETS, namespace=NAMESPACE))["items"]:
            with contextlib.suppress(NotFoundError):
                await client.delete(REPLICASETS, rs["metadata"]["name"], namespace=NAMESPACE)
    done = watch.lap()
    emit(
        bench="controllers",
        op="delete",
        mode="garbage collector" if gc else "ReplicaSets scaled to 0 and deleted (no garbage collector)",
        replicas=args.replicas,
        seconds=done["seconds"],
        pods_per_s=round(args.replicas / done["seconds"]),
        controller_cpu_s=done["controller_cpu_s"],
        apiserver_cpu_s=done["apiserver_cpu_s"],
        standin_cpu_s=done["standin_cpu_s"],
    )


async def _no_pods(client: Client) -> bool:
    return await pods_left(client) == 0


async def drive(
    args: argparse.Namespace, kubeconfig: Path, manager: subprocess.Popen[str], apiserver: int
) -> None:
    client = Client.from_kubeconfig(kubeconfig, component="bench")
    nodes = FakeNodes(client, nodes=tuple(f"node-{i}" for i in range(args.nodes)), workers=args.node_workers)
    try:
        if args.baseline_pods:
            await baseline(client, args.baseline_pods)
        assert manager.stdout is not None
        controllers = manager.stdout.readline().split()[-1].split(",")
        await nodes.start()
        await client.create(
            NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}
        )
        writes = WriteCounter(client, args.work / "trace.jsonl" if args.trace else None)
        writes.start()
        await asyncio.sleep(0.5)  # the watches are open before the Deployment is created
        await phase_create(client, args, Stopwatch(manager.pid, apiserver), writes)
        await phase_rolling_update(client, args, Stopwatch(manager.pid, apiserver), writes)
        await writes.stop()
        await phase_delete(client, args, Stopwatch(manager.pid, apiserver), "garbagecollector" in controllers)
    finally:
        await nodes.stop()
        await client.aclose()


def start_apiserver(work: Path) -> tuple[subprocess.Popen[bytes], Path]:
    port = free_port()
    data = work / "data"
    log = open(work / "apiserver.log", "wb")  # noqa: SIM115 - kept for the child
    proc = subprocess.Popen(
        [sys.executable, "-m", "pyk8s", "apiserver", "--data-dir", str(data), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    kubeconfig = data / "kubeconfig"
    deadline = time.monotonic() + 60
    while not kubeconfig.exists() or not _ready(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the API server did not start; see {work / 'apiserver.log'}")
        time.sleep(0.1)
    return proc, kubeconfig


def _ready(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--replicas", type=int, default=10_000)
    parser.add_argument("--baseline-pods", type=int, default=2_000, help="0 skips the baseline")
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--node-workers", type=int, default=16, help="concurrent pod updates of the stand-in")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per phase")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="log every ReplicaSet/Deployment write seen (in --keep's directory)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the controller manager (kept in --keep's directory)"
    )
    parser.add_argument("--run-manager", metavar="KUBECONFIG", help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_manager:
        run_manager(args.run_manager, args.profile_to, args.trace)
        return
    work = args.work = Path(tempfile.mkdtemp(prefix="pyk8s-bench-controllers-"))
    apiserver, kubeconfig = start_apiserver(work)
    manager_log = open(work / "controller-manager.log", "wb")  # noqa: SIM115 - kept for the child
    profile = ["--profile-to", str(work / "controller-manager.prof")] if args.profile else []
    manager = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--run-manager",
            str(kubeconfig),
            *profile,
            *(["--trace"] if args.trace else []),
        ],
        stdout=subprocess.PIPE,
        stderr=manager_log,
        text=True,
    )
    CHILDREN.extend((apiserver, manager))
    from pyk8s._aio import runtime

    # The stand-in plays the scheduler and kubelets: it runs as those components do
    # (uvloop, the GC tuned for a process holding thousands of pods).
    runtime.tune_gc()
    try:
        runtime.run(drive(args, kubeconfig, manager, apiserver.pid))
    finally:
        stop(manager)
        stop(apiserver)
        if args.keep:
            print(f"logs in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
