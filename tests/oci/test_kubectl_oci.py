"""The node agent on the oci runtime through the real kubectl 1.37 (the scenarios are in
`tests/process/kubectl_suite.py`). Needs root, crun and busybox-static: skipped with the
reason elsewhere, a failure in CI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.oci.conftest import require_oci_runtime

pytest.register_assert_rewrite("tests.process.kubectl_suite")  # explain failures of the shared asserts

from tests.process.kubectl_suite import KubectlCluster, KubectlSuite, class_tmp  # noqa: E402, F401 - fixture


class TestKubectlOci(KubectlSuite):
    runtime = "oci"

    @pytest.fixture(scope="class")
    @classmethod
    def cluster(cls, class_tmp: Path) -> Iterator[KubectlCluster]:  # noqa: F811 - the imported fixture
        require_oci_runtime("the oci kubectl tests")
        cluster = KubectlCluster(class_tmp, "oci")
        try:
            yield cluster
        finally:
            cluster.stop()
