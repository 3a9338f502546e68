"""Process composition: the `pyk8s up` supervisor (`run_up`, `UpConfig`).

`pyk8s.server.options` holds the flags of `pyk8s up`; `python -m pyk8s.server` runs it.
The names below are imported on first use: `pyk8s up` reads its flags from this package
before the API server is started, and the supervisor's modules are not needed for that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyk8s.server.config import UpConfig
    from pyk8s.server.up import UpError, run_up

__all__ = ["UpConfig", "UpError", "run_up"]


def __getattr__(name: str) -> Any:
    if name == "UpConfig":
        from pyk8s.server.config import UpConfig

        return UpConfig
    if name in ("UpError", "run_up"):
        from pyk8s.server import up

        return getattr(up, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
