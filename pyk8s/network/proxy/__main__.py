"""`python -m pyk8s.network.proxy`: the service proxy, with the flags of `pyk8s proxy`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pyk8s._aio.component import serve_until_signalled, setup_logging
from pyk8s.network.proxy.options import add_proxy_flags, proxy_config
from pyk8s.network.proxy.run import cleanup, run_proxy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pyk8s.network.proxy", description="Run one node's service proxy (nftables)."
    )
    add_proxy_flags(parser)
    args = parser.parse_args(argv)
    try:
        config = proxy_config(args)
    except ValueError as err:
        parser.error(str(err))
    setup_logging(args.verbose)
    if args.cleanup:
        asyncio.run(cleanup(config))
        return 0
    return serve_until_signalled(lambda stop: run_proxy(config, stop))


if __name__ == "__main__":
    sys.exit(main())
