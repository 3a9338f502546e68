"""Image references as the container runtime normalises them (`busybox` means
`docker.io/library/busybox:latest`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_REGISTRY = "docker.io"
DEFAULT_TAG = "latest"

_DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_REGISTRY = re.compile(r"^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$")
_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")


class InvalidReferenceError(ValueError):
    """An image name that no registry could serve."""


@dataclass(frozen=True, slots=True)
class ImageReference:
    """A parsed image reference: registry host, repository path, tag and/or digest."""

    registry: str
    repository: str
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        """`registry/repository`, the part a tag or digest qualifies."""
        return f"{self.registry}/{self.repository}"

    def __str__(self) -> str:
        out = self.name
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out

    @property
    def tagged(self) -> str:
        """`name:tag` (the repo tag recorded in the store), empty for digest-only references."""
        return f"{self.name}:{self.tag}" if self.tag else ""

    @property
    def short(self) -> str:
        """The familiar form users type: `busybox:latest` for a Docker Hub library image."""
        name = self.name
        if name.startswith(f"{DEFAULT_REGISTRY}/library/"):
            name = name[len(f"{DEFAULT_REGISTRY}/library/") :]
        elif name.startswith(f"{DEFAULT_REGISTRY}/"):
            name = name[len(f"{DEFAULT_REGISTRY}/") :]
        return f"{name}:{self.tag}" if self.tag else f"{name}@{self.digest}"


def parse_reference(text: str) -> ImageReference:
    """Parse and normalise `text` the way containerd and the kubelet do."""
    if not text or text != text.strip() or any(c.isspace() for c in text):
        raise InvalidReferenceError(f"invalid reference format: {text!r}")
    rest, digest = text, ""
    if "@" in rest:
        rest, digest = rest.split("@", 1)
        if not _DIGEST.match(digest):
            raise InvalidReferenceError(f"invalid digest in {text!r}")
    tag = ""
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
        if not _TAG.match(tag):
            raise InvalidReferenceError(f"invalid tag in {text!r}")
    first, _, remainder = rest.partition("/")
    if remainder and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, remainder
    else:
        registry, path = DEFAULT_REGISTRY, rest
    if not _REGISTRY.match(registry):
        raise InvalidReferenceError(f"invalid registry in {text!r}")
    if registry == "index.docker.io":
        registry = DEFAULT_REGISTRY
    if registry == DEFAULT_REGISTRY and "/" not in path:
        path = f"library/{path}"
    if not path or not all(_COMPONENT.match(part) for part in path.split("/")):
        raise InvalidReferenceError(f"invalid reference format: repository name must be lowercase: {text!r}")
    if not tag and not digest:
        tag = DEFAULT_TAG
    return ImageReference(registry, path, tag, digest)


def image_tag_is_latest(text: str) -> bool:
    """Whether `text` names the `latest` tag, explicitly or by omission (no digest): the
    kubelet's imagePullPolicy default depends on it."""
    ref = parse_reference(text)
    return not ref.digest and ref.tag == DEFAULT_TAG
