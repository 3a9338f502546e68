"""The key scheme and the input checks every backend applies before touching data.

A key is an absolute path of one or more segments, such as `/registry/pods/default/web-1`:
it starts with `/`, has no empty, `.` or `..` segment and no trailing `/`, and uses
printable ASCII only (Kubernetes names, namespaces, groups and resources all fit). A
prefix for list and watch is `/` or a key followed by `/`. Keys sort as bytes in every
backend, so a prefix is the half-open range [prefix, prefix_end(prefix)).
"""

from __future__ import annotations

import re

from pyk8s.storage.errors import (
    InvalidKeyError,
    RevisionCompactedError,
    RevisionTooNewError,
    ValueTooLargeError,
)

MAX_KEY_BYTES = 1024
# Kubernetes refuses request bodies over 3 MiB; a stored object can be no larger.
MAX_VALUE_BYTES = 3 * 1024 * 1024

_SEGMENT = r"[\x21-\x2e\x30-\x7e]+"  # printable ASCII without '/'
_KEY_RE = re.compile(rf"(?:/{_SEGMENT})+")
_DOT_SEGMENT_RE = re.compile(r"/\.\.?(?:/|$)")


def check_key(key: str) -> str:
    """Return `key` if it follows the key scheme, else raise `InvalidKeyError`."""
    if not isinstance(key, str):
        raise InvalidKeyError(f"key must be a string, not {type(key).__name__}")
    if not key:
        raise InvalidKeyError("key must not be empty")
    if len(key) > MAX_KEY_BYTES:
        raise InvalidKeyError(f"key is longer than {MAX_KEY_BYTES} bytes", key=key[:64])
    if not _KEY_RE.fullmatch(key) or _DOT_SEGMENT_RE.search(key):
        raise InvalidKeyError(f"key {key!r} is not an absolute path of printable ASCII segments", key=key)
    return key


def check_prefix(prefix: str) -> str:
    """Return `prefix` if it is `/` or a valid key followed by `/`, else raise."""
    if prefix == "/":
        return prefix
    if not isinstance(prefix, str) or not prefix.endswith("/"):
        raise InvalidKeyError(f"prefix {prefix!r} must be '/' or end with '/'", key=str(prefix))
    check_key(prefix[:-1])
    return prefix


def check_value(key: str, value: bytes) -> bytes:
    """Return `value` if it is bytes within the size limit, else raise."""
    if not isinstance(value, bytes | bytearray | memoryview):
        raise TypeError(f"value for {key!r} must be bytes, not {type(value).__name__}")
    if len(value) > MAX_VALUE_BYTES:
        raise ValueTooLargeError(key, len(value), MAX_VALUE_BYTES)
    return bytes(value)


def check_revision(revision: int) -> int:
    """Revisions are non-negative integers; 0 in a read means "latest"."""
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
        raise ValueError(f"revision must be a non-negative integer, not {revision!r}")
    return revision


def check_read_revision(revision: int, *, current: int, compacted: int) -> int:
    """The revision a read at `revision` sees (0: `current`), or raise if it is out of range."""
    check_revision(revision)
    if revision == 0:
        return current
    if revision > current:
        raise RevisionTooNewError(revision, current)
    if revision < compacted:
        raise RevisionCompactedError(revision, compacted)
    return revision


def prefix_end(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    # Keys are printable ASCII, so bumping the last character never overflows.
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
