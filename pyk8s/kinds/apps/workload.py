"""Rules and cells shared by the kinds that run pods from a template: the workloads of apps,
batch's Job and CronJob, and the selectors of policy and autoscaling.

Everything here follows kube-apiserver's validation helpers (label selectors, int-or-percent
values, pod templates) and kubectl's server-side printers (container and
selector cells), with the same field paths and wording.
"""

from __future__ import annotations

import re
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, required
from pyk8s.api.meta import validate_annotations
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.api.validation import regex_error, validate_label_selector, validate_labels, validate_nonnegative
from pyk8s.kinds.core.pod import validate_pod_spec

Obj = dict[str, Any]

_PERCENT = re.compile(r"[0-9]+%")
_PERCENT_MESSAGE = regex_error(
    "a valid percent string must be a numeric string followed by an ending '%'", _PERCENT.pattern, "1%", "93%"
)


def section(obj: Any, *keys: str) -> dict[str, Any]:
    """`obj[k1][k2]...` as a dict, `{}` wherever a level is missing or not an object."""
    node = obj
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


# label selectors


class _Nothing:
    """The selector of a missing `LabelSelector`: it matches no labels at all."""

    empty = False

    def matches(self, labels: Any) -> bool:
        return False

    def __str__(self) -> str:
        return ""


NOTHING = _Nothing()


def as_selector(selector: Any) -> LabelSelector | _Nothing:
    """LabelSelectorAsSelector: a missing selector selects nothing, `{}` everything.

    Raises `SelectorError` for a selector that cannot be built.
    """
    if selector is None:
        return NOTHING
    if not isinstance(selector, dict):
        raise SelectorError("not a label selector")
    parsed = LabelSelector.from_object(selector)
    parsed.requirements.sort(key=lambda r: r.key)
    return parsed


def selector_text(selector: Any, *, invalid_text: str = "<error>", empty_text: str = "<none>") -> str:
    """A selector as `kubectl get -o wide` prints it (FormatLabelSelector)."""
    try:
        text = str(as_selector(selector))
    except SelectorError:
        return invalid_text
    return text or empty_text


def is_empty_selector(selector: Any) -> bool:
    return (
        isinstance(selector, dict)
        and not selector.get("matchLabels")
        and not selector.get("matchExpressions")
    )


def validate_workload_selector(
    spec: Obj,
    path: FieldPath,
    kind: str,
    *,
    require: bool = True,
    invalid_detail: str | None = "invalid label selector",
) -> FieldErrors:
    """The selector of a pod controller: required, valid, not empty, matching the template.

    `kind` is the word Kubernetes puts in "empty selector is invalid for <kind>";
    `invalid_detail` what it says of a selector it cannot build (None: nothing).
    """
    errs: FieldErrors = []
    selector = spec.get("selector")
    if selector is None:
        if require:
            errs.append(required(path.child("selector")))
    else:
        errs += validate_label_selector(selector, path.child("selector"))
        if is_empty_selector(selector):
            errs.append(invalid(path.child("selector"), selector, f"empty selector is invalid for {kind}"))
    try:
        parsed = as_selector(selector)
    except SelectorError:
        if invalid_detail is not None:
            errs.append(invalid(path.child("selector"), selector, invalid_detail))
        return errs
    labels = section(spec, "template", "metadata").get("labels") or {}
    if not parsed.empty and not parsed.matches(labels):
        errs.append(
            invalid(
                path.child("template", "metadata", "labels"),
                labels,
                "`selector` does not match template `labels`",
            )
        )
    return errs


# pod templates


def validate_pod_template(template: Any, path: FieldPath) -> FieldErrors:
    """ValidatePodTemplateSpec: template labels and annotations, then the pod spec."""
    template = template if isinstance(template, dict) else {}
    meta = section(template, "metadata")
    errs = validate_labels(meta.get("labels") or {}, path.child("labels"))
    errs += validate_annotations(meta.get("annotations") or {}, path.child("annotations"))
    spec = section(template, "spec")
    errs += validate_pod_spec(spec, path.child("spec"))
    if spec.get("ephemeralContainers"):
        errs.append(
            forbidden(
                path.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"
            )
        )
    return errs


def container_cells(template: Any) -> tuple[str, str]:
    """The Containers and Images cells of a pod template (layoutContainerCells)."""
    containers = section(template, "spec").get("containers") or []
    names = ",".join(str(c.get("name", "")) for c in containers if isinstance(c, dict))
    images = ",".join(str(c.get("image", "")) for c in containers if isinstance(c, dict))
    return names, images


# int-or-percent values (rolling update budgets, disruption budgets)


def is_percent(value: Any) -> bool:
    return isinstance(value, str) and _PERCENT.fullmatch(value) is not None


def int_or_percent_value(value: Any) -> int:
    """getIntOrPercentValue: the number of a percentage or an integer; 0 for anything else."""
    if is_percent(value):
        return int(value[:-1])
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return 0
    return 0


def validate_int_or_percent(value: Any, path: FieldPath) -> FieldErrors:
    """ValidatePositiveIntOrPercent: a percentage string or a non-negative integer."""
    if value is None:
        return []
    if isinstance(value, str):
        return [] if is_percent(value) else [invalid(path, value, _PERCENT_MESSAGE)]
    if isinstance(value, int) and not isinstance(value, bool):
        return validate_nonnegative(value, path)
    return [invalid(path, value, "must be an integer or percentage (e.g '5%')")]


def not_more_than_100_percent(value: Any, path: FieldPath) -> FieldErrors:
    """IsNotMoreThan100Percent: percentages above 100% are invalid."""
    if is_percent(value) and int(value[:-1]) > 100:
        return [invalid(path, value, "must not be greater than 100%")]
    return []


def int_or_string_text(value: Any) -> str:
    """intstr.IntOrString.String(): the integer or the string as written."""
    return str(value)
