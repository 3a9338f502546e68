"""CertificateSigningRequest: a PKCS#10 request for a certificate from a named signer.

The requester's identity is recorded by the server. Approval (`Approved`/`Denied`
conditions) changes only through the `approval` subresource, the issued certificate only
through `status`; the main resource changes neither.
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from pyk8s.api.fields import (
    FieldErrors,
    FieldPath,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
    too_long,
)
from pyk8s.api.meta import rfc3339
from pyk8s.api.resource import (
    AGE,
    NAME,
    Column,
    Obj,
    RequestContext,
    ResourceInfo,
    ResourceStrategy,
    Subresource,
)
from pyk8s.api.table import age, human_duration
from pyk8s.api.validation import dns1123_label, dns1123_subdomain, path_segment_name
from pyk8s.kinds.certificates import types

RESOURCE = ResourceInfo(
    group="certificates.k8s.io",
    version="v1",
    kind="CertificateSigningRequest",
    plural="certificatesigningrequests",
    singular="certificatesigningrequest",
    namespaced=False,
    short_names=("csr",),
    subresources=(
        Subresource("approval", ("get", "patch", "update")),
        Subresource("status", ("get", "patch", "update")),
    ),
)

LEGACY_UNKNOWN_SIGNER = "kubernetes.io/legacy-unknown"
USAGES = sorted(
    [
        "signing",
        "digital signature",
        "content commitment",
        "key encipherment",
        "key agreement",
        "data encipherment",
        "cert sign",
        "crl sign",
        "encipher only",
        "decipher only",
        "any",
        "server auth",
        "client auth",
        "code signing",
        "email protection",
        "s/mime",
        "ipsec end system",
        "ipsec tunnel",
        "ipsec user",
        "timestamping",
        "ocsp signing",
        "microsoft sgc",
        "netscape sgc",
    ]
)
TRUE_ONLY_CONDITIONS = ("Approved", "Denied", "Failed")
STATUS_VALUES = ["False", "True", "Unknown"]
MIN_EXPIRATION_SECONDS = 600

_PEM_BLOCK = re.compile(rb"-----BEGIN ([^\n-]*)-----\r?\n(.*?)-----END \1-----", re.DOTALL)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def pem_blocks(data: bytes) -> list[tuple[str, dict[str, str], bytes]]:
    """The PEM blocks of `data`: (type, headers, decoded body); unreadable blocks end the list."""
    blocks = []
    for match in _PEM_BLOCK.finditer(data):
        kind = match.group(1).decode("ascii", "replace")
        headers: dict[str, str] = {}
        lines = match.group(2).splitlines()
        while lines and b":" in lines[0]:
            key, _, value = lines.pop(0).partition(b":")
            headers[key.decode(errors="replace").strip()] = value.decode(errors="replace").strip()
        try:
            body = base64.b64decode(b"".join(line.strip() for line in lines), validate=True)
        except (binascii.Error, ValueError):
            break
        blocks.append((kind, headers, body))
    return blocks


def _decode_bytes(value: Any) -> bytes | None:
    """A base64 `[]byte` field, or None when it does not decode."""
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def check_request(request: str) -> str:
    """Why `request` is not a signed PEM PKCS#10 request, or "" if it is."""
    data = _decode_bytes(request)
    if data is None:
        return "illegal base64 data"
    blocks = pem_blocks(data)
    if not blocks or blocks[0][0] != "CERTIFICATE REQUEST":
        return "PEM block type must be CERTIFICATE REQUEST"
    try:
        csr = x509.load_der_x509_csr(blocks[0][2])
        key = csr.public_key()
        valid = csr.is_signature_valid
    except (ValueError, TypeError, x509.UnsupportedGeneralNameType):
        return "x509: malformed certificate request"
    except Exception:  # unsupported key or signature algorithms
        return "x509: cannot verify signature: algorithm unimplemented"
    if valid:
        return ""
    if isinstance(key, rsa.RSAPublicKey):
        return "crypto/rsa: verification error"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "x509: ECDSA verification failure"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "x509: Ed25519 verification failure"
    return "x509: signature verification failure"


def check_certificate(certificate: str) -> str:
    """Why status.certificate is not a PEM bundle of certificates, or "" (empty is fine)."""
    data = _decode_bytes(certificate)
    if data is None:
        return "illegal base64 data"
    if not data:
        return ""
    blocks = pem_blocks(data)
    for kind, headers, body in blocks:
        if kind != "CERTIFICATE":
            return f'only CERTIFICATE PEM blocks are allowed, found "{kind}"'
        if headers:
            return "no PEM block headers are permitted"
        try:
            x509.load_der_x509_certificate(body)
        except ValueError:
            return "x509: malformed certificate"
    if not blocks:
        return "must contain at least one CERTIFICATE PEM block"
    return ""


def validate_signer_name(path: FieldPath, signer: str) -> FieldErrors:
    """`example.com/signer-name`: a DNS domain with a dot, a slash, and a dotted path."""
    if not signer:
        return [required(path)]
    parts = signer.split("/")
    if len(parts) != 2:
        return [
            invalid(
                path,
                signer,
                "must be a fully qualified domain and path of the form 'example.com/signer-name'",
            )
        ]
    domain, rest = parts
    errs: FieldErrors = []
    if len(domain) > 253:
        errs.append(too_long(path, 253))
    labels = domain.split(".")
    for label in labels:
        problems = dns1123_label(label)
        if problems:
            errs += [invalid(path, domain, f'validating label "{label}": {p}') for p in problems]
            break
    if len(labels) < 2:
        errs.append(invalid(path, domain, "should be a domain with at least two segments separated by dots"))
    for label in rest.split("."):
        problems = dns1123_subdomain(label)
        if problems:
            errs += [invalid(path, rest, f'validating label "{label}": {p}') for p in problems]
            break
    if len(signer) > 253 + 253 + 63 + 2:
        errs.append(too_long(path, 253 + 253 + 63 + 2))
    return errs


def _conditions(obj: Obj) -> list[dict[str, Any]]:
    return [c for c in _dict(obj.get("status")).get("conditions") or [] if isinstance(c, dict)]


def _of_type(obj: Obj, kind: str) -> list[dict[str, Any]]:
    return [c for c in _conditions(obj) if c.get("type") == kind]


def _has_duplicate_types(obj: Obj) -> bool:
    kinds = [c.get("type") for c in _conditions(obj)]
    return len(kinds) != len(set(kinds))


def validate_csr(obj: Obj, old: Obj | None) -> FieldErrors:
    """The request, usages, signer and conditions (create, and every update path)."""
    spec, path = _dict(obj.get("spec")), FieldPath("spec")
    errs: FieldErrors = []
    problem = check_request(spec.get("request", ""))
    if problem:
        errs.append(invalid(path.child("request"), spec.get("request", ""), problem))
    usages = spec.get("usages") or []
    if not usages:
        errs.append(required(path.child("usages")))
    old_usages = _dict((old or {}).get("spec")).get("usages") or []
    if not any(u not in USAGES for u in old_usages):
        for i, usage in enumerate(usages):
            if usage not in USAGES:
                errs.append(not_supported(path.child("usages").index(i), usage, USAGES))
    if len(set(old_usages)) == len(old_usages):
        for i, usage in enumerate(usages):
            if usage in usages[:i]:
                errs.append(duplicate(path.child("usages").index(i), usage))
    signer = spec.get("signerName", "")
    old_signer = _dict((old or {}).get("spec")).get("signerName")
    if signer == LEGACY_UNKNOWN_SIGNER and old_signer != LEGACY_UNKNOWN_SIGNER:
        errs.append(
            invalid(
                path.child("signerName"), signer, "the legacy signerName is not allowed via this API version"
            )
        )
    else:
        errs += validate_signer_name(path.child("signerName"), signer)
    seconds = spec.get("expirationSeconds")
    if isinstance(seconds, int) and seconds < MIN_EXPIRATION_SECONDS:
        errs.append(
            invalid(
                path.child("expirationSeconds"),
                seconds,
                "may not specify a duration less than 600 seconds (10 minutes)",
            )
        )
    errs += _validate_conditions(obj, old)
    certificate = _dict(obj.get("status")).get("certificate", "")
    old_certificate = _dict((old or {}).get("status")).get("certificate", "")
    arbitrary = old is not None and (
        certificate == old_certificate or bool(old_certificate and check_certificate(old_certificate))
    )
    if not arbitrary:
        problem = check_certificate(certificate)
        if problem:
            errs.append(invalid("status.certificate", "<certificate data>", problem))
    return errs


def _validate_conditions(obj: Obj, old: Obj | None) -> FieldErrors:
    path = FieldPath("status", "conditions")
    errs: FieldErrors = []
    old_kinds = [c.get("type") for c in _conditions(old or {})]
    allow_empty = "" in old_kinds or None in old_kinds
    allow_both = "Approved" in old_kinds and "Denied" in old_kinds
    allow_duplicates = old is not None and _has_duplicate_types(old)
    seen: set[str] = set()
    approved = denied = False
    for i, condition in enumerate(_conditions(obj)):
        kind, status = condition.get("type", ""), condition.get("status", "")
        if not kind and not allow_empty:
            errs.append(required(path.index(i).child("type")))
        allowed = ["True"] if kind in TRUE_ONLY_CONDITIONS else STATUS_VALUES
        if not status:
            errs.append(required(path.index(i).child("status")))
        elif status not in allowed:
            errs.append(not_supported(path.index(i).child("status"), status, allowed))
        if not allow_both:
            if kind == "Approved":
                approved = True
                if denied:
                    errs.append(invalid(path, kind, "Approved and Denied conditions are mutually exclusive"))
            elif kind == "Denied":
                denied = True
                if approved:
                    errs.append(invalid(path, kind, "Approved and Denied conditions are mutually exclusive"))
        if not allow_duplicates:
            if kind in seen:
                errs.append(duplicate(path.index(i).child("type"), kind))
            seen.add(kind)
    return errs


def validate_csr_update(
    obj: Obj, old: Obj, *, approval: bool = False, certificate: bool = False
) -> FieldErrors:
    """What each write path may change: conditions only via approval, the certificate only via status."""
    errs = validate_csr(obj, old)
    path = FieldPath("status", "conditions")
    for kind in ("Approved", "Denied", "Failed"):
        if len(_of_type(obj, kind)) < len(_of_type(old, kind)):
            errs.append(forbidden(path, f'updates may not remove a condition of type "{kind}"'))
    if not approval:
        for kind in ("Approved", "Denied"):
            new, previous = _of_type(obj, kind), _of_type(old, kind)
            if len(new) > len(previous):
                errs.append(forbidden(path, f'updates may not add a condition of type "{kind}"'))
            elif len(new) == len(previous) and new != previous:
                errs.append(forbidden(path, f'updates may not modify a condition of type "{kind}"'))
    new_cert = _dict(obj.get("status")).get("certificate", "")
    old_cert = _dict(old.get("status")).get("certificate", "")
    if new_cert != old_cert:
        if not certificate:
            errs.append(forbidden("status.certificate", "updates may not set certificate content"))
        elif old_cert:
            errs.append(
                forbidden("status.certificate", "updates may not modify existing certificate content")
            )
    return errs


def preserve_conditions(obj: Obj, old: Obj, kind: str) -> None:
    """Keep the old instances of `kind` as they were, when their number did not change."""
    new_at = [i for i, c in enumerate(_conditions(obj)) if c.get("type") == kind]
    old_values = _of_type(old, kind)
    if len(new_at) != len(old_values):
        return
    conditions = _dict(obj.get("status")).get("conditions") or []
    for index, value in zip(new_at, old_values, strict=True):
        conditions[index] = copy.deepcopy(value)


def stamp_conditions(obj: Obj, old: Obj, now: float) -> None:
    """Fill in lastUpdateTime, and lastTransitionTime (kept while the status is unchanged)."""
    stamp = rfc3339(now)
    for condition in _conditions(obj):
        condition.setdefault("lastUpdateTime", stamp)
        if "lastTransitionTime" not in condition:
            for previous in _conditions(old):
                same = previous.get("type") == condition.get("type") and previous.get(
                    "status"
                ) == condition.get("status")
                if same and previous.get("lastTransitionTime"):
                    condition["lastTransitionTime"] = previous["lastTransitionTime"]
                    break
            else:
                condition["lastTransitionTime"] = stamp


def condition_summary(obj: Obj) -> str:
    """Denied, Approved or Pending, then ",Failed" and ",Issued" when they apply."""
    kinds = {c.get("type") for c in _conditions(obj)}
    text = "Denied" if "Denied" in kinds else "Approved" if "Approved" in kinds else "Pending"
    if "Failed" in kinds:
        text += ",Failed"
    if _dict(obj.get("status")).get("certificate"):
        text += ",Issued"
    return text


class CertificateSigningRequestStrategy(ResourceStrategy):
    info = RESOURCE
    schema = types.CertificateSigningRequest
    columns = (
        NAME,
        AGE,
        Column("SignerName", description="The signer asked to sign the request."),
        Column("Requestor", description="Who made the request."),
        Column("RequestedDuration", description="How long the certificate should be valid."),
        Column("Condition", description="Whether the request is approved, denied, failed or issued."),
    )

    @classmethod
    def validate_name(cls, name: str) -> list[str]:
        return path_segment_name(name)

    def prepare_for_create(self, ctx: RequestContext, obj: Obj) -> None:
        spec = obj.setdefault("spec", {})
        for key in ("username", "uid", "groups", "extra"):
            spec.pop(key, None)
        if ctx.user:
            spec["username"] = ctx.user
        if ctx.groups:
            spec["groups"] = list(ctx.groups)
        uid, extra = getattr(ctx, "uid", ""), getattr(ctx, "extra", ())
        if uid:
            spec["uid"] = uid
        if extra:
            spec["extra"] = {key: list(values) for key, values in extra}
        obj["status"] = {}  # nobody creates a pre-approved request

    def prepare_for_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        conditions = _dict(obj.get("status")).get("conditions")
        super().prepare_for_update(ctx, obj, old)  # status comes from the stored object
        obj["spec"] = copy.deepcopy(old.get("spec"))
        if ctx.subresource == "approval":  # ...except the conditions, which approval sets
            status = obj.setdefault("status", {})
            status.pop("conditions", None)
            if conditions:
                status["conditions"] = conditions
            preserve_conditions(obj, old, "Failed")
            stamp_conditions(obj, old, ctx.now)

    def prepare_for_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> None:
        super().prepare_for_status_update(ctx, obj, old)
        preserve_conditions(obj, old, "Approved")
        preserve_conditions(obj, old, "Denied")
        stamp_conditions(obj, old, ctx.now)

    def validate(self, ctx: RequestContext, obj: Obj) -> FieldErrors:
        return validate_csr(obj, None)

    def validate_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_csr_update(obj, old, approval=ctx.subresource == "approval")

    def validate_status_update(self, ctx: RequestContext, obj: Obj, old: Obj) -> FieldErrors:
        return validate_csr_update(obj, old, certificate=True)

    def table_row(self, obj: Obj, now: float) -> list[Any]:
        spec = _dict(obj.get("spec"))
        seconds = spec.get("expirationSeconds")
        return [
            obj["metadata"].get("name", ""),
            age(obj, now),
            spec.get("signerName") or "<none>",
            spec.get("username", ""),
            human_duration(seconds) if isinstance(seconds, int) else "<none>",
            condition_summary(obj),
        ]
