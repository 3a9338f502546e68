"""`python -m pyk8s.network.proxy`: the service proxy, with the flags of `pyk8s proxy`."""

from __future__ import annotations

import asyncio
import sys

from pyk8s._aio.component import parse_component_flags, serve_until_signalled
from pyk8s.network.proxy.options import add_proxy_flags, proxy_config
from pyk8s.network.proxy.run import cleanup, run_proxy


def main(argv: list[str] | None = None) -> int:
    args, config = parse_component_flags(
        argv,
        prog="python -m pyk8s.network.proxy",
        description="Run one node's service proxy (nftables).",
        add_flags=add_proxy_flags,
        to_config=proxy_config,
    )
    if args.cleanup:
        asyncio.run(cleanup(config))
        return 0
    return serve_until_signalled(lambda stop: run_proxy(config, stop))


if __name__ == "__main__":
    sys.exit(main())
