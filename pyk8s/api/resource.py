"""What the generic registry needs to know about a kind: `ResourceInfo` (names, scope,
discovery) and `ResourceStrategy` (per-kind policy, like the apiserver's create/update
strategies). A kind module in `pyk8s.kinds` defines one strategy subclass; the registry
and the API server are never edited to add a kind.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pyk8s.api.fields import FieldErrors
from pyk8s.api.schema import Schema

Obj = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Subresource:
    """A subresource as discovery shows it, e.g. `status`, `scale` (autoscaling/v1 Scale)."""

    name: str
    verbs: tuple[str, ...]
    kind: str = ""  # empty: the parent's kind
    group: str | None = None  # None: the parent's group and version
    version: str | None = None


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """A resource served at /api/v1 or /apis/GROUP/VERSION."""

    group: str
    version: str
    kind: str
    plural: str
    singular: str = ""
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = (
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch",
    )
    subresources: tuple[Subresource, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_version(self) -> str:
        return self.api_version

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @property
    def qualified(self) -> str:
        """`pods`, `deployments.apps`: the GroupResource as errors print it."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def subresource(self, name: str) -> Subresource | None:
        for sub in self.subresources:
            if sub.name == name:
                return sub
        return None


@dataclass(frozen=True, slots=True)
class Column:
    """One column of `kubectl get` output (a Table column definition)."""

    name: str
    type: str = "string"  # string | integer | number | boolean | date
    format: str = ""  # "name" for the name column
    description: str = ""
    priority: int = 0  # 1+: only with -o wide

    def definition(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "format": self.format,
            "description": self.description,
            "priority": self.priority,
        }


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Who is asking, where, and how (dry run, field manager)."""

    namespace: str = ""
    user: str = "system:anonymous"
    groups: tuple[str, ...] = ()
    dry_run: bool = False
    field_manager: str = ""
    subresource: str = ""
    now: float = 0.0  # the clock's now() for this request
    uid: str = ""  # the user's uid and extra attributes (service account tokens carry them)
    extra: tuple[tuple[str, tuple[str, ...]], ...] = ()
    api_version: str = ""  # the group/version the request was made in ("events.k8s.io/v1")


@dataclass(frozen=True, slots=True)
class VersionView:
    """Another served version of a resource, converted to and from the storage version.

    Conversions go through the storage version (the hub): `to_storage` must keep, in the
    stored object, whatever the served version can say (annotations carry what the storage
    form cannot), and `from_storage` must restore it, so a round trip through any served
    version loses nothing.
    """

    info: ResourceInfo
    schema: Schema
    to_storage: Callable[[Obj], Obj]
    from_storage: Callable[[Obj], Obj]
    # Field-selector labels this version names differently from the storage version
    # (events.k8s.io: "regarding.name" -> "involvedObject.name"); others keep their name.
    field_labels: Mapping[str, str] = field(default_factory=dict)


class ResourceStrategy:
    """Per-kind policy over the generic registry. Subclasses override what differs.

    Hooks must be pure (no I/O); `validate*` must not mutate. `prepare_for_*` normalise the
    object the way the real API server does before validation: create clears status,
    update keeps status from the old object (the main resource cannot change status) and
    bumps `metadata.generation` when the spec changes.
    """

    info: ClassVar[ResourceInfo]
    schema: ClassVar[Schema]
    # Which fields `fieldSelector` may use beyond metadata.name and metadata.namespace.
    field_selectors: ClassVar[dict[str, Callable[[Obj], str]]] = {}
    # Fields the watch cache indexes for fast selection (a subset of field_selectors).
    indexed_fields: ClassVar[tuple[str, ...]] = ()
    columns: ClassVar[tuple[Column, ...]] = ()
    has_status: ClassVar[bool] = True  # a status subresource with its own write path
    status_field: ClassVar[str] = "status"
    # Metadata fields a /status write may change. Kinds from before ResetObjectMetaForStatus
    # reset only their spec there, so labels and annotations written through /status stick
    # (the Deployment controller records its revision annotation that way).
    status_metadata: ClassVar[tuple[str, ...]] = ()
    return_deleted_object: ClassVar[bool] = False  # DELETE answers the object, not a Status
    allow_create_on_update: ClassVar[bool] = False
    allow_unconditional_update: ClassVar[bool] = True
    # Where a scalable kind keeps replicas and its selector, for the /scale subresource.
    scale: ClassVar[ScaleSpec | None] = None
    storage_resource: ClassVar[str] = ""  # the storage key's resource name (default: plural)
    tracks_generation: ClassVar[bool] = False  # metadata.generation counts spec changes
    # Kinds whose `kubectl get` rows Kubernetes orders by something else than the name (FlowSchemas,
    # by precedence) set this; rows are then sorted by `table_sort_key`.
    sorts_table_rows: ClassVar[bool] = False
    # Table cells depend only on the object, apart from an "Age" column: they can be kept
    # with the cached object. Kinds with other time-dependent columns say False.
    cacheable_cells: ClassVar[bool] = True
    # Other versions this resource is served as (converted through the storage version).
    versions: ClassVar[tuple[VersionView, ...]] = ()
    # False for request-only kinds (reviews): created, answered, never stored.
    persisted: ClassVar[bool] = True
    # A deprecated resource's warning, sent with every response about it (as kube-apiserver
    # does for v1 Endpoints and ComponentStatus).
    deprecation: ClassVar[str] = ""

    # names

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        """Problems with `name` (most kinds: an RFC 1123 subdomain)."""
        from pyk8s.api.validation import dns1123_subdomain

        return dns1123_subdomain(name)

    # create

    def default(self, obj: Obj) -> None:
        """Fill in defaults (the kind's SetDefaults_* functions)."""

    def bad_request(self, ctx: RequestContext, obj: Obj) -> str:
        """A request-only kind's reason to refuse with 400 rather than 422 ("" when none)."""
        return ""

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        if self.has_status:
            obj.pop(self.status_field, None)
        if self.tracks_generation:
            obj["metadata"]["generation"] = 1

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return []

    def warnings_on_create(self, ctx: RequestContext, obj: Obj) -> list[str]:
        return []

    # update

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        if self.has_status:
            if self.status_field in old:
                obj[self.status_field] = copy.deepcopy(old[self.status_field])
            else:
                obj.pop(self.status_field, None)
        if self.tracks_generation:
            generation = old.get("metadata", {}).get("generation", 1)
            obj["metadata"]["generation"] = generation + 1 if self.spec_changed(obj, old) else generation
        elif "generation" in old.get("metadata", {}):
            obj["metadata"]["generation"] = old["metadata"]["generation"]
        else:
            obj["metadata"].pop("generation", None)

    def spec_changed(self, obj: Obj, old: Obj) -> bool:
        """Whether the desired state changed (everything but metadata and status)."""
        skip = {"metadata", self.status_field, "apiVersion", "kind"}
        keys = (set(obj) | set(old)) - skip
        return any(obj.get(k) != old.get(k) for k in keys)

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return self.validate(ctx, obj)

    # status subresource

    def prepare_for_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        """Only status may change through /status: everything else comes from `old`."""
        status = obj.get(self.status_field)
        meta = obj.get("metadata", {})
        new = copy.deepcopy(old)
        if status is None:
            new.pop(self.status_field, None)
        else:
            new[self.status_field] = status
        # Metadata is the old object's too (Kubernetes' ResetObjectMetaForStatus), except the
        # resourceVersion the client sent, which still guards the write, and the fields the
        # kind's status strategy lets through (older kinds reset only their spec there).
        new["metadata"]["resourceVersion"] = meta.get("resourceVersion", "")
        for name in self.status_metadata:
            if name in meta:
                new["metadata"][name] = meta[name]
            else:
                new["metadata"].pop(name, None)
        obj.clear()
        obj.update(new)

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return []

    # reading

    def selectable_fields(self, obj: Obj) -> dict[str, str]:
        meta = obj.get("metadata", {})
        fields = {"metadata.name": meta.get("name", "")}
        if self.info.namespaced:
            fields["metadata.namespace"] = meta.get("namespace", "")
        for name, getter in self.field_selectors.items():
            fields[name] = getter(obj)
        return fields

    def row_cacheable(self, obj: Obj) -> bool:
        """Whether this object's cells may be kept with its cached version (see `cacheable_cells`);
        kinds whose cells depend on the clock only for some objects override it."""
        return self.cacheable_cells

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        """One cell per column of `columns` (default columns: Name, Age)."""
        from pyk8s.api.table import age

        return [obj.get("metadata", {}).get("name", ""), age(obj, now)]

    def table_sort_key(self, obj: Obj) -> Any:
        """The order of this object's row in a Table (when `sorts_table_rows`)."""
        return obj["metadata"].get("name", "")

    def table_columns(self) -> list[dict[str, Any]]:
        from pyk8s.api.table import AGE_COLUMN, NAME_COLUMN

        if not self.columns:
            return [NAME_COLUMN, AGE_COLUMN]
        return [c.definition() for c in self.columns]

    def check_field_selector(self, fields: set[str]) -> str | None:
        """The first field that `fieldSelector` may not use, if any."""
        allowed = {"metadata.name", "metadata.namespace", *self.field_selectors}
        for name in sorted(fields):
            if name not in allowed:
                return name
        return None


@dataclass(frozen=True, slots=True)
class ScaleSpec:
    """Where the /scale subresource reads and writes replicas."""

    replicas_path: tuple[str, ...] = ("spec", "replicas")
    status_replicas_path: tuple[str, ...] = ("status", "replicas")
    selector_path: tuple[str, ...] = ("spec", "selector")  # a LabelSelector object (or a map, for RCs)
    default_replicas: int = 1


def dig(obj: Obj, *path: str, default: Any = "") -> Any:
    """`obj[a][b][c]`, or `default` where a level is missing."""
    node: Any = obj
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return default
        node = node[key]
    return node


__all__ = [
    "Column",
    "Obj",
    "RequestContext",
    "ResourceInfo",
    "ResourceStrategy",
    "ScaleSpec",
    "Subresource",
    "dig",
]


NAME = Column("Name", format="name", description="Name must be unique within a namespace.")
AGE = Column("Age", description="Time since the object was created.")
