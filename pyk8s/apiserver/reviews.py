"""Answers to the request-only kinds: who am I, may I, is this token valid, and the
create-subresources with behaviour (pods/eviction, serviceaccounts/token, bindings).

Authorization is allow-all for authenticated users until RBAC is enforced (a later issue):
access reviews answer accordingly, saying so in their `reason`.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from pyk8s.api import errors
from pyk8s.api.meta import rfc3339
from pyk8s.api.resource import Obj, RequestContext
from pyk8s.api.selectors import LabelSelector, SelectorError
from pyk8s.apiserver.auth import Authenticator, UserInfo
from pyk8s.apiserver.server import ApiServer, Endpoint
from pyk8s.apiserver.tokens import DEFAULT_EXPIRATION, MAX_EXPIRATION, MIN_EXPIRATION, ServiceAccountTokens
from pyk8s.kinds.core.binding import validate_binding
from pyk8s.registry.options import DeleteOptions
from pyk8s.registry.watchcache import Filter

ALLOW_REASON = "every authenticated user is allowed (authorization is not enforced yet)"


def _user(ctx: RequestContext) -> UserInfo:
    return UserInfo(ctx.user, ctx.groups, ctx.uid, {k: list(v) for k, v in ctx.extra})


def install(server: ApiServer, authenticator: Authenticator, tokens: ServiceAccountTokens) -> None:
    """Wire the handlers into `server`."""

    async def self_subject_review(ctx: RequestContext, obj: Obj) -> Obj:
        obj["status"] = {"userInfo": _user(ctx).as_status()}
        return obj

    async def token_review(ctx: RequestContext, obj: Obj) -> Obj:
        spec = obj.get("spec") or {}
        token = spec.get("token", "")
        audiences = list(spec.get("audiences") or [])
        user: UserInfo | None = None
        accepted: list[str] = []
        if token:
            found = await tokens.validate(token, uid_lookup(server), audiences=audiences or None)
            if found is not None:
                user = UserInfo(found.name, found.groups, found.uid, found.extra)
                accepted = list(found.audiences)
            elif not audiences:
                user = await authenticator.authenticate_token(token)
        status: dict[str, Any] = {"authenticated": user is not None}
        if user is not None:
            status["user"] = user.as_status()
            if accepted or audiences:
                status["audiences"] = accepted or audiences
        else:
            status["user"] = {}
            status["error"] = "invalid bearer token"
        obj["status"] = status
        return obj

    async def access_review(ctx: RequestContext, obj: Obj) -> Obj:
        obj["status"] = {"allowed": True, "reason": ALLOW_REASON}
        return obj

    async def rules_review(ctx: RequestContext, obj: Obj) -> Obj:
        obj["status"] = {
            "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
            "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
            "incomplete": False,
        }
        return obj

    async def binding(ctx: RequestContext, obj: Obj) -> Obj:
        pods = server.endpoint("", "v1", "pods")
        assert pods is not None
        name = (obj.get("metadata") or {}).get("name", "")
        await bind_pod(pods, ctx, name, obj)
        return obj

    server.reviews.update(
        {
            ("authentication.k8s.io", "SelfSubjectReview"): self_subject_review,
            ("authentication.k8s.io", "TokenReview"): token_review,
            ("authorization.k8s.io", "SubjectAccessReview"): access_review,
            ("authorization.k8s.io", "SelfSubjectAccessReview"): access_review,
            ("authorization.k8s.io", "LocalSubjectAccessReview"): access_review,
            ("authorization.k8s.io", "SelfSubjectRulesReview"): rules_review,
            ("", "Binding"): binding,
        }
    )

    async def eviction(ep: Endpoint, ctx: RequestContext, name: str, body: Obj) -> tuple[int, Obj]:
        return await evict(server, ep, ctx, name, body)

    async def token_request(ep: Endpoint, ctx: RequestContext, name: str, body: Obj) -> tuple[int, Obj]:
        return await request_token(server, tokens, ep, ctx, name, body)

    server.subresources[("", "pods", "eviction")] = eviction
    server.subresources[("", "serviceaccounts", "token")] = token_request


def token_validator(
    server: ApiServer, tokens: ServiceAccountTokens
) -> Callable[[str], Awaitable[UserInfo | None]]:
    """The authenticator's check for service-account tokens, against the current objects."""
    lookup = uid_lookup(server)

    async def service_account_user(token: str) -> UserInfo | None:
        found = await tokens.validate(token, lookup)
        return None if found is None else UserInfo(found.name, found.groups, found.uid, found.extra)

    return service_account_user


def uid_lookup(server: ApiServer):
    """Current uid of an object (service account, pod, secret, node) from the caches."""
    resources = {"ServiceAccount": "serviceaccounts", "Pod": "pods", "Secret": "secrets", "Node": "nodes"}

    async def lookup(namespace: str, name: str, kind: str) -> str | None:
        endpoint = server.endpoint("", "v1", resources.get(kind, ""))
        if endpoint is None or endpoint.store is None:
            return None
        cached = endpoint.store.cache.get(endpoint.store.key(namespace, name))
        if cached is None:
            return None
        uid = (cached.obj().get("metadata") or {}).get("uid")
        return str(uid) if uid else None

    return lookup


async def bind_pod(pods: Endpoint, ctx: RequestContext, name: str, binding: Obj) -> None:
    """Assign a pod to a node (pods/binding and the bindings resource): nodeName and the
    PodScheduled condition are set in one write, as kube-apiserver's binding storage does."""
    errs = validate_binding(binding)
    if errs:
        raise errors.invalid("Binding", name, errs, group="")
    node = binding["target"]["name"]
    bind_ctx = dataclasses.replace(ctx, subresource="binding")
    wanted_uid = (binding.get("metadata") or {}).get("uid")
    wanted_version = (binding.get("metadata") or {}).get("resourceVersion")

    annotations = (binding.get("metadata") or {}).get("annotations") or {}

    def refuse(reason: str) -> errors.ConflictError:
        return errors.conflict("pods/binding", name, reason)

    def assign(pod: Obj) -> Obj:
        meta = pod["metadata"]
        if wanted_uid and wanted_uid != meta.get("uid"):
            actual = meta.get("uid")
            raise refuse(
                f"Precondition failed: UID in precondition: {wanted_uid}, UID in object meta: {actual}"
            )
        if meta.get("deletionTimestamp"):
            raise refuse(f"pod {name} is being deleted, cannot be assigned to a host")
        spec = pod.setdefault("spec", {})
        if spec.get("nodeName"):
            raise refuse(f'pod {name} is already assigned to node "{spec["nodeName"]}"')
        if spec.get("schedulingGates"):
            raise refuse(f"pod {name} has non-empty .spec.schedulingGates")
        spec["nodeName"] = node
        if wanted_version:
            meta["resourceVersion"] = wanted_version
        if annotations:  # the binding's annotations are copied onto the pod
            meta["annotations"] = {**(meta.get("annotations") or {}), **annotations}
        status = pod.setdefault("status", {})
        status.pop("nominatedNodeName", None)  # a nomination is only a hint until the pod is bound
        conditions = list(status.get("conditions") or [])
        scheduled = next((c for c in conditions if c.get("type") == "PodScheduled"), None)
        if scheduled is None:
            conditions.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None})
            scheduled = conditions[-1]
        if scheduled.get("status") != "True" or not scheduled.get("lastTransitionTime"):
            scheduled["lastTransitionTime"] = rfc3339(ctx.now)
        # the condition's reason and message described why the pod was unschedulable
        scheduled.pop("reason", None)
        scheduled.pop("message", None)
        scheduled["status"] = "True"
        status["conditions"] = conditions
        return pod

    await pods.storage.update(bind_ctx, name, assign)


async def evict(
    server: ApiServer, pods: Endpoint, ctx: RequestContext, name: str, body: Obj
) -> tuple[int, Obj]:
    """pods/eviction: delete the pod unless a PodDisruptionBudget forbids it (429)."""
    pod = await pods.storage.get(ctx.namespace, name)
    options = body.get("deleteOptions") or {}
    phase = (pod.get("status") or {}).get("phase")
    budgets = server.endpoint("policy", "v1", "poddisruptionbudgets")
    if budgets is not None and budgets.store is not None and phase not in ("Succeeded", "Failed"):
        labels = (pod.get("metadata") or {}).get("labels") or {}
        matching = []
        for cached in budgets.store.cache.list(Filter(namespace=ctx.namespace)):
            pdb = cached.obj()
            try:
                selector = LabelSelector.from_object((pdb.get("spec") or {}).get("selector"))
            except SelectorError:
                continue
            if (pdb.get("spec") or {}).get("selector") is not None and selector.matches(labels):
                matching.append(pdb)
        if len(matching) > 1:
            raise errors.internal(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource "
                "does not support."
            )
        if matching:
            await _charge_budget(budgets, ctx, matching[0], name)
    delete = DeleteOptions(
        grace_period_seconds=options.get("gracePeriodSeconds"),
        uid=(options.get("preconditions") or {}).get("uid", ""),
        resource_version=(options.get("preconditions") or {}).get("resourceVersion", ""),
        propagation_policy=options.get("propagationPolicy", ""),
        dry_run=ctx.dry_run,
    )
    await pods.storage.delete(ctx, name, delete)
    return 201, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}


async def _charge_budget(budgets: Endpoint, ctx: RequestContext, pdb: Obj, pod: str) -> None:
    """Take one disruption from the budget, or refuse with 429 as Kubernetes does."""
    name = pdb["metadata"]["name"]
    status_ctx = dataclasses.replace(ctx, field_manager="", subresource="status")

    def take(current: Obj) -> Obj:
        status = current.setdefault("status", {})
        if (status.get("observedGeneration") or 0) < (current["metadata"].get("generation") or 0):
            raise errors.too_many_requests(
                "Cannot evict pod as it would violate the pod's disruption budget. "
                "The disruption budget is still being processed by the server.",
                10,
            )
        allowed = int(status.get("disruptionsAllowed") or 0)
        if allowed <= 0:
            raise errors.too_many_requests(
                "Cannot evict pod as it would violate the pod's disruption budget. The disruption budget "
                f"{name} needs {status.get('desiredHealthy', 0)} healthy pods and has "
                f"{status.get('currentHealthy', 0)} currently",
                10,
            )
        status["disruptionsAllowed"] = allowed - 1
        disrupted = dict(status.get("disruptedPods") or {})
        disrupted[pod] = rfc3339(ctx.now)
        status["disruptedPods"] = disrupted
        return current

    await budgets.storage.update(status_ctx, name, take)


async def request_token(
    server: ApiServer,
    tokens: ServiceAccountTokens,
    accounts: Endpoint,
    ctx: RequestContext,
    name: str,
    body: Obj,
) -> tuple[int, Obj]:
    """serviceaccounts/token: a TokenRequest answered with a signed token."""
    account = await accounts.storage.get(ctx.namespace, name)
    spec = body.get("spec") or {}
    expiration = int(spec.get("expirationSeconds") or DEFAULT_EXPIRATION)
    if not MIN_EXPIRATION <= expiration <= MAX_EXPIRATION:
        from pyk8s.api.fields import invalid

        raise errors.invalid(
            "TokenRequest",
            name,
            [
                invalid(
                    "spec.expirationSeconds", expiration, "may not specify a duration less than 10 minutes"
                )
            ],
            group="authentication.k8s.io",
        )
    bound = spec.get("boundObjectRef")
    if bound:
        kind = bound.get("kind", "")
        resource = {"Pod": "pods", "Secret": "secrets", "Node": "nodes"}.get(kind)
        if resource is None:
            from pyk8s.api.fields import not_supported

            raise errors.invalid(
                "TokenRequest",
                name,
                [not_supported("spec.boundObjectRef.kind", kind, ["Pod", "Secret", "Node"])],
                group="authentication.k8s.io",
            )
        endpoint = server.endpoint("", "v1", resource)
        assert endpoint is not None
        target = await endpoint.storage.get("" if kind == "Node" else ctx.namespace, bound.get("name", ""))
        if bound.get("uid") and bound["uid"] != target["metadata"]["uid"]:
            raise errors.conflict(
                "serviceaccounts", name, "the UID in the bound object reference does not match"
            )
        bound = {"kind": kind, "name": bound.get("name", ""), "uid": target["metadata"]["uid"]}
    token, expires = tokens.issue(
        namespace=ctx.namespace,
        name=name,
        uid=account["metadata"]["uid"],
        audiences=list(spec.get("audiences") or []),
        expiration=expiration,
        now=ctx.now,
        bound=bound,
    )
    answer = copy.deepcopy(body)
    answer.setdefault("metadata", {})["name"] = name
    answer["metadata"]["namespace"] = ctx.namespace
    answer.setdefault("spec", {}).setdefault("audiences", [tokens.issuer])
    answer["spec"]["expirationSeconds"] = expiration
    answer["status"] = {"token": token, "expirationTimestamp": rfc3339(expires)}
    return 201, answer
