"""The node agent end to end through the real kubectl, shared by the runtimes.

A cluster of real processes (`pyk8s apiserver`, `pyk8s controller-manager`, `pyk8s node
--runtime <runtime>`) is started once per test class; each test works in its own
namespace and drives kubectl: `apply`, `wait`, `get` (the table columns users read),
`logs`, `exec`, `delete`. Pods name the node directly (no scheduler needed).

Scripts reach files through `${PYK8S_ROOT}`: empty on the oci runtime and on the process
runtime as root (containers see their mounts at the real paths), the container's root
directory on the process runtime without root (the documented path mapping).

`tests/oci/test_kubectl_oci.py` and `tests/process/test_kubectl_process.py` subclass
`KubectlSuite`; `skip_on` lists the tests that mean nothing on a runtime.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pyk8s.testing.etcd import free_port
from tests.e2e.conftest import Cluster, start_cluster, stop_cluster

Obj = dict[str, Any]
R = "${PYK8S_ROOT}"  # see the module docstring
NOBODY = 65534
WAIT = "90s"


class KubectlCluster:
    """API server, controller manager and one node process, with kubectl."""

    def __init__(self, root: Path, runtime: str, *, node_user: int | None = None) -> None:
        self.root = root
        self.runtime = runtime
        self.node_user = node_user
        self.node_name = f"{runtime}-{uuid.uuid4().hex[:6]}"
        self.node_dir = root / "node"
        self.api: Cluster = start_cluster(root / "api", root / "home")
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.node_restarts = 0
        try:
            self._start(
                "controller-manager",
                [
                    sys.executable,
                    "-m",
                    "pyk8s",
                    "controller-manager",
                    "--kubeconfig",
                    str(self.api.kubeconfig),
                    "--leader-elect=false",
                ],
            )
            self.node_kubeconfig = self._node_kubeconfig()
            self.start_node()
            self.wait_for_node()
        except BaseException:
            self.stop()
            raise

    # processes

    def _start(self, name: str, argv: list[str], *, user: int | None = None) -> None:
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 - kept open by the child
        if user is not None:
            argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.root)
        log.close()

    def _node_kubeconfig(self) -> Path:
        self.node_dir.mkdir(parents=True, exist_ok=True)
        kubeconfig = self.node_dir / "kubeconfig"
        shutil.copy(self.api.kubeconfig, kubeconfig)
        if self.node_user is not None:
            for path in (self.node_dir, kubeconfig):
                os.chown(path, self.node_user, self.node_user)
        return kubeconfig

    def start_node(self) -> None:
        # `python -m pyk8s.node`: the node agent without the pod network `pyk8s node` adds where
        # it can, so these tests are about the runtime alone.
        argv = [sys.executable, "-m", "pyk8s.node", "--kubeconfig", str(self.node_kubeconfig)]
        argv += ["--name", self.node_name, "--runtime", self.runtime, "--data-dir", str(self.node_dir)]
        self._start("node", argv, user=self.node_user)

    def stop_node(self) -> None:
        proc = self.procs.pop("node")
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def node_log(self) -> str:
        return (self.root / "node.log").read_text(errors="replace")

    def wait_for_node(self) -> None:
        deadline = time.monotonic() + 60
        while self.kubectl("get", "node", self.node_name, check=False).returncode != 0:
            node = self.procs.get("node")
            if node is not None and node.poll() is not None:
                raise RuntimeError(f"the node agent exited:\n{self.node_log()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"node {self.node_name} never registered:\n{self.node_log()[-3000:]}")
            time.sleep(0.2)
        self.kubectl("wait", "--for=condition=Ready", f"node/{self.node_name}", f"--timeout={WAIT}")

    def stop(self) -> None:
        """Delete every test namespace's pods (the node stops their containers), then stop
        the processes; whatever is left is removed from the node's files directly."""
        if "node" in self.procs and self.procs["node"].poll() is None:
            self.kubectl(
                "delete", "pods", "--all", "-A", "--wait=true", "--timeout=60s", check=False, timeout=90
            )
            self._wait_containers_gone(30)
        for name in ("node", "controller-manager"):
            proc = self.procs.pop(name, None)
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        remove_leftover_containers(self.node_dir, self.runtime)
        stop_cluster(self.api)

    def containers_dir(self) -> Path:
        return self.node_dir / ("runtime" if self.runtime == "oci" else "process") / "containers"

    def container_ids(self) -> list[str]:
        directory = self.containers_dir()
        return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []

    def _wait_containers_gone(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.container_ids() and time.monotonic() < deadline:
            time.sleep(0.2)

    # kubectl

    def kubectl(
        self, *args: str, input: str | None = None, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return self.api.kubectl(*args, input=input, check=check, timeout=timeout)

    def namespace(self) -> str:
        name = f"t-{uuid.uuid4().hex[:8]}"
        self.kubectl("create", "namespace", name)
        self.kubectl("wait", "--for=create", "serviceaccount/default", "-n", name, f"--timeout={WAIT}")
        return name

    def apply(self, ns: str, *objects: Obj) -> None:
        stream = "\n---\n".join(json.dumps(obj) for obj in objects)  # JSON documents are YAML
        self.kubectl("apply", "-n", ns, "-f", "-", input=stream)

    def wait(self, ns: str, target: str, condition: str, timeout: str = WAIT) -> None:
        """`kubectl wait`; on a time-out the failure carries what the pod and the node said."""
        args = ("wait", "-n", ns, f"--for={condition}", target, f"--timeout={timeout}")
        result = self.kubectl(*args, check=False, timeout=200)
        if result.returncode != 0:
            described = self.kubectl("describe", "-n", ns, target, check=False).stdout
            raise AssertionError(
                f"kubectl {' '.join(args)} failed:\n{result.stderr}\n{described}\n"
                f"node log (tail):\n{self.node_log()[-4000:]}"
            )

    def row(self, ns: str, kind: str, name: str) -> dict[str, str]:
        """One row of `kubectl get`, by column title."""
        lines = self.kubectl("get", kind, name, "-n", ns).stdout.splitlines()
        return table_rows(lines)[0]

    def rows(self, ns: str, kind: str, *selector: str) -> list[dict[str, str]]:
        return table_rows(self.kubectl("get", kind, "-n", ns, *selector).stdout.splitlines())

    def json(self, ns: str, *args: str) -> Any:
        return json.loads(self.kubectl("get", "-n", ns, *args, "-o", "json").stdout)

    def logs(self, ns: str, pod: str, *args: str) -> list[str]:
        return self.kubectl("logs", "-n", ns, pod, *args).stdout.splitlines()

    def pod(self, name: str, script: str, **spec: Any) -> Obj:
        """A busybox pod on this node running `sh -c script` (`container=` adds fields)."""
        container: Obj = {"name": "main", "image": "busybox", "command": ["sh", "-c", script]}
        container.update(spec.pop("container", {}))
        labels = spec.pop("labels", {})
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "labels": labels},
            "spec": {
                "nodeName": self.node_name,
                "terminationGracePeriodSeconds": 2,
                "containers": [container],
                **spec,
            },
        }


def table_rows(lines: list[str]) -> list[dict[str, str]]:
    """`kubectl get` output as dicts, cut at the header's column starts (values such as
    `1 (5s ago)` contain spaces)."""
    header = lines[0]
    starts = [i for i, ch in enumerate(header) if ch != " " and (i == 0 or header[i - 1] == " ")]
    titles = header.split()
    rows = []
    for line in lines[1:]:
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        rows.append(dict(zip(titles, cells, strict=True)))
    return rows


def remove_leftover_containers(node_dir: Path, runtime: str) -> None:
    """Stop and remove containers and sandboxes a stopped node left behind."""

    async def clean() -> None:
        if runtime == "process":
            from pyk8s.node.process import ProcessRuntime

            process = ProcessRuntime(node_dir / "process")
            for cid in process.list_ids():
                await process.remove(cid)
            return
        from pyk8s.node.oci.crun import CrunRuntime
        from pyk8s.node.oci.sandbox import PodSandbox, remove_sandbox

        crun = CrunRuntime(node_dir / "runtime")
        for cid in crun.list_ids():
            await crun.stop(cid, 0)
            await crun.remove(cid)
        sandboxes = node_dir / "sandboxes"
        for directory in sandboxes.iterdir() if sandboxes.is_dir() else []:
            await remove_sandbox(PodSandbox(directory.name, directory))

    if (node_dir / ("process" if runtime == "process" else "runtime")).is_dir():
        asyncio.run(clean())


def condition_true(row_json: Obj, kind: str) -> bool:
    return any(
        c.get("type") == kind and c.get("status") == "True"
        for c in (row_json.get("status") or {}).get("conditions") or []
    )


class KubectlSuite:
    """The scenarios; subclasses set `runtime` and provide the `cluster` fixture."""

    runtime: ClassVar[str] = ""
    skip_on: ClassVar[dict[str, str]] = {}  # test name -> why it means nothing here

    @pytest.fixture(autouse=True)
    def _maybe_skip(self, request: pytest.FixtureRequest) -> None:
        reason = self.skip_on.get(request.node.originalname)
        if reason:
            pytest.skip(reason)

    @pytest.fixture
    def ns(self, cluster: KubectlCluster) -> str:
        return cluster.namespace()

    def test_pods_exit_codes_show_as_completed_and_error(self, cluster: KubectlCluster, ns: str) -> None:
        cluster.apply(
            ns,
            cluster.pod("ok", "echo fine", restartPolicy="Never"),
            cluster.pod("bad", "echo oops; exit 3", restartPolicy="Never"),
        )
        cluster.wait(ns, "pod/ok", "jsonpath={.status.phase}=Succeeded")
        cluster.wait(ns, "pod/bad", "jsonpath={.status.phase}=Failed")
        assert cluster.row(ns, "pod", "ok")["STATUS"] == "Completed"
        assert cluster.row(ns, "pod", "bad")["STATUS"] == "Error"
        terminated = cluster.json(ns, "pod", "bad")["status"]["containerStatuses"][0]["state"]["terminated"]
        assert (terminated["exitCode"], terminated["reason"]) == (3, "Error")
        assert cluster.logs(ns, "bad") == ["oops"]
        assert cluster.logs(ns, "ok") == ["fine"]

    def test_pid_and_filesystem_isolation(self, cluster: KubectlCluster, ns: str) -> None:
        script = (
            "echo pid=$$$$; echo procs=$(ls /proc | grep -c '^[0-9]'); hostname;"
            " test -e /usr/bin/python3 && echo host-python || echo no-host-python;"
            f" test -e {cluster.node_dir} && echo host-data || echo no-host-data"
        )
        cluster.apply(ns, cluster.pod("isolated", script, restartPolicy="Never"))
        cluster.wait(ns, "pod/isolated", "jsonpath={.status.phase}=Succeeded")
        lines = cluster.logs(ns, "isolated")
        assert lines[0] == "pid=1"
        assert int(lines[1].split("=")[1]) <= 5  # the shell, its subshell, ls, grep: none of the host's
        assert lines[2:] == ["isolated", "no-host-python", "no-host-data"]

    def test_containers_share_localhost_and_an_empty_dir(self, cluster: KubectlCluster, ns: str) -> None:
        port = free_port()  # pods of the process runtime share the host's ports
        web = (
            f"mkdir -p {R}/shared/www && echo hello-from-web > {R}/shared/www/index.html"
            f" && exec httpd -f -p 127.0.0.1:{port} -h {R}/shared/www"
        )
        client = (
            f"until wget -q -O {R}/shared/fetched http://127.0.0.1:{port}/index.html 2>/dev/null;"
            " do sleep 0.2; done;"
            f" cat {R}/shared/fetched; exec sleep 3600"
        )
        pod = cluster.pod(
            "pair",
            web,
            container={"name": "web", "volumeMounts": [{"name": "shared", "mountPath": "/shared"}]},
            volumes=[{"name": "shared", "emptyDir": {}}],
        )
        pod["spec"]["containers"].append(
            {
                "name": "client",
                "image": "busybox",
                "command": ["sh", "-c", client],
                "volumeMounts": [{"name": "shared", "mountPath": "/shared"}],
            }
        )
        cluster.apply(ns, pod)
        cluster.wait(ns, "pod/pair", "condition=Ready")
        assert cluster.row(ns, "pod", "pair")["READY"] == "2/2"
        deadline = time.monotonic() + 60
        while cluster.logs(ns, "pair", "-c", "client") != ["hello-from-web"]:
            assert time.monotonic() < deadline, "the client never fetched the page"
            time.sleep(0.3)
        seen = cluster.kubectl(
            "exec", "-n", ns, "pair", "-c", "web", "--", "sh", "-c", f"cat {R}/shared/fetched"
        )
        assert seen.stdout == "hello-from-web\n"

    def test_env_and_volumes_from_configmaps_secrets_and_the_downward_api(
        self, cluster: KubectlCluster, ns: str
    ) -> None:
        cluster.kubectl("create", "configmap", "settings", "-n", ns, "--from-literal=greeting=hi")
        cluster.kubectl("create", "secret", "generic", "creds", "-n", ns, "--from-literal=password=s3cret")
        script = (
            "echo $GREETING $PASSWORD $CFG_greeting $POD_NAME $POD_NAMESPACE $NODE_NAME $MEMORY;"
            f" cat {R}/etc/settings/greeting; echo; cat {R}/etc/creds/password; echo;"
            f" cat {R}/etc/podinfo/labels"
        )
        container = {
            "env": [
                {
                    "name": "GREETING",
                    "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "greeting"}},
                },
                {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}},
                {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
                {
                    "name": "MEMORY",
                    "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}},
                },
            ],
            "envFrom": [{"prefix": "CFG_", "configMapRef": {"name": "settings"}}],
            "resources": {"limits": {"memory": "64Mi"}},
            "volumeMounts": [
                {"name": "settings", "mountPath": "/etc/settings"},
                {"name": "creds", "mountPath": "/etc/creds"},
                {"name": "podinfo", "mountPath": "/etc/podinfo"},
            ],
        }
        volumes = [
            {"name": "settings", "configMap": {"name": "settings"}},
            {"name": "creds", "secret": {"secretName": "creds"}},
            {
                "name": "podinfo",
                "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]},
            },
        ]
        cluster.apply(
            ns,
            cluster.pod(
                "env",
                script,
                restartPolicy="Never",
                container=container,
                volumes=volumes,
                labels={"tier": "demo"},
            ),
        )
        cluster.wait(ns, "pod/env", "jsonpath={.status.phase}=Succeeded")
        assert cluster.logs(ns, "env") == [
            f"hi s3cret hi env {ns} {cluster.node_name} 64",
            "hi",
            "s3cret",
            'tier="demo"',
        ]

    def test_liveness_restarts_and_crash_loop_back_off(self, cluster: KubectlCluster, ns: str) -> None:
        # Unhealthy once: the first run removes its health file; the restarted one keeps it.
        first_run = (
            f"if [ ! -e {R}/state/started ]; then touch {R}/state/started {R}/state/healthy; sleep 2;"
            f" rm {R}/state/healthy; else touch {R}/state/healthy; fi; exec sleep 3600"
        )
        live = cluster.pod(
            "unhealthy",
            first_run,
            container={
                "livenessProbe": {
                    "exec": {"command": ["sh", "-c", f"test -e {R}/state/healthy"]},
                    "periodSeconds": 1,
                    "failureThreshold": 1,
                },
                "volumeMounts": [{"name": "state", "mountPath": "/state"}],
            },
            volumes=[{"name": "state", "emptyDir": {}}],
        )
        cluster.apply(ns, live, cluster.pod("crashing", "echo crashing; exit 1"))
        cluster.wait(
            ns,
            "pod/crashing",
            "jsonpath={.status.containerStatuses[0].state.waiting.reason}=CrashLoopBackOff",
        )
        assert cluster.row(ns, "pod", "crashing")["STATUS"] == "CrashLoopBackOff"
        cluster.wait(ns, "pod/crashing", "jsonpath={.status.containerStatuses[0].restartCount}=1")
        assert cluster.row(ns, "pod", "crashing")["RESTARTS"].split()[0] == "1"
        cluster.wait(ns, "pod/unhealthy", "jsonpath={.status.containerStatuses[0].restartCount}=1")
        cluster.wait(ns, "pod/unhealthy", "condition=Ready")
        row = cluster.row(ns, "pod", "unhealthy")
        assert (row["STATUS"], row["RESTARTS"].split()[0]) == ("Running", "1")
        events = cluster.json(ns, "events", "--field-selector", "involvedObject.name=unhealthy")["items"]
        assert any(e["reason"] == "Unhealthy" and "Liveness probe failed" in e["message"] for e in events)

    def test_readiness_gates_ready(self, cluster: KubectlCluster, ns: str) -> None:
        pod = cluster.pod(
            "gated",
            "exec sleep 3600",
            container={
                "readinessProbe": {
                    "exec": {"command": ["sh", "-c", f"test -e {R}/state/ready"]},
                    "periodSeconds": 1,
                },
                "volumeMounts": [{"name": "state", "mountPath": "/state"}],
            },
            volumes=[{"name": "state", "emptyDir": {}}],
        )
        cluster.apply(ns, pod)
        cluster.wait(ns, "pod/gated", "jsonpath={.status.phase}=Running")
        row = cluster.row(ns, "pod", "gated")
        assert (row["STATUS"], row["READY"]) == ("Running", "0/1")
        cluster.kubectl("exec", "-n", ns, "gated", "--", "sh", "-c", f"touch {R}/state/ready")
        cluster.wait(ns, "pod/gated", "condition=Ready")
        assert cluster.row(ns, "pod", "gated")["READY"] == "1/1"

    def test_a_job_of_three_completions(self, cluster: KubectlCluster, ns: str) -> None:
        template = cluster.pod("unused", "echo work done", restartPolicy="Never", labels={"app": "work"})
        job = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "three"},
            "spec": {
                "completions": 3,
                "parallelism": 2,
                "template": {"metadata": {"labels": {"app": "work"}}, "spec": template["spec"]},
            },
        }
        cluster.apply(ns, job)
        cluster.wait(ns, "job/three", "condition=Complete", timeout="120s")
        assert cluster.json(ns, "job", "three")["status"]["succeeded"] == 3
        rows = cluster.rows(ns, "pods", "-l", "job-name=three")
        assert [r["STATUS"] for r in rows] == ["Completed"] * 3

    def test_graceful_deletion_delivers_sigterm(self, cluster: KubectlCluster, ns: str) -> None:
        out = cluster.root / f"term-{ns}"
        out.mkdir(mode=0o777)
        out.chmod(0o777)
        pod = cluster.pod(
            "term",
            f"trap 'echo got TERM > {R}/out/term; exit 0' TERM; while true; do sleep 0.1; done",
            container={"volumeMounts": [{"name": "out", "mountPath": "/out"}]},
            volumes=[{"name": "out", "hostPath": {"path": str(out), "type": "Directory"}}],
        )
        cluster.apply(ns, pod)
        cluster.wait(ns, "pod/term", "condition=Ready")
        cluster.kubectl("delete", "pod", "term", "-n", ns, "--wait=true", "--timeout=60s")
        assert (out / "term").read_text() == "got TERM\n"

    def test_agent_restart_keeps_containers(self, cluster: KubectlCluster, ns: str) -> None:
        cluster.apply(ns, cluster.pod("steady", "echo up; exec sleep 3600"))
        cluster.wait(ns, "pod/steady", "condition=Ready")
        pod = cluster.json(ns, "pod", "steady")
        uid = pod["metadata"]["uid"]
        cid = pod["status"]["containerStatuses"][0]["containerID"].split("://", 1)[1]
        before = self.container_pid(cluster, cid)
        adopted = cluster.node_log().count("adopted")
        cluster.stop_node()
        cluster.start_node()
        deadline = time.monotonic() + 60
        while cluster.node_log().count("adopted") <= adopted:  # the new agent found the pod's container
            assert time.monotonic() < deadline, cluster.node_log()[-3000:]
            time.sleep(0.2)
        cluster.kubectl("exec", "-n", ns, "steady", "--", "true")  # the new agent serves it
        assert [c for c in cluster.container_ids() if c.startswith(uid)] == [cid]
        assert self.container_pid(cluster, cid) == before
        status = cluster.json(ns, "pod", "steady")["status"]["containerStatuses"][0]
        assert status["restartCount"] == 0 and "running" in status["state"]
        assert cluster.logs(ns, "steady") == ["up"]

    @staticmethod
    def container_pid(cluster: KubectlCluster, cid: str) -> tuple[int, int]:
        """(shim pid, container pid), both alive."""
        directory = cluster.containers_dir() / cid
        shim = int((directory / "shim.pid").read_text())
        if cluster.runtime == "process":
            main = int(json.loads((directory / "state.json").read_text())["pid"])
        else:
            state = subprocess.run(
                ["crun", "--root", str(cluster.node_dir / "runtime" / "crun"), "state", cid],
                capture_output=True,
                text=True,
                check=False,
            )
            main = int(json.loads(state.stdout)["pid"]) if state.returncode == 0 else 0
        for pid in (shim, main):
            os.kill(pid, 0)
        return shim, main

    def test_a_claim_gets_a_local_path_volume(self, cluster: KubectlCluster, ns: str) -> None:
        claim = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "16Mi"}}},
        }
        writer = cluster.pod(
            "writer",
            f"echo kept > {R}/data/file",
            restartPolicy="Never",
            container={"volumeMounts": [{"name": "data", "mountPath": "/data"}]},
            volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}],
        )
        cluster.apply(ns, claim)
        assert cluster.json(ns, "pvc", "data")["spec"]["storageClassName"] == "local-path"  # the default
        # No scheduler here: mark the claim as the scheduler does for WaitForFirstConsumer.
        cluster.kubectl(
            "annotate", "pvc", "data", "-n", ns, f"volume.kubernetes.io/selected-node={cluster.node_name}"
        )
        cluster.apply(ns, writer)
        cluster.wait(ns, "pvc/data", "jsonpath={.status.phase}=Bound")
        cluster.wait(ns, "pod/writer", "jsonpath={.status.phase}=Succeeded")
        volume = cluster.json(ns, "pvc", "data")["spec"]["volumeName"]
        pv = json.loads(cluster.kubectl("get", "pv", volume, "-o", "json").stdout)
        path = Path(pv["spec"]["hostPath"]["path"])
        assert path.parent == cluster.node_dir.resolve() / "local-path"
        assert (path / "file").read_text() == "kept\n"
        assert (path.stat().st_mode & 0o777) == 0o777
        cluster.kubectl("delete", "pod", "writer", "-n", ns, "--wait=true")
        cluster.kubectl("delete", "pvc", "data", "-n", ns, "--wait=true")
        cluster.kubectl("wait", "--for=delete", f"pv/{volume}", f"--timeout={WAIT}")
        assert not path.exists()


@pytest.fixture(scope="class")
def class_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory other users can reach (pytest's own is private to its user)."""
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="pyk8s-kubectl-"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)
