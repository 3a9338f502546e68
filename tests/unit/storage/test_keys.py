import pytest

from pyk8s.storage.errors import InvalidKeyError, ValueTooLargeError
from pyk8s.storage.keys import (
    MAX_VALUE_BYTES,
    check_key,
    check_prefix,
    check_revision,
    check_value,
    prefix_end,
)


@pytest.mark.parametrize(
    "key",
    ["/registry/pods/default/web-1", "/a", "/registry/apps.example.com/widgets/ns/x:y@z", "/a/..b/c."],
)
def test_valid_keys_pass(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize(
    "key", ["", "a", "/", "/a/", "//a", "/a//b", "/a/./b", "/a/..", "/a b", "/é", "/a\nb"]
)
def test_invalid_keys_raise(key: str) -> None:
    with pytest.raises(InvalidKeyError):
        check_key(key)


def test_non_string_key_raises() -> None:
    with pytest.raises(InvalidKeyError):
        check_key(b"/bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize("prefix", ["/", "/registry/", "/registry/pods/default/"])
def test_valid_prefixes(prefix: str) -> None:
    assert check_prefix(prefix) == prefix


@pytest.mark.parametrize("prefix", ["", "/registry", "//", "registry/"])
def test_invalid_prefixes(prefix: str) -> None:
    with pytest.raises(InvalidKeyError):
        check_prefix(prefix)


def test_prefix_end_bounds_exactly_the_prefix() -> None:
    end = prefix_end("/registry/pods/")
    assert "/registry/pods/zzz" < end <= "/registry/pods0"
    assert not end > "/registry/podsx"


def test_value_limit() -> None:
    assert check_value("/k", b"x" * MAX_VALUE_BYTES)
    with pytest.raises(ValueTooLargeError) as info:
        check_value("/k", b"x" * (MAX_VALUE_BYTES + 1))
    assert info.value.limit == MAX_VALUE_BYTES
    with pytest.raises(TypeError):
        check_value("/k", "text")  # type: ignore[arg-type]


@pytest.mark.parametrize("revision", [-1, 1.5, "3", True])
def test_bad_revisions(revision: object) -> None:
    with pytest.raises(ValueError):
        check_revision(revision)  # type: ignore[arg-type]
