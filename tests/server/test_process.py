"""Supervised component processes: restarted with backoff after a crash, stopped for good,
killed when they ignore SIGTERM. Real (tiny) processes, the real clock, short delays."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from pyk8s._aio.clock import RealClock
from pyk8s.server.backoff import RestartBackoff
from pyk8s.server.process import ChildProcess, ChildSpec

from ..conftest import eventually


def child(tmp_path: Path, code: str, *, stop_timeout: float = 5.0) -> ChildProcess:
    spec = ChildSpec("demo", (sys.executable, "-c", code), tmp_path / "logs" / "demo.log")
    backoff = RestartBackoff(initial=0.05, maximum=0.2, reset_after=60)
    return ChildProcess(spec, clock=RealClock(), backoff=backoff, stop_timeout=stop_timeout)


async def test_a_crashed_component_is_restarted_with_backoff_and_logged(tmp_path: Path) -> None:
    demo = child(tmp_path, "print('hello', flush=True); raise SystemExit(3)")
    await demo.spawn()
    supervising = asyncio.create_task(demo.supervise())

    async def restarted_twice() -> bool:
        return demo.starts >= 3

    await eventually(restarted_twice)
    await demo.stop()
    await asyncio.wait_for(supervising, 5)
    log = (tmp_path / "logs" / "demo.log").read_text()
    assert log.count("hello") >= 3
    assert "demo exited with code 3; restarting in" in log
    assert demo.backoff.restarts >= 2


async def test_stop_ends_a_component_for_good(tmp_path: Path) -> None:
    demo = child(tmp_path, "import time; time.sleep(60)")
    await demo.spawn()
    supervising = asyncio.create_task(demo.supervise())
    code = await demo.stop()
    await asyncio.wait_for(supervising, 5)
    assert code == -15  # SIGTERM
    assert demo.starts == 1 and not demo.alive()
    await demo.spawn()  # stopping is final
    assert demo.starts == 1


async def test_a_component_ignoring_sigterm_is_killed_after_the_stop_timeout(tmp_path: Path) -> None:
    ignore = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('up', flush=True); time.sleep(60)"
    )
    demo = child(tmp_path, ignore, stop_timeout=0.3)
    await demo.spawn()
    log = tmp_path / "logs" / "demo.log"

    async def started() -> bool:
        return "up" in log.read_text().split("\n", 1)[-1]

    await eventually(started)
    assert await demo.stop() == -9  # SIGKILL
