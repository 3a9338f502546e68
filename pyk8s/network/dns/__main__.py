"""`python -m pyk8s.network.dns`: the cluster DNS, with the flags of `pyk8s dns`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from pyk8s._aio import runtime
from pyk8s.network.dns.options import add_dns_flags, dns_config
from pyk8s.network.dns.run import run_dns


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pyk8s.network.dns", description="Serve cluster DNS.")
    add_dns_flags(parser)
    args = parser.parse_args(argv)
    try:
        config = dns_config(args)
    except ValueError as err:
        parser.error(str(err))
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_dns(config, stop)

    runtime.tune_gc()
    runtime.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
