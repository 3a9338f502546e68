"""`python -m pyk8s.server`: `pyk8s up`, runnable before the CLI is switched over to it."""

from __future__ import annotations

import sys

from pyk8s._aio.component import component_main
from pyk8s.server.options import add_up_flags, up_config
from pyk8s.server.up import UpError, run_up


def main(argv: list[str] | None = None) -> int:
    return component_main(
        argv,
        prog="python -m pyk8s.server",
        description="Start a local cluster.",
        add_flags=add_up_flags,
        to_config=up_config,
        run=run_up,
        expected=(UpError, OSError),
    )


if __name__ == "__main__":
    sys.exit(main())
