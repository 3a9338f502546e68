"""`ResourceStore`: the generic resource semantics over storage, the same for every kind.

Create, get, list, update (and patch, as an update computed from the current object),
delete with finalizers and graceful deletion, delete-collection, watch, dry run,
optimistic concurrency, generateName, system metadata. Per-kind policy comes from the
kind's `ResourceStrategy`; storage errors become API errors here and nowhere else.

Objects are stored as JSON without `metadata.resourceVersion`: the version is the
storage revision, stamped on the way out. Reads and watches are served by the resource's
`WatchCache`; a read that needs a fresher state than the cache has falls back to storage.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from sys import intern
from typing import Any, Protocol

import orjson

from pyk8s._aio.clock import Clock, RealClock
from pyk8s.api import errors
from pyk8s.api.fields import forbidden
from pyk8s.api.meta import (
    generate_name,
    meta,
    new_uid,
    rfc3339,
    validate_object_meta,
    validate_object_meta_update,
)
from pyk8s.api.resource import Obj, RequestContext, ResourceStrategy
from pyk8s.registry.fieldmanager import UNTRACKED_SUBRESOURCES, FieldManager, revert_timestamp_only_changes
from pyk8s.registry.options import DeleteOptions, ListOptions, decode_continue, encode_continue
from pyk8s.registry.watchcache import CachedObject, CacheWatcher, Filter, WatchCache
from pyk8s.storage import (
    KeyExistsError,
    KeyNotFoundError,
    KeyValue,
    RevisionCompactedError,
    RevisionConflictError,
    RevisionTooNewError,
    Storage,
    StorageError,
    StorageUnavailableError,
)
from pyk8s.storage.keys import MAX_VALUE_BYTES

log = logging.getLogger(__name__)

FRESHNESS_TIMEOUT = 3.0  # how long a read waits for the cache before asking storage
TOO_LARGE_RV_WAIT = 3.0
MAX_UPDATE_ATTEMPTS = 100
# A generated name that is taken is replaced and the write retried, 8 attempts in all, as
# kube-apiserver does since RetryGenerateName (GA in 1.32): with 5 random characters a
# ReplicaSet of 10,000 pods meets a few collisions, each of which used to fail a create.
GENERATE_NAME_ATTEMPTS = 8
# Subresources kube-apiserver writes straight to storage (pods/binding sets the node and a
# condition): no defaulting and no validation of the object's metadata; the strategy's
# `validate_update` checks what they change. Nor are they tracked in managedFields.
DIRECT_SUBRESOURCES = UNTRACKED_SUBRESOURCES


class Admission(Protocol):
    """Admission control around validation, as in kube-apiserver: `mutate` may change the
    object before it is validated, `validate` may only refuse after (CREATE, UPDATE, DELETE).
    Both raise Status errors to refuse."""

    async def mutate(
        self, operation: str, store: ResourceStore, ctx: RequestContext, obj: Obj | None, old: Obj | None
    ) -> None: ...

    async def validate(
        self, operation: str, store: ResourceStore, ctx: RequestContext, obj: Obj | None, old: Obj | None
    ) -> None: ...


@dataclass(slots=True)
class ListResult:
    items: list[CachedObject]
    resource_version: int
    continue_token: str = ""
    remaining: int | None = None


@dataclass(slots=True)
class DeleteResult:
    obj: Obj
    deleted: bool  # False: deletion is pending (finalizers, graceful period)


Mutation = Callable[[Obj], Awaitable[Obj] | Obj]


def encode_ordered(obj: Obj) -> tuple[bytes, int]:
    """The object as the cache keeps it: apiVersion, kind and metadata first (the order
    Kubernetes writes), exact-size, and where the metadata object ends (for Table rows,
    which carry the metadata without decoding the object)."""
    head = orjson.dumps({"apiVersion": obj.get("apiVersion", ""), "kind": obj.get("kind", "")})
    meta = orjson.dumps(obj.get("metadata") or {})
    rest = {k: v for k, v in obj.items() if k not in ("apiVersion", "kind", "metadata")}
    prefix = head[:-1] + b',"metadata":'
    tail = b"," + orjson.dumps(rest)[1:] if rest else b"}"
    return prefix + meta + tail, len(prefix) + len(meta)


@dataclass(slots=True)
class Written:
    """A write as the cache will want it, worked out while the object is still a dict: the
    stored bytes (apiVersion, kind, metadata first, as the cache keeps them) and what
    selectors read. The cache then stamps the revision into the bytes instead of parsing
    and encoding the object again."""

    data: bytes
    meta_end: int  # where the metadata object ends in `data`
    namespace: str
    name: str
    labels: dict[str, str]
    fields: dict[str, str]


MAX_WRITTEN = 1024  # writes whose storage events the cache has not consumed yet


def encode(obj: Obj) -> bytes:
    """The stored form: everything but metadata.resourceVersion."""
    m = obj.get("metadata") or {}
    if "resourceVersion" in m:
        obj = {**obj, "metadata": {k: v for k, v in m.items() if k != "resourceVersion"}}
    return orjson.dumps(obj)


class ResourceStore:
    """See the module docstring."""

    def __init__(
        self,
        strategy: ResourceStrategy,
        storage: Storage,
        *,
        clock: Clock | None = None,
        admission: Admission | None = None,
        cache_capacity: int = 10_000,
    ) -> None:
        self.strategy = strategy
        self.info = strategy.info
        self.storage = storage
        # Read once: consistent reads ask on every request (see _consistent_from_cache).
        self._ordered_progress: bool = getattr(storage, "ordered_progress", True)
        self.clock = clock or RealClock()
        self.admission = admission
        self.field_manager = FieldManager(strategy)
        info = strategy.info
        resource = strategy.storage_resource or (
            info.plural if not info.group else f"{info.group}/{info.plural}"
        )
        self.prefix = f"/registry/{resource}/"
        self._written: dict[str, Written] = {}
        self.cache = WatchCache(
            storage,
            self.prefix,
            self._event_to_cached,
            indexed_fields=strategy.indexed_fields,
            capacity=cache_capacity,
            namespaced=info.namespaced,
            restamper=self._restamp,
        )

    async def start(self) -> None:
        await self.cache.start()

    async def stop(self) -> None:
        await self.cache.stop()

    # keys and codecs

    def key(self, namespace: str, name: str) -> str:
        if self.info.namespaced:
            return f"{self.prefix}{namespace}/{name}"
        return f"{self.prefix}{name}"

    def _to_cached(self, kv: KeyValue) -> CachedObject:
        obj = orjson.loads(kv.value)
        m = obj.setdefault("metadata", {})
        m["resourceVersion"] = str(kv.mod_revision)
        # Label and field values repeat across objects (app=web, node names, phases):
        # interned, each distinct string is kept once for the whole cache.
        labels = {intern(k): intern(v) for k, v in (m.get("labels") or {}).items()}
        fields = {k: intern(v) for k, v in self.strategy.selectable_fields(obj).items()}
        raw, meta_end = encode_ordered(obj)
        return CachedObject(
            kv.key,
            intern(m.get("namespace", "")),
            m.get("name", ""),
            kv.mod_revision,
            raw,
            labels,
            fields,
            meta_end,
        )

    def _event_to_cached(self, kv: KeyValue) -> CachedObject:
        """`_to_cached` for the cache's storage events: a write made here is stamped, not
        parsed again (the bytes are compared: a hint never stands for other contents)."""
        written = self._written.pop(kv.key, None)
        if written is None or written.data != kv.value:
            return self._to_cached(kv)
        data, end = written.data, written.meta_end - 1  # the metadata's closing brace
        stamp = b'"resourceVersion":"%d"' % kv.mod_revision
        if data[end - 1 : end] != b"{":
            stamp = b"," + stamp
        raw = b"".join((data[:end], stamp, data[end:]))
        return CachedObject(
            kv.key,
            written.namespace,
            written.name,
            kv.mod_revision,
            raw,
            written.labels,
            written.fields,
            written.meta_end + len(stamp),
        )

    def _encode_for_storage(self, key: str, obj: Obj, droppable: bool) -> bytes:
        """The stored form of a write (`_encode_fitting`), remembered for the cache."""
        m = obj.get("metadata")
        if not (isinstance(m, dict) and "apiVersion" in obj and "kind" in obj):
            return _encode_fitting(obj, droppable)
        if "resourceVersion" in m:
            m = {k: v for k, v in m.items() if k != "resourceVersion"}
            data, meta_end = encode_ordered({**obj, "metadata": m})
        else:
            data, meta_end = encode_ordered(obj)
        if len(data) > MAX_VALUE_BYTES:
            return _encode_fitting(obj, droppable)  # may drop managedFields, from `obj` too
        written = self._written
        written.pop(key, None)  # re-inserted last: the oldest hints go first
        if len(written) >= MAX_WRITTEN:
            del written[next(iter(written))]
        written[key] = Written(
            data,
            meta_end,
            intern(m.get("namespace", "")),
            m.get("name", ""),
            {intern(k): intern(v) for k, v in (m.get("labels") or {}).items()},
            {k: intern(v) for k, v in self.strategy.selectable_fields(obj).items()},
        )
        return data

    def _restamp(self, obj: CachedObject, revision: int) -> CachedObject:
        data = obj.obj()
        data["metadata"]["resourceVersion"] = str(revision)
        raw, meta_end = encode_ordered(data)
        return CachedObject(obj.key, obj.namespace, obj.name, revision, raw, obj.labels, obj.fields, meta_end)

    def _not_found(self, name: str) -> errors.StatusError:
        return errors.not_found(self.info.plural, name, group=self.info.group)

    def _storage_error(self, err: StorageError) -> errors.StatusError:
        """Storage errors that reach the API, translated once."""
        if isinstance(err, RevisionCompactedError):
            return errors.too_old_resource_version(err.requested, err.compact_revision)
        if isinstance(err, RevisionTooNewError):
            return too_large_resource_version(err.requested, err.current_revision)
        if isinstance(err, StorageUnavailableError):
            return errors.ServiceUnavailableError(f"storage is unavailable: {err}")
        return errors.internal(str(err))

    # reads

    async def _fresh(self, revision: int | None = None) -> bool:
        """Whether the cache reflects the store now (or `revision`), waiting a little."""
        target = revision if revision is not None else await self.storage.current_revision()
        return await self.cache.wait_fresh(target, FRESHNESS_TIMEOUT)

    async def _consistent_from_cache(self) -> bool:
        """Whether a read with no resourceVersion (a consistent read) may come from the cache:
        it has caught up with the store's current revision. Where the storage's progress
        reports may overtake its events (`Storage.ordered_progress`: etcd 3.4.23) the cache
        cannot prove that, and consistent reads go to storage, as kube-apiserver serves them
        without ConsistentListFromCache."""
        if not self._ordered_progress:
            return False
        return await self._fresh()

    async def get_cached(self, namespace: str, name: str) -> CachedObject:
        """The current object (a consistent read)."""
        key = self.key(namespace, name)
        if await self._consistent_from_cache():
            obj = self.cache.get(key)
        else:
            try:
                kv = await self.storage.get(key)
            except StorageError as err:
                raise self._storage_error(err) from None
            obj = self._to_cached(kv) if kv is not None else None
        if obj is None:
            raise self._not_found(name)
        return obj

    async def get(self, namespace: str, name: str) -> Obj:
        return (await self.get_cached(namespace, name)).obj()

    def _filter(self, namespace: str, opts: ListOptions, name: str = "") -> Filter:
        pinned = opts.field_selector.exact("metadata.name")
        return Filter(namespace, opts.label_selector, opts.field_selector, name or pinned or "")

    async def list(self, namespace: str, opts: ListOptions) -> ListResult:
        """List with Kubernetes' resourceVersion semantics (see module docstring)."""
        flt = self._filter(namespace, opts)
        if opts.continue_token:
            revision, start_after = decode_continue(opts.continue_token)
            return await self._list_from_storage(flt, revision, self.prefix + start_after, opts.limit)
        rv, match = opts.resource_version, opts.resource_version_match
        if match == "Exact":
            return await self._list_from_storage(flt, _parse_rv(rv), "", opts.limit)
        if rv == "0":
            fresh = True  # any state will do
        elif rv:
            fresh = await self._fresh(_parse_rv(rv))
            if not fresh:
                await self._check_not_too_large(_parse_rv(rv))
        else:
            fresh = await self._consistent_from_cache()
        if not fresh:
            return await self._list_from_storage(flt, 0, "", opts.limit)
        items, more, remaining = self.cache.page(flt, opts.limit)
        revision = self.cache.revision
        if more:
            token = encode_continue(revision, items[-1].key[len(self.prefix) :])
            return ListResult(items, revision, token, remaining)
        return ListResult(items, revision)

    async def _check_not_too_large(self, revision: int) -> None:
        current = await self.storage.current_revision()
        if revision > current:
            raise too_large_resource_version(revision, current)

    async def _list_from_storage(
        self, flt: Filter, revision: int, start_after: str, limit: int
    ) -> ListResult:
        prefix = self.prefix + (f"{flt.namespace}/" if flt.namespace and self.info.namespaced else "")
        items: list[CachedObject] = []
        try:
            while True:
                want = max(limit - len(items), 0) if limit else 0
                page = await self.storage.list(
                    prefix, revision=revision, start_after=start_after, limit=max(want, 100) if limit else 0
                )
                revision = page.revision
                for kv in page.items:
                    obj = self._to_cached(kv)
                    if flt.matches(obj):
                        items.append(obj)
                if page.items:
                    start_after = page.items[-1].key
                if not page.more or (limit and len(items) >= limit):
                    more = page.more or (limit and len(items) > limit)
                    break
        except RevisionCompactedError:
            raise errors.expired(
                "The provided continue parameter is too old to display a consistent list result. You can "
                "start a new list without the continue parameter."
            ) from None
        except StorageError as err:
            raise self._storage_error(err) from None
        if limit and len(items) > limit:
            items = items[:limit]
            start_after = items[-1].key
        token = encode_continue(revision, start_after[len(self.prefix) :]) if more else ""
        return ListResult(items, revision, token)

    # watch

    async def watch(self, namespace: str, opts: ListOptions, *, name: str = "") -> CacheWatcher:
        """A cache watcher following Kubernetes' watch resourceVersion semantics.

        `watcher.start_revision` is the revision the initial state (if any) is consistent at.
        """
        flt = self._filter(namespace, opts, name)
        rv = opts.resource_version
        if opts.send_initial_events:
            if rv and rv != "0":
                if not await self._fresh(_parse_rv(rv)):
                    await self._check_not_too_large(_parse_rv(rv))
                    raise errors.timeout("Too large resource version", 1)
            elif not rv and not await self._fresh():
                raise errors.timeout("the watch cache is not ready", 1)
            watcher = self.cache.watch(flt, after_revision=None, initial=True)
        elif not rv or rv == "0":
            watcher = self.cache.watch(flt, after_revision=None, initial=True)
        else:
            after = _parse_rv(rv)
            if not await self.cache.wait_fresh(after, TOO_LARGE_RV_WAIT):
                await self._check_not_too_large(after)
                raise errors.timeout(
                    f"Too large resource version: {after}, current: {self.cache.revision}", 1
                )
            if not self.cache.can_watch_from(after):
                raise errors.too_old_resource_version(after, self.cache.horizon + 1)
            watcher = self.cache.watch(flt, after_revision=after, initial=False)
        watcher.start_revision = self.cache.revision
        return watcher

    # writes

    def _invalid(self, name: str, errs: list[Any]) -> errors.InvalidError:
        return errors.invalid(self.info.kind, name, errs, group=self.info.group)

    def _validate_create(self, ctx: RequestContext, obj: Obj) -> None:
        errs = validate_object_meta(
            obj, namespaced=self.info.namespaced, validate_name=self.strategy.validate_name
        )
        errs += self.strategy.validate(ctx, obj)
        if errs:
            raise self._invalid(meta(obj).get("name", ""), errs)

    async def create(self, ctx: RequestContext, obj: Obj, *, track_fields: bool = True) -> Obj:
        """Create `obj` (already decoded, namespace filled in by the caller).

        The create is recorded in managedFields for `ctx.field_manager` unless `track_fields`
        is false (an apply that creates the object has recorded itself).
        """
        strategy = self.strategy
        m = meta(obj)
        generated = bool(m.get("generateName")) and not m.get("name")
        if generated:
            m["name"] = generate_name(m["generateName"])
        for field_name in ("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
            m.pop(field_name, None)
        m["uid"] = new_uid()
        now = ctx.now or self.clock.now()
        m["creationTimestamp"] = rfc3339(now)
        strategy.default(obj)
        strategy.prepare_for_create(ctx, obj)
        if track_fields and self._tracks(ctx):
            self.field_manager.track(ctx, {}, obj, subresource=ctx.subresource, now=now)
        if self.admission is not None:
            await self.admission.mutate("CREATE", self, ctx, obj, None)
        self._validate_create(ctx, obj)
        if self.admission is not None:
            await self.admission.validate("CREATE", self, ctx, obj, None)
        if ctx.dry_run:
            return obj
        attempts = GENERATE_NAME_ATTEMPTS if generated else 1
        for attempt in range(attempts):
            try:
                key = self.key(ctx.namespace, m["name"])
                kv = await self.storage.create(key, self._encode_for_storage(key, obj, track_fields))
                break
            except KeyExistsError:
                if not generated:
                    raise errors.already_exists(self.info.plural, m["name"], group=self.info.group) from None
                if attempt + 1 >= attempts:
                    raise errors.generate_name_conflict(
                        self.info.plural, m["name"], group=self.info.group
                    ) from None
                # Same prefix, same length, same alphabet: the new name is as valid as the old.
                m["name"] = generate_name(m["generateName"])
            except StorageError as err:
                raise self._storage_error(err) from None
        m["resourceVersion"] = str(kv.mod_revision)
        return obj

    async def _current(self, key: str, *, from_storage: bool) -> CachedObject | None:
        if not from_storage and await self._consistent_from_cache():
            return self.cache.get(key)
        try:
            kv = await self.storage.get(key)
        except StorageError as err:
            raise self._storage_error(err) from None
        return self._to_cached(kv) if kv is not None else None

    async def update(
        self,
        ctx: RequestContext,
        name: str,
        mutate: Mutation,
        *,
        create: Callable[[], Awaitable[Obj]] | None = None,
        track_fields: bool = True,
        managed_subresource: str | None = None,
    ) -> tuple[Obj, bool]:
        """Read-modify-write `name`: `mutate(current)` gives the desired object.

        The result's resourceVersion, if set, must be the current one (409 otherwise); with
        none, conflicts with concurrent writers are retried. `ctx.subresource == "status"`
        writes only status. Returns (object, created). `create` is called when the object
        does not exist and the kind (or the caller, for apply) allows creating it.

        The change is recorded in managedFields for `ctx.field_manager` (through
        `managed_subresource`, default `ctx.subresource`) unless `track_fields` is false:
        an apply's `mutate` records itself. A write that changes nothing but managedFields
        times writes nothing.
        """
        key = self.key(ctx.namespace, name)
        from_storage = False
        for _ in range(MAX_UPDATE_ATTEMPTS):
            current = await self._current(key, from_storage=from_storage)
            if current is None:
                if create is not None:
                    return await create(), True
                raise self._not_found(name)
            old = current.obj()
            result = mutate(current.obj())  # a second, independent parse of the same bytes
            new = await result if isinstance(result, Awaitable) else result
            new_m = meta(new)
            wanted = new_m.get("resourceVersion", "")
            if wanted and wanted != str(current.revision):
                if from_storage or (wanted.isdigit() and int(wanted) < current.revision):
                    raise errors.stale(self.info.plural, name, group=self.info.group)
                from_storage = True  # the cache may lag behind the client: check storage
                continue
            sent_fields = new_m.get("managedFields")
            self._prepare_update(ctx, new, old)
            if sent_fields is not None:
                # A status write restores the old metadata; managedFields are the write's own
                # (apimachinery's ResetObjectMetaForStatus keeps them too).
                meta(new)["managedFields"] = sent_fields
            if track_fields and self._tracks(ctx):
                sub = ctx.subresource if managed_subresource is None else managed_subresource
                self.field_manager.track(ctx, old, new, subresource=sub, now=ctx.now or self.clock.now())
            if self.admission is not None:
                await self.admission.mutate("UPDATE", self, ctx, new, old)
            self._validate_update(ctx, new, old)
            if self.admission is not None:
                await self.admission.validate("UPDATE", self, ctx, new, old)
            revert_timestamp_only_changes(old, new)
            if _same(new, old):
                return old, False
            if ctx.dry_run:
                return new, False
            try:
                data = self._encode_for_storage(key, new, track_fields)
                kv = await self.storage.update(key, data, expected_revision=current.revision)
            except RevisionConflictError:
                # Someone wrote in between: start over from the stored object. A client's
                # resourceVersion precondition then fails the check above (409); a patch
                # or an unconditional update applies again to the new state.
                from_storage = True
                continue
            except KeyNotFoundError:
                raise self._not_found(name) from None
            except StorageError as err:
                raise self._storage_error(err) from None
            # meta(new) again: a status update replaces the metadata dict while preparing
            meta(new)["resourceVersion"] = str(kv.mod_revision)
            if self._finished_deleting(new):
                await self._remove(key, kv.mod_revision, name)
            return new, False
        raise errors.conflict(
            self.info.plural, name, "too many concurrent writers; try again", group=self.info.group
        )

    @staticmethod
    def _tracks(ctx: RequestContext) -> bool:
        """Whether a write is recorded in managedFields (see `fieldmanager`)."""
        return bool(ctx.field_manager) and ctx.subresource not in UNTRACKED_SUBRESOURCES

    def _prepare_update(self, ctx: RequestContext, new: Obj, old: Obj) -> None:
        strategy = self.strategy
        new_m, old_m = meta(new), old["metadata"]
        # System fields come from the stored object, whatever the client sent.
        for field_name in ("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"):
            if field_name in old_m:
                new_m[field_name] = old_m[field_name]
            else:
                new_m.pop(field_name, None)
        if not new_m.get("uid"):
            new_m["uid"] = old_m.get("uid")
        new_m.pop("selfLink", None)
        new.setdefault("apiVersion", old.get("apiVersion"))
        new.setdefault("kind", old.get("kind"))
        if ctx.subresource == "status":
            strategy.prepare_for_status_update(ctx, new, old)
        elif ctx.subresource in DIRECT_SUBRESOURCES:
            strategy.prepare_for_update(ctx, new, old)
        else:
            # A kind may default an update more cheaply (it usually repeats a defaulted object).
            default_for_update = getattr(strategy, "default_for_update", None)
            if default_for_update is not None:
                default_for_update(new, old)
            else:
                strategy.default(new)
            strategy.prepare_for_update(ctx, new, old)

    def _validate_update(self, ctx: RequestContext, new: Obj, old: Obj) -> None:
        strategy = self.strategy
        new_m, old_m = new["metadata"], old["metadata"]
        if ctx.subresource == "status":
            errs = validate_object_meta_update(new, old) + strategy.validate_status_update(ctx, new, old)
        elif ctx.subresource in DIRECT_SUBRESOURCES:
            errs = strategy.validate_update(ctx, new, old)
        else:
            errs = validate_object_meta_update(new, old)
            errs += validate_object_meta(new, namespaced=self.info.namespaced, validate_name=_any_name)
            errs += strategy.validate_update(ctx, new, old)
        if old_m.get("deletionTimestamp") and _added_finalizers(new, old):
            errs.append(
                forbidden(
                    "metadata.finalizers", "no new finalizers can be added if the object is being deleted"
                )
            )
        if errs:
            raise self._invalid(new_m.get("name", ""), errs)

    def _finished_deleting(self, obj: Obj) -> bool:
        m = obj["metadata"]
        return (
            bool(m.get("deletionTimestamp"))
            and not m.get("finalizers")
            and not self.strategy_pending(obj)
            and (int(m.get("deletionGracePeriodSeconds") or 0) == 0)
        )

    def strategy_pending(self, obj: Obj) -> bool:
        """Kind-specific reasons a deletion is still pending (namespaces' spec.finalizers)."""
        check = getattr(self.strategy, "deletion_pending", None)
        return bool(check(obj)) if check is not None else False

    async def _remove(self, key: str, revision: int, name: str) -> KeyValue:
        try:
            return await self.storage.delete(key, expected_revision=revision)
        except KeyNotFoundError:
            raise self._not_found(name) from None
        except StorageError as err:
            raise self._storage_error(err) from None

    async def delete(self, ctx: RequestContext, name: str, options: DeleteOptions) -> DeleteResult:
        """Delete `name`: at once, or by marking it when finalizers or a grace period apply."""
        key = self.key(ctx.namespace, name)
        from_storage = False
        for _ in range(MAX_UPDATE_ATTEMPTS):
            current = await self._current(key, from_storage=from_storage)
            if current is None:
                raise self._not_found(name)
            old = current.obj()
            old_m = old["metadata"]
            self._check_preconditions(name, old_m, options)
            if self.admission is not None:
                await self.admission.validate("DELETE", self, ctx, None, old)
            grace = self._grace_period(old, options)
            finalizers = _gc_finalizers(old_m.get("finalizers") or [], options.propagation_policy)
            pending = bool(finalizers) or self.strategy_pending(old) or grace > 0
            if pending:
                marked = self._mark_deleting(ctx, old, grace, finalizers)
                if marked is None or ctx.dry_run:
                    return DeleteResult(marked or old, deleted=False)
                try:
                    kv = await self.storage.update(key, encode(marked), expected_revision=current.revision)
                except RevisionConflictError:
                    from_storage = True
                    continue
                except StorageError as err:
                    raise self._storage_error(err) from None
                marked["metadata"]["resourceVersion"] = str(kv.mod_revision)
                if self._finished_deleting(marked):
                    await self._remove(key, kv.mod_revision, name)
                    return DeleteResult(marked, deleted=True)
                return DeleteResult(marked, deleted=False)
            if ctx.dry_run:
                return DeleteResult(old, deleted=True)
            try:
                gone = await self.storage.delete(key, expected_revision=current.revision)
            except RevisionConflictError:
                from_storage = True
                continue
            except KeyNotFoundError:
                raise self._not_found(name) from None
            except StorageError as err:
                raise self._storage_error(err) from None
            old_m["resourceVersion"] = str(gone.mod_revision)
            return DeleteResult(old, deleted=True)
        raise errors.conflict(
            self.info.plural, name, "too many concurrent writers; try again", group=self.info.group
        )

    def _check_preconditions(self, name: str, m: dict[str, Any], options: DeleteOptions) -> None:
        if options.uid and options.uid != m.get("uid"):
            raise errors.conflict(
                self.info.plural,
                name,
                f"Precondition failed: UID in precondition: {options.uid}, "
                f"UID in object meta: {m.get('uid', '')}",
                group=self.info.group,
            )
        if options.resource_version and options.resource_version != m.get("resourceVersion"):
            raise errors.conflict(
                self.info.plural,
                name,
                "Precondition failed: ResourceVersion in precondition: "
                f"{options.resource_version}, ResourceVersion in object meta: "
                f"{m.get('resourceVersion', '')}",
                group=self.info.group,
            )

    def _grace_period(self, obj: Obj, options: DeleteOptions) -> int:
        check = getattr(self.strategy, "grace_period", None)
        if check is None:
            return 0
        return int(check(obj, options.grace_period_seconds))

    def _mark_deleting(self, ctx: RequestContext, old: Obj, grace: int, finalizers: list[str]) -> Obj | None:
        """The object marked for deletion, or None when the mark is already as final."""
        new = copy.deepcopy(old)
        m = new["metadata"]
        now = ctx.now or self.clock.now()
        deadline = rfc3339(now + grace)
        finalizers_changed = finalizers != (m.get("finalizers") or [])
        if finalizers_changed:
            if finalizers:
                m["finalizers"] = finalizers
            else:
                m.pop("finalizers", None)
        if m.get("deletionTimestamp"):
            current_grace = int(m.get("deletionGracePeriodSeconds") or 0)
            if grace >= current_grace:
                # Already terminating at least as soon; a new propagation policy still counts.
                return new if finalizers_changed else None
            m["deletionTimestamp"] = min(m["deletionTimestamp"], deadline)
        else:
            m["deletionTimestamp"] = deadline
            m["generation"] = int(m.get("generation") or 0) + 1
        m["deletionGracePeriodSeconds"] = grace
        mark = getattr(self.strategy, "prepare_for_delete", None)
        if mark is not None:
            mark(new)
        return new

    async def delete_collection(
        self, ctx: RequestContext, opts: ListOptions, options: DeleteOptions
    ) -> list[Obj]:
        """Delete every object the options select; returns what was deleted or marked."""
        listed = await self.list(
            ctx.namespace, ListOptions(label_selector=opts.label_selector, field_selector=opts.field_selector)
        )
        out = []
        for item in listed.items:
            sub = dataclasses.replace(ctx, namespace=item.namespace, subresource="")
            try:
                out.append((await self.delete(sub, item.name, options)).obj)
            except errors.NotFoundError:
                continue
        return out


def _any_name(_name: str) -> list[str]:
    """No name rules: an update keeps the stored name (one function, so that
    `validate_object_meta` can remember what it accepted with it)."""
    return []


def _parse_rv(rv: str) -> int:
    try:
        value = int(rv)
        if value < 0:
            raise ValueError
        return value
    except ValueError:
        raise errors.BadRequestError(f'invalid resource version "{rv}"') from None


def too_large_resource_version(requested: int, current: int) -> errors.StatusError:
    return errors.timeout(f"Too large resource version: {requested}, current: {current}", 1)


def _encode_fitting(obj: Obj, droppable: bool) -> bytes:
    """The stored form; an object too large to store loses its managedFields first (they can
    be large), as kube-apiserver retries such a write, except after an apply."""
    data = encode(obj)
    if len(data) > MAX_VALUE_BYTES and droppable and meta(obj).pop("managedFields", None) is not None:
        data = encode(obj)
    return data


def _same(new: Obj, old: Obj) -> bool:
    """Whether an update changes nothing (resourceVersion and managedFields times aside)."""
    n, o = dict(new), dict(old)
    n["metadata"] = {k: v for k, v in new.get("metadata", {}).items() if k != "resourceVersion"}
    o["metadata"] = {k: v for k, v in old.get("metadata", {}).items() if k != "resourceVersion"}
    return n == o


ORPHAN_FINALIZER = "orphan"
FOREGROUND_FINALIZER = "foregroundDeletion"


def _gc_finalizers(current: list[str], policy: str) -> list[str]:
    """The finalizers a deletion leaves for the garbage collector, as kube-apiserver sets them:
    Orphan and Foreground each put their own finalizer in place of the other, Background
    removes both; no policy keeps whatever the object already asked for."""
    if not policy:
        return list(current)
    kept = [f for f in current if f not in (ORPHAN_FINALIZER, FOREGROUND_FINALIZER)]
    if policy == "Orphan":
        kept.append(ORPHAN_FINALIZER)
    elif policy == "Foreground":
        kept.append(FOREGROUND_FINALIZER)
    return kept


def _added_finalizers(new: Obj, old: Obj) -> bool:
    before = set(old["metadata"].get("finalizers") or [])
    return any(f not in before for f in new["metadata"].get("finalizers") or [])
