"""Cluster DNS throughput and latency over UDP (and TCP), on loopback only.

Scenario: a server process starts an API server in-process (memory storage), creates
`--services` ClusterIP Services plus one headless Service whose EndpointSlice holds 10 ready
endpoints, and serves the zone with `ClusterDns` on 127.0.0.1 (the project's event loop,
uvloop). Beside it, in the same process and loop, a baseline UDP server answers every
datagram with one pre-encoded DNS response: the transport's ceiling on this machine, so
each DNS figure comes with its ratio to a baseline of the same run.

The load generator (this process) keeps `--concurrency` queries in flight on one UDP socket
and sends `--queries` in total per scenario (bounded; a scenario also stops after 30 s).
Latency is from send to answer. Scenarios: baseline echo, A of a ClusterIP Service, A of
the headless Service (10 records), NXDOMAIN, SRV, each repeated (answered from the
server's reply cache) or "uncached" (every query in another mix of letter cases, so each is
parsed, resolved and rendered); then TCP with one query in flight per connection.

`--from-pod` asks from a pod instead (issue 9: "DNS queries/s and p99 from a pod"): the
script makes a node host namespace with a client pod on its bridge (`proxy/lab.py`), runs the
server process inside the node host (`nsenter --net`; the API server stays on that
namespace's loopback), listening on the node address, with the service proxy in the same
process programming that namespace: `bench-dns` (10.96.0.10:53) and `bench-echo`
(10.96.0.11:53) are Services whose endpoint is the node address. Queries leave a socket in
the client pod: straight to the node address, and through the cluster IPs (DNAT; one socket
is one conntrack entry, as a resolver keeping its socket). Needs root, ip, nft, nsenter;
every namespace is deleted at the end.

Prints one JSON line per scenario.

    python bench/network_dns.py [--services 1000] [--queries 20000] [--concurrency 64] [--rounds 3]
    python bench/network_dns.py --from-pod [--services 300] [--queries 4000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import struct
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import dns.message
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HOST = "127.0.0.1"
SCENARIO_SECONDS = 30.0
DNS_SERVICE_IP, ECHO_SERVICE_IP = "10.96.0.10", "10.96.0.11"


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# the server process


async def serve(services: int, host: str = HOST, proxy: bool = False) -> None:
    from pyk8s._aio import runtime
    from pyk8s.apiserver.app import ApiServerConfig, start_apiserver
    from pyk8s.client import Client
    from pyk8s.client.resources import ENDPOINTSLICES, SERVICES
    from pyk8s.network.dns import ClusterDns, DnsConfig

    data = Path(tempfile.mkdtemp(prefix="bench-dns-"))
    running = await start_apiserver(
        ApiServerConfig(data_dir=data, port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    )
    client = Client.from_kubeconfig(running.kubeconfig, component="bench", qps=5000, burst=10000)
    try:
        sem = asyncio.Semaphore(32)

        async def create(i: int) -> None:
            async with sem:
                body = {
                    "metadata": {"name": f"svc-{i}", "namespace": "default"},
                    "spec": {"ports": [{"name": "http", "port": 80}]},
                }
                await client.create(SERVICES, body, namespace="default")

        await asyncio.gather(*(create(i) for i in range(services)))
        await client.create(
            SERVICES,
            {"metadata": {"name": "headless", "namespace": "default"}, "spec": {"clusterIP": "None"}},
            namespace="default",
        )
        await client.create(
            ENDPOINTSLICES,
            {
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "metadata": {
                    "name": "headless-1",
                    "namespace": "default",
                    "labels": {"kubernetes.io/service-name": "headless"},
                },
                "addressType": "IPv4",
                "endpoints": [
                    {"addresses": [f"10.244.0.{i + 2}"], "conditions": {"ready": True}} for i in range(10)
                ],
                "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
            },
            namespace="default",
        )
        config = DnsConfig(
            kubeconfig=client, listen=(f"{host}:0",), node_listeners=False, manage_service=False
        )
        cluster_dns = ClusterDns(config, client)
        await cluster_dns.start()
        # the baseline: a datagram server answering with one fixed response
        canned = dns.message.make_response(dns.message.make_query("svc-0.default.svc.cluster.local", "A"))
        canned_wire = canned.to_wire()

        class Echo(asyncio.DatagramProtocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                self.transport = transport

            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                self.transport.sendto(data[:2] + canned_wire[2:], addr)  # type: ignore[attr-defined]

        loop = asyncio.get_running_loop()
        echo, _ = await loop.create_datagram_endpoint(Echo, local_addr=(host, 0))
        ports = {"dns": cluster_dns.server.listeners[0].port, "echo": echo.get_extra_info("sockname")[1]}
        stop = asyncio.Event()
        proxier_task = None
        if proxy:
            proxier_task = await start_proxy(client, running.kubeconfig, host, ports, stop)
        # As the long-running components do: what start-up built is kept out of the collector's way.
        runtime.freeze_startup_objects()
        print(orjson.dumps(ports).decode(), flush=True)
        await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
        stop.set()
        if proxier_task is not None:
            await asyncio.wait_for(proxier_task, 30)
        echo.close()
        await cluster_dns.aclose()
    finally:
        await client.aclose()
        await running.stop()
        shutil.rmtree(data, ignore_errors=True)


async def start_proxy(
    client: Any, kubeconfig: Path, host: str, ports: dict[str, int], stop: asyncio.Event
) -> asyncio.Task[None]:
    """Services for the DNS and the echo server (their endpoint: `host`) and the service
    proxy programming this process's own namespace (the node host, under `--from-pod`);
    returns once the rules are in."""
    from pyk8s.client.resources import ENDPOINTSLICES, SERVICES
    from pyk8s.network.proxy import Proxier, ProxyConfig

    for name, ip, port in (
        ("bench-dns", DNS_SERVICE_IP, ports["dns"]),
        ("bench-echo", ECHO_SERVICE_IP, ports["echo"]),
    ):
        await client.create(
            SERVICES,
            {
                "metadata": {"name": name, "namespace": "default"},
                "spec": {
                    "clusterIP": ip,
                    "ports": [{"name": "dns", "port": 53, "targetPort": port, "protocol": "UDP"}],
                },
            },
            namespace="default",
        )
        await client.create(
            ENDPOINTSLICES,
            {
                "apiVersion": "discovery.k8s.io/v1",
                "kind": "EndpointSlice",
                "metadata": {
                    "name": f"{name}-1",
                    "namespace": "default",
                    "labels": {"kubernetes.io/service-name": name},
                },
                "addressType": "IPv4",
                "endpoints": [{"addresses": [host], "conditions": {"ready": True}}],
                "ports": [{"name": "dns", "port": port, "protocol": "UDP"}],
            },
            namespace="default",
        )
    proxier = Proxier(client, ProxyConfig(kubeconfig=kubeconfig, node_name="bench-node", netns=""))
    task = asyncio.create_task(proxier.run(stop))
    wanted = {"default/bench-dns", "default/bench-echo"}
    await proxier.wait_until(lambda: all(proxier.programmed(k) is not None for k in wanted), timeout=60)
    return task


# the load generator


class UdpLoad(asyncio.DatagramProtocol):
    """Keeps `concurrency` queries in flight until `total` were answered (or time is up)."""

    def __init__(self, wires: list[bytes], total: int, concurrency: int) -> None:
        self.wires, self.total, self.concurrency = [w[2:] for w in wires], total, concurrency
        self.sent = 0
        self.pending: dict[int, float] = {}
        self.latencies: list[float] = []
        self.done = asyncio.get_running_loop().create_future()
        self.rcodes: dict[int, int] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.DatagramTransport = transport  # type: ignore[assignment]
        for _ in range(min(self.concurrency, self.total)):
            self._send()

    def _send(self) -> None:
        qid = self.sent & 0xFFFF
        self.sent += 1
        self.pending[qid] = time.perf_counter()
        self.transport.sendto(struct.pack("!H", qid) + self.wires[self.sent % len(self.wires)])

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        started = self.pending.pop(struct.unpack("!H", data[:2])[0], None)
        if started is None:
            return
        self.latencies.append(time.perf_counter() - started)
        rcode = data[3] & 0x0F
        self.rcodes[rcode] = self.rcodes.get(rcode, 0) + 1
        if self.sent < self.total:
            self._send()
        elif not self.pending and not self.done.done():
            self.done.set_result(None)


async def udp_scenario(
    name: str,
    port: int,
    qname: str,
    qtype: str,
    total: int,
    concurrency: int,
    *,
    distinct: bool = False,
    host: str = HOST,
    netns: Path | None = None,
) -> dict:
    """`distinct`: every query spells the name in another mix of cases (as resolvers using
    DNS 0x20 do), so none is answered from the server's reply cache."""
    loop = asyncio.get_running_loop()
    rng = random.Random(7)
    names = [qname]
    if distinct:
        names = [
            "".join(c.upper() if rng.random() < 0.5 else c for c in qname) for _ in range(min(total, 4096))
        ]
    wires = [dns.message.make_query(n, qtype).to_wire() for n in names]
    if netns is None:
        transport, load = await loop.create_datagram_endpoint(
            lambda: UdpLoad(wires, total, concurrency), remote_addr=(host, port)
        )
    else:  # a socket of the client pod
        from pyk8s.network.netns import open_socket_in_netns

        sock = await open_socket_in_netns(netns, socket.AF_INET, socket.SOCK_DGRAM)
        sock.setblocking(False)
        sock.connect((host, port))
        transport, load = await loop.create_datagram_endpoint(
            lambda: UdpLoad(wires, total, concurrency), sock=sock
        )
    started = time.perf_counter()
    try:
        await asyncio.wait_for(load.done, SCENARIO_SECONDS)
    except TimeoutError:
        pass
    elapsed = time.perf_counter() - started
    transport.close()
    answered = len(load.latencies)
    return {
        "scenario": name,
        "transport": "udp",
        "queries": answered,
        "lost": load.sent - answered,
        "qps": round(answered / elapsed, 1),
        "p50_ms": round(percentile(load.latencies, 0.50) * 1000, 3),
        "p99_ms": round(percentile(load.latencies, 0.99) * 1000, 3),
        "rcodes": {str(k): v for k, v in sorted(load.rcodes.items())},
    }


async def tcp_scenario(port: int, total: int, connections: int) -> dict:
    wire = dns.message.make_query("svc-1.default.svc.cluster.local", "A").to_wire()
    latencies: list[float] = []
    per = total // connections

    async def one() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            for _ in range(per):
                started = time.perf_counter()
                writer.write(len(wire).to_bytes(2, "big") + wire)
                size = int.from_bytes(await reader.readexactly(2), "big")
                await reader.readexactly(size)
                latencies.append(time.perf_counter() - started)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(one() for _ in range(connections))), SCENARIO_SECONDS * 2)
    elapsed = time.perf_counter() - started
    return {
        "scenario": "cluster-ip A",
        "transport": "tcp",
        "connections": connections,
        "queries": len(latencies),
        "qps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
    }


async def drive(args: argparse.Namespace) -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        "--services",
        str(args.services),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert server.stdout is not None
        ports = orjson.loads(await asyncio.wait_for(server.stdout.readline(), 120))
        emit(bench="network_dns", services=args.services, cpus=os.cpu_count(), concurrency=args.concurrency)
        await udp_scenario("warm-up", ports["dns"], "svc-0.default.svc.cluster.local", "A", 2000, 16)
        pick = random.Random(1).randrange(args.services)
        scenarios = [
            ("baseline echo", ports["echo"], "svc-0.default.svc.cluster.local", "A", False),
            ("cluster-ip A", ports["dns"], f"svc-{pick}.default.svc.cluster.local", "A", False),
            ("cluster-ip A, uncached", ports["dns"], f"svc-{pick}.default.svc.cluster.local", "A", True),
            ("headless A (10 records)", ports["dns"], "headless.default.svc.cluster.local", "A", False),
            (
                "headless A (10 records), uncached",
                ports["dns"],
                "headless.default.svc.cluster.local",
                "A",
                True,
            ),
            ("nxdomain, uncached", ports["dns"], "nothing.default.svc.cluster.local", "A", True),
            ("srv, uncached", ports["dns"], f"_http._tcp.svc-{pick}.default.svc.cluster.local", "SRV", True),
        ]
        # The machine's load moves from second to second: every round runs every scenario
        # (the baseline first), each is compared with its own round's baseline, and the
        # medians over the rounds are reported.
        rounds: dict[str, list[dict]] = {name: [] for name, *_ in scenarios}
        for _ in range(args.rounds):
            baseline_qps = 0.0
            for name, port, qname, qtype, distinct in scenarios:
                result = await udp_scenario(
                    name, port, qname, qtype, args.queries, args.concurrency, distinct=distinct
                )
                if port == ports["echo"]:
                    baseline_qps = result["qps"]
                result["vs_baseline_qps"] = result["qps"] / baseline_qps if baseline_qps else 0.0
                rounds[name].append(result)
        for name, results in rounds.items():
            emit(
                scenario=name,
                transport="udp",
                rounds=len(results),
                queries=sum(r["queries"] for r in results),
                lost=sum(r["lost"] for r in results),
                qps=round(statistics.median(r["qps"] for r in results), 1),
                p50_ms=round(statistics.median(r["p50_ms"] for r in results), 3),
                p99_ms=round(statistics.median(r["p99_ms"] for r in results), 3),
                vs_baseline_qps=round(statistics.median(r["vs_baseline_qps"] for r in results), 3),
                rcodes=results[0]["rcodes"],
            )
        emit(**await tcp_scenario(ports["dns"], args.queries // 4, 8))
    finally:
        if server.stdin is not None:
            server.stdin.close()
        try:
            await asyncio.wait_for(server.wait(), 30)
        except TimeoutError:
            server.kill()
            await server.wait()


async def drive_from_pod(args: argparse.Namespace) -> None:
    """The scenarios from a client pod (see the module docstring)."""
    from pyk8s.network.netns import netns_path
    from pyk8s.network.proxy.lab import NODE_ADDRESS, Lab

    lab = Lab()
    server = None
    try:
        await lab.create(["client"])
        server = await asyncio.create_subprocess_exec(
            "nsenter",
            f"--net={netns_path(lab.node)}",
            sys.executable,
            __file__,
            "--serve",
            "--services",
            str(args.services),
            "--host",
            NODE_ADDRESS,
            "--proxy",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert server.stdout is not None
        ports = orjson.loads(await asyncio.wait_for(server.stdout.readline(), 180))
        client = netns_path(lab.netns("client"))
        emit(
            bench="network_dns",
            mode="from-pod",
            services=args.services,
            cpus=os.cpu_count(),
            concurrency=args.concurrency,
        )
        await udp_scenario(
            "warm-up", 53, "svc-0.default.svc.cluster.local", "A", 2000, 16, host=DNS_SERVICE_IP, netns=client
        )
        pick = random.Random(1).randrange(args.services)
        name = f"svc-{pick}.default.svc.cluster.local"
        scenarios = [
            ("baseline echo, node address", NODE_ADDRESS, ports["echo"], name, False),
            ("cluster-ip A, node address", NODE_ADDRESS, ports["dns"], name, False),
            ("baseline echo, service IP", ECHO_SERVICE_IP, 53, name, False),
            ("cluster-ip A, service IP", DNS_SERVICE_IP, 53, name, False),
            ("cluster-ip A, uncached, service IP", DNS_SERVICE_IP, 53, name, True),
        ]
        rounds: dict[str, list[dict]] = {s[0]: [] for s in scenarios}
        for _ in range(args.rounds):
            baseline_qps = 0.0
            for label, host, port, qname, distinct in scenarios:
                result = await udp_scenario(
                    label,
                    port,
                    qname,
                    "A",
                    args.queries,
                    args.concurrency,
                    distinct=distinct,
                    host=host,
                    netns=client,
                )
                if label.startswith("baseline echo, node"):
                    baseline_qps = result["qps"]
                result["vs_baseline_qps"] = result["qps"] / baseline_qps if baseline_qps else 0.0
                rounds[label].append(result)
        for label, results in rounds.items():
            emit(
                scenario=label,
                transport="udp",
                source="pod",
                rounds=len(results),
                queries=sum(r["queries"] for r in results),
                lost=sum(r["lost"] for r in results),
                qps=round(statistics.median(r["qps"] for r in results), 1),
                p50_ms=round(statistics.median(r["p50_ms"] for r in results), 3),
                p99_ms=round(statistics.median(r["p99_ms"] for r in results), 3),
                vs_baseline_qps=round(statistics.median(r["vs_baseline_qps"] for r in results), 3),
                rcodes=results[0]["rcodes"],
            )
    finally:
        if server is not None:
            if server.stdin is not None:
                server.stdin.close()
            try:
                await asyncio.wait_for(server.wait(), 30)
            except TimeoutError:
                server.kill()
                await server.wait()
        await lab.destroy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=20000, help="per scenario")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3, help="every scenario this many times (medians)")
    parser.add_argument("--from-pod", action="store_true", help="query from a pod namespace (needs root)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--host", default=HOST, help=argparse.SUPPRESS)
    parser.add_argument("--proxy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        from pyk8s._aio import runtime

        runtime.tune_gc()
        runtime.run(serve(args.services, args.host, args.proxy))
        return
    asyncio.run(drive_from_pod(args) if args.from_pod else drive(args))


if __name__ == "__main__":
    main()
