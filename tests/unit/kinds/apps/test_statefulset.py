"""StatefulSet: defaults, claim templates, validation, the fields an update may change, rows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.apps.statefulset import RESOURCE, StatefulSetStrategy

CTX = RequestContext(namespace="default")
S = StatefulSetStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 45

R, INV, NS, F = ErrorType.REQUIRED, ErrorType.INVALID, ErrorType.NOT_SUPPORTED, ErrorType.FORBIDDEN
Mutation = Callable[[dict[str, Any]], None]


def claim(**spec: Any) -> dict[str, Any]:
    body = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    body.update(spec)
    return {"metadata": {"name": "data"}, "spec": body}


def statefulset(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "default", "uid": "u1", "creationTimestamp": CREATED},
        "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {"containers": [{"name": "pg", "image": "postgres:16"}]},
            },
        },
    }
    obj["spec"].update(spec)
    return obj


def created(obj: dict[str, Any]) -> dict[str, Any]:
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.short_names, RESOURCE.categories) == (
        "statefulsets",
        ("sts",),
        ("all",),
    )
    assert [s.name for s in RESOURCE.subresources] == ["scale", "status"]


def test_defaults() -> None:
    obj = statefulset(volumeClaimTemplates=[claim()])
    S.default(obj)
    spec = obj["spec"]
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    assert (spec["replicas"], spec["revisionHistoryLimit"]) == (1, 10)
    template = spec["volumeClaimTemplates"][0]
    assert (template["apiVersion"], template["kind"]) == ("v1", "PersistentVolumeClaim")
    assert template["spec"]["volumeMode"] == "Filesystem" and template["status"] == {"phase": "Pending"}


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        pytest.param({"type": "OnDelete"}, {"type": "OnDelete"}, id="on-delete-has-no-rolling-update"),
        pytest.param(
            {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}},
            {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2, "partition": 0}},
            id="partition",
        ),
        pytest.param({"type": "RollingUpdate"}, {"type": "RollingUpdate"}, id="explicit-type-alone"),
    ],
)
def test_update_strategy_defaults(strategy: dict[str, Any], expected: dict[str, Any]) -> None:
    obj = statefulset(updateStrategy=strategy)
    S.default(obj)
    assert obj["spec"]["updateStrategy"] == expected


def test_create() -> None:
    obj = created(statefulset())
    assert obj["status"] == {"replicas": 0, "availableReplicas": 0} and obj["metadata"]["generation"] == 1


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({}, id="minimal"),
        pytest.param({"serviceName": ""}, id="no-service"),
        pytest.param(
            {"podManagementPolicy": "Parallel", "updateStrategy": {"type": "OnDelete"}}, id="parallel"
        ),
        pytest.param({"volumeClaimTemplates": [claim(volumeMode="Block")]}, id="claims"),
        pytest.param({"ordinals": {"start": 3}, "minReadySeconds": 2}, id="ordinals"),
        pytest.param(
            {
                "updateStrategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"partition": 1, "maxUnavailable": "50%"},
                }
            },
            id="max-unavailable",
        ),
    ],
)
def test_valid(spec: dict[str, Any]) -> None:
    assert S.validate(CTX, created(statefulset(**spec))) == []


def test_volume_mounts_may_name_claim_templates() -> None:
    obj = statefulset(volumeClaimTemplates=[claim()])
    container = obj["spec"]["template"]["spec"]["containers"][0]
    container["volumeMounts"] = [{"name": "data", "mountPath": "/var/lib/postgresql"}]
    assert S.validate(CTX, created(obj)) == []
    assert "volumes" not in obj["spec"]["template"]["spec"]  # validation does not add them
    container["volumeMounts"].append({"name": "other", "mountPath": "/other"})
    assert problems(S.validate(CTX, created(obj))) == [
        (ErrorType.NOT_FOUND, "spec.template.spec.containers[0].volumeMounts[1].name")
    ]


def test_names_are_dns_labels() -> None:
    assert S.validate_name("db-0") == []
    assert S.validate_name("db.example") != []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            lambda o: o["spec"].update(podManagementPolicy="Whenever"),
            [(INV, "spec.podManagementPolicy")],
            id="pod-management-policy",
        ),
        pytest.param(
            lambda o: o["spec"].update(updateStrategy={"type": "Sometimes"}),
            [(INV, "spec.updateStrategy")],
            id="update-strategy-type",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                updateStrategy={"type": "OnDelete", "rollingUpdate": {"partition": 1}}
            ),
            [(INV, "spec.updateStrategy.rollingUpdate")],
            id="on-delete-with-rolling-update",
        ),
        pytest.param(
            lambda o: o["spec"].update(updateStrategy={"rollingUpdate": {"partition": -1}}),
            [(INV, "spec.updateStrategy.rollingUpdate.partition")],
            id="negative-partition",
        ),
        pytest.param(
            lambda o: o["spec"].update(updateStrategy={"rollingUpdate": {"maxUnavailable": 0}}),
            [(INV, "spec.updateStrategy.rollingUpdate.maxUnavailable")],
            id="max-unavailable-zero",
        ),
        pytest.param(
            lambda o: o["spec"].update(persistentVolumeClaimRetentionPolicy={"whenDeleted": "Shred"}),
            [(NS, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted")],
            id="retention-policy",
        ),
        pytest.param(
            lambda o: o["spec"].update(serviceName="DB_Service"),
            [(INV, "spec.serviceName")],
            id="service-name",
        ),
        pytest.param(
            lambda o: o["spec"].update(volumeClaimTemplates=[claim(accessModes=[])]),
            [(R, "spec.volumeClaimTemplates[0].spec.accessModes")],
            id="claim-access-modes",
        ),
        pytest.param(
            lambda o: o["spec"].update(volumeClaimTemplates=[claim(accessModes=["ReadMostly"])]),
            [(NS, "spec.volumeClaimTemplates[0].spec.accessModes")],
            id="claim-access-mode-unknown",
        ),
        pytest.param(
            lambda o: o["spec"].update(volumeClaimTemplates=[claim(resources={})]),
            [(R, "spec.volumeClaimTemplates[0].spec.resources[storage]")],
            id="claim-storage-required",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                volumeClaimTemplates=[claim(resources={"requests": {"storage": "0"}})]
            ),
            [(INV, "spec.volumeClaimTemplates[0].spec.resources[storage]")],
            id="claim-storage-zero",
        ),
        pytest.param(
            lambda o: o["spec"].update(volumeClaimTemplates=[claim(volumeMode="Tape")]),
            [(NS, "spec.volumeClaimTemplates[0].spec.volumeMode")],
            id="claim-volume-mode",
        ),
        pytest.param(
            lambda o: o["spec"].update(replicas=-1, minReadySeconds=-1, ordinals={"start": -1}),
            [(INV, "spec.replicas"), (INV, "spec.minReadySeconds"), (INV, "spec.ordinals.start")],
            id="negative-numbers",
        ),
        pytest.param(lambda o: o["spec"].update(selector={}), [(INV, "spec.selector")], id="empty-selector"),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"].update(restartPolicy="Never"),
            [(NS, "spec.template.spec.restartPolicy")],
            id="restart-policy",
        ),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"].update(activeDeadlineSeconds=1),
            [(F, "spec.template.spec.activeDeadlineSeconds")],
            id="active-deadline",
        ),
    ],
)
def test_invalid(mutate: Mutation, expected: list[tuple[ErrorType, str]]) -> None:
    obj = statefulset()
    mutate(obj)
    assert problems(S.validate(CTX, created(obj))) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(lambda s: s.update(replicas=5), [], id="replicas"),
        pytest.param(
            lambda s: s["template"]["spec"]["containers"][0].update(image="postgres:17"), [], id="template"
        ),
        pytest.param(lambda s: s.update(updateStrategy={"type": "OnDelete"}), [], id="strategy"),
        pytest.param(
            lambda s: s.update(revisionHistoryLimit=3, minReadySeconds=3), [], id="history-and-ready"
        ),
        pytest.param(
            lambda s: s.update(
                persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete", "whenScaled": "Retain"}
            ),
            [],
            id="retention",
        ),
        pytest.param(lambda s: s.update(serviceName="other"), [(F, "spec")], id="service-name"),
        pytest.param(lambda s: s.update(podManagementPolicy="Parallel"), [(F, "spec")], id="pod-management"),
        pytest.param(lambda s: s.update(volumeClaimTemplates=[claim()]), [(F, "spec")], id="claims"),
    ],
)
def test_update(change: Callable[[dict[str, Any]], None], expected: list[tuple[ErrorType, str]]) -> None:
    old = created(statefulset())
    new = copy.deepcopy(old)
    change(new["spec"])
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    errs = S.validate_update(CTX, new, old)
    assert problems(errs) == expected
    if expected:
        assert errs[0].detail == (
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
            "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
            "'minReadySeconds' are forbidden"
        )
    assert new["metadata"]["generation"] == 2


def test_update_does_not_recheck_old_service_names() -> None:
    old = created(statefulset(serviceName="Legacy.Name"))
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 2
    assert S.validate_update(CTX, new, old) == []


def test_status_update_rules() -> None:
    old = created(statefulset())
    new = copy.deepcopy(old)
    new["status"] = {"replicas": 1, "readyReplicas": 1, "availableReplicas": 2, "updatedReplicas": 1}
    assert problems(S.validate_status_update(CTX, new, old)) == [
        (INV, "status.availableReplicas"),
        (INV, "status.availableReplicas"),
    ]


def test_table_row() -> None:
    obj = created(statefulset(replicas=3))
    obj["status"] = {"replicas": 3, "readyReplicas": 1}
    assert S.table_row(obj, NOW) == ["db", "1/3", "45s", "pg", "postgres:16"]
    assert [(c["name"], c["priority"]) for c in S.table_columns()] == [
        ("Name", 0),
        ("Ready", 0),
        ("Age", 0),
        ("Containers", 1),
        ("Images", 1),
    ]
