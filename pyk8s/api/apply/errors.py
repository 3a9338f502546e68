"""The errors of server-side apply, worded as kube-apiserver words them.

    ApplyConflictError      409 Conflict: fields another manager owns with another value
                            (apimachinery `managedfields/internal/conflict.go`)
    ApplyTypeError          500: an applied object SMD cannot type (duplicate list keys,
                            items without keys, unknown fields)
    ManagedFieldsError      500: the live object's managedFields cannot be decoded
    field_manager_required  422 on PatchOptions: an apply request without fieldManager
    managed_fields_not_nil  400: an applied object that carries metadata.managedFields

Conflict messages name the manager as Kubernetes prints it: `"kubectl"` for an applier,
`"kube-controller-manager" using apps/v1` for an updater, with `with subresource "status"`
when the entry belongs to a subresource.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyk8s.api import errors as api_errors
from pyk8s.api import fields
from pyk8s.api.apply._values import go_quote
from pyk8s.api.apply.fieldpath import Path, path_string

if TYPE_CHECKING:
    from pyk8s.api.apply.managedfields import EntryKey

FIELD_MANAGER_CONFLICT = "FieldManagerConflict"  # the reason of each conflict cause
MANAGED_FIELDS_MUST_BE_NIL = "metadata.managedFields must be nil"
# ValidatePatchOptions: `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: ...`
FIELD_MANAGER_REQUIRED_DETAIL = "is required for apply patch"


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field the applier sets to another value than its current manager."""

    manager: EntryKey
    path: Path

    @property
    def field(self) -> str:
        return path_string(self.path)

    def __str__(self) -> str:
        return f"conflict with {print_manager(self.manager)}: {self.field}"


def print_manager(key: EntryKey) -> str:
    """A manager as conflict messages show it (apimachinery `printManager`)."""
    text = go_quote(key.manager)
    if key.subresource:
        text += f" with subresource {go_quote(key.subresource)}"
    if key.operation == "Update":
        text += f" using {key.api_version}"
    return text


def conflict_message(conflicts: Sequence[Conflict]) -> str:
    """The Status message: one conflict inline, several grouped by manager."""
    if len(conflicts) == 1:
        return f"Apply failed with 1 conflict: {conflicts[0]}"
    by_manager: dict[EntryKey, list[Conflict]] = {}
    for conflict in conflicts:
        by_manager.setdefault(conflict.manager, []).append(conflict)
    lines: list[str] = []
    # Kubernetes sorts by the manager's identifier: its JSON form.
    for key in sorted(by_manager, key=lambda k: k.identifier()):
        lines.append(f"conflicts with {print_manager(key)}:")
        lines.extend(f"- {conflict.field}" for conflict in by_manager[key])
    return f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)


class ApplyConflictError(api_errors.ConflictError):
    """409: the apply would change fields other managers own (retry with force to take them)."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = list(conflicts)
        causes = [
            {
                "reason": FIELD_MANAGER_CONFLICT,
                "message": f"conflict with {print_manager(c.manager)}",
                "field": c.field,
            }
            for c in self.conflicts
        ]
        super().__init__(conflict_message(self.conflicts), details={"causes": causes})


class _UnknownError(api_errors.StatusError):
    """A plain Go error turned into a Status: code 500 and no reason."""

    code, reason = 500, ""


class ApplyTypeError(_UnknownError):
    """500: SMD could not type the applied object."""

    def __init__(self, obj: dict[str, Any], problem: str) -> None:
        self.problem = problem
        super().__init__(f"failed to create typed patch object ({object_gvknn(obj)}): {problem}")


class ManagedFieldsError(_UnknownError):
    """500: the live object's managedFields are unreadable, so apply cannot proceed."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(f"failed to decode managed fields: {problem}")


def object_gvknn(obj: dict[str, Any]) -> str:
    """`namespace/name; group/version, Kind=Kind`, as the field manager names an object."""
    meta = obj.get("metadata") or {}
    api_version = str(obj.get("apiVersion") or "")
    group, _, version = api_version.rpartition("/")
    return (
        f"{meta.get('namespace', '')}/{meta.get('name', '')}; {group}/{version}, Kind={obj.get('kind', '')}"
    )


def managed_fields_not_nil() -> api_errors.BadRequestError:
    return api_errors.BadRequestError(MANAGED_FIELDS_MUST_BE_NIL)


def field_manager_required() -> api_errors.InvalidError:
    """422 for an apply PATCH without `fieldManager` (ValidatePatchOptions)."""
    return api_errors.invalid(
        "PatchOptions",
        "",
        [fields.required("fieldManager", FIELD_MANAGER_REQUIRED_DETAIL)],
        group="meta.k8s.io",
    )


def invalid_object_type(obj: dict[str, Any]) -> api_errors.BadRequestError:
    """400 when the applied object's apiVersion/kind is not the endpoint's."""
    api_version = str(obj.get("apiVersion") or "")
    group, _, version = api_version.rpartition("/")
    return api_errors.BadRequestError(f"invalid object type: {group}/{version}, Kind={obj.get('kind', '')}")
