"""The served OpenAPI v3 documents against Kubernetes' reference OpenAPI document.

For every built-in kind the issue lists, every field reachable from the kind must exist in
the served schema with the same JSON type and format, the same required fields, and the
same list and map semantics (list type, map keys, map type, patch strategy and merge key).
Descriptions are the project's own and are not compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Api

REFERENCE = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "openapi" / "swagger-release-1.36.json"
)

KINDS = (
    [
        ("", "v1", k)
        for k in (
            "Pod",
            "Node",
            "Namespace",
            "Service",
            "Endpoints",
            "ConfigMap",
            "Secret",
            "ServiceAccount",
            "Event",
            "ReplicationController",
            "ResourceQuota",
            "LimitRange",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "PodTemplate",
        )
    ]
    + [
        ("apps", "v1", k)
        for k in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ControllerRevision")
    ]
    + [
        ("batch", "v1", "Job"),
        ("batch", "v1", "CronJob"),
        ("autoscaling", "v1", "HorizontalPodAutoscaler"),
        ("autoscaling", "v2", "HorizontalPodAutoscaler"),
        ("policy", "v1", "PodDisruptionBudget"),
        ("networking.k8s.io", "v1", "Ingress"),
        ("networking.k8s.io", "v1", "IngressClass"),
        ("networking.k8s.io", "v1", "NetworkPolicy"),
        ("discovery.k8s.io", "v1", "EndpointSlice"),
        ("events.k8s.io", "v1", "Event"),
        ("coordination.k8s.io", "v1", "Lease"),
        ("rbac.authorization.k8s.io", "v1", "Role"),
        ("rbac.authorization.k8s.io", "v1", "ClusterRole"),
        ("rbac.authorization.k8s.io", "v1", "RoleBinding"),
        ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"),
        ("storage.k8s.io", "v1", "StorageClass"),
        ("storage.k8s.io", "v1", "CSIDriver"),
        ("storage.k8s.io", "v1", "CSINode"),
        ("storage.k8s.io", "v1", "VolumeAttachment"),
        ("scheduling.k8s.io", "v1", "PriorityClass"),
        ("node.k8s.io", "v1", "RuntimeClass"),
        ("certificates.k8s.io", "v1", "CertificateSigningRequest"),
        ("admissionregistration.k8s.io", "v1", "MutatingWebhookConfiguration"),
        ("admissionregistration.k8s.io", "v1", "ValidatingWebhookConfiguration"),
        ("apiextensions.k8s.io", "v1", "CustomResourceDefinition"),
        ("authentication.k8s.io", "v1", "TokenReview"),
        ("authentication.k8s.io", "v1", "SelfSubjectReview"),
        ("authorization.k8s.io", "v1", "SubjectAccessReview"),
        ("authorization.k8s.io", "v1", "SelfSubjectAccessReview"),
        ("authorization.k8s.io", "v1", "LocalSubjectAccessReview"),
        ("authorization.k8s.io", "v1", "SelfSubjectRulesReview"),
        ("apiregistration.k8s.io", "v1", "APIService"),
        ("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io", "v1", "PriorityLevelConfiguration"),
    ]
)

EXTENSIONS = (
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "x-kubernetes-patch-strategy",
    "x-kubernetes-patch-merge-key",
    "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
)


def _target(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    if ref is None and len(node.get("allOf") or []) == 1:
        ref = node["allOf"][0].get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _shape(node: dict[str, Any]) -> dict[str, Any]:
    """What is compared at one node: type, format, extensions (list type default: atomic)."""
    # OpenAPI v3 serves Quantity and IntOrString as `oneOf` (kube-openapi's OpenAPIV3OneOfTypes);
    # the v2 reference document calls both strings.
    json_type = "string" if "oneOf" in node and "type" not in node else node.get("type")
    shape = {"type": json_type, "format": node.get("format")}
    for ext in EXTENSIONS:
        shape[ext] = node.get(ext)
    if node.get("type") == "array" and shape["x-kubernetes-list-type"] is None:
        shape["x-kubernetes-list-type"] = "atomic"
    return shape


class Comparison:
    def __init__(self, reference: dict[str, Any], served: dict[str, Any]) -> None:
        self.reference, self.served = reference, served
        self.fields = 0
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def struct(self, name: str, path: str) -> None:
        if name in self.seen:
            return
        self.seen.add(name)
        ref, ours = self.reference.get(name), self.served.get(name)
        if ours is None:
            self.problems.append(f"{path}: schema {name} is not served")
            return
        assert ref is not None, name
        if sorted(ref.get("required") or []) != sorted(ours.get("required") or []):
            self.problems.append(f"{path}: required {ref.get('required')} != {ours.get('required')}")
        if _shape(ref) != _shape(ours):
            self.problems.append(f"{path}: {_shape(ref)} != {_shape(ours)}")
        for prop, ref_node in (ref.get("properties") or {}).items():
            self.fields += 1
            our_node = (ours.get("properties") or {}).get(prop)
            if our_node is None:
                self.problems.append(f"{path}.{prop}: missing")
                continue
            self.node(ref_node, our_node, f"{path}.{prop}")
        extra = set(ours.get("properties") or {}) - set(ref.get("properties") or {})
        if extra:
            self.problems.append(f"{path}: fields Kubernetes does not have: {sorted(extra)}")

    def node(self, ref: dict[str, Any], ours: dict[str, Any], path: str) -> None:
        ref_target, our_target = _target(ref), _target(ours)
        if ref_target or our_target:
            if ref_target != our_target:
                self.problems.append(f"{path}: refers to {our_target}, Kubernetes to {ref_target}")
            elif ref_target:
                self.struct(ref_target, path)
            for ext in (
                "x-kubernetes-patch-strategy",
                "x-kubernetes-patch-merge-key",
                "x-kubernetes-map-type",
            ):
                if ref.get(ext) != ours.get(ext):
                    self.problems.append(f"{path}: {ext} {ours.get(ext)} != {ref.get(ext)}")
            return
        if _shape(ref) != _shape(ours):
            self.problems.append(f"{path}: {_shape(ours)} != Kubernetes' {_shape(ref)}")
        if "items" in ref or "items" in ours:
            self.node(ref.get("items") or {}, ours.get("items") or {}, path + "[]")
        if "additionalProperties" in ref or "additionalProperties" in ours:
            self.node(
                ref.get("additionalProperties") or {}, ours.get("additionalProperties") or {}, path + "{}"
            )


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    if not REFERENCE.exists():
        pytest.skip(f"reference OpenAPI document not found at {REFERENCE}")
    definitions: dict[str, Any] = json.loads(REFERENCE.read_text())["definitions"]
    return definitions


async def served_schemas(api: Api) -> tuple[dict[str, Any], dict[tuple[str, str, str], str]]:
    index = await api.json("GET", "/openapi/v3", expect=200)
    schemas: dict[str, Any] = {}
    for entry in index["paths"].values():
        doc = await api.json("GET", entry["serverRelativeURL"], expect=200)
        schemas.update(doc["components"]["schemas"])
    by_gvk = {}
    for name, schema in schemas.items():
        for gvk in schema.get("x-kubernetes-group-version-kind") or []:
            by_gvk[(gvk["group"], gvk["version"], gvk["kind"])] = name
    return schemas, by_gvk


async def test_served_openapi_covers_every_listed_kind(api: Api, reference: dict[str, Any]) -> None:
    schemas, by_gvk = await served_schemas(api)
    comparison = Comparison(reference, schemas)
    missing_kinds = []
    for gvk in KINDS:
        name = by_gvk.get(gvk)
        if name is None:
            missing_kinds.append("/".join(p for p in gvk if p))
            continue
        comparison.struct(name, "/".join(p for p in gvk if p))
    total = comparison.fields
    bad = len(comparison.problems)
    print(
        f"OpenAPI coverage: {len(KINDS) - len(missing_kinds)}/{len(KINDS)} kinds served, "
        f"{total} fields compared, {bad} differences"
    )
    assert not missing_kinds, f"kinds not served: {missing_kinds}"
    assert not comparison.problems, "\n".join(comparison.problems[:50])
