"""Rollout history bookkeeping: the annotations a Deployment writes on its ReplicaSets.

Every ReplicaSet a Deployment has run carries `deployment.kubernetes.io/revision`; the new one
always holds the highest number. Rolling back to an old template re-uses its ReplicaSet and
moves it to the next revision, remembering the numbers it held before in
`revision-history` (bounded to 2,000 characters). The Deployment mirrors its new ReplicaSet's
revision. `desired-replicas` and `max-replicas` record the Deployment's size (and size plus
surge) when the ReplicaSet was last scaled, so a later resize can be told apart from a
rollout and spread proportionally. The Deployment's other annotations are copied onto the new
ReplicaSet, which is how `kubectl rollout history` shows each revision's change-cause.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from pyk8s.controllers.deployment.fenceposts import max_surge, spec_replicas

log = logging.getLogger("pyk8s.controllers.deployment")

Obj = dict[str, Any]

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ROLLBACK_TO = "deprecated.deployment.rollback.to"  # extensions/v1beta1 rollbackTo, kept as an annotation

# Annotations that describe one object, never copied between a Deployment and its ReplicaSets.
ANNOTATIONS_TO_SKIP = frozenset(
    {LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO}
)

MAX_REVISION_HISTORY_CHARS = 2000


def annotations(obj: Obj) -> dict[str, str]:
    """The object's annotations (a live reference; created when missing)."""
    meta = obj.setdefault("metadata", {})
    found = meta.get("annotations")
    if not isinstance(found, dict):
        found = meta["annotations"] = {}
    return found


def _annotations_of(obj: Obj | None) -> dict[str, str]:
    if obj is None:
        return {}
    return (obj.get("metadata") or {}).get("annotations") or {}


def revision(obj: Obj | None) -> int:
    """The object's revision; 0 when it has none. Raises ValueError when it is not a number."""
    text = _annotations_of(obj).get(REVISION)
    return 0 if text is None else int(text)


def _revisions(objs: Iterable[Obj | None]) -> list[int]:
    found = []
    for obj in objs:
        try:
            found.append(revision(obj))
        except ValueError:
            log.debug("skipping a ReplicaSet whose revision is not a number")
    return found


def max_revision(replica_sets: Iterable[Obj | None]) -> int:
    """The highest revision among `replica_sets` (0 if none has one)."""
    return max(_revisions(replica_sets), default=0)


def last_revision(replica_sets: Iterable[Obj | None]) -> int:
    """The second highest revision: the one `kubectl rollout undo` goes back to."""
    highest = second = 0
    for value in _revisions(replica_sets):
        if value >= highest:
            highest, second = value, highest
        elif value > second:
            second = value
    return second


def set_deployment_revision(deployment: Obj, value: str) -> bool:
    """Mirror the new ReplicaSet's revision on the Deployment; whether it changed."""
    found = annotations(deployment)
    if found.get(REVISION) == value:
        return False
    found[REVISION] = value
    return True


def copy_deployment_annotations(deployment: Obj, replica_set: Obj) -> bool:
    """Copy the Deployment's annotations (but the skipped ones) onto its ReplicaSet."""
    target = annotations(replica_set)
    changed = False
    for key, value in _annotations_of(deployment).items():
        if key in ANNOTATIONS_TO_SKIP or target.get(key) == value:
            continue
        target[key] = value
        changed = True
    return changed


def set_replicas_annotations(replica_set: Obj, desired: int, maximum: int) -> bool:
    """Record the Deployment's size and size plus surge on `replica_set`; whether changed."""
    target = annotations(replica_set)
    changed = False
    for key, value in ((DESIRED_REPLICAS, str(desired)), (MAX_REPLICAS, str(maximum))):
        if target.get(key) != value:
            target[key] = value
            changed = True
    return changed


def replicas_annotations_need_update(replica_set: Obj, desired: int, maximum: int) -> bool:
    found = _annotations_of(replica_set)
    return found.get(DESIRED_REPLICAS) != str(desired) or found.get(MAX_REPLICAS) != str(maximum)


def int_annotation(obj: Obj | None, key: str) -> int | None:
    """An integer annotation (`desired-replicas`, `max-replicas`); None if absent or bad."""
    text = _annotations_of(obj).get(key)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


def _append_history(found: dict[str, str], old: str, limit: int) -> None:
    """Add `old` to the revision history, dropping the oldest entries to stay under `limit`."""
    history = found.get(REVISION_HISTORY, "")
    if not history:
        found[REVISION_HISTORY] = old
        return
    entries = history.split(",")
    total = len(history) + len(old) + 1
    start = 0
    while total > limit and start < len(entries):
        total -= len(entries[start]) + 1
        start += 1
    if total <= limit:
        found[REVISION_HISTORY] = ",".join([*entries[start:], old])
    else:
        log.warning("revision history of %s is full", old)


def set_new_replica_set_annotations(
    deployment: Obj,
    replica_set: Obj,
    new_revision: int,
    *,
    exists: bool,
    history_limit: int = MAX_REVISION_HISTORY_CHARS,
) -> bool:
    """Bring the new ReplicaSet's annotations up to date (SetNewReplicaSetAnnotations).

    Copies the Deployment's annotations, raises the revision to `new_revision` if it is
    lower (keeping the old number in the history when there was one: a rollback), and, for
    a ReplicaSet about to be created, records the replica annotations. Returns whether
    anything changed.
    """
    changed = copy_deployment_annotations(deployment, replica_set)
    found = annotations(replica_set)
    old_text = found.get(REVISION)
    try:
        old = int(old_text) if old_text else 0
    except ValueError:
        log.warning("ReplicaSet revision %r is not a number", old_text)
        return False
    if old < new_revision:
        found[REVISION] = str(new_revision)
        changed = True
        if old_text is not None:
            _append_history(found, old_text, history_limit)
    if not exists:
        replicas = spec_replicas(deployment)
        changed = set_replicas_annotations(replica_set, replicas, replicas + max_surge(deployment)) or changed
    return changed


def rollback_annotations(deployment: Obj, replica_set: Obj) -> dict[str, str]:
    """The Deployment's annotations after rolling back to `replica_set`'s template: the
    ReplicaSet's own (change-cause and the like) plus the Deployment's skipped ones."""
    result = {k: v for k, v in _annotations_of(deployment).items() if k in ANNOTATIONS_TO_SKIP}
    for key, value in _annotations_of(replica_set).items():
        if key not in ANNOTATIONS_TO_SKIP:
            result[key] = value
    return result


def rollback_to(deployment: Obj) -> int | None:
    """The revision a `deprecated.deployment.rollback.to` annotation asks for (0: the
    previous one); None when there is no request, or an unreadable one."""
    text = _annotations_of(deployment).get(ROLLBACK_TO)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return None
