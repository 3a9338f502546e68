"""CertificateSigningRequest: the PEM request, signer names, usages, the requester's
identity, and what each write path (main, approval, status) may change."""

from __future__ import annotations

import base64
import copy
import datetime as dt
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pyk8s.api.fields import ErrorType
from pyk8s.api.meta import parse_time
from pyk8s.api.resource import RequestContext
from pyk8s.kinds.certificates.certificatesigningrequest import RESOURCE, CertificateSigningRequestStrategy

NOW_TEXT = "2026-01-01T00:00:00Z"
NOW = parse_time(NOW_TEXT)
CTX = RequestContext(user="alice", groups=("devs", "system:authenticated"), now=NOW)
APPROVAL = RequestContext(user="admin", subresource="approval", now=NOW + 60)
STATUS = RequestContext(user="signer", subresource="status", now=NOW + 120)
S = CertificateSigningRequestStrategy()
R, INV, NS, D, F = (
    ErrorType.REQUIRED,
    ErrorType.INVALID,
    ErrorType.NOT_SUPPORTED,
    ErrorType.DUPLICATE,
    ErrorType.FORBIDDEN,
)

KEY = ec.generate_private_key(ec.SECP256R1())
CSR_PEM = (
    x509.CertificateSigningRequestBuilder()
    .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alice")]))
    .sign(KEY, hashes.SHA256())
    .public_bytes(serialization.Encoding.PEM)
)
CERT_PEM = (
    x509.CertificateBuilder()
    .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alice")]))
    .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ca")]))
    .public_key(KEY.public_key())
    .serial_number(1)
    .not_valid_before(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    .not_valid_after(dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    .sign(KEY, hashes.SHA256())
    .public_bytes(serialization.Encoding.PEM)
)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def csr(**spec: Any) -> dict[str, Any]:
    full = {"request": b64(CSR_PEM), "signerName": "example.com/signer", "usages": ["client auth"]}
    full.update(spec)
    return {
        "apiVersion": "certificates.k8s.io/v1",
        "kind": "CertificateSigningRequest",
        "metadata": {"name": "alice", "creationTimestamp": NOW_TEXT},
        "spec": {k: v for k, v in full.items() if v is not None},
    }


def created(**spec: Any) -> dict[str, Any]:
    obj = csr(**spec)
    S.default(obj)
    S.prepare_for_create(CTX, obj)
    return obj


def problems(errs: list[Any]) -> list[tuple[ErrorType, str]]:
    return [(e.type, e.field) for e in errs]


def test_resource_info() -> None:
    assert (RESOURCE.plural, RESOURCE.singular, RESOURCE.short_names, RESOURCE.namespaced) == (
        "certificatesigningrequests",
        "certificatesigningrequest",
        ("csr",),
        False,
    )
    assert [(s.name, s.verbs) for s in RESOURCE.subresources] == [
        ("approval", ("get", "patch", "update")),
        ("status", ("get", "patch", "update")),
    ]


def test_create_records_the_requester_and_clears_status() -> None:
    obj = csr(username="mallory", groups=["system:masters"])
    obj["status"] = {"conditions": [{"type": "Approved", "status": "True"}]}
    S.prepare_for_create(CTX, obj)
    assert obj["spec"]["username"] == "alice"
    assert obj["spec"]["groups"] == ["devs", "system:authenticated"]
    assert obj["status"] == {}
    assert S.validate(CTX, obj) == []


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param({"request": b64(b"not a pem")}, [(INV, "spec.request")], id="not-pem"),
        pytest.param({"request": b64(CERT_PEM)}, [(INV, "spec.request")], id="a-certificate"),
        pytest.param(
            {
                "request": b64(
                    b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
                )
            },
            [(INV, "spec.request")],
            id="garbage-der",
        ),
        pytest.param({"request": "%%%"}, [(INV, "spec.request")], id="not-base64"),
        pytest.param({"signerName": None}, [(R, "spec.signerName")], id="no-signer"),
        pytest.param({"signerName": "signer"}, [(INV, "spec.signerName")], id="no-slash"),
        pytest.param({"signerName": "example/signer"}, [(INV, "spec.signerName")], id="one-label-domain"),
        pytest.param({"signerName": "kubernetes.io/legacy-unknown"}, [(INV, "spec.signerName")], id="legacy"),
        pytest.param({"usages": None}, [(R, "spec.usages")], id="no-usages"),
        pytest.param({"usages": ["client auth", "flying"]}, [(NS, "spec.usages[1]")], id="unknown-usage"),
        pytest.param(
            {"usages": ["client auth", "client auth"]}, [(D, "spec.usages[1]")], id="duplicate-usage"
        ),
        pytest.param({"expirationSeconds": 60}, [(INV, "spec.expirationSeconds")], id="short-expiration"),
    ],
)
def test_invalid(spec: dict[str, Any], expected: list[tuple[ErrorType, str]]) -> None:
    assert problems(S.validate(CTX, created(**spec))) == expected


def test_wording() -> None:
    errs = S.validate(CTX, created(request=b64(CERT_PEM), signerName="signer"))
    assert [e.detail for e in errs] == [
        "PEM block type must be CERTIFICATE REQUEST",
        "must be a fully qualified domain and path of the form 'example.com/signer-name'",
    ]


def test_a_tampered_request_fails_its_signature_check() -> None:
    csr_obj = x509.load_pem_x509_csr(CSR_PEM)
    der = bytearray(csr_obj.public_bytes(serialization.Encoding.DER))
    der[-1] ^= 0x01  # flip a bit of the signature
    pem = (
        b"-----BEGIN CERTIFICATE REQUEST-----\n"
        + base64.encodebytes(bytes(der))
        + b"-----END CERTIFICATE REQUEST-----\n"
    )
    errs = S.validate(CTX, created(request=b64(pem)))
    assert [(e.field, e.detail) for e in errs] in (
        [("spec.request", "x509: ECDSA verification failure")],
        [("spec.request", "x509: malformed certificate request")],
    )


def test_main_resource_changes_neither_spec_nor_status() -> None:
    old = created()
    new = copy.deepcopy(old)
    new["spec"]["usages"] = ["server auth"]
    new["status"] = {"conditions": [{"type": "Approved", "status": "True"}]}
    new["metadata"]["labels"] = {"team": "a"}
    S.prepare_for_update(CTX, new, old)
    assert new["spec"] == old["spec"] and new["status"] == old["status"]
    assert S.validate_update(CTX, new, old) == []


def approve(obj: dict[str, Any], kind: str = "Approved") -> dict[str, Any]:
    new = copy.deepcopy(obj)
    new["status"] = {"conditions": [{"type": kind, "status": "True", "reason": "AutoApproved"}]}
    return new


def test_approval_sets_conditions_with_timestamps() -> None:
    old = created()
    new = approve(old)
    new["status"]["certificate"] = b64(CERT_PEM)  # not through approval
    S.prepare_for_update(APPROVAL, new, old)
    assert "certificate" not in new["status"]
    condition = new["status"]["conditions"][0]
    assert condition["lastUpdateTime"] == condition["lastTransitionTime"] == "2026-01-01T00:01:00Z"
    assert S.validate_update(APPROVAL, new, old) == []


def test_approval_cannot_be_added_through_the_main_resource_or_status() -> None:
    old = created()
    errs = S.validate_update(CTX, approve(old), old)
    assert [str(e) for e in errs] == [
        'status.conditions: Forbidden: updates may not add a condition of type "Approved"'
    ]
    new = approve(old)
    S.prepare_for_status_update(STATUS, new, old)
    assert problems(S.validate_status_update(STATUS, new, old)) == [(F, "status.conditions")]


def test_approved_and_denied_are_exclusive_and_final() -> None:
    old = created()
    both = copy.deepcopy(old)
    both["status"] = {
        "conditions": [{"type": "Approved", "status": "True"}, {"type": "Denied", "status": "True"}]
    }
    assert [e.detail for e in S.validate_update(APPROVAL, both, old)] == [
        "Approved and Denied conditions are mutually exclusive"
    ]
    approved = approve(old)
    removed = copy.deepcopy(approved)
    removed["status"] = {}
    assert [e.detail for e in S.validate_update(APPROVAL, removed, approved)] == [
        'updates may not remove a condition of type "Approved"'
    ]
    false = approve(old)
    false["status"]["conditions"][0]["status"] = "False"
    assert problems(S.validate_update(APPROVAL, false, old)) == [(NS, "status.conditions[0].status")]


def test_status_sets_the_certificate_once() -> None:
    pending = created()
    old = approve(pending)
    S.prepare_for_update(APPROVAL, old, pending)
    new = copy.deepcopy(old)
    new["status"]["certificate"] = b64(CERT_PEM)
    new["status"]["conditions"][0]["reason"] = "changed"  # approval conditions are kept as they were
    S.prepare_for_status_update(STATUS, new, old)
    assert new["status"]["conditions"][0]["reason"] == "AutoApproved"
    assert S.validate_status_update(STATUS, new, old) == []
    again = copy.deepcopy(new)
    again["status"]["certificate"] = b64(CERT_PEM + CERT_PEM)
    assert [e.detail for e in S.validate_status_update(STATUS, again, new)] == [
        "updates may not modify existing certificate content"
    ]
    bad = copy.deepcopy(old)
    bad["status"]["certificate"] = b64(CSR_PEM)
    assert [(e.field, e.detail) for e in S.validate_status_update(STATUS, bad, old)] == [
        ("status.certificate", 'only CERTIFICATE PEM blocks are allowed, found "CERTIFICATE REQUEST"')
    ]


@pytest.mark.parametrize(
    ("status", "spec", "cells"),
    [
        pytest.param(
            {}, {}, ["alice", "60s", "example.com/signer", "alice", "<none>", "Pending"], id="pending"
        ),
        pytest.param(
            {"conditions": [{"type": "Approved", "status": "True"}], "certificate": "Y2VydA=="},
            {"expirationSeconds": 86400},
            ["alice", "60s", "example.com/signer", "alice", "24h", "Approved,Issued"],
            id="issued",
        ),
        pytest.param(
            {"conditions": [{"type": "Denied", "status": "True"}, {"type": "Failed", "status": "True"}]},
            {"expirationSeconds": 3600},
            ["alice", "60s", "example.com/signer", "alice", "60m", "Denied,Failed"],
            id="denied",
        ),
    ],
)
def test_table_row(status: dict[str, Any], spec: dict[str, Any], cells: list[Any]) -> None:
    obj = created(**spec)
    obj["status"] = status
    assert [c["name"] for c in S.table_columns()] == [
        "Name",
        "Age",
        "SignerName",
        "Requestor",
        "RequestedDuration",
        "Condition",
    ]
    assert S.table_row(obj, NOW + 60) == cells
