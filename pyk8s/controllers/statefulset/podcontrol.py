"""Creating, updating and deleting a StatefulSet's pods and claims, with the events
Kubernetes records (kube-controller-manager's `StatefulPodControl`).

    SuccessfulCreate  "create Pod web-0 in StatefulSet web successful"
    SuccessfulCreate  "create Claim www-web-0 Pod web-0 in StatefulSet web success"
    SuccessfulDelete  "delete Pod web-2 in StatefulSet web successful"
    SuccessfulUpdate  "update Pod web-1 in StatefulSet web successful"
    Failed<Verb>      "<verb> Pod web-0 in StatefulSet web failed error: <message>"  (Warning)

A pod's claims are created before the pod; then their owner references are set as the
retention policy asks (`identity.claim_with_owners`). Claims are read from the informer.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from pyk8s.api.errors import AlreadyExistsError, ConflictError, NotFoundError, StatusError
from pyk8s.client.events import NORMAL, WARNING, EventRecorder
from pyk8s.client.informers import SharedInformer
from pyk8s.client.resources import PERSISTENTVOLUMECLAIMS, PODS
from pyk8s.client.rest import Client
from pyk8s.controllers.statefulset import identity as ident
from pyk8s.controllers.statefulset.plan import Action, Verb

Obj = dict[str, Any]


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _message(err: BaseException) -> str:
    return err.message if isinstance(err, StatusError) else (str(err) or type(err).__name__)


class StatefulPodControl:
    """Carries out plan actions through the client (see the module docstring)."""

    def __init__(self, client: Client, claims: SharedInformer, recorder: EventRecorder) -> None:
        self.client = client
        self.claims = claims
        self.recorder = recorder

    def claim_lookup(self, namespace: str) -> Callable[[str], Obj | None]:
        """Claims of `namespace` by name, from the cache."""
        lister = self.claims.lister
        return lambda name: lister.get(name, namespace)

    async def act(self, sts: Obj, action: Action) -> None:
        pod = action.pod
        if action.verb is Verb.CREATE:
            await self.create_pod(sts, pod)
        elif action.verb is Verb.DELETE:
            await self.delete_pod(sts, pod, missing_ok=action.rolling)
        elif action.verb is Verb.UPDATE:
            await self.update_pod(sts, pod)
        elif action.verb is Verb.CLAIMS:
            await self.create_claims(sts, pod)
            await self.fix_claim_owners(sts, pod)
        else:
            await self.fix_claim_owners(sts, pod)

    async def create_pod(self, sts: Obj, pod: Obj) -> None:
        try:
            await self.create_claims(sts, pod)
        except Exception as err:
            self._pod_event(sts, pod, "create", err)
            raise
        try:
            await self.client.create(PODS, pod)
        except AlreadyExistsError:
            raise  # the cache is behind; the retry sees the pod
        except StatusError as err:
            self._pod_event(sts, pod, "create", err)
            raise
        try:
            await self.fix_claim_owners(sts, pod)
        except Exception as err:
            self._pod_event(sts, pod, "update", err)
            raise
        self._pod_event(sts, pod, "create", None)

    async def delete_pod(self, sts: Obj, pod: Obj, *, missing_ok: bool = False) -> None:
        meta = _meta(pod)
        try:
            await self.client.delete(
                PODS,
                meta["name"],
                namespace=meta.get("namespace"),
                preconditions={"uid": meta.get("uid", "")},
            )
        except NotFoundError as err:
            self._pod_event(sts, pod, "delete", err)
            if not missing_ok:
                raise
            return
        except (StatusError, ConflictError) as err:
            self._pod_event(sts, pod, "delete", err)
            raise
        self._pod_event(sts, pod, "delete", None)

    async def update_pod(self, sts: Obj, pod: Obj) -> None:
        """Restore the pod's identity and storage and its claims' owners (UpdateStatefulPod)."""
        updated = copy.deepcopy(pod)
        consistent = True
        if not ident.identity_matches(sts, updated):
            ident.update_identity(sts, updated)
            consistent = False
        try:
            if not ident.storage_matches(sts, updated):
                ident.update_storage(sts, updated)
                consistent = False
                await self.create_claims(sts, updated)
            lookup = self.claim_lookup(_meta(sts).get("namespace", ""))
            if not ident.claims_match_policy(sts, updated, lookup):
                await self.fix_claim_owners(sts, updated)
                consistent = False
        except Exception as err:
            self._pod_event(sts, pod, "update", err)
            raise
        if consistent:
            return
        try:
            await self.client.update(PODS, updated)
        except Exception as err:
            self._pod_event(sts, pod, "update", err)
            raise
        self._pod_event(sts, pod, "update", None)

    async def create_claims(self, sts: Obj, pod: Obj) -> None:
        """Create the pod's missing claims (createPersistentVolumeClaims)."""
        errors: list[Exception] = []
        for claim in ident.pod_claims(sts, ident.ordinal_of(pod)).values():
            meta = claim["metadata"]
            existing = self.claims.lister.get(meta["name"], meta["namespace"])
            if existing is not None:
                if _meta(existing).get("deletionTimestamp"):
                    errors.append(RuntimeError(f"pvc {meta['name']} is being deleted"))
                continue
            try:
                await self.client.create(PERSISTENTVOLUMECLAIMS, claim)
            except AlreadyExistsError:
                continue  # the cache is behind: it is there
            except Exception as err:
                errors.append(RuntimeError(f"failed to create PVC {meta['name']}: {_message(err)}"))
                self._claim_event(sts, pod, claim, err)
                continue
            self._claim_event(sts, pod, claim, None)
        if errors:
            raise errors[0]

    async def fix_claim_owners(self, sts: Obj, pod: Obj) -> None:
        """Set the owner references of the pod's claims per the retention policy."""
        namespace = _meta(sts).get("namespace", "")
        for template in ident.claim_templates(sts):
            name = ident.claim_name(sts, template, ident.ordinal_of(pod))
            claim = self.claims.lister.get(name, namespace)
            if claim is None:
                continue  # picked up once it exists
            if ident.has_unexpected_controller(claim, sts, pod):
                message = (
                    f"PersistentVolumeClaim {name} has a conflicting OwnerReference that acts as a manging "
                    "controller, the retention policy is ignored for this claim"
                )
                self.recorder.event(sts, WARNING, "ConflictingController", message)
            if not ident.claim_owners_up_to_date(claim, sts, pod):
                await self.client.update(PERSISTENTVOLUMECLAIMS, ident.claim_with_owners(claim, sts, pod))

    def _pod_event(self, sts: Obj, pod: Obj, verb: str, err: BaseException | None) -> None:
        name, owner = _meta(pod).get("name", ""), _meta(sts).get("name", "")
        if err is None:
            message = f"{verb} Pod {name} in StatefulSet {owner} successful"
            self.recorder.event(sts, NORMAL, f"Successful{verb.title()}", message)
        else:
            message = f"{verb} Pod {name} in StatefulSet {owner} failed error: {_message(err)}"
            self.recorder.event(sts, WARNING, f"Failed{verb.title()}", message)

    def _claim_event(self, sts: Obj, pod: Obj, claim: Obj, err: BaseException | None) -> None:
        claim_name, pod_name, owner = (
            _meta(claim)["name"],
            _meta(pod).get("name", ""),
            _meta(sts).get("name", ""),
        )
        if err is None:
            message = f"create Claim {claim_name} Pod {pod_name} in StatefulSet {owner} success"
            self.recorder.event(sts, NORMAL, "SuccessfulCreate", message)
        else:
            message = f"create Claim {claim_name} for Pod {pod_name} in StatefulSet {owner} failed error: "
            message += _message(err)
            self.recorder.event(sts, WARNING, "FailedCreate", message)
