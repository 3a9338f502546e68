"""Server-side apply and managed fields (structured-merge-diff, as kube-apiserver uses it).

fieldpath      FieldSet: sets of field paths; FieldsV1 encode/decode
typed          an object's field set, comparisons, removals, lookups, by schema;
               `validate` refuses what SMD cannot type in an applied configuration
merge          merging an applied configuration into the live object
managedfields  metadata.managedFields entries: decode, encode, cap, validate
apply          apply() and update(): the field manager the API server calls
errors         conflicts and the other errors, in Kubernetes' words
"""

from pyk8s.api.apply._types import Plan, plan_for
from pyk8s.api.apply._values import MISSING
from pyk8s.api.apply.apply import ApplyResult, UpdateResult, apply, update
from pyk8s.api.apply.errors import (
    ApplyConflictError,
    ApplyTypeError,
    Conflict,
    ManagedFieldsError,
    field_manager_required,
    invalid_object_type,
    managed_fields_not_nil,
)
from pyk8s.api.apply.fieldpath import FieldSet, FieldsV1Error, path_string
from pyk8s.api.apply.managedfields import (
    UNKNOWN_MANAGER,
    EntryKey,
    ManagedEntry,
    ManagedFields,
    ManagedFieldsDecodeError,
    is_reset,
    managed_for_update,
    manager_or_user_agent,
    prefix_from_user_agent,
    revert_timestamp_only_changes,
    validate_field_manager,
)
from pyk8s.api.apply.typed import Comparison, TypedError, compare, to_field_set, validate, value_at

__all__ = [
    "MISSING",
    "UNKNOWN_MANAGER",
    "ApplyConflictError",
    "ApplyResult",
    "ApplyTypeError",
    "Comparison",
    "Conflict",
    "EntryKey",
    "FieldSet",
    "FieldsV1Error",
    "ManagedEntry",
    "ManagedFields",
    "ManagedFieldsDecodeError",
    "ManagedFieldsError",
    "Plan",
    "TypedError",
    "UpdateResult",
    "apply",
    "compare",
    "field_manager_required",
    "invalid_object_type",
    "is_reset",
    "managed_fields_not_nil",
    "managed_for_update",
    "manager_or_user_agent",
    "path_string",
    "plan_for",
    "prefix_from_user_agent",
    "revert_timestamp_only_changes",
    "to_field_set",
    "update",
    "validate",
    "validate_field_manager",
    "value_at",
]
