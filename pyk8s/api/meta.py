"""Object metadata: timestamps, UIDs, generated names, and ObjectMeta validation with
Kubernetes' rules and wording."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import uuid
from collections.abc import Callable
from typing import Any

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, required, too_long
from pyk8s.api.validation import (
    IMMUTABLE,
    NONNEGATIVE,
    AcceptedInputs,
    dns1123_label,
    json_key,
    qualified_name,
    validate_labels,
)

Obj = dict[str, Any]

# The alphabet and length of generateName suffixes (no vowels, no look-alikes).
_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
GENERATED_SUFFIX_LENGTH = 5
MAX_GENERATED_NAME_LENGTH = 63 - GENERATED_SUFFIX_LENGTH
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


# The last second formatted: every write stamps managedFields (and often more) with the
# current second, and formatting one costs more than the rest of stamping it.
_LAST_FORMATTED: tuple[int, str] = (-1, "")


def rfc3339(seconds: float) -> str:
    """A Kubernetes `Time`: RFC 3339, UTC, to the second."""
    global _LAST_FORMATTED
    whole = int(seconds)
    last = _LAST_FORMATTED  # one read: another thread may replace the pair meanwhile
    if last[0] == whole:
        return last[1]
    text = dt.datetime.fromtimestamp(whole, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _LAST_FORMATTED = (whole, text)
    return text


def rfc3339_micro(seconds: float) -> str:
    """A Kubernetes `MicroTime`: RFC 3339, UTC, to the microsecond."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> float:
    """Seconds since the epoch from an RFC 3339 timestamp."""
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return dt.datetime.fromisoformat(text).timestamp()


# UIDs and generated names must be unique, not unguessable: a PRNG seeded from the OS is
# enough, and far cheaper per object than a system call.
_RANDOM = random.Random(os.urandom(32))


def new_uid() -> str:
    return str(uuid.UUID(int=_RANDOM.getrandbits(128), version=4))


def generate_name(base: str) -> str:
    """`generateName` completed with a random suffix, the prefix cut to fit 63 characters."""
    suffix = "".join(_RANDOM.choice(_SUFFIX_ALPHABET) for _ in range(GENERATED_SUFFIX_LENGTH))
    return base[:MAX_GENERATED_NAME_LENGTH] + suffix


def meta(obj: Obj) -> dict[str, Any]:
    """`obj["metadata"]`, created when missing."""
    m = obj.get("metadata")
    if not isinstance(m, dict):
        m = obj["metadata"] = {}
    return m


# ObjectMeta found valid, by the fields that are the same across objects of one template and
# across writes to one object (see `validate_object_meta`); the others are checked every time.
_VALID_META = AcceptedInputs(4096)
_KEYED_META = ("generateName", "namespace", "labels", "finalizers")
# Annotation keys found valid: their values change between writes, their keys rarely do.
_VALID_ANNOTATION_KEYS = AcceptedInputs(4096)


def validate_object_meta(
    obj: Obj, *, namespaced: bool, validate_name: Callable[[str], list[str]]
) -> FieldErrors:
    """ObjectMeta rules for a new object (Kubernetes' ValidateObjectMeta).

    Objects of one template differ in their names and owners' UIDs, and writes to one object
    mostly in annotations (and in what is not validated here: resourceVersion, managedFields
    times). Once the generate name, namespace, labels and finalizers were found valid, the
    same ones are not checked again (`validate_name` must be a pure function: it is part of
    the key); the rest is checked every time, in the same order, so the errors are always
    those of a full validation.
    """
    m = obj.get("metadata") or {}
    key = _meta_key(m, namespaced, validate_name)
    if key is not None and key in _VALID_META:
        return _validate_object_meta(m, namespaced, validate_name, keyed_valid=True)
    errs = _validate_object_meta(m, namespaced, validate_name, keyed_valid=False)
    if key is not None and not errs:
        _VALID_META.add(key)
    return errs


def _meta_key(m: Any, namespaced: bool, validate_name: Callable[[str], list[str]]) -> Any:
    """The memo key of `m`'s keyed fields, with what else their checks read; None when they
    cannot be keyed (see `json_key`)."""
    if not isinstance(m, dict):
        return None
    data = json_key({field: m[field] for field in _KEYED_META if field in m})
    if data is None:
        return None
    try:
        hash(validate_name)
    except TypeError:
        return None
    return (hashlib.blake2b(data, digest_size=16).digest(), namespaced, validate_name)


def _validate_object_meta(
    m: dict[str, Any], namespaced: bool, validate_name: Callable[[str], list[str]], *, keyed_valid: bool
) -> FieldErrors:
    """The checks in Kubernetes' order; with `keyed_valid`, those of the keyed fields (known
    to give no errors) are left out."""
    path = FieldPath("metadata")
    errs: FieldErrors = []
    generate = m.get("generateName", "")
    if generate and not keyed_valid:
        for msg in validate_name(generate.rstrip("-") or "x"):
            errs.append(invalid(path.child("generateName"), generate, msg))
    name = m.get("name", "")
    if not name:
        errs.append(required(path.child("name"), "name or generateName is required"))
    else:
        for msg in validate_name(name):
            errs.append(invalid(path.child("name"), name, msg))
    if not keyed_valid:
        namespace = m.get("namespace", "")
        if namespaced:
            if not namespace:
                errs.append(required(path.child("namespace")))
            else:
                for msg in dns1123_label(namespace):
                    errs.append(invalid(path.child("namespace"), namespace, msg))
        elif namespace:
            errs.append(forbidden(path.child("namespace"), "not allowed on this type"))
    if int(m.get("generation") or 0) < 0:
        errs.append(invalid(path.child("generation"), m["generation"], NONNEGATIVE))
    if not keyed_valid:
        errs += validate_labels(m.get("labels") or {}, path.child("labels"))
    errs += validate_annotations(m.get("annotations") or {}, path.child("annotations"))
    errs += validate_owner_references(m.get("ownerReferences") or [], path.child("ownerReferences"))
    if not keyed_valid:
        for i, fin in enumerate(m.get("finalizers") or []):
            for msg in qualified_name(fin):
                errs.append(invalid(path.child("finalizers").index(i), fin, msg))
    return errs


def validate_annotations(annotations: dict[str, Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    total = 0
    valid_keys = _VALID_ANNOTATION_KEYS
    for key, value in annotations.items():
        if key not in valid_keys:
            messages = qualified_name(key.lower())
            for msg in messages:
                errs.append(invalid(path, key, msg))
            if not messages and type(key) is str:
                valid_keys.add(key)
        total += len(key) + len(str(value))
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


def validate_owner_references(refs: list[Any], path: FieldPath) -> FieldErrors:
    errs: FieldErrors = []
    controllers = 0
    for i, ref in enumerate(refs):
        p = path.index(i)
        for key in ("apiVersion", "kind", "name", "uid"):
            if not ref.get(key):
                errs.append(invalid(p.child(key), ref.get(key, ""), f"{key} must not be empty"))
        if ref.get("controller"):
            controllers += 1
    if controllers > 1:
        errs.append(invalid(path, refs, "Only one reference can have Controller set to true"))
    return errs


def validate_object_meta_update(obj: Obj, old: Obj) -> FieldErrors:
    """What an update may not change in ObjectMeta (Kubernetes' ValidateObjectMetaUpdate)."""
    new_m, old_m = obj.get("metadata") or {}, old.get("metadata") or {}
    path = FieldPath("metadata")
    errs: FieldErrors = []
    for key in ("name", "namespace", "uid", "creationTimestamp"):
        if new_m.get(key) != old_m.get(key):
            errs.append(invalid(path.child(key), new_m.get(key), IMMUTABLE))
    if old_m.get("deletionTimestamp") and new_m.get("deletionTimestamp") != old_m.get("deletionTimestamp"):
        errs.append(invalid(path.child("deletionTimestamp"), new_m.get("deletionTimestamp"), IMMUTABLE))
    return errs
