"""`python -m pyk8s.network.ingress`: the Ingress controller, with the flags of `pyk8s ingress`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from pyk8s._aio import runtime
from pyk8s.network.ingress.options import add_ingress_flags, ingress_config
from pyk8s.network.ingress.run import run_ingress


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pyk8s.network.ingress", description="Serve Ingresses.")
    add_ingress_flags(parser)
    args = parser.parse_args(argv)
    try:
        config = ingress_config(args)
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
        await run_ingress(config, stop)

    runtime.tune_gc()
    runtime.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
