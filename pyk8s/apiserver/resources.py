"""Handlers for resource requests, one method per verb, over the generic registry."""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Mapping
from typing import Any

import orjson
from aiohttp import web
from multidict import MultiMapping

from pyk8s.api import errors
from pyk8s.api import fields as field_errors
from pyk8s.api.apply import (
    MISSING,
    UNKNOWN_MANAGER,
    ApplyTypeError,
    TypedError,
    invalid_object_type,
    is_reset,
    plan_for,
    prefix_from_user_agent,
    validate_field_manager,
)
from pyk8s.api.apply import validate as validate_applied
from pyk8s.api.patch import go_fmt, json_copy
from pyk8s.api.resource import RequestContext, ResourceInfo
from pyk8s.api.schema import DecodeError, decode
from pyk8s.api.selectors import FieldSelector, LabelSelector, SelectorError
from pyk8s.apiserver import watchstream
from pyk8s.apiserver.auth import UserInfo
from pyk8s.apiserver.body import (
    MAX_BODY_BYTES,
    decode_object,
    field_validation_mode,
    field_warnings,
    parse_document,
)
from pyk8s.apiserver.negotiation import (
    APPLY_PATCH,
    JSON_PATCH,
    MERGE_PATCH,
    PROTOBUF,
    YAML,
    Output,
    body_type,
    negotiate,
)
from pyk8s.apiserver.requestinfo import RequestInfo
from pyk8s.apiserver.responses import (
    dumps,
    list_parts,
    object_response,
    raw_object_response,
    respond,
    send,
    success_status,
    table_for,
    table_list_parts,
    warning_header,
)
from pyk8s.apiserver.reviews import bind_pod
from pyk8s.apiserver.server import ApiServer, Endpoint
from pyk8s.kinds.schemas import schema_for
from pyk8s.registry.options import DeleteOptions, ListOptions

NOT_FOUND_MESSAGE = "the server could not find the requested resource"
STREAMING_SUBRESOURCES = {"log", "exec", "attach", "portforward", "proxy"}


def not_found() -> errors.NotFoundError:
    return errors.NotFoundError(NOT_FOUND_MESSAGE)


class ResourceHandler:
    """Serves /api/v1/... and /apis/G/V/... for the endpoints of an `ApiServer`."""

    def __init__(self, server: ApiServer) -> None:
        self.server = server

    async def handle(self, request: web.Request, info: RequestInfo, user: UserInfo) -> web.StreamResponse:
        endpoint = self.server.endpoint(info.group, info.version, info.resource)
        if endpoint is None:
            raise not_found()
        if bool(info.namespace) and not endpoint.info.namespaced:
            raise not_found()
        if info.subresource in STREAMING_SUBRESOURCES:
            from pyk8s.apiserver.proxy import serve_stream  # the relay to node agents

            return await serve_stream(self.server, request, info, endpoint, user)
        if info.subresource and endpoint.info.subresource(info.subresource) is None:
            raise not_found()
        verb = info.verb
        handler = getattr(self, "_" + verb, None)
        if handler is None or verb not in _allowed_verbs(endpoint, info.subresource):
            raise errors.method_not_supported(endpoint.info.plural, verb, group=endpoint.info.group)
        if verb in ("get", "list", "watch"):
            ctx = READ_CONTEXT  # reads need no write context
        else:
            query = request.query
            served = endpoint.info
            ctx = RequestContext(
                namespace=info.namespace,
                user=user.name,
                groups=user.groups,
                dry_run=_dry_run(query.getall("dryRun", [])),
                field_manager=_field_manager(request, verb),
                subresource=info.subresource,
                now=self.server.clock.now(),
                uid=user.uid,
                extra=tuple((k, tuple(v)) for k, v in user.extra.items()),
                api_version=f"{served.group}/{served.version}" if served.group else served.version,
            )
        response: web.StreamResponse = await handler(request, info, endpoint, ctx)
        deprecation = endpoint.strategy.deprecation
        if deprecation and not response.prepared:  # a watch adds its own before streaming
            response.headers.add("Warning", warning_header(deprecation))
        return response

    # reads

    async def _get(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext
    ) -> web.Response:
        output = negotiate(request.headers.get("Accept", ""), allow_table=True)
        output = _pretty(output, request.query)
        if not ep.strategy.persisted:
            found = [o for o in await self.server.read_synthesised(ep) if o["metadata"]["name"] == info.name]
            if not found:
                raise errors.not_found(ep.info.plural, info.name, group=ep.info.group)
            return object_response(
                found[0], output, ep.strategy, include_object=request.query.get("includeObject", "")
            )
        if info.subresource == "scale":
            current = await ep.storage.get(info.namespace, info.name)
            return respond(dumps(self._scale_of(ep, current), output), output)
        cached = await ep.storage.get_cached(info.namespace, info.name)
        if output.table:  # rows come from the storage form: the strategy's columns read it
            return raw_object_response(cached, output, ep.strategy, request.query.get("includeObject", ""))
        return raw_object_response(ep.present(cached), output, ep.strategy)

    async def _list(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext
    ) -> web.StreamResponse:
        output = negotiate(request.headers.get("Accept", ""), allow_table=True)
        output = _pretty(output, request.query)
        if not ep.strategy.persisted:
            return await self._list_synthesised(request, ep, output)
        opts = list_options(request.query, ep, watch=False)
        result = await ep.storage.list(info.namespace, opts)
        deprecation = ep.strategy.deprecation
        if output.table:
            parts = table_list_parts(
                ep.strategy,
                result.items,
                include_object=request.query.get("includeObject", ""),
                resource_version=str(result.resource_version),
                continue_token=result.continue_token,
                remaining=result.remaining,
            )
            return await send(request, parts, output, deprecation=deprecation)
        items = result.items if ep.view is None else [ep.present(o) for o in result.items]
        parts = list_parts(
            ep.info.list_kind,
            ep.info.api_version,
            items,
            result.resource_version,
            result.continue_token,
            result.remaining,
        )
        if output.format == "yaml" or output.pretty:
            return respond(dumps(orjson.loads(b"".join(parts)), output), output)
        return await send(request, parts, output, deprecation=deprecation)

    async def _list_synthesised(self, request: web.Request, ep: Endpoint, output: Output) -> web.Response:
        items = await self.server.read_synthesised(ep)
        if output.table:
            table = table_for(ep.strategy, items, include_object=request.query.get("includeObject", ""))
            return respond(dumps(table, output), output)
        body = {"kind": ep.info.list_kind, "apiVersion": ep.info.api_version, "metadata": {}, "items": items}
        return respond(dumps(body, output), output)

    async def _watch(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext
    ) -> web.StreamResponse:
        output = negotiate(request.headers.get("Accept", ""), allow_table=True)
        opts = list_options(request.query, ep, watch=True)
        return await watchstream.serve(request, ep, info, opts, output)

    # writes

    async def _read_body(self, request: web.Request) -> bytes:
        """The whole body (it may arrive in many chunks), or 413 past the limit."""
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise errors.entity_too_large(MAX_BODY_BYTES)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = await request.content.readany()
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise errors.entity_too_large(MAX_BODY_BYTES)
            chunks.append(chunk)

    async def _decode_body(
        self, request: web.Request, ep: Endpoint, *, kind_info: Any = None, schema: Any = None
    ) -> tuple[dict[str, Any], list[str]]:
        raw = await self._read_body(request)
        media = body_type(request.headers.get("Content-Type"))
        mode = field_validation_mode(request.query.get("fieldValidation"))
        return decode_object(raw, media, kind_info or ep.info, schema or ep.schema, field_validation=mode)

    async def _create(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext
    ) -> web.Response:
        output = negotiate(request.headers.get("Accept", ""))
        if info.subresource:
            return await self._create_subresource(request, info, ep, ctx, output)
        if ep.info.namespaced and not info.namespace and ep.strategy.persisted:
            raise not_found()
        if info.name:
            raise errors.method_not_supported(ep.info.plural, "create", group=ep.info.group)
        obj, warnings = await self._decode_body(request, ep)
        _fill_namespace(obj, ep, info)
        if not ep.strategy.persisted:  # a review: answered, never stored
            answer = await self.server.answer_review(ep, ctx, obj)
            return object_response(answer, output, ep.strategy, status=201, warnings=warnings)
        stored = ep.to_storage(obj)
        warnings += ep.strategy.warnings_on_create(ctx, stored)
        created = await ep.storage.create(ctx, stored)
        return object_response(
            _served(ep, created, output), output, ep.strategy, status=201, warnings=warnings
        )

    async def _create_subresource(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext, output: Output
    ) -> web.Response:
        if info.subresource == "binding":
            return await self._bind(request, info, ep, ctx, output)
        handler = self.server.subresource_handler(ep.info, info.subresource)
        if handler is None:
            raise errors.method_not_supported(f"{ep.info.plural}/{info.subresource}", "create")
        sub = ep.info.subresource(info.subresource)
        assert sub is not None
        group = ep.info.group if sub.group is None else sub.group
        version = ep.info.version if sub.version is None else sub.version
        sub_info = ResourceInfo(group=group, version=version, kind=sub.kind, plural=info.subresource)
        body, warnings = await self._decode_body(
            request, ep, kind_info=sub_info, schema=schema_for(group, version, sub.kind)
        )
        status, answer = await handler(ep, ctx, info.name, body)
        return respond(dumps(answer, output), output, status=status, warnings=warnings)

    async def _update(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext
    ) -> web.Response:
        output = negotiate(request.headers.get("Accept", ""))
        if info.subresource == "scale":
            scale, warnings = await self._decode_scale(request, ep)
            return await self._write_scale(info, ep, ctx, output, lambda _current: scale, warnings)
        raw = await self._read_body(request)
        media = body_type(request.headers.get("Content-Type"))
        mode = field_validation_mode(request.query.get("fieldValidation"))
        obj, warnings = decode_object(raw, media, ep.info, ep.schema, field_validation=mode)
        _keep_managed_fields_reset(obj, raw, media)
        _fill_namespace(obj, ep, info)
        name = obj.get("metadata", {}).get("name", "")
        if name != info.name:
            raise errors.BadRequestError(
                f"the name of the object ({name}) does not match the name on the URL ({info.name})"
            )
        if info.subresource == "finalize":
            return await self._finalize(info, ep, ctx, output, obj, warnings)
        stored = ep.to_storage(obj)

        async def create() -> dict[str, Any]:
            return await ep.storage.create(ctx, copy.deepcopy(stored))

        allow_create = ep.strategy.allow_create_on_update and not info.subresource
        result, created = await ep.storage.update(
            ctx, info.name, lambda _current: copy.deepcopy(stored), create=create if allow_create else None
        )
        return object_response(
            _served(ep, result, output),
            output,
            ep.strategy,
            status=201 if created else 200,
            warnings=warnings,
        )

    async def _patch(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext
    ) -> web.Response:
        output = negotiate(request.headers.get("Accept", ""))
        media = body_type(request.headers.get("Content-Type"), patch=True)
        _validate_patch_options(request.query, media)
        raw = await self._read_body(request)
        mode = field_validation_mode(request.query.get("fieldValidation"))
        if media == APPLY_PATCH:
            return await self._apply(request, info, ep, ctx, output, raw)
        patch = _patch_body(raw)
        warnings: list[str] = []
        if info.subresource == "scale":
            scale_schema = schema_for("autoscaling", "v1", "Scale")

            def patch_scale(current: dict[str, Any]) -> dict[str, Any]:
                patched = apply_patch(media, current, patch, scale_schema)
                warnings.extend(_patched_check(patched, patch, media, scale_schema, mode))
                return patched

            return await self._write_scale(info, ep, ctx, output, patch_scale, warnings)

        def mutate(current: dict[str, Any]) -> dict[str, Any]:
            patched = apply_patch(media, ep.from_storage(current), patch, ep.schema)
            sent = (patched.get("metadata") or {}).get("managedFields", MISSING)
            warnings[:] = _patched_check(patched, patch, media, ep.schema, mode)
            if sent is not MISSING and is_reset(sent):
                patched.setdefault("metadata", {})["managedFields"] = []  # decoding dropped it
            _check_name(patched, info)
            return ep.to_storage(patched)

        result, _created = await ep.storage.update(ctx, info.name, mutate)
        return object_response(_served(ep, result, output), output, ep.strategy, warnings=warnings)

    async def _apply(
        self,
        request: web.Request,
        info: RequestInfo,
        ep: Endpoint,
        ctx: RequestContext,
        output: Output,
        raw: bytes,
    ) -> web.Response:
        """Server-side apply: merge the applied configuration, or create the object from it."""
        force = _bool_param(request.query, "force")
        if info.subresource == "scale":
            return await self._apply_scale(info, ep, ctx, output, _apply_body(raw), force)
        config = _applied_object(_apply_body(raw), ep, info)
        manager = ep.storage.field_manager
        now = ctx.now or self.server.clock.now()

        def applied(live: dict[str, Any]) -> dict[str, Any]:
            # A fresh copy per attempt: the result shares the configuration's values, and the
            # registry defaults the object it stores in place.
            return manager.apply(
                ctx,
                ep.schema,
                live,
                json_copy(config),
                force=force,
                now=now,
                subresource=info.subresource,
                api_version=ep.info.api_version,
            )

        def mutate(current: dict[str, Any]) -> dict[str, Any]:
            return ep.to_storage(applied(ep.from_storage(current)))

        async def create() -> dict[str, Any]:
            if info.subresource:
                raise errors.not_found(ep.info.plural, info.name, group=ep.info.group)
            obj = applied({})
            _fill_namespace(obj, ep, info)
            return await ep.storage.create(ctx, ep.to_storage(obj), track_fields=False)

        result, created = await ep.storage.update(ctx, info.name, mutate, create=create, track_fields=False)
        return object_response(
            _served(ep, result, output), output, ep.strategy, status=201 if created else 200
        )

    async def _apply_scale(
        self,
        info: RequestInfo,
        ep: Endpoint,
        ctx: RequestContext,
        output: Output,
        config: dict[str, Any],
        force: bool,
    ) -> web.Response:
        """Apply a Scale: an apply of the parent's replicas field through `scale`, as
        apimachinery's scale handler records it."""
        spec = ep.strategy.scale
        if spec is None:
            raise not_found()
        if config.get("apiVersion") != "autoscaling/v1" or config.get("kind") != "Scale":
            raise invalid_object_type(config)
        parent: dict[str, Any] = {
            "apiVersion": ep.info.api_version,
            "kind": ep.info.kind,
            "metadata": {"name": info.name},
        }
        replicas = (config.get("spec") or {}).get("replicas", MISSING)
        if replicas is not MISSING:
            node = parent
            for key in spec.replicas_path[:-1]:
                node = node.setdefault(key, {})
            node[spec.replicas_path[-1]] = replicas
        manager = ep.storage.field_manager
        now = ctx.now or self.server.clock.now()
        parent_ctx = dataclasses.replace(ctx, subresource="")

        def mutate(current: dict[str, Any]) -> dict[str, Any]:
            obj = manager.apply(
                ctx,
                ep.schema,
                ep.from_storage(current),
                json_copy(parent),
                force=force,
                now=now,
                subresource="scale",
                api_version=ep.info.api_version,
            )
            return ep.to_storage(obj)

        result, _ = await ep.storage.update(parent_ctx, info.name, mutate, track_fields=False)
        return respond(dumps(self._scale_of(ep, result), output), output)

    async def _delete(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext
    ) -> web.Response:
        output = negotiate(request.headers.get("Accept", ""))
        options, ctx = await self._delete_options(request, ctx)
        result = await ep.storage.delete(ctx, info.name, options)
        # kube-apiserver answers 202 for a deletion left pending (finalizers, a grace period) only
        # when the client explicitly asked not to orphan dependents; 200 otherwise, for old clients
        status = 202 if not result.deleted and options.orphan_dependents is False else 200
        if result.deleted and not ep.strategy.return_deleted_object:
            meta = result.obj.get("metadata", {})
            details = {
                "name": info.name,
                "group": ep.info.group,
                "kind": ep.info.plural,
                "uid": meta.get("uid"),
            }
            body = success_status({k: v for k, v in details.items() if v})
            return respond(dumps(body, output), output)
        return object_response(_served(ep, result.obj, output), output, ep.strategy, status=status)

    async def _deletecollection(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext
    ) -> web.Response:
        output = negotiate(request.headers.get("Accept", ""))
        options, ctx = await self._delete_options(request, ctx)
        opts = list_options(request.query, ep, watch=False)
        items = [ep.from_storage(o) for o in await ep.storage.delete_collection(ctx, opts, options)]
        body = {"kind": ep.info.list_kind, "apiVersion": ep.info.api_version, "metadata": {}, "items": items}
        return respond(dumps(body, output), output)

    async def _delete_options(
        self, request: web.Request, ctx: RequestContext
    ) -> tuple[DeleteOptions, RequestContext]:
        raw = await self._read_body(request)
        body: dict[str, Any] = {}
        if raw.strip():
            parsed = parse_document(raw, body_type(request.headers.get("Content-Type")))
            if not isinstance(parsed, dict):
                raise errors.BadRequestError("the body of a delete request must be a DeleteOptions object")
            body = parsed
        query = request.query
        grace = body.get("gracePeriodSeconds")
        if grace is None and "gracePeriodSeconds" in query:
            grace = _int_param(query, "gracePeriodSeconds")
        pre = body.get("preconditions") or {}
        policy = body.get("propagationPolicy") or query.get("propagationPolicy", "")
        if body.get("orphanDependents") is True or query.get("orphanDependents") == "true":
            policy = policy or "Orphan"
        if policy and policy not in ("Orphan", "Background", "Foreground"):
            raise errors.invalid("DeleteOptions", "", [], group="meta.k8s.io")
        dry = ctx.dry_run or _dry_run(body.get("dryRun") or [])
        if dry != ctx.dry_run:
            ctx = dataclasses.replace(ctx, dry_run=dry)
        options = DeleteOptions(
            grace_period_seconds=int(grace) if grace is not None else None,
            uid=pre.get("uid") or "",
            resource_version=pre.get("resourceVersion") or "",
            propagation_policy=policy,
            dry_run=dry,
            orphan_dependents=_orphan_dependents(body, query),
        )
        return options, ctx

    # subresources

    def _scale_of(self, ep: Endpoint, obj: dict[str, Any]) -> dict[str, Any]:
        spec = ep.strategy.scale
        if spec is None:
            raise not_found()
        from pyk8s.api.resource import dig
        from pyk8s.api.selectors import LabelSelector as Selector

        meta = obj.get("metadata", {})
        selector = dig(obj, *spec.selector_path, default=None)
        if isinstance(selector, dict) and ("matchLabels" in selector or "matchExpressions" in selector):
            selector_text = str(Selector.from_object(selector))
        elif isinstance(selector, dict):
            selector_text = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
        else:
            selector_text = ""
        keep = ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
        return {
            "kind": "Scale",
            "apiVersion": "autoscaling/v1",
            "metadata": {k: meta[k] for k in keep if k in meta},
            "spec": {"replicas": dig(obj, *spec.replicas_path, default=spec.default_replicas)},
            "status": {
                "replicas": dig(obj, *spec.status_replicas_path, default=0),
                "selector": selector_text,
            },
        }

    async def _decode_scale(self, request: web.Request, ep: Endpoint) -> tuple[dict[str, Any], list[str]]:
        scale_info = ResourceInfo(group="autoscaling", version="v1", kind="Scale", plural="scale")
        scale_schema = schema_for("autoscaling", "v1", "Scale")
        return await self._decode_body(request, ep, kind_info=scale_info, schema=scale_schema)

    async def _write_scale(
        self,
        info: RequestInfo,
        ep: Endpoint,
        ctx: RequestContext,
        output: Output,
        make: Any,
        warnings: list[str],
    ) -> web.Response:
        spec = ep.strategy.scale
        assert spec is not None

        def mutate(current: dict[str, Any]) -> dict[str, Any]:
            scale = make(self._scale_of(ep, current))
            replicas = (scale.get("spec") or {}).get("replicas", 0)
            if not isinstance(replicas, int) or replicas < 0:
                raise errors.invalid("Scale", info.name, [_invalid_replicas(replicas)], group="autoscaling")
            node = current
            for key in spec.replicas_path[:-1]:
                node = node.setdefault(key, {})
            node[spec.replicas_path[-1]] = replicas
            wanted = (scale.get("metadata") or {}).get("resourceVersion")
            current["metadata"]["resourceVersion"] = wanted or current["metadata"].get("resourceVersion", "")
            return current

        result, _ = await ep.storage.update(
            dataclasses.replace(ctx, subresource=""), info.name, mutate, managed_subresource="scale"
        )
        return respond(dumps(self._scale_of(ep, result), output), output, warnings=warnings)

    async def _bind(
        self, request: web.Request, info: RequestInfo, ep: Endpoint, ctx: RequestContext, output: Output
    ) -> web.Response:
        binding_info = ResourceInfo(group="", version="v1", kind="Binding", plural="bindings")
        binding, _warnings = await self._decode_body(
            request, ep, kind_info=binding_info, schema=schema_for("", "v1", "Binding")
        )
        if (binding.get("metadata") or {}).get("name") != info.name:
            raise errors.BadRequestError("name in URL does not match name in Binding object")
        await bind_pod(ep, ctx, info.name, binding)
        return respond(dumps(success_status({}), output), output, status=201)

    async def _finalize(
        self,
        info: RequestInfo,
        ep: Endpoint,
        ctx: RequestContext,
        output: Output,
        obj: dict[str, Any],
        warnings: list[str],
    ) -> web.Response:
        finalizers = list((obj.get("spec") or {}).get("finalizers") or [])

        def set_finalizers(current: dict[str, Any]) -> dict[str, Any]:
            current.setdefault("spec", {})["finalizers"] = finalizers
            wanted = obj.get("metadata", {}).get("resourceVersion")
            if wanted:
                current["metadata"]["resourceVersion"] = wanted
            return current

        # The namespace strategy keeps spec on ordinary updates; /finalize bypasses it.
        result, _ = await ep.storage.update(
            dataclasses.replace(ctx, subresource="finalize"),
            info.name,
            set_finalizers,
        )
        return object_response(result, output, ep.strategy, warnings=warnings)


READ_CONTEXT = RequestContext()


def _served(ep: Endpoint, stored: dict[str, Any], output: Output) -> dict[str, Any]:
    """The object as the request's version shows it; a Table is computed from the stored form,
    as GET and list compute theirs, so every verb prints the same row."""
    return stored if output.table else ep.from_storage(stored)


@functools.cache
def _allowed_verbs(ep: Endpoint, subresource: str) -> frozenset[str]:
    if subresource:
        sub = ep.info.subresource(subresource)
        return frozenset(sub.verbs) if sub else frozenset()
    return frozenset(ep.info.verbs)


def _invalid_replicas(replicas: Any) -> Any:
    from pyk8s.api.fields import invalid

    return invalid("spec.replicas", replicas, "must be greater than or equal to 0")


def _fill_namespace(obj: dict[str, Any], ep: Endpoint, info: RequestInfo) -> None:
    meta = obj.setdefault("metadata", {})
    if not ep.info.namespaced:
        return
    given = meta.get("namespace")
    if given and given != info.namespace:
        raise errors.BadRequestError(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    meta["namespace"] = info.namespace


def _dry_run(values: list[str]) -> bool:
    for value in values:
        if value != "All":
            raise errors.BadRequestError(
                f'Invalid dry run value: "{value}"; the only supported value is "All"'
            )
    return bool(values)


def _pretty(output: Output, query: MultiMapping[str]) -> Output:
    if query.get("pretty") in ("true", "1"):
        return Output(output.format, output.table, output.discovery, pretty=True)
    return output


def _int_param(query: MultiMapping[str], name: str) -> int:
    value = query.get(name, "")
    try:
        return int(value)
    except ValueError:
        raise errors.BadRequestError(f'invalid value for {name}: "{value}"') from None


def _bool_param(query: MultiMapping[str], name: str) -> bool:
    value = query.get(name)
    if value is None or value == "":
        return False
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise errors.BadRequestError(f'invalid value for {name}: "{value}"')


def _list_options_invalid(causes: list[tuple[str, str, str]]) -> errors.InvalidError:
    from pyk8s.api.fields import ErrorType, FieldError

    fields = [
        FieldError(ErrorType.FORBIDDEN if r == "forbidden" else ErrorType.INVALID, f, detail=m)
        for r, f, m in causes
    ]
    return errors.invalid("ListOptions", "", fields, group="meta.k8s.io")


def _storage_field_labels(fields: FieldSelector, labels: Mapping[str, str]) -> FieldSelector:
    """A served version's field labels renamed to the storage version's."""
    return FieldSelector(
        [dataclasses.replace(r, field=labels.get(r.field, r.field)) for r in fields.requirements]
    )


def list_options(query: MultiMapping[str], ep: Endpoint, *, watch: bool) -> ListOptions:
    """Parse and validate list/watch query parameters as kube-apiserver does."""
    try:
        labels = LabelSelector.parse(query.get("labelSelector", ""))
        fields = FieldSelector.parse(query.get("fieldSelector", ""))
    except SelectorError as err:
        raise errors.BadRequestError(str(err)) from None
    if ep.view is not None and ep.view.field_labels:
        fields = _storage_field_labels(fields, ep.view.field_labels)
    unsupported = ep.strategy.check_field_selector(fields.fields)
    if unsupported:
        raise errors.BadRequestError(f"field label not supported: {unsupported}")
    limit = _int_param(query, "limit") if query.get("limit") else 0
    if limit < 0:
        limit = 0
    timeout = _int_param(query, "timeoutSeconds") if query.get("timeoutSeconds") else None
    rv, match = query.get("resourceVersion", ""), query.get("resourceVersionMatch", "")
    send_initial = _bool_param(query, "sendInitialEvents")
    token = query.get("continue", "")
    causes: list[tuple[str, str, str]] = []
    if match and match not in ("NotOlderThan", "Exact"):
        causes.append(("invalid", "resourceVersionMatch", f'Unsupported value: "{match}"'))
    if watch:
        if send_initial and match != "NotOlderThan":
            causes.append(
                (
                    "forbidden",
                    "sendInitialEvents",
                    "sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to "
                    "NotOlderThan",
                )
            )
        if match and not send_initial:
            causes.append(
                (
                    "forbidden",
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                )
            )
    else:
        if "sendInitialEvents" in query:
            causes.append(("forbidden", "sendInitialEvents", "sendInitialEvents is forbidden for list"))
        if match and not rv:
            causes.append(
                (
                    "forbidden",
                    "resourceVersionMatch",
                    "resourceVersionMatch is forbidden unless resourceVersion is provided",
                )
            )
        if match == "Exact" and rv == "0":
            causes.append(
                (
                    "forbidden",
                    "resourceVersionMatch",
                    'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
                )
            )
        if token and rv and rv != "0":
            causes.append(
                (
                    "forbidden",
                    "resourceVersion",
                    "specifying resource version is not allowed when using continue",
                )
            )
    if causes:
        raise _list_options_invalid(causes)
    return ListOptions(
        label_selector=labels,
        field_selector=fields,
        limit=limit,
        continue_token=token,
        resource_version=rv,
        resource_version_match=match,
        send_initial_events=send_initial,
        allow_bookmarks=_bool_param(query, "allowWatchBookmarks"),
        timeout_seconds=timeout,
    )


def apply_patch(media: str, current: dict[str, Any], patch: Any, schema: Any) -> dict[str, Any]:
    """The patched object (`current` is the caller's own copy and may change); patch failures
    become the Status errors kube-apiserver sends for them."""
    from pyk8s.api import patch as patching

    try:
        if media == JSON_PATCH:
            result = patching.apply_json_patch(current, patch, owned=True)
        elif media == MERGE_PATCH:
            result = patching.apply_merge_patch(current, patch, owned=True)
        else:
            result = patching.apply_strategic_merge_patch(current, patch, schema, owned=True)
    except patching.PatchError as err:
        raise patching.to_status_error(err) from None
    if not isinstance(result, dict):
        raise errors.BadRequestError("the patched document is not an object")
    return result


def _patched_check(obj: dict[str, Any], patch: Any, media: str, schema: Any, mode: str) -> list[str]:
    """Decode a patched object against its schema with `fieldValidation` (on the result), as
    kube-apiserver does: a patch that makes the object undecodable, or adds unknown fields
    under Strict, is a 422 on `patch`; under Warn the unknown fields are warnings."""
    try:
        result = decode(obj, schema)
    except DecodeError as err:
        raise _invalid_patch(obj, patch, media, str(err)) from None
    if result.unknown and mode == "Strict":
        unknown = ", ".join(f'unknown field "{path}"' for path in result.unknown)
        raise _invalid_patch(obj, patch, media, f"strict decoding error: {unknown}")
    return field_warnings(result.unknown, mode)


def _invalid_patch(obj: dict[str, Any], patch: Any, media: str, message: str) -> errors.InvalidError:
    # The value kube-apiserver shows: the patched JSON for JSON and merge patches, the patch
    # (as Go prints a map) for strategic merge patches.
    value = go_fmt(patch) if media not in (JSON_PATCH, MERGE_PATCH) else orjson.dumps(obj).decode()
    return errors.invalid("", "", [field_errors.invalid("patch", value, message)])


def _check_name(obj: dict[str, Any], info: RequestInfo) -> None:
    name = (obj.get("metadata") or {}).get("name", "")
    if name != info.name:
        raise errors.BadRequestError(
            f"the name of the object ({name}) does not match the name on the URL ({info.name})"
        )


_WRITE_OPTIONS = {"create": "CreateOptions", "update": "UpdateOptions", "patch": "PatchOptions"}


def _field_manager(request: web.Request, verb: str) -> str:
    """The manager a write is recorded for: `fieldManager`, else the User-Agent's prefix
    (`kubectl/v1.37.1 (linux/amd64) ...` is `kubectl`), else `unknown`; a bad `fieldManager`
    is a 422 on the verb's options, as kube-apiserver answers."""
    given = request.query.get("fieldManager", "")
    if given:
        options = _WRITE_OPTIONS.get(verb)  # deletes take no fieldManager: ignored there
        problems = validate_field_manager(given) if options else []
        if problems:
            raise errors.invalid(options or "", "", problems, group="meta.k8s.io")
        return given
    return prefix_from_user_agent(request.headers.get("User-Agent", "")) or UNKNOWN_MANAGER


def _validate_patch_options(query: MultiMapping[str], media: str) -> None:
    """ValidatePatchOptions: apply needs a fieldManager; `force` is for apply only."""
    problems = []
    if media == APPLY_PATCH:
        if not query.get("fieldManager"):
            problems.append(field_errors.required("fieldManager", "is required for apply patch"))
    elif "force" in query:
        problems.append(field_errors.forbidden("force", "may not be specified for non-apply patch"))
    if problems:
        raise errors.invalid("PatchOptions", "", problems, group="meta.k8s.io")


def _patch_body(raw: bytes) -> Any:
    """A JSON, merge or strategic merge patch document (an empty body is an empty patch)."""
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise errors.BadRequestError("invalid JSON patch") from None


def _apply_body(raw: bytes) -> dict[str, Any]:
    """An apply body: YAML, or JSON (which kubectl sends under the YAML media type)."""
    text = raw.lstrip()
    try:
        body = orjson.loads(raw) if text[:1] in (b"{", b"[") else None
    except orjson.JSONDecodeError:
        body = None
    if body is None:
        try:
            body = parse_document(raw, YAML) if text else {}
        except errors.BadRequestError as err:
            raise errors.BadRequestError(f"error encoding patch: {err.message}") from None
    if not isinstance(body, dict):
        raise errors.BadRequestError(
            f"error decoding patch: json: cannot unmarshal {_json_kind(body)} into Go value of type "
            "map[string]interface {}"
        )
    return body


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return {list: "array", str: "string"}.get(type(value), "null")


def _applied_object(config: dict[str, Any], ep: Endpoint, info: RequestInfo) -> dict[str, Any]:
    """The applied configuration, checked and normalised as kube-apiserver's field manager
    sees it: the endpoint's kind and version (400), the URL's name and namespace (400), every
    field declared and list items keyed (500, SMD's typing), values decoded by the schema."""
    if config.get("apiVersion") != ep.info.api_version or config.get("kind") != ep.info.kind:
        raise invalid_object_type(config)
    meta = config.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise ApplyTypeError(config, ".metadata: expected map, got " + _json_kind(meta))
    meta = meta or {}
    name = meta.get("name", "")
    if name != info.name:
        raise errors.BadRequestError(
            f"the name of the object ({name}) does not match the name on the URL ({info.name})"
        )
    if ep.info.namespaced and meta.get("namespace") not in (None, "", info.namespace):
        raise errors.BadRequestError(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    if meta.get("managedFields") is not None:
        raise errors.BadRequestError("metadata.managedFields must be nil")
    try:
        validate_applied(config, plan_for(ep.schema))
    except TypedError as err:
        raise ApplyTypeError(config, str(err)) from None
    try:
        decode(config, ep.schema)
    except DecodeError as err:
        raise ApplyTypeError(config, str(err)) from None
    return config


def _keep_managed_fields_reset(obj: dict[str, Any], raw: bytes, media: str) -> None:
    """A body sending `managedFields: []` resets them; decoding drops empty lists, so the
    reset is put back (rare: only bodies that mention managedFields are read again)."""
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or "managedFields" in meta or media == PROTOBUF:
        return
    if b"managedFields" not in raw:
        return
    sent = parse_document(raw, media)
    entries = (
        (sent.get("metadata") or {}).get("managedFields", MISSING) if isinstance(sent, dict) else MISSING
    )
    if entries is not MISSING and is_reset(entries):
        meta["managedFields"] = []


def _orphan_dependents(body: dict[str, Any], query: Mapping[str, str]) -> bool | None:
    """The deprecated `orphanDependents` option as the client sent it (None when absent)."""
    value = body.get("orphanDependents")
    if isinstance(value, bool):
        return value
    raw = query.get("orphanDependents")
    return None if raw is None else raw == "true"
