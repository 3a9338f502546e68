"""Validation rules shared by core kinds."""

from __future__ import annotations

import re
from typing import Any

from pyk8s.api.fields import FieldErrors, invalid

_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")


def validate_config_keys(data: dict[str, Any], path: str) -> FieldErrors:
    """Keys of ConfigMap and Secret data: file-name-safe, at most 253 characters."""
    errs: FieldErrors = []
    for key in data:
        if len(key) > 253:
            errs.append(invalid(path, key, "must be no more than 253 characters"))
        if not _CONFIG_KEY.fullmatch(key) or key in (".", ".."):
            errs.append(
                invalid(
                    path,
                    key,
                    "a valid config key must consist of alphanumeric characters, '-', '_' "
                    "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
                    "validation is '[-._a-zA-Z0-9]+')",
                )
            )
    return errs
