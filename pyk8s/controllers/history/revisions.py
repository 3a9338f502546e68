"""ControllerRevisions as plain data: the snapshot a DaemonSet or StatefulSet records of its
pod template, its name, its number, and which old ones may go.

A revision's `data` is a strategic merge patch that puts the template back:
`{"spec":{"template":{"$patch":"replace", ...}}}`, written with Go's JSON encoder so the
bytes (and so the FNV hash in the revision's name) are the ones kube-controller-manager
computes for the same template. Nothing here does I/O; `pyk8s.controllers.history.store`
writes revisions through the client.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pyk8s.controllers.history.gojson import go_json
from pyk8s.controllers.runtime.ownership import new_controller_ref

Obj = dict[str, Any]

# On ControllerRevisions: the hash of `data` (StatefulSet history).
CONTROLLER_REVISION_HASH_LABEL = "controller.kubernetes.io/hash"
# On pods and DaemonSet revisions: the revision (DaemonSet: its hash, StatefulSet: its name)
# a pod was made from.
POD_REVISION_LABEL = "controller-revision-hash"

_SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # no vowels, no 0/1/3: no words, no look-alikes
_MAX_PREFIX = 223  # leaves room for "-" and a hash within a 253-character name


def fnv32(data: bytes) -> int:
    """FNV-1 (not 1a), 32 bits: what Go's `hash/fnv.New32` computes."""
    value = 0x811C9DC5
    for byte in data:
        value = (value * 0x01000193) & 0xFFFFFFFF
        value ^= byte
    return value


def safe_encode(text: str) -> str:
    """apimachinery's rand.SafeEncodeString: each character mapped into a harmless alphabet."""
    return "".join(_SAFE_ALPHABET[ord(ch) % len(_SAFE_ALPHABET)] for ch in text)


def hash_revision(data: bytes, collision_count: int | None = None) -> str:
    """The hash of a revision's data bytes; `collision_count` (when set) is mixed in as
    decimal text, so bumping it after a name clash yields a different name."""
    payload = data if collision_count is None else data + str(collision_count).encode()
    return safe_encode(str(fnv32(payload)))


def revision_name(prefix: str, hash_: str) -> str:
    """`<owner>-<hash>`, the owner name cut so the whole fits in 253 characters."""
    return f"{prefix[:_MAX_PREFIX]}-{hash_}"


def _sorted(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def template_patch(owner: Mapping[str, Any]) -> Obj:
    """The data a revision of `owner` records: a patch replacing its pod template.

    Keys are sorted at every level, so the API server stores and returns the data in the
    order Go writes it: kubectl's `rollout undo` compares a revision's bytes with the patch
    it computes for the live object to tell whether the rollback is a no-op.
    """
    template = copy.deepcopy(((owner.get("spec") or {}).get("template")) or {})
    # Go always writes the two struct members of a PodTemplateSpec, even when empty.
    template.setdefault("metadata", {})
    template.setdefault("spec", {})
    template["$patch"] = "replace"
    return _sorted({"spec": {"template": template}})


def data_bytes(data: Any) -> bytes:
    """A revision's data as the bytes Kubernetes hashes and compares."""
    return go_json(data)


def new_revision(
    owner: Mapping[str, Any],
    *,
    api_version: str,
    kind: str,
    revision: int,
    collision_count: int | None,
    hash_label: str = CONTROLLER_REVISION_HASH_LABEL,
) -> Obj:
    """A ControllerRevision recording `owner`'s template as revision number `revision`.

    Labels are the template's plus `hash_label` set to the hash; annotations are the
    owner's (kube-controller-manager copies both). The name is `<owner>-<hash>`.
    """
    meta = owner.get("metadata") or {}
    data = template_patch(owner)
    hash_ = hash_revision(data_bytes(data), collision_count)
    template_labels = (((owner.get("spec") or {}).get("template") or {}).get("metadata") or {}).get(
        "labels"
    ) or {}
    revision_meta: Obj = {
        "name": revision_name(meta.get("name", ""), hash_),
        "namespace": meta.get("namespace", ""),
        "labels": {**template_labels, hash_label: hash_},
        "ownerReferences": [new_controller_ref(owner, api_version=api_version, kind=kind)],
    }
    if meta.get("annotations"):
        revision_meta["annotations"] = dict(meta["annotations"])
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": revision_meta,
        "data": data,
        "revision": revision,
    }


def revision_hash(revision: Mapping[str, Any], label: str = CONTROLLER_REVISION_HASH_LABEL) -> str:
    """The hash recorded in a revision's label ("" when missing)."""
    return ((revision.get("metadata") or {}).get("labels") or {}).get(label, "")


def equal_revision(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """Whether two revisions record the same state (both None counts as equal)."""
    if a is None or b is None:
        return a is b
    return data_bytes(a.get("data")) == data_bytes(b.get("data"))


def find_equal_revisions(revisions: Iterable[Obj], needle: Mapping[str, Any]) -> list[Obj]:
    """The revisions recording the same state as `needle`, in their given order."""
    wanted = data_bytes(needle.get("data"))
    return [r for r in revisions if data_bytes(r.get("data")) == wanted]


def _order(revision: Mapping[str, Any]) -> tuple[int, str, str]:
    meta = revision.get("metadata") or {}
    # RFC 3339 UTC timestamps sort as text.
    return int(revision.get("revision") or 0), meta.get("creationTimestamp", ""), meta.get("name", "")


def sort_revisions(revisions: Iterable[Obj]) -> list[Obj]:
    """Oldest first: by revision number, then creation time, then name."""
    return sorted(revisions, key=_order)


def next_revision(revisions: Sequence[Mapping[str, Any]]) -> int:
    """One more than the highest revision number (1 for an empty history)."""
    return max((int(r.get("revision") or 0) for r in revisions), default=0) + 1


def apply_revision(owner: Mapping[str, Any], revision: Mapping[str, Any]) -> Obj:
    """`owner` with its pod template put back as `revision` recorded it.

    The recorded patch replaces the whole template (`$patch: replace`), so applying it is
    taking the template out of the data.
    """
    restored = copy.deepcopy(dict(owner))
    template = copy.deepcopy((((revision.get("data") or {}).get("spec") or {}).get("template")) or {})
    template.pop("$patch", None)
    restored.setdefault("spec", {})["template"] = template
    return restored


def revisions_to_prune(
    revisions: Iterable[Obj], *, live: Iterable[str], limit: int | None, live_counts: bool = False
) -> list[Obj]:
    """The oldest revisions beyond `limit` that are not `live`, oldest first.

    `live` names the revisions in use (the current and update revisions, those pods were
    made from); they are never pruned. A StatefulSet keeps `limit` revisions besides the
    live ones; a DaemonSet (`live_counts=True`) counts the live ones against the limit.
    A negative or absent limit keeps everything.
    """
    if limit is None or limit < 0:
        return []
    alive = set(live)
    ordered = sort_revisions(revisions)
    history = [r for r in ordered if r["metadata"]["name"] not in alive]
    excess = (len(ordered) if live_counts else len(history)) - limit
    return history[:excess] if excess > 0 else []
