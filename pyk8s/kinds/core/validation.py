"""Validation rules of the core kinds: ConfigMap and Secret keys, environment variable names,
resource names and quantities, with Kubernetes' field paths and wording. The rules every
group shares (names, ports, IPs, label selectors, ...) are in `pyk8s.api.validation`."""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import Any

from pyk8s.api.fields import (
    ErrorType,
    FieldError,
    FieldErrors,
    FieldPath,
    duplicate,
    forbidden,
    invalid,
    required,
)
from pyk8s.api.quantity import Quantity
from pyk8s.api.validation import NONNEGATIVE, max_len, qualified_name, regex_error, validate_qualified_name

NOT_POSITIVE = "must be greater than zero"
NOT_INTEGER = "must be an integer"
FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive"
PROTOCOLS = ["SCTP", "TCP", "UDP"]
MAX_CONFIG_SIZE = 1024 * 1024  # Secrets and ConfigMaps
CONFIG_KEY_MAX = 253

_CONFIG_KEY = r"[-._a-zA-Z0-9]+"
_CONFIG_KEY_RE = re.compile(_CONFIG_KEY)


def config_key(value: str) -> list[str]:
    """IsConfigMapKey: a key of ConfigMap or Secret data (a file name in a volume)."""
    errs = []
    if len(value) > CONFIG_KEY_MAX:
        errs.append(max_len(CONFIG_KEY_MAX))
    if not _CONFIG_KEY_RE.fullmatch(value):
        errs.append(
            regex_error(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                _CONFIG_KEY,
                "key.name",
                "KEY_NAME",
                "key-name",
            )
        )
    if value == ".":
        errs.append("must not be '.'")
    elif value == "..":
        errs.append("must not be '..'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def validate_config_keys(data: dict[str, Any], path: FieldPath | str) -> FieldErrors:
    """Every key of a data map, reported at `path[key]`."""
    base = path if isinstance(path, FieldPath) else FieldPath(path)
    return [invalid(base.key(key), key, msg) for key in data for msg in config_key(key)]


def env_var_name(value: str) -> list[str]:
    """An environment variable name (the relaxed rule, on by default since Kubernetes 1.32)."""
    if not value:
        return ["environment variable name must be non-empty"]
    if any(not (32 <= ord(c) < 127) or c == "=" for c in value):
        return [
            "a valid environment variable name must consist only of printable ASCII characters other than '='"
        ]
    return []


def selector_matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


# quantities


def quantity_value(value: Any) -> Fraction | None:
    """The exact value of a resource quantity, or None when it does not parse."""
    if type(value) is str:
        # Manifests repeat a few quantities ("100m", "128Mi"), read by validation, QoS and
        # quota on every write: their values are kept (Fractions are immutable).
        return _string_quantity_value(value)
    return _quantity_value(value)


@functools.lru_cache(maxsize=4096)
def _string_quantity_value(value: str) -> Fraction | None:
    return _quantity_value(value)


def _quantity_value(value: Any) -> Fraction | None:
    try:
        return Quantity.parse(value if isinstance(value, int | float) else str(value)).as_fraction()
    except (ValueError, TypeError):
        return None


def compare_quantities(a: Any, b: Any) -> int:
    """-1, 0 or 1 as a < b, a == b, a > b (unparsable values compare equal)."""
    x, y = quantity_value(a), quantity_value(b)
    if x is None or y is None:
        return 0
    return (x > y) - (x < y)


def quantity_string(value: Any) -> str:
    """A quantity as Kubernetes prints it (its canonical form)."""
    try:
        return Quantity.parse(value if isinstance(value, int | float) else str(value)).canonical()
    except (ValueError, TypeError):
        return str(value)


def validate_nonnegative_quantity(value: Any, path: FieldPath | str) -> FieldErrors:
    parsed = quantity_value(value)
    if parsed is not None and parsed < 0:
        return [invalid(path, quantity_string(value), NONNEGATIVE)]
    return []


def validate_positive_quantity(value: Any, path: FieldPath | str) -> FieldErrors:
    parsed = quantity_value(value)
    if parsed is not None and parsed <= 0:
        return [invalid(path, quantity_string(value), NOT_POSITIVE)]
    return []


# resource names (pkg/apis/core/helper)

STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
_OBJECT_COUNTS = {
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
}
_COMPUTE = {
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
}
INTEGER_RESOURCES = _OBJECT_COUNTS | {"quota"}
STANDARD_RESOURCES = INTEGER_RESOURCES | _COMPUTE | {"storage", "requests.storage"}
STANDARD_QUOTA_RESOURCES = _OBJECT_COUNTS | _COMPUTE | {"requests.storage"}
HUGEPAGES = "hugepages-"


def is_hugepages(name: str) -> bool:
    return name.startswith(HUGEPAGES)


def is_native_resource(name: str) -> bool:
    return "/" not in name or name.startswith("kubernetes.io/")


def is_extended_resource(name: str) -> bool:
    if is_native_resource(name) or name.startswith("requests."):
        return False
    return not qualified_name("requests." + name)


def overcommit_allowed(name: str) -> bool:
    return is_native_resource(name) and not is_hugepages(name)


def is_integer_resource(name: str) -> bool:
    return name in INTEGER_RESOURCES or is_extended_resource(name)


def validate_resource_name(name: str, path: FieldPath | str) -> FieldErrors:
    errs = validate_qualified_name(name, path)
    if errs:
        return errs
    if "/" not in name and not (
        name in STANDARD_RESOURCES or is_hugepages(name) or name.startswith("requests." + HUGEPAGES)
    ):
        return [invalid(path, name, "must be a standard resource type or fully qualified")]
    return []


def validate_container_resource_name(name: str, path: FieldPath | str) -> FieldErrors:
    errs = validate_resource_name(name, path)
    if "/" not in name:
        if name not in STANDARD_CONTAINER_RESOURCES and not is_hugepages(name):
            return [*errs, invalid(path, name, "must be a standard resource for containers")]
    elif not is_native_resource(name) and not is_extended_resource(name):
        return [*errs, invalid(path, name, "doesn't follow extended resource name standard")]
    return errs


def validate_quota_resource_name(name: str, path: FieldPath | str) -> FieldErrors:
    errs = validate_resource_name(name, path)
    if "/" not in name and not (
        name in STANDARD_QUOTA_RESOURCES or is_hugepages(name) or name.startswith("requests." + HUGEPAGES)
    ):
        return [*errs, invalid(path, name, "must be a standard resource for quota")]
    return errs


def validate_quantity_value(name: str, value: Any, path: FieldPath | str) -> FieldErrors:
    """A resource quantity: not negative, integral for countable resources."""
    errs = validate_nonnegative_quantity(value, path)
    parsed = quantity_value(value)
    if is_integer_resource(name) and parsed is not None and (parsed * 1000) % 1000 != 0:
        errs.append(invalid(path, quantity_string(value), NOT_INTEGER))
    return errs


def validate_resource_requirements(
    resources: dict[str, Any], path: FieldPath, *, claim_names: set[str] | None = None
) -> FieldErrors:
    """Container resources: names, quantities, requests <= limits (ValidateResourceRequirements)."""
    errs: FieldErrors = []
    limits = resources.get("limits") or {}
    requests = resources.get("requests") or {}
    lim_path, req_path = path.child("limits"), path.child("requests")
    qos_lim = qos_req = huge_lim = huge_req = False
    for name, value in limits.items():
        rpath = lim_path.key(name)
        errs += validate_container_resource_name(name, rpath)
        errs += validate_quantity_value(name, value, rpath)
        huge_lim = huge_lim or is_hugepages(name)
        qos_lim = qos_lim or name in ("cpu", "memory")
    for name, value in requests.items():
        rpath = req_path.key(name)
        errs += validate_container_resource_name(name, rpath)
        errs += validate_quantity_value(name, value, rpath)
        if name in limits:
            cmp = compare_quantities(value, limits[name])
            limit = quantity_string(limits[name])
            if cmp != 0 and not overcommit_allowed(name):
                errs.append(
                    invalid(req_path, quantity_string(value), f"must be equal to {name} limit of {limit}")
                )
            elif cmp > 0:
                errs.append(
                    invalid(
                        req_path,
                        quantity_string(value),
                        f"must be less than or equal to {name} limit of {limit}",
                    )
                )
        elif not overcommit_allowed(name):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
        huge_req = huge_req or is_hugepages(name)
        qos_req = qos_req or name in ("cpu", "memory")
    if not qos_lim and not qos_req and (huge_lim or huge_req):
        errs.append(forbidden(path, "HugePages require cpu or memory"))
    names: set[str] = set()
    for i, claim in enumerate(resources.get("claims") or []):
        cpath = path.child("claims").index(i)
        name = claim.get("name", "")
        if not name:
            errs.append(required(cpath))
            continue
        key = name + ("/" + claim["request"] if claim.get("request") else "")
        if key in names:
            errs.append(duplicate(cpath, key))
        names.add(key)
        if claim_names is not None and name not in claim_names:
            detail = "must be one of the names in pod.spec.resourceClaims"
            detail += ": " + ", ".join(sorted(claim_names)) if claim_names else " which is empty"
            errs.append(FieldError(ErrorType.NOT_FOUND, str(cpath), name, detail))
    return errs
