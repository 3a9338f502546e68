"""The node agent on the oci runtime through the real kubectl 1.37 (the scenarios are in
`tests/process/kubectl_suite.py`). Needs root, crun and busybox-static: skipped with the
reason elsewhere, a failure in CI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyk8s.node.images.busybox import find_busybox
from tests.conftest import IN_CI, require_binary

pytest.register_assert_rewrite("tests.process.kubectl_suite")  # explain failures of the shared asserts

from tests.process.kubectl_suite import KubectlCluster, KubectlSuite, class_tmp  # noqa: E402, F401 - fixture


def _busybox() -> str | None:
    try:
        return str(find_busybox())
    except FileNotFoundError:
        return None


class TestKubectlOci(KubectlSuite):
    runtime = "oci"

    @pytest.fixture(scope="class")
    @classmethod
    def cluster(cls, class_tmp: Path) -> Iterator[KubectlCluster]:  # noqa: F811 - the imported fixture
        if os.geteuid() != 0:
            if IN_CI:
                pytest.fail("the oci kubectl tests need root (CI runs as root)")
            pytest.skip("the oci runtime needs root")
        require_binary("crun", shutil.which("crun"), "crun")
        require_binary("busybox", _busybox(), "busybox-static")
        cluster = KubectlCluster(class_tmp, "oci")
        try:
            yield cluster
        finally:
            cluster.stop()
