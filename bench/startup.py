"""Cold start of `pyk8s up`: from the command to `GET /readyz` = `ok`, empty data dir.

Each run starts `pyk8s up --runtime none` (the supervisor, then the API server as its
child) in a fresh data directory on a free loopback port, polls /readyz every 5 ms, then
stops it with SIGTERM. Baselines in the same run: the bare API server process
(`pyk8s apiserver`, no supervisor) from an empty data directory, and `pyk8s up` resuming
an existing data directory (certificates and database already there).

Prints one JSON line per run and a summary line per scenario (p50, min, max). The target
is a p50 cold start of at most 1.5 s on the 2-core machine.

    python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parent.parent


def emit(**fields: Any) -> None:
    print(orjson.dumps(fields).decode(), flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def up_command() -> list[str]:
    """`pyk8s up` once the CLI runs the supervisor, else the supervisor's own entry point."""
    helptext = subprocess.run(
        [sys.executable, "-m", "pyk8s", "up", "--help"], capture_output=True, text=True, cwd=REPO, check=False
    ).stdout
    if "--simulated-nodes" in helptext:
        return [sys.executable, "-m", "pyk8s", "up"]
    return [sys.executable, "-m", "pyk8s.server"]


def ready(data_dir: Path, port: int) -> bool:
    ca = data_dir / "pki" / "ca.crt"
    if not (data_dir / "kubeconfig").exists() or not ca.exists():
        return False
    try:
        context = ssl.create_default_context(cafile=str(ca))
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/readyz", context=context, timeout=2) as resp:
            return bool(resp.read() == b"ok")
    except (OSError, ssl.SSLError):
        return False


def time_to_ready(argv: list[str], data_dir: Path, port: int) -> float:
    """Seconds from spawning `argv` to /readyz = ok; the process is stopped afterwards."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    try:
        while not ready(data_dir, port):
            if process.poll() is not None:
                raise RuntimeError(f"{argv} exited with {process.returncode}")
            if time.perf_counter() - started > 60:
                raise TimeoutError(f"{argv} not ready in 60 s")
            time.sleep(0.005)
        return time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def summary(scenario: str, samples: list[float]) -> None:
    emit(
        scenario=scenario,
        runs=len(samples),
        p50_s=round(statistics.median(samples), 3),
        min_s=round(min(samples), 3),
        max_s=round(max(samples), 3),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    up = up_command()
    results: dict[str, list[float]] = {"up_cold": [], "apiserver_cold": [], "up_resume": []}
    base = Path(tempfile.mkdtemp(prefix="pyk8s-startup-"))
    try:
        for run in range(args.runs):
            for scenario in ("up_cold", "apiserver_cold"):
                data_dir = base / f"{scenario}-{run}"
                port = free_port()
                if scenario == "up_cold":
                    argv = [*up, "--data-dir", str(data_dir), "--port", str(port), "--runtime", "none"]
                else:
                    argv = [sys.executable, "-m", "pyk8s", "apiserver", "--data-dir", str(data_dir)]
                    argv += ["--port", str(port)]
                seconds = time_to_ready(argv, data_dir, port)
                results[scenario].append(seconds)
                emit(scenario=scenario, run=run, ready_s=round(seconds, 3))
            data_dir = base / f"up_cold-{run}"  # resume the cluster the cold run created
            port = free_port()
            argv = [*up, "--data-dir", str(data_dir), "--port", str(port), "--runtime", "none"]
            seconds = time_to_ready(argv, data_dir, port)
            results["up_resume"].append(seconds)
            emit(scenario="up_resume", run=run, ready_s=round(seconds, 3))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    for scenario, samples in results.items():
        summary(scenario, samples)
    emit(
        scenario="supervisor_overhead",
        p50_s=round(statistics.median(results["up_cold"]) - statistics.median(results["apiserver_cold"]), 3),
        target_p50_s=1.5,
        met=statistics.median(results["up_cold"]) <= 1.5,
    )


if __name__ == "__main__":
    main()
