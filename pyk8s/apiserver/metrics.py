"""/metrics in the Prometheus text format, with kube-apiserver's metric names where they exist."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """The API server's metrics, in a registry of its own (one per server instance)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("verb", "group", "version", "resource", "subresource", "scope", "code")
        self.requests = Counter(
            "apiserver_request", "Requests by verb, resource and HTTP code.", labels, registry=self.registry
        )
        self.latency = Histogram(
            "apiserver_request_duration_seconds",
            "Request latency by verb and resource (watches: until the stream is set up).",
            ("verb", "group", "version", "resource", "subresource", "scope"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.watches = Gauge(
            "apiserver_longrunning_requests", "Open watch streams.", ("resource",), registry=self.registry
        )
        self.storage_latency = Histogram(
            "etcd_request_duration_seconds",
            "Storage operation latency by operation and resource (any backend).",
            ("operation", "type"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def add_gauge_source(
        self, name: str, help_text: str, label: str, source: Callable[[], dict[str, float]]
    ) -> None:
        """A gauge computed at scrape time (watch cache sizes and the like)."""
        self.registry.register(_CallbackCollector(name, help_text, label, source))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _CallbackCollector:
    def __init__(self, name: str, help_text: str, label: str, source: Callable[[], dict[str, float]]) -> None:
        self.name, self.help, self.label, self.source = name, help_text, label, source

    def collect(self) -> list[GaugeMetricFamily]:
        family = GaugeMetricFamily(self.name, self.help, labels=[self.label])
        for value, number in sorted(self.source().items()):
            family.add_metric([value], number)
        return [family]

    def describe(self) -> list[GaugeMetricFamily]:
        return []
