"""One worker per pod: makes the pod's containers on this node match its spec, and reports
what they do.

The worker is level-triggered: every `sync` compares the pod's spec with what the runtime
says and takes the next step (sandbox, volumes, the next init container, the app
containers, restarts after back-off, stopping), then computes the status. It is woken by
pod updates and by a short tick that notices container exits and back-off expiry. All of a
pod's work happens in its worker, one step at a time, so no two actions on one pod race.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyk8s._aio.clock import Clock
from pyk8s.api.meta import rfc3339
from pyk8s.api.quantity import Quantity
from pyk8s.node.images.store import Image
from pyk8s.node.kubelet import status as podstatus
from pyk8s.node.kubelet.env import ContainerConfigError, Lookup, command_line, container_env, image_env
from pyk8s.node.kubelet.probes import ProbeResult, ProbeWorker, run_probe
from pyk8s.node.kubelet.status import ContainerRecord
from pyk8s.node.kubelet.volumes import (
    PreparedVolume,
    TokenRequester,
    VolumeError,
    VolumeManager,
    container_mounts,
)
from pyk8s.node.oci.sandbox import NamespaceSandboxes
from pyk8s.node.oci.spec import ContainerSpec, Mount, Resources, cpu_shares_for
from pyk8s.node.runtime import ContainerRuntime, ContainerState, PodSandbox, SandboxManager

if TYPE_CHECKING:
    from pyk8s.client.informers import SharedInformer

log = logging.getLogger("pyk8s.node.kubelet")

Obj = dict[str, Any]
TICK = 0.5
BACKOFF_INITIAL = 10.0
BACKOFF_MAX = 300.0
BACKOFF_RESET_AFTER = 600.0
TERMINATION_MESSAGE_LIMIT = 4096
DEFAULT_GRACE = 30


class ImagePullError(Exception):
    """The image is not available (ErrImagePull / ErrImageNeverPull)."""

    def __init__(self, message: str, reason: str = "ErrImagePull") -> None:
        super().__init__(message)
        self.reason = reason


class PodNetwork(Protocol):
    """The node's pod network (issue 9), implemented by `pyk8s.network.podnet.NodeNetwork`.

    The node agent may not import `pyk8s.network` (independent components), so whoever
    composes the agent passes one in `KubeletConfig.network`."""

    async def start(self, node_name: str, node_ip: str = "") -> str:
        """Make the node host namespace; returns the node address (its InternalIP)."""
        ...

    async def run(self, stop: asyncio.Event, pods: SharedInformer | None = None) -> None:
        """Follow the Nodes (own podCIDR, routes to other nodes) until `stop` is set."""
        ...

    def host_netns_path(self) -> Path:
        """The namespace hostNetwork pods join (the node host)."""
        ...

    async def setup_pod(self, pod: Obj, netns: Path) -> str:
        """Attach the sandbox at `netns`; returns the pod IP (raises while not ready)."""
        ...

    async def teardown_pod(self, uid: str) -> None:
        """Release the pod's address (idempotent)."""
        ...


@dataclass
class NodeServices:
    """What a pod worker needs from the node agent."""

    node_name: str
    runtime: ContainerRuntime  # runtime interface (pyk8s/node/runtime.py): crun or process
    pods_dir: Path
    logs_dir: Path
    lookup: Lookup
    ensure_image: Callable[[Obj, str, str], Awaitable[Image]]  # (pod, image, pullPolicy) -> image
    image_config: Callable[[Image], Obj]
    image_layers: Callable[[Image], Awaitable[list[Path]]]
    report_status: Callable[[Obj, Obj], Awaitable[None]]  # (pod, status)
    record_event: Callable[[Obj, str, str, str], None]  # (pod, type, reason, message)
    finish_deletion: Callable[[Obj], Awaitable[None]]
    clock: Clock
    node_ip: str = "127.0.0.1"
    allocatable: dict[str, str] = field(default_factory=dict)
    request_token: TokenRequester | None = None
    service_env: Callable[[str], Awaitable[dict[str, str]]] | None = None
    dns_servers: list[str] = field(default_factory=list)
    dns_search: list[str] = field(default_factory=list)
    cluster_domain: str = "cluster.local"
    network: PodNetwork | None = None  # pod network (issue 9); None: pods get no address
    # runtime interface: sandboxes (None: the oci ones under pods_dir/../sandboxes) and the
    # container ID scheme (`crun`, `process`)
    sandboxes: SandboxManager | None = None
    container_scheme: str = "crun"

    def __post_init__(self) -> None:
        if self.sandboxes is None:
            self.sandboxes = NamespaceSandboxes(self.pods_dir.parent / "sandboxes")


@dataclass
class _Backoff:
    delay: float = 0.0
    until: float = 0.0


def _back_off(backoff: _Backoff, now: float) -> None:
    """The next retry of a failed step: 10 s, doubling to 5 minutes."""
    backoff.delay = min(backoff.delay * 2, BACKOFF_MAX) if backoff.delay else BACKOFF_INITIAL
    backoff.until = now + backoff.delay


def container_key(pod_uid: str, name: str, attempt: int) -> str:
    """The runtime ID of one run of one container."""
    return f"{pod_uid}-{name}-{attempt}"


class PodWorker:
    """Drives one pod on a crun node."""

    def __init__(self, pod: Obj, services: NodeServices) -> None:
        self.pod = pod
        self.s = services
        self.uid: str = pod["metadata"]["uid"]
        self.pod_dir = services.pods_dir / self.uid
        self.sandbox: PodSandbox | None = None
        self.volumes: dict[str, PreparedVolume] | None = None
        self.volume_manager = VolumeManager(
            self.pod_dir,
            services.lookup,
            request_token=services.request_token,
            node_allocatable=services.allocatable,
        )
        self.records: dict[str, ContainerRecord] = {}
        self.attempts: dict[str, int] = {}  # container name -> runs so far
        self.backoff: dict[str, _Backoff] = {}
        self.probes: dict[tuple[str, str], ProbeWorker] = {}
        self.volume_error = ""
        self.last_status: Obj | None = None
        self.finished = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_volume_refresh = 0.0
        # pod network (issue 9)
        self.pod_ip = ""
        self.network_ready = services.network is None
        self.network_error = ""
        self._network_released = False

    # lifecycle

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop(), name=f"pod-{self.uid}")

    def update(self, pod: Obj) -> None:
        """A newer version of the pod arrived."""
        self.pod = pod
        self._wake.set()

    async def stop(self) -> None:
        """Stop driving the pod (the agent is shutting down): containers keep running."""
        for probe in self.probes.values():
            await probe.stop()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while not self.finished:
            try:
                await self.sync()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug must not kill the worker silently
                log.exception("pod %s: sync failed", self._name())
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), TICK)

    def _name(self) -> str:
        meta = self.pod["metadata"]
        return f"{meta.get('namespace')}/{meta.get('name')}"

    async def recover(self, container_ids: list[str]) -> None:
        """Adopt containers a previous agent started for this pod (IDs `<uid>-<name>-<n>`),
        so a restarted agent neither duplicates nor forgets them."""
        latest: dict[str, int] = {}
        prefix = f"{self.uid}-"
        for cid in container_ids:
            if not cid.startswith(prefix):
                continue
            name, _, attempt = cid[len(prefix) :].rpartition("-")
            if attempt.isdigit():
                latest[name] = max(latest.get(name, -1), int(attempt))
        for name, attempt in latest.items():
            container = self._container_spec(name)
            if container is None:
                continue
            cid = container_key(self.uid, name, attempt)
            state = await self.s.runtime.state(cid)
            record = ContainerRecord(
                name=name,
                image=container.get("image", ""),
                container_id=f"{self.s.container_scheme}://{cid}",
                restart_count=attempt,
                started_at=state.created_at or rfc3339(self.s.clock.now()),
                sidecar=container.get("restartPolicy") == "Always",
            )
            self.records[name] = record
            self.attempts[name] = attempt + 1
            if state.status in ("running", "exiting"):
                self._start_probes(container, record)
            else:
                self._record_exit(name, record, state)
        if latest:
            hostname = self.pod["spec"].get("hostname") or self.pod["metadata"]["name"]
            self.sandbox = await self._create_sandbox(hostname)
            await self._setup_network()  # pod network (issue 9): finds the pod's address again
            log.info("pod %s: adopted %d container(s) after a restart", self._name(), len(latest))

    # the sync step

    async def sync(self) -> None:
        pod = self.pod
        spec = pod["spec"]
        await self._observe_containers()
        if pod["metadata"].get("deletionTimestamp"):
            await self._terminate(pod)
            return
        phase = (pod.get("status") or {}).get("phase")
        if phase in (podstatus.SUCCEEDED, podstatus.FAILED) and self.last_status is not None:
            await self._kill_all(grace=0)
            await self._release_network()  # pod network (issue 9): a finished pod keeps no address
            return
        if self.sandbox is None:
            hostname = spec.get("hostname") or pod["metadata"]["name"]
            self.sandbox = await self._create_sandbox(hostname)
            await asyncio.to_thread(self._write_etc_files, hostname)
            await self._report()  # Pending/ContainerCreating before images and volumes
        if not self.network_ready and not await self._setup_network():  # pod network (issue 9)
            return
        if self.volumes is None or self.s.clock.monotonic() - self._last_volume_refresh > 60:
            try:
                self.volumes = await self.volume_manager.setup(pod)
                self.volume_error = ""
                self._last_volume_refresh = self.s.clock.monotonic()
            except VolumeError as err:
                if str(err) != self.volume_error:
                    self.s.record_event(pod, "Warning", "FailedMount", f"MountVolume.SetUp failed: {err}")
                self.volume_error = str(err)
                await self._report()
                return
        await self._run_ephemeral_containers()
        initialized = await self._run_init_containers()
        if initialized:
            for container in spec.get("containers", []):
                await self._ensure_running(container, sidecar=False)
        await self._report()

    async def _observe_containers(self) -> None:
        """Fold container exits into their records."""
        for name, record in list(self.records.items()):
            if not record.running or not record.container_id:
                continue
            state = await self.s.runtime.state(record.container_id.split("://", 1)[1])
            if state.status in ("stopped", "unknown"):
                self._record_exit(name, record, state)

    def _record_exit(self, name: str, record: ContainerRecord, state: ContainerState) -> None:
        cid = record.container_id.split("://", 1)[1]
        code = state.exit_code if state.exit_code is not None else 137
        spec = self._container_spec(name) or {}
        limits = (spec.get("resources") or {}).get("limits") or {}
        if state.signal == 9 and limits.get("memory") and not record.extra.get("_killed"):
            reason = "OOMKilled"  # the kernel's OOM killer is the only other sender of SIGKILL
        else:
            reason = "Completed" if code == 0 else "Error"
        terminated: Obj = {
            "exitCode": code,
            "reason": reason,
            "startedAt": record.started_at,
            "finishedAt": rfc3339(self.s.clock.now()),
            "containerID": record.container_id,
        }
        if state.signal:
            terminated["signal"] = state.signal
        message = self._termination_message(spec, cid, code)
        if message:
            terminated["message"] = message
        record.terminated = terminated
        record.ready = False
        record.started = False
        record.extra.pop("_killed", None)
        for kind in ("liveness", "readiness", "startup"):
            probe = self.probes.pop((name, kind), None)
            if probe is not None:
                asyncio.get_running_loop().create_task(probe.stop())
        ran = self.s.clock.now() - (record.extra.get("_started_mono") or self.s.clock.now())
        backoff = self.backoff.setdefault(name, _Backoff())
        if ran >= BACKOFF_RESET_AFTER:
            backoff.delay = 0.0
        log.info("pod %s: container %s exited with %s (%s)", self._name(), name, code, reason)

    def _termination_message(self, spec: Obj, cid: str, code: int) -> str:
        path = self.pod_dir / "termination" / cid
        try:
            text = path.read_bytes()[:TERMINATION_MESSAGE_LIMIT].decode(errors="replace")
        except OSError:
            text = ""
        if not text and code != 0 and spec.get("terminationMessagePolicy") == "FallbackToLogsOnError":
            log_path = self._log_path(spec.get("name", ""), self.attempts.get(spec.get("name", ""), 1) - 1)
            try:
                lines = log_path.read_text(errors="replace").splitlines()[-80:]
            except OSError:
                lines = []
            text = "\n".join(line.split(" ", 3)[-1] for line in lines)[-2048:]
        return text

    def _container_spec(self, name: str) -> Obj | None:
        spec = self.pod["spec"]
        containers = [
            *(spec.get("initContainers") or []),
            *spec.get("containers", []),
            *(spec.get("ephemeralContainers") or []),
        ]
        for container in containers:
            if container.get("name") == name:
                return container
        return None

    async def _run_ephemeral_containers(self) -> None:
        """Start each ephemeral container once (`kubectl debug`). As the kubelet does, they
        may start before the pod is initialized, and they are never restarted."""
        for container in self.pod["spec"].get("ephemeralContainers") or []:
            await self._ensure_running(container, sidecar=False, ephemeral=True)

    async def _run_init_containers(self) -> bool:
        """Advance the init containers; True once all have completed (sidecars started)."""
        for container in self.pod["spec"].get("initContainers") or []:
            name = container["name"]
            sidecar = container.get("restartPolicy") == "Always"
            record = self.records.get(name)
            if sidecar:
                await self._ensure_running(container, sidecar=True)
                record = self.records.get(name)
                if record is None or not record.started:
                    return False
                continue
            if (
                record is not None
                and record.terminated is not None
                and record.terminated.get("exitCode") == 0
            ):
                continue
            if record is not None and record.running:
                return False
            never = self.pod["spec"].get("restartPolicy", "Always") == "Never"
            if record is not None and record.terminated is not None and never:
                return False
            await self._ensure_running(container, sidecar=False, init=True)
            return False
        return True

    async def _ensure_running(
        self, container: Obj, *, sidecar: bool, init: bool = False, ephemeral: bool = False
    ) -> None:
        name = container["name"]
        record = self.records.get(name)
        if record is not None and (record.running or record.waiting_reason == "ContainerCreating"):
            return
        if sidecar:
            policy = "Always"
        elif ephemeral:
            policy = "Never"  # an ephemeral container runs once, whatever the pod's policy
        else:
            policy = self.pod["spec"].get("restartPolicy", "Always")
        if record is not None and record.terminated is not None:
            code = record.terminated.get("exitCode")
            if policy == "Never" or (policy == "OnFailure" and code == 0):
                return
            backoff = self.backoff.setdefault(name, _Backoff())
            now = self.s.clock.monotonic()
            if backoff.until == 0.0:
                backoff.delay = BACKOFF_INITIAL if backoff.delay == 0 else min(backoff.delay * 2, BACKOFF_MAX)
                backoff.until = now + backoff.delay
            if now < backoff.until:
                meta = self.pod["metadata"]
                pod_ref = f"{meta['name']}_{meta.get('namespace')}({self.uid})"
                message = f"back-off {int(backoff.delay)}s restarting failed container={name} pod={pod_ref}"
                if record.waiting_reason != "CrashLoopBackOff":
                    event = f"Back-off restarting failed container {name} in pod {pod_ref}"
                    self.s.record_event(self.pod, "Warning", "BackOff", event)
                record.last_terminated, record.terminated = record.terminated, None
                record.waiting_reason, record.waiting_message = "CrashLoopBackOff", message
                return
            backoff.until = 0.0
        elif record is not None and record.waiting_reason == "CrashLoopBackOff":
            backoff = self.backoff.setdefault(name, _Backoff())
            if self.s.clock.monotonic() < backoff.until:
                return
            backoff.until = 0.0
        await self._start_container(container, sidecar=sidecar)

    async def _start_container(self, container: Obj, *, sidecar: bool) -> None:
        name = container["name"]
        pod = self.pod
        previous = self.records.get(name)
        attempt = self.attempts.get(name, 0)
        restart_count = attempt  # every run after the first is a restart
        record = ContainerRecord(name=name, image=container.get("image", ""), sidecar=sidecar)
        record.restart_count = restart_count
        if previous is not None:
            record.last_terminated = previous.terminated or previous.last_terminated
        self.records[name] = record
        pull_backoff = self.backoff.setdefault(f"pull:{name}", _Backoff())
        create_backoff = self.backoff.setdefault(f"create:{name}", _Backoff())
        now = self.s.clock.monotonic()
        if previous is not None and now < create_backoff.until:
            # A container that could not be created is retried after a back-off, not on
            # every tick (and an attempt that never ran is no restart).
            record.waiting_reason, record.waiting_message = previous.waiting_reason, previous.waiting_message
            return
        if now < pull_backoff.until:
            record.waiting_reason = "ImagePullBackOff"
            record.waiting_message = f'Back-off pulling image "{container.get("image")}"'
            return
        try:
            image = await self.s.ensure_image(
                pod, container.get("image", ""), container.get("imagePullPolicy", "")
            )
        except ImagePullError as err:
            record.waiting_reason, record.waiting_message = err.reason, str(err)
            message = f'Failed to pull image "{container.get("image")}": {err}'
            self.s.record_event(pod, "Warning", "Failed", message)
            pull_backoff.delay = (
                min(pull_backoff.delay * 2, BACKOFF_MAX) if pull_backoff.delay else BACKOFF_INITIAL
            )
            pull_backoff.until = now + pull_backoff.delay
            return
        pull_backoff.delay = pull_backoff.until = 0.0
        record.image_id = f"{image.repo_digests()[0] if image.repo_digests() else image.id}"
        config = self.s.image_config(image)
        try:
            env = image_env(config)
            service_env = (
                await self.s.service_env(pod["metadata"].get("namespace", "default"))
                if (self.s.service_env and pod["spec"].get("enableServiceLinks", True))
                else {}
            )
            env.update(
                await container_env(
                    pod,
                    container,
                    self.s.lookup,
                    service_env=service_env,
                    node_allocatable=self.s.allocatable,
                )
            )
            argv = command_line(container, config, env)
            mounts = container_mounts(container, self.volumes or {})
            pid_namespace = await self._target_pid_namespace(container)
        except ContainerConfigError as err:
            record.waiting_reason, record.waiting_message = "CreateContainerConfigError", str(err)
            self.s.record_event(pod, "Warning", "Failed", f"Error: {err}")
            _back_off(create_backoff, now)
            return
        cid = container_key(self.uid, name, attempt)
        self.attempts[name] = attempt + 1
        spec = self._oci_spec(container, config, env, argv, mounts, cid, pid_namespace=pid_namespace)
        layers = await self.s.image_layers(image)
        self.s.record_event(
            pod, "Normal", "Pulled", f'Container image "{container.get("image")}" already present on machine'
        )
        try:
            state = await self.s.runtime.start(cid, spec, layers, self._log_path(name, restart_count))
        except Exception as err:  # crun's own message is what the user needs
            record.waiting_reason, record.waiting_message = "CreateContainerError", str(err)
            self.s.record_event(pod, "Warning", "Failed", f"Error: {err}")
            self.attempts[name] = attempt  # it never ran: no restart to count
            with contextlib.suppress(Exception):
                await self.s.runtime.remove(cid)
            _back_off(create_backoff, now)
            return
        create_backoff.delay = create_backoff.until = 0.0
        self.s.record_event(pod, "Normal", "Created", f"Created container: {name}")
        self.s.record_event(pod, "Normal", "Started", f"Started container {name}")
        record.container_id = f"{self.s.container_scheme}://{cid}"
        record.started_at = rfc3339(self.s.clock.now())
        record.extra["_started_mono"] = self.s.clock.now()
        record.waiting_reason = ""
        if state.status == "stopped":
            self._record_exit(name, record, state)
            return
        self._start_probes(container, record)

    async def _target_pid_namespace(self, container: Obj) -> str | None:
        """The PID namespace an ephemeral container with `targetContainerName` joins: the
        target's, so the debugger sees its processes (None: a namespace of its own)."""
        target = container.get("targetContainerName")
        if not target or self.sandbox is None or not self.sandbox.namespaces():
            return None  # no target, or the process runtime (every process shares the host's)
        record = self.records.get(target)
        state = None
        if record is not None and record.running and record.container_id:
            state = await self.s.runtime.state(record.container_id.split("://", 1)[1])
        if state is None or state.status != "running" or state.pid <= 0:
            raise ContainerConfigError(f'target container "{target}" is not running')
        return f"/proc/{state.pid}/ns/pid"

    def _start_probes(self, container: Obj, record: ContainerRecord) -> None:
        name = container["name"]
        startup = container.get("startupProbe")
        record.started = startup is None
        record.ready = container.get("readinessProbe") is None and record.started
        for kind in ("startup", "liveness", "readiness"):
            probe = container.get(f"{kind}Probe")
            if not probe:
                continue

            async def run(probe: Obj = probe, kind: str = kind) -> ProbeResult:
                if kind != "startup" and not record.started:
                    return ProbeResult(kind == "liveness")  # gated by the startup probe
                return await run_probe(
                    probe,
                    container,
                    netns=pod_netns(self.sandbox),
                    pod_ip=(self.pod.get("status") or {}).get("podIP", ""),
                    exec_runner=lambda command, timeout: self._exec(record, command, timeout),
                )

            worker = ProbeWorker(
                kind,
                probe,
                run,
                lambda k, ok, msg, n=name: self._probe_changed(n, k, ok, msg),
                self.s.clock,
                on_warning=self._probe_warning,
            )
            self.probes[(name, kind)] = worker
            worker.start()

    def _probe_warning(self, kind: str, message: str) -> None:
        """A probe that passed with a warning (an HTTP redirect to another host, not followed):
        a Warning event as the kubelet records it."""
        self.s.record_event(
            self.pod, "Warning", "ProbeWarning", f"{kind.capitalize()} probe warning: {message}"
        )

    def _probe_changed(self, name: str, kind: str, ok: bool, message: str) -> None:
        record = self.records.get(name)
        if record is None or not record.running:
            return
        if kind == "startup":
            record.started = ok
            if ok and (name, "readiness") not in self.probes:
                record.ready = True
        elif kind == "readiness":
            record.ready = ok and record.started
        elif kind == "liveness" and not ok:
            self.s.record_event(self.pod, "Warning", "Unhealthy", f"Liveness probe failed: {message}")
            self.s.record_event(
                self.pod, "Normal", "Killing", f"Container {name} failed liveness probe, will be restarted"
            )
            # the probe's or the pod's grace period, as the kubelet kills on liveness (issue 8)
            probe = (self._container_spec(name) or {}).get("livenessProbe") or {}
            grace = probe.get("terminationGracePeriodSeconds")
            if grace is None:
                grace = self.pod["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE)
            grace = float(grace)
            asyncio.get_running_loop().create_task(self._kill_container(record, grace))
        if kind == "readiness" and not ok and message:
            self.s.record_event(self.pod, "Warning", "Unhealthy", f"Readiness probe failed: {message}")
        self._wake.set()

    async def _exec(self, record: ContainerRecord, command: list[str], timeout: float) -> tuple[int, bytes]:
        cid = record.container_id.split("://", 1)[1]
        proc = await self.s.runtime.exec(cid, command)
        try:
            out, err = await asyncio.wait_for(proc.communicate(), timeout)
        except TimeoutError:
            proc.kill()
            raise
        return proc.returncode or 0, out + err

    def _oci_spec(
        self,
        container: Obj,
        config: Obj,
        env: dict[str, str],
        argv: list[str],
        mounts: list[tuple[str, Path, bool]],
        cid: str,
        *,
        pid_namespace: str | None = None,
    ) -> ContainerSpec:
        pod_ctx = self.pod["spec"].get("securityContext") or {}
        ctx = container.get("securityContext") or {}
        image_user = ((config.get("config") or {}).get("User") or "").split(":")
        uid = ctx.get("runAsUser", pod_ctx.get("runAsUser"))
        if uid is None:
            uid = int(image_user[0]) if image_user and image_user[0].isdigit() else 0
        gid = ctx.get("runAsGroup", pod_ctx.get("runAsGroup"))
        if gid is None:
            gid = int(image_user[1]) if len(image_user) > 1 and image_user[1].isdigit() else 0
        groups = [int(g) for g in pod_ctx.get("supplementalGroups") or []]
        if pod_ctx.get("fsGroup") is not None:
            groups.append(int(pod_ctx["fsGroup"]))
        caps = ctx.get("capabilities") or {}
        resources = container.get("resources") or {}
        limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
        cpu_request = requests.get("cpu", limits.get("cpu"))
        assert self.sandbox is not None
        etc = self.pod_dir / "etc"
        termination = self.pod_dir / "termination" / cid
        termination.parent.mkdir(parents=True, exist_ok=True)
        termination.touch()
        oci_mounts = [
            Mount("/etc/hosts", str(etc / "hosts")),
            Mount("/etc/hostname", str(etc / "hostname")),
            Mount("/etc/resolv.conf", str(etc / "resolv.conf")),
            Mount("/dev/shm", str(self.sandbox.shm_path)),
            Mount(container.get("terminationMessagePath") or "/dev/termination-log", str(termination)),
        ]
        oci_mounts += [Mount(dest, str(src), read_only=ro) for dest, src, ro in mounts]
        working_dir = container.get("workingDir") or (config.get("config") or {}).get("WorkingDir") or "/"
        return ContainerSpec(
            args=argv,
            rootfs=Path("/"),
            env=[f"{k}={v}" for k, v in env.items()] + [f"HOSTNAME={self._hostname()}"],
            cwd=working_dir,
            uid=int(uid),
            gid=int(gid),
            additional_gids=groups,
            terminal=bool(container.get("tty")),
            readonly_rootfs=bool(ctx.get("readOnlyRootFilesystem")),
            privileged=bool(ctx.get("privileged")),
            capabilities_add=list(caps.get("add") or []),
            capabilities_drop=list(caps.get("drop") or []),
            no_new_privileges=ctx.get("allowPrivilegeEscalation") is False,
            namespaces={**self.sandbox.namespaces(), **({"pid": pid_namespace} if pid_namespace else {})},
            mounts=oci_mounts,
            resources=Resources(
                memory_limit=Quantity.parse(str(limits["memory"])).value() if "memory" in limits else None,
                cpu_quota_millis=Quantity.parse(str(limits["cpu"])).milli_value()
                if "cpu" in limits
                else None,
                cpu_shares=cpu_shares_for(Quantity.parse(str(cpu_request)).milli_value())
                if cpu_request
                else None,
            ),
            cgroups_path=f"/pyk8s/{self.s.node_name}/pod{self.uid}/{cid}",
            annotations={
                "io.kubernetes.pod.uid": self.uid,
                "io.kubernetes.container.name": container["name"],
                "io.kubernetes.cri.image-name": container.get("image", ""),  # process runtime's host commands
            },
        )

    def _hostname(self) -> str:
        return self.pod["spec"].get("hostname") or self.pod["metadata"]["name"]

    # pod network (issue 9)

    async def _create_sandbox(self, hostname: str) -> PodSandbox:
        """The pod's sandbox; a hostNetwork pod on a node with a pod network joins the node
        host namespace (never the machine's own)."""
        network, sandboxes = self.s.network, self.s.sandboxes
        assert sandboxes is not None
        host_network = bool(self.pod["spec"].get("hostNetwork"))
        if network is not None and host_network and isinstance(sandboxes, NamespaceSandboxes):
            return await sandboxes.create(self.uid, hostname, host_netns=network.host_netns_path())
        return await sandboxes.create(self.uid, hostname)

    async def _setup_network(self) -> bool:
        """Give the sandbox its address (CNI) after it is made and before any container
        starts; False (with an event and a status) while the node cannot attach pods."""
        network = self.s.network
        if network is None or self.sandbox is None or self.sandbox.netns_path is None:
            self.network_ready = True  # no pod network, or the pod shares the host's
            return True
        if self.pod["spec"].get("hostNetwork"):
            self.pod_ip = self.s.node_ip
        else:
            try:
                self.pod_ip = await network.setup_pod(self.pod, self.sandbox.netns_path)
            except Exception as err:  # not ready yet, or a CNI plugin failed: retried next sync
                message = f"Failed to create pod sandbox: {err}"
                if message != self.network_error:
                    self.s.record_event(self.pod, "Warning", "FailedCreatePodSandBox", message)
                    self.network_error = message
                await self._report()
                return False
        self.network_ready, self.network_error = True, ""
        await asyncio.to_thread(self._write_etc_files, self._hostname())
        return True

    async def _release_network(self) -> None:
        """Give the pod's address back, once (a later agent collects what failed here)."""
        network = self.s.network
        if network is None or self._network_released or self.pod["spec"].get("hostNetwork"):
            return
        self._network_released = True
        try:
            await network.teardown_pod(self.uid)
        except Exception as err:  # the pod's other resources must still be released
            log.warning("pod %s: releasing its network failed: %s", self._name(), err)

    def _write_etc_files(self, hostname: str) -> None:
        etc = self.pod_dir / "etc"
        etc.mkdir(parents=True, exist_ok=True)
        pod_ip = self.pod_ip or (self.pod.get("status") or {}).get("podIP") or "127.0.0.1"
        subdomain = self.pod["spec"].get("subdomain")
        namespace = self.pod["metadata"].get("namespace", "default")
        fqdn = f"{hostname}.{subdomain}.{namespace}.svc.{self.s.cluster_domain}" if subdomain else ""
        lines = [
            "# Kubernetes-managed hosts file.",
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "fe00::0\tip6-localnet",
            "fe00::0\tip6-mcastprefix",
            "fe00::1\tip6-allnodes",
            "fe00::2\tip6-allrouters",
            f"{pod_ip}\t{fqdn + chr(9) if fqdn else ''}{hostname}",
        ]
        for alias in self.pod["spec"].get("hostAliases") or []:
            names = "\t".join(alias.get("hostnames") or [])
            lines.append(f"\n# Entries added by HostAliases.\n{alias['ip']}\t{names}")
        (etc / "hosts").write_text("\n".join(lines) + "\n")
        (etc / "hostname").write_text(hostname + "\n")
        dns = self.pod["spec"].get("dnsConfig") or {}
        policy = self.pod["spec"].get("dnsPolicy", "ClusterFirst")
        servers = list(self.s.dns_servers) if policy == "ClusterFirst" and self.s.dns_servers else []
        search = (
            [
                f"{namespace}.svc.{self.s.cluster_domain}",
                f"svc.{self.s.cluster_domain}",
                self.s.cluster_domain,
            ]
            if servers
            else []
        )
        if policy == "Default" or (policy == "ClusterFirst" and not servers):
            try:
                host = Path("/etc/resolv.conf").read_text().splitlines()
            except OSError:
                host = []
            servers = [
                line.split()[1] for line in host if line.startswith("nameserver ") and len(line.split()) > 1
            ]
        if policy == "None":
            servers, search = [], []
        servers += dns.get("nameservers") or []
        search += dns.get("searches") or []
        options = ["ndots:5"] if servers and policy == "ClusterFirst" and self.s.dns_servers else []
        options += [
            f"{o['name']}:{o['value']}" if o.get("value") else o["name"] for o in dns.get("options") or []
        ]
        text = "".join(f"nameserver {s}\n" for s in servers)
        if search:
            text += f"search {' '.join(search)}\n"
        if options:
            text += f"options {' '.join(options)}\n"
        (etc / "resolv.conf").write_text(text)

    def _log_path(self, name: str, restart: int) -> Path:
        meta = self.pod["metadata"]
        return (
            self.s.logs_dir / f"{meta.get('namespace')}_{meta['name']}_{self.uid}" / name / f"{restart}.log"
        )

    # stopping

    async def _kill_container(self, record: ContainerRecord, grace: float) -> None:
        if not record.container_id:
            return
        cid = record.container_id.split("://", 1)[1]
        spec = self._container_spec(record.name) or {}
        record.extra["_killed"] = True
        pre_stop = (spec.get("lifecycle") or {}).get("preStop") or {}
        if "exec" in pre_stop and record.running:
            with contextlib.suppress(Exception):
                await self._exec(record, list(pre_stop["exec"].get("command") or []), grace)
        elif "sleep" in pre_stop and record.running:
            await self.s.clock.sleep(min(grace, float(pre_stop["sleep"].get("seconds", 0))))
        await self.s.runtime.stop(cid, grace)
        self._wake.set()

    async def _kill_all(self, grace: float) -> None:
        running = [r for r in self.records.values() if r.running]
        if running:
            await asyncio.gather(*(self._kill_container(r, grace) for r in running))
            await self._observe_containers()

    async def _terminate(self, pod: Obj) -> None:
        grace = pod["metadata"].get("deletionGracePeriodSeconds")
        if grace is None:
            grace = pod["spec"].get("terminationGracePeriodSeconds", DEFAULT_GRACE)
        for record in self.records.values():
            if record.running:
                self.s.record_event(pod, "Normal", "Killing", f"Stopping container {record.name}")
        await self._kill_all(float(grace))
        for probe in self.probes.values():
            await probe.stop()
        self.probes.clear()
        await self._report()
        await self.cleanup()
        await self.s.finish_deletion(pod)
        self.finished = True

    async def cleanup(self) -> None:
        """Remove the pod's containers, sandbox, volumes and cgroups (logs are kept until the
        pod object is gone)."""
        for record in self.records.values():
            if record.container_id:
                await self.s.runtime.remove(record.container_id.split("://", 1)[1])
        for attempt_name, count in self.attempts.items():
            for attempt in range(count):
                cid = container_key(self.uid, attempt_name, attempt)
                if self.s.runtime.container_dir(cid).exists():
                    await self.s.runtime.remove(cid)
        await self.volume_manager.teardown()
        await self._release_network()  # pod network (issue 9): before its namespace goes
        if self.sandbox is not None:
            assert self.s.sandboxes is not None
            await self.s.sandboxes.remove(self.sandbox)
            self.sandbox = None
        self.s.runtime.remove_cgroup(f"/pyk8s/{self.s.node_name}/pod{self.uid}")
        await asyncio.to_thread(shutil.rmtree, self.pod_dir, True)
        meta = self.pod["metadata"]
        await asyncio.to_thread(
            shutil.rmtree, self.s.logs_dir / f"{meta.get('namespace')}_{meta['name']}_{self.uid}", True
        )

    # status

    async def _report(self) -> None:
        status = self.compute_status()
        comparable = {k: v for k, v in status.items() if k != "conditions"}
        previous = self.last_status
        if (
            previous is not None
            and {k: v for k, v in previous.items() if k != "conditions"} == comparable
            and [(c["type"], c["status"]) for c in previous.get("conditions", [])]
            == [(c["type"], c["status"]) for c in status.get("conditions", [])]
        ):
            return
        self.last_status = status
        await self.s.report_status(self.pod, status)

    def compute_status(self) -> Obj:
        pod = self.pod
        spec = pod["spec"]
        now = rfc3339(self.s.clock.now())
        init_specs = spec.get("initContainers") or []
        init = [self.records.get(c["name"]) or self._waiting(c, "PodInitializing") for c in init_specs]
        for record, container in zip(init, init_specs, strict=True):
            record.sidecar = container.get("restartPolicy") == "Always"
        initialized = all(
            (r.sidecar and r.started) or (r.terminated or {}).get("exitCode") == 0 for r in init
        )
        waiting_reason = "ContainerCreating" if initialized else "PodInitializing"
        regular = [
            self.records.get(c["name"]) or self._waiting(c, waiting_reason)
            for c in spec.get("containers", [])
        ]
        if self.volume_error:
            for record in regular:
                if not record.running and record.terminated is None:
                    record.waiting_reason = "ContainerCreating"
        phase = podstatus.pod_phase(pod, init, regular, initialized)
        previous = pod.get("status") or {}
        status: Obj = {
            "phase": phase,
            "conditions": podstatus.conditions(
                pod,
                sandbox_ready=self.sandbox is not None and self.network_ready,
                initialized=initialized,
                init=init,
                regular=regular,
                phase=phase,
                now=now,
            ),
            "hostIP": self.s.node_ip,
            "hostIPs": [{"ip": self.s.node_ip}],
            "podIP": previous.get("podIP") or self.s.node_ip
            if spec.get("hostNetwork") or (self.sandbox is not None and self.sandbox.netns_path is None)
            else self.pod_ip or previous.get("podIP", ""),
            "startTime": previous.get("startTime") or now,
            "qosClass": podstatus.qos_class(pod),
            "containerStatuses": [self._public(r) for r in regular],
        }
        if status["podIP"]:
            status["podIPs"] = [{"ip": status["podIP"]}]
        else:
            status.pop("podIP")
        if init_specs:
            status["initContainerStatuses"] = [self._public(r) for r in init]
        ephemeral = spec.get("ephemeralContainers") or []
        if ephemeral:
            status["ephemeralContainerStatuses"] = [
                self._public_ephemeral(self.records.get(c["name"]) or self._waiting(c, "ContainerCreating"))
                for c in ephemeral
            ]
        return status

    @classmethod
    def _public_ephemeral(cls, record: ContainerRecord) -> Obj:
        """An ephemeral container's status: never ready (it serves nothing), no probes."""
        out = cls._public(record)
        out["ready"] = False
        return out

    @staticmethod
    def _public(record: ContainerRecord) -> Obj:
        out = record.to_status()
        for key in [k for k in out if k.startswith("_")]:
            del out[key]
        return out

    @staticmethod
    def _waiting(container: Obj, reason: str) -> ContainerRecord:
        return ContainerRecord(
            name=container["name"], image=container.get("image", ""), waiting_reason=reason
        )


def pod_netns(sandbox: PodSandbox | None) -> str | None:
    """The pod's network namespace path for probes and port-forward (None: the host's
    network, as on the process runtime)."""
    path = sandbox.netns_path if sandbox is not None else None
    return str(path) if path is not None else None
