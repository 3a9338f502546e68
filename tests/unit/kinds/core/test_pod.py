"""Pod: discovery info, defaults, validation (create, update, subresources), grace periods,
field selectors and table rows, against kube-apiserver's behaviour."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType, FieldErrors
from pyk8s.api.meta import parse_time, validate_object_meta
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.core.pod import RESOURCE, PodStrategy, qos_class

S = PodStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 300
CTX = RequestContext(namespace="default", now=NOW)
R, INV, D, NF, NS, F = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.DUPLICATE,
    ErrorType.NOT_FOUND,
    ErrorType.NOT_SUPPORTED,
    ErrorType.FORBIDDEN,
)


def pod(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default", "uid": "u1", "creationTimestamp": CREATED},
        "spec": {"containers": [{"name": "app", "image": "nginx:1.25"}]},
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def errors(obj: dict[str, Any]) -> FieldErrors:
    S.default(obj)
    return S.validate(CTX, obj)


def has(errs: FieldErrors, field: str, kind: ErrorType, detail: str | None = None) -> bool:
    return any(e.field == field and e.type == kind and (detail is None or detail in e.detail) for e in errs)


# discovery


def test_resource_info_matches_discovery() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names, RESOURCE.categories) == (
        "pods",
        "pod",
        ("po",),
        ("all",),
    )
    subs = {s.name: s for s in RESOURCE.subresources}
    assert list(subs) == sorted(subs)
    assert (subs["eviction"].group, subs["eviction"].version, subs["eviction"].kind) == (
        "policy",
        "v1",
        "Eviction",
    )
    assert subs["eviction"].verbs == ("create",)
    assert subs["binding"].kind == "Binding" and subs["binding"].verbs == ("create",)
    assert subs["exec"].kind == "PodExecOptions" and set(subs["exec"].verbs) == {"create", "get"}
    assert subs["attach"].kind == "PodAttachOptions"
    assert subs["portforward"].kind == "PodPortForwardOptions"
    assert subs["proxy"].kind == "PodProxyOptions"
    assert set(subs["proxy"].verbs) == {"create", "delete", "get", "patch", "update"}
    assert subs["log"].verbs == ("get",) and subs["log"].kind == "Pod"
    for name in ("status", "ephemeralcontainers", "resize"):
        assert set(subs[name].verbs) == {"get", "patch", "update"}


# defaults


def test_defaults_of_a_minimal_pod() -> None:
    obj = created(pod())
    spec = obj["spec"]
    assert spec == {
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.25",
                "imagePullPolicy": "IfNotPresent",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "resources": {},
            }
        ],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "securityContext": {},
        "schedulerName": "default-scheduler",
        "enableServiceLinks": True,
    }
    assert obj["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    assert obj["metadata"]["generation"] == 1


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        pytest.param("nginx", "Always", id="no-tag-is-latest"),
        pytest.param("nginx:latest", "Always", id="latest"),
        pytest.param("nginx:1.25", "IfNotPresent", id="tag"),
        pytest.param("registry:5000/team/app", "Always", id="registry-port-no-tag"),
        pytest.param("registry:5000/team/app:v2", "IfNotPresent", id="registry-port-tag"),
        pytest.param("app@sha256:" + "a" * 64, "IfNotPresent", id="digest"),
        pytest.param("app:latest@sha256:" + "a" * 64, "Always", id="latest-and-digest"),
    ],
)
def test_image_pull_policy_follows_the_tag(image: str, policy: str) -> None:
    obj = created(pod(containers=[{"name": "c", "image": image}]))
    assert obj["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_probe_port_volume_and_env_defaults() -> None:
    obj = pod(
        containers=[
            {
                "name": "c",
                "image": "x:1",
                "ports": [{"containerPort": 80}],
                "livenessProbe": {"httpGet": {"port": 80}},
                "readinessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 5},
                "lifecycle": {"preStop": {"httpGet": {"port": 80}}},
                "env": [
                    {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                    {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}},
                ],
            }
        ],
        volumes=[
            {"name": "scratch"},
            {"name": "conf", "configMap": {"name": "c"}},
            {"name": "keys", "secret": {"secretName": "s"}},
            {"name": "host", "hostPath": {"path": "/data"}},
        ],
    )
    spec = created(obj)["spec"]
    container = spec["containers"][0]
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert container["livenessProbe"] == {
        "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert container["readinessProbe"]["periodSeconds"] == 5
    assert container["lifecycle"]["preStop"]["httpGet"] == {"port": 80, "path": "/", "scheme": "HTTP"}
    assert container["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"
    assert container["env"][1]["valueFrom"]["resourceFieldRef"]["divisor"] == "0"
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert volumes["scratch"] == {"name": "scratch", "emptyDir": {}}
    assert volumes["conf"]["configMap"]["defaultMode"] == 420
    assert volumes["keys"]["secret"]["defaultMode"] == 420
    assert volumes["host"]["hostPath"]["type"] == ""


def test_pod_only_defaults() -> None:
    obj = created(
        pod(
            hostNetwork=True,
            serviceAccount="robot",
            containers=[
                {
                    "name": "c",
                    "image": "x:1",
                    "ports": [{"containerPort": 8080}],
                    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}},
                }
            ],
        )
    )
    spec = obj["spec"]
    assert spec["containers"][0]["ports"][0]["hostPort"] == 8080
    assert spec["containers"][0]["resources"]["requests"] == {"cpu": "1", "memory": "1Gi"}
    assert spec["serviceAccountName"] == spec["serviceAccount"] == "robot"
    assert obj["status"]["qosClass"] == "Guaranteed"


def test_scheduling_gates_add_a_gated_condition() -> None:
    obj = created(pod(schedulingGates=[{"name": "example.com/wait"}]))
    assert obj["status"]["conditions"][0]["reason"] == "SchedulingGated"
    assert obj["status"]["conditions"][0]["status"] == "False"


@pytest.mark.parametrize(
    ("containers", "qos"),
    [
        pytest.param([{}], "BestEffort", id="best-effort"),
        pytest.param([{"requests": {"cpu": "100m"}}], "Burstable", id="burstable"),
        pytest.param(
            [{"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}}],
            "Guaranteed",
            id="guaranteed",
        ),
        pytest.param(
            [{"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}],
            "Burstable",
            id="requests-below-limits",
        ),
        pytest.param([{"limits": {"cpu": "1"}, "requests": {"cpu": "1"}}], "Burstable", id="cpu-only"),
    ],
)
def test_qos_class(containers: list[dict[str, Any]], qos: str) -> None:
    spec = {"containers": [{"name": f"c{i}", "resources": r} for i, r in enumerate(containers)]}
    assert qos_class(spec) == qos


# validation


def test_valid_pods() -> None:
    assert errors(pod()) == []
    full = pod(
        volumes=[{"name": "data", "emptyDir": {}}, {"name": "conf", "configMap": {"name": "c"}}],
        initContainers=[{"name": "init", "image": "busybox:1"}],
        containers=[
            {
                "name": "app",
                "image": "nginx:1.25",
                "ports": [{"name": "http", "containerPort": 80}, {"containerPort": 53, "protocol": "UDP"}],
                "env": [{"name": "A", "value": "1"}, {"name": "weird.name-OK", "value": "2"}],
                "volumeMounts": [
                    {"name": "data", "mountPath": "/data"},
                    {"name": "conf", "mountPath": "/etc/c"},
                ],
                "resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "200m", "memory": "64Mi"}},
                "livenessProbe": {"exec": {"command": ["true"]}},
                "securityContext": {"runAsUser": 1000, "allowPrivilegeEscalation": False},
            },
            {"name": "sidecar", "image": "busybox:1"},
        ],
        tolerations=[{"key": "k", "operator": "Exists", "effect": "NoSchedule"}],
        nodeSelector={"disk": "ssd"},
        activeDeadlineSeconds=60,
        restartPolicy="OnFailure",
    )
    assert errors(full) == []


def _container(**fields: Any) -> dict[str, Any]:
    return {"name": "app", "image": "nginx:1.25", **fields}


INVALID = [
    pytest.param(pod(containers=[]), "spec.containers", R, None, id="no-containers"),
    pytest.param(pod(containers=[{"name": "app"}]), "spec.containers[0].image", R, None, id="no-image"),
    pytest.param(pod(containers=[{"image": "x"}]), "spec.containers[0].name", R, None, id="no-name"),
    pytest.param(
        pod(containers=[_container(name="Bad_Name")]),
        "spec.containers[0].name",
        INV,
        "RFC 1123 label",
        id="bad-container-name",
    ),
    pytest.param(
        pod(containers=[_container(), _container()]),
        "spec.containers[1].name",
        D,
        None,
        id="duplicate-container",
    ),
    pytest.param(
        pod(initContainers=[_container()]),
        "spec.initContainers[0].name",
        D,
        None,
        id="init-duplicates-container",
    ),
    pytest.param(
        pod(containers=[_container(ports=[{"containerPort": 70000}])]),
        "spec.containers[0].ports[0].containerPort",
        INV,
        "must be between 1 and 65535, inclusive",
        id="port-range",
    ),
    pytest.param(
        pod(containers=[_container(ports=[{"containerPort": 0}])]),
        "spec.containers[0].ports[0].containerPort",
        R,
        None,
        id="port-missing",
    ),
    pytest.param(
        pod(containers=[_container(ports=[{"containerPort": 80, "protocol": "ICMP"}])]),
        "spec.containers[0].ports[0].protocol",
        NS,
        '"SCTP", "TCP", "UDP"',
        id="port-protocol",
    ),
    pytest.param(
        pod(
            containers=[
                _container(ports=[{"name": "web", "containerPort": 80}, {"name": "web", "containerPort": 81}])
            ]
        ),
        "spec.containers[0].ports[1].name",
        D,
        None,
        id="duplicate-port-name",
    ),
    pytest.param(
        pod(containers=[_container(ports=[{"name": "HTTP", "containerPort": 80}])]),
        "spec.containers[0].ports[0].name",
        INV,
        "alpha-numeric",
        id="bad-port-name",
    ),
    pytest.param(
        pod(
            containers=[
                _container(ports=[{"containerPort": 80, "hostPort": 80}]),
                {"name": "b", "image": "x", "ports": [{"containerPort": 81, "hostPort": 80}]},
            ]
        ),
        "spec.containers[1].ports[0].hostPort",
        D,
        None,
        id="host-port-conflict",
    ),
    pytest.param(
        pod(volumes=[{"name": "v", "emptyDir": {}}, {"name": "v", "emptyDir": {}}]),
        "spec.volumes[1].name",
        D,
        None,
        id="duplicate-volume",
    ),
    pytest.param(
        pod(volumes=[{"name": "v", "emptyDir": {}, "hostPath": {"path": "/x"}}]),
        "spec.volumes[0].hostPath",
        F,
        "may not specify more than 1 volume type",
        id="two-sources",
    ),
    pytest.param(
        pod(volumes=[{"name": "v", "hostPath": {"path": ""}}]),
        "spec.volumes[0].hostPath.path",
        R,
        None,
        id="host-path-required",
    ),
    pytest.param(
        pod(volumes=[{"name": "v", "configMap": {}}]),
        "spec.volumes[0].configMap.name",
        R,
        None,
        id="config-map-name",
    ),
    pytest.param(
        pod(volumes=[{"name": "v", "secret": {"secretName": "s", "defaultMode": 1000}}]),
        "spec.volumes[0].secret.defaultMode",
        INV,
        "0777",
        id="file-mode",
    ),
    pytest.param(
        pod(volumes=[{"name": "v", "persistentVolumeClaim": {}}]),
        "spec.volumes[0].persistentVolumeClaim.claimName",
        R,
        None,
        id="claim-name",
    ),
    pytest.param(
        pod(volumes=[{"name": "V", "emptyDir": {}}]), "spec.volumes[0].name", INV, None, id="volume-name"
    ),
    pytest.param(
        pod(containers=[_container(volumeMounts=[{"name": "missing", "mountPath": "/m"}])]),
        "spec.containers[0].volumeMounts[0].name",
        NF,
        None,
        id="mount-unknown-volume",
    ),
    pytest.param(
        pod(
            volumes=[{"name": "v", "emptyDir": {}}],
            containers=[
                _container(volumeMounts=[{"name": "v", "mountPath": "/m"}, {"name": "v", "mountPath": "/m"}])
            ],
        ),
        "spec.containers[0].volumeMounts[1].mountPath",
        INV,
        "must be unique",
        id="mount-path-unique",
    ),
    pytest.param(
        pod(
            volumes=[{"name": "v", "emptyDir": {}}],
            containers=[_container(volumeMounts=[{"name": "v", "mountPath": ""}])],
        ),
        "spec.containers[0].volumeMounts[0].mountPath",
        R,
        None,
        id="mount-path-required",
    ),
    pytest.param(
        pod(containers=[_container(env=[{"name": "A=B"}])]),
        "spec.containers[0].env[0].name",
        INV,
        "printable ASCII characters other than '='",
        id="env-name",
    ),
    pytest.param(
        pod(containers=[_container(env=[{"name": ""}])]),
        "spec.containers[0].env[0].name",
        R,
        None,
        id="env-name-required",
    ),
    pytest.param(
        pod(
            containers=[
                _container(
                    env=[
                        {"name": "A", "value": "x", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}
                    ]
                )
            ]
        ),
        "spec.containers[0].env[0].valueFrom",
        INV,
        "may not be specified when `value` is not empty",
        id="env-value-and-from",
    ),
    pytest.param(
        pod(
            containers=[_container(env=[{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "spec.foo"}}}])]
        ),
        "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath",
        NS,
        None,
        id="env-field-path",
    ),
    pytest.param(
        pod(containers=[_container(resources={"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})]),
        "spec.containers[0].resources.requests",
        INV,
        "must be less than or equal to cpu limit of 1",
        id="requests-above-limits",
    ),
    pytest.param(
        pod(containers=[_container(resources={"requests": {"memory": "-1"}})]),
        "spec.containers[0].resources.requests[memory]",
        INV,
        "must be greater than or equal to 0",
        id="negative-request",
    ),
    pytest.param(
        pod(containers=[_container(resources={"limits": {"gpu": "1"}})]),
        "spec.containers[0].resources.limits[gpu]",
        INV,
        "must be a standard resource",
        id="resource-name",
    ),
    pytest.param(
        pod(containers=[_container(resources={"requests": {"example.com/dev": "1"}})]),
        "spec.containers[0].resources.limits",
        R,
        "non overcommitable",
        id="extended-needs-limit",
    ),
    pytest.param(
        pod(restartPolicy="Sometimes"),
        "spec.restartPolicy",
        NS,
        '"Always", "OnFailure", "Never"',
        id="restart-policy",
    ),
    pytest.param(pod(dnsPolicy="Google"), "spec.dnsPolicy", NS, None, id="dns-policy"),
    pytest.param(
        pod(containers=[_container(imagePullPolicy="Sometimes")]),
        "spec.containers[0].imagePullPolicy",
        NS,
        None,
        id="pull-policy",
    ),
    pytest.param(
        pod(containers=[_container(livenessProbe={})]),
        "spec.containers[0].livenessProbe",
        R,
        "must specify a handler type",
        id="probe-handler",
    ),
    pytest.param(
        pod(containers=[_container(livenessProbe={"exec": {"command": ["x"]}, "successThreshold": 2})]),
        "spec.containers[0].livenessProbe.successThreshold",
        INV,
        "must be 1",
        id="liveness-success",
    ),
    pytest.param(
        pod(containers=[_container(readinessProbe={"exec": {"command": ["x"]}, "tcpSocket": {"port": 80}})]),
        "spec.containers[0].readinessProbe.tcpSocket",
        F,
        "may not specify more than 1 handler type",
        id="two-handlers",
    ),
    pytest.param(
        pod(containers=[_container(readinessProbe={"httpGet": {"port": 80, "scheme": "FTP"}})]),
        "spec.containers[0].readinessProbe.httpGet.scheme",
        NS,
        None,
        id="probe-scheme",
    ),
    pytest.param(
        pod(containers=[_container(startupProbe={"tcpSocket": {"port": 0}})]),
        "spec.containers[0].startupProbe.tcpSocket.port",
        INV,
        None,
        id="probe-port",
    ),
    pytest.param(
        pod(containers=[_container(readinessProbe={"exec": {"command": ["x"]}, "periodSeconds": -1})]),
        "spec.containers[0].readinessProbe.periodSeconds",
        INV,
        "must be greater than or equal to 0",
        id="probe-period",
    ),
    pytest.param(
        pod(initContainers=[{"name": "i", "image": "x", "livenessProbe": {"exec": {"command": ["x"]}}}]),
        "spec.initContainers[0].livenessProbe",
        F,
        "restartPolicy=Always",
        id="init-probe",
    ),
    pytest.param(
        pod(containers=[_container(restartPolicy="Always")]),
        "spec.containers[0].restartPolicy",
        F,
        "may not be set for non-init containers",
        id="container-restart-policy",
    ),
    pytest.param(
        pod(containers=[_container(securityContext={"runAsUser": -1})]),
        "spec.containers[0].securityContext.runAsUser",
        INV,
        "must be between 0 and 2147483647, inclusive",
        id="run-as-user",
    ),
    pytest.param(
        pod(securityContext={"fsGroup": -2}), "spec.securityContext.fsGroup", INV, None, id="fs-group"
    ),
    pytest.param(
        pod(containers=[_container(securityContext={"privileged": True, "allowPrivilegeEscalation": False})]),
        "spec.containers[0].securityContext",
        INV,
        "cannot set `allowPrivilegeEscalation` to false",
        id="privilege-escalation",
    ),
    pytest.param(
        pod(securityContext={"seccompProfile": {"type": "Custom"}}),
        "spec.securityContext.seccompProfile.type",
        NS,
        None,
        id="seccomp",
    ),
    pytest.param(
        pod(activeDeadlineSeconds=0),
        "spec.activeDeadlineSeconds",
        INV,
        "between 1 and 2147483647",
        id="deadline",
    ),
    pytest.param(
        pod(tolerations=[{"operator": "Equal", "value": "x"}]),
        "spec.tolerations[0].operator",
        INV,
        "operator must be Exists when `key` is empty",
        id="toleration-key",
    ),
    pytest.param(
        pod(tolerations=[{"key": "k", "tolerationSeconds": 5, "effect": "NoSchedule"}]),
        "spec.tolerations[0].effect",
        INV,
        "effect must be 'NoExecute'",
        id="toleration-seconds",
    ),
    pytest.param(pod(nodeName="Node_1"), "spec.nodeName", INV, None, id="node-name"),
    pytest.param(pod(hostname="a.b"), "spec.hostname", INV, "must not contain dots", id="hostname"),
    pytest.param(
        pod(ephemeralContainers=[{"name": "debug", "image": "busybox"}]),
        "spec.ephemeralContainers",
        F,
        "cannot be set on create",
        id="ephemeral-on-create",
    ),
    pytest.param(
        pod(nodeName="n1", schedulingGates=[{"name": "g"}]),
        "spec.nodeName",
        F,
        "cannot be set until all schedulingGates have been cleared",
        id="gated-with-node",
    ),
    pytest.param(
        pod(hostNetwork=True, containers=[_container(ports=[{"containerPort": 80, "hostPort": 81}])]),
        "spec.containers[0].ports[0].hostPort",
        INV,
        "must match `containerPort`",
        id="host-network-ports",
    ),
    pytest.param(pod(dnsPolicy="None"), "spec.dnsConfig", R, "must provide `dnsConfig`", id="dns-none"),
    pytest.param(
        pod(containers=[_container(image=" nginx")]),
        "spec.containers[0].image",
        INV,
        "leading or trailing whitespace",
        id="image-whitespace",
    ),
    pytest.param(
        pod(volumes=[{"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}}]}}]),
        "spec.volumes[0].projected.sources[0].serviceAccountToken",
        F,
        "must not be specified when serviceAccountName is not set",
        id="token-without-account",
    ),
    pytest.param(
        pod(
            topologySpreadConstraints=[
                {"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule"}
            ]
        ),
        "spec.topologySpreadConstraints[0].maxSkew",
        INV,
        "must be greater than zero",
        id="max-skew",
    ),
    pytest.param(
        pod(
            affinity={
                "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}
            }
        ),
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
        R,
        None,
        id="node-selector-terms",
    ),
]


@pytest.mark.parametrize(("obj", "field", "kind", "detail"), INVALID)
def test_invalid_pods(obj: dict[str, Any], field: str, kind: ErrorType, detail: str | None) -> None:
    errs = errors(obj)
    assert has(errs, field, kind, detail), [str(e) for e in errs]


def test_error_wording() -> None:
    obj = pod(containers=[_container(resources={"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})])
    errs = errors(obj)
    assert [str(e) for e in errs] == [
        'spec.containers[0].resources.requests: Invalid value: "2": '
        "must be less than or equal to cpu limit of 1"
    ]


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        pytest.param("web-1", True, id="label"),
        pytest.param("web.example", True, id="subdomain"),
        pytest.param("Web", False, id="upper-case"),
        pytest.param("-web", False, id="leading-dash"),
    ],
)
def test_names_are_subdomains(name: str, ok: bool) -> None:
    obj = pod()
    obj["metadata"]["name"] = name
    errs = validate_object_meta(obj, namespaced=True, validate_name=S.validate_name)
    assert (errs == []) == ok


def test_warnings_on_create() -> None:
    obj = pod(containers=[_container(env=[{"name": "A", "value": "1"}, {"name": "A", "value": "2"}])])
    obj["metadata"]["name"] = "web.example"
    warnings = S.warnings_on_create(CTX, obj)
    assert warnings[0].startswith("metadata.name: this is used in the Pod's hostname")
    assert warnings[1] == (
        'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply'
    )


# update


def stored(**spec: Any) -> dict[str, Any]:
    obj = created(pod(**spec))
    obj["metadata"]["resourceVersion"] = "5"
    return obj


def update(old: dict[str, Any], change: Any, ctx: RequestContext = CTX) -> tuple[dict[str, Any], FieldErrors]:
    new = copy.deepcopy(old)
    change(new)
    S.default(new)
    S.prepare_for_update(ctx, new, old)
    return new, S.validate_update(ctx, new, old)


def test_updates_that_are_allowed() -> None:
    old = stored(activeDeadlineSeconds=100, tolerations=[{"key": "a", "operator": "Exists"}])

    def change(p: dict[str, Any]) -> None:
        p["spec"]["containers"][0]["image"] = "nginx:1.26"
        p["spec"]["activeDeadlineSeconds"] = 50
        p["spec"]["tolerations"].append({"key": "b", "operator": "Exists"})
        p["status"] = {"phase": "Running"}  # ignored: status comes from the stored object

    new, errs = update(old, change)
    assert errs == []
    assert new["status"] == old["status"]
    assert new["metadata"]["generation"] == 2


@pytest.mark.parametrize(
    ("change", "field", "kind", "detail"),
    [
        pytest.param(
            lambda p: p["spec"].update(restartPolicy="Never"),
            "spec",
            F,
            "pod updates may not change fields other than `spec.containers[*].image`,"
            "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions "
            "to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 "
            "if it was "
            "previously negative)\n",
            id="restart-policy",
        ),
        pytest.param(
            lambda p: p["spec"]["containers"].append({"name": "b", "image": "x"}),
            "spec.containers",
            F,
            "pod updates may not add or remove containers",
            id="add-container",
        ),
        pytest.param(
            lambda p: p["spec"]["containers"][0].update(image=""),
            "spec.containers[0].image",
            R,
            None,
            id="clear-image",
        ),
        pytest.param(
            lambda p: p["spec"].update(activeDeadlineSeconds=200),
            "spec.activeDeadlineSeconds",
            INV,
            "must be less than or equal to previous value",
            id="raise-deadline",
        ),
        pytest.param(
            lambda p: p["spec"].pop("activeDeadlineSeconds"),
            "spec.activeDeadlineSeconds",
            INV,
            "must not update from a positive integer to nil value",
            id="drop-deadline",
        ),
        pytest.param(
            lambda p: p["spec"].update(tolerations=[]),
            "spec.tolerations",
            F,
            "existing toleration can not be modified except its tolerationSeconds",
            id="drop-toleration",
        ),
        pytest.param(
            lambda p: p["spec"].update(nodeName="n1"), "spec", F, "pod updates may not change", id="node-name"
        ),
        pytest.param(
            lambda p: p["spec"].update(terminationGracePeriodSeconds=5),
            "spec",
            F,
            "pod updates may not change",
            id="grace",
        ),
    ],
)
def test_updates_that_are_refused(change: Any, field: str, kind: ErrorType, detail: str | None) -> None:
    old = stored(activeDeadlineSeconds=100, tolerations=[{"key": "a", "operator": "Exists"}])
    _, errs = update(old, change)
    assert has(errs, field, kind, detail), [str(e) for e in errs]


def test_grace_can_go_from_negative_to_one() -> None:
    old = stored(terminationGracePeriodSeconds=-1)
    _, errs = update(old, lambda p: p["spec"].update(terminationGracePeriodSeconds=1))
    assert errs == []


def test_scheduling_gates_may_only_shrink_and_selectors_only_grow() -> None:
    old = stored(schedulingGates=[{"name": "a"}, {"name": "b"}], nodeSelector={"zone": "a"})

    def ok(p: dict[str, Any]) -> None:
        p["spec"]["schedulingGates"] = [{"name": "a"}]
        p["spec"]["nodeSelector"]["disk"] = "ssd"

    assert update(old, ok)[1] == []
    _, errs = update(old, lambda p: p["spec"]["schedulingGates"].append({"name": "c"}))
    assert has(errs, "spec.schedulingGates[2].name", F, "only deletion is allowed")
    _, errs = update(old, lambda p: p["spec"].update(nodeSelector={"zone": "b"}))
    assert has(errs, "spec.nodeSelector", INV, "only additions to spec.nodeSelector are allowed")


def test_binding_may_set_the_node_once() -> None:
    old = stored()
    binding = RequestContext(namespace="default", subresource="binding", now=NOW)
    assert update(old, lambda p: p["spec"].update(nodeName="n1"), binding)[1] == []
    bound = stored(nodeName="n1")
    _, errs = update(bound, lambda p: p["spec"].update(nodeName="n2"), binding)
    assert has(errs, "spec", F, "pod updates may not change")


def test_ephemeral_containers_subresource() -> None:
    old = stored()
    ctx = RequestContext(namespace="default", subresource="ephemeralcontainers", now=NOW)

    def add(p: dict[str, Any]) -> None:
        p["spec"]["ephemeralContainers"] = [
            {"name": "debug", "image": "busybox", "targetContainerName": "app"}
        ]
        p["spec"]["containers"][0]["image"] = "ignored:2"  # only ephemeral containers change here
        p["metadata"]["labels"] = {"ignored": "yes"}

    new, errs = update(old, add, ctx)
    assert errs == []
    assert new["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert "labels" not in new["metadata"]
    assert new["spec"]["ephemeralContainers"][0]["terminationMessagePolicy"] == "File"
    assert new["metadata"]["generation"] == 2

    def bad(p: dict[str, Any]) -> None:
        p["spec"]["ephemeralContainers"] = [
            {
                "name": "app",
                "image": "busybox",
                "ports": [{"containerPort": 80}],
                "targetContainerName": "nope",
            }
        ]

    _, errs = update(old, bad, ctx)
    assert has(errs, "spec.ephemeralContainers[0].name", D)
    assert has(errs, "spec.ephemeralContainers[0].targetContainerName", NF)
    assert has(errs, "spec.ephemeralContainers[0].ports", F, "cannot be set for an Ephemeral Container")

    with_debug, _ = update(old, add, ctx)
    _, errs = update(with_debug, lambda p: p["spec"].pop("ephemeralContainers"), ctx)
    assert has(
        errs, "spec.ephemeralContainers", F, 'existing ephemeral containers "debug" may not be removed'
    )


def test_resize_subresource() -> None:
    res = {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}}
    old = stored(containers=[{"name": "app", "image": "nginx:1.25", "resources": res}])
    ctx = RequestContext(namespace="default", subresource="resize", now=NOW)

    def more_cpu(p: dict[str, Any]) -> None:
        p["spec"]["containers"][0]["resources"]["limits"]["cpu"] = "3"
        p["spec"]["containers"][0]["image"] = "ignored:2"

    new, errs = update(old, more_cpu, ctx)
    assert errs == []
    assert new["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert new["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "3"
    _, errs = update(
        old, lambda p: p["spec"]["containers"][0]["resources"]["limits"].update(memory="1Gi"), ctx
    )
    assert has(errs, "spec.containers[0].resources.limits[memory]", F, "memory limits cannot be decreased")
    _, errs = update(old, lambda p: p["spec"]["containers"][0]["resources"]["limits"].pop("cpu"), ctx)
    assert has(errs, "spec.containers[0].resources.limits", F, "resource limits cannot be removed")
    _, errs = update(
        old,
        lambda p: p["spec"]["containers"][0]["resources"]["limits"].update({"ephemeral-storage": "1Gi"}),
        ctx,
    )
    assert has(errs, "spec", F, "only cpu and memory resources are mutable")


# status


def test_status_updates() -> None:
    old = stored(nodeName="n1")
    ctx = RequestContext(namespace="default", subresource="status", now=NOW)
    new = copy.deepcopy(old)
    new["status"] = {"phase": "Running", "podIP": "10.0.0.5", "hostIP": "192.168.0.2"}
    new["spec"]["containers"][0]["image"] = "ignored"
    S.prepare_for_status_update(ctx, new, old)
    assert new["spec"] == old["spec"]
    assert new["status"]["podIPs"] == [{"ip": "10.0.0.5"}]
    assert new["status"]["hostIPs"] == [{"ip": "192.168.0.2"}]
    assert new["status"]["qosClass"] == "BestEffort"  # kept when a client drops it
    assert S.validate_status_update(ctx, new, old) == []
    bad = copy.deepcopy(new)
    bad["status"]["qosClass"] = "Guaranteed"
    bad["status"]["podIPs"] = [{"ip": "10.0.0.5"}, {"ip": "10.0.0.6"}]
    bad["status"]["conditions"] = [{"type": "bad type!", "status": "True"}]
    errs = S.validate_status_update(ctx, bad, old)
    assert has(errs, "status.qosClass", INV, "field is immutable")
    assert has(errs, "status.podIPs", INV, "may specify no more than one IP for each IP family")
    assert has(errs, "metadata.conditions[0].Type", INV)


def test_terminated_containers_stay_terminated_unless_always_restarted() -> None:
    old = stored(restartPolicy="Never", nodeName="n1")
    old["status"]["containerStatuses"] = [{"name": "app", "state": {"terminated": {"exitCode": 0}}}]
    new = copy.deepcopy(old)
    new["status"]["containerStatuses"] = [{"name": "app", "state": {"running": {}}}]
    errs = S.validate_status_update(CTX, new, old)
    assert has(
        errs, "status.containerStatuses[0].state", F, "may not be transitioned to non-terminated state"
    )


# deletion


@pytest.mark.parametrize(
    ("spec", "phase", "requested", "grace"),
    [
        pytest.param({}, "Pending", None, 0, id="unscheduled"),
        pytest.param({"nodeName": "n1"}, "Running", None, 30, id="default"),
        pytest.param({"nodeName": "n1", "terminationGracePeriodSeconds": 5}, "Running", None, 5, id="spec"),
        pytest.param({"nodeName": "n1"}, "Running", 10, 10, id="requested"),
        pytest.param({"nodeName": "n1"}, "Running", -3, 1, id="negative-becomes-one"),
        pytest.param({"nodeName": "n1"}, "Succeeded", None, 0, id="finished"),
    ],
)
def test_grace_periods(spec: dict[str, Any], phase: str, requested: int | None, grace: int) -> None:
    obj = created(pod(**spec))
    obj["status"]["phase"] = phase
    assert S.grace_period(obj, requested) == grace


# reading


def test_field_selectors() -> None:
    obj = created(pod(nodeName="n1", hostNetwork=True))
    obj["status"]["podIPs"] = [{"ip": "10.0.0.1"}]
    fields = S.selectable_fields(obj)
    assert fields["spec.nodeName"] == "n1"
    assert fields["spec.hostNetwork"] == "true"
    assert fields["status.podIP"] == "10.0.0.1"
    assert fields["status.phase"] == "Pending"
    assert fields["spec.restartPolicy"] == "Always"
    assert fields["spec.schedulerName"] == "default-scheduler"
    assert S.check_field_selector({"spec.nodeName", "status.phase", "metadata.namespace"}) is None
    assert S.check_field_selector({"spec.containers"}) == "spec.containers"


def test_table_columns() -> None:
    names = [(c["name"], c["priority"]) for c in S.table_columns()]
    assert names == [
        ("Name", 0),
        ("Ready", 0),
        ("Status", 0),
        ("Restarts", 0),
        ("Age", 0),
        ("IP", 1),
        ("Node", 1),
        ("Nominated Node", 1),
        ("Readiness Gates", 1),
    ]


def running(**status: Any) -> dict[str, Any]:
    obj = created(pod(nodeName="n1", readinessGates=[{"conditionType": "example.com/ok"}]))
    obj["status"].update(
        {
            "phase": "Running",
            "podIPs": [{"ip": "10.0.0.9"}],
            "conditions": [{"type": "Ready", "status": "True"}, {"type": "example.com/ok", "status": "True"}],
            "containerStatuses": [
                {
                    "name": "app",
                    "ready": True,
                    "restartCount": 0,
                    "state": {"running": {"startedAt": CREATED}},
                }
            ],
        }
    )
    obj["status"].update(status)
    return obj


@pytest.mark.parametrize(
    ("obj", "cells"),
    [
        pytest.param(
            created(pod()),
            ["web", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
            id="pending",
        ),
        pytest.param(
            running(), ["web", "1/1", "Running", "0", "5m", "10.0.0.9", "n1", "<none>", "1/1"], id="running"
        ),
        pytest.param(
            running(
                containerStatuses=[
                    {
                        "name": "app",
                        "ready": False,
                        "restartCount": 3,
                        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                        "lastState": {"terminated": {"exitCode": 1, "finishedAt": "2026-01-01T00:04:00Z"}},
                    }
                ]
            ),
            ["web", "0/1", "CrashLoopBackOff", "3 (60s ago)", "5m", "10.0.0.9", "n1", "<none>", "1/1"],
            id="crash-loop",
        ),
        pytest.param(
            running(
                phase="Succeeded",
                containerStatuses=[
                    {
                        "name": "app",
                        "ready": False,
                        "restartCount": 0,
                        "state": {"terminated": {"exitCode": 0, "reason": "Completed"}},
                    }
                ],
            ),
            ["web", "0/1", "Completed", "0", "5m", "10.0.0.9", "n1", "<none>", "1/1"],
            id="completed",
        ),
        pytest.param(
            running(
                containerStatuses=[
                    {
                        "name": "app",
                        "ready": False,
                        "restartCount": 0,
                        "state": {"terminated": {"exitCode": 137, "signal": 9}},
                    }
                ]
            ),
            ["web", "0/1", "Signal:9", "0", "5m", "10.0.0.9", "n1", "<none>", "1/1"],
            id="signal",
        ),
        pytest.param(
            created(pod(schedulingGates=[{"name": "g"}])),
            ["web", "0/1", "SchedulingGated", "0", "5m", "<none>", "<none>", "<none>", "<none>"],
            id="gated",
        ),
    ],
)
def test_table_rows(obj: dict[str, Any], cells: list[Any]) -> None:
    assert S.table_row(obj, NOW) == cells


def test_table_row_of_initializing_and_terminating_pods() -> None:
    obj = created(pod(initContainers=[{"name": "init", "image": "x"}]))
    obj["status"]["initContainerStatuses"] = [
        {"name": "init", "state": {"waiting": {"reason": "PodInitializing"}}}
    ]
    assert S.table_row(obj, NOW)[2] == "Init:0/1"
    obj["status"]["initContainerStatuses"] = [
        {"name": "init", "state": {"waiting": {"reason": "ErrImagePull"}}}
    ]
    assert S.table_row(obj, NOW)[2] == "Init:ErrImagePull"
    gone = running()
    gone["metadata"]["deletionTimestamp"] = CREATED
    assert S.table_row(gone, NOW)[2] == "Terminating"
