"""`metadata.managedFields`: decoding, encoding, validation and the entry bookkeeping.

An entry is identified as apimachinery identifies it (`BuildManagerIdentifier`): by
manager, operation, subresource, and, for Update entries only, apiVersion (an applier
keeps one entry whatever version it applies). Kubernetes writes the entries sorted by
operation (Apply before Update), then time, manager, apiVersion and subresource; empty
sets are never written, and a list with no entries is no list at all.

Update entries are capped at ten: the oldest are merged into one `ancient-changes` entry
per apiVersion. Fields the field manager never tracks (apiVersion, kind, metadata.name,
namespace, uid, resourceVersion, generation, creationTimestamp, managedFields, ...) are
stripped from the entry being written.

What a write starts from (`managed_for_update`): the live object's entries, unless the
request sends its own (used if they decode and are not empty), `[]` (or `[{}]`), which
resets them, or the request is for a subresource, which always keeps the live ones.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, NamedTuple

from pyk8s.api import fields
from pyk8s.api.apply._values import MISSING, equal, go_json
from pyk8s.api.apply.fieldpath import FieldSet, FieldsV1Error, v1_is_canonical

APPLY, UPDATE = "Apply", "Update"
FIELDS_V1 = "FieldsV1"
MAX_UPDATE_MANAGERS = 10  # DefaultMaxUpdateManagers
ANCIENT_CHANGES = "ancient-changes"
BEFORE_FIRST_APPLY = "before-first-apply"
UNKNOWN_MANAGER = "unknown"  # an update without fieldManager nor User-Agent
FIELD_MANAGER_MAX_LENGTH = 128
MAX_SUBRESOURCE_NAME_LENGTH = 256

# Never part of any entry (apimachinery stripMetaManager). `metadata` itself is a member
# here, so an entry never owns the metadata struct, only fields below it.
STRIPPED = FieldSet.of(
    ("f:apiVersion",),
    ("f:kind",),
    ("f:metadata",),
    ("f:metadata", "f:name"),
    ("f:metadata", "f:namespace"),
    ("f:metadata", "f:creationTimestamp"),
    ("f:metadata", "f:selfLink"),
    ("f:metadata", "f:uid"),
    ("f:metadata", "f:clusterName"),
    ("f:metadata", "f:generation"),
    ("f:metadata", "f:managedFields"),
    ("f:metadata", "f:resourceVersion"),
)


class EntryKey(NamedTuple):
    """What makes two entries the same manager (apiVersion is "" for appliers)."""

    manager: str
    operation: str
    api_version: str
    subresource: str = ""

    @classmethod
    def for_apply(cls, manager: str, subresource: str = "") -> EntryKey:
        return cls(manager, APPLY, "", subresource)

    @classmethod
    def for_update(cls, manager: str, api_version: str, subresource: str = "") -> EntryKey:
        return cls(manager or UNKNOWN_MANAGER, UPDATE, api_version, subresource)

    def identifier(self) -> str:
        """The JSON Kubernetes uses as the manager's name (what conflicts are sorted by)."""
        parts = []
        if self.manager:
            parts.append('"manager":' + go_json(self.manager))
        parts.append('"operation":' + go_json(self.operation))
        if self.api_version:
            parts.append('"apiVersion":' + go_json(self.api_version))
        if self.subresource:
            parts.append('"subresource":' + go_json(self.subresource))
        return "{" + ",".join(parts) + "}"


class ManagedEntry:
    """One entry: who owns `fields`, by which operation, at which version and time.

    An entry read from a stored object keeps its FieldsV1 (`raw`, canonical since this package
    wrote it) and decodes the set only when asked: most writes touch few entries, and an
    entry they do not touch is written back as it was read.
    """

    __slots__ = ("_fields", "api_version", "manager", "operation", "raw", "subresource", "time")

    def __init__(
        self,
        manager: str,
        operation: str,
        api_version: str,
        fields: FieldSet | None = None,
        time: str | None = None,  # RFC 3339, seconds, UTC ("...Z"); None when never changed
        subresource: str = "",
        raw: dict[str, Any] | None = None,  # the FieldsV1 of `fields`, reused when unchanged
    ) -> None:
        if fields is None and raw is None:
            raise ValueError("an entry needs its fields or their FieldsV1")
        self.manager, self.operation, self.api_version = manager, operation, api_version
        self._fields, self.time, self.subresource, self.raw = fields, time, subresource, raw

    @property
    def fields(self) -> FieldSet:
        if self._fields is None:
            self._fields = FieldSet.from_fields_v1(self.raw)
        return self._fields

    @property
    def decoded(self) -> bool:
        """Whether `fields` has been worked out (an entry only read from storage has not)."""
        return self._fields is not None

    @property
    def key(self) -> EntryKey:
        api_version = "" if self.operation == APPLY else self.api_version
        return EntryKey(self.manager, self.operation, api_version, self.subresource)

    def replace(self, **changes: Any) -> ManagedEntry:
        """A copy with `changes` (new `fields` drop the stored FieldsV1 unless `raw` is given)."""
        values = {
            "manager": self.manager,
            "operation": self.operation,
            "api_version": self.api_version,
            "fields": self._fields,
            "time": self.time,
            "subresource": self.subresource,
            "raw": self.raw,
        }
        if "fields" in changes and "raw" not in changes:
            values["raw"] = None
        values.update(changes)
        return ManagedEntry(**values)

    def with_fields(self, new: FieldSet) -> ManagedEntry:
        return self if new is self._fields else self.replace(fields=new)

    def empty(self) -> bool:
        """Whether the entry owns nothing (stored FieldsV1 are canonical: `{}` is empty)."""
        return not self.raw if self._fields is None else self._fields.empty()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ManagedEntry):
            return NotImplemented
        return (self.key, self.api_version, self.time) == (other.key, other.api_version, other.time) and (
            self.fields == other.fields
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ManagedEntry({self.key!r}, {self.api_version!r}, {self.time!r}, {self.fields!r})"


ManagedFields = dict[EntryKey, ManagedEntry]


class ManagedFieldsDecodeError(ValueError):
    """Entries Kubernetes would refuse to decode (the message is apimachinery's)."""


def decode(entries: Any, *, trusted: bool = False) -> ManagedFields:
    """Entries as `metadata.managedFields` holds them, by key (a later duplicate wins).

    `trusted` marks entries this package wrote (stored objects): their FieldsV1 are
    canonical, decoded only when needed, and written back as they are when the set does not
    change.
    """
    out: ManagedFields = {}
    if not entries:
        return out
    if not isinstance(entries, list):
        raise ManagedFieldsDecodeError("managedFields must be a list")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ManagedFieldsDecodeError(f"managed fields entry {i} must be an object")
        operation = entry.get("operation") or ""
        if operation not in (APPLY, UPDATE):
            raise ManagedFieldsDecodeError("operation must be `Apply` or `Update`")
        api_version = entry.get("apiVersion") or ""
        if not api_version:
            raise ManagedFieldsDecodeError("apiVersion must not be empty")
        fields_type = entry.get("fieldsType") or ""
        if fields_type != FIELDS_V1:
            if not fields_type:
                raise ManagedFieldsDecodeError(f"missing fieldsType in managed fields entry {i}")
            raise ManagedFieldsDecodeError(
                f"invalid fieldsType {go_json(fields_type)} in managed fields entry {i}"
            )
        raw = entry.get("fieldsV1")
        field_set: FieldSet | None = None
        try:
            # Entries spelled canonically (all but hand-written ones) are read lazily too.
            lazy = isinstance(raw, dict) and (trusted or v1_is_canonical(raw))
            if not lazy:
                field_set = FieldSet.from_fields_v1(raw)
        except FieldsV1Error as err:
            manager = entry.get("manager") or ""
            raise ManagedFieldsDecodeError(
                f"error decoding versioned set from {go_json(manager)}: error decoding set: {err}"
            ) from None
        decoded = ManagedEntry(
            manager=entry.get("manager") or "",
            operation=operation,
            api_version=api_version,
            fields=field_set,
            time=entry.get("time") or None,
            subresource=entry.get("subresource") or "",
            raw=raw if lazy else None,
        )
        out[decoded.key] = decoded
    return out


def encode(managed: ManagedFields) -> list[dict[str, Any]]:
    """The `metadata.managedFields` list, sorted as Kubernetes sorts it (empty sets dropped)."""
    entries = [
        entry for entry in managed.values() if (entry.raw if not entry.decoded else not entry.fields.empty())
    ]
    entries.sort(key=_order)
    out = []
    for entry in entries:
        item: dict[str, Any] = {}
        if entry.manager:
            item["manager"] = entry.manager
        item["operation"] = entry.operation
        item["apiVersion"] = entry.api_version
        if entry.time:
            item["time"] = entry.time
        item["fieldsType"] = FIELDS_V1
        item["fieldsV1"] = entry.raw if entry.raw is not None else entry.fields.to_fields_v1()
        if entry.subresource:
            item["subresource"] = entry.subresource
        out.append(item)
    return out


def _order(entry: ManagedEntry) -> tuple[str, int, str, str, str]:
    return (entry.operation, epoch(entry.time), entry.manager, entry.api_version, entry.subresource)


@functools.lru_cache(maxsize=4096)
def epoch(time: str | None) -> int:
    """Seconds since 1970 of an RFC 3339 time (0 for none), as Go's `Time.Unix()`."""
    if not time:
        return 0
    try:
        parsed = dt.datetime.fromisoformat(time.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return 0
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return int(parsed.timestamp() // 1)


def format_time(now: dt.datetime | str) -> str:
    """`now` as metav1.Time writes it: RFC 3339, seconds, UTC."""
    if isinstance(now, str):
        return now
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def is_reset(entries: Any) -> bool:
    """A request that clears managedFields: `[]`, or a single entry with nothing set."""
    if isinstance(entries, list):
        if not entries:
            return True
        return len(entries) == 1 and isinstance(entries[0], dict) and not any(entries[0].values())
    return False


def managed_for_update(old: dict[str, Any], sent: Any = MISSING, *, subresource: str = "") -> ManagedFields:
    """The entries a non-apply write starts from (see the module docstring).

    `sent` is the request's `metadata.managedFields` as it arrived (MISSING or None when
    absent); pass it before decoding drops an empty list, or a reset is not seen.
    """
    stored = (old.get("metadata") or {}).get("managedFields")
    # A patch, or a PUT of what was read, carries the stored entries back: read them as stored.
    if not subresource and sent is not MISSING and sent is not None and sent != stored:
        if is_reset(sent):
            return {}
        try:
            managed = decode(sent)
        except ManagedFieldsDecodeError:
            managed = {}
        if managed:
            return managed
    try:
        return decode(stored, trusted=True)
    except ManagedFieldsDecodeError:
        return {}


def cap_update_managers(managed: ManagedFields, limit: int = MAX_UPDATE_MANAGERS) -> ManagedFields:
    """Merge the oldest Update entries into `ancient-changes` until at most `limit` remain."""
    updaters = [key for key, entry in managed.items() if entry.operation == UPDATE]
    if len(updaters) <= limit:
        return managed
    out = dict(managed)
    updaters.sort(key=lambda key: (epoch(out[key].time), key.identifier()))
    first_of_version: dict[str, EntryKey] = {}
    length = len(updaters)
    for key in updaters:
        if length <= limit:
            break
        entry = out.get(key)
        if entry is None:
            continue
        version = entry.api_version
        bucket = EntryKey(ANCIENT_CHANGES, UPDATE, version)
        first = first_of_version.get(version)
        if first is None:
            first_of_version[version] = key
            continue
        if bucket not in out:
            moved = out.pop(first)
            out[bucket] = moved.replace(manager=ANCIENT_CHANGES, subresource="")
        merged = out[bucket]
        out[bucket] = merged.replace(fields=entry.fields.union(merged.fields), time=entry.time)
        # As in Kubernetes, an existing bucket newer than the first entry of its version
        # is merged into itself and then deleted here.
        del out[key]
        length -= 1
    return out


def validate(entries: Any, path: str = "metadata.managedFields") -> fields.FieldErrors:
    """ObjectMeta validation of managedFields (422s for what survives decoding)."""
    errors: fields.FieldErrors = []
    if not isinstance(entries, list):
        return errors
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        where = f"{path}[{i}]"
        operation = entry.get("operation") or ""
        if not operation:
            errors.append(fields.required(f"{where}.operation", "must not be empty"))
        elif operation not in (APPLY, UPDATE):
            errors.append(fields.not_supported(f"{where}.operation", operation, [APPLY, UPDATE]))
        fields_type = entry.get("fieldsType") or ""
        if fields_type and fields_type != FIELDS_V1:
            errors.append(fields.invalid(f"{where}.fieldsType", fields_type, "must be `FieldsV1`"))
        errors.extend(validate_field_manager(entry.get("manager") or "", f"{where}.manager"))
        if len((entry.get("subresource") or "").encode()) > MAX_SUBRESOURCE_NAME_LENGTH:
            errors.append(fields.too_long(f"{where}.subresource", MAX_SUBRESOURCE_NAME_LENGTH))
    return errors


def validate_field_manager(manager: str, path: str = "fieldManager") -> fields.FieldErrors:
    """At most 128 bytes of printable characters (ValidateFieldManager)."""
    errors: fields.FieldErrors = []
    if len(manager.encode()) > FIELD_MANAGER_MAX_LENGTH:
        errors.append(fields.too_long(path, FIELD_MANAGER_MAX_LENGTH))
    position = 0
    for char in manager:
        if not char.isprintable():
            detail = f"invalid character U+{ord(char):04X} (at position {position})"
            errors.append(fields.invalid(path, manager, detail))
        position += len(char.encode())
    return errors


@functools.lru_cache(maxsize=256)
def prefix_from_user_agent(user_agent: str) -> str:
    """The manager of a write without fieldManager: the User-Agent up to the first `/`,
    printable characters only, at most 128 bytes (`kubectl/v1.37.1 (linux/amd64) ...` gives
    `kubectl`)."""
    out, size = [], 0
    for char in user_agent.split("/", 1)[0]:
        if not char.isprintable():
            continue
        width = len(char.encode())
        if size + width > FIELD_MANAGER_MAX_LENGTH:
            break
        out.append(char)
        size += width
    return "".join(out)


def manager_or_user_agent(field_manager: str, user_agent: str) -> str:
    """The manager name of a non-apply write (an empty result becomes `unknown`)."""
    return field_manager or prefix_from_user_agent(user_agent)


def revert_timestamp_only_changes(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Keep the old times when a write changed nothing but managedFields times.

    kube-apiserver's IgnoreManagedFieldsTimestampsTransformer: without it a no-op write
    would bump the resourceVersion for the timestamp alone. Modifies `new` in place.
    """
    old_entries = (old.get("metadata") or {}).get("managedFields") or []
    new_meta = new.get("metadata") or {}
    new_entries = new_meta.get("managedFields") or []
    if len(old_entries) != len(new_entries) or not new_entries:
        return
    if all(a.get("time") == b.get("time") for a, b in zip(old_entries, new_entries, strict=True)):
        return
    for a, b in zip(old_entries, new_entries, strict=True):
        if not equal(
            {k: v for k, v in a.items() if k != "time"}, {k: v for k, v in b.items() if k != "time"}
        ):
            return
    if not _equal_without_managed_fields(old, new):
        return
    new_meta["managedFields"] = [
        _with_time(b, a.get("time")) for a, b in zip(old_entries, new_entries, strict=True)
    ]


_ENTRY_ORDER = ("manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource")


def _with_time(entry: dict[str, Any], time: str | None) -> dict[str, Any]:
    values = {**entry, "time": time}
    out = {key: values[key] for key in _ENTRY_ORDER if values.get(key) is not None}
    out.update({k: v for k, v in entry.items() if k not in out and k != "time"})
    return out


def _equal_without_managed_fields(old: dict[str, Any], new: dict[str, Any], skip: str = "") -> bool:
    # Python's `==` (C speed) is weaker than SMD's equality (True == 1), never stronger:
    # a difference it finds is one, and `equal` confirms what it calls the same.
    if old.keys() != new.keys():
        return False
    for key, value in old.items():
        if key == skip:
            continue
        other = new[key]
        if key == "metadata" and isinstance(value, dict) and isinstance(other, dict):
            if not _equal_without_managed_fields(value, other, "managedFields"):
                return False
        elif value != other or not equal(value, other):
            return False
    return True
