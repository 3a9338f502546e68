"""PersistentVolume binding and protection, ResourceQuota status, PodDisruptionBudget status
and the HorizontalPodAutoscaler without a metrics API, end to end: a real API server, the
controller manager, fake nodes, the client and the real kubectl."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from pyk8s.api.errors import NotFoundError
from pyk8s.client.resources import (
    HORIZONTALPODAUTOSCALERS,
    PERSISTENTVOLUMECLAIMS,
    PERSISTENTVOLUMES,
    PODDISRUPTIONBUDGETS,
    PODS,
    REPLICASETS,
    RESOURCEQUOTAS,
)
from pyk8s.controllers.disruption import DISRUPTION_CONTROLLER
from pyk8s.controllers.podautoscaler import HORIZONTALPODAUTOSCALING_CONTROLLER
from pyk8s.controllers.protection import PV_PROTECTION_CONTROLLER, PVC_PROTECTION_CONTROLLER
from pyk8s.controllers.replicaset import REPLICASET_CONTROLLER
from pyk8s.controllers.resourcequota import RESOURCEQUOTA_CONTROLLER
from pyk8s.controllers.volume import PERSISTENTVOLUME_BINDER_CONTROLLER

from .housekeeping import Cluster, gone, running_cluster, wait_until

pytestmark = pytest.mark.asyncio(loop_scope="module")

Obj = dict[str, Any]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cluster]:
    tmp = tmp_path_factory.mktemp("volumes-quota-pdb-e2e")
    descriptors = [
        PERSISTENTVOLUME_BINDER_CONTROLLER,
        PVC_PROTECTION_CONTROLLER,
        PV_PROTECTION_CONTROLLER,
        RESOURCEQUOTA_CONTROLLER,
        DISRUPTION_CONTROLLER,
        HORIZONTALPODAUTOSCALING_CONTROLLER,
        REPLICASET_CONTROLLER,
    ]
    async with running_cluster(tmp, descriptors, nodes=("node-a", "node-b")) as c:
        yield c


async def get(cluster: Cluster, resource: Any, name: str, namespace: str | None = None) -> Obj | None:
    try:
        return await cluster.client.get(resource, name, namespace=namespace)
    except NotFoundError:
        return None


def volume(name: str, size: str, *, cls: str, policy: str = "Retain") -> str:
    return f"""
apiVersion: v1
kind: PersistentVolume
metadata: {{name: {name}, labels: {{size: "{size}"}}}}
spec:
  capacity: {{storage: {size}}}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: {policy}
  storageClassName: {cls}
  hostPath: {{path: /tmp/{name}}}
"""


def claim(name: str, size: str, *, cls: str) -> str:
    return f"""
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}}}
spec:
  storageClassName: {cls}
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: {size}}}}}
"""


def pod_with_claim(name: str, claim_name: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "containers": [
                {"name": "c", "image": "busybox", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}
            ],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}],
        },
    }


def phase(obj: Obj | None) -> str:
    return str(((obj or {}).get("status") or {}).get("phase") or "")


async def _phase_is(
    cluster: Cluster, resource: Any, name: str, wanted: str, namespace: str | None = None
) -> Obj | None:
    current = await get(cluster, resource, name, namespace)
    return current if phase(current) == wanted else None


async def test_claims_bind_to_the_smallest_fitting_volume(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    for name, size in (("bind-1g", "1Gi"), ("bind-5g", "5Gi"), ("bind-10g", "10Gi")):
        await cluster.apply(volume(name, size, cls="bind"))
    await cluster.apply(claim("data", "3Gi", cls="bind"), "-n", ns)
    bound = await wait_until(
        lambda: _phase_is(cluster, PERSISTENTVOLUMECLAIMS, "data", "Bound", ns), what="claim bound"
    )
    assert bound["spec"]["volumeName"] == "bind-5g"
    annotations = bound["metadata"]["annotations"]
    assert annotations["pv.kubernetes.io/bind-completed"] == "yes"
    assert annotations["pv.kubernetes.io/bound-by-controller"] == "yes"
    assert bound["status"]["capacity"] == {"storage": "5Gi"} and bound["status"]["accessModes"] == [
        "ReadWriteOnce"
    ]
    pv = await wait_until(
        lambda: _phase_is(cluster, PERSISTENTVOLUMES, "bind-5g", "Bound"), what="volume bound"
    )
    ref = pv["spec"]["claimRef"]
    assert (ref["namespace"], ref["name"], ref["uid"]) == (ns, "data", bound["metadata"]["uid"])
    assert pv["metadata"]["annotations"]["pv.kubernetes.io/bound-by-controller"] == "yes"
    for other in ("bind-1g", "bind-10g"):
        assert phase(await get(cluster, PERSISTENTVOLUMES, other)) == "Available"
    _, out, _ = await cluster.kubectl("get", "pvc", "data", "-n", ns)
    assert "Bound" in out and "bind-5g" in out

    # a claim nothing fits stays Pending, and says why
    await cluster.apply(claim("huge", "100Gi", cls="bind"), "-n", ns)
    await wait_until(
        lambda: _phase_is(cluster, PERSISTENTVOLUMECLAIMS, "huge", "Pending", ns), what="pending claim"
    )


async def test_protection_holds_a_used_claim_and_a_bound_volume(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(volume("prot-pv", "1Gi", cls="prot", policy="Delete"))
    await cluster.apply(claim("data", "1Gi", cls="prot"), "-n", ns)
    await wait_until(
        lambda: _phase_is(cluster, PERSISTENTVOLUMECLAIMS, "data", "Bound", ns), what="claim bound"
    )
    await cluster.client.create(PODS, pod_with_claim("user", "data"), namespace=ns)
    await wait_until(lambda: _phase_is(cluster, PODS, "user", "Running", ns), what="pod running")

    # the volume is bound: deleting it only marks it
    await cluster.kubectl("delete", "pv", "prot-pv", "--wait=false")
    pv = await cluster.client.get(PERSISTENTVOLUMES, "prot-pv")
    assert (
        pv["metadata"]["deletionTimestamp"] and "kubernetes.io/pv-protection" in pv["metadata"]["finalizers"]
    )

    # the claim is used by a running pod: deleting it only marks it
    await cluster.kubectl("delete", "pvc", "data", "-n", ns, "--wait=false")
    await asyncio.sleep(0.5)
    held = await cluster.client.get(PERSISTENTVOLUMECLAIMS, "data", namespace=ns)
    assert held["metadata"]["deletionTimestamp"]
    assert held["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]

    # the pod goes: the claim goes, the volume is released and, reclaim policy Delete, goes too
    await cluster.kubectl("delete", "pod", "user", "-n", ns)
    await wait_until(lambda: gone(cluster.client, PERSISTENTVOLUMECLAIMS, "data", ns), what="claim deleted")
    await wait_until(lambda: gone(cluster.client, PERSISTENTVOLUMES, "prot-pv"), what="volume deleted")


async def test_a_retained_volume_is_released_when_its_claim_goes(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(volume("keep-pv", "1Gi", cls="keep"))
    await cluster.apply(claim("data", "1Gi", cls="keep"), "-n", ns)
    await wait_until(
        lambda: _phase_is(cluster, PERSISTENTVOLUMECLAIMS, "data", "Bound", ns), what="claim bound"
    )
    await cluster.kubectl("delete", "pvc", "data", "-n", ns)
    released = await wait_until(
        lambda: _phase_is(cluster, PERSISTENTVOLUMES, "keep-pv", "Released"), what="released"
    )
    assert released["status"].get("lastPhaseTransitionTime")


QUOTA = """
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota}
spec:
  hard:
    pods: "10"
    requests.cpu: "2"
    limits.memory: 1Gi
    services: "5"
    configmaps: "10"
    count/replicasets.apps: "3"
"""


def cpu_pod(name: str, cpu: str) -> Obj:
    resources = {"requests": {"cpu": cpu, "memory": "64Mi"}, "limits": {"cpu": cpu, "memory": "64Mi"}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "busybox", "resources": resources}]},
    }


async def test_quota_status_tracks_usage(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(QUOTA, "-n", ns)

    async def used(expected: dict[str, str]) -> Obj | None:
        quota = await cluster.client.get(RESOURCEQUOTAS, "quota", namespace=ns)
        status = quota.get("status") or {}
        return quota if status.get("used") == expected and status.get("hard") else None

    initial = {
        "configmaps": "0",
        "count/replicasets.apps": "0",
        "limits.memory": "0",
        "pods": "0",
        "requests.cpu": "0",
        "services": "0",
    }
    quota = await wait_until(lambda: used(initial), what="initial usage")
    assert quota["status"]["hard"]["requests.cpu"] == "2"
    for i in range(2):
        await cluster.client.create(PODS, cpu_pod(f"p{i}", "500m"), namespace=ns)
    await wait_until(
        lambda: used({**initial, "pods": "2", "requests.cpu": "1", "limits.memory": "128Mi"}),
        what="usage charged",
    )
    await cluster.kubectl("delete", "pod", "p0", "-n", ns)
    await wait_until(
        lambda: used({**initial, "pods": "1", "requests.cpu": "500m", "limits.memory": "64Mi"}),
        what="usage released",
    )
    _, out, _ = await cluster.kubectl("describe", "quota", "quota", "-n", ns)
    assert "requests.cpu" in out and "500m" in out


def pdb(spec: str) -> str:
    return f"""
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: budget}}
spec:
  selector: {{matchLabels: {{app: guarded}}}}
  {spec}
"""


def guarded_pod(name: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "guarded"}},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }


def official_evict(cluster: Cluster, ns: str, name: str) -> tuple[int, str]:
    """Evict with the official `kubernetes` client; (HTTP status, body)."""
    kubernetes = pytest.importorskip("kubernetes")
    config = kubernetes.client.Configuration()
    kubernetes.config.load_kube_config(
        config_file=str(cluster.server.kubeconfig), client_configuration=config
    )
    with kubernetes.client.ApiClient(config) as api:
        body = kubernetes.client.V1Eviction(metadata=kubernetes.client.V1ObjectMeta(name=name, namespace=ns))
        try:
            kubernetes.client.CoreV1Api(api).create_namespaced_pod_eviction(name, ns, body)
        except kubernetes.client.ApiException as err:
            return int(err.status), str(err.body)
    return 201, ""


async def _budget(cluster: Cluster, ns: str, **expected: int) -> Obj | None:
    current = await get(cluster, PODDISRUPTIONBUDGETS, "budget", ns)
    status = (current or {}).get("status") or {}
    return current if all(status.get(k) == v for k, v in expected.items()) else None


async def test_budget_status_and_evictions(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    for i in range(3):
        await cluster.client.create(PODS, guarded_pod(f"g{i}"), namespace=ns)
    await cluster.apply(pdb("minAvailable: 2"), "-n", ns)
    budget = await wait_until(
        lambda: _budget(
            cluster, ns, currentHealthy=3, desiredHealthy=2, expectedPods=3, disruptionsAllowed=1
        ),
        what="budget status",
    )
    status = budget["status"]
    assert status["observedGeneration"] == budget["metadata"]["generation"]
    condition = next(c for c in status["conditions"] if c["type"] == "DisruptionAllowed")
    assert (condition["status"], condition["reason"]) == ("True", "SufficientPods")

    await cluster.client.evict(ns, "g0")
    # The official client (which does not retry a 429) sees the refusal as Kubernetes words it.
    code, body = await asyncio.to_thread(official_evict, cluster, ns, "g1")
    assert code == 429, body
    assert "Cannot evict pod as it would violate the pod's disruption budget." in body
    assert "needs 2 healthy pods" in body
    budget = await wait_until(
        lambda: _budget(cluster, ns, currentHealthy=2, desiredHealthy=2, disruptionsAllowed=0),
        what="budget spent",
    )
    condition = next(c for c in budget["status"]["conditions"] if c["type"] == "DisruptionAllowed")
    assert (condition["status"], condition["reason"]) == ("False", "InsufficientPods")


async def test_budget_with_max_unavailable_counts_the_controllers_scale(cluster: Cluster) -> None:
    ns = await cluster.namespace()
    await cluster.apply(
        """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: guarded}
spec:
  replicas: 4
  selector: {matchLabels: {app: guarded}}
  template:
    metadata: {labels: {app: guarded}}
    spec: {containers: [{name: c, image: busybox}]}
""",
        "-n",
        ns,
    )
    await cluster.apply(pdb('maxUnavailable: "25%"'), "-n", ns)
    await wait_until(
        lambda: _budget(
            cluster, ns, expectedPods=4, desiredHealthy=3, currentHealthy=4, disruptionsAllowed=1
        ),
        what="budget from the ReplicaSet's scale",
    )


async def test_autoscaler_without_pod_metrics_reports_and_does_not_scale(cluster: Cluster) -> None:
    # The API server serves metrics.k8s.io, but these pods run on no real node, so the
    # resource metrics API has no metrics for them (Kubernetes' message with metrics-server).
    ns = await cluster.namespace()
    await cluster.apply(
        """
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: busybox, resources: {requests: {cpu: 100m}}}]}
""",
        "-n",
        ns,
    )
    await cluster.kubectl("autoscale", "replicaset", "web", "-n", ns, "--min=1", "--max=5", "--cpu=50%")

    async def reported() -> dict[str, Obj] | None:
        hpa = await get(cluster, HORIZONTALPODAUTOSCALERS, "web", ns)
        conditions = {c["type"]: c for c in ((hpa or {}).get("status") or {}).get("conditions") or []}
        return conditions if "ScalingActive" in conditions else None

    conditions = await wait_until(reported, what="HPA conditions")
    assert (conditions["AbleToScale"]["status"], conditions["AbleToScale"]["reason"]) == (
        "True",
        "SucceededGetScale",
    )
    active = conditions["ScalingActive"]
    assert (active["status"], active["reason"]) == ("False", "FailedGetResourceMetric")
    assert active["message"] == (
        "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get "
        "metrics for resource cpu: no metrics returned from resource metrics API"
    )
    rs = await cluster.client.get(REPLICASETS, "web", namespace=ns)
    assert rs["spec"]["replicas"] == 2
    events = await wait_until(lambda: cluster.events(ns, "FailedComputeMetricsReplicas"), what="event")
    assert events[0]["message"].startswith(
        "invalid metrics (1 invalid out of 1), first error is: failed to get cpu"
    )
