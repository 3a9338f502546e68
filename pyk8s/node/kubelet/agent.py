"""The node agent for real containers (runtime `oci`): registers the Node, keeps its Lease
and status fresh, watches the pods bound to it and gives each a `PodWorker`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import platform
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyk8s
from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError, StatusError
from pyk8s.api.meta import rfc3339, rfc3339_micro
from pyk8s.client import Client
from pyk8s.client.events import EventBroadcaster
from pyk8s.client.informers.factory import SharedInformerFactory
from pyk8s.client.informers.informer import EventHandlerFuncs
from pyk8s.client.resources import (
    CONFIGMAPS,
    LEASES,
    NODES,
    PERSISTENTVOLUMECLAIMS,
    PERSISTENTVOLUMES,
    PODS,
    SECRETS,
    SERVICEACCOUNTS,
    SERVICES,
    Resource,
)
from pyk8s.client.rest import PatchType
from pyk8s.node.images.busybox import IMAGE_NAME, BusyboxMissingError, ensure_busybox
from pyk8s.node.images.reference import image_tag_is_latest, parse_reference
from pyk8s.node.images.registry import Credentials, RegistryError, credentials_from_docker_config, pull
from pyk8s.node.images.store import Image, ImageError, ImageStore
from pyk8s.node.kubelet.env import service_env
from pyk8s.node.kubelet.server import KubeletServer
from pyk8s.node.kubelet.volumes import VolumeError
from pyk8s.node.kubelet.worker import ImagePullError, NodeServices, PodWorker
from pyk8s.node.oci.crun import CrunRuntime

log = logging.getLogger("pyk8s.node.kubelet")

Obj = dict[str, Any]
LEASE_NAMESPACE = "kube-node-lease"
LEASE_SECONDS = 40
RENEW_INTERVAL = 10.0
STATUS_INTERVAL = 60.0
MAX_PODS = 110
UNREACHABLE_RETRY = 60.0
KINDS: dict[str, Resource] = {
    "ConfigMap": CONFIGMAPS,
    "Secret": SECRETS,
    "PersistentVolumeClaim": PERSISTENTVOLUMECLAIMS,
    "PersistentVolume": PERSISTENTVOLUMES,
}


@dataclass
class KubeletConfig:
    """One real node."""

    node_name: str
    data_dir: Path
    client: Client
    node_ip: str = "127.0.0.1"
    crun: str = "crun"
    cluster_dns: list[str] = field(default_factory=list)
    cluster_domain: str = "cluster.local"
    labels: dict[str, str] = field(default_factory=dict)
    clock: Clock = field(default_factory=RealClock)


def machine_capacity(data_dir: Path) -> dict[str, str]:
    """cpu, memory, pods and ephemeral-storage of this machine."""
    memory_kib = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    disk = os.statvfs(data_dir)
    return {
        "cpu": str(os.cpu_count() or 1),
        "memory": f"{memory_kib}Ki",
        "pods": str(MAX_PODS),
        "ephemeral-storage": f"{disk.f_blocks * disk.f_frsize // 1024}Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
    }


class Kubelet:
    """Runs the pods bound to one node on crun."""

    def __init__(self, config: KubeletConfig) -> None:
        self.config = config
        self.client = config.client
        self.clock = config.clock
        root = config.data_dir
        root.mkdir(parents=True, exist_ok=True)
        self.images = ImageStore(root / "images")
        self.runtime = CrunRuntime(root / "runtime", crun=config.crun)
        self.workers: dict[str, PodWorker] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._unreachable: dict[str, float] = {}  # registry -> monotonic time to try again
        self.capacity = machine_capacity(root)
        self.broadcaster = EventBroadcaster(self.client, clock=self.clock)
        self.recorder = self.broadcaster.new_recorder("kubelet", host=config.node_name)
        self.factory = SharedInformerFactory(self.client)
        self.services = NodeServices(
            node_name=config.node_name,
            runtime=self.runtime,
            pods_dir=root / "pods",
            logs_dir=root / "logs" / "pods",
            lookup=self._lookup,
            ensure_image=self._ensure_image,
            image_config=self.images.config,
            image_layers=self.images.unpack,
            report_status=self._report_status,
            record_event=lambda pod, kind, reason, message: self.recorder.event(pod, kind, reason, message),
            finish_deletion=self._finish_deletion,
            clock=self.clock,
            node_ip=config.node_ip,
            allocatable=dict(self.capacity),
            request_token=self._request_token,
            service_env=self._service_env,
            dns_servers=list(config.cluster_dns),
            cluster_domain=config.cluster_domain,
        )
        self.server = KubeletServer(self)  # logs, exec, attach, port-forward, stats for the API server

    # the API

    async def _lookup(self, kind: str, namespace: str, name: str) -> Obj | None:
        try:
            return await self.client.get(KINDS[kind], name, namespace=namespace or None)
        except NotFoundError:
            return None

    async def _request_token(self, namespace: str, account: str, spec: Obj) -> str:
        try:
            review = await self.client.create(
                SERVICEACCOUNTS,
                {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec},
                namespace=namespace,
                name=account,
                subresource="token",
            )
        except StatusError as err:
            raise VolumeError(f"failed to fetch token: {err}") from None
        return str(review["status"]["token"])

    async def _service_env(self, namespace: str) -> dict[str, str]:
        listed = await self.client.list(SERVICES, namespace=namespace)
        services = list(listed.get("items") or [])
        if namespace != "default":
            with contextlib.suppress(NotFoundError):
                services.append(await self.client.get(SERVICES, "kubernetes", namespace="default"))
        return service_env(services)

    async def _ensure_image(self, pod: Obj, reference: str, policy: str) -> Image:
        """The image for a container, pulled as its imagePullPolicy says.

        `Always` pulls, except images the node was given rather than pulled (`pyk8s images
        import`, the built-in busybox): those are the node's own copy, as if its registry held
        them. A registry that cannot be reached at all falls back to a copy already on the
        node, and is not asked again for a minute (pyk8s' offline promise; Kubernetes would
        fail the pull)."""
        local = await asyncio.to_thread(self.images.resolve, reference)
        if local is None and _is_busybox_latest(reference):
            with contextlib.suppress(BusyboxMissingError):
                local = await asyncio.to_thread(ensure_busybox, self.images)
        policy = policy or ("Always" if image_tag_is_latest(reference) else "IfNotPresent")
        if local is not None and (policy != "Always" or local.source != "pull"):
            return local
        registry = parse_reference(reference).registry
        if local is not None and self.clock.monotonic() < self._unreachable.get(registry, 0.0):
            return local
        if policy == "Never":
            raise ImagePullError(
                f'Container image "{reference}" is not present with pull policy of Never', "ErrImageNeverPull"
            )
        try:
            return await pull(self.images, reference, await self._pull_credentials(pod))
        except RegistryError as err:
            if err.unreachable:
                self._unreachable[registry] = self.clock.monotonic() + UNREACHABLE_RETRY
            if local is not None and err.unreachable:
                log.info("registry unreachable for %s: using the copy on this node", reference)
                return local
            raise ImagePullError(f'failed to pull and unpack image "{reference}": {err}') from None
        except ImageError as err:
            raise ImagePullError(f'failed to pull and unpack image "{reference}": {err}') from None

    async def _pull_credentials(self, pod: Obj) -> dict[str, Credentials]:
        creds: dict[str, Credentials] = {}
        namespace = pod["metadata"].get("namespace", "default")
        for ref in pod["spec"].get("imagePullSecrets") or []:
            secret = await self._lookup("Secret", namespace, ref.get("name", ""))
            if secret is not None:
                creds.update(credentials_from_docker_config(secret.get("data") or {}))
        return creds

    async def _report_status(self, pod: Obj, status: Obj) -> None:
        meta = pod["metadata"]
        try:
            await self.client.patch_status(
                PODS,
                meta["name"],
                {"metadata": {"uid": meta["uid"]}, "status": status},
                namespace=meta.get("namespace"),
                patch_type=PatchType.STRATEGIC,
            )
        except (NotFoundError, ConflictError):
            pass  # the pod is gone or was replaced; its watch event follows

    async def _finish_deletion(self, pod: Obj) -> None:
        meta = pod["metadata"]
        with contextlib.suppress(NotFoundError, ConflictError):
            await self.client.delete(
                PODS,
                meta["name"],
                namespace=meta.get("namespace"),
                grace_period_seconds=0,
                preconditions={"uid": meta["uid"]},
            )

    # the node

    def node_object(self) -> Obj:
        name = self.config.node_name
        labels = {
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": {"x86_64": "amd64", "aarch64": "arm64"}.get(
                platform.machine(), platform.machine()
            ),
            "beta.kubernetes.io/os": "linux",
            "beta.kubernetes.io/arch": {"x86_64": "amd64", "aarch64": "arm64"}.get(
                platform.machine(), platform.machine()
            ),
            **self.config.labels,
        }
        return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels}, "spec": {}}

    def node_status(self) -> Obj:
        now = rfc3339(self.clock.now())

        def condition(kind: str, status: str, reason: str, message: str) -> Obj:
            return {
                "type": kind,
                "status": status,
                "reason": reason,
                "message": message,
                "lastHeartbeatTime": now,
                "lastTransitionTime": now,
            }

        uname = os.uname()
        return {
            "capacity": self.capacity,
            "allocatable": self.capacity,
            "conditions": [
                condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                condition(
                    "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"
                ),
                condition(
                    "PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"
                ),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "addresses": [
                {"type": "InternalIP", "address": self.config.node_ip},
                {"type": "Hostname", "address": self.config.node_name},
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": self.server.port}},
            "nodeInfo": {
                "machineID": _machine_id(),
                "systemUUID": _machine_id(),
                "bootID": _boot_id(),
                "kernelVersion": uname.release,
                "osImage": _os_image(),
                "containerRuntimeVersion": "crun://" + _crun_version(self.config.crun),
                "kubeletVersion": f"v{pyk8s.KUBERNETES_VERSION}"
                if hasattr(pyk8s, "KUBERNETES_VERSION")
                else "v1.36.0",
                "kubeProxyVersion": "",
                "operatingSystem": "linux",
                "architecture": self.node_object()["metadata"]["labels"]["kubernetes.io/arch"],
            },
            "images": [
                {"names": image.repo_digests() + image.repo_tags, "sizeBytes": image.size}
                for image in self.images.images()
            ],
        }

    async def register(self) -> None:
        name = self.config.node_name
        try:
            await self.client.create(NODES, self.node_object())
            log.info("registered node %s", name)
        except AlreadyExistsError:
            log.info("node %s already registered", name)
        await self.client.patch_status(
            NODES, name, {"status": self.node_status()}, patch_type=PatchType.STRATEGIC
        )

    async def _renew_lease(self) -> None:
        name = self.config.node_name
        now = rfc3339_micro(self.clock.now())
        lease = {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": name, "namespace": LEASE_NAMESPACE},
            "spec": {"holderIdentity": name, "leaseDurationSeconds": LEASE_SECONDS, "renewTime": now},
        }
        try:
            await self.client.patch(LEASES, name, {"spec": lease["spec"]}, namespace=LEASE_NAMESPACE)
        except NotFoundError:
            with contextlib.suppress(AlreadyExistsError):
                await self.client.create(LEASES, lease, namespace=LEASE_NAMESPACE)

    async def _heartbeats(self, stop: asyncio.Event) -> None:
        last_status = self.clock.monotonic()
        while not stop.is_set():
            try:
                await self._renew_lease()
                if self.clock.monotonic() - last_status >= STATUS_INTERVAL:
                    await self.client.patch_status(
                        NODES,
                        self.config.node_name,
                        {"status": self.node_status()},
                        patch_type=PatchType.STRATEGIC,
                    )
                    last_status = self.clock.monotonic()
            except (StatusError, OSError) as err:
                log.warning("node heartbeat failed: %s", err)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), RENEW_INTERVAL)

    # pods

    def _on_pod(self, pod: Obj) -> None:
        self.server.notice_pod(pod)
        uid = pod["metadata"]["uid"]
        worker = self.workers.get(uid)
        if worker is None:
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed") and not self._has_containers(
                uid
            ):
                return  # finished before this agent started: nothing to run or report
            worker = PodWorker(pod, self.services)
            self.workers[uid] = worker
            self._spawn(self._start_worker(worker))
        else:
            worker.update(pod)

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _has_containers(self, uid: str) -> bool:
        return any(cid.startswith(f"{uid}-") for cid in self.runtime.list_ids())

    async def _start_worker(self, worker: PodWorker) -> None:
        await worker.recover(self.runtime.list_ids())
        worker.start()

    def _on_pod_deleted(self, pod: Any) -> None:
        obj = getattr(pod, "obj", pod)
        uid = obj["metadata"]["uid"]
        worker = self.workers.pop(uid, None)
        if worker is not None:
            self._spawn(self._forget(worker))

    async def _forget(self, worker: PodWorker) -> None:
        await worker.stop()
        if not worker.finished:  # force-deleted: stop its containers now
            await worker._kill_all(grace=2)
        await worker.cleanup()

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set; containers keep running when the agent stops."""
        self.broadcaster.start()
        await self.server.start()
        await self.register()
        informer = self.factory.informer(PODS, field_selector={"spec.nodeName": self.config.node_name})
        informer.add_event_handler(
            EventHandlerFuncs(
                add=lambda obj, _initial: self._on_pod(obj),
                update=lambda _old, new: self._on_pod(new),
                delete=self._on_pod_deleted,
            )
        )
        self.factory.start()
        heartbeats = asyncio.get_running_loop().create_task(self._heartbeats(stop))
        try:
            await stop.wait()
        finally:
            heartbeats.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeats
            for worker in list(self.workers.values()):
                await worker.stop()
            await self.factory.shutdown()
            await self.broadcaster.stop()
            await self.server.stop()


def _is_busybox_latest(reference: str) -> bool:
    try:
        return str(parse_reference(reference)) == IMAGE_NAME
    except ValueError:
        return False


def _read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _machine_id() -> str:
    return _read("/etc/machine-id") or socket.gethostname()


def _boot_id() -> str:
    return _read("/proc/sys/kernel/random/boot_id")


def _os_image() -> str:
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return "Linux"


def _crun_version(crun: str) -> str:
    import subprocess

    try:
        out = subprocess.run(
            [crun, "--version"], capture_output=True, text=True, timeout=5, check=False
        ).stdout
    except OSError:
        return "unknown"
    first = out.splitlines()[0] if out else ""
    return first.split()[-1] if first else "unknown"
