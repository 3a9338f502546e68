"""The channel protocol of exec, attach and the Python client's port-forward
(`v5.channel.k8s.io`, `v4.channel.k8s.io`): binary WebSocket messages whose first byte is
the channel. See WIRE.md §9.5.
"""

from __future__ import annotations

import json
import struct

STDIN = 0
STDOUT = 1
STDERR = 2
ERROR = 3
RESIZE = 4
CLOSE = 255  # v5 only: the payload names the channel the client closed

V5 = "v5.channel.k8s.io"
V4 = "v4.channel.k8s.io"
SUPPORTED = (V5, V4)
PORT_FORWARD_SPDY = "SPDY/3.1+portforward.k8s.io"


def choose_protocol(offered: list[str], supported: tuple[str, ...] = SUPPORTED) -> str | None:
    """The best protocol both sides speak, in our order of preference."""
    wanted = {p.strip() for item in offered for p in item.split(",") if p.strip()}
    return next((p for p in supported if p in wanted), None)


def frame(channel: int, payload: bytes) -> bytes:
    """One message on `channel`."""
    return bytes((channel,)) + payload


def parse(message: bytes) -> tuple[int, bytes]:
    """(channel, payload) of a received message; an empty message is channel -1."""
    if not message:
        return -1, b""
    return message[0], message[1:]


def success() -> bytes:
    """The error-channel Status for a command that exited 0."""
    return json.dumps({"metadata": {}, "status": "Success"}).encode()


def exit_code_status(code: int, command: list[str]) -> bytes:
    """The error-channel Status for a non-zero exit, as kubectl parses it (`kubectl exec`
    prints "command terminated with exit code N" and exits with N)."""
    return json.dumps(
        {
            "metadata": {},
            "status": "Failure",
            "message": (
                f"command terminated with non-zero exit code: error executing command "
                f"[{' '.join(command)}], exit code {code}"
            ),
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
        }
    ).encode()


def failure(message: str, reason: str = "InternalError", code: int = 500) -> bytes:
    """The error-channel Status for a failure other than an exit code."""
    return json.dumps(
        {"metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code}
    ).encode()


def parse_resize(payload: bytes) -> tuple[int, int] | None:
    """(width, height) from a resize message (`{"Width":80,"Height":24}`)."""
    try:
        doc = json.loads(payload)
        return int(doc["Width"]), int(doc["Height"])
    except (ValueError, KeyError, TypeError):
        return None


def port_prefix(port: int) -> bytes:
    """The 2-byte little-endian port that starts the first message of each channel in the
    channel-based port-forward protocol (the Python client's)."""
    return struct.pack("<H", port)
