"""`[]byte` fields: padded standard base64, refused with Go's decoder error otherwise."""

from __future__ import annotations

import pytest

from pyk8s.api.schema import DecodeError, base64_problem, decode
from pyk8s.kinds.core.types import Secret


@pytest.mark.parametrize(
    ("value", "offset"),
    [
        pytest.param("", None, id="empty"),
        pytest.param("aGVsbG8=", None, id="padded"),
        pytest.param("aGVsbA==", None, id="double-padded"),
        pytest.param("aGVs\r\nbG8=", None, id="line-breaks-skipped"),
        pytest.param("aGVsbG8", 4, id="cut-short"),
        pytest.param("a", 0, id="one-char"),
        pytest.param("ab!d", 2, id="bad-char"),
        pytest.param("aGVsbG8==", 8, id="trailing-garbage"),
        pytest.param("aGVsbA=", 7, id="half-padding"),
        pytest.param("aGVsbA=x", 6, id="padding-then-char"),
        pytest.param("ab=c", 2, id="early-padding"),
    ],
)
def test_base64_errors_match_go(value: str, offset: int | None) -> None:
    expected = "" if offset is None else f"illegal base64 data at input byte {offset}"
    assert base64_problem(value) == expected


def test_secret_data_must_be_base64() -> None:
    good = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "dmFsdWU="}}
    decode(good, Secret)
    bad = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": "not base64!"}}
    with pytest.raises(DecodeError, match="illegal base64 data at input byte 3"):
        decode(bad, Secret)
