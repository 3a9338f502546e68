"""`python -m pyk8s.network.proxy`: the service proxy, with the flags of `pyk8s proxy`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from pyk8s._aio import runtime
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
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    if args.cleanup:
        asyncio.run(cleanup(config))
        return 0

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_proxy(config, stop)

    runtime.tune_gc()
    runtime.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
