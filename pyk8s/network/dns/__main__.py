"""`python -m pyk8s.network.dns`: the cluster DNS, with the flags of `pyk8s dns`."""

from __future__ import annotations

import sys

from pyk8s._aio.component import component_main
from pyk8s.network.dns.options import add_dns_flags, dns_config
from pyk8s.network.dns.run import run_dns


def main(argv: list[str] | None = None) -> int:
    return component_main(
        argv,
        prog="python -m pyk8s.network.dns",
        description="Serve cluster DNS.",
        add_flags=add_dns_flags,
        to_config=dns_config,
        run=run_dns,
    )


if __name__ == "__main__":
    sys.exit(main())
