"""Running one component as its own process: the flags, logging, signals, the event loop and
the GC handled in one place, so every `python -m pyk8s.<component>` entry point behaves alike
(SIGINT/SIGTERM set the stop event and the component drains; an expected failure is one
line on stderr and exit code 1, not a stack trace)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pyk8s._aio import runtime

C = TypeVar("C")
LOG_FORMAT = "%(asctime)s %(name)s: %(message)s"


def setup_logging(verbose: bool, *, who: str = "") -> None:
    """One line per record with time and logger name (after `who`, e.g. "worker 1", when
    given); aiohttp's access log only when it warns."""
    log_format = LOG_FORMAT.replace("%(name)s", f"{who}: %(name)s") if who else LOG_FORMAT
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO, format=log_format, datefmt="%H:%M:%S"
    )
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def serve_until_signalled(
    main: Callable[[asyncio.Event], Awaitable[None]],
    *,
    expected: tuple[type[BaseException], ...] = (),
) -> int:
    """Run `main(stop)` on the components' loop and GC settings until it returns; SIGINT and
    SIGTERM set `stop`. Errors of the `expected` types print one line and give exit code 1."""

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await main(stop)

    runtime.tune_gc()
    try:
        runtime.run(runner())
    except expected as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 1
    return 0


def parse_component_flags(
    argv: list[str] | None,
    *,
    prog: str,
    description: str,
    add_flags: Callable[[argparse.ArgumentParser], None],
    to_config: Callable[[argparse.Namespace], C],
) -> tuple[argparse.Namespace, C]:
    """A component's flags and the config made of them (a config `ValueError` is a usage
    error); logging is set up from `--verbose`."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    add_flags(parser)
    args = parser.parse_args(argv)
    try:
        config = to_config(args)
    except ValueError as err:
        parser.error(str(err))
    setup_logging(args.verbose)
    return args, config


def component_main(
    argv: list[str] | None,
    *,
    prog: str,
    description: str,
    add_flags: Callable[[argparse.ArgumentParser], None],
    to_config: Callable[[argparse.Namespace], C],
    run: Callable[[C, asyncio.Event], Awaitable[Any]],
    expected: tuple[type[BaseException], ...] = (),
) -> int:
    """The whole of a component's `python -m` entry point: its flags and logging
    (`parse_component_flags`), then serve until signalled."""
    _, config = parse_component_flags(
        argv, prog=prog, description=description, add_flags=add_flags, to_config=to_config
    )

    async def serve(stop: asyncio.Event) -> None:
        await run(config, stop)

    return serve_until_signalled(serve, expected=expected)
