"""Field-validation rules shared by every kind, with Kubernetes' error wording (clients show it).

Value rules (`dns1123_label`, `port_name`, ...) return the problems as strings, like
apimachinery's `util/validation`; `validate_*` functions return `FieldError`s at a path, like
its `field`-level helpers (`ValidateLabels`, `ValidateImmutableField`, ...). Most take the
value first and the path second; the domain and webhook checks keep Kubernetes' path-first
order. Rules of one kind or group stay in that kind's module (core's in
`pyk8s.kinds.core.validation`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Hashable
from typing import Any
from urllib.parse import urlsplit

import orjson

from pyk8s.api.fields import FieldErrors, FieldPath, forbidden, invalid, not_supported, required

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
DNS1035_LABEL_MAX = 63
QUALIFIED_NAME_MAX = 63
LABEL_VALUE_MAX = 63
PORT_NAME_MAX = 15

# Messages Kubernetes uses in many places.
IMMUTABLE = "field is immutable"
NONNEGATIVE = "must be greater than or equal to 0"

_DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = rf"{_DNS1123_LABEL}(\.{_DNS1123_LABEL})*"
_DNS1035_LABEL = r"[a-z]([-a-z0-9]*[a-z0-9])?"
_WILDCARD_SUBDOMAIN = r"\*\." + _DNS1123_SUBDOMAIN
_QUALIFIED_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE = rf"({_QUALIFIED_NAME})?"
_HTTP_PATH = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"

_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL)
_WILDCARD_SUBDOMAIN_RE = re.compile(_WILDCARD_SUBDOMAIN)
_QUALIFIED_NAME_RE = re.compile(_QUALIFIED_NAME)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE)
_HTTP_PATH_RE = re.compile(_HTTP_PATH)
_PORT_NAME_CHARS_RE = re.compile(r"[-a-z0-9]+")
_IPV4_OCTETS_RE = re.compile(r"\d+(\.\d+){3}")


# remembering valid inputs


# Types orjson would write as if they were strings, dicts or lists (datetimes, dataclasses,
# subclasses) are refused instead: only plain JSON values are keyed.
_KEY_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def json_key(value: Any) -> bytes | None:
    """`value` as a memo key: its JSON bytes, or None when they would not tell it apart.

    JSON tells apart every value decoding produces (1, 1.0, "1" and true differ; dict order
    only makes a miss). NaN and infinities would be written as null, so nothing with a null
    is keyed, nor anything orjson refuses (integers past 64 bits, non-string keys, types
    other than JSON's).
    """
    try:
        data = orjson.dumps(value, option=_KEY_OPTIONS)
    except TypeError:
        return None
    return None if b"null" in data else data


class AcceptedInputs:
    """Inputs a validator found valid, so the same input is accepted again without the work.

    Validation is a pure function of what it reads: an input (with the context the validator
    reads besides it, which goes into the key) that gave no errors once gives none again.
    Pods from one template repeat the same containers, probes and resources on every create,
    and an update repeats the stored spec. Only valid inputs are remembered: errors carry the
    field paths of the request at hand and are always worked out afresh, in full. Bounded;
    the oldest keys are forgotten first.
    """

    __slots__ = ("_capacity", "_keys")

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._keys: dict[Hashable, None] = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: Hashable) -> None:
        """Remember `key` as valid."""
        keys = self._keys
        if len(keys) >= self._capacity:
            del keys[next(iter(keys))]
        keys[_compact(key)] = None

    def clear(self) -> None:
        self._keys.clear()


def _compact(key: Hashable) -> Hashable:
    """`key` with its bytes copied to their size: orjson's results keep a buffer of at least
    4 KiB each, which a remembered key would hold for as long as it is remembered."""
    if isinstance(key, bytes):
        return memoryview(key).tobytes()
    if isinstance(key, tuple):
        return tuple(memoryview(part).tobytes() if isinstance(part, bytes) else part for part in key)
    return key


# messages


def max_len(n: int) -> str:
    """MaxLenError."""
    return f"must be no more than {n} characters"


def inclusive_range(lo: int, hi: int) -> str:
    """InclusiveRangeError."""
    return f"must be between {lo} and {hi}, inclusive"


def regex_error(message: str, pattern: str, *examples: str) -> str:
    """RegexError: the rule, examples, and the regular expression."""
    if not examples:
        return f"{message} (regex used for validation is '{pattern}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{message} (e.g. {shown}regex used for validation is '{pattern}')"


PORT_RANGE = inclusive_range(1, 65535)


# names


def dns1123_label(value: str) -> list[str]:
    """IsDNS1123Label: namespace names, most short names; "must not contain dots" for a subdomain."""
    errs = []
    if len(value) > DNS1123_LABEL_MAX:
        errs.append(max_len(DNS1123_LABEL_MAX))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            errs.append("must not contain dots")  # a valid subdomain: the length was checked above
        else:
            errs.append(
                regex_error(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    "and must start and end with an alphanumeric character",
                    _DNS1123_LABEL,
                    "my-name",
                    "123-abc",
                )
            )
    return errs


def dns1123_subdomain(value: str) -> list[str]:
    """IsDNS1123Subdomain: most object names."""
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len(DNS1123_SUBDOMAIN_MAX))
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        errs.append(
            regex_error(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                "'.', and must start and end with an alphanumeric character",
                _DNS1123_SUBDOMAIN,
                "example.com",
            )
        )
    return errs


def dns1035_label(value: str) -> list[str]:
    """IsDNS1035Label: Service names, API versions."""
    errs = []
    if len(value) > DNS1035_LABEL_MAX:
        errs.append(max_len(DNS1035_LABEL_MAX))
    if not _DNS1035_LABEL_RE.fullmatch(value):
        errs.append(
            regex_error(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
                "an alphabetic character, and end with an alphanumeric character",
                _DNS1035_LABEL,
                "my-name",
                "abc-123",
            )
        )
    return errs


def wildcard_dns1123_subdomain(value: str) -> list[str]:
    """IsWildcardDNS1123Subdomain: `*.` and a subdomain (Ingress hosts)."""
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(max_len(DNS1123_SUBDOMAIN_MAX))
    if not _WILDCARD_SUBDOMAIN_RE.fullmatch(value):
        errs.append(
            regex_error(
                "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
                "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
                "alphanumeric character",
                _WILDCARD_SUBDOMAIN,
                "*.example.com",
            )
        )
    return errs


def qualified_name(value: str) -> list[str]:
    """IsQualifiedName: `[prefix/]name`, as label and annotation keys are."""
    parts = value.split("/")
    errs: list[str] = []
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs += ["prefix part " + m for m in dns1123_subdomain(prefix)]
    else:
        return [
            regex_error(
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start "
                "and end with an alphanumeric character",
                _QUALIFIED_NAME,
                "MyName",
                "my.name",
                "123-abc",
            )
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > QUALIFIED_NAME_MAX:
        errs.append("name part " + max_len(QUALIFIED_NAME_MAX))
    if name and not _QUALIFIED_NAME_RE.fullmatch(name):
        errs.append(
            regex_error(
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                "with an alphanumeric character",
                _QUALIFIED_NAME,
                "MyName",
                "my.name",
                "123-abc",
            )
        )
    return errs


def label_value(value: str) -> list[str]:
    """IsValidLabelValue: empty, or a qualified name without a prefix."""
    errs = []
    if len(value) > LABEL_VALUE_MAX:
        errs.append(max_len(LABEL_VALUE_MAX))
    if not _LABEL_VALUE_RE.fullmatch(value):
        errs.append(
            regex_error(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
                "'.', and must start and end with an alphanumeric character",
                _LABEL_VALUE,
                "MyValue",
                "my_value",
                "12345",
            )
        )
    return errs


def path_segment_name(value: str) -> list[str]:
    """IsValidPathSegmentName: what a name needs to be one segment of a URL path."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in value]


def validate_dns_label(value: str, path: FieldPath | str) -> FieldErrors:
    return [invalid(path, value, msg) for msg in dns1123_label(value)]


def validate_subdomain(value: str, path: FieldPath | str) -> FieldErrors:
    return [invalid(path, value, msg) for msg in dns1123_subdomain(value)]


def validate_qualified_name(value: str, path: FieldPath | str) -> FieldErrors:
    return [invalid(path, value, msg) for msg in qualified_name(value)]


def is_fully_qualified_name(path: FieldPath | str, name: str) -> FieldErrors:
    """IsFullyQualifiedName: a domain with at least three segments (webhook names)."""
    if not name:
        return [required(path)]
    errs = dns1123_subdomain(name)
    if errs:
        return [invalid(path, name, ",".join(errs))]
    if len(name.split(".")) < 3:
        return [invalid(path, name, "should be a domain with at least three segments separated by dots")]
    return []


def is_fully_qualified_domain_name(path: FieldPath | str, name: str) -> FieldErrors:
    """IsFullyQualifiedDomainName: a domain with at least two segments; a trailing dot is allowed."""
    if not name:
        return [required(path)]
    name = name.removesuffix(".")
    errs = dns1123_subdomain(name)
    if errs:
        return [invalid(path, name, ",".join(errs))]
    if len(name.split(".")) < 2:
        return [invalid(path, name, "should be a domain with at least two segments separated by dots")]
    for label in name.split("."):
        errs = dns1123_label(label)
        if errs:
            return [invalid(path, label, ",".join(errs))]
    return []


def is_domain_prefixed_path(path: FieldPath | str, value: str) -> FieldErrors:
    """IsDomainPrefixedPath: `acme.io/foo`, a DNS subdomain, a slash, and HTTP path characters."""
    if not value:
        return [required(path)]
    host, sep, rest = value.partition("/")
    if not sep or not host or not rest:
        return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')]
    errs = [invalid(path, host, msg) for msg in dns1123_subdomain(host)]
    if not _HTTP_PATH_RE.fullmatch(rest):
        errs.append(invalid(path, rest, regex_error("Invalid path", _HTTP_PATH)))
    return errs


# ports


def port_number(value: Any) -> list[str]:
    """IsValidPortNum: 1 to 65535."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 65535:
        return []
    return [PORT_RANGE]


def port_name(value: str) -> list[str]:
    """IsValidPortName: an IANA service name."""
    errs = []
    if len(value) > PORT_NAME_MAX:
        errs.append(max_len(PORT_NAME_MAX))
    if not _PORT_NAME_CHARS_RE.fullmatch(value):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", value):
        errs.append("must contain at least one letter (a-z)")
    if "--" in value:
        errs.append("must not contain consecutive hyphens")
    if value and (value[0] == "-" or value[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def validate_port_number(value: Any, path: FieldPath | str) -> FieldErrors:
    return [invalid(path, value, msg) for msg in port_number(value)]


def validate_port_num_or_name(value: Any, path: FieldPath | str) -> FieldErrors:
    """ValidatePortNumOrName: an int-or-string port, a number in range or an IANA name."""
    if isinstance(value, str):
        return [invalid(path, value, msg) for msg in port_name(value)]
    return validate_port_number(value, path)


# addresses


def _sloppy_ipv4(value: str) -> ipaddress.IPv4Address | None:
    """Go's ParseIPSloppy also takes IPv4 octets with leading zeros (as decimal)."""
    if not _IPV4_OCTETS_RE.fullmatch(value):
        return None
    parts = [int(p) for p in value.split(".")]
    if any(p > 255 for p in parts):
        return None
    return ipaddress.IPv4Address(".".join(str(p) for p in parts))


def parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as Go's ParseIPSloppy reads it, or None."""
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return _sloppy_ipv4(value)


def cidr_network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The network of a CIDR as Go's ParseCIDRSloppy reads it, or None."""
    address, slash, prefix = value.partition("/")
    ip = parse_ip(address)
    if ip is None or not slash or not prefix.isdigit():
        return None
    try:
        return ipaddress.ip_network(f"{ip}/{int(prefix)}", strict=False)
    except ValueError:
        return None


def ip_family(value: str) -> str:
    return "IPv6" if ":" in value else "IPv4"


def validate_ip(value: str, path: FieldPath | str) -> FieldErrors:
    """IsValidIP: an address in canonical form."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        if _sloppy_ipv4(value) is not None:
            return [invalid(path, value, "must not have leading 0s")]
        return [invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return [invalid(path, value, "must not be an IPv4-mapped IPv6 address")]
    if str(address) != value:
        return [invalid(path, value, f'must be in canonical form ("{address}")')]
    return []


def validate_ip_for_legacy_field(value: str, path: FieldPath | str) -> FieldErrors:
    """IsValidIPForLegacyField with strict validation (StrictIPCIDRValidation on)."""
    if parse_ip(value) is None:
        return [invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return [invalid(path, value, "must not have leading 0s")]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return [invalid(path, value, "must not be an IPv4-mapped IPv6 address")]
    return []


def validate_cidr(value: str, path: FieldPath | str) -> FieldErrors:
    """IsValidCIDR: a network address in canonical form."""
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return [invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    if network.network_address != ipaddress.ip_interface(value).ip:
        return [invalid(path, value, "must not have bits set beyond the prefix length")]
    if str(network) != value:
        return [invalid(path, value, f'must be in canonical form ("{network}")')]
    return []


def validate_cidr_for_legacy_field(value: str, path: FieldPath | str) -> FieldErrors:
    """IsValidCIDRForLegacyField with strict validation (StrictIPCIDRValidation on)."""
    network = cidr_network(value)
    if network is None:
        return [invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")]
    address, _, prefix = value.partition("/")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        ip = None
    if ip is None or (len(prefix) > 1 and prefix.startswith("0")):
        return [invalid(path, value, "must not have leading 0s in IP or prefix length")]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return [invalid(path, value, "must not have an IPv4-mapped IPv6 address")]
    if network.network_address != ip:
        return [invalid(path, value, "must not have bits set beyond the prefix length")]
    return []


def validate_non_special_ip(value: str, path: FieldPath | str) -> FieldErrors:
    """ValidateNonSpecialIP (endpoint and external IPs): not unspecified, loopback or link-local."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return [invalid(path, value, "must be a valid IP address")]
    errs: FieldErrors = []
    if address.is_unspecified:
        errs.append(invalid(path, value, f"may not be unspecified ({value})"))
    if address.is_loopback:
        errs.append(invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
    if address.is_link_local and not address.is_multicast:
        errs.append(invalid(path, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
    if address.is_multicast and (
        address in ipaddress.ip_network("224.0.0.0/24") or str(address).startswith("ff02:")
    ):
        errs.append(
            invalid(path, value, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
        )
    return errs


# labels and selectors (metav1 validation)


def validate_labels(labels: dict[str, Any], path: FieldPath | str) -> FieldErrors:
    """ValidateLabels: keys are qualified names, values label values; both reported at the map."""
    errs: FieldErrors = []
    for key, value in labels.items():
        errs += [invalid(path, key, msg) for msg in qualified_name(key)]
        errs += [invalid(path, value, msg) for msg in label_value(str(value))]
    return errs


def validate_selector_operator(
    operator: str, values: list[Any], path: FieldPath, *, allow_unknown_operator: bool = False
) -> FieldErrors:
    """The values a requirement at `path` needs for its operator (In and NotIn some, Exists and
    DoesNotExist none); another operator is invalid unless `allow_unknown_operator`."""
    if operator in ("In", "NotIn"):
        if not values:
            return [required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'")]
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            return [
                forbidden(
                    path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
                )
            ]
    elif not allow_unknown_operator:
        return [invalid(path.child("operator"), operator, "not a valid selector operator")]
    return []


def validate_label_selector(
    selector: Any, path: FieldPath | str, *, allow_unknown_operator: bool = False
) -> FieldErrors:
    """ValidateLabelSelector: a LabelSelector object (anything else is left to the schema)."""
    if not isinstance(selector, dict):
        return []
    path = path if isinstance(path, FieldPath) else FieldPath(path)
    errs = validate_labels(selector.get("matchLabels") or {}, path.child("matchLabels"))
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        errs += validate_label_selector_requirement(
            expr, path.child("matchExpressions").index(i), allow_unknown_operator=allow_unknown_operator
        )
    return errs


def validate_label_selector_requirement(
    expr: dict[str, Any], path: FieldPath, *, allow_unknown_operator: bool = False
) -> FieldErrors:
    """ValidateLabelSelectorRequirement: operator and values, key, and each value."""
    values = expr.get("values") or []
    errs = validate_selector_operator(
        expr.get("operator", ""), values, path, allow_unknown_operator=allow_unknown_operator
    )
    errs += validate_qualified_name(expr.get("key", ""), path.child("key"))
    for i, value in enumerate(values):
        errs += [invalid(path.child("values").index(i), value, msg) for msg in label_value(str(value))]
    return errs


def validate_field_selector_requirement(expr: dict[str, Any], path: FieldPath) -> FieldErrors:
    """ValidateFieldSelectorRequirement, allowing operators this server does not know."""
    errs: FieldErrors = []
    if not expr.get("key"):
        errs.append(required(path.child("key"), "must be specified"))
    errs += validate_selector_operator(
        expr.get("operator", ""), expr.get("values") or [], path, allow_unknown_operator=True
    )
    return errs


# fields


def validate_immutable(new: Any, old: Any, path: FieldPath | str) -> FieldErrors:
    """ValidateImmutableField: the new value, reported when it differs from the old one."""
    return [] if new == old else [invalid(path, new, IMMUTABLE)]


def validate_nonnegative(value: Any, path: FieldPath | str) -> FieldErrors:
    """ValidateNonnegativeField: numbers below zero are invalid (absent values are fine)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return [invalid(path, value, NONNEGATIVE)]
    return []


def validate_enum(
    value: Any, path: FieldPath | str, allowed: list[str], *, required_if_empty: bool = True
) -> FieldErrors:
    """A closed set of values: Required when empty (unless not `required_if_empty`), else NotSupported."""
    if value in (None, ""):
        return [required(path)] if required_if_empty else []
    if value not in allowed:
        return [not_supported(path, value, allowed)]
    return []


# webhooks (k8s.io/apiserver/pkg/util/webhook)

_URL_FORM = "; desired format: https://host[/path]"


def validate_webhook_url(path: FieldPath | str, url: str, *, force_https: bool = True) -> FieldErrors:
    """ValidateWebhookURL."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port, as Go's parser does
    except ValueError as err:
        return [required(path, f"url must be a valid URL: {err}{_URL_FORM}")]
    errs: FieldErrors = []
    if force_https and parts.scheme != "https":
        errs.append(invalid(path, parts.scheme, "'https' is the only allowed URL scheme" + _URL_FORM))
    host = parts.netloc.rpartition("@")[2]
    if not host:
        errs.append(invalid(path, host, "host must be specified" + _URL_FORM))
    if "@" in parts.netloc:
        user = parts.netloc.rpartition("@")[0]
        errs.append(invalid(path, user, "user information is not permitted in the URL"))
    if parts.fragment:
        errs.append(invalid(path, parts.fragment, "fragments are not permitted in the URL"))
    if parts.query:
        errs.append(invalid(path, parts.query, "query parameters are not permitted in the URL"))
    return errs


def validate_webhook_service(path: FieldPath, service: dict[str, Any]) -> FieldErrors:
    """ValidateWebhookService: name, namespace, port, and a path of DNS-subdomain segments."""
    errs: FieldErrors = []
    if not service.get("name"):
        errs.append(required(path.child("name"), "service name is required"))
    if not service.get("namespace"):
        errs.append(required(path.child("namespace"), "service namespace is required"))
    port = service.get("port", 443)
    problems = port_number(port)
    if problems:
        errs.append(invalid(path.child("port"), port, "port is not valid: " + ", ".join(problems)))
    url_path = service.get("path")
    if url_path is None or url_path in ("", "/"):
        return errs
    if url_path == "//":
        return [*errs, invalid(path.child("path"), url_path, "segment[0] may not be empty")]
    if not url_path.startswith("/"):
        errs.append(invalid(path.child("path"), url_path, "must start with a '/'"))
    to_check = url_path[1:]
    if to_check.endswith("/"):
        to_check = to_check[:-1]
    for i, step in enumerate(to_check.split("/")):
        if not step:
            errs.append(invalid(path.child("path"), url_path, f"segment[{i}] may not be empty"))
            continue
        for failure in dns1123_subdomain(step):
            errs.append(invalid(path.child("path"), url_path, f"segment[{i}]: {failure}"))
    return errs
