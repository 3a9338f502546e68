"""Start the API server first, before the supervisor imports the rest of itself.

`pyk8s up` is judged by how soon the API server answers `/readyz`, and the API server's
start-up (interpreter, imports, storage, certificates) is the long pole. The supervisor's
own imports (asyncio, its event loop, the supervision code) would otherwise run before the
API server is even spawned; started from here, the two overlap on the machine's cores.
`run_up(..., apiserver=...)` adopts the process; restarts go through `ChildProcess`.
"""

from __future__ import annotations

import os
import subprocess

from pyk8s.server.components import apiserver_spec
from pyk8s.server.config import UpConfig
from pyk8s.server.spawn import die_with_parent, mark


def prepare_data_dir(config: UpConfig) -> None:
    """Create the log directory and remove the previous run's kubeconfig (a new one marks
    the API server as up, see `readiness.py`)."""
    config.log_dir.mkdir(parents=True, exist_ok=True)
    config.kubeconfig.unlink(missing_ok=True)


def start_apiserver(config: UpConfig) -> subprocess.Popen[bytes]:
    """Spawn the API server as `ChildProcess.spawn` would (own session, log file, SIGTERM
    when the supervisor dies)."""
    prepare_data_dir(config)
    spec = apiserver_spec(config)
    mark(spec.log_path, f"starting {spec.name}: {' '.join(spec.argv)}")
    with open(spec.log_path, "ab") as output:  # the child has its own descriptor
        return subprocess.Popen(
            spec.argv,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            env=spec.environment(),
            start_new_session=True,
            preexec_fn=die_with_parent(os.getpid()),
        )
