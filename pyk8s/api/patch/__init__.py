"""The three PATCH formats of the Kubernetes API, as pure functions over JSON-shaped values.

    content type                              apply                         create
    application/json-patch+json              apply_json_patch              (clients write ops)
    application/merge-patch+json             apply_merge_patch             create_merge_patch
    application/strategic-merge-patch+json   apply_strategic_merge_patch   create_strategic_merge_patch

Each follows the Go library kube-apiserver uses (evanphx/json-patch v4 for the first two,
apimachinery's strategicpatch for the third), so a patch means here what it means against a
real cluster; the modules' docstrings list the finer points. Nothing is modified in place:
every function returns a new value (callers that own `doc` and will discard it may pass
`owned=True` to let it be modified in place, skipping a copy; a failure may leave it half
patched). Failures raise `PatchError` subclasses whose `code` is
the HTTP status kube-apiserver answers them with; `to_status_error` builds that Status
(`errors` explains the mapping). Server-side apply (`application/apply-patch+yaml`) is not a
patch format in this sense and lives elsewhere.
"""

from pyk8s.api.patch._values import go_fmt, json_copy, json_equal
from pyk8s.api.patch.errors import (
    GENERIC_INVALID_MESSAGE,
    MalformedPatchError,
    PatchConflictError,
    PatchError,
    to_status_error,
)
from pyk8s.api.patch.json_patch import MAX_OPERATIONS, apply_json_patch
from pyk8s.api.patch.merge_patch import apply_merge_patch, create_merge_patch
from pyk8s.api.patch.strategic import apply_strategic_merge_patch, create_strategic_merge_patch

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"

__all__ = [
    "GENERIC_INVALID_MESSAGE",
    "JSON_PATCH",
    "MAX_OPERATIONS",
    "MERGE_PATCH",
    "STRATEGIC_MERGE_PATCH",
    "MalformedPatchError",
    "PatchConflictError",
    "PatchError",
    "apply_json_patch",
    "apply_merge_patch",
    "apply_strategic_merge_patch",
    "create_merge_patch",
    "create_strategic_merge_patch",
    "go_fmt",
    "json_copy",
    "json_equal",
    "to_status_error",
]
