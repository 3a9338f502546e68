"""`python -m pyk8s.network.policy`: NetworkPolicy enforcement, with the flags of `pyk8s network-policy`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from pyk8s._aio import runtime
from pyk8s.network.policy.options import add_policy_flags, policy_config
from pyk8s.network.policy.run import run_policy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pyk8s.network.policy", description="Enforce NetworkPolicies on one node."
    )
    add_policy_flags(parser)
    args = parser.parse_args(argv)
    try:
        config = policy_config(args)
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
        await run_policy(config, stop)

    runtime.tune_gc()
    runtime.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
