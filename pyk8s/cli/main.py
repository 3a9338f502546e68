"""`pyk8s`: entry point and sub-command dispatch."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from pyk8s import __version__


def _up(args: argparse.Namespace) -> int:
    from pyk8s.storage import open_storage

    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    url = args.storage or f"sqlite://{data_dir}/state.db"

    async def run() -> int:
        store = await open_storage(url)
        try:
            revision = await store.current_revision()
            print(f"pyk8s: storage ready at {url} (revision {revision})")
            print("pyk8s: the API server and the rest of the control plane are not built yet")
        finally:
            await store.aclose()
        return 0

    return asyncio.run(run())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pyk8s", description="Kubernetes, written in Python.")
    parser.add_argument("--version", action="version", version=f"pyk8s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    up = commands.add_parser("up", help="start a local cluster")
    up.add_argument("--data-dir", default=".pyk8s", help="where the cluster keeps its state")
    up.add_argument("--storage", default="", help="storage URL (default: sqlite in the data dir)")
    up.set_defaults(func=_up)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
