"""The HorizontalPodAutoscaler controller (autoscaling/v2, resource metrics).

Every 15 s per HPA (and whenever it changes): read the target's scale subresource, read
pod metrics from the resource metrics API (`metrics.k8s.io`, served by a metrics server
when one is installed), compute the replica count (`replicas.py`), and scale the target
when it differs. Status and conditions are Kubernetes':

    AbleToScale     SucceededGetScale / SucceededRescale / ReadyForNewScale, or
                    False FailedGetScale
    ScalingActive   ValidMetricFound, or False with FailedGetResourceMetric (and the
                    reason chain Kubernetes prints), ScalingDisabled, InvalidSelector
    ScalingLimited  TooFewReplicas / TooManyReplicas / DesiredWithinRange

When no metric can be computed (no metrics API, pods without requests) nothing is scaled.
Custom and external metrics need custom.metrics.k8s.io / external.metrics.k8s.io, which
pyk8s does not serve; such metrics are reported invalid the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from pyk8s.api.errors import ConflictError, NotFoundError, StatusError
from pyk8s.api.meta import rfc3339
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.client.errors import ClientError
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import HORIZONTALPODAUTOSCALERS, PODS, Resource, for_kind
from pyk8s.client.rest import Client
from pyk8s.controllers.garbagecollector.discovery import discover
from pyk8s.controllers.podautoscaler.replicas import (
    MetricError,
    Recommendations,
    clamp,
    resource_proposal,
    set_condition,
    utilization,
)
from pyk8s.controllers.runtime.context import ControllerContext
from pyk8s.controllers.runtime.controller import Controller
from pyk8s.controllers.runtime.handlers import EnqueueObject
from pyk8s.controllers.runtime.reconciler import Result

log = logging.getLogger("pyk8s.controllers.podautoscaler")

Obj = dict[str, Any]
COMPONENT = "horizontal-pod-autoscaler"
SYNC_PERIOD = 15.0  # --horizontal-pod-autoscaler-sync-period
METRICS_PATH = "/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods"
_FAILED_REASONS = {
    "Pods": "FailedGetPodsMetric",
    "Object": "FailedGetObjectMetric",
    "External": "FailedGetExternalMetric",
    "ContainerResource": "FailedGetContainerResourceMetric",
    "Resource": "FailedGetResourceMetric",
}


class _MetricFailure(Exception):
    """A metric that could not be computed: the condition reason and Kubernetes' message."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.summary = message  # the FailedComputeMetricsReplicas text, once known


class HorizontalPodAutoscalerReconciler:
    """Scales one HPA's target (see the module docstring)."""

    def __init__(
        self,
        client: Client,
        *,
        hpas: SharedInformer,
        pods: SharedInformer,
        recorder: EventRecorder,
        sync_period: float = SYNC_PERIOD,
    ) -> None:
        self.client = client
        self.clock = client.clock
        self.hpas, self.pods = hpas, pods
        self.recorder = recorder
        self.sync_period = sync_period
        self.recommendations = Recommendations()

    async def reconcile(self, key: str) -> Result | None:
        hpa = self.hpas.lister.get_by_key(key)
        if hpa is None:
            self.recommendations.forget(key)
            return None
        status = dict(hpa.get("status") or {})
        conditions = list(status.get("conditions") or [])
        now = rfc3339(self.clock.now())
        spec = hpa.get("spec") or {}
        namespace = (hpa.get("metadata") or {}).get("namespace") or ""
        target = spec.get("scaleTargetRef") or {}
        try:
            resource = await self._resource(target.get("apiVersion", ""), target.get("kind", ""))
            scale = await self.client.get_scale(resource, target.get("name", ""), namespace=namespace)
        except (StatusError, ClientError, LookupError) as err:
            text = err.message if isinstance(err, StatusError) else str(err)
            self.recorder.event(hpa, WARNING, "FailedGetScale", text)
            conditions = set_condition(
                conditions,
                "AbleToScale",
                "False",
                "FailedGetScale",
                f"the HPA controller was unable to get the target's current scale: {text}",
                now,
            )
            await self._write(hpa, {**status, "conditions": conditions})
            return Result(requeue_after=self.sync_period)
        conditions = set_condition(
            conditions,
            "AbleToScale",
            "True",
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
            now,
        )
        current = int((scale.get("spec") or {}).get("replicas") or 0)
        status["currentReplicas"] = int((scale.get("status") or {}).get("replicas") or 0)
        minimum = int(spec.get("minReplicas") or 1)
        maximum = int(spec.get("maxReplicas") or minimum)
        if current == 0 and minimum != 0:
            conditions = set_condition(
                conditions,
                "ScalingActive",
                "False",
                "ScalingDisabled",
                "scaling is disabled since the replica count of the target is zero",
                now,
            )
            await self._write(hpa, {**status, "desiredReplicas": 0, "conditions": conditions})
            return Result(requeue_after=self.sync_period)
        try:
            proposed, metric_name, metric_statuses = await self._compute(hpa, scale, current)
        except _MetricFailure as failure:
            conditions = set_condition(
                conditions,
                "ScalingActive",
                "False",
                failure.reason,
                f"the HPA was unable to compute the replica count: {failure}",
                now,
            )
            self.recorder.event(hpa, WARNING, "FailedComputeMetricsReplicas", failure.summary)
            status.pop("currentMetrics", None)
            await self._write(
                hpa,
                {
                    **status,
                    "desiredReplicas": status.get("desiredReplicas", current),
                    "conditions": conditions,
                },
            )
            return Result(requeue_after=self.sync_period)
        conditions = set_condition(
            conditions,
            "ScalingActive",
            "True",
            "ValidMetricFound",
            f"the HPA was able to successfully calculate a replica count from {metric_name}",
            now,
        )
        stabilized = self.recommendations.stabilized(key, proposed, self.clock.monotonic())
        desired, limit_reason, limit_message = clamp(stabilized, minimum, maximum)
        limited = "True" if limit_reason != "DesiredWithinRange" else "False"
        conditions = set_condition(conditions, "ScalingLimited", limited, limit_reason, limit_message, now)
        if desired != current:
            await self.client.scale(resource, target.get("name", ""), desired, namespace=namespace)
            reason = f"{metric_name} above target" if desired > current else "All metrics below target"
            self.recorder.event(hpa, NORMAL, "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
            conditions = set_condition(
                conditions,
                "AbleToScale",
                "True",
                "SucceededRescale",
                f"the HPA controller was able to update the target scale to {desired}",
                now,
            )
            status["lastScaleTime"] = now
        else:
            conditions = set_condition(
                conditions,
                "AbleToScale",
                "True",
                "ReadyForNewScale",
                "recommended size matches current size",
                now,
            )
        status.update(desiredReplicas=desired, currentMetrics=metric_statuses, conditions=conditions)
        await self._write(hpa, status)
        return Result(requeue_after=self.sync_period)

    async def _resource(self, api_version: str, kind: str) -> Resource:
        resource = for_kind(api_version, kind)
        if resource is not None:
            return resource
        found = (await discover(self.client)).resource_for(api_version, kind)
        if found is None:
            raise LookupError(f'no matches for kind "{kind}" in group "{api_version.rpartition("/")[0]}"')
        return found

    async def _compute(self, hpa: Obj, scale: Obj, current: int) -> tuple[int, str, list[Obj]]:
        """(the largest proposal, the metric that made it, currentMetrics) or _MetricFailure."""
        spec = hpa.get("spec") or {}
        metrics = list(spec.get("metrics") or []) or [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}},
            }
        ]
        namespace = (hpa.get("metadata") or {}).get("namespace") or ""
        selector_text = (scale.get("status") or {}).get("selector") or ""
        if not selector_text:
            raise _MetricFailure("InvalidSelector", "the HPA target's scale is missing a selector")
        try:
            selector = LabelSelector.parse(selector_text)
        except SelectorError as err:
            raise _MetricFailure(
                "InvalidSelector",
                f"couldn't convert selector into a corresponding internal selector object: {err}",
            ) from None
        best: tuple[int, str] | None = None
        statuses: list[Obj] = []
        first: _MetricFailure | None = None
        invalid = 0
        for metric in metrics:
            try:
                replicas, name, status = await self._one_metric(
                    metric, namespace, selector, selector_text, current
                )
            except _MetricFailure as failure:
                invalid += 1
                first = first or failure
                self.recorder.event(hpa, WARNING, failure.reason, str(failure))
                continue
            statuses.append(status)
            if best is None or replicas > best[0]:
                best = (replicas, name)
        if best is None or (invalid and best[0] < current):
            if first is None:
                raise _MetricFailure("FailedGetResourceMetric", "no metric could be computed")
            kind = metrics[0].get("type") or "Resource"
            first.summary = (
                f"invalid metrics ({invalid} invalid out of {len(metrics)}), "
                f"first error is: {_value_error(kind, metrics, first)}"
            )
            raise first
        return best[0], best[1], statuses

    async def _one_metric(
        self,
        metric: Mapping[str, Any],
        namespace: str,
        selector: LabelSelector,
        selector_text: str,
        current: int,
    ) -> tuple[int, str, Obj]:
        kind = metric.get("type") or ""
        if kind not in ("Resource", "ContainerResource"):
            source = metric.get(_camel(kind)) or {}
            name = ((source.get("metric") or {}).get("name")) or kind.lower()
            raise _MetricFailure(
                _FAILED_REASONS.get(kind, "FailedGetResourceMetric"),
                f"unable to get metric {name}: no custom or external metrics API is served",
            )
        source = metric.get("resource" if kind == "Resource" else "containerResource") or {}
        resource_name = source.get("name") or "cpu"
        container = source.get("container") if kind == "ContainerResource" else None
        target = source.get("target") or {}
        what = (
            "utilization"
            if target.get("type") == "Utilization" or target.get("averageUtilization")
            else "usage"
        )
        try:
            samples = await self._pod_metrics(namespace, selector_text)
            pods = self.pods.lister.list(namespace=namespace, selector=selector)
            observed = utilization(pods, samples, resource_name, container)
            replicas, current_value = resource_proposal(current, observed, target)
        except (MetricError, _FetchError) as err:
            chain = (
                str(err)
                if isinstance(err, MetricError)
                else f"unable to get metrics for resource {resource_name}: {err}"
            )
            raise _MetricFailure(
                _FAILED_REASONS[kind], f"failed to get {resource_name} {what}: {chain}"
            ) from None
        label = (
            f"{resource_name} resource utilization (percentage of request)"
            if what == "utilization"
            else f"{resource_name} resource"
        )
        status_source: Obj = {"name": resource_name, "current": current_value}
        if container:
            status_source["container"] = container
        return replicas, label, {"type": kind, _camel(kind): status_source}

    async def _pod_metrics(self, namespace: str, selector: str) -> dict[str, Obj]:
        path = METRICS_PATH.format(namespace=namespace)
        try:
            data = await self.client.request("GET", path, params=[("labelSelector", selector)])
        except NotFoundError:
            raise _FetchError(
                "unable to fetch metrics from resource metrics API: "
                "the server could not find the requested resource (get pods.metrics.k8s.io)"
            ) from None
        except (StatusError, ClientError) as err:
            raise _FetchError(f"unable to fetch metrics from resource metrics API: {err}") from None
        items = (data or {}).get("items") or []
        if not items:
            raise _FetchError("no metrics returned from resource metrics API")
        return {(item.get("metadata") or {}).get("name", ""): item for item in items}

    async def _write(self, hpa: Obj, status: Obj) -> None:
        status = {**status, "observedGeneration": (hpa.get("metadata") or {}).get("generation")}
        status = {k: v for k, v in status.items() if v is not None}
        if _normalized(hpa.get("status") or {}) == _normalized(status):
            return
        try:
            await self.client.update_status(HORIZONTALPODAUTOSCALERS, {**hpa, "status": status})
        except NotFoundError:
            pass
        except ConflictError:
            raise


class _FetchError(Exception):
    """The metrics API did not answer usefully."""


def _value_error(kind: str, metrics: list[Obj], failure: _MetricFailure) -> str:
    source = metrics[0].get(_camel(kind)) or {}
    name = source.get("name") or ((source.get("metric") or {}).get("name")) or ""
    return f"failed to get {name} resource metric value: {failure}" if kind == "Resource" else str(failure)


def _camel(kind: str) -> str:
    return kind[:1].lower() + kind[1:] if kind else ""


def _normalized(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _normalized(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_normalized(v) for v in value]
    return value


def new_horizontal_pod_autoscaler_controller(
    ctx: ControllerContext, *, sync_period: float | None = None
) -> Controller:
    hpas = ctx.informers.informer(HORIZONTALPODAUTOSCALERS)
    pods = ctx.informers.informer(PODS)
    reconciler = HorizontalPodAutoscalerReconciler(
        ctx.client,
        hpas=hpas,
        pods=pods,
        recorder=ctx.recorder(COMPONENT),
        sync_period=sync_period if sync_period is not None else SYNC_PERIOD,
    )
    name = "horizontalpodautoscaling"
    controller = Controller(name, reconciler, workers=ctx.workers(name), clock=ctx.clock)
    controller.watch(hpas, EnqueueObject(controller.queue, skip_resync=True))
    controller.wait_for(pods)
    return controller
