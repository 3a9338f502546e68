"""The node agent on the process runtime through the real kubectl 1.37 (the scenarios are
in `kubectl_suite.py`). The node runs as an unprivileged user (`nobody`, through setpriv,
when the tests run as root): the process runtime's reason to exist. Needs busybox-static."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyk8s.node.images.busybox import find_busybox
from tests.conftest import require_binary
from tests.process.kubectl_suite import NOBODY, KubectlCluster, KubectlSuite, class_tmp  # noqa: F401


def _busybox() -> str | None:
    try:
        return str(find_busybox())
    except FileNotFoundError:
        return None


class TestKubectlProcess(KubectlSuite):
    runtime = "process"
    skip_on = {
        "test_pid_and_filesystem_isolation": "the process runtime isolates neither processes nor files",
    }

    @pytest.fixture(scope="class")
    @classmethod
    def cluster(cls, class_tmp: Path) -> Iterator[KubectlCluster]:  # noqa: F811 - the imported fixture
        require_binary("busybox", _busybox(), "busybox-static")
        user = None
        if os.geteuid() == 0:
            require_binary("setpriv", shutil.which("setpriv"), "util-linux")
            user = NOBODY
        cluster = KubectlCluster(class_tmp, "process", node_user=user)
        try:
            yield cluster
        finally:
            cluster.stop()
