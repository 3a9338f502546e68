"""Job: defaults, the generated selector and labels, validation, immutability, rows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.batch.job import RESOURCE, JobStrategy

CTX = RequestContext(namespace="default")
S = JobStrategy()
CREATED = "2026-01-01T00:00:00Z"
NOW = parse_time(CREATED) + 90
UID = "0b7e4f7c-1111-2222-3333-444455556666"

R, INV, NS, F, TM = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.NOT_SUPPORTED,
    ErrorType.FORBIDDEN,
    ErrorType.TOO_MANY,
)
Mutation = Callable[[dict[str, Any]], None]
GENERATED = {
    "batch.kubernetes.io/controller-uid": UID,
    "batch.kubernetes.io/job-name": "pi",
    "controller-uid": UID,
    "job-name": "pi",
}


def job(**spec: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "pi", "namespace": "default", "uid": UID, "creationTimestamp": CREATED},
        "spec": {
            "template": {
                "spec": {
                    "restartPolicy": "Never",
                    "containers": [{"name": "pi", "image": "perl:5.34", "command": ["perl", "-e", "1"]}],
                }
            }
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
    assert (RESOURCE.group, RESOURCE.version, RESOURCE.plural) == ("batch", "v1", "jobs")
    assert RESOURCE.short_names == () and RESOURCE.categories == ("all",)
    assert [s.name for s in RESOURCE.subresources] == ["status"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(
            {},
            {
                "completions": 1,
                "parallelism": 1,
                "backoffLimit": 6,
                "completionMode": "NonIndexed",
                "suspend": False,
                "podReplacementPolicy": "TerminatingOrFailed",
                "manualSelector": False,
            },
            id="non-parallel",
        ),
        pytest.param({"parallelism": 3}, {"parallelism": 3, "completions": None}, id="work-queue"),
        pytest.param({"completions": 5}, {"completions": 5, "parallelism": 1}, id="fixed-completions"),
        pytest.param(
            {"completionMode": "Indexed", "completions": 4, "backoffLimitPerIndex": 1},
            {"backoffLimit": 2**31 - 1},
            id="per-index-backoff",
        ),
        pytest.param(
            {
                "podFailurePolicy": {
                    "rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]
                }
            },
            {
                "podReplacementPolicy": "Failed",
                "podFailurePolicy": {
                    "rules": [
                        {
                            "action": "Ignore",
                            "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}],
                        }
                    ]
                },
            },
            id="failure-policy",
        ),
        pytest.param(
            {"suspend": True, "manualSelector": True}, {"suspend": True, "manualSelector": True}, id="kept"
        ),
    ],
)
def test_defaults(spec: dict[str, Any], expected: dict[str, Any]) -> None:
    obj = job(**spec)
    S.default(obj)
    for key, value in expected.items():
        assert obj["spec"].get(key) == value, key
    assert obj["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] == 30


def test_create_generates_selector_and_labels() -> None:
    obj = created(job())
    assert obj["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": UID}}
    assert obj["spec"]["template"]["metadata"]["labels"] == GENERATED
    assert obj["metadata"]["labels"] == GENERATED  # a Job without labels shows its template's
    assert obj["status"] == {} and obj["metadata"]["generation"] == 1
    assert S.validate(CTX, obj) == []


def test_job_labels_come_from_the_template_given() -> None:
    obj = job()
    obj["spec"]["template"]["metadata"] = {"labels": {"app": "pi"}}
    created(obj)
    assert obj["metadata"]["labels"] == {"app": "pi"}
    assert obj["spec"]["template"]["metadata"]["labels"] == {"app": "pi", **GENERATED}


def test_manual_selector() -> None:
    obj = job(manualSelector=True, selector={"matchLabels": {"app": "pi"}})
    obj["spec"]["template"]["metadata"] = {"labels": {"app": "pi"}}
    created(obj)
    assert obj["spec"]["selector"] == {"matchLabels": {"app": "pi"}}
    assert obj["spec"]["template"]["metadata"]["labels"] == {"app": "pi"}
    assert S.validate(CTX, obj) == []


def test_conflicting_generated_labels_are_reported() -> None:
    obj = job()
    obj["spec"]["template"]["metadata"] = {"labels": {"job-name": "other"}}
    errs = S.validate(CTX, created(obj))
    assert problems(errs) == [(INV, "spec.template.metadata.labels[job-name]")]
    assert errs[0].detail == "must be 'pi'"


def test_a_foreign_selector_is_not_auto_generated() -> None:
    obj = job(selector={"matchLabels": {"batch.kubernetes.io/controller-uid": "someone-else"}})
    errs = S.validate(CTX, created(obj))
    assert problems(errs) == [(INV, "spec.selector"), (INV, "spec.template.metadata.labels")]
    assert errs[0].detail == "`selector` not auto-generated"


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param({"restartPolicy": "OnFailure"}, id="on-failure"),
        pytest.param({}, id="never"),
    ],
)
def test_valid_restart_policies(spec: dict[str, Any]) -> None:
    obj = job()
    obj["spec"]["template"]["spec"].update(spec)
    assert S.validate(CTX, created(obj)) == []


def _restart(policy: str | None) -> Mutation:
    def mutate(o: dict[str, Any]) -> None:
        if policy is None:
            o["spec"]["template"]["spec"].pop("restartPolicy")
        else:
            o["spec"]["template"]["spec"]["restartPolicy"] = policy

    return mutate


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            _restart(None), [(R, "spec.template.spec.restartPolicy")], id="restart-defaults-to-always"
        ),
        pytest.param(_restart("Always"), [(R, "spec.template.spec.restartPolicy")], id="restart-always"),
        pytest.param(
            lambda o: o["spec"].update(parallelism=-1, completions=-1, activeDeadlineSeconds=-1),
            [(INV, "spec.parallelism"), (INV, "spec.completions"), (INV, "spec.activeDeadlineSeconds")],
            id="negative-counts",
        ),
        pytest.param(
            lambda o: o["spec"].update(backoffLimit=-1, ttlSecondsAfterFinished=-1),
            [(INV, "spec.backoffLimit"), (INV, "spec.ttlSecondsAfterFinished")],
            id="negative-limits",
        ),
        pytest.param(
            lambda o: o["spec"].update(completionMode="Sometimes"),
            [(NS, "spec.completionMode")],
            id="completion-mode",
        ),
        pytest.param(
            lambda o: o["spec"].update(completionMode="Indexed", parallelism=2),
            [(R, "spec.completions")],
            id="indexed-needs-completions",
        ),
        pytest.param(
            lambda o: o["spec"].update(completionMode="Indexed", completions=2, parallelism=100_001),
            [(INV, "spec.parallelism")],
            id="indexed-parallelism-limit",
        ),
        pytest.param(
            lambda o: o["spec"].update(backoffLimitPerIndex=1),
            [(F, "spec.backoffLimitPerIndex")],
            id="per-index-needs-indexed",
        ),
        pytest.param(
            lambda o: o["spec"].update(completionMode="Indexed", completions=3, maxFailedIndexes=1),
            [(R, "spec.backoffLimitPerIndex")],
            id="max-failed-needs-per-index",
        ),
        pytest.param(
            lambda o: o["spec"].update(podReplacementPolicy="Sometimes"),
            [(NS, "spec.podReplacementPolicy")],
            id="replacement-policy",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                podReplacementPolicy="TerminatingOrFailed",
                podFailurePolicy={
                    "rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1]}}]
                },
            ),
            [(NS, "spec.podReplacementPolicy")],
            id="replacement-policy-with-failure-policy",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                podFailurePolicy={
                    "rules": [{"action": "Explode", "onExitCodes": {"operator": "In", "values": [1]}}]
                }
            ),
            [(NS, "spec.podFailurePolicy.rules[0].action")],
            id="failure-action",
        ),
        pytest.param(
            lambda o: o["spec"].update(podFailurePolicy={"rules": [{"action": "Ignore"}]}),
            [(INV, "spec.podFailurePolicy.rules[0]")],
            id="failure-rule-without-condition",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                podFailurePolicy={
                    "rules": [{"action": "Count", "onExitCodes": {"operator": "In", "values": [0, 3]}}]
                }
            ),
            [(INV, "spec.podFailurePolicy.rules[0].onExitCodes.values[0]")],
            id="exit-code-zero",
        ),
        pytest.param(
            lambda o: o["spec"].update(
                podFailurePolicy={
                    "rules": [{"action": "Count", "onExitCodes": {"operator": "In", "values": [1]}}] * 21
                }
            ),
            [(TM, "spec.podFailurePolicy.rules")],
            id="too-many-rules",
        ),
        pytest.param(
            lambda o: (
                o["spec"].update(
                    podFailurePolicy={
                        "rules": [{"action": "Count", "onExitCodes": {"operator": "In", "values": [1]}}]
                    }
                )
                or o["spec"]["template"]["spec"].update(restartPolicy="OnFailure")
            ),
            [(INV, "spec.template.spec.restartPolicy")],
            id="failure-policy-needs-never",
        ),
        pytest.param(
            lambda o: o["spec"].update(successPolicy={"rules": [{"succeededCount": 1}]}),
            [(INV, "spec.successPolicy")],
            id="success-policy-needs-indexed",
        ),
        pytest.param(
            lambda o: o["spec"]["template"]["spec"].update(containers=[]),
            [(R, "spec.template.spec.containers")],
            id="no-containers",
        ),
    ],
)
def test_invalid(mutate: Mutation, expected: list[tuple[ErrorType, str]]) -> None:
    obj = job()
    mutate(obj)
    assert problems(S.validate(CTX, created(obj))) == expected


def test_restart_policy_wording() -> None:
    obj = job()
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    (err,) = S.validate(CTX, created(obj))
    assert str(err) == 'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'


def updated(old: dict[str, Any], change: Mutation) -> dict[str, Any]:
    new = copy.deepcopy(old)
    change(new)
    S.default(new)
    S.prepare_for_update(CTX, new, old)
    return new


def _image(o: dict[str, Any]) -> None:
    o["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:5.36"


def _node_selector(o: dict[str, Any]) -> None:
    o["spec"]["template"]["spec"]["nodeSelector"] = {"zone": "b"}


@pytest.mark.parametrize(
    ("suspend", "change", "expected"),
    [
        pytest.param(False, lambda o: o["spec"].update(parallelism=4), [], id="parallelism"),
        pytest.param(
            False, lambda o: o["spec"].update(suspend=True, activeDeadlineSeconds=60), [], id="suspend"
        ),
        pytest.param(
            False, lambda o: o["spec"].update(completions=2), [(INV, "spec.completions")], id="completions"
        ),
        pytest.param(False, _image, [(INV, "spec.template")], id="template"),
        pytest.param(False, _node_selector, [(INV, "spec.template")], id="scheduling-of-running-job"),
        pytest.param(True, _node_selector, [], id="scheduling-of-suspended-job"),
        pytest.param(True, _image, [(INV, "spec.template")], id="image-of-suspended-job"),
        pytest.param(
            False,
            lambda o: o["spec"].update(selector={"matchLabels": dict(GENERATED)}),
            [(INV, "spec.selector")],
            id="selector",
        ),
        pytest.param(
            False,
            lambda o: o["spec"].update(completionMode="Indexed"),
            [(INV, "spec.completionMode")],
            id="mode",
        ),
    ],
)
def test_update(suspend: bool, change: Mutation, expected: list[tuple[ErrorType, str]]) -> None:
    old = created(job(suspend=suspend))
    new = updated(old, change)
    errs = S.validate_update(CTX, new, old)
    assert problems(errs) == expected
    assert all(e.detail == "field is immutable" for e in errs)


def test_indexed_jobs_scale_completions_with_parallelism() -> None:
    old = created(job(completionMode="Indexed", completions=3, parallelism=3))

    def both(o: dict[str, Any]) -> None:
        o["spec"].update(completions=5, parallelism=5)

    assert S.validate_update(CTX, updated(old, both), old) == []
    errs = S.validate_update(CTX, updated(old, lambda o: o["spec"].update(completions=5)), old)
    assert problems(errs) == [(INV, "spec.completions")]
    assert errs[0].detail == "can only be modified in tandem with spec.parallelism"


def test_generation_and_status_on_update() -> None:
    old = created(job())
    old["status"] = {"active": 1}
    new = updated(old, lambda o: o["spec"].update(parallelism=2))
    assert new["metadata"]["generation"] == 2 and new["status"] == {"active": 1}
    same = updated(old, lambda o: o.update(status={}))
    assert same["metadata"]["generation"] == 1 and same == old


def test_field_selector() -> None:
    obj = created(job())
    obj["status"] = {"succeeded": 1}
    assert S.selectable_fields(obj)["status.successful"] == "1"


@pytest.mark.parametrize(
    ("spec", "status", "meta", "cells"),
    [
        pytest.param({}, {}, {}, ["Running", "0/1", ""], id="new"),
        pytest.param(
            {},
            {"startTime": "2026-01-01T00:00:10Z", "active": 1},
            {},
            ["Running", "0/1", "80s"],
            id="running",
        ),
        pytest.param(
            {},
            {
                "startTime": "2026-01-01T00:00:00Z",
                "completionTime": "2026-01-01T00:00:30Z",
                "succeeded": 1,
                "conditions": [{"type": "Complete", "status": "True"}],
            },
            {},
            ["Complete", "1/1", "30s"],
            id="complete",
        ),
        pytest.param(
            {"completions": None, "parallelism": 4},
            {"conditions": [{"type": "Failed", "status": "True"}], "succeeded": 2},
            {},
            ["Failed", "2/1 of 4", ""],
            id="failed-work-queue",
        ),
        pytest.param({}, {}, {"deletionTimestamp": CREATED}, ["Terminating", "0/1", ""], id="terminating"),
        pytest.param(
            {"completions": 3},
            {"conditions": [{"type": "Suspended", "status": "True"}]},
            {},
            ["Suspended", "0/3", ""],
            id="suspended",
        ),
        pytest.param(
            {},
            {
                "conditions": [
                    {"type": "FailureTarget", "status": "True"},
                    {"type": "Complete", "status": "False"},
                ]
            },
            {},
            ["FailureTarget", "0/1", ""],
            id="failure-target",
        ),
    ],
)
def test_table_row(
    spec: dict[str, Any], status: dict[str, Any], meta: dict[str, Any], cells: list[Any]
) -> None:
    obj = created(job())
    for key, value in spec.items():
        if value is None:
            obj["spec"].pop(key, None)
        else:
            obj["spec"][key] = value
    obj["status"] = status
    obj["metadata"].update(meta)
    row = S.table_row(obj, NOW)
    assert row == ["pi", *cells, "90s", "pi", "perl:5.34", f"batch.kubernetes.io/controller-uid={UID}"]
    assert S.cacheable_cells is False
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Status",
        "Completions",
        "Duration",
        "Age",
        "Containers",
        "Images",
        "Selector",
    ]
