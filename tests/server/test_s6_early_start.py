"""Cold-start plumbing of `pyk8s up`: the API server started before the supervisor's event
loop and adopted by it, and the `pyk8s` command importing only what a subcommand needs.
Real processes; no timing assertions."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from pyk8s._aio.clock import RealClock
from pyk8s.cli.main import build_parser
from pyk8s.server.backoff import RestartBackoff
from pyk8s.server.config import UpConfig
from pyk8s.server.early import start_apiserver
from pyk8s.server.process import ChildProcess, ChildSpec

from ..conftest import eventually
from ..e2e.conftest import REPO


def adopted(tmp_path: Path, code: str) -> tuple[ChildProcess, subprocess.Popen[bytes]]:
    """A ChildProcess that adopted a `python -c code` started with subprocess.Popen in its
    own session, as early.py starts the API server."""
    spec = ChildSpec("demo", (sys.executable, "-c", code), tmp_path / "demo.log")
    backoff = RestartBackoff(initial=0.05, maximum=0.2, reset_after=60)
    demo = ChildProcess(spec, clock=RealClock(), backoff=backoff, stop_timeout=5.0)
    popen = subprocess.Popen(spec.argv, start_new_session=True)
    demo.adopt(popen)
    return demo, popen


async def test_an_adopted_process_is_stopped_like_a_spawned_one(tmp_path: Path) -> None:
    demo, popen = adopted(tmp_path, "import time; time.sleep(60)")
    supervising = asyncio.create_task(demo.supervise())
    assert demo.alive() and demo.pid == popen.pid and demo.starts == 1
    code = await demo.stop()
    await asyncio.wait_for(supervising, 10)
    assert code == -15  # SIGTERM to its process group
    assert not demo.alive() and popen.returncode == -15


async def test_an_adopted_process_that_crashes_is_restarted_by_spawning(tmp_path: Path) -> None:
    demo, popen = adopted(tmp_path, "print('hello', flush=True); raise SystemExit(3)")
    supervising = asyncio.create_task(demo.supervise())

    async def respawned() -> bool:
        return demo.starts >= 2

    await eventually(respawned, timeout=60)
    await demo.stop()
    await asyncio.wait_for(supervising, 10)
    assert popen.returncode == 3
    assert "demo exited with code 3; restarting in" in (tmp_path / "demo.log").read_text()


async def test_waiting_twice_on_an_adopted_process_gives_one_exit_code(tmp_path: Path) -> None:
    demo, _ = adopted(tmp_path, "raise SystemExit(7)")
    assert demo.process is not None
    codes = await asyncio.wait_for(asyncio.gather(demo.process.wait(), demo.process.wait()), 30)
    assert codes == [7, 7]
    assert await demo.process.wait() == 7


def test_the_early_api_server_gets_a_fresh_kubeconfig_and_its_log(tmp_path: Path) -> None:
    config = UpConfig(data_dir=tmp_path, port=1, runtime="none", apiserver_args=("--no-such-flag",))
    config.kubeconfig.parent.mkdir(parents=True, exist_ok=True)
    config.kubeconfig.write_text("stale")
    process = start_apiserver(config)
    assert process.wait(60) != 0  # the bad flag: argparse refuses it
    assert not config.kubeconfig.exists()  # the stale one was removed before the start
    log = (config.log_dir / "apiserver.log").read_text()
    assert "pyk8s up: starting apiserver:" in log
    assert "--no-such-flag" in log.split("pyk8s up: starting apiserver:", 1)[1]


def test_one_command_parses_as_the_full_parser_does() -> None:
    argv = ["apiserver", "--data-dir", "/tmp/x", "--port", "7000", "--watch-cache-size", "5"]
    full = vars(build_parser().parse_args(argv))
    alone = vars(build_parser("apiserver").parse_args(argv))
    assert full == alone
    up = ["up", "--data-dir", "d", "--runtime", "none", "--simulated-nodes", "3"]
    assert vars(build_parser().parse_args(up)) == vars(build_parser("up").parse_args(up))


def test_the_api_server_command_does_not_import_the_supervisor_or_the_node() -> None:
    probe = (
        "import sys\n"
        "from pyk8s.cli.main import build_parser\n"
        "build_parser('apiserver').parse_args(['apiserver'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pyk8s.server', 'pyk8s.node'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout
    assert out.strip() == "[]"


def test_help_still_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pyk8s", "--help"], capture_output=True, text=True, cwd=REPO, check=True
    ).stdout
    for command in ("up", "apiserver", "controller-manager", "node", "images", "scheduler", "kubectl"):
        assert f"    {command}" in out


def test_up_reports_an_unusable_data_dir_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pyk8s", "up", "--data-dir", "/proc/no-such-dir", "--runtime", "none"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("pyk8s: ") and len(result.stderr.strip().splitlines()) == 1
