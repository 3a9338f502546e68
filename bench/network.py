"""Service proxy benchmark: traffic through a cluster IP against straight to the pod IPs, and
how long an endpoint change takes to reach the kernel.

A node host namespace with a bridge and three pod namespaces (two HTTP backends, each a
separate process, and a client), all created by this script and deleted at the end
(`pyk8s.network.proxy.lab`); an API server and the proxier in this process. Prints JSON lines:

- `direct` and `cluster_ip`: N requests (a new TCP connection each, C at a time) from the
  client pod to the pod IPs (round robin) and to the Service's cluster IP; requests/s, p50
  and p99 latency, the medians of 4 alternating rounds so drift hits both; then `ratio`
  (cluster IP requests/s over direct, and the p99 difference);
- `endpoint_update`: an EndpointSlice flipped K times between one and two endpoints; seconds
  from just before the API write to the proxier's transaction being applied (p50, p99, max;
  target p99 <= 1 s), plus the proxier's own sync time;
- `udp_failover`: a UDP client sending every 5 ms on one socket to a UDP Service's cluster
  IP (one conntrack entry, kept alive) while the Service's only endpoint is swapped to the
  other pod, F times; seconds from the API write to the first answer from the new pod.
  Both pods keep answering, so the client can only switch if the proxy deleted the stale
  conntrack entry.

Needs root, nft, ip and nsenter. Only addresses inside the script's own namespaces are used.

    python bench/network.py [--requests 2000] [--concurrency 16] [--updates 40] [--failovers 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import socket
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyk8s.apiserver.app import ApiServerConfig, start_apiserver
from pyk8s.client.resources import ENDPOINTSLICES, SERVICES
from pyk8s.client.rest import Client
from pyk8s.network.netns import netns_path, socket_in_netns
from pyk8s.network.proxy import Proxier, ProxyConfig, SyncRecord
from pyk8s.network.proxy.lab import NODE_ADDRESS, Lab, request_in

PORT = 8080
ROUNDS = 4  # direct and cluster IP alternate this many times; medians are reported
NODE = "bench-node"
SERVER = """
import asyncio, sys
body = sys.argv[2].encode()
reply = b"HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n%s" % (len(body), body)
async def answer(reader, writer):
    try:
        await reader.readuntil(b"\\r\\n\\r\\n")
        writer.write(reply)
        await writer.drain()
    except Exception:
        pass
    finally:
        writer.close()
class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
    def datagram_received(self, data, addr):
        self.transport.sendto(body, addr)
async def main():
    server = await asyncio.start_server(answer, "0.0.0.0", int(sys.argv[1]), backlog=1024)
    await asyncio.get_running_loop().create_datagram_endpoint(Echo, local_addr=("0.0.0.0", int(sys.argv[1])))
    print("ready", flush=True)
    await server.serve_forever()
asyncio.run(main())
"""


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def start_backend(lab: Lab, pod: str) -> asyncio.subprocess.Process:
    """A backend process in the pod's namespace (nsenter: only the network namespace)."""
    proc = await asyncio.create_subprocess_exec(
        "nsenter",
        f"--net={netns_path(lab.netns(pod))}",
        sys.executable,
        "-c",
        SERVER,
        str(PORT),
        pod,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    await asyncio.wait_for(proc.stdout.readline(), 30)
    return proc


def sockets_in(netns: Path, count: int) -> list[socket.socket]:
    """`count` TCP sockets of the namespace, made on one thread hop (not one per request)."""
    made = []
    for _ in range(count):
        sock = socket_in_netns(netns)
        sock.setblocking(False)
        made.append(sock)
    return made


async def fetch(sock: socket.socket, address: str, port: int) -> None:
    """One HTTP/1.0 request on a fresh socket (a new connection: the DNAT path every time)."""
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.sock_connect(sock, (address, port)), 10)
        await loop.sock_sendall(sock, b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        while await asyncio.wait_for(loop.sock_recv(sock, 4096), 10):
            pass
    finally:
        sock.close()


async def load(lab: Lab, targets: list[str], requests: int, concurrency: int) -> dict[str, float]:
    """`requests` requests over new connections from the client pod, `concurrency` at a time."""
    netns = netns_path(lab.netns("client"))
    pool = await asyncio.to_thread(sockets_in, netns, requests)
    latencies: list[float] = []
    counter = iter(range(requests))
    errors = 0

    async def worker() -> None:
        nonlocal errors
        for i in counter:
            target = targets[i % len(targets)]
            started = time.perf_counter()
            try:
                await fetch(pool[i], target, PORT if target in lab.pods.values() else 80)
            except OSError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
    }


async def udp_failover(client: Client, proxier: Proxier, lab: Lab, failovers: int) -> dict[str, Any]:
    """The `udp_failover` phase (see the module docstring)."""
    svc = await client.create(
        SERVICES,
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "dns", "namespace": "default"},
            "spec": {"ports": [{"name": "dns", "port": 53, "targetPort": PORT, "protocol": "UDP"}]},
        },
    )

    def slice_body(pod: str) -> dict[str, Any]:
        return {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": "dns-1",
                "namespace": "default",
                "labels": {"kubernetes.io/service-name": "dns"},
            },
            "addressType": "IPv4",
            "ports": [{"name": "dns", "port": PORT, "protocol": "UDP"}],
            "endpoints": [{"addresses": [lab.pods[pod]], "nodeName": NODE, "conditions": {"ready": True}}],
        }

    eps = await client.create(ENDPOINTSLICES, slice_body("b1"))
    await proxier.wait_until(
        lambda: proxier.applied_slice_versions.get("default/dns-1") == eps["metadata"]["resourceVersion"]
    )
    loop = asyncio.get_running_loop()
    sock = await asyncio.to_thread(
        socket_in_netns, netns_path(lab.netns("client")), socket.AF_INET, socket.SOCK_DGRAM
    )
    sock.setblocking(False)
    sock.connect((svc["spec"]["clusterIP"], 53))
    answers: asyncio.Queue[tuple[float, str]] = asyncio.Queue()

    async def sender() -> None:
        while True:
            with contextlib.suppress(OSError):
                await loop.sock_sendall(sock, b"q")
            await asyncio.sleep(0.005)

    async def receiver() -> None:
        while True:
            try:
                data = await loop.sock_recv(sock, 64)
            except OSError:
                continue
            answers.put_nowait((time.perf_counter(), data.decode()))

    async def answer_from(pod: str, since: float) -> float:
        while True:
            at, who = await answers.get()
            if who == pod and at >= since:
                return at

    tasks = [asyncio.create_task(sender()), asyncio.create_task(receiver())]
    delays: list[float] = []
    missed = 0
    deleted_before = proxier.conntrack.deleted
    syncs: list[float] = []
    proxier.listeners.append(
        lambda record: syncs.append(record.seconds) if "default/dns" in record.services else None
    )
    current = "b1"
    try:
        await asyncio.wait_for(answer_from(current, 0.0), 10)
        for _ in range(failovers):
            target = "b2" if current == "b1" else "b1"
            started = time.perf_counter()
            eps = await client.update(ENDPOINTSLICES, {**slice_body(target), "metadata": eps["metadata"]})
            try:
                delays.append(await asyncio.wait_for(answer_from(target, started), 10) - started)
            except TimeoutError:
                missed += 1
            current = target
            await asyncio.sleep(0.1)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        sock.close()
    return {
        "failovers": failovers,
        "switched": len(delays),
        "missed": missed,
        "p50_s": round(percentile(delays, 0.5), 4) if delays else None,
        "p99_s": round(percentile(delays, 0.99), 4) if delays else None,
        "max_s": round(max(delays), 4) if delays else None,
        "conntrack_deleted": proxier.conntrack.deleted - deleted_before,
        "conntrack_clean_p50_s": round(percentile(proxier.conntrack.durations[-failovers:], 0.5), 4),
        "sync_p50_s": round(percentile(syncs, 0.5), 4) if syncs else None,
    }


async def main(args: argparse.Namespace) -> None:
    lab = Lab()
    backends: list[asyncio.subprocess.Process] = []
    data_dir = Path(tempfile.mkdtemp(prefix="pyk8s-bench-network-"))
    server = None
    proxier_task: asyncio.Task[None] | None = None
    stop = asyncio.Event()
    try:
        await lab.create(["b1", "b2", "client"])
        backends = [await start_backend(lab, "b1"), await start_backend(lab, "b2")]
        server = await start_apiserver(
            ApiServerConfig(data_dir=data_dir, port=0, storage_url=f"memory://{uuid.uuid4().hex}")
        )
        client = Client.from_kubeconfig(server.kubeconfig)
        config = ProxyConfig(
            kubeconfig=server.kubeconfig, node_name=NODE, netns=lab.node, nodeport_addresses=(NODE_ADDRESS,)
        )
        proxier = Proxier(client, config)
        proxier_task = asyncio.create_task(proxier.run(stop))
        await asyncio.wait_for(proxier.ready.wait(), 60)

        svc = await client.create(
            SERVICES,
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"ports": [{"name": "http", "port": 80, "targetPort": PORT, "protocol": "TCP"}]},
            },
        )
        cluster_ip = svc["spec"]["clusterIP"]
        pod_ips = [lab.pods["b1"], lab.pods["b2"]]

        def endpoints(ips: list[str]) -> list[dict[str, Any]]:
            return [{"addresses": [ip], "nodeName": NODE, "conditions": {"ready": True}} for ip in ips]

        eps = await client.create(
            ENDPOINTSLICES,
            {
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "metadata": {
                    "name": "web-1",
                    "namespace": "default",
                    "labels": {"kubernetes.io/service-name": "web"},
                },
                "addressType": "IPv4",
                "ports": [{"name": "http", "port": PORT, "protocol": "TCP"}],
                "endpoints": endpoints(pod_ips),
            },
        )
        key = "default/web-1"
        rv = eps["metadata"]["resourceVersion"]
        await proxier.wait_until(lambda: proxier.applied_slice_versions.get(key) == rv)

        # traffic: direct vs cluster IP, alternated
        results: dict[str, list[dict[str, float]]] = {"direct": [], "cluster_ip": []}
        await load(lab, pod_ips, 50, 4)  # warm up (ARP, the servers' first accepts)
        for _ in range(ROUNDS):
            per_round = args.requests // ROUNDS
            results["direct"].append(await load(lab, pod_ips, per_round, args.concurrency))
            results["cluster_ip"].append(await load(lab, [cluster_ip], per_round, args.concurrency))
        summary: dict[str, dict[str, float]] = {}
        for name, rounds in results.items():
            summary[name] = {
                "requests": sum(r["requests"] for r in rounds),
                "errors": sum(r["errors"] for r in rounds),
                "requests_per_s": round(statistics.median(r["requests_per_s"] for r in rounds), 1),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in rounds), 2),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in rounds), 2),
            }
            emit(phase=name, concurrency=args.concurrency, **summary[name])
        emit(
            phase="ratio",
            cluster_ip_over_direct_rps=round(
                summary["cluster_ip"]["requests_per_s"] / summary["direct"]["requests_per_s"], 3
            ),
            p99_added_ms=round(summary["cluster_ip"]["p99_ms"] - summary["direct"]["p99_ms"], 2),
        )

        # endpoint change -> rules applied
        delays: list[float] = []
        syncs: list[float] = []
        applied: dict[str, float] = {}

        def listener(record: SyncRecord) -> None:
            version = record.slice_versions.get(key)
            if version is not None:
                applied.setdefault(version, time.perf_counter())
                syncs.append(record.seconds)

        proxier.listeners.append(listener)
        for i in range(args.updates):
            ips = pod_ips[:1] if i % 2 == 0 else pod_ips
            started = time.perf_counter()
            eps = await client.update(ENDPOINTSLICES, {**eps, "endpoints": endpoints(ips)})
            version = eps["metadata"]["resourceVersion"]
            await proxier.wait_until(lambda v=version: v in applied, timeout=30)
            delays.append(applied[version] - started)
            await asyncio.sleep(0.2)  # changes spaced out: each one measured on its own
        emit(
            phase="endpoint_update",
            updates=len(delays),
            p50_s=round(percentile(delays, 0.5), 4),
            p99_s=round(percentile(delays, 0.99), 4),
            max_s=round(max(delays), 4),
            target_p99_s=1.0,
            within_target=percentile(delays, 0.99) <= 1.0,
            sync_p50_s=round(percentile(syncs, 0.5), 4),
            min_sync_period_s=config.min_sync_period,
        )
        # the last state really is in the kernel
        check = await request_in(netns_path(lab.netns("client")), cluster_ip, 80)
        assert check in ("b1", "b2")
        if args.failovers:
            emit(phase="udp_failover", **await udp_failover(client, proxier, lab, args.failovers))
        await client.aclose()
    finally:
        stop.set()
        if proxier_task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(proxier_task, 30)
        for proc in backends:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        if server is not None:
            await server.stop()
        await lab.destroy()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="requests per target kind")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--updates", type=int, default=40, help="endpoint changes timed")
    parser.add_argument("--failovers", type=int, default=10, help="UDP endpoint swaps timed (0: none)")
    asyncio.run(main(parser.parse_args()))
