"""`python -m pyk8s.network.ingress`: the Ingress controller, with the flags of `pyk8s ingress`."""

from __future__ import annotations

import sys

from pyk8s._aio.component import component_main
from pyk8s.network.ingress.options import add_ingress_flags, ingress_config
from pyk8s.network.ingress.run import run_ingress


def main(argv: list[str] | None = None) -> int:
    return component_main(
        argv,
        prog="python -m pyk8s.network.ingress",
        description="Serve Ingresses.",
        add_flags=add_ingress_flags,
        to_config=ingress_config,
        run=run_ingress,
    )


if __name__ == "__main__":
    sys.exit(main())
