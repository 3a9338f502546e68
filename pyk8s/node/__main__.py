"""`python -m pyk8s.node`: a node process, with the flags of `pyk8s node`.

`pyk8s up` starts its nodes this way until the `pyk8s node` subcommand exists.
"""

from __future__ import annotations

import sys

from pyk8s._aio.component import component_main
from pyk8s.node.options import add_node_flags, node_config
from pyk8s.node.run import run_nodes


def main(argv: list[str] | None = None) -> int:
    return component_main(
        argv,
        prog="python -m pyk8s.node",
        description="Run simulated nodes.",
        add_flags=add_node_flags,
        to_config=node_config,
        run=run_nodes,
    )


if __name__ == "__main__":
    sys.exit(main())
