"""`python -m pyk8s.server`: `pyk8s up`, runnable before the CLI is switched over to it."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from pyk8s.server.options import add_up_flags, up_config
from pyk8s.server.up import UpError, run_up


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pyk8s.server", description="Start a local cluster.")
    add_up_flags(parser)
    args = parser.parse_args(argv)
    try:
        config = up_config(args)
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
        await run_up(config, stop)

    try:
        asyncio.run(serve())
    except UpError as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
