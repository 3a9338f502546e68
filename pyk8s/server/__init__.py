"""Process composition: the `pyk8s up` supervisor (`run_up`, `UpConfig`).

`pyk8s.server.options` holds the flags of `pyk8s up`; `python -m pyk8s.server` runs it.
"""

from pyk8s.server.config import UpConfig
from pyk8s.server.up import UpError, run_up

__all__ = ["UpConfig", "UpError", "run_up"]
