"""Bad values in field errors are printed as apimachinery prints them: strings with Go's `%q`
(`strconv.Quote`), so a control character reads `\\x01` in the message, never JSON's
`\\u0001`; the Status body then JSON-encodes that message as kube-apiserver does."""

from __future__ import annotations

import orjson
import pytest

from pyk8s.api import errors
from pyk8s.api.fields import duplicate, invalid, not_supported


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("plain", '"plain"'),
        ("a\x01b", '"a\\x01b"'),
        ("tab\there", '"tab\\there"'),
        ("bell\x07", '"bell\\a"'),
        ("del\x7f", '"del\\x7f"'),
        ('quote"back\\', '"quote\\"back\\\\"'),
        ("<tag>&", '"<tag>&"'),  # %q does not escape HTML, unlike encoding/json
        ("café", '"café"'),
        ("line\u2028sep", '"line\\u2028sep"'),
    ],
)
def test_string_values_are_go_quoted(value: str, quoted: str) -> None:
    assert invalid("metadata.name", value, "bad").body() == f"Invalid value: {quoted}: bad"
    assert duplicate("spec.x", value).body() == f"Duplicate value: {quoted}"


def test_supported_values_are_go_quoted() -> None:
    error = not_supported("spec.policy", "x\x01", ["Always", "Never\x02"])
    assert error.body() == 'Unsupported value: "x\\x01": supported values: "Always", "Never\\x02"'


def test_status_bytes_match_kube_apiserver() -> None:
    err = errors.invalid("configmaps", "web", [invalid("metadata.labels", "a\x01b", "bad")])
    body = orjson.dumps(err.status())
    # the message holds a backslash, 'x', '0', '1' (Go's %q); JSON then escapes the backslash
    assert b'metadata.labels: Invalid value: \\"a\\\\x01b\\": bad' in body
    assert b"\\u0001" not in body and b"\x01" not in body
